"""Who may do what: the one table of actions by role, and the decorator every route uses.

Every view states its action with ``@requires(action)``. The permission-matrix
test walks the app's ``url_map`` and fails for a route that does not, so a new
route cannot slip through without a rule.

Answers: not signed in -> redirect to sign-in (401 for htmx requests);
signed in but refused -> 403. Views that load a private object call
``abort(404)`` themselves when even its existence must not leak.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import abort, current_app, make_response, redirect, request, url_for
from flask_login import current_user

from portal.roles import Role

F = TypeVar("F", bound=Callable)

# Anyone, signed in or not.
ANYONE = "anyone"
# Any signed-in person, whatever their role.
SIGNED_IN = frozenset(Role)
YOUTH_CABINET = frozenset({Role.YOUTH_MEMBER, Role.CHAIR})

# action -> the roles allowed. ANYONE means no sign-in needed.
ACTIONS: dict[str, frozenset[Role] | str] = {
    "public.read": ANYONE,
    "account.sign_in": ANYONE,
    "account.own": SIGNED_IN,
    # Everyone may download what the portal holds about them, and delete their
    # account (the last active officer cannot: portal/people/erasure.py).
    "account.data": SIGNED_IN,
    "account.delete": SIGNED_IN,
    # "Stay signed in" in the warning before the idle limit ends a session.
    "account.keep_alive": SIGNED_IN,
    "dashboard.view": SIGNED_IN,
    "people.manage": frozenset({Role.OFFICER}),
    # A subject access request and deleting an account on someone's request.
    "people.subject_access": frozenset({Role.OFFICER}),
    "people.erase": frozenset({Role.OFFICER}),
    "audit.read": frozenset({Role.OFFICER}),
    # The Manage page: the tools of the people who run the portal, one menu entry (#14.25).
    "manage.view": frozenset({Role.OFFICER}),
    "notifications.own": SIGNED_IN,
    "youth_cabinet.members": SIGNED_IN,
    # The Chair's statement. Object rules (drafts are the Chair's and officers'
    # until submitted; only the Youth portfolio's Cabinet Member reviews) are in
    # portal/statements/access.py.
    "statement.list": frozenset({Role.CHAIR, Role.OFFICER, Role.CABINET_MEMBER}),
    "statement.edit": frozenset({Role.CHAIR}),
    "statement.review": frozenset({Role.CABINET_MEMBER}),
    "statement.reopen": frozenset({Role.CABINET_MEMBER, Role.OFFICER}),
    # The Area of Interest programme. Object rules (whose pairing page, whose
    # acceptance, who reads members' reasons) are in portal/aoi/access.py.
    "aoi.view": frozenset({Role.YOUTH_MEMBER, Role.CHAIR, Role.CABINET_MEMBER, Role.OFFICER}),
    "aoi.portfolios": frozenset({Role.OFFICER}),
    "aoi.open_round": frozenset({Role.OFFICER}),
    "aoi.run": frozenset({Role.OFFICER, Role.CHAIR}),
    "aoi.choose": YOUTH_CABINET,
    "aoi.accept": frozenset({Role.CABINET_MEMBER, Role.OFFICER}),
    "aoi.pairing": frozenset({Role.YOUTH_MEMBER, Role.CHAIR, Role.CABINET_MEMBER, Role.OFFICER}),
    # Campaigns. Drafts are seen by their leads, the chair and officers only
    # (404 for anyone else); leads edit their own (portal/campaigns/operations.py).
    "campaign.read": ANYONE,
    "campaign.create": frozenset({Role.YOUTH_MEMBER, Role.CHAIR, Role.OFFICER}),
    "campaign.edit": frozenset({Role.YOUTH_MEMBER, Role.CHAIR, Role.OFFICER}),
    "campaign.publish": frozenset({Role.CHAIR, Role.OFFICER}),
    # The Youth Cabinet's plan and offices: the chair and officers edit; members read.
    "plan.read": frozenset({Role.YOUTH_MEMBER, Role.CHAIR, Role.CABINET_MEMBER, Role.OFFICER}),
    "plan.edit": frozenset({Role.CHAIR, Role.OFFICER}),
    # The Cabinet Member's update. Published versions are public; a Cabinet
    # Member edits and publishes their own, officers help prepare any
    # (object rules in portal/updates/access.py).
    "update.read": ANYONE,
    "update.manage": frozenset({Role.CABINET_MEMBER, Role.OFFICER}),
    "update.create": frozenset({Role.CABINET_MEMBER}),
    "update.edit": frozenset({Role.CABINET_MEMBER, Role.OFFICER}),
    "update.publish": frozenset({Role.CABINET_MEMBER}),
    # Consultations. Object rules (a partner sees only their own requests and,
    # once released, their results; who is in a consultation's audience) are
    # in portal/consultations/access.py.
    "consultation.read": ANYONE,
    "consultation.request": frozenset({Role.PARTNER, Role.OFFICER}),
    "consultation.review": frozenset({Role.OFFICER, Role.CHAIR}),
    "consultation.respond": ANYONE,
    "consultation.moderate": frozenset({Role.OFFICER}),
    "consultation.results": frozenset({Role.PARTNER, Role.OFFICER, Role.CHAIR}),
    "consultation.export": frozenset({Role.OFFICER}),
    "consultation.feedback": frozenset({Role.PARTNER, Role.OFFICER}),
    # A partner's "You said, we did" is published once an officer approves it (#13.5).
    "consultation.approve_feedback": frozenset({Role.OFFICER}),
    # Safeguarding: anyone, with or without an account, reports a concern or
    # something public ("Report this"); only officers read and handle reports.
    "safeguarding.report": ANYONE,
    "safeguarding.handle": frozenset({Role.OFFICER}),
    # Committees' recommendations (#17.1): anyone reads them and their progress;
    # officers record a meeting's; the Cabinet Member they are addressed to (or
    # who owns them) and officers respond (object rule in portal/recommendations/access.py).
    "recommendation.read": ANYONE,
    "recommendation.record": frozenset({Role.OFFICER}),
    "recommendation.respond": frozenset({Role.CABINET_MEMBER, Role.OFFICER}),
}


def can(user, action: str) -> bool:
    """True when ``user`` (possibly anonymous) may perform ``action``."""
    allowed = ACTIONS[action]
    if allowed == ANYONE:
        return True
    if not user.is_authenticated:
        return False
    return Role(user.role) in allowed


def is_public(endpoint: str) -> bool:
    """Whether anyone, signed in or not, may open the page at ``endpoint``
    (a public document links only to pages its readers can open)."""
    view = current_app.view_functions.get(endpoint)
    action = getattr(view, "permission", None)
    return action is not None and ACTIONS[action] == ANYONE


def is_htmx() -> bool:
    return request.headers.get("HX-Request") == "true"


def _ask_to_sign_in():
    """Signed out: a redirect to sign-in that comes back here. htmx gets 401
    with HX-Redirect, so the whole page goes to sign-in, not a fragment."""
    if not is_htmx():
        return redirect(url_for("auth.sign_in", next=request.full_path.rstrip("?")))
    from portal.errors import render_error

    page = urlsplit(request.headers.get("HX-Current-URL", ""))
    back = page.path + ("?" + page.query if page.query else "") if page.path else request.full_path.rstrip("?")
    body, status = render_error(401)
    response = make_response(body, status)
    response.headers["HX-Redirect"] = url_for("auth.sign_in", next=back)
    return response


def requires(action: str) -> Callable[[F], F]:
    """Guard a view with ``action`` from ACTIONS."""
    if action not in ACTIONS:
        raise KeyError(f"unknown action {action!r}: add it to portal.permissions.ACTIONS")

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args, **kwargs):
            if ACTIONS[action] != ANYONE and not current_user.is_authenticated:
                return _ask_to_sign_in()
            if not can(current_user, action):
                abort(403)
            return view(*args, **kwargs)

        cast(Any, guarded).permission = action  # read by the permission-matrix test
        return guarded  # type: ignore[return-value]

    return decorate
