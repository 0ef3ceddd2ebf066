"""Two-step sign-in for adults (#15): setting it up, codes, recovery codes,
remembered devices, limits, an officer's reset, and who is asked."""

from __future__ import annotations

import logging
import re
import time

import pyotp
import pytest
from sqlalchemy import func, select

from portal.auth import two_step
from portal.config import DEFAULTS
from portal.extensions import db
from portal.models import AuditEntry, RecoveryCode, User
from tests.conftest import PASSWORD, PortalClient, fetch_user, outbox_messages

ADULTS = ["officer", "cabinet_member", "partner"]
KEY = re.compile(r'id="setup-key">([A-Z2-7 ]+)<')
CODES = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


@pytest.fixture
def asked(app):
    """Two-step sign-in on for the adult roles, as in production."""
    app.config["TWO_STEP_ROLES"] = list(ADULTS)
    return app


def code_for(secret: str, offset_steps: int = 0) -> str:
    totp = pyotp.TOTP(secret)
    return totp.at(time.time() + offset_steps * totp.interval)


def set_up(client: PortalClient, email: str) -> tuple[str, list[str]]:
    """Sign in with a password and set up two-step sign-in: the secret and the recovery codes."""
    response = client.sign_in(email)
    assert response.headers["Location"] == "/account/two-step/set-up"
    page = client.get("/account/two-step/set-up").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    done = client.submit("/account/two-step/set-up", {"code": code_for(secret)})
    assert done.status_code == 200, done.get_data(as_text=True)
    codes = CODES.findall(done.get_data(as_text=True))
    return secret, codes


def is_signed_in(client: PortalClient) -> bool:
    return client.get("/dashboard").status_code == 200


def next_step(app, user_id: int) -> None:
    """Forget the last code used, as if 90 seconds had passed (codes are single-use)."""
    with app.app_context():
        db.session.get(User, user_id).two_step_last_step = None
        db.session.commit()


class TestSettingUp:
    def test_an_officer_sets_it_up_at_their_first_sign_in(self, asked, client, people):
        response = client.sign_in(people["officer"].email)
        assert response.status_code == 303 and response.headers["Location"] == "/account/two-step/set-up"
        assert not is_signed_in(client)  # the password alone signs nobody in
        page = client.get("/account/two-step/set-up").get_data(as_text=True)
        assert "Set up two-step sign-in" in page and "<svg" in page and 'role="img"' in page
        secret = KEY.search(page).group(1).replace(" ", "")
        assert len(secret) == 32

        wrong = client.submit(
            "/account/two-step/set-up", {"code": "000000" if code_for(secret) != "000000" else "111111"}
        )
        assert wrong.status_code == 422 and "That code is not right" in wrong.get_data(as_text=True)
        # The same key is kept after a wrong code, so the app added before still works.
        assert KEY.search(wrong.get_data(as_text=True)).group(1).replace(" ", "") == secret

        done = client.submit("/account/two-step/set-up", {"code": code_for(secret)})
        body = done.get_data(as_text=True)
        assert done.status_code == 200 and "Save your recovery codes" in body
        codes = CODES.findall(body)
        assert len(codes) == 10 and len(set(codes)) == 10
        assert is_signed_in(client)
        user = fetch_user(asked, people["officer"].id)
        assert user.two_step_secret == secret and user.two_step_enabled_at is not None
        with asked.app_context():
            stored = db.session.scalars(select(RecoveryCode.code_hash).where(RecoveryCode.user_id == user.id)).all()
            assert len(stored) == 10 and not any(code.replace("-", "") in h for code in codes for h in stored)
            actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.actor_id == user.id)).all()
            assert "account.two_step_set_up" in actions

    @pytest.mark.parametrize("typed", ["", "12345", "1234567", "abcdef", "{{7*7}}", "１２３４５６", "<b>1</b>"])
    def test_bad_codes_are_refused_next_to_the_field(self, asked, client, people, typed):
        client.sign_in(people["partner"].email)
        response = client.submit("/account/two-step/set-up", {"code": typed})
        page = response.get_data(as_text=True)
        assert response.status_code == 422 and "There is a problem" in page and "govuk-error-message" in page
        assert "<b>1</b>" not in page
        assert fetch_user(asked, people["partner"].id).two_step_enabled_at is None

    def test_young_people_are_never_asked(self, app, client, people):
        app.config["TWO_STEP_ROLES"] = list(ADULTS)
        for role in ["young_person", "youth_member", "chair"]:
            response = client.sign_in(people[role].email)
            assert response.headers["Location"] == "/dashboard", role
            client.submit("/sign-out")
        client.sign_in(people["youth_member"].email)
        assert client.get("/account/two-step/set-up").status_code == 403
        assert "Two-step sign-in" not in client.get("/account").get_data(as_text=True)

    def test_the_chair_can_be_asked_by_a_setting(self, app, client, people):
        app.config["TWO_STEP_ROLES"] = [*ADULTS, "chair"]
        assert client.sign_in(people["chair"].email).headers["Location"] == "/account/two-step/set-up"

    def test_every_adult_role_is_asked_by_default(self):
        assert set(DEFAULTS["TWO_STEP_ROLES"]) == set(ADULTS)  # type: ignore[arg-type]

    def test_someone_not_asked_can_set_it_up_and_turn_it_off(self, app, client, people):
        secret, _ = _set_up_signed_in(client, people["chair"].email)
        assert "Two-step sign-in is on" in client.get("/account").get_data(as_text=True)
        next_step(app, people["chair"].id)
        refused = client.submit("/account/two-step/turn-off", {"code": "999999"})
        assert refused.status_code == 422
        assert client.submit("/account/two-step/turn-off", {"code": code_for(secret)}).status_code == 303
        assert fetch_user(app, people["chair"].id).two_step_secret is None

    def test_a_role_that_needs_it_cannot_turn_it_off(self, asked, client, people):
        set_up(client, people["officer"].email)
        assert client.get("/account/two-step/turn-off").status_code == 404
        assert "cannot be turned off" in client.get("/account").get_data(as_text=True)


def _set_up_signed_in(client: PortalClient, email: str) -> tuple[str, list[str]]:
    """Someone not asked sets it up from their account page."""
    client.sign_in(email)
    page = client.get("/account/two-step/set-up").get_data(as_text=True)
    secret = KEY.search(page).group(1).replace(" ", "")
    done = client.submit("/account/two-step/set-up", {"code": code_for(secret)})
    return secret, CODES.findall(done.get_data(as_text=True))


class TestSigningIn:
    def test_a_code_from_the_app_signs_in_once(self, asked, client, people):
        secret, _ = set_up(client, people["officer"].email)
        client.submit("/sign-out")
        next_step(asked, people["officer"].id)

        response = client.submit("/sign-in?next=/people", {"email": people["officer"].email, "password": PASSWORD})
        assert response.headers["Location"] == "/sign-in/code"
        assert not is_signed_in(client)
        wrong = client.submit("/sign-in/code", {"code": "123 45"})
        assert wrong.status_code == 422 and "The code is 6 numbers" in wrong.get_data(as_text=True)
        code = code_for(secret)
        done = client.submit("/sign-in/code", {"code": f"{code[:3]} {code[3:]}"})
        assert done.status_code == 303 and done.headers["Location"] == "/people"  # where they were going
        assert is_signed_in(client)

        # The same code, seen over a shoulder, does not work again.
        client.submit("/sign-out")
        client.sign_in(people["officer"].email)
        again = client.submit("/sign-in/code", {"code": code})
        assert again.status_code == 422 and "That code is not right" in again.get_data(as_text=True)
        assert not is_signed_in(client)

    def test_a_phone_a_step_slow_still_works(self, asked, client, people):
        secret, _ = set_up(client, people["partner"].email)
        client.submit("/sign-out")
        next_step(asked, people["partner"].id)
        client.sign_in(people["partner"].email)
        assert client.submit("/sign-in/code", {"code": code_for(secret, -1)}).status_code == 303
        client.submit("/sign-out")
        client.sign_in(people["partner"].email)
        assert client.submit("/sign-in/code", {"code": code_for(secret, -3)}).status_code == 422

    def test_a_recovery_code_works_once(self, asked, client, people):
        _, codes = set_up(client, people["cabinet_member"].email)
        client.submit("/sign-out")
        client.sign_in(people["cabinet_member"].email)
        assert client.get("/sign-in/recovery-code").status_code == 200
        used = client.submit("/sign-in/recovery-code", {"code": codes[0].upper().replace("-", " ")})
        assert used.status_code == 303
        dashboard = client.get("/dashboard")
        assert dashboard.status_code == 200 and "You have 9 left" in dashboard.get_data(as_text=True)

        client.submit("/sign-out")
        client.sign_in(people["cabinet_member"].email)
        again = client.submit("/sign-in/recovery-code", {"code": codes[0]})
        assert again.status_code == 422 and "has been used" in again.get_data(as_text=True)
        assert not is_signed_in(client)

    def test_someone_else_s_recovery_code_does_not_work(self, asked, client, people, app):
        _, officer_codes = set_up(client, people["officer"].email)
        client.submit("/sign-out")
        set_up(client, people["partner"].email)
        client.submit("/sign-out")
        client.sign_in(people["partner"].email)
        assert client.submit("/sign-in/recovery-code", {"code": officer_codes[0]}).status_code == 422

    def test_the_password_step_runs_out(self, asked, client, people, monkeypatch):
        set_up(client, people["officer"].email)
        client.submit("/sign-out")
        client.sign_in(people["officer"].email)
        later = time.time() + two_step.PENDING_MINUTES * 60 + 1
        monkeypatch.setattr(two_step.time, "time", lambda: later)
        response = client.submit("/sign-in/code", {"code": "123456"})
        assert response.headers["Location"] == "/sign-in"
        assert "The time to finish signing in ran out" in client.get("/sign-in").get_data(as_text=True)

    def test_code_tries_are_limited_per_account(self, asked, client, people, app):
        secret, _ = set_up(client, people["officer"].email)
        client.submit("/sign-out")
        next_step(asked, people["officer"].id)
        client.sign_in(people["officer"].email)
        # Ten tries per account in all, the set-up's code included, on any code page.
        for _ in range(9):
            assert client.submit("/sign-in/code", {"code": "000000"}).status_code == 422
        assert client.submit("/sign-in/code", {"code": code_for(secret)}).status_code == 429
        assert client.submit("/sign-in/recovery-code", {"code": "abcde-fghjk"}).status_code == 429
        assert not is_signed_in(client)

    def test_a_reset_link_still_asks_for_the_code(self, asked, client, people):
        set_up(client, people["officer"].email)
        client.submit("/sign-out")
        client.submit("/forgot-password", {"email": people["officer"].email})
        link = re.search(r"http://localhost(/reset-password/\S+)", outbox_messages(asked)[-1].get_content()).group(1)
        chosen = client.submit(link, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
        assert chosen.headers["Location"] == "/sign-in/code"
        assert not is_signed_in(client)

    def test_an_invited_adult_sets_it_up_before_signing_in(self, asked, client, people, app):
        with app.app_context():
            user = db.session.get(User, people["partner"].id)
            user.password_hash = None
            db.session.commit()
        from portal.auth.operations import link_for
        from portal.auth.tokens import INVITATION

        with app.test_request_context():
            link = link_for(db.session.get(User, people["partner"].id), INVITATION).removeprefix("http://localhost")
        chosen = client.submit(link, {"password": "a brand new passphrase", "confirm": "a brand new passphrase"})
        assert chosen.headers["Location"] == "/account/two-step/set-up"
        assert not is_signed_in(client)
        assert "One more step to sign in" in client.get("/account/two-step/set-up").get_data(as_text=True)


class TestRememberedDevices:
    def test_a_remembered_device_is_not_asked_for_30_days(self, asked, client, people):
        secret, _ = set_up(client, people["officer"].email)
        client.submit("/sign-out")
        next_step(asked, people["officer"].id)
        client.sign_in(people["officer"].email)
        done = client.submit("/sign-in/code", {"code": code_for(secret), "remember": "y"})
        cookie = done.headers["Set-Cookie"]
        assert cookie.startswith("portal-device=") and "HttpOnly" in cookie and "Max-Age=2592000" in cookie
        client.submit("/sign-out")
        assert client.sign_in(people["officer"].email).headers["Location"] == "/dashboard"

        # Another browser (no cookie) is asked.
        other = asked.test_client()
        assert other.sign_in(people["officer"].email).headers["Location"] == "/sign-in/code"

        # Forgetting devices: asked again.
        client.sign_in(people["officer"].email)
        assert "Forget remembered devices" in client.get("/account").get_data(as_text=True)
        client.submit("/account/two-step/forget-devices")
        client.submit("/sign-out")
        assert client.sign_in(people["officer"].email).headers["Location"] == "/sign-in/code"

    def test_nothing_is_remembered_when_the_setting_is_0(self, asked, client, people):
        asked.config["TWO_STEP_REMEMBER_DAYS"] = 0
        secret, _ = set_up(client, people["officer"].email)
        client.submit("/sign-out")
        next_step(asked, people["officer"].id)
        client.sign_in(people["officer"].email)
        assert "Remember this device" not in client.get("/sign-in/code").get_data(as_text=True)
        done = client.submit("/sign-in/code", {"code": code_for(secret), "remember": "y"})
        assert "portal-device" not in done.headers.get("Set-Cookie", "")


class TestRecoveryCodes:
    def test_new_codes_replace_the_old(self, asked, client, people):
        secret, old = set_up(client, people["partner"].email)
        next_step(asked, people["partner"].id)
        page = client.get("/account/two-step/recovery-codes").get_data(as_text=True)
        assert "You have 10 unused recovery codes" in page
        renewed = client.submit("/account/two-step/recovery-codes", {"code": code_for(secret)})
        new = CODES.findall(renewed.get_data(as_text=True))
        assert len(new) == 10 and not set(new) & set(old)
        client.submit("/sign-out")
        client.sign_in(people["partner"].email)
        assert client.submit("/sign-in/recovery-code", {"code": old[1]}).status_code == 422
        assert client.submit("/sign-in/recovery-code", {"code": new[1]}).status_code == 303


class TestOfficerReset:
    def test_an_officer_resets_someone_s_second_step(self, asked, app, people):
        member = app.test_client()
        set_up(member, people["cabinet_member"].email)
        assert is_signed_in(member)
        officer = app.test_client()
        officer_secret, _ = set_up(officer, people["officer"].email)

        person_page = officer.get(f"/people/{people['cabinet_member'].id}").get_data(as_text=True)
        assert "reset their two-step sign-in" in person_page
        assert "Reset Cabinet Member" in officer.get(f"/people/{people['cabinet_member'].id}/two-step/reset").get_data(
            as_text=True
        )
        done = officer.submit(f"/people/{people['cabinet_member'].id}/two-step/reset")
        assert done.status_code == 303

        assert not is_signed_in(member)  # signed out at once
        user = fetch_user(app, people["cabinet_member"].id)
        assert user.two_step_secret is None and user.two_step_enabled_at is None
        with app.app_context():
            assert db.session.scalar(select(func.count()).where(RecoveryCode.user_id == user.id)) == 0
            entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "account.two_step_reset")).one()
            assert entry.actor_id == people["officer"].id and entry.subject_id == user.id
        mail = outbox_messages(app)[-1]
        assert mail["To"] == people["cabinet_member"].email and "reset the two-step sign-in" in mail.get_content()
        # At the next sign-in they set it up again.
        assert member.sign_in(people["cabinet_member"].email).headers["Location"] == "/account/two-step/set-up"

    def test_only_officers_reset(self, asked, app, people):
        member = app.test_client()
        set_up(member, people["cabinet_member"].email)
        partner = app.test_client()
        set_up(partner, people["partner"].email)
        assert partner.get(f"/people/{people['cabinet_member'].id}/two-step/reset").status_code == 403
        assert partner.submit(f"/people/{people['cabinet_member'].id}/two-step/reset").status_code == 403
        assert fetch_user(app, people["cabinet_member"].id).two_step_enabled_at is not None


def test_two_step_events_are_logged(asked, client, people, caplog):
    caplog.set_level(logging.INFO, logger="portal.security")
    secret, _ = set_up(client, people["officer"].email)
    client.submit("/sign-out")
    next_step(asked, people["officer"].id)
    client.sign_in(people["officer"].email)
    client.submit("/sign-in/code", {"code": "000000" if code_for(secret) != "000000" else "111111"})
    client.submit("/sign-in/code", {"code": code_for(secret)})
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.security"]
    for event in ("two_step.set_up", "two_step.failed", "two_step.passed"):
        assert any(event in line and str(people["officer"].id) in line for line in lines), (event, lines)
    assert not any(secret in line for line in lines)


def test_deleting_an_account_deletes_its_second_step(asked, client, people, app):
    set_up(client, people["partner"].email)
    response = client.submit("/account/delete", {"password": PASSWORD})
    assert response.status_code == 303
    user = fetch_user(app, people["partner"].id)
    assert user.two_step_secret is None and user.two_step_enabled_at is None
    with app.app_context():
        assert db.session.scalar(select(func.count()).where(RecoveryCode.user_id == user.id)) == 0


def test_the_demo_code_command_gives_the_code_the_demo_key_makes(app):
    from portal.demo.two_step import DEMO_KEY

    result = app.test_cli_runner().invoke(args=["demo", "code"])
    assert result.exit_code == 0 and pyotp.TOTP(DEMO_KEY).verify(result.output.split()[0], valid_window=1)
    app.config["ENV"] = "production"
    refused = app.test_cli_runner().invoke(args=["demo", "code"])
    assert refused.exit_code != 0 and "no demo in production" in refused.output
