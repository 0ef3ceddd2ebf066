"""Template helpers: the council's wording, navigation by role, dates."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

from flask import Flask, request, url_for
from flask_login import current_user

from portal import richtext
from portal.permissions import can
from portal.roles import AGE_BANDS, ROLE_LABELS, Role

LOCAL_ZONE = ZoneInfo("Europe/London")


def local_today() -> date:
    """Today in the council's time zone (a date typed in a form means a local date)."""
    return datetime.now(LOCAL_ZONE).date()


@dataclass(frozen=True)
class NavItem:
    label: str
    endpoint: str
    action: str
    signed_out_only: bool = False


# The portal's navigation, in order. A feature adds its entry here with the
# action that guards it; each person sees the entries their role allows.
NAVIGATION = [
    NavItem("Home", "main.home", "public.read"),
    NavItem("Your dashboard", "main.dashboard", "dashboard.view"),
    NavItem("Campaigns", "campaigns.index", "campaign.read"),
    NavItem("Plan", "plan.index", "plan.read"),
    NavItem("Consultations", "consultations.index", "consultation.read"),
    NavItem("Updates", "updates.archive", "update.read"),
    NavItem("Your updates", "updates.yours", "update.manage"),
    NavItem("Chair's statement", "statements.index", "statement.list"),
    NavItem("Area of Interest", "aoi.index", "aoi.view"),
    NavItem("Youth Cabinet", "main.youth_cabinet", "youth_cabinet.members"),
    NavItem("People", "people.index", "people.manage"),
    NavItem("Audit log", "people.audit", "audit.read"),
    NavItem("Safeguarding", "safeguarding.queue", "safeguarding.handle"),
    NavItem("Your account", "auth.account", "account.own"),
    NavItem("Sign in", "auth.sign_in", "account.sign_in", signed_out_only=True),
]


def navigation() -> list[dict[str, object]]:
    items = []
    for item in NAVIGATION:
        if item.signed_out_only and current_user.is_authenticated:
            continue
        if not can(current_user, item.action):
            continue
        href = url_for(item.endpoint)
        items.append({"text": item.label, "href": href, "active": request.endpoint == item.endpoint})
    return items


LONG_DATE = "%-d %B %Y"  # 17 July 2020: every date the portal shows a person


def long_date(value: date | datetime | None) -> str:
    """A date as people write it ("17 July 2020"); a moment in the council's
    time zone; nothing for no date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(LOCAL_ZONE)
    return value.strftime(LONG_DATE)


def local_datetime(value: datetime | None, fmt: str = f"{LONG_DATE} at %-I:%M%p") -> str:
    if value is None:
        return ""
    text = value.astimezone(LOCAL_ZONE).strftime(fmt)
    return text.replace("AM", "am").replace("PM", "pm")


def full_stop(text: str) -> str:
    """``text`` ending a sentence: a full stop added unless it ends with one
    already (names are a first name and an initial: "Zed R.")."""
    return text if text.rstrip().endswith((".", "!", "?")) else f"{text}."


def paragraphs(text: str | None) -> list[str]:
    """Blocks of text separated by an empty line: the statement's paragraphs."""
    return [block.strip() for block in re.split(r"\n\s*\n", (text or "").strip()) if block.strip()]


def _access_rules() -> SimpleNamespace:
    """Each feature's object rules, for templates to ask (never to compare roles)."""
    from portal.aoi import access as aoi
    from portal.campaigns import access as campaigns
    from portal.consultations import access as consultations
    from portal.statements import access as statements
    from portal.updates import access as updates

    return SimpleNamespace(
        aoi=aoi, campaigns=campaigns, consultations=consultations, statements=statements, updates=updates
    )


def retention_periods() -> dict[str, str]:
    """The retention periods in words, for the privacy notice: from the
    settings ``flask retention run`` applies (portal/retention.py)."""
    from portal.retention import periods_in_words

    return periods_in_words()


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["access"] = _access_rules()
    app.add_template_global(retention_periods)
    app.add_template_filter(paragraphs)
    app.add_template_filter(richtext.render, "richtext")
    app.add_template_global(navigation)
    app.add_template_global(can)
    app.jinja_env.globals.update(AGE_BANDS=AGE_BANDS, ROLE_LABELS=ROLE_LABELS)
    app.add_template_global(Role, "Role")
    app.add_template_filter(local_datetime)
    app.add_template_filter(long_date)
    app.add_template_filter(full_stop)
