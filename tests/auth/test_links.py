"""Invitations and password resets: signed links that expire and work once."""

from __future__ import annotations

import time

import pytest
from itsdangerous import TimestampSigner

from portal.extensions import db
from portal.models import User
from tests.conftest import PASSWORD, PortalClient, fetch_user, link_in, outbox_messages

NEW_PASSWORD = "a brand new passphrase"


def invite(client, email="new.member@test.example", **fields):
    data = {"display_name": "Sam K.", "email": email, "role": "youth_member", "age_band": "14-16", "district": "Arun"}
    data.update(fields)
    return client.submit("/people/invite", data)


@pytest.fixture
def invitation(client, signed_in, app):
    """An officer invites someone, then signs out; returns the invitation link."""
    signed_in("officer")
    assert invite(client).status_code == 303
    client.submit("/sign-out")
    (message,) = outbox_messages(app)
    return link_in(message)


def choose(client, link, password=NEW_PASSWORD, confirm=None):
    return client.submit(link, {"password": password, "confirm": confirm if confirm is not None else password})


class TestInvitation:
    def test_the_mail_says_who_and_what(self, invitation, app):
        (message,) = outbox_messages(app)
        assert message["To"] == "new.member@test.example"
        body = message.get_content()
        assert "Youth Cabinet member" in body
        assert "7 days" in body
        assert invitation.startswith("/invitation/")

    def test_accepting_sets_the_password_and_signs_in(self, client, invitation, app):
        page = client.get(invitation).get_data(as_text=True)
        assert "Set up your account" in page and "Sam K." in page
        response = choose(client, invitation)
        assert response.status_code == 303
        dashboard = client.get("/dashboard").get_data(as_text=True)
        assert "Hello, Sam K." in dashboard
        assert ">People<" not in dashboard  # a youth member's navigation
        client.submit("/sign-out")
        assert client.sign_in("new.member@test.example", NEW_PASSWORD).status_code == 303

    def test_link_works_once(self, client, invitation):
        choose(client, invitation)
        client.submit("/sign-out")
        response = client.get(invitation)
        assert response.status_code == 400
        assert "already been used" in response.get_data(as_text=True)

    def test_tampered_link(self, client, invitation):
        response = client.get(invitation[:-3] + "abc")
        assert response.status_code == 400
        assert "not complete or has been changed" in response.get_data(as_text=True)

    def test_expired_link(self, client, invitation, monkeypatch):
        eight_days = 8 * 24 * 3600
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + eight_days)
        response = client.get(invitation)
        assert response.status_code == 400
        assert "run out of time" in response.get_data(as_text=True)

    def test_resending_replaces_the_old_link(self, client, invitation, signed_in, app):
        with app.app_context():
            person = db.session.scalar(db.select(User).where(User.email == "new.member@test.example"))
        signed_in("officer")
        time.sleep(0.01)
        assert client.submit(f"/people/{person.id}/resend-invitation").status_code == 303
        client.submit("/sign-out")
        assert client.get(invitation).status_code == 400
        newest = link_in(outbox_messages(app)[-1])
        assert client.get(newest).status_code == 200

    @pytest.mark.parametrize(
        "password, confirm, message",
        [
            ("", "", "Create a password"),
            ("short", "short", "at least 8 characters"),
            ("password123", "password123", "too common"),
            ("x" * 129, "x" * 129, "128 characters or fewer"),
            ("a fine passphrase", "a different one", "The two passwords are not the same"),
            ("new.member@test.example", "new.member@test.example", "cannot be your email address"),
        ],
    )
    def test_password_rules(self, client, invitation, app, password, confirm, message):
        response = choose(client, invitation, password, confirm)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page and "There is a problem" in page
        # Nothing stored: the link still works.
        with app.app_context():
            person = db.session.scalar(db.select(User).where(User.email == "new.member@test.example"))
            assert person.password_hash is None

    def test_128_characters_and_unicode_are_accepted(self, client, invitation):
        password = "ñ🙂" * 64
        assert choose(client, invitation, password).status_code == 303
        client.submit("/sign-out")
        assert client.sign_in("new.member@test.example", password).status_code == 303

    def test_signed_in_person_is_told_to_sign_out_first(self, client, invitation, signed_in):
        signed_in("chair")
        page = client.get(invitation).get_data(as_text=True)
        assert "You are already signed in" in page


class TestReset:
    def test_same_message_whether_or_not_the_email_is_known(self, client, people, app):
        known = client.submit("/forgot-password", {"email": people["chair"].email}).get_data(as_text=True)
        unknown = client.submit("/forgot-password", {"email": "nobody@test.example"}).get_data(as_text=True)

        def main(page: str, email: str) -> str:
            return page.replace(email, "EMAIL").split("<main", 1)[1].split("</main>", 1)[0]

        assert main(known, people["chair"].email) == main(unknown, "nobody@test.example")
        assert "Check your email" in known
        assert len(outbox_messages(app)) == 1

    def test_reset_journey(self, client, people, app):
        client.submit("/forgot-password", {"email": people["chair"].email})
        link = link_in(outbox_messages(app)[0])
        assert link.startswith("/reset-password/")
        assert choose(client, link).status_code == 303
        client.submit("/sign-out")
        assert client.sign_in(people["chair"].email, PASSWORD).status_code == 422  # old password gone
        assert client.sign_in(people["chair"].email, NEW_PASSWORD).status_code == 303
        client.submit("/sign-out")
        assert client.get(link).status_code == 400  # works once

    def test_reset_ends_other_sessions(self, app, people):
        app.test_client_class = PortalClient
        other, me = app.test_client(), app.test_client()
        other.sign_in(people["chair"].email)
        me.submit("/forgot-password", {"email": people["chair"].email})
        choose(me, link_in(outbox_messages(app)[0]))
        assert other.get("/account").status_code == 302
        assert me.get("/account").status_code == 200

    def test_reset_link_expires_after_a_day(self, client, people, app, monkeypatch):
        client.submit("/forgot-password", {"email": people["chair"].email})
        link = link_in(outbox_messages(app)[0])
        monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: int(time.time()) + 25 * 3600)
        assert "run out of time" in client.get(link).get_data(as_text=True)

    def test_deactivated_account_gets_no_mail(self, client, people, app):
        with app.app_context():
            db.session.get(User, people["chair"].id).active = False
            db.session.commit()
        client.submit("/forgot-password", {"email": people["chair"].email})
        assert outbox_messages(app) == []

    def test_bad_email(self, client, people):
        page = client.submit("/forgot-password", {"email": "<script>alert(1)</script>"}).get_data(as_text=True)
        assert "Enter an email address in the right format" in page
        assert "<script>alert(1)</script>" not in page


class TestChangePassword:
    def test_change_ends_other_sessions_but_not_this_one(self, app, people):
        app.test_client_class = PortalClient
        me, other = app.test_client(), app.test_client()
        me.sign_in(people["youth_member"].email)
        other.sign_in(people["youth_member"].email)
        response = me.submit(
            "/account/password", {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        )
        assert response.status_code == 303
        assert me.get("/account").status_code == 200
        assert other.get("/account").status_code == 302

    def test_wrong_current_password(self, client, signed_in, app, people):
        signed_in("youth_member")
        before = fetch_user(app, people["youth_member"].id).password_hash
        page = client.submit(
            "/account/password", {"current": "not it at all", "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        ).get_data(as_text=True)
        assert "That is not your current password" in page
        assert fetch_user(app, people["youth_member"].id).password_hash == before
