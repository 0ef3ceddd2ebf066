"""Background jobs (#16.1) on Huey: work that must not make a page wait or be
lost when it fails (mail, the published update's PDF and Word, exports), and
work done on a schedule (retention, reminders).

Where the queue lives (``PORTAL_TASKS_URL``):
- unset: an SQLite file, ``instance/tasks.db``, beside the portal's own
  database; ``make run`` starts a worker beside the web server;
- ``redis://...``: Redis, for production (README.md, "Production");
- tests (``BACKGROUND_INLINE``): every job runs at once, in the request.

A worker is ``huey_consumer portal.worker.huey``: it builds the app once, and
each job runs in a request context of its own (links are built with
``url_for``), so with its own database session. Jobs are named by their
module and function and take plain values (ids, strings), never rows: a job
may run on another machine, after the row has changed.

A job that raises is tried again later, each wait twice the one before: a
mail server or a database that is away for a while loses nothing. What never
succeeds is logged, and a mail is kept in ``instance/outbox/undelivered/``.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask, current_app, g, has_app_context
from huey import Huey, crontab
from huey.api import Task
from huey.storage import MemoryStorage, RedisStorage, SqliteStorage

from portal.database import BACKGROUND, READS_FIRST

log = logging.getLogger(__name__)

# Jobs in tests and before ``init_app``: run at once (Huey's "immediate" mode).
huey = Huey("portal", results=False, immediate=True, storage_class=MemoryStorage)

# The app jobs run in when no app is current (a worker's threads).
_app: Flask | None = None

# How a failed job is tried again: after 30 s, 1 min, 2 min ... (8 tries, about
# 2 hours in all) for mail; after 10 s, 20 s, 40 s for other work.
MAIL_RETRIES, MAIL_FIRST_WAIT = 8, 30
JOB_RETRIES, JOB_FIRST_WAIT = 3, 10


def init_app(app: Flask) -> None:
    """Point the queue where the settings say (the last app built in a process
    wins: a web worker and a queue worker each build one)."""
    global _app
    _app = app
    if app.config["BACKGROUND_INLINE"]:
        huey.immediate = True
        return
    url = str(app.config["TASKS_URL"] or "")
    storage_class: type
    kwargs: dict[str, Any]
    if url.startswith(("redis://", "rediss://", "unix://")):
        storage_class, kwargs = RedisStorage, {"url": url}
    else:
        path = url.removeprefix("sqlite:///") if url else str(Path(app.instance_path) / "tasks.db")
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        storage_class, kwargs = SqliteStorage, {"filename": path, "timeout": 30}
    huey._immediate = False
    huey.storage_class = storage_class
    huey.storage_kwargs = kwargs
    huey.storage = huey.create_storage()


# A job's name comes back from the queue's storage: only these modules' functions run.
JOB_MODULES: tuple[str, ...] = ("portal.",)


def name_of(job: Callable[..., object]) -> str:
    return f"{job.__module__}:{job.__qualname__}"


def _job_called(name: str) -> Callable[..., object]:
    module, _, function = name.partition(":")
    if not module.startswith(JOB_MODULES) or "." in function or not function:
        raise ValueError(f"Not a portal job: {name!r}")
    job = getattr(importlib.import_module(module), function)
    if not callable(job):
        raise ValueError(f"Not a portal job: {name!r}")
    return job


def _app_for_job() -> Flask:
    if has_app_context():
        return current_app._get_current_object()  # type: ignore[attr-defined]
    if _app is None:  # a worker that imported this module without portal.worker
        from portal import create_app

        create_app()
    assert _app is not None
    return _app


def run_in_context(name: str, args: tuple, context: dict[str, Any]) -> None:
    """Run the job ``name`` in a request context of its own, keeping the
    request's address, id and URL root (the security log, audit entries and
    links read as if written in the request)."""
    app = _app_for_job()
    job = _job_called(name)
    environ: dict[str, object] = {"REMOTE_ADDR": context.get("remote_addr", "")}
    # It writes: SQLite takes the write lock at each transaction's start (portal/database.py),
    # unless the job says it reads for long first (``reads_first``).
    environ[BACKGROUND] = READS_FIRST if getattr(job, "reads_first", False) else True
    base_url = context.get("base_url") or str(app.config["BASE_URL"])
    with app.test_request_context(base_url=base_url, environ_base=environ):
        if context.get("request_id"):
            g.request_id = context["request_id"]
        job(*args)


def reads_first(job: Callable[..., object]) -> Callable[..., object]:
    """Mark a job whose transactions must not take SQLite's write lock at their
    start: it reads for long, and each write is a short transaction of its own
    that begins with the write (portal/database.py)."""
    job.reads_first = True  # type: ignore[attr-defined]
    return job


@huey.task(retries=JOB_RETRIES, retry_delay=JOB_FIRST_WAIT, retry_backoff=2, name="portal.job")
def run_job(name: str, args: tuple, context: dict[str, Any]) -> None:
    run_in_context(name, args, context)


@huey.task(retries=MAIL_RETRIES, retry_delay=MAIL_FIRST_WAIT, retry_backoff=2, context=True, name="portal.mail")
def deliver_mail(to: str, subject: str, body: str, context: dict[str, Any], task: Task | None = None) -> None:
    """One mail, tried again while the server refuses it; kept in the outbox's
    ``undelivered`` folder after the last try."""
    from portal import mail

    last_try = task is None or not task.retries or huey.immediate
    run_in_context(name_of(mail.deliver), (to, subject, body, last_try), context)


# The schedule, in UTC (Huey's clock). Each is idempotent: a missed or
# repeated run changes nothing it should not.
@huey.periodic_task(crontab(minute="30", hour="2"), retries=2, retry_delay=600, name="portal.retention")
def nightly_retention() -> None:
    from portal import retention

    run_in_context(name_of(retention.run_on_schedule), (), {})


@huey.periodic_task(crontab(minute="0", hour="8"), retries=2, retry_delay=600, name="portal.reminders")
def morning_reminders() -> None:
    from portal import reminders

    run_in_context(name_of(reminders.send_due), (), {})
