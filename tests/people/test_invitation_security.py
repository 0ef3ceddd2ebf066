"""Inviting people, after the security review (#15): forms with mistakes answer
422 and store nothing, invitation emails are limited per officer and per
address, and the mail goes after the page has answered."""

from __future__ import annotations

import threading
import time

import pytest

from portal.auth import operations as auth_ops
from portal.extensions import db
from portal.models import AuditEntry, Notification, User
from tests.conftest import fetch_user, outbox_messages
from tests.people.test_people import invite


def counts(app) -> tuple[int, int]:
    """People and audit entries: nothing may be written by a refused form."""
    with app.app_context():
        return (
            db.session.scalar(db.select(db.func.count(User.id))),
            db.session.scalar(db.select(db.func.count(AuditEntry.id))),
        )


def waiting_person(app, email: str = "waiting@test.example") -> int:
    """Someone invited who has not accepted yet."""
    with app.app_context():
        person = User(email=email, display_name="Wai T.", role="young_person", age_band="14-16", district="Arun")
        db.session.add(person)
        db.session.commit()
        return person.id


@pytest.fixture
def officer(client, signed_in):
    return signed_in("officer")


class TestMistakesAnswer422:
    @pytest.mark.parametrize(
        "fields, field_id, message",
        [
            ({"role": "superadmin"}, "role", "Choose a role from the list"),
            ({"age_band": "99"}, "age_band", "Choose an age band from the list"),
            ({"email": "youth_member@test.example"}, "email", "Someone already has an account with this email address"),
        ],
    )
    def test_invite(self, client, officer, app, fields, field_id, message):
        before = counts(app)
        response = invite(client, **fields)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and f'href="#{field_id}"' in page and f'id="{field_id}-error"' in page
        assert 'value="Sam K."' in page  # what was typed is kept
        assert counts(app) == before and outbox_messages(app) == []

    def test_role_change_with_a_tampered_role(self, client, officer, app, people):
        target = people["partner"]
        before = counts(app)
        response = client.submit(f"/people/{target.id}/role", {"role": "superadmin", "organisation": "Org"})
        assert response.status_code == 422
        assert "Choose a role from the list" in response.get_data(as_text=True)
        assert fetch_user(app, target.id).role == "partner"
        assert counts(app) == before

    def test_htmx_swaps_422_answers(self, client):
        """htmx shows a 422 page (the form with its messages) instead of dropping it."""
        page = client.get("/").get_data(as_text=True)
        assert '{"code": "422", "swap": true, "error": false}' in page


class TestLimits:
    def test_the_fourth_resend_to_one_address_is_refused_and_sends_nothing(self, client, officer, app):
        person_id = waiting_person(app)
        for _ in range(3):
            assert client.submit(f"/people/{person_id}/resend-invitation").status_code == 303
        assert len(outbox_messages(app)) == 3
        response = client.submit(f"/people/{person_id}/resend-invitation")
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert "Too many invitations have gone to this person. Wait an hour, then try again." in page
        assert 'class="govuk-header' in page  # the portal's own page, not a bare error
        assert len(outbox_messages(app)) == 3
        # Someone else can still be sent theirs.
        other = waiting_person(app, "other@test.example")
        assert client.submit(f"/people/{other}/resend-invitation").status_code == 303

    def test_invitations_per_officer_count_only_the_ones_made(self, client, officer, app):
        app.config["INVITATION_LIMIT_PER_OFFICER"] = "2 per hour"
        assert invite(client, email="bad").status_code == 422  # a mistake does not count
        assert invite(client, email="one@test.example").status_code == 303
        assert invite(client, email="two@test.example").status_code == 303
        response = invite(client, email="three@test.example")
        assert response.status_code == 429
        assert "You have sent a lot of invitations in a short time. Wait an hour" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(db.select(User).where(User.email == "three@test.example")) is None
        # Resends share the officer's limit.
        assert client.submit(f"/people/{waiting_person(app)}/resend-invitation").status_code == 429
        assert len(outbox_messages(app)) == 2

    def test_invitations_per_address(self, client, officer, app):
        app.config["INVITATION_LIMIT_PER_ADDRESS"] = "1 per day"
        assert invite(client, email="sam@test.example").status_code == 303
        with app.app_context():  # the account goes (say it was deleted), the address's count stays
            db.session.execute(db.delete(User).where(User.email == "sam@test.example"))
            db.session.commit()
        response = invite(client, email="SAM@test.example ")
        assert response.status_code == 429
        assert "Too many invitations have gone to this email address. Wait a day" in response.get_data(as_text=True)
        assert invite(client, email="someone.else@test.example").status_code == 303


class TestMailAfterTheAnswer:
    @pytest.mark.commits
    def test_a_slow_mail_server_does_not_slow_the_page(self, app, client, signed_in, monkeypatch, running_queue):
        # The queue and its worker, as in production (tests/conftest.py).
        signed_in("officer")
        sent = threading.Event()

        def slow_send(to: str, subject: str, body: str) -> bool:
            time.sleep(1.5)
            sent.set()
            return True

        monkeypatch.setattr(auth_ops, "send_mail", slow_send)
        start = time.perf_counter()
        response = invite(client)
        assert response.status_code == 303
        assert time.perf_counter() - start < 1.0
        assert not sent.is_set()
        assert sent.wait(10)

    def test_a_mail_that_cannot_go_leaves_the_officer_a_note(self, client, officer, app, monkeypatch):
        monkeypatch.setattr(auth_ops, "send_mail", lambda to, subject, body: False)
        response = invite(client, display_name="Sam K.")
        assert response.status_code == 303
        with app.app_context():
            (note,) = db.session.scalars(db.select(Notification).where(Notification.user_id == officer.id))
            person = db.session.scalar(db.select(User).where(User.email == "sam@test.example"))
            assert "The invitation to Sam K. could not be sent" in note.message
            assert note.link == f"/people/{person.id}"
        assert "The invitation to Sam K. could not be sent" in client.get("/dashboard").get_data(as_text=True)
