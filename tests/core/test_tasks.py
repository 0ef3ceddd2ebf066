"""Background jobs on a real queue (#16.1, portal/tasks.py): SQLite-backed
Huey, as ``make run`` has it, with the worker's loop run here step by step."""

from __future__ import annotations

import datetime as dt
from datetime import date, timedelta

import pytest
from aiosmtpd.controller import Controller
from flask import g, request

from portal import reminders, tasks
from portal.background import after_response
from portal.extensions import db
from portal.mail import send_mail_later
from portal.models import AuditEntry, ChairStatement, Consultation, Notification, StatementStatus
from tests.conftest import add_person, outbox_messages
from tests.core.test_mail import Collect, free_port

DONE: list[tuple] = []


def remember(*args: object) -> None:
    """A job: what it was given, and the request context it ran in."""
    DONE.append((*args, request.url_root, request.remote_addr, g.get("request_id")))


def fail_once(marker: str) -> None:
    if marker not in [d[0] for d in DONE]:
        DONE.append((marker,))
        raise RuntimeError("the database is away")
    DONE.append((marker, "again"))


@pytest.fixture
def queue(app, tmp_path, monkeypatch):
    """The portal's queue in an SQLite file, and no worker: tests run it."""
    DONE.clear()
    monkeypatch.setattr(tasks, "JOB_MODULES", ("portal.", "tests.core.test_tasks"))
    app.config["BACKGROUND_INLINE"] = False
    app.config["TASKS_URL"] = f"sqlite:///{tmp_path / 'tasks.db'}"
    tasks.init_app(app)
    try:
        yield tasks.huey
    finally:
        app.config["BACKGROUND_INLINE"] = True
        tasks.init_app(app)


def work(huey, later: float = 0) -> int:
    """What a worker does: every job due (``later`` seconds from now, for
    retries waiting their turn), in the order queued. How many ran."""
    ran = 0
    now = dt.datetime.now(dt.UTC).replace(tzinfo=None) + timedelta(seconds=later)
    for task in huey.read_schedule(now):
        huey.enqueue(task)
    while (task := huey.dequeue()) is not None:
        huey.execute(task, timestamp=now)
        ran += 1
    return ran


def test_a_job_waits_for_the_worker_and_runs_in_a_context_like_its_request(app, queue):
    with app.test_request_context(base_url="https://portal.example/", environ_base={"REMOTE_ADDR": "10.1.2.3"}):
        g.request_id = "abc123"
        after_response(remember, 7, "seven")
    assert DONE == []
    assert queue.pending_count() == 1
    assert work(queue) == 1
    assert DONE == [(7, "seven", "https://portal.example/", "10.1.2.3", "abc123")]


def test_a_failing_job_is_tried_again_later_not_lost(app, queue):
    with app.test_request_context():
        after_response(fail_once, "x")
    assert work(queue) == 1
    assert DONE == [("x",)]
    assert queue.scheduled_count() == 1  # waiting its turn, not run again at once
    assert work(queue) == 0
    assert work(queue, later=tasks.JOB_FIRST_WAIT + 1) == 1
    assert DONE == [("x",), ("x", "again")]


def test_only_portal_functions_run_as_jobs(app, queue):
    for name in ("os:system", "portal.tasks:huey.flush", "portal.tasks:"):
        with app.test_request_context(), pytest.raises(ValueError, match="Not a portal job"):
            tasks.run_in_context(name, ("true",), {})


def test_mail_is_kept_while_the_server_is_away_and_sent_when_it_is_back(app, queue, tmp_path):
    port = free_port()
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.test_request_context():
        send_mail_later("sam@test.example", "Your link", "Open this link")
    assert work(queue) == 1  # refused: nobody listens on the port
    assert queue.scheduled_count() == 1

    handler = Collect()
    server = Controller(handler, hostname="127.0.0.1", port=port)
    server.start()
    try:
        assert work(queue, later=tasks.MAIL_FIRST_WAIT + 1) == 1
    finally:
        server.stop()
    (message,) = handler.messages
    assert message["To"] == "sam@test.example"
    assert queue.scheduled_count() == 0


def test_each_wait_is_twice_the_one_before_and_the_last_try_keeps_the_mail(app, queue):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=free_port())
    with app.test_request_context():
        send_mail_later("sam@test.example", "Your link", "Open this link")
    waits = []
    wait = tasks.MAIL_FIRST_WAIT
    for _ in range(tasks.MAIL_RETRIES):
        work(queue, later=wait + 1)
        (task,) = queue.scheduled()
        waits.append(task.retry_delay)
        wait = task.retry_delay
    assert waits[:3] == [tasks.MAIL_FIRST_WAIT * 2, tasks.MAIL_FIRST_WAIT * 4, tasks.MAIL_FIRST_WAIT * 8]
    assert outbox_messages(app) == []
    assert work(queue, later=wait + 1) == 1  # the last try
    assert queue.scheduled_count() == 0
    (kept,) = (tmp_path_of(app) / "undelivered").glob("*.eml")
    assert b"sam@test.example" in kept.read_bytes()


def tmp_path_of(app):
    from pathlib import Path

    return Path(app.config["OUTBOX_DIR"])


def test_the_schedule_has_retention_at_night_and_reminders_in_the_morning():
    retention = tasks.nightly_retention.task_class()
    reminding = tasks.morning_reminders.task_class()
    night = dt.datetime(2026, 11, 30, 2, 30)
    morning = dt.datetime(2026, 11, 30, 8, 0)
    assert retention.validate_datetime(night) and not retention.validate_datetime(morning)
    assert reminding.validate_datetime(morning) and not reminding.validate_datetime(night)


def test_the_scheduled_jobs_do_their_work(app, queue, monkeypatch):
    ran = []
    monkeypatch.setattr("portal.retention.run", lambda now: ran.append("retention") or {})
    monkeypatch.setattr("portal.reminders.feedback_due", lambda today: ran.append("feedback") or 0)
    monkeypatch.setattr("portal.reminders.statement_due", lambda today: ran.append("statement") or 0)
    with app.app_context():
        tasks.nightly_retention()
        tasks.morning_reminders()
    assert work(queue) == 2
    assert ran == ["retention", "feedback", "statement"]


class TestReminders:
    def _consultation(self, partner, closes_on: date, **extra) -> int:
        consultation = Consultation(
            title="Bus fares",
            organisation="Transport",
            status="approved",
            opens_on=closes_on - timedelta(days=20),
            closes_on=closes_on,
            partner_id=partner.id,
            **extra,
        )
        db.session.add(consultation)
        db.session.commit()
        return consultation.id

    def test_feedback_due_reminds_the_partner_and_officers_once(self, app):
        today = date(2026, 11, 30)
        with app.test_request_context():
            officer = add_person("officer")
            partner = add_person("partner")
            young = add_person("young_person")
            late = self._consultation(partner, today - timedelta(days=14))
            self._consultation(partner, today - timedelta(days=13))  # not yet due
            self._consultation(partner, today - timedelta(days=14 + reminders.REMINDER_WINDOW_DAYS))  # long ago
            self._consultation(
                partner,
                today - timedelta(days=40),
                feedback="Done",
                feedback_published_at=None,
                feedback_submitted_at=dt.datetime(2026, 11, 1, tzinfo=dt.UTC),
            )  # waiting for approval
            assert reminders.feedback_due(today) == 1
            assert reminders.feedback_due(today) == 0  # once
            notes = db.session.scalars(db.select(Notification)).all()
            assert sorted(n.user_id for n in notes) == sorted([officer.id, partner.id])
            assert all(f"/{late}/" in n.link for n in notes)
            assert not any(n.user_id == young.id for n in notes)
        assert sorted(m["To"] for m in outbox_messages(app)) == sorted([officer.email, partner.email])

    def test_the_chair_is_reminded_of_a_statement_not_yet_sent(self, app):
        with app.test_request_context():
            chair = add_person("chair")
            member = add_person("youth_member")
            assert reminders.statement_due(date(2026, 11, 19)) == 0  # before the day
            assert reminders.statement_due(date(2026, 11, 20)) == 1
            assert reminders.statement_due(date(2026, 11, 21)) == 0  # once a month
            (note,) = db.session.scalars(db.select(Notification)).all()
            assert note.user_id == chair.id and note.user_id != member.id
            assert "November 2026 is not written yet" in note.message
            db.session.add(ChairStatement(month=date(2026, 12, 1), status=StatementStatus.SUBMITTED.value))
            db.session.commit()
            assert reminders.statement_due(date(2026, 12, 22)) == 0  # already with the Cabinet Member
            reminded = db.select(db.func.count(AuditEntry.id)).where(AuditEntry.action == reminders.STATEMENT_ACTION)
            assert db.session.scalar(reminded) == 1
