"""Consultation requests: drafting with the question builder (with and without
JavaScript), the preview, submitting, returning and approving; the list and a
consultation's page; bad input; who may see what; fixed query counts."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEntry, Consultation, Notification, Question, Response, User
from portal.templating import local_today
from tests.conftest import PortalClient, add_person, outbox_messages, shows_49
from tests.factories import ConsultationFactory, QuestionFactory, ResponseFactory

HX = {"HX-Request": "true"}
TODAY = local_today()


def day(offset: int) -> list[str]:
    """A date ``offset`` days from today, as the three boxes of a date input."""
    when = TODAY + timedelta(days=offset)
    return [str(when.day), str(when.month), str(when.year)]


def client_for(app, email) -> PortalClient:
    app.test_client_class = PortalClient
    client = app.test_client()
    assert client.sign_in(email).status_code == 303
    return client


def details(**fields) -> dict:
    data = {
        "title": "Getting help with your mental health",
        "organisation": "A mental health service",
        "why": "We want to know what makes it hard to ask for help.",
        "what_happens": "We will change how our service works and tell you what we changed.",
        "opens_on": day(7),
        "closes_on": day(37),
        "audience": "young_people",
        "anonymous": "yes",
        "partner": "",
    }
    data.update(fields)
    return data


def new_request(client, **fields):
    return client.submit("/consultations/new", details(**fields))


def consultation(app, consultation_id: int = 1) -> Consultation | None:
    with app.app_context():
        found = db.session.get(Consultation, consultation_id)
        if found is not None:
            db.session.expunge(found)
        return found


def questions(app, consultation_id: int = 1) -> list[Question]:
    with app.app_context():
        found = list(
            db.session.scalars(
                select(Question).where(Question.consultation_id == consultation_id).order_by(Question.position)
            )
        )
        for question in found:
            db.session.expunge(question)
        return found


def add(client, kind: str, consultation_id: int = 1, headers=None):
    return client.submit(f"/consultations/{consultation_id}/questions/add", {"kind": kind}, headers=headers or {})


def save_question(client, question_id: int, consultation_id: int = 1, headers=None, **fields):
    data = {"prompt": "What helps you?", "help": "", "options": "", "scale_max": "5", "low_label": "", "high_label": ""}
    data.update(fields)
    return client.submit(f"/consultations/{consultation_id}/questions/{question_id}", data, headers=headers or {})


def latest_question_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(Question.id).order_by(Question.id.desc()))


def autofocused(html: str) -> list[str]:
    """The ids of the elements marked to take focus after a swap."""
    return re.findall(r'<[^>]*\bid="([^"]+)"[^>]*\bdata-autofocus', html) + re.findall(
        r'<[^>]*\bdata-autofocus[^>]*\bid="([^"]+)"', html
    )


def full_question(kind: str) -> dict:
    """Valid values for a question of ``kind``."""
    values = {"prompt": f"A {kind} question?", "help": f"Help for {kind}", "required": "y"}
    if kind in ("single", "multiple", "ranking"):
        values["options"] = "Talking to a friend\nTalking to a teacher\nLooking online"
    if kind == "rating":
        values.update(scale_max="7", low_label="Not at all", high_label="Very much")
    return values


KINDS = ["short_text", "long_text", "single", "multiple", "rating", "ranking"]


@pytest.fixture
def partner(app, people) -> PortalClient:
    return client_for(app, people["partner"].email)


@pytest.fixture
def drafted(app, partner) -> PortalClient:
    """The partner's draft (id 1) with one complete question of every kind, in KINDS order."""
    assert new_request(partner).status_code == 303
    for kind in KINDS:
        assert add(partner, kind).status_code == 303
        assert save_question(partner, latest_question_id(app), **full_question(kind)).status_code == 303
    return partner


# ---------------------------------------------------------------- the whole flow


class TestFlow:
    def test_draft_edit_reorder_delete_preview_submit_return_resubmit_approve(self, app, people, partner):
        created = new_request(partner)
        assert created.status_code == 303 and created.headers["Location"] == "/consultations/1/edit#questions"
        page = partner.get("/consultations/1/edit").get_data(as_text=True)
        assert "There are no questions yet" in page and "Getting help with your mental health" in page
        saved = consultation(app)
        assert saved.status == "draft" and saved.partner_id == people["partner"].id
        assert saved.opens_on == TODAY + timedelta(days=7) and saved.anonymous_to_partner

        # Every kind of question: half with htmx, half as plain forms.
        for number, kind in enumerate(KINDS, start=1):
            headers = HX if number % 2 else {}
            response = add(partner, kind, headers=headers)
            question_id = latest_question_id(app)
            if headers:
                body = response.get_data(as_text=True)
                assert response.status_code == 200 and body.lstrip().startswith('<div id="questions"')
                assert "prompt" in autofocused(body)
                assert f"Question {number} added" in body and 'data-hx-swap-oob="innerHTML"' in body
            else:
                assert response.status_code == 303
                assert response.headers["Location"] == f"/consultations/1/questions/{question_id}"
                assert partner.get(response.headers["Location"]).status_code == 200
            saved = save_question(partner, question_id, headers=headers, **full_question(kind))
            assert saved.status_code == (200 if headers else 303)
        stored = questions(app)
        assert [q.kind for q in stored] == KINDS
        assert [q.position for q in stored] == [1, 2, 3, 4, 5, 6]
        assert stored[2].options == ["Talking to a friend", "Talking to a teacher", "Looking online"]
        assert (stored[4].scale_max, stored[4].low_label, stored[4].high_label) == (7, "Not at all", "Very much")
        assert all(q.required and q.help for q in stored)

        # Each question shows its number, kind, prompt and whether it is required.
        page = partner.get("/consultations/1/edit").get_data(as_text=True)
        assert "Question 5: a rating scale" in page and "A rating question?" in page and "Required" in page

        # Change one: optional now.
        ranking = stored[5]
        assert save_question(partner, ranking.id, **{**full_question("ranking"), "required": ""}).status_code == 303
        assert not questions(app)[5].required

        # Reorder: the ranking question up two places.
        for _ in range(2):
            assert (
                partner.submit(f"/consultations/1/questions/{ranking.id}/move", {"direction": "up"}).status_code == 303
            )
        assert [q.kind for q in questions(app)] == [
            "short_text",
            "long_text",
            "single",
            "ranking",
            "multiple",
            "rating",
        ]

        # Remove one: without JavaScript a page asks first.
        long_text = stored[1]
        asked = partner.submit(f"/consultations/1/questions/{long_text.id}/delete")
        assert asked.status_code == 200 and "Remove question 2?" in asked.get_data(as_text=True)
        assert len(questions(app)) == 6
        assert (
            partner.submit(f"/consultations/1/questions/{long_text.id}/delete", {"confirmed": "yes"}).status_code == 303
        )
        assert [(q.kind, q.position) for q in questions(app)] == [
            ("short_text", 1),
            ("single", 2),
            ("ranking", 3),
            ("multiple", 4),
            ("rating", 5),
        ]

        # The preview: every question as a respondent sees it, disabled.
        preview = partner.get("/consultations/1/preview")
        assert preview.status_code == 200
        html = preview.get_data(as_text=True)
        assert "This is a preview: answers are not saved" in html
        for number, question in enumerate(questions(app), start=1):
            assert f"Question {number} of 5: {question.prompt}" in html
        assert "Talking to a teacher" in html and "Not at all" in html and " disabled" in html

        # Sent: officers and the Chair are told.
        sent = partner.submit("/consultations/1/submit")
        assert sent.status_code == 303 and sent.headers["Location"] == "/consultations/1"
        assert consultation(app).status == "submitted"
        with app.app_context():
            told = set(db.session.scalars(select(Notification.user_id).where(Notification.link == "/consultations/1")))
        assert told == {people["officer"].id, people["chair"].id}
        assert {m["To"] for m in outbox_messages(app)} == {people["officer"].email, people["chair"].email}

        # Waiting: the partner cannot change it.
        locked = partner.get("/consultations/1/edit").get_data(as_text=True)
        assert "cannot be changed now" in locked and "Save the details" not in locked
        assert add(partner, "short_text").status_code == 303
        assert len(questions(app)) == 5

        # The officer returns it with a comment; the partner is told and sees it.
        officer = client_for(app, people["officer"].email)
        review = officer.get("/consultations/1").get_data(as_text=True)
        assert "Approve the consultation" in review and "Return it with comments" in review
        returned = officer.submit("/consultations/1/return", {"comment": "Please say when people will hear back."})
        assert returned.status_code == 303
        saved = consultation(app)
        assert saved.status == "returned" and saved.review_comment == "Please say when people will hear back."
        assert saved.reviewed_by_id == people["officer"].id
        with app.app_context():
            assert db.session.scalar(
                select(Notification.message).where(Notification.user_id == people["partner"].id)
            ).startswith("Your consultation request")
        page = partner.get("/consultations/1/edit").get_data(as_text=True)
        assert "Returned with comments" in page and "Please say when people will hear back." in page

        # The partner changes the details and sends it again.
        changed = partner.submit(
            "/consultations/1/edit",
            details(what_happens="We will change our service and tell you in March.", base_version=str(saved.version)),
        )
        assert changed.status_code == 303
        assert consultation(app).what_happens == "We will change our service and tell you in March."
        assert partner.submit("/consultations/1/submit").status_code == 303
        assert consultation(app).status == "submitted"

        # The Chair approves it; the partner is told.
        chair = client_for(app, people["chair"].email)
        assert chair.submit("/consultations/1/approve").status_code == 303
        saved = consultation(app)
        assert saved.status == "approved" and saved.approved_at is not None
        assert saved.reviewed_by_id == people["chair"].id
        with app.app_context():
            messages = list(
                db.session.scalars(
                    select(Notification.message)
                    .where(Notification.user_id == people["partner"].id)
                    .order_by(Notification.id)
                )
            )
            actions = list(
                db.session.scalars(select(AuditEntry.action).where(AuditEntry.subject_type == "consultation"))
            )
        assert messages[-1].startswith("Your consultation “Getting help with your mental health” is approved")
        for action in (
            "consultation.drafted",
            "consultation.question_added",
            "consultation.question_changed",
            "consultation.question_moved",
            "consultation.question_removed",
            "consultation.submitted",
            "consultation.returned",
            "consultation.approved",
        ):
            assert action in actions
        # Approved: nothing changes any more.
        assert partner.submit("/consultations/1/approve").status_code == 403
        assert "This consultation is approved, so it cannot be changed" in partner.get(
            "/consultations/1/edit"
        ).get_data(as_text=True)

    def test_an_officer_drafts_for_a_partner(self, app, people):
        officer = client_for(app, people["officer"].email)
        with app.app_context():
            inactive = add_person("partner", email="gone@test.example", name="Gone P.")
            db.session.get(User, inactive.id).active = False
            db.session.commit()
        form = officer.get("/consultations/new").get_data(as_text=True)
        assert f'value="{people["partner"].id}"' in form and f'value="{inactive.id}"' not in form
        assert new_request(officer, partner=str(people["partner"].id)).status_code == 303
        saved = consultation(app)
        assert saved.partner_id == people["partner"].id and saved.created_by_id == people["officer"].id
        # The partner it is for can follow it.
        partner = client_for(app, people["partner"].email)
        assert partner.get("/consultations/1/edit").status_code == 200
        # No partner: the council asks.
        assert new_request(officer, partner="").status_code == 303
        assert consultation(app, 2).partner_id is None
        assert partner.get("/consultations/2").status_code == 404

    def test_a_closed_partner_account_stays_chosen_when_an_officer_saves(self, app, people):
        officer = client_for(app, people["officer"].email)
        new_request(officer, partner=str(people["partner"].id))
        with app.app_context():
            db.session.get(User, people["partner"].id).active = False
            db.session.commit()
        page = officer.get("/consultations/1/edit").get_data(as_text=True)
        assert f'value="{people["partner"].id}" selected' in page
        saved = officer.submit("/consultations/1/edit", details(partner=str(people["partner"].id), base_version="1"))
        assert saved.status_code == 303 and consultation(app).partner_id == people["partner"].id

    def test_approval_refused_once_the_closing_date_has_passed(self, app, people):
        with app.app_context():
            ConsultationFactory(
                title="Late",
                organisation="O",
                why="W",
                what_happens="H",
                status="submitted",
                opens=-10,
                closes=-1,
                partner=people["partner"],
            )
            db.session.commit()
        chair = client_for(app, people["chair"].email)
        response = chair.submit("/consultations/1/approve", follow_redirects=True)
        assert "Its closing date has passed" in response.get_data(as_text=True)
        assert consultation(app).status == "submitted"


# ---------------------------------------------------------------- the list and the page


class TestListAndPage:
    @pytest.fixture
    def open_ones(self, app, people):
        with app.app_context():
            ConsultationFactory(audience="public", title="Public one", closes=10)
            ConsultationFactory(audience="young_people", title="Young people one", closes=10)
            ConsultationFactory(audience="youth_cabinet", title="Youth Cabinet one", closes=10)
            ConsultationFactory(audience="public", title="Not open yet", opens=3, closes=20)
            ConsultationFactory(audience="public", title="Closed already", opens=-20, closes=-1)
            partner = people["partner"]
            ConsultationFactory(title="Secret draft", status="draft", opens_on=None, closes_on=None, partner=partner)
            ConsultationFactory(title="Waiting one", status="submitted", opens_on=None, closes_on=None, partner=partner)
            db.session.commit()

    @pytest.mark.parametrize(
        "role, shown",
        [
            ("anonymous", {"Public one"}),
            ("young_person", {"Public one", "Young people one"}),
            ("youth_member", {"Public one", "Young people one", "Youth Cabinet one"}),
            ("cabinet_member", set()),
        ],
    )
    def test_open_now_is_what_this_person_may_answer(self, app, people, open_ones, role, shown):
        client = app.test_client() if role == "anonymous" else client_for(app, people[role].email)
        page = client.get("/consultations").get_data(as_text=True)
        open_now = page[page.index('id="open"') : page.index('id="archive"')]
        listed = set(
            re.findall(r'<h3 class="[^"]*"><a class="govuk-link" href="/consultations/\d+">([^<]+)</a>', open_now)
        )
        assert listed == shown
        assert "Secret draft" not in page and "Waiting for approval" not in page
        if shown:
            assert "Closes on" in page

    def test_partner_sees_their_requests_and_staff_see_the_queue(self, app, people, open_ones):
        partner = client_for(app, people["partner"].email)
        page = partner.get("/consultations").get_data(as_text=True)
        assert "Your requests" in page and "Secret draft" in page and "Waiting one" in page
        assert "All requests" not in page
        for role in ("officer", "chair"):
            page = client_for(app, people[role].email).get("/consultations").get_data(as_text=True)
            waiting = page.split('id="waiting"', 1)[1].split("</table>", 1)[0]
            assert "Waiting one" in waiting and "Secret draft" not in waiting
            assert "All requests (7)" in page and "Secret draft" in page

    def test_the_page_says_who_asks_why_and_what_happens(self, app, people, open_ones):
        page = app.test_client().get("/consultations/1").get_data(as_text=True)
        for text in (
            "Who is asking",
            "A service",
            "Why they are asking",
            "What will happen with the answers",
            "Opens",
            "Closes",
            "Anyone (the public, no account needed)",
            "Your answers are anonymous",
        ):
            assert text in page
        assert 'href="/consultations/1/respond"' in page and ">\n            Start" in page

    def test_start_continue_and_answered(self, app, people, open_ones):
        young = client_for(app, people["young_person"].email)
        assert 'href="/consultations/2/respond"' in young.get("/consultations/2").get_data(as_text=True)
        with app.app_context():
            ResponseFactory(consultation_id=2, respondent=people["young_person"])
            db.session.commit()
        assert "Continue your answers" in young.get("/consultations/2").get_data(as_text=True)
        with app.app_context():
            db.session.scalar(select(Response)).status = "submitted"
            db.session.commit()
        page = young.get("/consultations/2").get_data(as_text=True)
        assert "You have sent your answers" in page and 'href="/consultations/2/respond"' not in page
        # #12.3: until it closes, the page offers the way back to change the sent answers.
        assert 'action="/consultations/2/respond"' in page and 'value="change"' in page
        assert ">Change your answers</button>" in page

    def test_outside_the_audience_and_outside_the_dates(self, app, people, open_ones):
        visitor = app.test_client().get("/consultations/2").get_data(as_text=True)
        assert "Sign in with your account to answer it" in visitor and "/respond" not in visitor
        young = client_for(app, people["young_person"].email)
        assert "only for members of the Youth Cabinet" in young.get("/consultations/3").get_data(as_text=True)
        assert "This consultation opens on" in young.get("/consultations/4").get_data(as_text=True)
        assert "This consultation closed on" in young.get("/consultations/5").get_data(as_text=True)

    def test_drafts_only_for_their_partner_officers_and_the_chair(self, app, people, open_ones):
        assert app.test_client().get("/consultations/6").status_code == 404
        for role in ("young_person", "youth_member", "cabinet_member"):
            assert client_for(app, people[role].email).get("/consultations/6").status_code == 404
        for role in ("partner", "officer", "chair"):
            assert client_for(app, people[role].email).get("/consultations/6").status_code == 200

    def test_space_is_left_for_results_and_feedback(self, app):
        with app.app_context():
            assert "after_details" in app.jinja_env.get_template("consultations/requests/show.html").blocks


# ---------------------------------------------------------------- bad input


class TestBadInput:
    @pytest.mark.parametrize(
        "fields, message",
        [
            ({"title": ""}, "Enter a title for the consultation"),
            ({"title": "   "}, "Enter a title for the consultation"),
            ({"title": "T" * 201}, "The title must be 200 characters or fewer (you typed 201)"),
            ({"why": "w" * 100_000}, "Why you are asking must be 5000 characters or fewer"),
            ({"closes_on": day(3)}, "The closing date must be on or after the opening date"),
            ({"opens_on": ["31", "2", "2030"]}, "Enter a real date"),
            ({"opens_on": ["1", "1", "1999"]}, "Enter a date between the years 2000 and 2100"),
            ({"opens_on": "tampered"}, "Enter a real date"),
            ({"closes_on": ["1", "2", "3", "4"]}, "Enter a real date"),
            ({"audience": "everyone<script>"}, "Choose who can answer from the list"),
            ({"anonymous": "maybe"}, "Choose whether the organisation can see who answered"),
        ],
    )
    def test_details_refused_next_to_the_field_keeping_what_was_typed(self, app, partner, fields, message):
        response = new_request(partner, **{"what_happens": "Kept: we will tell you 🙂", **fields})
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and "There is a problem" in page and "govuk-error-message" in page
        assert "Kept: we will tell you 🙂" in page
        assert consultation(app) is None

    def test_an_officer_cannot_choose_a_stranger_as_partner(self, app, people):
        officer = client_for(app, people["officer"].email)
        for value in ("999999", str(people["youth_member"].id), "x"):
            response = new_request(officer, partner=value)
            assert response.status_code == 422 and "Choose a partner from the list" in response.get_data(as_text=True)
        assert consultation(app) is None

    @pytest.mark.parametrize("text", ["<script>alert(1)</script>", "{{7*7}}", "<b onmouseover=alert(1)>x</b>"])
    def test_markup_is_shown_as_typed_never_run(self, app, people, partner, text):
        assert (
            new_request(partner, title=f"T {text}", organisation=text, why=text, what_happens=text).status_code == 303
        )
        add(partner, "single")
        save_question(partner, latest_question_id(app), prompt=text, help=text, options=f"{text}\nSecond")
        partner.submit("/consultations/1/submit")
        officer = client_for(app, people["officer"].email)
        for client, url in (
            (partner, "/consultations/1/edit"),
            (partner, "/consultations/1"),
            (partner, "/consultations/1/preview"),
            (partner, "/consultations"),
            (officer, "/consultations"),
            (officer, "/consultations/1"),
        ):
            page = client.get(url).get_data(as_text=True)
            main = page.split("<main", 1)[1]
            assert "<script>alert(1)</script>" not in main and "<b onmouseover" not in main, url
            assert not shows_49(main), url
        assert consultation(app).title == f"T {text}"

    def test_unicode_is_kept_exactly(self, app, partner):
        title = "مرحبا 🙂 Zoë’s “help” 日本"
        assert new_request(partner, title=title).status_code == 303
        assert consultation(app).title == title
        assert title in partner.get("/consultations/1").get_data(as_text=True)

    @pytest.mark.parametrize("kind", ["essay", "", "short_text<script>", "rating'; drop table user; --"])
    def test_unknown_question_kind(self, app, partner, kind):
        new_request(partner)
        for headers in ({}, HX):
            response = add(partner, kind, headers=headers)
            assert response.status_code == 422
            assert "Choose what kind of question to add" in response.get_data(as_text=True)
        assert questions(app) == []

    @pytest.mark.parametrize(
        "kind, fields, message",
        [
            ("short_text", {"prompt": ""}, "Enter the question"),
            ("short_text", {"prompt": "Q" * 501}, "The question must be 500 characters or fewer"),
            ("short_text", {"help": "h" * 1001}, "The help text must be 1000 characters or fewer"),
            ("single", {"options": "Only one"}, "Enter at least 2 options"),
            ("single", {"options": "\n\n  \n"}, "Enter at least 2 options"),
            (
                "multiple",
                {"options": "\n".join(f"Option {n}" for n in range(13))},
                "Enter 12 options or fewer (you entered 13)",
            ),
            ("ranking", {"options": "Yes\nNo\n yes "}, "Each option must be different: “yes” is there twice"),
            ("single", {"options": "A\n" + "B" * 201}, "Each option must be 200 characters or fewer"),
            ("single", {"options": "x" * 3001}, "The options must be 3000 characters or fewer"),
            ("rating", {"scale_max": "11", "low_label": "Low", "high_label": "High"}, "from 2 to 10"),
            ("rating", {"scale_max": "1", "low_label": "Low", "high_label": "High"}, "from 2 to 10"),
            ("rating", {"scale_max": "five", "low_label": "Low", "high_label": "High"}, "from 2 to 10"),
            ("rating", {"low_label": "", "high_label": "High"}, "Enter the words for the lowest point"),
            ("rating", {"low_label": "Low", "high_label": ""}, "Enter the words for the highest point"),
        ],
    )
    def test_question_refused_next_to_the_field_keeping_what_was_typed(self, app, partner, kind, fields, message):
        new_request(partner)
        add(partner, kind)
        question_id = latest_question_id(app)
        values = {"prompt": "Kept question 🙂", **fields}
        for headers in ({}, HX):
            response = save_question(partner, question_id, headers=headers, **values)
            assert response.status_code == 422
            page = response.get_data(as_text=True)
            assert message in page and "govuk-error-message" in page and "There is a problem" in page
            if values["prompt"] and len(values["prompt"]) < 100:
                assert "Kept question 🙂" in page
        stored = questions(app)[0]
        assert stored.prompt == "" and stored.options == []

    def test_blank_lines_and_spaces_in_options_are_tidied(self, app, partner):
        new_request(partner)
        add(partner, "single")
        save_question(partner, latest_question_id(app), prompt="Pick", options="  Yes  \n\n No   thanks \n")
        assert questions(app)[0].options == ["Yes", "No thanks"]

    def test_tampered_steps(self, app, partner):
        new_request(partner)
        add(partner, "short_text")
        question_id = latest_question_id(app)
        moved = partner.submit(
            f"/consultations/1/questions/{question_id}/move", {"direction": "sideways"}, follow_redirects=True
        )
        assert "Choose up or down" in moved.get_data(as_text=True)
        moved = partner.submit(f"/consultations/1/questions/{question_id}/move", {"direction": "up"}, headers=HX)
        assert moved.status_code == 422 and "This question is already the first one" in moved.get_data(as_text=True)
        for url in (
            f"/consultations/1/questions/{2**40}",
            f"/consultations/1/questions/{2**40}/move",
            f"/consultations/{2**40}/edit",
            "/consultations/0",
            f"/consultations/{2**40}",
        ):
            response = partner.get(url) if "move" not in url else partner.submit(url, {"direction": "up"})
            assert response.status_code == 404, url
        stale = partner.submit("/consultations/1/edit", details(base_version="not a number"))
        assert stale.status_code == 409 and "Someone else changed this request" in stale.get_data(as_text=True)

    def test_submit_refused_until_complete_saying_everything_at_once(self, app, partner):
        new_request(partner, organisation="", why="", what_happens="", opens_on=["", "", ""], closes_on=["", "", ""])
        add(partner, "single")
        response = partner.submit("/consultations/1/submit")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        for message in (
            "Your request cannot be sent yet",
            "Enter the name of the organisation that is asking",
            "Say why you are asking",
            "Say what will happen with the answers",
            "Enter the date the consultation opens",
            "Enter the date the consultation closes",
            "Question 1 has no words yet",
        ):
            assert message in page
        assert consultation(app).status == "draft"

    def test_submit_refused_without_questions_or_opening_in_the_past(self, app, partner):
        new_request(partner, opens_on=day(-1))
        page = partner.submit("/consultations/1/submit").get_data(as_text=True)
        assert "Add at least one question" in page and "The opening date is in the past" in page
        assert 'href="#questions"' in page and 'href="#opens_on"' in page
        assert consultation(app).status == "draft"

    def test_return_needs_a_comment_and_only_a_waiting_request(self, app, people, drafted):
        officer = client_for(app, people["officer"].email)
        early = officer.submit("/consultations/1/return", {"comment": "Too early"}, follow_redirects=True)
        assert "no longer waiting for approval" in early.get_data(as_text=True)
        assert officer.submit("/consultations/1/approve").status_code == 303
        assert consultation(app).status == "draft"
        drafted.submit("/consultations/1/submit")
        for comment, message in (("", "Write what needs to change"), ("c" * 2001, "2000 characters or fewer")):
            response = officer.submit("/consultations/1/return", {"comment": comment})
            assert response.status_code == 422 and message in response.get_data(as_text=True)
            assert "There is a problem" in response.get_data(as_text=True)
        assert consultation(app).status == "submitted"

    def test_two_tabs_editing_the_details(self, app, people, partner):
        new_request(partner)
        officer = client_for(app, people["officer"].email)
        mine = str(people["partner"].id)
        assert (
            officer.submit(
                "/consultations/1/edit", details(title="The officer's title", base_version="1", partner=mine)
            ).status_code
            == 303
        )
        stale = partner.submit("/consultations/1/edit", details(title="The partner's title", base_version="1"))
        assert stale.status_code == 409
        page = stale.get_data(as_text=True)
        assert "Someone else changed this request" in page and "The partner&#39;s title" in page
        assert consultation(app).title == "The officer's title"
        # The form now carries the newest version: saving again keeps the partner's words.
        assert 'name="base_version" type="hidden" value="2"' in page or 'value="2"' in page
        assert (
            partner.submit("/consultations/1/edit", details(title="The partner's title", base_version="2")).status_code
            == 303
        )
        assert consultation(app).title == "The partner's title"

    def test_a_question_removed_in_another_tab_keeps_what_was_typed(self, app, partner):
        new_request(partner)
        add(partner, "short_text")
        question_id = latest_question_id(app)
        partner.submit(f"/consultations/1/questions/{question_id}/delete", {"confirmed": "yes"})
        for headers in ({}, HX):
            response = save_question(partner, question_id, headers=headers, prompt="My careful words")
            assert response.status_code == 409
            page = response.get_data(as_text=True)
            assert "This question was removed" in page and "My careful words" in page

    def test_changes_after_sending_keep_what_was_typed(self, app, drafted):
        drafted.submit("/consultations/1/submit")
        response = drafted.submit("/consultations/1/edit", details(title="Late change", base_version="1"))
        assert response.status_code == 409
        assert "could not be saved" in response.get_data(as_text=True) and "Late change" in response.get_data(
            as_text=True
        )
        first = questions(app)[0]
        response = save_question(drafted, first.id, prompt="Late words")
        assert response.status_code == 409 and "Late words" in response.get_data(as_text=True)
        assert questions(app)[0].prompt == first.prompt
        # Nothing offers a change that would be refused.
        opened = drafted.get(f"/consultations/1/questions/{first.id}", follow_redirects=True)
        assert "sent for approval, so it cannot be changed now" in opened.get_data(as_text=True)
        assert (
            drafted.get(f"/consultations/1/questions/{first.id}", headers=HX).headers["HX-Redirect"]
            == "/consultations/1/edit"
        )
        asked = drafted.submit(f"/consultations/1/questions/{first.id}/delete")
        assert asked.status_code == 303 and len(questions(app)) == 6


# ---------------------------------------------------------------- who may do what


class TestAccess:
    def test_a_partner_cannot_see_or_change_another_partners_request(self, app, people, drafted):
        with app.app_context():
            other = add_person("partner", email="other@test.example", name="Other P.")
        stranger = client_for(app, other.email)
        question_id = questions(app)[0].id
        for url in (
            "/consultations/1",
            "/consultations/1/edit",
            "/consultations/1/preview",
            f"/consultations/1/questions/{question_id}",
        ):
            assert stranger.get(url).status_code == 404, url
        for url, data in (
            ("/consultations/1/edit", details(base_version="1")),
            ("/consultations/1/questions/add", {"kind": "rating"}),
            (f"/consultations/1/questions/{question_id}", {"prompt": "Mine now"}),
            (f"/consultations/1/questions/{question_id}/move", {"direction": "down"}),
            (f"/consultations/1/questions/{question_id}/delete", {"confirmed": "yes"}),
            ("/consultations/1/submit", {}),
        ):
            assert stranger.submit(url, data).status_code == 404, url
        assert "Getting help" not in stranger.get("/consultations").get_data(as_text=True)
        assert len(questions(app)) == 6 and consultation(app).status == "draft"

    def test_a_question_of_another_request_is_not_found(self, app, people, drafted):
        new_request(drafted, title="Second")
        question_id = questions(app, 1)[0].id
        assert drafted.get(f"/consultations/2/questions/{question_id}").status_code == 404
        assert (
            drafted.submit(f"/consultations/2/questions/{question_id}/delete", {"confirmed": "yes"}).status_code == 404
        )
        assert len(questions(app, 1)) == 6

    @pytest.mark.parametrize("role", ["young_person", "youth_member", "cabinet_member"])
    def test_young_people_and_councillors_cannot_request(self, app, people, role):
        client = client_for(app, people[role].email)
        assert client.get("/consultations/new").status_code == 403
        assert new_request(client).status_code == 403
        assert consultation(app) is None
        assert "Request a consultation" not in client.get("/consultations").get_data(as_text=True)

    def test_the_chair_reviews_but_does_not_draft(self, app, people, drafted):
        chair = client_for(app, people["chair"].email)
        assert chair.get("/consultations/1").status_code == 200
        assert chair.get("/consultations/1/preview").status_code == 200
        assert chair.get("/consultations/1/edit").status_code == 403
        assert chair.submit("/consultations/1/submit").status_code == 403

    def test_a_partner_cannot_review(self, app, people, drafted):
        drafted.submit("/consultations/1/submit")
        assert drafted.submit("/consultations/1/approve").status_code == 403
        assert drafted.submit("/consultations/1/return", {"comment": "I approve myself"}).status_code == 403
        assert consultation(app).status == "submitted"

    def test_signed_out_goes_to_sign_in(self, app, drafted):
        visitor = app.test_client()
        response = visitor.get("/consultations/new")
        assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]
        response = visitor.get("/consultations/1/edit", headers=HX)
        assert response.status_code == 401 and "HX-Redirect" in response.headers


# ---------------------------------------------------------------- htmx and no JavaScript


class TestBuilder:
    def test_change_inline_with_htmx_then_cancel(self, app, drafted):
        first, second = questions(app)[:2]
        inline = drafted.get(f"/consultations/1/questions/{second.id}", headers=HX)
        body = inline.get_data(as_text=True)
        assert inline.status_code == 200 and body.lstrip().startswith('<div id="questions"')
        assert "Change question 2 of 6: long text" in body and "prompt" in autofocused(body)
        assert "HX-Request" in inline.headers["Vary"]
        cancelled = drafted.get(f"/consultations/1/edit?question={second.id}", headers=HX).get_data(as_text=True)
        assert autofocused(cancelled) == [f"q{second.id}-change"] and "Change question 2" not in cancelled
        saved = save_question(drafted, first.id, headers=HX, prompt="Changed inline")
        body = saved.get_data(as_text=True)
        assert saved.status_code == 200 and autofocused(body) == [f"q{first.id}-change"]
        assert "Question 1 is saved." in body and "Changed inline" in body

    def test_while_one_question_is_open_the_others_wait(self, app, drafted):
        """Moving or adding while a question is open would swap away what is typed in it."""
        first, second = questions(app)[:2]
        body = drafted.get(f"/consultations/1/questions/{second.id}", headers=HX).get_data(as_text=True)
        assert f'id="q{first.id}-up"' not in body and f'id="q{first.id}-delete"' not in body
        assert "/questions/add" not in body and "Save or cancel the question you are changing" in body

    def test_refused_inline_stays_open_with_the_error(self, app, drafted):
        first = questions(app)[0]
        response = save_question(drafted, first.id, headers=HX, prompt="")
        body = response.get_data(as_text=True)
        assert response.status_code == 422 and body.lstrip().startswith('<div id="questions"')
        assert "Enter the question" in body and f'action="/consultations/1/questions/{first.id}"' in body

    @pytest.mark.parametrize(
        "place, direction, keeps",
        [
            (2, "up", "down"),  # it became the first: "Move up" is gone, focus on "Move down"
            (3, "up", "up"),
            (3, "down", "down"),
            (5, "down", "up"),  # it became the last
        ],
    )
    def test_focus_stays_on_the_moved_questions_button(self, app, drafted, place, direction, keeps):
        moved = questions(app)[place - 1]
        response = drafted.submit(f"/consultations/1/questions/{moved.id}/move", {"direction": direction}, headers=HX)
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and body.lstrip().startswith('<div id="questions"')
        assert autofocused(body) == [f"q{moved.id}-{keeps}"]
        after = place - 1 if direction == "up" else place + 1
        assert f"Question {place} moved {direction}. It is now question {after}." in body
        assert [q.id for q in questions(app)].index(moved.id) + 1 == after

    def test_delete_with_htmx_focuses_the_question_in_its_place(self, app, drafted):
        stored = questions(app)
        response = drafted.submit(f"/consultations/1/questions/{stored[1].id}/delete", {"confirmed": "yes"}, headers=HX)
        body = response.get_data(as_text=True)
        assert response.status_code == 200 and autofocused(body) == [f"q{stored[2].id}-title"]
        assert "Question 2 removed" in body and 'data-hx-confirm="Remove question 2?"' in body
        last = drafted.submit(f"/consultations/1/questions/{stored[5].id}/delete", {"confirmed": "yes"}, headers=HX)
        assert autofocused(last.get_data(as_text=True)) == [f"q{stored[4].id}-title"]
        for question in questions(app):
            drafted.submit(f"/consultations/1/questions/{question.id}/delete", {"confirmed": "yes"}, headers=HX)
        empty = drafted.get("/consultations/1/edit?question=0", headers=HX).get_data(as_text=True)
        assert "There are no questions yet" in empty

    def test_every_page_works_without_javascript(self, app, drafted):
        first = questions(app)[0]
        page = drafted.get("/consultations/1/edit").get_data(as_text=True)
        # Every step is a real form or link, with htmx added on top.
        assert f'action="/consultations/1/questions/{first.id}/move"' in page
        assert f'href="/consultations/1/questions/{first.id}"' in page
        assert 'action="/consultations/1/questions/add"' in page and 'action="/consultations/1/submit"' in page
        plain = drafted.get(f"/consultations/1/questions/{first.id}")
        assert plain.status_code == 200 and "<h1" in plain.get_data(as_text=True)
        moved = drafted.submit(f"/consultations/1/questions/{first.id}/move", {"direction": "down"})
        assert moved.status_code == 303 and moved.headers["Location"] == f"/consultations/1/edit#q{first.id}"
        assert "Question 1 moved down. It is now question 2." in drafted.get(moved.headers["Location"]).get_data(
            as_text=True
        )

    def test_a_label_for_every_field(self, app, people, drafted):
        officer = client_for(app, people["officer"].email)
        pages = [
            drafted.get("/consultations/1/edit").get_data(as_text=True),
            officer.get("/consultations/new").get_data(as_text=True),
        ]
        for question in questions(app):
            pages.append(drafted.get(f"/consultations/1/questions/{question.id}").get_data(as_text=True))
        drafted.submit("/consultations/1/submit")
        pages.append(officer.get("/consultations/1").get_data(as_text=True))
        for page in pages:
            main = page.split("<main", 1)[1]
            for field_id in re.findall(r'<(?:input|textarea|select)(?![^>]*type="hidden")[^>]*\bid="([^"]+)"', main):
                assert f'for="{field_id}"' in main, field_id

    def test_the_limit_of_questions(self, app, partner):
        new_request(partner)
        with app.app_context():
            for n in range(1, 51):
                QuestionFactory(consultation_id=1, prompt=f"Q{n}")
            db.session.commit()
        response = add(partner, "short_text", headers=HX)
        assert response.status_code == 422 and "up to 50 questions" in response.get_data(as_text=True)
        assert len(questions(app)) == 50


# ---------------------------------------------------------------- fixed query counts


class TestQueryCounts:
    def _consultations(self, app, people, count: int) -> None:
        with app.app_context():
            for n in range(count):
                status = ("draft", "submitted", "returned", "approved")[n % 4]
                ConsultationFactory(
                    title=f"Consultation {n}",
                    status=status,
                    audience=("public", "young_people", "youth_cabinet")[n % 3],
                    closes=n + 1,
                    partner=people["partner"] if n % 2 else None,
                )
            answered = select(Response.consultation_id)
            for consultation_id in db.session.scalars(
                select(Consultation.id).where(Consultation.status == "approved", Consultation.id.not_in(answered))
            ):
                ResponseFactory(consultation_id=consultation_id, respondent=people["youth_member"])
            db.session.commit()

    def test_the_list_with_1_and_50_consultations(self, app, people, count_queries):
        clients = {
            role: client_for(app, people[role].email)
            for role in ("officer", "chair", "partner", "youth_member", "young_person")
        }
        clients["anonymous"] = app.test_client()

        def queries() -> dict[str, int]:
            counts = {}
            for role, client in clients.items():
                with count_queries() as counter:
                    assert client.get("/consultations").status_code == 200
                counts[role] = counter.count
            return counts

        self._consultations(app, people, 4)
        small = queries()
        self._consultations(app, people, 46)
        large = queries()
        assert small == large
        page = clients["officer"].get("/consultations").get_data(as_text=True)
        assert "All requests (50)" in page and 'href="/consultations?page=2#all"' in page

    def test_the_edit_page_with_1_and_30_questions(self, app, people, partner, count_queries):
        new_request(partner)
        officer = client_for(app, people["officer"].email)

        def queries() -> dict[str, int]:
            counts = {}
            for name, client, url in (
                ("partner", partner, "/consultations/1/edit"),
                ("officer", officer, "/consultations/1/edit"),
                ("page", partner, "/consultations/1"),
                ("preview", partner, "/consultations/1/preview"),
                ("fragment", partner, "/consultations/1/edit?question=1"),
            ):
                with count_queries() as counter:
                    assert client.get(url, headers=HX if name == "fragment" else {}).status_code == 200
                counts[name] = counter.count
            return counts

        add(partner, "single")
        save_question(partner, latest_question_id(app), **full_question("single"))
        small = queries()
        with app.app_context():
            # After the first question, made on the page at position 1.
            for n in range(2, 31):
                QuestionFactory(
                    consultation_id=1,
                    position=n,
                    kind=KINDS[n % 6],
                    prompt=f"Question {n}",
                    options=["A", "B", "C"] if KINDS[n % 6] in ("single", "multiple", "ranking") else [],
                    low_label="Low",
                    high_label="High",
                )
            db.session.commit()
        large = queries()
        assert small == large
        assert "30 questions" in partner.get("/consultations/1/edit").get_data(as_text=True)
