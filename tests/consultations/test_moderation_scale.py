"""The moderation queue and the officers' home at a county's scale (#16): a
page of waiting or decided answers is read in the order of its index, not
sorted from all of them; the waiting count stops at a cap ("more than 500");
the pages run the same number of queries whatever the number of answers."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import event, inspect

from portal.consultations.results import moderation as mod
from portal.extensions import db
from portal.models.base import utcnow
from tests.consultations.test_results import make_consultation
from tests.factories import AnswerFactory, ResponseFactory

QUEUE = "/consultations/moderation"


@pytest.fixture
def state(app, people):
    """make_consultation's two waiting answers: "quiet", then "flagged" (an email address)."""
    with app.app_context():
        return make_consultation(people)


@pytest.fixture
def officer(client, signed_in):
    signed_in("officer")
    return client


def add_answers(app, state, count: int, *, flags: str = "", start: int = 0, **fields) -> None:
    """``count`` sent written answers, each in a response of its own, numbered from ``start``."""
    with app.app_context():
        for n in range(start, start + count):
            response = ResponseFactory(consultation_id=state["consultation"], submitted=True)
            AnswerFactory(
                response=response, question_id=state["text"], text=f"Answer number {n}.", flags=flags, **fields
            )
        db.session.commit()


def test_the_queue_and_the_home_run_the_same_queries_with_2_and_60_waiting(app, officer, state, count_queries):
    def queries() -> tuple[int, int]:
        counts = []
        for url in (QUEUE, "/dashboard"):
            with count_queries() as counter:
                assert officer.get(url).status_code == 200
            counts.append(counter.count)
        return counts[0], counts[1]

    small = queries()
    add_answers(app, state, 58)
    assert queries() == small


def test_the_oldest_50_are_listed_flagged_ones_first(app, officer, state):
    add_answers(app, state, mod.QUEUE_PAGE + 5)  # 0 .. 54, after "quiet" and "flagged"
    add_answers(app, state, 1, flags="a phone number", start=100)  # the newest, flagged
    page = officer.get(QUEUE).get_data(as_text=True)
    assert f"{mod.QUEUE_PAGE + 8} answers are waiting; the oldest {mod.QUEUE_PAGE} are below." in page
    # The two flagged answers first, oldest first; then the oldest others, up to 50 in all.
    assert page.index("sam@example.com") < page.index("Answer number 100.") < page.index("I like")
    assert page.index("I like") < page.index("Answer number 0.") < page.index(f"Answer number {mod.QUEUE_PAGE - 4}.")
    assert f"Answer number {mod.QUEUE_PAGE - 3}." not in page  # the 51st waits for the next look
    assert page.count('class="portal-moderation-item"') == mod.QUEUE_PAGE


def test_the_waiting_count_stops_at_the_cap(app, officer, state, monkeypatch):
    monkeypatch.setattr(mod, "WAITING_COUNTED", 3)
    add_answers(app, state, 1)
    page = officer.get(QUEUE).get_data(as_text=True)
    assert "3 answers are waiting." in page and 'id="moderation-waiting-total">3</span>' in page
    assert "3 written answers waiting to be read" in officer.get("/dashboard").get_data(as_text=True)

    add_answers(app, state, 2, start=1)  # 5 waiting: more than the cap
    page = officer.get(QUEUE).get_data(as_text=True)
    assert "More than 3 answers are waiting." in page
    assert 'Waiting for a decision (<span id="moderation-waiting-total">more than 3</span>)' in page
    assert "5 answers" not in page
    assert "More than 3 written answers waiting to be read" in officer.get("/dashboard").get_data(as_text=True)
    decided = officer.get(QUEUE + "?show=decided").get_data(as_text=True)
    assert 'id="moderation-waiting-total">more than 3</span>' in decided


def test_deciding_past_the_cap_keeps_the_capped_count(app, officer, state, monkeypatch):
    """The htmx answer to a decision refreshes the count with the same words."""
    monkeypatch.setattr(mod, "WAITING_COUNTED", 2)
    add_answers(app, state, 2)  # 4 waiting; 3 after the decision
    html = officer.submit(
        f"/consultations/answers/{state['quiet']}/moderate",
        {"decision": "approve", "reason": "", "themes": ""},
        headers={"HX-Request": "true"},
    ).get_data(as_text=True)
    assert "More than 2 answers are waiting." in html
    assert '<span id="moderation-waiting-total" data-hx-swap-oob="true">more than 2</span>' in html


INDEXES = {"ix_consultation_answer_waiting", "ix_consultation_answer_decided", "ix_consultation_answer_decided_all"}


def _plans(app, read) -> list[str] | None:
    """SQLite's plan of every statement ``read()`` runs, one string each. On
    PostgreSQL (whose planner picks by table statistics, so a test's few rows
    say nothing about 100,000: its plans were checked with EXPLAIN ANALYZE on
    bench/pages.py's data), None, once the indexes are known to be there."""
    with app.app_context():
        engine = db.engine
        if engine.dialect.name != "sqlite":
            names = {index["name"] for index in inspect(db.session.connection()).get_indexes("consultation_answer")}
            assert names >= INDEXES
            return None
        statements: list[tuple[str, tuple]] = []

        def seen(_connection, _cursor, statement, parameters, *_args) -> None:
            if statement.lstrip().upper().startswith("SELECT"):
                statements.append((statement, parameters))

        event.listen(engine, "before_cursor_execute", seen)
        try:
            read()
        finally:
            event.remove(engine, "before_cursor_execute", seen)
        connection = db.session.connection()
        return [
            " / ".join(row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql, params))
            for sql, params in statements
        ]


def test_the_queue_and_its_count_read_the_waiting_index_in_order(app, state):
    plans = _plans(app, mod.queue)
    if plans is None:
        return
    flagged, others, count = plans
    assert "USING INDEX ix_consultation_answer_waiting (moderation=? AND flags>?)" in flagged
    assert "USING INDEX ix_consultation_answer_waiting (moderation=? AND flags=?)" in others
    assert "TEMP B-TREE" not in others  # the flagged are few: sorting them is cheap; the others are not sorted
    # The count reads the waiting written answers alone (either partial index starts with them), up to the cap.
    (home,) = _plans(app, mod.waiting_count) or [""]
    for plan in (count, home):
        assert re.search(r"USING INDEX ix_consultation_answer_(waiting|decided) \(moderation=\?", plan), plan


@pytest.mark.parametrize(
    ("decision", "index"),
    [("", "ix_consultation_answer_decided_all"), ("hidden", "ix_consultation_answer_decided (moderation=?)")],
)
def test_the_decided_answers_are_read_in_order_from_their_index(app, state, people, decision, index):
    add_answers(app, state, 3, moderation="hidden", moderated_by_id=people["officer"].id, moderated_at=utcnow())
    plans = _plans(app, lambda: mod.decided(decision, None, 2))
    if plans is None:
        return
    listed, counted = plans
    assert index in listed and "TEMP B-TREE" not in listed
    assert re.search(r"ix_consultation_answer_decided\b(?!_all)", counted), counted  # the decided ones alone
