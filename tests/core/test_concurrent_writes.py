"""Many people writing at the same moment lose nothing, on SQLite (the
embedded default: WAL, a busy timeout and BEGIN IMMEDIATE, portal/database.py)
as on PostgreSQL (#16.2). Requests race on threads against a file database
with real commits; CI runs this file on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.database import BACKGROUND, may_write
from portal.extensions import db
from portal.models import ChairStatement, Response, StatementRevision
from portal.statements.operations import current_month
from tests.conftest import PortalClient, add_person, at_the_same_moment
from tests.consultations.test_responding import a_class_sends_at_once, assert_counters_match, make_consultation
from tests.factories import ChairStatementFactory, PortfolioFactory

PUPILS = 200


def test_sqlite_waits_for_its_turn_and_writes_ahead(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":  # PostgreSQL needs none of this
            assert db.engine.dialect.name == "postgresql"
            return
        # A raw connection: no transaction (the test's own holds the write lock).
        connection = db.engine.raw_connection()
        try:
            assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        finally:
            connection.close()


def test_only_reading_requests_begin_without_the_write_lock(app):
    with app.test_request_context("/", method="GET"):
        assert not may_write()
    with app.test_request_context("/", method="POST"):
        assert may_write()
    with app.app_context():
        assert may_write()  # commands
    with app.test_request_context("/", method="GET", environ_base={BACKGROUND: True}):
        assert may_write()  # work done after the answer


@pytest.mark.commits
def test_a_year_group_sending_at_once_is_stored_whole(app):
    """200 young people send their answers at the same moment: all 200 are
    stored and counted, none gets an error (#16: SQLite stored 183 of 200)."""
    ids = make_consultation(app)
    statuses = a_class_sends_at_once(app, ids, PUPILS)
    assert statuses == [303] * PUPILS
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == PUPILS
    with app.app_context():
        sent = db.session.scalar(select(func.count(Response.id)).where(Response.submitted_at.is_not(None)))
        assert sent == PUPILS


@pytest.mark.commits
def test_twenty_autosaves_on_one_version_keep_one_and_lose_no_text(app):
    """Twenty tabs autosave the Chair's statement from the same version at the
    same moment: one is saved, nineteen are told it changed elsewhere, and
    every text typed is kept as a revision (#16: SQLite lost text in 6 of 12 trials)."""
    month = current_month()
    app.test_client_class = PortalClient
    with app.app_context():
        chair = add_person("chair")
        cabinet_member = add_person("cabinet_member")
        PortfolioFactory(name="Children and Young People", cabinet_member=cabinet_member)
        ChairStatementFactory(month=month, text="First words.", created_by=chair)
        db.session.commit()
    client = app.test_client()
    assert client.sign_in(chair.email).status_code == 303
    token = client.csrf_token()  # first: making the token changes the session cookie
    cookie = client.get_cookie("session")
    tabs = []
    for _ in range(20):
        tab = app.test_client()
        tab.set_cookie("session", cookie.value)
        tabs.append(tab)
    texts = [f"Words typed in tab {n}." for n in range(20)]
    statuses = at_the_same_moment(
        [
            lambda tab=tab, words=words: tab.post(
                f"/statements/{month:%Y-%m}",
                data={"text": words, "base_version": "1", "csrf_token": token},
                headers={"HX-Request": "true"},
            )
            for tab, words in zip(tabs, texts, strict=True)
        ]
    )
    assert sorted(statuses) == [200] + [409] * 19, statuses
    with app.app_context():
        statement = db.session.scalar(select(ChairStatement).where(ChairStatement.month == month))
        assert statement.version == 2 and statement.text in texts
        kept = db.session.scalars(select(StatementRevision.text).where(StatementRevision.statement_id == statement.id))
        assert set(texts) <= set(kept)
