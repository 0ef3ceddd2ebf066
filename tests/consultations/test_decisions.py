"""Correcting a moderation decision (#14.19): the decided answers, listed and
filtered a page at a time, and a decision changed (approved to hidden, hidden
to approved, or back to the queue) with or without JavaScript; the quotes,
theme counts and waiting counts follow; audited; two officers at once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.consultations import tally
from portal.consultations.results import moderation as mod
from portal.extensions import db
from portal.models import Answer, AuditEntry
from portal.models.base import utcnow
from tests.conftest import PortalClient, add_person, at_the_same_moment
from tests.consultations.test_results import make_consultation
from tests.factories import AnswerFactory, QuestionFactory, ResponseFactory

HX = {"HX-Request": "true"}
DECIDED = "/consultations/moderation?show=decided"


@pytest.fixture
def state(app, people):
    """make_consultation's two written answers, decided: "quiet" approved (quoted), "flagged" hidden."""
    with app.app_context():
        ids = make_consultation(people)
        for key, moderation, reason in (("quiet", "approved", ""), ("flagged", "hidden", "It has an email address.")):
            answer = db.session.get(Answer, ids[key])
            answer.moderation, answer.moderation_reason, answer.themes = moderation, reason, ["names"]
            answer.moderated_by_id, answer.moderated_at = people["officer"].id, utcnow()
            # As a decision does: the answer's read and theme counters (portal/consultations/tally.py).
            tally.read(ids["consultation"], answer.question_id, moderation, ["names"], 1)
        db.session.commit()
    return ids


@pytest.fixture
def officer(client, signed_in):
    signed_in("officer")
    return client


def change(
    client,
    answer_id: int,
    was: str,
    decision: str,
    reason: str = "",
    themes: str = "names",
    *,
    headers: dict | None = None,
    follow_redirects: bool = False,
    **fields: str,
):
    """Send "Change the decision" for one answer; ``fields``: the form's hidden ones (number, list_*)."""
    data = {"was": was, "decision": decision, "reason": reason, "themes": themes, **fields}
    return client.submit(
        f"/consultations/answers/{answer_id}/decision",
        data,
        headers=headers or {},
        follow_redirects=follow_redirects,
    )


def answer(app, answer_id: int) -> Answer:
    with app.app_context():
        found = db.session.get(Answer, answer_id)
        db.session.expunge(found)
        return found


def results(client, state) -> str:
    return client.get(f"/consultations/{state['consultation']}/results").get_data(as_text=True)


def themes_table(page: str) -> list[tuple[str, str]]:
    themes = page.split("Themes officers found")[1].split("</table>")[0]
    return re.findall(r'portal-wrap"[^>]*>([a-z]+)</th>\s*<td[^>]*>(\d+)</td>', themes)


class TestDecidedList:
    def test_decided_answers_are_listed_with_who_decided_and_why(self, officer, state, people):
        page = officer.get(DECIDED).get_data(as_text=True)
        assert "2 decided answers." in page
        assert "I like &lt;b&gt;Mind Waves&lt;/b&gt;" in page and "sam@example.com" in page
        assert f"It is never quoted. Decided by {people['officer'].display_name} on " in page
        assert "Reason: It has an email address." in page and "It may be quoted." in page
        assert page.count('<summary class="govuk-details__summary">') == 2
        assert 'aria-current="page">Decided answers' in page
        # The queue has nothing waiting, and says so in the link to it.
        assert 'Waiting for a decision (<span id="moderation-waiting-total">0</span>)' in page

    def test_not_listed_waiting_unsent_being_changed_or_deleted_words(self, app, officer, state, people):
        with app.app_context():
            text = db.session.get(Answer, state["quiet"]).question_id
            unsent = ResponseFactory(consultation_id=state["consultation"], respondent=people["youth_member"])
            AnswerFactory(response=unsent, question_id=text, text="Not sent yet", moderation="approved")
            sent = db.session.get(Answer, state["quiet"])
            AnswerFactory(response_id=sent.response_id, question_id=text, text="A copy being changed", draft=True)
            AnswerFactory(response_id=sent.response_id, question_id=text, text="", moderation="hidden")  # erased
            AnswerFactory(response_id=sent.response_id, question_id=text, text="Still waiting")
            db.session.commit()
        page = officer.get(DECIDED).get_data(as_text=True)
        assert "2 decided answers." in page
        for text in ("Not sent yet", "A copy being changed", "Still waiting"):
            assert text not in page

    def test_filtered_by_decision_and_consultation(self, app, officer, state, people):
        with app.app_context():
            other = make_consultation(people)
            db.session.get(Answer, other["quiet"]).moderation = "approved"
            db.session.commit()
        page = officer.get(DECIDED + "&decision=hidden").get_data(as_text=True)
        assert "1 decided answer." in page and "sam@example.com" in page and "Mind Waves" not in page
        assert '<option value="hidden" selected>' in page
        page = officer.get(DECIDED + f"&consultation={state['consultation']}").get_data(as_text=True)
        assert "2 decided answers." in page
        page = officer.get(DECIDED + f"&consultation={other['consultation']}").get_data(as_text=True)
        assert "1 decided answer." in page
        # Values that are not choices are ignored, never an error.
        page = officer.get(DECIDED + "&decision=everything&consultation=99999999999&page=x").get_data(as_text=True)
        assert "3 decided answers." in page

    def test_paged_the_latest_decision_first_in_a_fixed_number_of_queries(
        self, app, officer, state, people, count_queries
    ):
        def queries() -> int:
            with count_queries() as counter:
                assert officer.get(DECIDED).status_code == 200
            return counter.count

        small = queries()
        with app.app_context():
            text = db.session.get(Answer, state["quiet"]).question_id
            for n in range(mod.DECIDED_PAGE + 5):
                response = ResponseFactory(consultation_id=state["consultation"], submitted=True)
                AnswerFactory(
                    response=response,
                    question_id=text,
                    text=f"Answer number {n}.",
                    moderation="approved",
                    moderated_by_id=people["officer"].id,
                    moderated_at=utcnow(),
                )
            db.session.commit()
        assert queries() == small
        first = officer.get(DECIDED).get_data(as_text=True)
        assert f"{mod.DECIDED_PAGE + 7} decided answers, page 1 of 2." in first
        newest = f"Answer number {mod.DECIDED_PAGE + 4}."
        assert first.index(newest) < first.index("Answer number 5.") and "Answer number 4." not in first
        assert 'href="/consultations/moderation?show=decided&amp;page=2"' in first
        second = officer.get(DECIDED + "&page=2").get_data(as_text=True)
        assert "Answer number 4." in second and "Answer number 0." in second and newest not in second
        assert "sam@example.com" in second  # decided before the others
        assert 'name="list_page" value="2"' in second


class TestChanging:
    def test_an_approved_quote_hidden_leaves_the_results(self, app, officer, state, people):
        assert "I like &lt;b&gt;Mind Waves&lt;/b&gt;" in results(officer, state)
        response = change(officer, state["quiet"], "approved", "hide", "It names a real person.", "names, people")
        assert response.status_code == 303 and response.headers["Location"] == DECIDED
        changed = answer(app, state["quiet"])
        assert (changed.moderation, changed.moderation_reason, changed.themes) == (
            "hidden",
            "It names a real person.",
            ["names", "people"],
        )
        page = results(officer, state)
        assert "I like &lt;b&gt;Mind Waves" not in page
        # Both answers were read: the themes still count them.
        assert themes_table(page) == [("names", "2"), ("people", "1")]
        with app.app_context():
            entry = db.session.scalar(
                select(AuditEntry).where(AuditEntry.action == "consultation.answer_decision_changed")
            )
        assert (entry.actor_id, entry.subject_type, entry.subject_id) == (
            people["officer"].id,
            "consultation_answer",
            state["quiet"],
        )
        assert entry.summary == "From approved to hidden: It names a real person."
        assert "I like" not in entry.summary  # the young person's words are never in the log

    def test_a_hidden_answer_approved_becomes_a_quote(self, app, client, signed_in, state, people):
        with app.app_context():
            second = add_person("officer", email="second.officer@test.example", name="Second O.")
        client.sign_in(second.email)
        assert "sam@example.com" not in results(client, state)
        page = change(client, state["flagged"], "hidden", "approve", follow_redirects=True)
        assert "Changed to approved: it may be quoted now." in page.get_data(as_text=True)
        changed = answer(app, state["flagged"])
        assert (changed.moderation, changed.moderation_reason, changed.moderated_by_id) == ("approved", "", second.id)
        assert "sam@example.com" in results(client, state)
        # The partner reads the same, once the results are released.
        client.submit(f"/consultations/{state['consultation']}/results/release")
        client.submit("/sign-out")
        signed_in("partner")
        assert "sam@example.com" in results(client, state)

    def test_back_to_the_queue_keeping_its_themes(self, app, officer, state):
        assert "waiting to be read" not in officer.get("/dashboard").get_data(as_text=True)
        response = change(officer, state["quiet"], "approved", "wait", "Not sure about the name in it.")
        assert response.status_code == 303
        changed = answer(app, state["quiet"])
        assert (changed.moderation, changed.moderated_by_id, changed.moderated_at) == ("pending", None, None)
        assert changed.moderation_reason == "" and changed.themes == ["names"]
        assert "I like &lt;b&gt;Mind Waves" not in results(officer, state)
        queue = officer.get("/consultations/moderation").get_data(as_text=True)
        assert "1 answer is waiting" in queue and "I like &lt;b&gt;Mind Waves&lt;/b&gt;" in queue
        assert f'id="themes-{state["quiet"]}"' in queue and 'value="names"' in queue
        # The officers' home counts it again.
        assert "1 written answer waiting to be read" in officer.get("/dashboard").get_data(as_text=True)
        assert "1 decided answer." in officer.get(DECIDED).get_data(as_text=True)

    def test_hiding_needs_a_reason_and_keeps_what_was_typed(self, app, officer, state):
        response = change(officer, state["quiet"], "approved", "hide", "", "names, kindness")
        page = response.get_data(as_text=True)
        assert response.status_code == 422
        assert "There is a problem" in page and f'href="#change-reason-{state["quiet"]}"' in page
        assert f'id="change-reason-{state["quiet"]}-error"' in page and "Say why you are hiding this answer" in page
        assert (
            'value="names, kindness"' in page and '<details class="govuk-details govuk-!-margin-bottom-0" open>' in page
        )
        assert f'id="change-{state["quiet"]}-hide" name="decision" type="radio" value="hide" checked' in page
        assert answer(app, state["quiet"]).moderation == "approved"

    @pytest.mark.parametrize(
        ("decision", "message"),
        [
            ("", "Choose the new decision"),
            ("publish-everything", "Choose the new decision"),
            ("approve", "It is already approved. Choose a different decision"),
        ],
    )
    def test_a_decision_that_is_no_change_is_refused(self, app, officer, state, decision, message):
        response = change(officer, state["quiet"], "approved", decision)
        assert response.status_code == 422 and message in response.get_data(as_text=True)
        assert answer(app, state["quiet"]).moderation == "approved"

    def test_too_long_a_reason_or_too_many_themes(self, app, officer, state):
        response = change(officer, state["quiet"], "approved", "hide", "x" * 501)
        assert response.status_code == 422 and "500 characters or fewer" in response.get_data(as_text=True)
        response = change(officer, state["quiet"], "approved", "hide", "Names.", "a, b, c, d, e, f")
        assert response.status_code == 422 and "at most 5 themes" in response.get_data(as_text=True)
        assert answer(app, state["quiet"]).moderation == "approved"

    def test_changed_by_another_officer_meanwhile_is_not_overwritten(self, app, officer, state):
        # The page showed it approved; another officer hid it since.
        change(officer, state["quiet"], "approved", "hide", "A name.")
        response = change(officer, state["quiet"], "approved", "wait", follow_redirects=True)
        assert "Another officer changed the decision on that answer meanwhile" in response.get_data(as_text=True)
        assert answer(app, state["quiet"]).moderation == "hidden"

    def test_a_waiting_answer_or_deleted_words_have_no_decision_to_change(self, app, officer, state):
        change(officer, state["quiet"], "approved", "wait")
        response = change(officer, state["quiet"], "pending", "approve", follow_redirects=True)
        assert "That answer is not a decided one" in response.get_data(as_text=True)
        assert answer(app, state["quiet"]).moderation == "pending"
        with app.app_context():
            db.session.get(Answer, state["flagged"]).text = ""  # its writer deleted their account
            db.session.commit()
        change(officer, state["flagged"], "hidden", "approve")
        assert answer(app, state["flagged"]).moderation == "hidden"

    def test_without_javascript_back_to_the_same_filtered_page(self, officer, state):
        response = change(
            officer,
            state["flagged"],
            "hidden",
            "approve",
            list_decision="hidden",
            list_consultation=str(state["consultation"]),
            list_page="1",
        )
        assert response.headers["Location"] == (
            f"/consultations/moderation?show=decided&decision=hidden&consultation={state['consultation']}"
        )
        # Tampered values are ignored: never a redirect elsewhere.
        response = change(officer, state["quiet"], "approved", "wait", list_decision="//evil.example", list_page="-3")
        assert response.headers["Location"] == DECIDED


class TestWithHtmx:
    def test_only_that_answer_is_swapped_its_news_focused_and_the_count_refreshed(self, officer, state):
        response = change(officer, state["quiet"], "approved", "hide", "A name.", number="7", headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in html and "<main" not in html
        assert html.count(f'id="answer-{state["quiet"]}"') == 1 and "sam@example.com" not in html
        assert re.search(r'<p class="govuk-body" tabindex="-1" data-autofocus><strong>Changed to hidden', html)
        assert 'Change the decision<span class="govuk-visually-hidden"> on decided answer 7</span>' in html
        assert '<span id="moderation-waiting-total" data-hx-swap-oob="true">0</span>' in html

    def test_back_to_the_queue_says_so_and_counts_it(self, officer, state):
        html = change(officer, state["quiet"], "approved", "wait", headers=HX).get_data(as_text=True)
        assert "Put back in the queue" in html and 'href="/consultations/moderation"' in html
        assert "Change the decision" not in html
        assert '<span id="moderation-waiting-total" data-hx-swap-oob="true">1</span>' in html

    def test_a_refusal_swaps_in_that_answer_with_its_error_focused(self, officer, state):
        response = change(officer, state["quiet"], "approved", "hide", "", number="3", headers=HX)
        html = response.get_data(as_text=True)
        assert response.status_code == 422 and "<html" not in html
        assert html.count('class="portal-moderation-item"') == 1
        assert 'class="govuk-error-summary" data-module="govuk-error-summary" tabindex="-1" data-autofocus' in html
        assert "moderation-waiting-total" not in html

    def test_decided_elsewhere_sends_the_whole_page_back(self, officer, state):
        change(officer, state["quiet"], "approved", "hide", "A name.")
        response = change(officer, state["quiet"], "approved", "approve", headers=HX)
        assert response.status_code == 204 and response.headers["HX-Redirect"] == DECIDED

    def test_a_decision_in_the_queue_refreshes_the_count_in_the_link(self, app, officer, state):
        change(officer, state["quiet"], "approved", "wait")
        html = officer.submit(
            f"/consultations/answers/{state['quiet']}/moderate", {"decision": "approve"}, headers=HX
        ).get_data(as_text=True)
        assert '<span id="moderation-waiting-total" data-hx-swap-oob="true">0</span>' in html


class TestAnswersBeingChanged:
    """Someone changing their sent answers works on a copy that replaces them when sent."""

    def test_an_unchanged_copy_takes_the_new_decision_a_changed_one_does_not(self, app, officer, state):
        with app.app_context():
            sent = db.session.get(Answer, state["quiet"])
            flagged = db.session.get(Answer, state["flagged"])
            same = AnswerFactory(
                response_id=sent.response_id,
                question_id=sent.question_id,
                text=sent.text,
                draft=True,
                moderation="approved",
            ).id
            other_question = QuestionFactory(consultation_id=state["consultation"], kind="short_text")
            changed = AnswerFactory(
                response_id=flagged.response_id, question_id=other_question.id, text="New words", draft=True
            ).id
            db.session.commit()
        change(officer, state["quiet"], "approved", "hide", "A name.")
        copy = answer(app, same)
        assert (copy.moderation, copy.moderation_reason, copy.draft) == ("hidden", "A name.", True)
        assert answer(app, changed).moderation == "pending"

    def test_a_first_decision_reaches_the_unchanged_copy_too(self, app, officer, state):
        change(officer, state["quiet"], "approved", "wait")
        with app.app_context():
            sent = db.session.get(Answer, state["quiet"])
            same = AnswerFactory(
                response_id=sent.response_id, question_id=sent.question_id, text=sent.text, draft=True
            ).id
            db.session.commit()
        officer.submit(f"/consultations/answers/{state['quiet']}/moderate", {"decision": "approve", "themes": "x"})
        copy = answer(app, same)
        assert (copy.moderation, copy.themes) == ("approved", ["x"])


@pytest.mark.commits
def test_two_officers_changing_one_decision_at_once_one_wins(app, people):
    """Both saw it approved; one hides it while the other puts it back in the queue, at the same moment
    (threads, against a database with real commits): one change is kept, the other is told, one audit entry."""
    with app.app_context():
        ids = make_consultation(people)
        db.session.get(Answer, ids["quiet"]).moderation = "approved"
        db.session.commit()
        second = add_person("officer", email="second.officer@test.example", name="Second O.")
    app.test_client_class = PortalClient
    sends = []
    for email, decision in ((people["officer"].email, "hide"), (second.email, "wait")):
        officer = app.test_client()
        assert officer.sign_in(email).status_code == 303
        data = {"csrf_token": officer.csrf_token(), "was": "approved", "decision": decision, "reason": "A name."}
        sends.append(
            lambda officer=officer, data=data: officer.post(
                f"/consultations/answers/{ids['quiet']}/decision", data=data
            )
        )
    assert at_the_same_moment(sends) == [303, 303]
    with app.app_context():
        assert db.session.get(Answer, ids["quiet"]).moderation in ("hidden", "pending")
        entries = db.session.scalars(
            select(AuditEntry.summary).where(AuditEntry.action == "consultation.answer_decision_changed")
        ).all()
    assert len(entries) == 1, entries
