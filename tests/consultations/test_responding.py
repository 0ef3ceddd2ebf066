"""Answering consultations: the journey (start, answer, save and come back,
check, send, confirmation, change, send again), visitors, every bad input,
parallel submissions, the counters, the automatic flags, the question macro."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import render_template_string
from sqlalchemy import func, select

from portal.consultations import tally
from portal.consultations.flagging import ABUSE, EMAIL, FULL_NAME, PHONE, POSTCODE, flags_for
from portal.consultations.responding import operations as ops
from portal.extensions import db
from portal.models import Answer, AuditEntry, Consultation, Question, Response
from portal.templating import local_today
from tests.conftest import PortalClient, add_person, at_the_same_moment, shows_49
from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory


@dataclass(frozen=True)
class Ids:
    consultation: int
    short: int
    long: int
    single: int
    multiple: int
    rating: int
    ranking: int

    @property
    def questions(self) -> list[int]:
        return [self.short, self.long, self.single, self.multiple, self.rating, self.ranking]


def make_consultation(app, audience: str = "young_people", opens: int = -1, closes: int = 30) -> Ids:
    """An approved consultation, open today, with one question of each kind."""
    with app.app_context():
        consultation = ConsultationFactory(
            title="Youth services in your area",
            organisation="A mental health service",
            audience=audience,
            opens=opens,
            closes=closes,
            why="We want to know what helps.",
            what_happens="We will change how we run our drop-in sessions.",
        )

        def question(kind: str, prompt: str, **fields) -> Question:
            return QuestionFactory(consultation=consultation, kind=kind, prompt=prompt, **fields)

        made = [
            question("short_text", "Where do you meet friends?", required=True),
            question("long_text", "Tell us more", help="Anything at all."),
            question("single", "Which matters most?", required=True, options=["Youth clubs", "Buses", "Parks"]),
            question("multiple", "Which do you use?", options=["Library", "Sports centre", "Online groups"]),
            question(
                "rating",
                "How safe do you feel?",
                required=True,
                scale_max=5,
                low_label="Not at all",
                high_label="Very safe",
            ),
            question("ranking", "Put these in order", required=True, options=["Safety", "Fun", "Cost"]),
        ]
        db.session.commit()
        return Ids(consultation.id, *(q.id for q in made))


def url(ids: Ids, tail: str = "") -> str:
    return f"/consultations/{ids.consultation}/respond{tail}"


GOOD_ANSWERS = {
    "short": "The park",
    "long": "More clubs after school, please.",
    "single": "1",
    "multiple": ["0", "2"],
    "rating": "4",
    "ranking": ["2", "1", "3"],  # Safety 2nd, Fun 1st, Cost 3rd
}


def form_for(ids: Ids, kind: str, action: str = "continue", **overrides) -> dict:
    """Valid form data for one question (``overrides``: field name -> value)."""
    question = getattr(ids, kind)
    data: dict[str, object] = {"action": action}
    if kind == "ranking":
        data.update({f"q{question}-{index}": rank for index, rank in enumerate(GOOD_ANSWERS[kind])})
    else:
        data[f"q{question}"] = GOOD_ANSWERS[kind]
    data.update(overrides)
    return data


def answer_all(client, ids: Ids) -> None:
    for kind in ("short", "long", "single", "multiple", "rating", "ranking"):
        response = client.submit(url(ids, f"/{getattr(ids, kind)}"), form_for(ids, kind))
        assert response.status_code == 303, response.get_data(as_text=True)


def the_response(app, ids: Ids, respondent_id: int | None = None) -> Response | None:
    with app.app_context():
        query = select(Response).where(Response.consultation_id == ids.consultation)
        if respondent_id is not None:
            query = query.where(Response.respondent_id == respondent_id)
        found = db.session.scalar(query)
        if found is not None:
            db.session.expunge(found)
        return found


def stored_answers(app, response_id: int) -> list[tuple[int, int | None, int | None, str | None]]:
    with app.app_context():
        return [
            tuple(row)
            for row in db.session.execute(
                select(Answer.question_id, Answer.option, Answer.number, Answer.text)
                .where(Answer.response_id == response_id)
                .order_by(Answer.question_id, Answer.option)
            )
        ]


def counters(app, consultation_id: int) -> dict[tuple, int]:
    """The counters as results read them (zero counters left out)."""
    with app.app_context():
        return {
            (t.question_id, t.option, t.number, t.dimension, t.value): t.count
            for t in tally.results_counts(consultation_id)
            if t.count
        }


def counted_from_answers(app, consultation_id: int) -> dict[tuple, int]:
    """The same figures worked out the slow way, from every submitted response's sent answers."""
    expected: Counter[tuple] = Counter()
    with app.app_context():
        responses = db.session.scalars(
            select(Response).where(Response.consultation_id == consultation_id, Response.status == "submitted")
        ).all()
        for response in responses:
            groups = [("", "")] + [
                (d, v) for d, v in (("age_band", response.age_band), ("district", response.district)) if v
            ]
            rows = db.session.execute(
                select(Answer.question_id, Answer.option, Answer.number).where(
                    Answer.response_id == response.id, Answer.draft.is_(False)
                )
            ).all()
            keys = [(0, -1, -1)] + [(q, -1, -1) for q in {row[0] for row in rows}]
            keys += [(q, -1 if o is None else o, -1 if n is None else n) for q, o, n in rows if (o, n) != (None, None)]
            for key in keys:
                for dimension, value in groups:
                    expected[(*key, dimension, value)] += 1
            expected[(0, -1, -1, "version", response.version)] += 1  # which version was answered (#17.3)
    return dict(expected)


def assert_counters_match(app, ids: Ids) -> dict[tuple, int]:
    actual = counters(app, ids.consultation)
    assert actual == counted_from_answers(app, ids.consultation)
    return actual


# The journey ------------------------------------------------------------------


def test_a_young_person_answers_saves_comes_back_sends_and_changes(app, client, signed_in):
    ids = make_consultation(app)
    person = signed_in("young_person")

    start = client.get(url(ids))
    assert start.status_code == 200
    page = start.get_data(as_text=True)
    assert "Start now" in page and "We want to know what helps." in page and "are 6 questions" in page
    assert the_response(app, ids) is None  # nothing is stored by looking

    started = client.submit(url(ids))
    assert started.status_code == 303
    assert started.headers["Location"].endswith(url(ids, f"/{ids.short}"))
    response = the_response(app, ids, person.id)
    assert response is not None and response.status == "in_progress"
    assert (response.age_band, response.district) == ("14-16", "Crawley")  # from the account

    question = client.get(url(ids, f"/{ids.short}")).get_data(as_text=True)
    assert "Question 1 of 6: Where do you meet friends?" in question
    assert "Save and continue" in question and "Save and come back later" in question

    after_first = client.submit(url(ids, f"/{ids.short}"), form_for(ids, "short"))
    assert after_first.headers["Location"].endswith(url(ids, f"/{ids.long}"))
    # "Save and come back later": stored, and back to the start page.
    later = client.submit(url(ids, f"/{ids.long}"), form_for(ids, "long", action="later"))
    assert later.status_code == 303 and later.headers["Location"].endswith(url(ids))
    come_back = client.get(url(ids)).get_data(as_text=True)
    assert "Your answers are saved" in come_back
    assert "You have answered 2 of 6 questions" in come_back
    assert url(ids, f"/{ids.single}") in come_back  # continue at the first unanswered question
    assert client.submit(url(ids)).headers["Location"].endswith(url(ids, f"/{ids.single}"))
    # What was saved is filled in again.
    assert "More clubs after school, please." in client.get(url(ids, f"/{ids.long}")).get_data(as_text=True)
    assert counters(app, ids.consultation) == {}  # nothing counts until it is sent

    for kind in ("single", "multiple", "rating"):
        assert client.submit(url(ids, f"/{getattr(ids, kind)}"), form_for(ids, kind)).status_code == 303
    last = client.submit(url(ids, f"/{ids.ranking}"), form_for(ids, "ranking"))
    assert last.headers["Location"].endswith(url(ids, "/check"))

    check = client.get(url(ids, "/check")).get_data(as_text=True)
    assert "Check your answers before sending them" in check
    for text in ("The park", "Buses", "Library", "Online groups", "4 out of 5"):
        assert text in check
    assert check.index("Fun") < check.index("Safety") < check.index("Cost", check.index("Safety"))  # in rank order
    assert check.count("Change<span") == 6
    assert "Email me when they say what they did with the answers" in check

    sent = client.submit(url(ids, "/submit"), {"tell_me": "yes"})
    assert sent.status_code == 303 and sent.headers["Location"].endswith(url(ids, "/done"))
    response = the_response(app, ids, person.id)
    assert response.status == "submitted" and response.tell_me and response.submitted_at is not None
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 1
    assert counted[(0, -1, -1, "age_band", "14-16")] == 1
    assert counted[(0, -1, -1, "district", "Crawley")] == 1
    assert counted[(ids.single, 1, -1, "", "")] == 1
    assert counted[(ids.multiple, 0, -1, "", "")] == counted[(ids.multiple, 2, -1, "", "")] == 1
    assert (ids.multiple, 1, -1, "", "") not in counted
    assert counted[(ids.rating, -1, 4, "", "")] == 1
    assert counted[(ids.ranking, 1, 1, "", "")] == counted[(ids.ranking, 0, 2, "", "")] == 1
    assert counted[(ids.long, -1, -1, "", "")] == 1  # a text answer counts as answered

    done = client.get(url(ids, "/done")).get_data(as_text=True)
    assert "govuk-panel--confirmation" in done and "Your answers have been sent" in done
    assert "We will email you" in done and "We will change how we run our drop-in sessions." in done
    assert "Change your answers" in done
    # A sent response: the start page and the questions lead to the confirmation.
    assert client.get(url(ids)).headers["Location"].endswith(url(ids, "/done"))
    assert client.get(url(ids, f"/{ids.single}")).headers["Location"].endswith(url(ids, "/done"))

    # Change (#12.3): the changes are made on a copy; the sent answers keep counting ...
    sent = counters(app, ids.consultation)
    change = client.submit(url(ids), {"action": "change"})
    assert change.status_code == 303 and change.headers["Location"].endswith(url(ids, "/check"))
    assert the_response(app, ids, person.id).status == "submitted"
    assert counters(app, ids.consultation) == sent
    check = client.get(url(ids, "/check")).get_data(as_text=True)
    assert "Your earlier answers still count until you send these changes" in check
    assert "Send my changed answers" in check and "Cancel my changes" in check
    # ... a "Change" link comes back to the check page ...
    changed = client.submit(url(ids, f"/{ids.single}"), {"action": "continue", "from": "check", f"q{ids.single}": "2"})
    assert changed.headers["Location"].endswith(url(ids, "/check"))
    assert counters(app, ids.consultation) == sent  # a changed answer not sent yet does not count
    assert assert_counters_match(app, ids)[(ids.single, 1, -1, "", "")] == 1
    # ... leaving keeps the sent answers counted; the consultation's page leads back to the changes ...
    page = client.get(f"/consultations/{ids.consultation}").get_data(as_text=True)
    assert "have not sent the changes" in page and "Carry on changing your answers" in page
    assert client.get(url(ids, "/done")).status_code == 200
    assert client.get(url(ids)).headers["Location"].endswith(url(ids, "/check"))
    # ... and sending counts the new answers instead of the old, in one step.
    assert client.submit(url(ids, "/submit")).status_code == 303
    counted = assert_counters_match(app, ids)
    assert counted[(ids.single, 2, -1, "", "")] == 1 and (ids.single, 1, -1, "", "") not in counted
    assert counted[(0, -1, -1, "", "")] == 1
    assert the_response(app, ids, person.id).tell_me is False  # the box was left unticked this time
    assert not the_response(app, ids, person.id).changing
    with app.app_context():
        assert not db.session.scalars(select(Answer).where(Answer.draft.is_(True))).all()
        actions = db.session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)).all()
        summaries = " ".join(db.session.scalars(select(AuditEntry.summary)).all())
    assert [a for a in actions if a.startswith("consultation.response")] == [
        "consultation.response_sent",
        "consultation.response_changing",
        "consultation.response_changed",
    ]
    assert "The park" not in summaries and "Buses" not in summaries  # no answers in the audit log


def test_a_second_person_adds_to_the_counters(app, client, people):
    ids = make_consultation(app)
    for role, band, district in (("young_person", "14-16", "Crawley"), ("youth_member", "17-19", "Adur")):
        with app.app_context():
            from portal.models import User

            user = db.session.get(User, people[role].id)
            user.age_band, user.district = band, district
            db.session.commit()
        client.sign_in(people[role].email)
        client.submit(url(ids))
        answer_all(client, ids)
        assert client.submit(url(ids, "/submit")).status_code == 303
        client.submit("/sign-out")
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 2
    assert counted[(ids.single, 1, -1, "", "")] == 2
    assert counted[(0, -1, -1, "district", "Adur")] == counted[(0, -1, -1, "age_band", "17-19")] == 1


# Visitors ------------------------------------------------------------------------


def test_a_visitor_answers_a_public_consultation(app, client):
    ids = make_consultation(app, audience="public")
    start = client.get(url(ids)).get_data(as_text=True)
    assert "How old are you?" in start and "Which district do you live in?" in start
    assert "Prefer not to say" in start and 'name="extra_details"' in start
    assert "Email me" not in start

    started = client.submit(url(ids), {"age_band": "11-13", "district": "Worthing", "extra_details": ""})
    assert started.status_code == 303 and started.headers["Location"].endswith(url(ids, f"/{ids.short}"))
    response = the_response(app, ids)
    assert response.respondent_id is None and (response.age_band, response.district) == ("11-13", "Worthing")
    with client.session_transaction() as session:
        token = session["consultation_responses"][str(ids.consultation)]
    assert response.visitor_token and response.visitor_token != token  # only its hash is stored
    # Starting again carries on with the same response.
    assert client.submit(url(ids)).status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1

    answer_all(client, ids)
    check = client.get(url(ids, "/check")).get_data(as_text=True)
    assert "Email me" not in check  # no account, no email
    assert client.submit(url(ids, "/submit"), {"tell_me": "yes"}).status_code == 303
    assert the_response(app, ids).tell_me is False
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "age_band", "11-13")] == counted[(0, -1, -1, "district", "Worthing")] == 1
    done = client.get(url(ids, "/done")).get_data(as_text=True)
    assert "Your answers have been sent" in done and "we cannot tell you" in done
    # #12.4: once sent, the way back ends: the next person at this computer cannot open the answers.
    assert "Change your answers</button>" not in done and "cannot be opened again from this computer" in done
    with client.session_transaction() as session:
        assert str(ids.consultation) not in session["consultation_responses"]
    changed = client.submit(url(ids), {"action": "change"})
    assert changed.headers["Location"].endswith(f"/consultations/{ids.consultation}")
    assert client.get(url(ids, "/check")).headers["Location"].endswith(url(ids))
    # The next person on this browser starts afresh: nothing of the first person's answers.
    fresh = client.get(url(ids)).get_data(as_text=True)
    assert "Continue your answers" not in fresh and "How old are you?" in fresh
    assert counters(app, ids.consultation)[(0, -1, -1, "", "")] == 1  # still counted, untouched
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1  # no fresh response from "change"
    with app.app_context():  # nobody to name: visitors are not in the audit log
        assert not db.session.scalars(select(AuditEntry).where(AuditEntry.action.like("consultation.response%"))).all()

    # Another browser (no token) has no response to see.
    other = client.application.test_client()
    assert other.get(url(ids, "/done")).headers["Location"].endswith(url(ids))


def test_a_visitor_may_leave_out_age_and_district_and_cannot_make_them_up(app, client):
    ids = make_consultation(app, audience="public")
    refused = client.submit(url(ids), {"age_band": "7-9", "district": "Atlantis"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "Choose an age band from the list" in page and "govuk-error-message" in page
    assert the_response(app, ids) is None
    assert client.submit(url(ids), {"age_band": "", "district": ""}).status_code == 303
    response = the_response(app, ids)
    assert (response.age_band, response.district) == ("", "")
    answer_all(client, ids)
    client.submit(url(ids, "/submit"))
    counted = assert_counters_match(app, ids)
    # No age band or district counters for "prefer not to say" (the version answered is not about the person's group).
    assert {key[3] for key in counted} - {"version"} == {""}


def test_the_honeypot_stores_nothing_but_looks_the_same(app, client):
    ids = make_consultation(app, audience="public")
    robot = client.submit(url(ids), {"age_band": "14-16", "district": "Adur", "extra_details": "http://spam.example"})
    assert robot.status_code == 303 and robot.headers["Location"].endswith(url(ids, f"/{ids.short}"))
    assert the_response(app, ids) is None
    # The next page finds no response and goes back to the start.
    assert client.get(url(ids, f"/{ids.short}")).headers["Location"].endswith(url(ids))


def test_visitors_starting_too_often_from_one_address_are_stopped(app, client, people):
    ids = make_consultation(app, audience="public")
    app.config["VISITOR_START_LIMIT"] = "10 per hour"  # PORTAL_VISITOR_START_LIMIT
    app.test_client_class = PortalClient
    for _ in range(10):
        fresh = app.test_client()
        assert fresh.submit(url(ids), {"age_band": "", "district": ""}).status_code == 303
    stopped = app.test_client().submit(url(ids), {"age_band": "", "district": ""})
    assert stopped.status_code == 429
    page = stopped.get_data(as_text=True)
    assert "Too many people started from here" in page and "Wait an hour" in page
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 10
    # Signed-in young people are not visitors: they still start.
    client.sign_in(people["young_person"].email)
    assert client.submit(url(ids)).status_code == 303


def test_a_visitor_cannot_answer_a_consultation_for_registered_young_people(app, client):
    ids = make_consultation(app)
    answer = client.get(url(ids))
    assert answer.status_code == 302 and "/sign-in?next=" in answer.headers["Location"]
    assert client.submit(url(ids), {"age_band": "", "district": ""}).status_code == 302
    assert the_response(app, ids) is None


# Who may answer, and when ---------------------------------------------------------


@pytest.mark.parametrize(
    "role, audience, expected",
    [
        ("young_person", "youth_cabinet", "only for members of the Youth Cabinet"),
        ("officer", "young_people", "for young people registered with the portal"),
        ("partner", "public", "Staff and partner accounts cannot answer it"),
    ],
)
def test_someone_outside_the_audience_gets_a_clear_message(app, client, signed_in, role, audience, expected):
    ids = make_consultation(app, audience=audience)
    signed_in(role)
    for response in (
        client.get(url(ids)),
        client.submit(url(ids)),
        client.get(url(ids, f"/{ids.short}")),
        client.submit(url(ids, "/submit")),
    ):
        assert response.status_code == 403
        assert expected in response.get_data(as_text=True)
    assert the_response(app, ids) is None


def test_answering_after_the_close_is_refused_and_nothing_changes(app, client, signed_in):
    ids = make_consultation(app)
    person = signed_in("young_person")
    client.submit(url(ids))
    answer_all(client, ids)
    with app.app_context():
        consultation = db.session.get(Consultation, ids.consultation)
        consultation.opens_on = local_today() - timedelta(days=20)
        consultation.closes_on = local_today() - timedelta(days=1)
        db.session.commit()
        closed_on = consultation.closes_on.strftime("%-d %B %Y")
    before = stored_answers(app, the_response(app, ids, person.id).id)
    for response in (
        client.get(url(ids)),
        client.get(url(ids, f"/{ids.short}")),
        client.submit(url(ids, f"/{ids.short}"), {"action": "continue", f"q{ids.short}": "Changed"}),
        client.submit(url(ids, "/submit")),
        client.get(url(ids, "/check")),
    ):
        assert response.status_code == 410
        assert f"This consultation closed on {closed_on}" in response.get_data(as_text=True)
    assert stored_answers(app, the_response(app, ids, person.id).id) == before
    assert the_response(app, ids, person.id).status == "in_progress"
    assert counters(app, ids.consultation) == {}


def test_a_consultation_not_open_yet_or_not_approved(app, client, signed_in):
    soon = make_consultation(app, opens=2, closes=20)
    signed_in("young_person")
    not_yet = client.get(url(soon))
    assert not_yet.status_code == 403 and "This consultation opens on" in not_yet.get_data(as_text=True)
    with app.app_context():
        db.session.get(Consultation, soon.consultation).status = "draft"
        db.session.commit()
    assert client.get(url(soon)).status_code == 404  # a draft's existence is private


def test_the_operations_refuse_a_closed_consultation_too(app, people):
    ids = make_consultation(app)
    with app.app_context():
        consultation = db.session.get(Consultation, ids.consultation)
        from portal.models import User

        user = db.session.get(User, people["young_person"].id)
        with pytest.raises(ops.NotOpen, match="closed on"):
            ops.start(consultation, user, today=consultation.closes_on + timedelta(days=1))
        with pytest.raises(ops.NotOpen, match="not open"):
            ops.start(consultation, user, today=consultation.opens_on - timedelta(days=1))


# Bad input ------------------------------------------------------------------------


@pytest.fixture
def answering(app, client, signed_in):
    """A young person with a response in progress."""
    ids = make_consultation(app)
    person = signed_in("young_person")
    client.submit(url(ids))
    return ids, the_response(app, ids, person.id).id


def error_near_question(page: str, message: str) -> None:
    """The message is in the error summary, and next to the question: inside
    its form group marked as in error, in a GOV.UK error message."""
    summary = re.search(r'govuk-error-summary__list.*?<a href="#(q[\d-]+)">([^<]+)</a>', page, re.DOTALL)
    assert summary and message in summary.group(2), page[:3000]
    group = page.index("govuk-form-group--error")
    shown = re.search(
        r'class="govuk-error-message">\s*<span class="govuk-visually-hidden">Error:</span>([^<]+)</p>', page[group:]
    )
    assert shown and message in shown.group(1)
    assert f'id="{summary.group(1)}"' in page  # the summary's link lands on the field


@pytest.mark.parametrize(
    "kind, message",
    [
        ("short", "Enter your answer"),
        ("single", "Choose an answer"),
        ("rating", "Choose a number from 1 to 5"),
        ("ranking", "Give each option a position from 1 to 3"),
    ],
)
def test_a_required_answer_missing_is_refused_next_to_the_question(app, client, answering, kind, message):
    ids, response_id = answering
    question = getattr(ids, kind)
    refused = client.submit(url(ids, f"/{question}"), {"action": "continue"})
    assert refused.status_code == 422
    error_near_question(refused.get_data(as_text=True), message)
    assert stored_answers(app, response_id) == []


def test_save_and_come_back_later_does_not_insist(app, client, answering):
    ids, response_id = answering
    later = client.submit(url(ids, f"/{ids.short}"), {"action": "later"})
    assert later.status_code == 303
    assert stored_answers(app, response_id) == []


def test_what_was_typed_is_kept_when_a_ranking_is_refused(app, client, answering):
    ids, response_id = answering
    partial = {"action": "continue", f"q{ids.ranking}-0": "2", f"q{ids.ranking}-1": "", f"q{ids.ranking}-2": "1"}
    refused = client.submit(url(ids, f"/{ids.ranking}"), partial)
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "‘Fun’ has no position yet" in page
    assert f'href="#q{ids.ranking}-1"' in page  # the summary links to the option without a position
    assert re.search(rf'id="q{ids.ranking}-0".*?<option value="2" selected>', page, re.DOTALL)
    assert re.search(rf'id="q{ids.ranking}-2".*?<option value="1" selected>', page, re.DOTALL)
    assert stored_answers(app, response_id) == []


def test_a_ranking_with_a_position_used_twice_is_refused(app, client, answering):
    ids, response_id = answering
    twice = {"action": "continue", f"q{ids.ranking}-0": "1", f"q{ids.ranking}-1": "1", f"q{ids.ranking}-2": "2"}
    refused = client.submit(url(ids, f"/{ids.ranking}"), twice)
    assert refused.status_code == 422
    error_near_question(refused.get_data(as_text=True), "Use each position only once")
    assert stored_answers(app, response_id) == []


@pytest.mark.parametrize(
    "kind, value, message",
    [
        ("single", "7", "Choose one of the answers in the list"),
        ("single", "-1", "Choose one of the answers in the list"),
        ("single", "Buses", "Choose one of the answers in the list"),
        ("multiple", ["0", "99"], "Choose answers from the list"),
        ("rating", "0", "Choose a number from 1 to 5"),
        ("rating", "6", "Choose a number from 1 to 5"),
        ("rating", "4.5", "Choose a number from 1 to 5"),
        ("ranking", "9", "Choose a position from 1 to 3 for each option"),
    ],
)
def test_a_value_not_among_the_options_is_refused(app, client, answering, kind, value, message):
    ids, response_id = answering
    question = getattr(ids, kind)
    data = {"action": "continue"}
    if kind == "ranking":
        data.update({f"q{question}-0": value, f"q{question}-1": "1", f"q{question}-2": "2"})
    else:
        data[f"q{question}"] = value
    refused = client.submit(url(ids, f"/{question}"), data)
    assert refused.status_code == 422
    error_near_question(refused.get_data(as_text=True), message)
    assert stored_answers(app, response_id) == []


@pytest.mark.parametrize("kind, length, limit", [("long", 100_000, "5,000"), ("short", 301, "300")])
def test_an_answer_over_its_limit_is_refused_and_kept(app, client, answering, kind, length, limit):
    ids, response_id = answering
    question = getattr(ids, kind)
    text = ("Words " * (length // 6 + 1))[: length - 1] + "!"
    refused = client.submit(url(ids, f"/{question}"), {"action": "continue", f"q{question}": text})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    error_near_question(page, f"Your answer must be {limit} characters or fewer. You typed {length:,} characters")
    assert text in page  # nothing typed is lost
    assert stored_answers(app, response_id) == []
    exactly = text[: int(limit.replace(",", "")) - 1] + "!"
    assert client.submit(url(ids, f"/{question}"), {"action": "continue", f"q{question}": exactly}).status_code == 303
    assert stored_answers(app, response_id)[0][3] == exactly


def test_markup_and_template_code_in_answers_stay_inert(app, client, answering):
    ids, response_id = answering
    hostile = '<script>alert("x")</script><b>bold</b> {{7*7}} {% raw %}'
    client.submit(url(ids, f"/{ids.short}"), {"action": "continue", f"q{ids.short}": hostile[:300]})
    client.submit(url(ids, f"/{ids.long}"), {"action": "continue", f"q{ids.long}": hostile})
    assert stored_answers(app, response_id)[1][3] == hostile  # stored as typed
    for page in (client.get(url(ids, f"/{ids.long}")), client.get(url(ids, "/check"))):
        html = page.get_data(as_text=True)
        assert "<script>alert" not in html and "<b>bold</b>" not in html
        assert "&lt;script&gt;" in html and "{{7*7}}" in html
        assert not shows_49(html)


def test_sending_with_required_answers_missing_lists_them(app, client, answering):
    ids, _ = answering
    client.submit(url(ids, f"/{ids.short}"), form_for(ids, "short"))
    refused = client.submit(url(ids, "/submit"))
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "You need to answer 3 more questions before you send your answers" in page
    for question, prompt in (
        (ids.single, "Which matters most?"),
        (ids.rating, "How safe do you feel?"),
        (ids.ranking, "Put these in order"),
    ):
        assert f"{url(ids, f'/{question}')}?from=check" in page and prompt in page
    assert "Tell us more" not in page.split("govuk-error-summary__list")[1].split("</ul>")[0]  # optional
    assert the_response(app, ids).status == "in_progress"
    assert counters(app, ids.consultation) == {}


def test_an_unknown_or_foreign_question_is_not_found(app, client, answering):
    ids, _ = answering
    other = make_consultation(app)
    assert client.get(url(ids, f"/{other.short}")).status_code == 404
    assert client.get(url(ids, "/999999")).status_code == 404
    assert client.get(url(ids, "/99999999999")).status_code == 404


def test_answers_cannot_change_once_sent_without_reopening(app, client, answering):
    ids, response_id = answering
    answer_all(client, ids)
    client.submit(url(ids, "/submit"))
    before = stored_answers(app, response_id)
    # A second tab still showing a question page.
    late = client.submit(url(ids, f"/{ids.short}"), form_for(ids, "short", **{f"q{ids.short}": "Changed"}))
    assert late.status_code == 303 and late.headers["Location"].endswith(url(ids, "/done"))
    assert stored_answers(app, response_id) == before
    with app.app_context():
        response = db.session.get(Response, response_id)
        consultation = db.session.get(Consultation, ids.consultation)
        question = db.session.get(Question, ids.short)
        with pytest.raises(ops.NotInProgress):
            ops.save_answer(consultation, response, question, "Changed", require=True, today=local_today())
    assert_counters_match(app, ids)


# One submission counts -------------------------------------------------------------------


def test_sending_twice_from_two_tabs_counts_once(app, client, answering):
    ids, _ = answering
    answer_all(client, ids)
    assert client.submit(url(ids, "/submit")).status_code == 303
    again = client.submit(url(ids, "/submit"))
    assert again.status_code == 303 and again.headers["Location"].endswith(url(ids, "/done"))
    assert counters(app, ids.consultation)[(0, -1, -1, "", "")] == 1
    assert_counters_match(app, ids)


def test_the_conditional_update_makes_a_second_submit_and_reopen_a_no_op(app, client, answering, people):
    ids, response_id = answering
    answer_all(client, ids)
    with app.app_context():
        from portal.models import User

        user = db.session.get(User, people["young_person"].id)
        consultation = db.session.get(Consultation, ids.consultation)
        questions = db.session.scalars(
            select(Question).where(Question.consultation_id == ids.consultation).order_by(Question.position)
        ).all()
        response = db.session.get(Response, response_id)
        assert ops.submit(consultation, response, questions, user, tell_me=False, today=local_today()) is True
        # The same again (a double click, a second tab): the UPDATE ... WHERE status
        # = 'in_progress' changes no row, so nothing is counted twice.
        assert ops.submit(consultation, response, questions, user, tell_me=False, today=local_today()) is False
    assert counters(app, ids.consultation)[(0, -1, -1, "", "")] == 1
    with app.app_context():
        response = db.session.get(Response, response_id)
        consultation = db.session.get(Consultation, ids.consultation)
        user = db.session.get(User, people["young_person"].id)
        assert ops.start_changes(consultation, response, user, today=local_today()) is True
        assert ops.start_changes(consultation, response, user, today=local_today()) is False
    # Changing works on a copy: the sent answers stay counted.
    assert counters(app, ids.consultation)[(0, -1, -1, "", "")] == 1
    assert_counters_match(app, ids)


def send_from_tabs_at_once(app, client, path: str, tabs: int) -> list[int]:
    """``tabs`` test clients sharing ``client``'s session (tabs of one browser)
    post to ``path`` at the same moment; their status codes."""
    cookie, token = client.get_cookie("session"), client.csrf_token()
    app.test_client_class = PortalClient
    clients = []
    for _ in range(tabs):
        tab = app.test_client()
        tab.set_cookie("session", cookie.value)
        clients.append(tab)
    return at_the_same_moment([lambda tab=tab: tab.post(path, data={"csrf_token": token}) for tab in clients])


@pytest.mark.commits
def test_twenty_identical_submissions_at_once_store_one(app, client, answering):
    """Twenty browsers with the same session send at the same moment (threads,
    each with its own test client, against the file database)."""
    ids, _ = answering
    answer_all(client, ids)
    statuses = send_from_tabs_at_once(app, client, url(ids, "/submit"), 20)
    assert statuses == [303] * 20
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 1
    assert counted[(ids.single, 1, -1, "", "")] == 1
    with app.app_context():
        sent = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "consultation.response_sent")
        )
        assert sent == 1
        assert db.session.scalar(select(func.count(Response.id))) == 1


def a_class_sends_at_once(app, ids: Ids, size: int) -> list[int]:
    """``size`` young people, each with every question answered, sign in and
    send their answers at the same moment; their status codes."""
    app.test_client_class = PortalClient
    pupils = []
    with app.app_context():
        for n in range(size):
            person = add_person(
                "young_person", email=f"pupil{n}@test.example", district=("Adur", "Worthing")[n % 2], age_band="11-13"
            )
            response = ResponseFactory(consultation_id=ids.consultation, respondent=person)
            AnswerFactory(response=response, question_id=ids.short, text=f"Answer {n}")
            AnswerFactory(response=response, question_id=ids.single, option=n % 3)
            AnswerFactory(response=response, question_id=ids.rating, number=n % 5 + 1)
            for o in range(3):
                AnswerFactory(response=response, question_id=ids.ranking, option=o, number=(o + n) % 3 + 1)
            pupils.append(person)
        db.session.commit()
    clients = []
    for person in pupils:
        pupil = app.test_client()
        assert pupil.sign_in(person.email).status_code == 303
        clients.append((pupil, pupil.csrf_token()))
    return at_the_same_moment(
        [
            lambda pupil=pupil, token=token: pupil.post(url(ids, "/submit"), data={"csrf_token": token})
            for pupil, token in clients
        ]
    )


@pytest.mark.commits
def test_a_whole_class_sending_at_once_is_counted_exactly(app):
    """Twenty young people send their answers at the same moment: every one is
    counted, the shared counters add up (UPSERT, no lost update, no deadlock)."""
    ids = make_consultation(app)
    statuses = a_class_sends_at_once(app, ids, 20)
    assert statuses == [303] * 20
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 20
    assert counted[(0, -1, -1, "district", "Adur")] == counted[(0, -1, -1, "district", "Worthing")] == 10
    assert sum(counted[(ids.single, o, -1, "", "")] for o in range(3)) == 20


def test_two_tabs_starting_at_once_share_one_response(app, people, monkeypatch):
    """The unique constraint holds; the loser of the race gets the winner's response."""
    ids = make_consultation(app)
    with app.app_context():
        from portal.models import User

        user = db.session.get(User, people["young_person"].id)
        consultation = db.session.get(Consultation, ids.consultation)
        first, _ = ops.start(consultation, user, today=local_today())
        real = ops.response_for
        calls = []

        def not_seen_yet(*args):  # the other tab looked before the first one committed
            calls.append(1)
            return None if len(calls) == 1 else real(*args)

        monkeypatch.setattr(ops, "response_for", not_seen_yet)
        second, token = ops.start(consultation, user, today=local_today())
        assert second.id == first.id and token is None
        assert db.session.scalar(select(func.count(Response.id))) == 1


# Counters ---------------------------------------------------------------------------


def test_counters_add_and_take_back_exactly(app, people):
    ids = make_consultation(app)
    with app.app_context():
        response = ResponseFactory(
            consultation_id=ids.consultation,
            respondent=people["young_person"],
            age_band="14-16",
            district="Adur",
            submitted=True,
        )
        AnswerFactory(response=response, question_id=ids.short, text="Hi")
        AnswerFactory(response=response, question_id=ids.multiple, option=0)
        AnswerFactory(response=response, question_id=ids.multiple, option=2)
        AnswerFactory(response=response, question_id=ids.rating, number=3)
        AnswerFactory(response=response, question_id=ids.ranking, option=1, number=2)
        tally.count(response, +1)
        tally.count(response, +1)
        db.session.commit()
        rows = {
            (t.question_id, t.option, t.number, t.dimension, t.value): t.count
            for t in tally.results_counts(ids.consultation)
        }
        assert rows[(0, -1, -1, "", "")] == 2
        assert rows[(ids.short, -1, -1, "", "")] == 2
        assert rows[(ids.multiple, -1, -1, "district", "Adur")] == 2
        assert rows[(ids.multiple, 2, -1, "age_band", "14-16")] == 2
        assert rows[(ids.rating, -1, 3, "", "")] == 2
        assert rows[(ids.ranking, 1, 2, "", "")] == 2
        # The response, 4 questions answered, 2 options, 1 rating, 1 rank: 9 keys,
        # each for everyone, the age band and the district; and the response under its version.
        assert rows[(0, -1, -1, "version", "standard")] == 2
        assert len(rows) == 9 * 3 + 1
        tally.count(response, -1)
        tally.count(response, -1)
        db.session.commit()
        assert {t.count for t in tally.results_counts(ids.consultation)} == {0}
        with pytest.raises(ValueError):
            tally.count(response, 2)


def test_results_counts_is_one_query(app, count_queries, people):
    ids = make_consultation(app)
    with app.app_context():
        for n in range(5):
            person = add_person("young_person", email=f"yp{n}@test.example")
            response = ResponseFactory(
                consultation_id=ids.consultation, respondent=person, submitted=True, district="Adur"
            )
            AnswerFactory(response=response, question_id=ids.single, option=n % 3)
            tally.count(response, +1)
        db.session.commit()
        db.session.expunge_all()
        with count_queries() as counter:
            found = tally.results_counts(ids.consultation)
        assert counter.count == 1
        assert sum(t.count for t in found if (t.question_id, t.dimension) == (0, "")) == 5


# The question page's cost ------------------------------------------------------------------


def test_the_question_page_costs_the_same_whatever_the_number_of_responses(app, client, count_queries, answering):
    ids, _ = answering

    def queries() -> int:
        with count_queries() as counter:
            assert client.get(url(ids, f"/{ids.multiple}")).status_code == 200
        return counter.count

    first = queries()
    with app.app_context():
        for n in range(40):
            person = add_person("young_person", email=f"many{n}@test.example")
            response = ResponseFactory(consultation_id=ids.consultation, respondent=person)
            for option in (0, 1):
                AnswerFactory(response=response, question_id=ids.multiple, option=option)
        db.session.commit()
    assert queries() == first
    assert first <= 8


# Automatic flags -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("email me at sam.smith@example.com", [EMAIL]),
        ("text me on 07700 900123", [PHONE]),
        ("ring 07700900123", [PHONE]),
        ("+44 7700 900123", [PHONE]),
        ("+44 (0)20 7946 0958", [PHONE]),
        ("call 01632 960001 after school", [PHONE]),
        ("(01632) 960001", [PHONE]),
        ("0303 123 4567", [PHONE]),
        ("I live at RH10 1AB", [POSTCODE]),
        ("my postcode is bn11 3ab", [POSTCODE]),
        ("my name is Sam Smith", [FULL_NAME]),
        ("Hi, I'm called Jo Bloggs", [FULL_NAME]),
        ("I am called Amir Khan and I am 14", [FULL_NAME]),
        ("this is fucking rubbish", [ABUSE]),
        ("FUUUUCK this", [ABUSE]),
        ("sh1t buses", [ABUSE]),
        ("what the f*ck!", [ABUSE]),
        ("you bitches", [ABUSE]),
        ("my name is Sam Smith, call 07700 900123", [PHONE, FULL_NAME]),
        # Not flagged:
        ("the name is confusing", []),
        ("my name is not important", []),
        ("My name is Sam", []),
        ("I went to Scunthorpe for a class assessment", []),
        ("shitake mushrooms and a bass guitar", []),
        ("I scored 0 7 times in 2019 and 2020", []),
        ("We need 10 more clubs, open 24 hours a day", []),
        ("We walked up Devil's Dyke", []),
        ("{{7*7}} <b>hi</b>", []),
        ("", []),
    ],
)
def test_flags_for(text, expected):
    assert flags_for(text) == expected


def test_free_text_answers_are_stored_for_moderation_with_their_flags(app, client, answering):
    ids, response_id = answering
    client.submit(
        url(ids, f"/{ids.long}"), {"action": "continue", f"q{ids.long}": "My name is Sam Smith, call 07700 900123"}
    )
    client.submit(url(ids, f"/{ids.short}"), {"action": "continue", f"q{ids.short}": "The park"})
    with app.app_context():
        answers = {
            a.question_id: a for a in db.session.scalars(select(Answer).where(Answer.response_id == response_id))
        }
    assert answers[ids.long].moderation == "pending"
    assert answers[ids.long].flags == f"{PHONE}, {FULL_NAME}"
    assert answers[ids.short].moderation == "pending" and answers[ids.short].flags == ""


# The question macro ----------------------------------------------------------------------------


def render_question(app, **params) -> str:
    template = (
        '{% from "components/consultation_question.html" import question_field %}'
        "{{ question_field(question, 2, 7, value, error, disabled, heading=heading) }}"
    )
    defaults = {"value": None, "error": None, "disabled": False, "heading": False}
    with app.test_request_context():
        return render_template_string(template, **{**defaults, **params})


def test_the_macro_renders_each_kind(app):
    rating = Question(
        id=5,
        kind="rating",
        prompt="How safe?",
        scale_max=5,
        low_label="Not at all",
        high_label="Very safe",
        required=True,
        options=[],
    )
    html = render_question(app, question=rating, value="3")
    assert "Question 2 of 7: How safe?" in html and "(optional)" not in html
    assert "govuk-radios--inline" in html
    assert ">\n        1 (Not at all)" in html or "1 (Not at all)" in html
    assert "5 (Very safe)" in html
    assert 'value="3" checked' in html
    assert 'name="q5"' in html

    ranking = Question(id=6, kind="ranking", prompt="Order", options=["A", "B", "C"], required=False)
    html = render_question(app, question=ranking, value={0: 3, 1: 1}, error="Use each position only once")
    assert "Question 2 of 7: Order (optional)" in html
    assert [m for m in re.findall(r'name="(q6-\d)"', html)] == ["q6-0", "q6-1", "q6-2"]
    assert re.search(r'id="q6-0".*?<option value="3" selected>', html, re.DOTALL)
    assert "govuk-form-group--error" in html and "Use each position only once" in html
    assert 'aria-describedby="q6-hint q6-error"' in html

    multiple = Question(id=7, kind="multiple", prompt="Which?", options=["X", "Y"], help="Pick some.")
    html = render_question(app, question=multiple, value=[1], disabled=True, heading=True)
    assert '<h1 class="govuk-fieldset__heading">' in html and "Pick some." in html
    assert re.search(r'value="1" checked', html) and 'type="checkbox" value="0" disabled' in html.replace("\n", "")

    long = Question(id=8, kind="long_text", prompt="Tell us", required=True)
    html = render_question(app, question=long, value="Hello", heading=True)
    assert "govuk-character-count" in html and 'data-maxlength="5000"' in html and ">Hello</textarea>" in html
    assert '<label class="govuk-label govuk-label--l" for="q8">' in html

    short = Question(id=9, kind="short_text", prompt="Where?", options=[])
    assert 'name="q9"' in render_question(app, question=short)

    single = Question(id=10, kind="single", prompt="One?", options=["First", "Second"])
    html = render_question(app, question=single, value="0")
    assert 'value="0" checked' in html


def test_the_macro_escapes_what_authors_type(app):
    hostile = Question(
        id=11,
        kind="single",
        prompt='<img src=x onerror="alert(1)"> {{7*7}}',
        help="<b>help</b>",
        options=["<script>x</script>", "{{7*7}}"],
    )
    html = render_question(app, question=hostile, error="<i>bad</i>")
    assert "<img" not in html and "<script>x" not in html and "<b>help" not in html and "<i>bad" not in html
    assert "&lt;img" in html and "&lt;script&gt;" in html
    assert not shows_49(html)


@pytest.mark.commits
def test_twenty_starts_at_once_from_one_visitors_browser_make_one_response(app):
    """A double click, or tabs sending "Start now" together: one browser, one response."""
    ids = make_consultation(app, audience="public")
    app.test_client_class = PortalClient
    browser = app.test_client()
    token = browser.csrf_token()
    assert browser.get(url(ids)).status_code == 200  # the start page, as a person sees it first
    cookie = browser.get_cookie("session").value
    tabs = []
    for _ in range(20):
        tab = app.test_client()
        tab.set_cookie("session", cookie)
        tabs.append(tab)
    data = {"csrf_token": token, "age_band": "", "district": ""}
    statuses = at_the_same_moment([lambda tab=tab: tab.post(url(ids), data=data) for tab in tabs])
    assert statuses == [303] * 20
    with app.app_context():
        assert db.session.scalar(select(func.count(Response.id))) == 1


# Changing sent answers (#12.3) ---------------------------------------------------------


@pytest.fixture
def sent(app, client, answering):
    """The young person's response, answered and sent, its long answer approved by an officer."""
    ids, response_id = answering
    answer_all(client, ids)
    assert client.submit(url(ids, "/submit")).status_code == 303
    with app.app_context():
        db.session.execute(
            Answer.__table__.update()
            .where(Answer.response_id == response_id, Answer.question_id == ids.long)
            .values(moderation="approved")
        )
        db.session.commit()
    return ids, response_id


def change_single_to_parks(client, ids: Ids) -> None:
    assert client.submit(url(ids), {"action": "change"}).status_code == 303
    changed = client.submit(url(ids, f"/{ids.single}"), {"action": "continue", "from": "check", f"q{ids.single}": "2"})
    assert changed.status_code == 303


def test_leaving_without_sending_the_changes_keeps_the_sent_answers_counted(app, client, sent):
    ids, response_id = sent
    before, answers_before = counters(app, ids.consultation), stored_answers(app, response_id)
    change_single_to_parks(client, ids)
    # They leave. The officer's count and every result stay those of the sent answers.
    assert counters(app, ids.consultation) == before
    assert assert_counters_match(app, ids)[(0, -1, -1, "", "")] == 1
    # Then the consultation closes with the changes unsent: the sent answers are the ones that count.
    with app.app_context():
        consultation = db.session.get(Consultation, ids.consultation)
        consultation.opens_on, consultation.closes_on = local_today() - timedelta(days=9), local_today() - timedelta(1)
        db.session.commit()
    assert client.submit(url(ids, "/submit")).status_code == 410
    assert counters(app, ids.consultation) == before
    with app.app_context():
        sent_rows = db.session.execute(
            select(Answer.question_id, Answer.option, Answer.number, Answer.text)
            .where(Answer.response_id == response_id, Answer.sent())
            .order_by(Answer.question_id, Answer.option)
        ).all()
    assert [tuple(row) for row in sent_rows] == answers_before


def test_cancelling_the_changes_keeps_the_sent_answers(app, client, sent):
    ids, response_id = sent
    answers_before = stored_answers(app, response_id)
    change_single_to_parks(client, ids)
    cancelled = client.submit(url(ids, "/cancel-changes"))
    assert cancelled.headers["Location"].endswith(url(ids, "/done"))
    done = client.get(url(ids, "/done")).get_data(as_text=True)
    assert "Your changes were not sent. The answers you sent before still count." in done
    assert stored_answers(app, response_id) == answers_before  # the copy is gone, the sent answers untouched
    assert not the_response(app, ids).changing
    # A second tab still on the check page sends: nothing is being changed, so nothing changes.
    assert client.submit(url(ids, "/submit")).headers["Location"].endswith(url(ids, "/done"))
    late = client.submit(url(ids, f"/{ids.single}"), {"action": "continue", f"q{ids.single}": "0"})
    assert late.headers["Location"].endswith(url(ids, "/done"))
    assert stored_answers(app, response_id) == answers_before
    assert_counters_match(app, ids)


def test_two_tabs_changing_share_one_copy_and_count_once(app, client, sent):
    ids, response_id = sent
    change_single_to_parks(client, ids)
    # The second tab presses "Change your answers" too: it carries on with the same copy.
    again = client.submit(url(ids), {"action": "change"})
    assert again.headers["Location"].endswith(url(ids, "/check"))
    assert "Parks" in client.get(url(ids, "/check")).get_data(as_text=True)
    assert client.submit(url(ids, "/submit")).status_code == 303
    assert client.submit(url(ids, "/submit")).headers["Location"].endswith(url(ids, "/done"))
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 1 and counted[(ids.single, 2, -1, "", "")] == 1
    with app.app_context():
        assert db.session.scalar(select(func.count(Answer.id)).where(Answer.draft.is_(True))) == 0


def test_a_copy_being_changed_is_never_read_by_officers(app, client, sent, people):
    ids, response_id = sent
    assert client.submit(url(ids), {"action": "change"}).status_code == 303
    client.submit(url(ids, f"/{ids.short}"), form_for(ids, "short", **{f"q{ids.short}": "A secret new answer"}))
    with app.app_context():
        draft = db.session.scalar(select(Answer).where(Answer.draft.is_(True), Answer.question_id == ids.short))
        draft_id = draft.id
        # The unchanged long answer kept its approval in the copy.
        assert (
            db.session.scalar(select(Answer.moderation).where(Answer.draft.is_(True), Answer.question_id == ids.long))
            == "approved"
        )
    officer = client.application.test_client()
    officer.sign_in(people["officer"].email)
    assert "A secret new answer" not in officer.get("/consultations/moderation").get_data(as_text=True)
    assert "A secret new answer" not in officer.get(f"/consultations/{ids.consultation}/export.csv").get_data(
        as_text=True
    )
    # A tampered id cannot moderate the copy either.
    tampered = officer.submit(f"/consultations/answers/{draft_id}/moderate", {"decision": "approve"})
    assert tampered.status_code == 303
    with app.app_context():
        assert db.session.get(Answer, draft_id).moderation == "pending"
    # Once sent, the changed answer waits for moderation; the unchanged one stays approved.
    assert client.submit(url(ids, "/submit")).status_code == 303
    assert "A secret new answer" in officer.get("/consultations/moderation").get_data(as_text=True)
    with app.app_context():
        moderation = dict(
            db.session.execute(
                select(Answer.question_id, Answer.moderation).where(
                    Answer.response_id == response_id, Answer.question_id.in_([ids.short, ids.long])
                )
            ).all()
        )
    assert moderation == {ids.short: "pending", ids.long: "approved"}


@pytest.mark.commits
def test_sending_changes_from_twenty_tabs_at_once_counts_once(app, client, sent):
    ids, _ = sent
    change_single_to_parks(client, ids)
    statuses = send_from_tabs_at_once(app, client, url(ids, "/submit"), 20)
    assert statuses == [303] * 20
    counted = assert_counters_match(app, ids)
    assert counted[(0, -1, -1, "", "")] == 1 and counted[(ids.single, 2, -1, "", "")] == 1
    with app.app_context():
        changed = db.session.scalar(
            select(func.count(AuditEntry.id)).where(AuditEntry.action == "consultation.response_changed")
        )
        assert changed == 1
