"""Starting a new consultation request from a copy of an earlier one (#14.20):
its words and questions are copied, never its dates, state, review, answers,
results or feedback; a partner copies only their own (404 for another's)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import Answer, AuditEntry, Consultation, Question, Response, Tally, User
from portal.models.base import utcnow
from tests.conftest import Person, add_person
from tests.consultations.test_requests import client_for
from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory, TallyFactory


def earlier(people, owner: Person | None = None, **fields) -> int:
    """A closed consultation that ran (the partner's, or ``owner``'s): reviewed, answered, counted,
    released, with "You said, we did"."""
    partner = owner or people["partner"]
    source = ConsultationFactory(
        title="Getting help with your mental health",
        organisation="Coastal Minds",
        why="We want to know what makes it hard to ask for help.",
        what_happens="We will change how our service works.",
        audience="public",
        anonymous_to_partner=False,
        opens=-40,
        closes=-10,
        partner=partner,
        created_by=partner,
        review_comment="Looks good.",
        reviewed_by_id=people["officer"].id,
        results_released_at=utcnow(),
        feedback="We changed our opening times.",
        feedback_published_at=utcnow(),
        version=7,
        **fields,
    )
    choice = QuestionFactory(
        consultation=source,
        position=1,
        kind="single",
        prompt="Who do you talk to?",
        help="Choose one.",
        required=True,
        options=["A friend", "A teacher", "Nobody"],
    )
    QuestionFactory(
        consultation=source,
        position=2,
        kind="rating",
        prompt="How easy is it?",
        scale_max=7,
        low_label="Very hard",
        high_label="Very easy",
    )
    QuestionFactory(consultation=source, position=3, kind="long_text", prompt="Anything else?")
    response = ResponseFactory(consultation=source, respondent=people["young_person"], submitted=True)
    AnswerFactory(response=response, question=choice, option=1)
    TallyFactory(consultation=source, count=1)
    db.session.commit()
    return source.id


def copies(app) -> list[Consultation]:
    with app.app_context():
        found = list(db.session.scalars(select(Consultation).where(Consultation.title.startswith("Copy of"))))
        db.session.expunge_all()
        return found


class TestCopy:
    def test_a_partner_copies_their_consultation_words_and_questions_only(self, app, people):
        with app.app_context():
            source_id = earlier(people)
        partner = client_for(app, people["partner"].email)
        response = partner.submit(f"/consultations/{source_id}/copy")
        [copy] = copies(app)
        assert response.status_code == 303 and response.headers["Location"] == f"/consultations/{copy.id}/edit"
        page = partner.get(response.headers["Location"]).get_data(as_text=True)
        assert "copied from “Getting help with your mental health”" in page
        assert "Copy of Getting help with your mental health" in page

        # The words, the audience and the anonymity come along; it is the partner's own new draft.
        assert (copy.title, copy.organisation, copy.why, copy.what_happens) == (
            "Copy of Getting help with your mental health",
            "Coastal Minds",
            "We want to know what makes it hard to ask for help.",
            "We will change how our service works.",
        )
        assert (copy.audience, copy.anonymous_to_partner) == ("public", False)
        assert (copy.partner_id, copy.created_by_id) == (people["partner"].id, people["partner"].id)
        # Nothing of the consultation that ran: no dates, state, review, results or feedback.
        assert (copy.status, copy.version, copy.opens_on, copy.closes_on) == ("draft", 1, None, None)
        assert (copy.review_comment, copy.reviewed_by_id, copy.approved_at) == ("", None, None)
        assert (copy.results_released_at, copy.feedback, copy.feedback_published_at) == (None, "", None)
        assert (copy.feedback_pending, copy.feedback_review_comment) == ("", "")

        with app.app_context():
            questions = list(
                db.session.scalars(
                    select(Question).where(Question.consultation_id == copy.id).order_by(Question.position)
                )
            )
            assert [
                (q.position, q.kind, q.prompt, q.help, q.required, q.options, q.scale_max, q.low_label, q.high_label)
                for q in questions
            ] == [
                (
                    1,
                    "single",
                    "Who do you talk to?",
                    "Choose one.",
                    True,
                    ["A friend", "A teacher", "Nobody"],
                    5,
                    "",
                    "",
                ),
                (2, "rating", "How easy is it?", "", False, [], 7, "Very hard", "Very easy"),
                (3, "long_text", "Anything else?", "", False, [], 5, "", ""),
            ]
            # No answers, responses or counters; the earlier consultation is as it was.
            assert not db.session.scalar(select(func.count(Response.id)).where(Response.consultation_id == copy.id))
            assert not db.session.scalar(select(func.count(Tally.id)).where(Tally.consultation_id == copy.id))
            assert db.session.scalar(select(func.count(Answer.id))) == 1
            source = db.session.get(Consultation, source_id)
            assert source.status == "approved" and source.feedback and source.version == 7
            assert db.session.scalar(select(func.count(Question.id)).where(Question.consultation_id == source_id)) == 3
            entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "consultation.copied"))
            assert (entry.actor_id, entry.subject_id) == (people["partner"].id, copy.id)
            assert f"From request {source_id}" in entry.summary

        # The copy is a draft like any other: the dates are what it needs before it can be sent.
        sent = partner.submit(f"/consultations/{copy.id}/submit").get_data(as_text=True)
        assert "Enter the date the consultation opens" in sent and "Add at least one question" not in sent

    def test_a_partner_cannot_copy_another_partners_request(self, app, people):
        """IDOR: another partner's request is not found, even an approved one anyone can read."""
        with app.app_context():
            other = add_person("partner", email="other.partner@test.example", name="Other P.", organisation="Other")
            approved = earlier(people, owner=other)
            draft = ConsultationFactory(title="Their draft", status="draft", partner=other, created_by=other).id
            db.session.commit()
        partner = client_for(app, people["partner"].email)
        assert partner.get(f"/consultations/{approved}").status_code == 200  # public, yet not theirs to copy
        for consultation_id in (approved, draft, 999999):
            assert partner.submit(f"/consultations/{consultation_id}/copy").status_code == 404
        assert copies(app) == []
        page = partner.get(f"/consultations/{approved}").get_data(as_text=True)
        assert "Copy it into a new request" not in page

    def test_an_officer_copies_any_request_keeping_its_partner_while_they_are_one(self, app, people):
        with app.app_context():
            source_id = earlier(people)
        officer = client_for(app, people["officer"].email)
        assert "Copy it into a new request" in officer.get(f"/consultations/{source_id}").get_data(as_text=True)
        assert officer.submit(f"/consultations/{source_id}/copy").status_code == 303
        [copy] = copies(app)
        assert (copy.partner_id, copy.created_by_id) == (people["partner"].id, people["officer"].id)
        # The partner's account closed since: the copy is the council's until a partner is chosen.
        with app.app_context():
            db.session.get(User, people["partner"].id).active = False
            db.session.commit()
        officer.submit(f"/consultations/{source_id}/copy")
        assert [c.partner_id for c in copies(app)] == [people["partner"].id, None]

    def test_a_long_title_is_cut_to_fit(self, app, people):
        with app.app_context():
            source_id = earlier(people)
            db.session.get(Consultation, source_id).title = "x" * 200
            db.session.commit()
        client_for(app, people["partner"].email).submit(f"/consultations/{source_id}/copy")
        [copy] = copies(app)
        assert len(copy.title) == 200 and copy.title.startswith("Copy of xxx") and copy.title.endswith("…")

    @pytest.mark.parametrize("role", ["chair", "young_person", "youth_member", "cabinet_member"])
    def test_only_partners_and_officers_copy(self, app, people, role):
        with app.app_context():
            source_id = earlier(people)
        client = client_for(app, people[role].email)
        assert "Copy it into a new request" not in client.get(f"/consultations/{source_id}").get_data(as_text=True)
        assert client.submit(f"/consultations/{source_id}/copy").status_code == 403
        assert copies(app) == []


class TestChoosing:
    def test_the_new_request_page_offers_a_copy_once_there_is_one(self, app, people):
        partner = client_for(app, people["partner"].email)
        assert "Start from a copy of an earlier request" not in partner.get("/consultations/new").get_data(as_text=True)
        with app.app_context():
            earlier(people)
        page = partner.get("/consultations/new").get_data(as_text=True)
        assert 'href="/consultations/copy"' in page

    def test_a_partner_chooses_among_their_own_and_an_officer_among_all(self, app, people):
        with app.app_context():
            mine = earlier(people)
            other = add_person("partner", email="other.partner@test.example", name="Other P.", organisation="Other")
            theirs = ConsultationFactory(title="Their own request", status="draft", partner=other).id
            db.session.commit()
        partner = client_for(app, people["partner"].email)
        page = partner.get("/consultations/copy").get_data(as_text=True)
        assert f'action="/consultations/{mine}/copy"' in page and "Their own request" not in page
        assert f'action="/consultations/{theirs}/copy"' not in page
        assert 'Copy<span class="govuk-visually-hidden"> “Getting help with your mental health”</span>' in page
        officer = client_for(app, people["officer"].email)
        page = officer.get("/consultations/copy").get_data(as_text=True)
        assert f'action="/consultations/{mine}/copy"' in page and f'action="/consultations/{theirs}/copy"' in page
        assert "Every request (2)" in page

    def test_nothing_to_copy_says_so(self, app, people):
        page = client_for(app, people["partner"].email).get("/consultations/copy").get_data(as_text=True)
        assert "You have no earlier requests to copy yet." in page

    def test_the_list_runs_a_fixed_number_of_queries(self, app, people, count_queries):
        officer = client_for(app, people["officer"].email)
        partner = client_for(app, people["partner"].email)

        def queries() -> tuple[int, int]:
            counts = []
            for client in (officer, partner):
                with count_queries() as counter:
                    assert client.get("/consultations/copy").status_code == 200
                counts.append(counter.count)
            return counts[0], counts[1]

        with app.app_context():
            ConsultationFactory(partner=people["partner"])
            db.session.commit()
        small = queries()
        with app.app_context():
            for n in range(40):
                ConsultationFactory(partner=people["partner"] if n % 2 else None, status="draft")
            db.session.commit()
        assert queries() == small
        assert 'href="/consultations/copy?page=2"' in officer.get("/consultations/copy").get_data(as_text=True)
