"""What browsers and caches may keep (#16.4).

- Signed-in pages: ``no-store`` (after signing out, Back must not show them).
- A visitor's page with nothing to send (no form that posts, no htmx post):
  no session cookie and a short public cache. The CSRF token the page was
  given (base.html puts one on every page, for htmx) is not kept in a new
  session, so no cookie is set: nothing on the page can use it. Caches may
  keep the page for ``VISITOR_PAGE_MAX_AGE`` seconds; ``Vary: Cookie`` (set
  because the session was read) keeps a signed-in person's page apart.
- A view that sets its own Cache-Control (a published version: immutable)
  keeps it.
"""

from __future__ import annotations

import re

from flask import Flask, Response, current_app, request, session
from flask_login import current_user

from portal.page_cache import served_from_cache

VISITOR_PAGE_MAX_AGE = 60
# Anything on a page that sends data back, and so needs the CSRF token in the session.
SENDS = re.compile(rb"<form[^>]*method=[\"']?post|data-hx-(post|put|patch|delete)=", re.IGNORECASE)
CSRF_KEY = "csrf_token"


def _is_a_quiet_visitor_page(response: Response) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and response.status_code == 200
        and response.mimetype == "text/html"
        and not response.direct_passthrough
        and not response.is_streamed
        and not current_user.is_authenticated
    )


def _new_session_holds_only_the_token() -> bool:
    had_cookie = current_app.config["SESSION_COOKIE_NAME"] in request.cookies
    return not had_cookie and set(session.keys()) <= {CSRF_KEY}


def register(app: Flask) -> None:
    @app.after_request
    def cache_rules(response: Response) -> Response:
        if request.endpoint in ("static", "images.show"):  # a picture sets its own (portal/images/routes.py)
            return response
        if served_from_cache():  # kept as it was sent, headers and all (portal/page_cache.py)
            return response
        if current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
            return response
        if not _is_a_quiet_visitor_page(response) or SENDS.search(response.get_data()):
            return response
        if _new_session_holds_only_the_token():
            session.pop(CSRF_KEY, None)
            session.modified = False  # an empty, unchanged new session sets no cookie at all
        if "Cache-Control" not in response.headers and not session:
            response.headers["Cache-Control"] = f"public, max-age=0, s-maxage={VISITOR_PAGE_MAX_AGE}"
        return response
