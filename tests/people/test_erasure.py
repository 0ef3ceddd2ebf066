"""Delete my account (#13.2): by the person with their password, or by an
officer on their request; what goes, what stays, and that results do not move."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.auth.routes import WRONG_DETAILS
from portal.extensions import db
from portal.models import Answer, AuditEntry, Consultation, Notification, Office, Portfolio, PreferenceAnswer, Response
from portal.models.base import utcnow
from portal.people.erasure import ERASED_NAME
from tests.conftest import PASSWORD, PortalClient, add_person, fetch_user
from tests.consultations.test_responding import (
    answer_all,
    assert_counters_match,
    counters,
    form_for,
    make_consultation,
    url,
)
from tests.factories import (
    AnswerFactory,
    CampaignFactory,
    CampaignLeadFactory,
    ChairStatementFactory,
    PairingFactory,
    PairingLogEntryFactory,
    PortfolioFactory,
    PreferenceAnswerFactory,
    QuestionFactory,
    ResponseFactory,
    StatementRevisionFactory,
)


def new_client(app) -> PortalClient:
    app.test_client_class = PortalClient
    return app.test_client()  # type: ignore[return-value]


def error_next_to(page: str, field: str, message: str) -> None:
    """``message`` is shown as the GOV.UK error message of ``field``."""
    found = re.search(rf'<p id="{field}-error" class="govuk-error-message">(.*?)</p>', page, re.S)
    assert found, page
    assert message in found.group(1)


@pytest.fixture
def sam(app):
    """A young person to delete, with a message and an audit entry naming them."""
    with app.app_context():
        person = add_person("young_person", email="sam@test.example", name="Sam K.")
        db.session.add(Notification(user_id=person.id, message="Feedback is published"))
        db.session.add(
            AuditEntry(action="people.role_changed", subject_type="user", subject_id=person.id, summary="Sam K. moved")
        )
        db.session.commit()
    return person


# The person deletes their own account ------------------------------------------------------


def test_the_account_page_leads_to_download_and_delete(client, sam):
    client.sign_in(sam.email)
    page = client.get("/account").get_data(as_text=True)
    assert 'href="/account/data"' in page and 'href="/account/delete"' in page
    form = client.get("/account/delete").get_data(as_text=True)
    assert "What we keep, and why" in form and 'autocomplete="current-password"' in form


@pytest.mark.parametrize(
    "password, message", [("not my password", "That is not your password"), ("", "Enter your password")]
)
def test_a_wrong_or_empty_password_changes_nothing(app, client, sam, password, message):
    client.sign_in(sam.email)
    before = fetch_user(app, sam.id)
    response = client.submit("/account/delete", {"password": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    error_next_to(page, "password", message)
    assert "There is a problem" in page
    after = fetch_user(app, sam.id)
    for column in ("email", "display_name", "active", "password_hash", "session_version", "age_band", "district"):
        assert getattr(after, column) == getattr(before, column), column
    with app.app_context():
        assert db.session.scalar(select(db.func.count(Notification.id))) == 1
    assert client.get("/account").status_code == 200  # still signed in


def test_after_deleting_you_are_signed_out_and_cannot_sign_in(app, client, sam):
    client.sign_in(sam.email)
    phone = new_client(app)
    assert phone.sign_in(sam.email).status_code == 303
    assert phone.get("/account").status_code == 200

    response = client.submit("/account/delete", {"password": PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/account/deleted"
    done = client.get("/account/deleted")
    assert done.status_code == 200
    page = done.get_data(as_text=True)
    assert "govuk-panel--confirmation" in page and "Your account has been deleted" in page
    assert "What we kept, and why" in page
    assert client.get("/account").status_code == 302  # signed out here ...
    assert phone.get("/account").status_code == 302  # ... and on every other device
    assert phone.get("/account/deleted").status_code == 404  # the confirmation is only for this browser

    again = client.sign_in(sam.email)
    assert again.status_code == 422
    assert WRONG_DETAILS.replace("'", "&#39;") in again.get_data(as_text=True)

    user = fetch_user(app, sam.id)
    assert user.display_name == ERASED_NAME and user.email.endswith("@erased.invalid")
    assert "sam" not in user.email
    assert not user.active and user.password_hash is None
    assert (user.age_band, user.district, user.organisation, user.last_signed_in_at) == (None, None, None, None)
    with app.app_context():
        assert db.session.scalars(select(Notification)).all() == []
        entries = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    about = [e for e in entries if e.subject_type == "user" and e.subject_id == sam.id]
    assert "people.role_changed" in [e.action for e in about]  # what was done stays ...
    deleted = about[-1]
    assert (deleted.action, deleted.actor_id, deleted.summary) == (
        "account.deleted",
        sam.id,
        "Account deleted at the person's request",
    )
    everything = " ".join(e.summary for e in entries)
    assert "Sam" not in everything and "sam@" not in everything  # ... without their details


def test_deleting_needs_the_csrf_token(app, client, sam):
    client.sign_in(sam.email)
    assert client.post("/account/delete", data={"password": PASSWORD}).status_code == 400
    assert fetch_user(app, sam.id).active


# Consultation answers: results do not move ------------------------------------------------


def steady(html: str) -> str:
    """A page without what changes on every request (CSRF tokens, CSP nonces,
    the seconds left before the session's time limits)."""
    for pattern in (r'<meta name="csrf-token" content="([^"]+)">', r'nonce="([^"]+)"'):
        for value in set(re.findall(pattern, html)):
            html = html.replace(value, "X")
    return re.sub(r'(data-session-[a-z-]+-seconds)="\d+"', r'\1="X"', html)


def answer_as(app, email: str, ids, words: str) -> None:
    client = new_client(app)
    client.sign_in(email)
    client.submit(url(ids))
    answer_all(client, ids)
    changed = client.submit(url(ids, f"/{ids.long}"), form_for(ids, "long", **{f"q{ids.long}": words}))
    assert changed.status_code == 303
    assert client.submit(url(ids, "/submit")).status_code == 303


def quote(words: str) -> str:
    return f'<blockquote class="govuk-inset-text portal-prewrap portal-quote">{words}</blockquote>'


@pytest.mark.parametrize("released", [False, True])
def test_results_are_the_same_before_and_after_except_the_removed_words(app, people, sam, released):
    """Three people answer; Sam's written answer is approved for quoting. After
    Sam deletes their account every counter and the officer's results page are
    the same, except Sam's quote, which goes unless the results were released."""
    ids = make_consultation(app)
    answer_as(app, people["young_person"].email, ids, "Others words stay")
    answer_as(app, sam.email, ids, "Sam words here")
    answer_as(app, people["youth_member"].email, ids, "Third words wait")
    with app.app_context():
        db.session.execute(
            Answer.__table__.update()
            .where(Answer.question_id == ids.long, Answer.text != "Third words wait")
            .values(moderation="approved")
        )
        if released:
            db.session.get(Consultation, ids.consultation).results_released_at = utcnow()
        db.session.commit()
    officer = new_client(app)
    officer.sign_in(people["officer"].email)
    results = f"/consultations/{ids.consultation}/results"
    counted_before = counters(app, ids.consultation)
    before = steady(officer.get(results).get_data(as_text=True))
    assert quote("Sam words here") in before and quote("Others words stay") in before
    assert counted_before[(0, -1, -1, "", "")] == 3

    sams = new_client(app)
    sams.sign_in(sam.email)
    assert sams.submit("/account/delete", {"password": PASSWORD}).status_code == 303

    assert counters(app, ids.consultation) == counted_before
    assert_counters_match(app, ids)  # the counters still equal the answers kept
    after = steady(officer.get(results).get_data(as_text=True))
    if released:
        assert after == before  # an approved quote of released results stays, anonymous
    else:
        assert after == before.replace(quote("Sam words here"), "")
    with app.app_context():
        texts = set(db.session.scalars(select(Answer.text).where(Answer.text.is_not(None))))
        responses = db.session.scalars(select(Response).where(Response.consultation_id == ids.consultation)).all()
    assert ("Sam words here" in texts) == released
    assert {"Others words stay", "Third words wait"} <= texts
    assert len(responses) == 3 and all(r.status == "submitted" for r in responses)
    assert sam.id not in {r.respondent_id for r in responses}
    # Removed words are never waiting for moderation either.
    officer_queue = officer.get("/consultations/moderation").get_data(as_text=True)
    assert "Third words wait" in officer_queue and "Sam words here" not in officer_queue


def test_unsent_responses_and_changes_not_sent_are_deleted(app, client, sam):
    ids = make_consultation(app)
    client.sign_in(sam.email)
    client.submit(url(ids))
    answer_all(client, ids)
    assert client.submit(url(ids, "/submit")).status_code == 303
    # Changing the sent answers: a draft copy, not counted.
    assert client.submit(url(ids), {"action": "change"}).status_code == 303
    client.submit(url(ids, f"/{ids.long}"), form_for(ids, "long", **{f"q{ids.long}": "A change not sent"}))
    with app.app_context():
        other = QuestionFactory(kind="short_text")
        unsent = ResponseFactory(consultation_id=other.consultation_id, respondent=sam)
        AnswerFactory(response=unsent, question=other, text="Started, never sent")
        db.session.commit()
        unsent_id = unsent.id
    counted = counters(app, ids.consultation)

    assert client.submit("/account/delete", {"password": PASSWORD}).status_code == 303

    assert counters(app, ids.consultation) == counted
    assert_counters_match(app, ids)
    with app.app_context():
        assert db.session.get(Response, unsent_id) is None
        assert db.session.scalars(select(Answer).where(Answer.draft.is_(True))).all() == []
        kept = db.session.scalar(select(Response).where(Response.consultation_id == ids.consultation))
        assert kept.respondent_id is None and not kept.changing and not kept.tell_me
        assert (kept.age_band, kept.district, kept.status) == ("14-16", "Crawley", "submitted")
        texts = db.session.scalars(select(Answer.text).where(Answer.response_id == kept.id)).all()
        choices = db.session.scalar(select(db.func.count(Answer.id)).where(Answer.response_id == kept.id))
    assert [t for t in texts if t] == [] and "" in texts  # the written answers are empty, still answered
    assert choices >= 6  # the choices, rating and ranking stay


# Names on what they took part in -----------------------------------------------------------


def test_campaigns_logs_and_statements_show_a_former_member(app, client, signed_in, people):
    chair, member = people["chair"], people["youth_member"]
    with app.app_context():
        campaign = CampaignFactory(slug="buses", title="Buses", published=True, status="active")
        CampaignLeadFactory(campaign=campaign, user=member)
        portfolio = PortfolioFactory(name="Transport", cabinet_member=people["cabinet_member"])
        pairing = PairingFactory(member=member, portfolio=portfolio)
        PairingLogEntryFactory(pairing=pairing, author=member, text="We met the bus company.")
        answer = PreferenceAnswerFactory(round_id=pairing.round_id, member=member, reason="I take the bus daily")
        statement = ChairStatementFactory(month=date(2020, 7, 1), status="accepted", text="Our July.", created_by=chair)
        StatementRevisionFactory(statement=statement, author=chair, text="Our July.", kind="save")
        db.session.add(Office(title="Chair", holder_id=chair.id, starts_on=date(2020, 1, 1)))
        db.session.commit()
        pairing_id, answer_id = pairing.id, answer.id
    officer = signed_in("officer")
    for person in (member, chair):
        assert client.get(f"/people/{person.id}/delete").status_code == 200
        response = client.submit(f"/people/{person.id}/delete", {"reason": "Asked by email", "checked": "y"})
        assert response.status_code == 303, response.get_data(as_text=True)

    campaign_page = client.get("/campaigns/buses").get_data(as_text=True)
    assert "A former member" in campaign_page and member.display_name not in campaign_page
    log = client.get(f"/area-of-interest/pairings/{pairing_id}").get_data(as_text=True)
    assert "We met the bus company." in log and "Written by A former member" in log
    assert "I take the bus daily" not in log
    statement_page = client.get("/statements/2020-07").get_data(as_text=True)
    assert "Our July." in statement_page  # a public record stays readable
    revisions = client.get("/statements/2020-07/revisions").get_data(as_text=True)
    assert "A former member" in revisions and chair.display_name not in revisions
    with app.app_context():
        assert db.session.get(PreferenceAnswer, answer_id).reason == ""
        office = db.session.scalar(select(Office))
        assert office.ends_on is not None  # the Chair office ends with the account
        entries = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "people.erased").order_by(AuditEntry.id)
        ).all()
    assert fetch_user(app, chair.id).role == "youth_member"  # the chair role went with the office
    assert [(e.actor_id, e.subject_id) for e in entries] == [(officer.id, member.id), (officer.id, chair.id)]
    assert all(e.summary == "Account deleted by an officer on request: Asked by email" for e in entries)


def test_an_erased_cabinet_member_no_longer_holds_a_portfolio(app, client, signed_in, people):
    with app.app_context():
        PortfolioFactory(name="Transport", cabinet_member=people["cabinet_member"])
        db.session.commit()
    signed_in("officer")
    client.submit(f"/people/{people['cabinet_member'].id}/delete", {"reason": "Left the council", "checked": "y"})
    with app.app_context():
        assert db.session.scalar(select(Portfolio.cabinet_member_id)) is None


# An officer deletes an account on request ---------------------------------------------------


def test_an_officer_deletes_an_account_on_request(app, client, signed_in, sam):
    signed_in("officer")
    person_page = client.get(f"/people/{sam.id}").get_data(as_text=True)
    assert f"/people/{sam.id}/delete" in person_page
    form = client.get(f"/people/{sam.id}/delete").get_data(as_text=True)
    assert "I have checked this request" in form and "What is kept, and why" in form

    missing = client.submit(f"/people/{sam.id}/delete", {"reason": "", "checked": ""})
    assert missing.status_code == 422
    page = missing.get_data(as_text=True)
    error_next_to(page, "reason", "Say why you are deleting this account")
    error_next_to(page, "checked", "Tick the box to say you have checked this request")
    assert fetch_user(app, sam.id).active

    done = client.submit(f"/people/{sam.id}/delete", {"reason": "Asked by email on 3 March", "checked": "y"})
    assert done.status_code == 303 and done.headers["Location"] == f"/people/{sam.id}"
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "The account has been deleted" in page and "This account has been deleted on request" in page
    assert "Role and details" not in page and "Reactivate account" not in page
    assert fetch_user(app, sam.id).display_name == ERASED_NAME
    # An erased account cannot be brought back or changed.
    client.submit(f"/people/{sam.id}/reactivate")
    client.submit(f"/people/{sam.id}/role", {"role": "youth_member"})
    user = fetch_user(app, sam.id)
    assert not user.active and user.role == "young_person"
    again = client.submit(f"/people/{sam.id}/delete", {"reason": "Again", "checked": "y"})
    assert again.status_code == 422 and "already been deleted" in again.get_data(as_text=True)


def test_an_officer_cannot_delete_another_officer(app, client, signed_in):
    with app.app_context():
        other = add_person("officer", email="other.officer@test.example", name="Other Officer")
    signed_in("officer")
    assert "Officers cannot delete another officer" in client.get(f"/people/{other.id}").get_data(as_text=True)
    response = client.submit(f"/people/{other.id}/delete", {"reason": "Asked", "checked": "y"})
    assert response.status_code == 422
    assert "Officers cannot delete another officer" in response.get_data(as_text=True)
    assert fetch_user(app, other.id).active


def test_the_last_officer_cannot_delete_their_own_account(app, client, signed_in):
    officer = signed_in("officer")
    page = client.get("/account/delete").get_data(as_text=True)
    assert "You are the only officer" in page and 'name="password"' not in page
    response = client.submit("/account/delete", {"password": PASSWORD})
    assert response.status_code == 422
    assert "You are the only officer" in response.get_data(as_text=True)
    assert fetch_user(app, officer.id).active
    # With a second officer, they can.
    with app.app_context():
        add_person("officer", email="second.officer@test.example")
    assert client.submit("/account/delete", {"password": PASSWORD}).status_code == 303
    assert not fetch_user(app, officer.id).active


def test_the_privacy_notice_says_what_is_kept(client):
    page = client.get("/privacy").get_data(as_text=True)
    assert "delete your account" in page and "quotes" in page


def test_an_officer_deletes_their_own_account_from_their_account_page_only(app, client, signed_in):
    with app.app_context():
        add_person("officer", email="second.officer@test.example")
    officer = signed_in("officer")
    assert "use your account page" in client.get(f"/people/{officer.id}").get_data(as_text=True)
    response = client.submit(f"/people/{officer.id}/delete", {"reason": "Leaving", "checked": "y"})
    assert response.status_code == 422 and "use your account page" in response.get_data(as_text=True)
    assert fetch_user(app, officer.id).active
