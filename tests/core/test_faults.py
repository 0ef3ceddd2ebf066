"""Faults (#16): the database away gives a branded 503 built without the
database, and the next request after it is back works; Redis away leaves the
rate limits on, in memory; /healthz and /readyz; the PostgreSQL time limits;
gunicorn's settings."""

from __future__ import annotations

import importlib
import logging
import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.pool import QueuePool

from portal.config import engine_options
from portal.database import RETURNED_AT, ping_when_idle
from portal.extensions import db, limiter
from tests.conftest import SAVEPOINT_STATEMENT, PortalClient, add_person, make_app
from tests.consultations.test_responding import answer_all, make_consultation, the_response, url

UNAVAILABLE = "Sorry, the service is unavailable"
WRITES = re.compile(r"\s*(INSERT|UPDATE|DELETE)\b", re.IGNORECASE)


class Outage:
    """Statements the database refused while it was "away", and those it ran."""

    def __init__(self, fails: Callable[[str], bool]) -> None:
        self.fails = fails
        self.refused = 0
        self.ran = 0
        self.message = "the database is away (a test)"

    def __call__(self, connection, _cursor, statement: str, *args) -> None:
        if SAVEPOINT_STATEMENT.match(statement):
            return  # the test's stand-ins for commits and rollbacks (tests/database.py)
        if self.fails(statement):
            self.refused += 1
            # The driver's own error, as when the server has gone: SQLAlchemy wraps it.
            raise connection.dialect.loaded_dbapi.OperationalError(self.message)
        self.ran += 1


@contextmanager
def database_away(app: Flask, fails: Callable[[str], bool] = lambda _statement: True) -> Iterator[Outage]:
    """Every statement (or those ``fails`` picks) fails as if the server had gone."""
    with app.app_context():
        engine = db.engine
    outage = Outage(fails)
    event.listen(engine, "before_cursor_execute", outage)
    try:
        yield outage
    finally:
        event.remove(engine, "before_cursor_execute", outage)


def after(count: int) -> Callable[[str], bool]:
    """The database goes away after ``count`` statements have run."""
    seen = []

    def fails(_statement: str) -> bool:
        seen.append(1)
        return len(seen) > count

    return fails


def assert_unavailable(answer, sent: bool = False) -> str:
    page = answer.get_data(as_text=True)
    assert answer.status_code == 503, page
    assert answer.headers["Retry-After"] == "30"
    assert answer.headers["Cache-Control"] == "no-store"
    assert UNAVAILABLE in page and "Try again in a few minutes." in page
    assert "govuk-header" in page and "govuk-footer" in page  # the portal's look
    assert ("Your answers were not sent." in page) is sent
    assert "saved" not in page.lower() and "have been sent" not in page
    return page


def test_a_page_while_the_database_is_away_is_a_branded_503_built_without_it(app, client):
    with database_away(app) as outage:
        answer = client.get("/")
    page = assert_unavailable(answer)
    assert outage.refused == 1 and outage.ran == 0  # the home page's query, and nothing while building the 503
    assert "Sign in" not in page  # no menu: its pages need the database too
    assert client.get("/").status_code == 200  # back without a restart


def test_while_the_database_is_away_its_traceback_is_logged_once_a_minute_not_per_request(
    app, client, caplog, monkeypatch
):
    from portal import errors

    monkeypatch.setattr(errors, "_traceback_logged_at", {})
    with caplog.at_level(logging.ERROR, logger="portal.errors"), database_away(app):
        answers = [client.get("/").status_code for _ in range(3)]
    with caplog.at_level(logging.ERROR, logger="portal.errors"), database_away(app) as outage:
        outage.message = "canceling statement due to statement timeout"  # another kind: its traceback too
        answers.append(client.get("/").status_code)
    lines = [record for record in caplog.records if "database is unavailable" in record.getMessage()]
    assert answers == [503, 503, 503, 503] and len(lines) == 4
    assert [record.exc_info is not None for record in lines] == [True, False, False, True]
    assert "the database is away (a test)" in lines[1].getMessage()


def test_signed_in_the_503_reads_nothing_and_the_person_stays_signed_in(app, client, signed_in):
    signed_in("officer")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "Invitation sent")]
    # The account is loaded (1 statement), then the page's own query fails:
    # the rolled-back account must not be read again for the menu, the
    # "no-store" hook or the session timer.
    with database_away(app, after(1)) as outage:
        answer = client.get("/dashboard")
    page = assert_unavailable(answer)
    assert outage.ran == 1 and outage.refused == 1
    assert "Sign out" not in page and "Invitation sent" not in page
    with database_away(app) as outage:  # the account itself cannot be loaded
        assert_unavailable(client.get("/dashboard"))
    assert outage.refused == 1 and outage.ran == 0
    back = client.get("/dashboard")
    assert back.status_code == 200
    assert "Invitation sent" in back.get_data(as_text=True)  # the message waited for a real page


def test_answers_sent_while_the_database_is_away_are_not_sent_and_can_be_sent_again(app, client, signed_in):
    ids = make_consultation(app)
    person = signed_in("young_person")
    assert client.submit(url(ids)).status_code == 303
    answer_all(client, ids)
    token = client.csrf_token()
    with database_away(app, lambda statement: bool(WRITES.match(statement))) as outage:
        answer = client.post(url(ids, "/submit"), data={"csrf_token": token, "tell_me": "yes"})
    assert_unavailable(answer, sent=True)
    assert outage.refused == 1
    response = the_response(app, ids, person.id)
    assert response is not None and response.status == "in_progress" and response.submitted_at is None
    sent = client.submit(url(ids, "/submit"), {"tell_me": "yes"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(url(ids, "/done"))
    response = the_response(app, ids, person.id)
    assert response is not None and response.status == "submitted"


def test_an_autosave_while_the_database_is_away_is_a_503_htmx_does_not_swap(app, client, signed_in):
    ids = make_consultation(app)
    signed_in("young_person")
    assert client.submit(url(ids)).status_code == 303
    token = client.csrf_token()
    with database_away(app, lambda statement: bool(WRITES.match(statement))):
        answer = client.post(
            url(ids, f"/{ids.short}"),
            data={"csrf_token": token, "action": "continue", f"q{ids.short}": "The park"},
            headers={"HX-Request": "true"},
        )
    assert_unavailable(answer, sent=True)


def test_a_database_that_cannot_be_reached_at_all_gives_the_503(tmp_path):
    """A real connection failure: a port nobody listens on (PostgreSQL), a
    folder that does not exist (SQLite)."""
    if os.environ.get("PORTAL_DATABASE_URL", "").startswith("postgresql"):
        away = "postgresql+psycopg://postgres@127.0.0.1:1/portal_test"
    else:
        away = f"sqlite:///{tmp_path / 'no-such-folder' / 'portal.db'}"
    app = make_app(tmp_path, database_url=away)
    app.test_client_class = PortalClient
    client = app.test_client()
    assert_unavailable(client.get("/"))
    assert_unavailable(client.sign_in("someone@test.example"), sent=True)
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json() == {"database": "unavailable", "redis": "not used"}


# Health checks ----------------------------------------------------------------


def test_healthz_answers_without_the_database_or_a_cookie(app, client, count_queries):
    with database_away(app) as outage, count_queries() as counter:
        answer = client.get("/healthz")
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "ok\n"
    assert answer.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in answer.headers
    assert outage.refused == 0 and counter.count == 0


def test_readyz_says_whether_the_database_answers(app, client):
    ready = client.get("/readyz")
    assert ready.status_code == 200 and ready.get_json() == {"database": "ok", "redis": "not used"}
    assert ready.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in ready.headers
    with database_away(app):
        away = client.get("/readyz")
    assert away.status_code == 503 and away.get_json() == {"database": "unavailable", "redis": "not used"}
    assert away.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in away.headers
    assert client.get("/readyz").status_code == 200


# Redis away -------------------------------------------------------------------


@pytest.fixture
def redis_away(app, tmp_path) -> Iterator[Flask]:
    """An app whose rate limits are counted in a Redis that does not answer."""
    away = make_app(tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1", SIGN_IN_LIMIT_PER_ACCOUNT="2 per 15 minutes")
    away.test_client_class = PortalClient
    try:
        yield away
    finally:
        # The limiter is one object shared by every app: give it its memory back
        # (init_app does not clear Flask-Limiter's "storage is dead" flag).
        limiter._storage_dead = False
        make_app(tmp_path)
        limiter.reset()


def test_with_redis_away_signing_in_works_and_the_limits_still_count(app, redis_away, caplog):
    with redis_away.app_context():
        person = add_person("young_person")
    client = redis_away.test_client()
    with caplog.at_level(logging.WARNING, logger="flask-limiter"):
        assert client.sign_in(person.email).status_code == 303
    assert "falling back to in-memory storage" in caplog.text
    assert client.submit("/sign-out").status_code == 303
    assert client.sign_in(person.email, "wrong password").status_code == 422
    refused = client.sign_in(person.email, "wrong password")
    assert refused.status_code == 429  # the per-account limit (2), counted in memory
    ready = client.get("/readyz")
    assert ready.status_code == 503 and ready.get_json() == {"database": "ok", "redis": "unavailable"}


# Settings ---------------------------------------------------------------------


def test_postgresql_connections_have_time_limits():
    settings = {"DB_CONNECT_TIMEOUT_SECONDS": 5, "DB_STATEMENT_TIMEOUT_MS": 15000, "DB_LOCK_TIMEOUT_MS": 5000}
    options = engine_options("postgresql+psycopg://portal@db/portal", settings, production=True)
    assert options == {
        "hide_parameters": True,
        "connect_args": {"connect_timeout": 5, "options": "-c statement_timeout=15000 -c lock_timeout=5000"},
    }
    assert engine_options("sqlite:///portal.db", settings, production=False) == {"hide_parameters": False}


def test_the_time_limits_reach_the_database(app):
    """PostgreSQL's statement and lock timeouts; SQLite's wait for the write lock
    (tests/core/test_concurrent_writes.py). CI runs the suite on both."""
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            assert db.session.execute(text("SHOW statement_timeout")).scalar() == "15s"
            assert db.session.execute(text("SHOW lock_timeout")).scalar() == "5s"
            return
        connection = db.engine.raw_connection()  # outside the test's transaction
        try:
            assert connection.execute("PRAGMA busy_timeout").fetchone()[0] == 30_000
        finally:
            connection.close()


def test_gunicorn_settings(monkeypatch):
    monkeypatch.setattr("multiprocessing.cpu_count", lambda: 64)
    settings = importlib.reload(importlib.import_module("portal.gunicorn_conf"))
    assert settings.workers == 8  # 2 x cores + 1, capped
    assert settings.workers_for(1) == 3 and settings.workers_for(2) == 5
    assert settings.timeout == 30 and settings.graceful_timeout == 30 and settings.keepalive == 5
    assert (settings.max_requests, settings.max_requests_jitter) == (20000, 2000)
    assert settings.accesslog == "-" and "%({x-request-id}o)s" in settings.access_log_format
    assert "-c portal/gunicorn_conf.py wsgi:app" in (Path(__file__).parents[2] / "README.md").read_text()


# Idle connections tested before use ---------------------------------------------


def _pooled(tmp_path, idle_seconds: float):
    """An engine with the portal's idle test, and the record of its one pooled connection."""
    engine = create_engine(f"sqlite:///{tmp_path / 'ping.db'}", poolclass=QueuePool, pool_size=1, max_overflow=0)
    ping_when_idle(engine, idle_seconds)
    with engine.connect() as connection:
        record = connection.connection._connection_record
    return engine, record


def test_a_connection_that_sat_idle_and_no_longer_answers_is_replaced_before_use(tmp_path):
    engine, record = _pooled(tmp_path, idle_seconds=10)
    record.dbapi_connection.close()  # the database went away and came back while it sat in the pool
    record.info[RETURNED_AT] -= 60
    with engine.connect() as connection:
        assert connection.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_a_connection_in_steady_use_is_not_tested_first(tmp_path):
    """No extra round trip per request: a connection given back a moment ago
    is used as it is (if its database has gone, that request gets the 503)."""
    engine, record = _pooled(tmp_path, idle_seconds=10)
    record.dbapi_connection.close()
    with pytest.raises(DBAPIError), engine.connect() as connection:
        connection.execute(text("SELECT 1"))
    with engine.connect() as connection:  # the failure dropped it: the next one connects afresh
        assert connection.execute(text("SELECT 1")).scalar() == 1
    engine.dispose()


def test_the_access_log_keeps_the_page_but_not_a_links_token():
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    from portal.access_log import RedactingLogger

    logger = RedactingLogger(Config())
    token = "IjEyOjMi.ZxYw.secret-part_of-the-link"
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/reset-password/{token}?from=mail",
        "PATH_INFO": f"/reset-password/{token}",
        "QUERY_STRING": "from=mail",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": f"https://portal.example/invitation/{token}",
        "REMOTE_ADDR": "203.0.113.9",
    }
    response = SimpleNamespace(status="200 OK", sent=512, headers=[("X-Request-ID", "abc")])
    atoms = logger.atoms(
        response, SimpleNamespace(headers=[("Referer", environ["HTTP_REFERER"])]), environ, timedelta(0)
    )
    logged = repr(atoms)
    assert token not in logged
    assert atoms["r"] == "GET /reset-password/[token]?from=mail HTTP/1.1"
    assert atoms["U"] == "/reset-password/[token]" and atoms["f"] == "https://portal.example/invitation/[token]"
    assert atoms["{x-request-id}o"] == "abc" and atoms["h"] == "203.0.113.9"
    settings = importlib.reload(importlib.import_module("portal.gunicorn_conf"))
    assert settings.logger_class == "portal.access_log.RedactingLogger"
