"""Results read only counters (#16 item 4): the page runs the same queries
with 10 or 1,000 responses, reads answers only for a few quotes, a chart reads
only its own question's counters, and the theme counters every moderation
decision moves always equal the answers officers have read."""

from __future__ import annotations

import re
from collections import Counter
from contextlib import contextmanager

import pytest
from sqlalchemy import event, insert, select
from sqlalchemy.orm.attributes import set_committed_value

from portal.consultations import tally
from portal.consultations.results import moderation as mod
from portal.extensions import db
from portal.models import Answer, Moderation, Response, Tally, User
from tests.conftest import SAVEPOINT_STATEMENT
from tests.factories import ConsultationFactory, QuestionFactory


@contextmanager
def statements(app):
    """The SQL statements run inside the block (savepoints left out)."""
    seen: list[str] = []

    def listen(_connection, _cursor, statement, *args) -> None:
        if not SAVEPOINT_STATEMENT.match(statement):
            seen.append(" ".join(statement.split()))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def answered(people, size: int) -> dict[str, int]:
    """A closed consultation (a choice and a written question) with ``size``
    sent responses, counted by tally.count; every tenth written answer was
    read by an officer, approved with the theme 'Buses' (and some 'safety')."""
    consultation = ConsultationFactory(opens=-30, closes=-1, partner=people["partner"])
    single = QuestionFactory(consultation=consultation, kind="single", prompt="Which?", options=["Bus", "Walk"])
    text = QuestionFactory(consultation=consultation, kind="long_text", prompt="Anything else?")
    db.session.flush()
    first = (db.session.scalar(select(Response.id).order_by(Response.id.desc()).limit(1)) or 0) + 1
    ids = range(first, first + size)
    db.session.execute(
        insert(Response),
        [
            {"id": n, "consultation_id": consultation.id, "status": "submitted", "age_band": "14-16", "district": ""}
            for n in ids
        ],
    )
    answers = []
    for i, n in enumerate(ids):
        answers.append({"response_id": n, "question_id": single.id, "option": i % 2, "themes": []})
        read = i % 10 == 0
        answers.append(
            {
                "response_id": n,
                "question_id": text.id,
                "text": f"Answer {i}",
                "moderation": "approved" if read else "pending",
                "themes": (["Buses", "safety"] if i % 20 == 0 else ["Buses"]) if read else [],
            }
        )
    db.session.execute(insert(Answer), answers)
    for response in db.session.scalars(select(Response).where(Response.consultation_id == consultation.id)):
        tally.count(response, +1)
    db.session.commit()
    return {"consultation": consultation.id, "single": single.id, "text": text.id}


def theme_counters(consultation_id: int) -> dict[tuple[int, str], int]:
    return {
        (question_id, value): n
        for question_id, value, n in db.session.execute(
            select(Tally.question_id, Tally.value, Tally.count).where(
                Tally.consultation_id == consultation_id, Tally.dimension == tally.THEMES, Tally.count != 0
            )
        )
    }


def recounted(consultation_id: int) -> dict[tuple[int, str], int]:
    """The theme counters, counted again from the answers officers have read."""
    counted: Counter[tuple[int, str]] = Counter()
    for question_id, themes in db.session.execute(
        select(Answer.question_id, Answer.themes)
        .join(Response, Response.id == Answer.response_id)
        .where(
            Response.consultation_id == consultation_id,
            Response.status == "submitted",
            Answer.sent(),
            Answer.moderation.in_(mod.DECIDED),
        )
    ):
        counted[(question_id, "")] += 1
        for tag in {tag.lower() for tag in themes or []}:
            counted[(question_id, tag)] += 1
    return dict(counted)


class TestResultsAtScale:
    def test_the_page_runs_the_same_queries_at_10_and_1000_responses(self, app, client, people, signed_in):
        with app.app_context():
            small, big = answered(people, 10), answered(people, 1_000)
        signed_in("officer")
        seen: dict[int, list[str]] = {}
        for ids in (small, big):
            url = f"/consultations/{ids['consultation']}/results"
            client.get(url)  # warm-up
            with statements(app) as seen[ids["consultation"]]:
                page = client.get(url)
            assert page.status_code == 200
        small_sql, big_sql = seen[small["consultation"]], seen[big["consultation"]]
        assert len(small_sql) == len(big_sql)
        # Answers are read only for the first few quotes (a LIMIT per question), never to count.
        for statement in big_sql:
            if "consultation_answer" in statement:
                assert "LIMIT" in statement, statement
        # The themes come from the counters, right at 1,000 responses: 100 read, all 'buses', 50 'safety'.
        html = page.get_data(as_text=True)
        themes = html.split("Themes officers found")[1].split("</table>")[0]
        assert re.findall(r'portal-wrap"[^>]*>([a-z]+)</th>\s*<td[^>]*>(\d+)</td>\s*<td[^>]*>(\d+)%', themes) == [
            ("buses", "100", "100"),
            ("safety", "50", "50"),
        ]
        assert "1,000 people have answered" in html

    def test_a_chart_reads_only_its_own_questions_counters(self, app, client, people, signed_in, count_queries):
        with app.app_context():
            ids = answered(people, 20)
        signed_in("officer")
        url = f"/consultations/{ids['consultation']}/results/{ids['single']}.svg"
        client.get(url)  # warm-up
        with statements(app) as seen:
            response = client.get(url)
        assert response.status_code == 200
        assert not [statement for statement in seen if "consultation_answer" in statement]
        counters = [statement for statement in seen if "consultation_tally" in statement]
        assert len(counters) == 1 and "consultation_tally.question_id =" in counters[0]
        assert len(seen) <= 6  # the session's user, the consultation, the question, its counters
        # The same number whatever the number of responses.
        with app.app_context():
            more = answered(people, 300)
        url = f"/consultations/{more['consultation']}/results/{more['single']}.svg"
        client.get(url)
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        assert counter.count == len(seen)


class TestThemeCounters:
    @pytest.fixture
    def ids(self, app, people):
        with app.app_context():
            return answered(people, 3)

    def _answers(self, text_id: int) -> list[Answer]:
        return list(db.session.scalars(select(Answer).where(Answer.question_id == text_id).order_by(Answer.id)))

    def test_decisions_move_the_counters_with_the_answers(self, app, people, ids):
        with app.app_context():
            officer = db.session.get(User, people["officer"].id)
            assert officer is not None
            first, second, third = self._answers(ids["text"])  # the first was approved with 'Buses' and 'safety'
            consultation = ids["consultation"]
            assert (
                theme_counters(consultation)
                == recounted(consultation)
                == {
                    (ids["text"], ""): 1,
                    (ids["text"], "buses"): 1,
                    (ids["text"], "safety"): 1,
                }
            )
            mod.moderate(officer, second, "hide", "Names a teacher", "Buses, SAFETY, money")
            mod.moderate(officer, third, "approve", "", "")
            assert theme_counters(consultation) == recounted(consultation)
            assert theme_counters(consultation)[(ids["text"], "buses")] == 2
            # Back to the queue: no longer read, so no longer counted (its themes are kept for later).
            mod.change_decision(officer, first, "approved", "wait", "", "Buses, safety")
            assert theme_counters(consultation) == recounted(consultation)
            assert theme_counters(consultation)[(ids["text"], "")] == 2
            mod.change_decision(officer, second, "hidden", "approve", "", "money")
            assert (
                theme_counters(consultation)
                == recounted(consultation)
                == {
                    (ids["text"], ""): 2,
                    (ids["text"], "money"): 1,
                }
            )
            # Sending changes takes the sent answers out of the counters and counts the new ones.
            response = db.session.get(Response, second.response_id)
            tally.count(response, -1)
            assert (ids["text"], "money") not in theme_counters(consultation)
            tally.count(response, +1)
            db.session.commit()
            assert theme_counters(consultation) == recounted(consultation)

    def test_an_answer_decided_meanwhile_is_not_counted_twice(self, app, people, ids):
        with app.app_context():
            officer = db.session.get(User, people["officer"].id)
            assert officer is not None
            second = self._answers(ids["text"])[1]
            mod.moderate(officer, second, "approve", "", "Buses")
            # Another officer's form, loaded before the first decision: still "pending" in their hands.
            set_committed_value(second, "moderation", Moderation.PENDING.value)
            with pytest.raises(mod.ModerationError):
                mod.moderate(officer, second, "approve", "", "Buses")
            assert theme_counters(ids["consultation"]) == recounted(ids["consultation"])
