"""Work done after a page has answered, so that how long the page takes tells
nothing about it (whether an email address has an account, how slow a mail
server is)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from flask import current_app, g, has_request_context, request

from portal.database import BACKGROUND
from portal.security_log import request_id

log = logging.getLogger(__name__)


def after_response(task: Callable[..., object], *args: object) -> None:
    """Run ``task(*args)`` without making the request wait: on a thread of its
    own, in a request context of its own, so with its own database session
    (operations it calls commit their own work; pass ids, not rows). The
    context keeps this request's address, id and URL root, so the security log,
    audit entries and links read as if written in the request.

    With BACKGROUND_INLINE (tests) it runs at once, in the same kind of
    context, so that a test can read the outbox straight after."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    in_request = has_request_context()
    base_url = request.url_root if in_request else str(app.config["BASE_URL"])
    environ: dict[str, object] = {"REMOTE_ADDR": request.remote_addr or ""} if in_request else {}
    environ[BACKGROUND] = True  # it writes: SQLite takes the write lock at its start (portal/database.py)
    rid = request_id()

    def run() -> None:
        # A request context (not only an app context): links are built with url_for.
        with app.test_request_context(base_url=base_url, environ_base=environ):
            if rid:
                g.request_id = rid
            task(*args)

    if app.config["BACKGROUND_INLINE"]:
        run()
        return

    def run_logged() -> None:
        try:
            run()
        except Exception:
            log.exception("Work done after the answer failed: %s", getattr(task, "__name__", "task"))

    threading.Thread(target=run_logged, name="portal-after-response", daemon=True).start()
