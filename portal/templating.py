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
from portal.assets import asset
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
    # False: left out of the short menu of people who have the Manage page
    # (officers), which must fit one row; that page lists the entry, and the
    # service name links Home.
    in_short_menu: bool = True


# The portal's navigation, in order. A feature adds its entry here with the
# action that guards it; each person sees the entries their role allows.
NAVIGATION = [
    NavItem("Home", "main.home", "public.read", in_short_menu=False),
    NavItem("Your dashboard", "main.dashboard", "dashboard.view"),
    NavItem("Campaigns", "campaigns.index", "campaign.read"),
    NavItem("Plan", "plan.index", "plan.read", in_short_menu=False),
    NavItem("Consultations", "consultations.index", "consultation.read"),
    NavItem("Updates", "updates.archive", "update.read"),
    NavItem("Your updates", "updates.yours", "update.manage", in_short_menu=False),
    NavItem("Chair's statement", "statements.index", "statement.list", in_short_menu=False),
    NavItem("Area of Interest", "aoi.index", "aoi.view", in_short_menu=False),
    NavItem("Youth Cabinet", "main.youth_cabinet", "youth_cabinet.members", in_short_menu=False),
    NavItem("Manage", "main.manage", "manage.view"),
    NavItem("Your account", "auth.account", "account.own"),
    NavItem("Sign in", "auth.sign_in", "account.sign_in", signed_out_only=True),
]


@dataclass(frozen=True)
class Tool:
    """An entry of the Manage page: where it goes, who may go, what it is for."""

    label: str
    endpoint: str
    action: str
    description: str


# The Manage page (#14.25): the tools of the people who run the portal, under
# headings. Its one "Manage" entry keeps their menu short.
MANAGE_PAGE: list[tuple[str, list[Tool]]] = [
    (
        "People and safety",
        [
            Tool(
                "People",
                "people.index",
                "people.manage",
                "Invite people, change their role or close their account, and answer their requests for their data.",
            ),
            Tool(
                "Safeguarding",
                "safeguarding.queue",
                "safeguarding.handle",
                "Concerns and reports people sent, and what is happening with each.",
            ),
            Tool("Audit log", "people.audit", "audit.read", "Who changed what on the portal, and when."),
        ],
    ),
    (
        "Consultations",
        [
            Tool(
                "Moderation queue",
                "consultations.moderation",
                "consultation.moderate",
                "Written answers to read before they can be quoted.",
            ),
        ],
    ),
    (
        "The Youth Cabinet",
        [
            Tool(
                "Youth Cabinet",
                "main.youth_cabinet",
                "youth_cabinet.members",
                "Who is on the Youth Cabinet, and who holds which office.",
            ),
            Tool("Plan", "plan.index", "plan.read", "The Youth Cabinet's calendar of campaigns and events."),
            Tool(
                "Area of Interest",
                "aoi.index",
                "aoi.view",
                "Rounds where members choose a Cabinet portfolio, the pairings, and their logs.",
            ),
            Tool("Portfolios", "aoi.portfolios", "aoi.portfolios", "The Cabinet portfolios and who holds each."),
            Tool("Chair's statement", "statements.index", "statement.list", "The Chair's statement for each month."),
        ],
    ),
    (
        "Reports to the council",
        [
            Tool(
                "Cabinet Members' updates",
                "updates.yours",
                "update.manage",
                "The monthly updates being written, and the ones published.",
            ),
            Tool(
                "Committees' recommendations",
                "recommendations.index",
                "recommendation.record",
                "Record a committee's recommendations, and follow the responses to them.",
            ),
        ],
    ),
]
MANAGED_ENDPOINTS = frozenset(tool.endpoint for _, tools in MANAGE_PAGE for tool in tools)


def navigation() -> list[dict[str, object]]:
    short = can(current_user, "manage.view")
    items = []
    for item in NAVIGATION:
        if item.signed_out_only and current_user.is_authenticated:
            continue
        if short and not item.in_short_menu:
            continue
        if not can(current_user, item.action):
            continue
        href = url_for(item.endpoint)
        active = request.endpoint == item.endpoint
        if item.endpoint == "main.manage":
            # The Manage entry stands for every page it lists.
            active = active or request.endpoint in MANAGED_ENDPOINTS
        items.append({"text": item.label, "href": href, "active": active})
    return items


def manage_page() -> list[tuple[str, list[Tool]]]:
    """The Manage page's headings and tools, those this person may open."""
    sections = []
    for heading, tools in MANAGE_PAGE:
        allowed = [tool for tool in tools if can(current_user, tool.action)]
        if allowed:
            sections.append((heading, allowed))
    return sections


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
    from portal.recommendations import access as recommendations
    from portal.statements import access as statements
    from portal.updates import access as updates

    return SimpleNamespace(
        aoi=aoi,
        campaigns=campaigns,
        consultations=consultations,
        recommendations=recommendations,
        statements=statements,
        updates=updates,
    )


def retention_periods() -> dict[str, str]:
    """The retention periods in words, for the privacy notice: from the
    settings ``flask retention run`` applies (portal/retention.py)."""
    from portal.retention import periods_in_words

    return periods_in_words()


def file_size(size: int) -> str:
    """A file's size as people read it: "1 KB" at least, "4.2 MB" from a megabyte."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals["access"] = _access_rules()
    app.add_template_global(retention_periods)
    app.add_template_filter(paragraphs)
    app.add_template_filter(richtext.render, "richtext")
    app.add_template_global(navigation)
    app.add_template_global(asset)
    app.add_template_global(can)
    app.jinja_env.globals.update(AGE_BANDS=AGE_BANDS, ROLE_LABELS=ROLE_LABELS)
    app.add_template_global(Role, "Role")
    app.add_template_filter(local_datetime)
    app.add_template_filter(long_date)
    app.add_template_filter(file_size)
    app.add_template_filter(full_stop)
