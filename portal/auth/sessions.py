"""Loading the signed-in person on each request, and ending sessions: old
ones (a raised session version) and ones past their time limits.

The limits (settings in portal/config.py): a signed-in session ends after a
time without any request (the idle limit: shorter for adults than for young
people) and, however busy, a fixed time after signing in (the absolute limit).
Both times live in the signed session cookie, so a copied cookie stops
working too. Visitors (not signed in) are left alone. Pages warn before
either limit, and "Stay signed in" resets the idle one (session_timer below,
static/js/session-timeout.mjs).
"""

from __future__ import annotations

import math
import time
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, flash, g, redirect, request, session, url_for
from flask_login import current_user, logout_user

from portal.extensions import db
from portal.models import User
from portal.permissions import _ask_to_sign_in, is_htmx

SIGNED_IN_AT = "signed_in_at"
ACTIVE_AT = "active_at"
# The last-activity time is rewritten at most once a minute, not on every
# request: each rewrite sends a new cookie, and two requests in flight (an
# autosave and a form being sent) would overwrite each other's session.
STAMP_EVERY_SECONDS = 60
# The flash category of the "you were signed out because..." message.
SESSION_ENDED = "session_ended"


def now() -> float:
    """Seconds since the epoch: the one clock the limits read (tests move it)."""
    return time.time()


def load_user(user_id: str) -> User | None:
    """Flask-Login's loader. The id is "<id>:<session version>"; an older
    version means the person signed out elsewhere, changed their password or
    was deactivated, so this session ends."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        ident, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, ident)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


# Time limits -----------------------------------------------------------------


def in_words(minutes: int) -> str:
    """A length of time as people say it: "30 minutes", "2 hours", "1 hour and 30 minutes"."""
    hours, rest = divmod(minutes, 60)
    parts = []
    if hours:
        parts.append("1 hour" if hours == 1 else f"{hours} hours")
    if rest or not hours:
        parts.append("1 minute" if rest == 1 else f"{rest} minutes")
    return " and ".join(parts)


def idle_minutes(user: User) -> int:
    config = current_app.config
    return int(
        config["SESSION_IDLE_MINUTES_YOUNG_PEOPLE" if user.role_enum.is_young else "SESSION_IDLE_MINUTES_ADULTS"]
    )


def _signed_in_idle_minutes() -> int:
    """The signed-in person's idle limit, worked out once a request: before the
    view, since reading the person's role after an operation's commit would
    load their row again (#16)."""
    if "idle_minutes" not in g:
        g.idle_minutes = idle_minutes(current_user._get_current_object())
    return int(g.idle_minutes)


def max_age_minutes() -> int:
    return int(current_app.config["SESSION_MAX_AGE_HOURS"]) * 60


def session_limits() -> dict[str, str]:
    """The limits in words, for the privacy notice and the accessibility statement."""
    config = current_app.config
    warn = int(config["SESSION_WARN_SECONDS"])
    return {
        "young_people": in_words(int(config["SESSION_IDLE_MINUTES_YOUNG_PEOPLE"])),
        "adults": in_words(int(config["SESSION_IDLE_MINUTES_ADULTS"])),
        "most": in_words(max_age_minutes()),
        "warning": in_words(warn // 60) if warn % 60 == 0 else f"{warn} seconds",
    }


def start() -> None:
    """At sign-in (the session was just cleared, the person signed in): the
    clock starts, and their idle limit is worked out before the sign-in's commit."""
    session[SIGNED_IN_AT] = session[ACTIVE_AT] = int(now())
    g.pop("idle_minutes", None)
    _signed_in_idle_minutes()


def limit_passed(user: User, signed_in_at: object, active_at: object, at: float) -> str | None:
    """The limit a session has passed at ``at``: "idle", "absolute" or None.
    If both, the one passed first. A session without its times (made before
    there were limits) has passed one: "unknown"."""
    if not isinstance(signed_in_at, int | float) or not isinstance(active_at, int | float):
        return "unknown"
    idle_end = active_at + idle_minutes(user) * 60
    absolute_end = signed_in_at + max_age_minutes() * 60
    if at <= min(idle_end, absolute_end):
        return None
    return "idle" if idle_end <= absolute_end else "absolute"


def _why(reason: str, user: User) -> str:
    """The message on the sign-in page, in words a 12-year-old understands."""
    if reason == "idle":
        because = f" because you had not done anything for {in_words(idle_minutes(user))}"
    elif reason == "absolute":
        because = f" because you were signed in for {in_words(max_age_minutes())}"
    else:
        because = " to keep your account safe"
    return f"You were signed out{because}. Sign in again to carry on."


def _page_sent_from() -> str | None:
    """The page a form was sent from, on this site: where to come back to,
    since the address a form is sent to may only take forms."""
    page = urlsplit(request.referrer or "")
    if page.netloc != request.host or not page.path:
        return None
    return page.path + ("?" + page.query if page.query else "")


def _to_sign_in():
    """Answer as the permission decorator answers someone signed out (401 with
    HX-Redirect for htmx); a form sent without htmx comes back to its page."""
    if is_htmx() or request.method in {"GET", "HEAD"}:
        return _ask_to_sign_in()
    return redirect(url_for("auth.sign_in", next=_page_sent_from()), 303)


def end_sessions_past_their_limits():
    """Before each request: a signed-in session past a limit ends, and the
    person is sent to sign in again, told why, and brought back afterwards.
    Otherwise the request counts as activity (autosaves too: typing is
    activity). Static files are not activity; nor are visitors' requests."""
    if request.endpoint == "static" or not current_user.is_authenticated:
        return None
    at = now()
    user = current_user._get_current_object()
    _signed_in_idle_minutes()  # worked out now, while the person's row is fresh
    reason = limit_passed(user, session.get(SIGNED_IN_AT), session.get(ACTIVE_AT), at)
    if reason is None:
        if at - session[ACTIVE_AT] >= STAMP_EVERY_SECONDS:
            session[ACTIVE_AT] = int(at)
        return None
    message = _why(reason, user)
    kept = session.get("_flashes", [])  # messages not yet shown survive the sign-out
    logout_user()
    session.clear()
    view = current_app.view_functions.get(request.endpoint or "")
    # The sign-in pages themselves carry on, signed out; every other page sends
    # the person to sign in. Built before the messages go back into the session,
    # so that the 401 body (a page of its own) does not use them up.
    response = None if getattr(view, "permission", None) == "account.sign_in" else _to_sign_in()
    session["_flashes"] = kept
    flash(message, SESSION_ENDED)
    return response


# The warning before a limit (static/js/session-timeout.mjs) -------------------------

# On every answer to a signed-in person: seconds until the idle limit as the
# server counts it (the last-activity time moves at most once a minute, so a
# request is not always a fresh start). The page's timer follows it exactly.
IDLE_ENDS_IN_HEADER = "Portal-Session-Idle-Ends-In"


def stay_signed_in() -> None:
    """The warning's "Stay signed in": activity now, even inside the once-a-minute window.
    The absolute limit never moves; past either limit the session has already
    ended before this runs (end_sessions_past_their_limits)."""
    session[ACTIVE_AT] = int(now())


def _seconds_left() -> tuple[int, int] | None:
    """Whole seconds until the idle and the absolute limit (rounded down, so
    the page never expects more time than the server gives); None for visitors."""
    signed_in_at, active_at = session.get(SIGNED_IN_AT), session.get(ACTIVE_AT)
    if not current_user.is_authenticated or not isinstance(signed_in_at, int | float):
        return None
    if not isinstance(active_at, int | float):
        return None
    at = now()
    idle_end = active_at + _signed_in_idle_minutes() * 60
    absolute_end = signed_in_at + max_age_minutes() * 60
    return max(0, math.floor(idle_end - at)), max(0, math.floor(absolute_end - at))


def session_timer() -> dict[str, str]:
    """What the warning script needs, as attributes of <body>; nothing for visitors."""
    left = _seconds_left()
    if left is None:
        return {}
    return {
        "data-session-idle-seconds": str(_signed_in_idle_minutes() * 60),
        "data-session-idle-ends-in-seconds": str(left[0]),
        "data-session-ends-in-seconds": str(left[1]),
        "data-session-warn-seconds": str(int(current_app.config["SESSION_WARN_SECONDS"])),
        "data-session-keep-alive-url": url_for("auth.keep_alive"),
        "data-session-sign-in-url": url_for("auth.sign_in"),
    }


def tell_the_page_the_time_left(response: Response) -> Response:
    """After each request: the idle time left, for the page's timer (htmx
    requests and "Stay signed in" read it). Static files are not activity."""
    if request.endpoint != "static":
        left = _seconds_left()
        if left is not None:
            response.headers[IDLE_ENDS_IN_HEADER] = str(left[0])
    return response


def limit_sessions(app: Flask) -> None:
    """Check the limits before every request and tell the page the time left;
    the privacy notice states the limits."""
    app.before_request(end_sessions_past_their_limits)
    app.after_request(tell_the_page_the_time_left)
    app.add_template_global(session_limits)
    app.add_template_global(session_timer)
