"""Separation of duties on consultation requests (#15.9): whoever drafted a
request (created it, or last sent it for approval) cannot approve it; another
officer or the Chair must. CONSULTATION_SEPARATION_OF_DUTIES turns it off."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.config import DEFAULTS, settings_from_env
from portal.extensions import db
from portal.models import Notification, User
from tests.conftest import PortalClient, add_person
from tests.consultations.test_requests import (
    add,
    client_for,
    consultation,
    full_question,
    latest_question_id,
    new_request,
    save_question,
)

APPROVE_BUTTON = "Approve the consultation"
SOMEONE_ELSE = "You wrote or sent this request, so someone else must approve it: another officer or the Chair."


@pytest.fixture
def officer(app, people) -> PortalClient:
    return client_for(app, people["officer"].email)


@pytest.fixture
def second_officer(app) -> PortalClient:
    with app.app_context():
        other = add_person("officer", email="second.officer@test.example", name="Second O.")
    return client_for(app, other.email)


def complete_request(app, client: PortalClient, **fields) -> int:
    """A complete request drafted by ``client`` (id 1), not sent yet."""
    assert new_request(client, **fields).status_code == 303
    assert add(client, "single").status_code == 303
    assert save_question(client, latest_question_id(app), **full_question("single")).status_code == 303
    return 1


def approve(client: PortalClient) -> str:
    """Press "Approve" (or send the POST by hand); the page it lands on."""
    return client.submit("/consultations/1/approve", follow_redirects=True).get_data(as_text=True)


def test_it_is_on_unless_turned_off():
    assert DEFAULTS["CONSULTATION_SEPARATION_OF_DUTIES"] is True
    assert (
        settings_from_env({"PORTAL_CONSULTATION_SEPARATION_OF_DUTIES": "false"})["CONSULTATION_SEPARATION_OF_DUTIES"]
        is False
    )


class TestOn:
    def test_an_officer_cannot_approve_a_request_they_drafted_for_a_partner(self, app, people, officer, second_officer):
        complete_request(app, officer, partner=str(people["partner"].id))
        edit = officer.get("/consultations/1/edit").get_data(as_text=True)
        assert "Another officer or the Chair will approve it (whoever writes or sends a request cannot" in edit
        assert officer.submit("/consultations/1/submit").status_code == 303

        # The button is replaced by a sentence saying who must approve it; returning it is still there.
        page = officer.get("/consultations/1").get_data(as_text=True)
        assert "Review this request" in page and SOMEONE_ELSE in page
        assert APPROVE_BUTTON not in page and 'action="/consultations/1/approve"' not in page
        assert "Return it with comments" in page

        # The POST sent by hand is refused too, saying why; nothing changes.
        refused = approve(officer)
        assert SOMEONE_ELSE in refused
        saved = consultation(app)
        assert saved.status == "submitted" and saved.approved_at is None and saved.reviewed_by_id is None

        # Another officer sees the button and approves it.
        assert APPROVE_BUTTON in second_officer.get("/consultations/1").get_data(as_text=True)
        assert "The consultation is approved." in approve(second_officer)
        assert consultation(app).status == "approved"

    def test_the_chair_approves_what_an_officer_drafted(self, app, people, officer):
        complete_request(app, officer, partner=str(people["partner"].id))
        officer.submit("/consultations/1/submit")
        chair = client_for(app, people["chair"].email)
        assert APPROVE_BUTTON in chair.get("/consultations/1").get_data(as_text=True)
        approve(chair)
        assert consultation(app).status == "approved"

    def test_whoever_last_sent_it_cannot_approve_it(self, app, people, officer, second_officer):
        """The partner drafts and sends; an officer returns it, changes it and sends it again: that
        officer may no longer approve it, though they did not create it. The one who only returned it may."""
        partner = client_for(app, people["partner"].email)
        complete_request(app, partner)
        partner.submit("/consultations/1/submit")
        # Sent by the partner: any officer may approve (here, one returns it first).
        assert APPROVE_BUTTON in second_officer.get("/consultations/1").get_data(as_text=True)
        second_officer.submit("/consultations/1/return", {"comment": "Please add a second question."})
        add(officer, "short_text")
        save_question(officer, latest_question_id(app), **full_question("short_text"))
        assert officer.submit("/consultations/1/submit").status_code == 303

        page = officer.get("/consultations/1").get_data(as_text=True)
        assert SOMEONE_ELSE in page and APPROVE_BUTTON not in page
        assert SOMEONE_ELSE in approve(officer)
        assert consultation(app).status == "submitted"
        assert APPROVE_BUTTON in second_officer.get("/consultations/1").get_data(as_text=True)
        approve(second_officer)
        assert consultation(app).status == "approved"

    def test_the_creator_stays_a_drafter_when_the_partner_sends_it(self, app, people, officer, second_officer):
        complete_request(app, officer, partner=str(people["partner"].id))
        partner = client_for(app, people["partner"].email)
        assert partner.submit("/consultations/1/submit").status_code == 303
        assert SOMEONE_ELSE in approve(officer)
        assert consultation(app).status == "submitted"
        # Only those who may approve it are told it is waiting: not its creator, nor the partner who sent it.
        with app.app_context():
            told = set(db.session.scalars(select(Notification.user_id).where(Notification.link == "/consultations/1")))
            second = db.session.scalar(select(User.id).where(User.email == "second.officer@test.example"))
        assert told == {people["chair"].id, second}
        approve(second_officer)
        assert consultation(app).status == "approved"


class TestOff:
    @pytest.fixture(autouse=True)
    def _off(self, app):
        app.config["CONSULTATION_SEPARATION_OF_DUTIES"] = False  # the app fixture puts the settings back

    def test_the_officer_who_drafted_it_may_approve_it(self, app, people, officer):
        complete_request(app, officer, partner=str(people["partner"].id))
        assert "An officer or the Chair will approve it" in officer.get("/consultations/1/edit").get_data(as_text=True)
        officer.submit("/consultations/1/submit")
        page = officer.get("/consultations/1").get_data(as_text=True)
        assert APPROVE_BUTTON in page and SOMEONE_ELSE not in page
        assert "The consultation is approved." in approve(officer)
        saved = consultation(app)
        assert saved.status == "approved" and saved.reviewed_by_id == people["officer"].id

    def test_the_creator_is_told_when_the_partner_sends_it(self, app, people, officer):
        complete_request(app, officer, partner=str(people["partner"].id))
        client_for(app, people["partner"].email).submit("/consultations/1/submit")
        with app.app_context():
            told = set(db.session.scalars(select(Notification.user_id).where(Notification.link == "/consultations/1")))
        assert told == {people["officer"].id, people["chair"].id}
