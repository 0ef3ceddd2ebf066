"""Work done after a page has answered, so that how long the page takes tells
nothing about it (whether an email address has an account, how slow a mail
server is), and so that a failure is tried again rather than lost: a job on
the queue (portal/tasks.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import current_app, has_request_context, request

from portal import tasks
from portal.security_log import request_id


def context_of_request() -> dict[str, Any]:
    """What a job keeps of the request that asked for it: its address, id and
    URL root (links in mails point where the person was)."""
    if not has_request_context():
        return {"base_url": str(current_app.config["BASE_URL"]), "request_id": request_id()}
    return {"base_url": request.url_root, "remote_addr": request.remote_addr or "", "request_id": request_id()}


def after_response(job: Callable[..., object], *args: object) -> None:
    """Run ``job(*args)`` without making the request wait, on the queue (a
    worker, with retries; pass ids, not rows: operations it calls commit their
    own work). With BACKGROUND_INLINE (tests) it runs at once, in a request
    context of its own, so that a test can read the outbox straight after."""
    if current_app.config["BACKGROUND_INLINE"]:  # errors reach the test
        tasks.run_in_context(tasks.name_of(job), args, context_of_request())
        return
    tasks.run_job(tasks.name_of(job), args, context_of_request())
