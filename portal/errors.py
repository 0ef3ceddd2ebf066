"""Error pages in the portal's look: never a stack trace."""

from __future__ import annotations

import logging
import time

from flask import Flask, g, make_response, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError
from sqlalchemy import exc as sa_exc
from werkzeug.exceptions import HTTPException, InternalServerError

from portal.security_log import security_event

log = logging.getLogger(__name__)

# Plain words for each answer, for a reader of 12.
MESSAGES: dict[int, tuple[str, str]] = {
    400: ("Something was wrong with that request", "Go back, reload the page and try again."),
    401: ("You need to sign in", "Sign in, then try again."),
    403: (
        "You cannot see this page",
        "Your account is not allowed to do this. If you think it should be, ask a council officer.",
    ),
    404: ("Page not found", "Check the web address is typed correctly. The page may have moved or been removed."),
    405: ("That did not work", "This page cannot be used that way. Go back and try again."),
    413: ("That was too much to send", "What you sent is too big. Make it shorter and try again."),
    429: ("You have tried too many times", "Wait 15 minutes, then try again."),
    500: ("Sorry, something went wrong on our side", "Nothing you did caused this. Try again in a few minutes."),
}


# The database is away (stopped, restarting, unreachable) or did not answer in
# time: a connection refused or lost, a statement or lock timeout on PostgreSQL
# (psycopg's OperationalError, which SQLAlchemy wraps), no free connection in the pool.
DATABASE_AWAY = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.DisconnectionError, sa_exc.TimeoutError)
# Seconds, in the 503's Retry-After: a restart or a failover takes about this long.
RETRY_AFTER_SECONDS = 30
# Set on ``g`` while the "service unavailable" page is built: base.html and
# the hooks after the request leave out what needs the database.
UNAVAILABLE = "database_away"


def render_error(code: int, detail: str | None = None):
    title, message = MESSAGES.get(code, MESSAGES[500] if code >= 500 else MESSAGES[400])
    return render_template("errors/error.html", code=code, title=title, message=detail or message), code


def _wait(error: HTTPException) -> str:
    """How long to wait, in words, from the rate limit that was hit."""
    limit = getattr(error, "limit", None)
    seconds = limit.limit.get_expiry() if limit is not None else 900
    if seconds >= 86400:
        days = round(seconds / 86400)
        return "a day" if days == 1 else f"{days} days"
    if seconds >= 3600:
        hours = round(seconds / 3600)
        return "an hour" if hours == 1 else f"{hours} hours"
    minutes = max(1, round(seconds / 60))
    return "a minute" if minutes == 1 else f"{minutes} minutes"


# While the database is away every request fails the same way: each kind of
# failure (its class and first line: a refused connection, a statement timeout)
# has its traceback logged at most once a minute per worker, and otherwise one line.
TRACEBACK_EVERY_SECONDS = 60
_traceback_logged_at: dict[tuple[str, str], float] = {}


def _log_unavailable(error: Exception) -> None:
    at = time.monotonic()
    first_line = (str(getattr(error, "orig", None) or error).strip().splitlines() or [""])[0][:200]
    kind = (error.__class__.__name__, first_line)
    last = _traceback_logged_at.get(kind)
    if last is None or at - last >= TRACEBACK_EVERY_SECONDS:
        if len(_traceback_logged_at) > 100:  # a bounded memory of kinds
            _traceback_logged_at.clear()
        _traceback_logged_at[kind] = at
        log.error("The database is unavailable: %s", error.__class__.__name__, exc_info=error)
        return
    log.error(
        "The database is unavailable: %s: %s (this kind's traceback is logged at most once a minute)",
        error.__class__.__name__,
        first_line,
    )


def service_unavailable(error: Exception):
    """The branded 503 for a database that is away, built without the database:
    the signed-in person (Flask-Login would load them again, or refresh them
    after the rollback) counts as signed out for the rest of this request only;
    their session is left as it was, so they are still signed in next time."""
    _log_unavailable(error)
    from portal.extensions import db, limiter, login_manager

    g.setdefault(UNAVAILABLE, True)
    try:
        db.session.rollback()
    except Exception:  # the connection may be gone too: the pool drops it
        log.warning("Rollback failed while the database was unavailable", exc_info=True)
    login_manager._update_request_context_with_user()  # anonymous, without a query
    response = make_response(
        render_template("errors/unavailable.html", code=503, sent_something=request.method not in {"GET", "HEAD"}),
        503,
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    # Flask-Limiter would put the rate limit's window (15 minutes at sign-in)
    # in Retry-After instead: a 503 says when to come back, not a limit.
    limiter.context.view_rate_limit = None
    response.headers["Cache-Control"] = "no-store"
    return response


def register(app: Flask) -> None:
    for database_error in DATABASE_AWAY:
        app.register_error_handler(database_error, service_unavailable)

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError):
        return render_error(
            400, "This form was open too long or was sent from somewhere else. Go back, reload the page and try again."
        )

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if error.code and error.code < 400:
            return error
        # The database went away while another error page was being built (a
        # 404's security log line reads who is signed in): Flask hands it on as a 500.
        original = getattr(error, "original_exception", None)
        if isinstance(original, DATABASE_AWAY):
            return service_unavailable(original)
        code = error.code or 500
        if code == 429:
            limit = getattr(error, "limit", None)
            security_event(
                "rate_limit.exceeded",
                user=current_user,
                endpoint=request.endpoint,
                method=request.method,
                limit=limit.limit if limit is not None else None,
            )
            # A limit may say in its own words what was done too often (portal/people/routes.py).
            reason = (
                error.description if limit is not None and limit.error_message else "You have tried too many times."
            )
            return render_error(429, f"{reason} Wait {_wait(error)}, then try again.")
        if code == 403:
            security_event(
                "access.refused", user=current_user, endpoint=request.endpoint, method=request.method, path=request.path
            )
        return render_error(code)

    @app.errorhandler(Exception)
    def unexpected_error(error: Exception):
        log.exception("Unhandled error", exc_info=error)
        from portal.extensions import db

        db.session.rollback()
        return render_error(InternalServerError.code)
