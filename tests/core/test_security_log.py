"""The security log (portal/security_log.py): one line per event, with the
account's id (never an email or a name), the client address and the request
id; nothing a person typed can start a second line (#15, ASVS 16)."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy.exc import IntegrityError

from portal.extensions import db
from portal.mail import send_mail
from portal.models import User
from portal.security_log import security_event
from tests.conftest import PASSWORD, link_in, make_app, make_production_app, outbox_messages
from tests.consultations.test_results import make_consultation

ADDRESS = "203.0.113.9"
REQUEST_ID = "test-request-0001"
NEW_PASSWORD = "a brand new passphrase"
FAKE = "Zed\nFAKE LOG LINE"


@pytest.fixture
def security_lines(caplog):
    """``security_lines(event)``: the lines logged for that event so far."""
    caplog.set_level(logging.INFO, logger="portal.security")

    def lines(event: str) -> list[str]:
        return [
            record.getMessage()
            for record in caplog.records
            if record.name == "portal.security" and record.getMessage().startswith(f"event={event} ")
        ]

    return lines


def the_line(security_lines, event: str, user_id: int | None) -> str:
    """The one line for ``event``, with the account, the address and the request id."""
    lines = security_lines(event)
    assert len(lines) == 1, lines
    (line,) = lines
    assert f" user={user_id if user_id is not None else '-'} " in line
    assert f" address={ADDRESS} " in line + " "
    assert f" request={REQUEST_ID}" in line
    assert "\n" not in line and "@" not in line  # no email address, ever
    return line


def send(client, method: str, url: str, data: dict | None = None, **kwargs):
    """A request from ADDRESS carrying REQUEST_ID, with the CSRF token on POSTs."""
    kwargs.update(environ_base={"REMOTE_ADDR": ADDRESS}, headers={"X-Request-ID": REQUEST_ID})
    if method == "GET":
        return client.get(url, **kwargs)
    return client.submit(url, data or {}, **kwargs)


class TestTheLine:
    def test_one_line_with_escaped_values(self, app, security_lines):
        with app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}, headers={"X-Request-ID": REQUEST_ID}):
            security_event("test.event", user=7, note=FAKE, quoted='say "user=1"', empty="", nothing=None)
        (line,) = security_lines("test.event")
        assert line == (
            f"event=test.event user=7 address={ADDRESS} request={REQUEST_ID} "
            'note="Zed\\nFAKE LOG LINE" quoted="say \\"user=1\\"" empty="" nothing=-'
        )

    @pytest.mark.parametrize("character", ["\r", "\x1b", "\u2028", "\u202e", "\x00", "\x85"])
    def test_every_control_character_is_escaped(self, app, security_lines, character):
        with app.test_request_context():
            security_event("test.event", detail=f"a{character}b")
        (line,) = security_lines("test.event")
        assert character not in line and "a\\" in line

    def test_details_cannot_pose_as_the_core_fields(self, app, security_lines):
        with app.test_request_context(environ_base={"REMOTE_ADDR": ADDRESS}):
            security_event("test.event", user=3, address="10.0.0.1", request="forged")
        (line,) = security_lines("test.event")
        assert line.count(" address=") == 1 and "detail_address=10.0.0.1" in line
        assert "detail_request=forged" in line

    def test_signed_out_and_outside_a_request(self, app, security_lines):
        with app.app_context():
            security_event("test.event")
        assert security_lines("test.event") == ["event=test.event user=- address=- request=-"]


class TestRequestId:
    def test_each_answer_carries_a_new_id(self, client):
        first, second = client.get("/").headers["X-Request-ID"], client.get("/").headers["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", first) and first != second

    def test_a_sane_incoming_id_is_kept(self, client):
        assert client.get("/", headers={"X-Request-ID": REQUEST_ID}).headers["X-Request-ID"] == REQUEST_ID

    @pytest.mark.parametrize("incoming", ["short", "x" * 65, "has space in it", "<script>alert(1)</script>"])
    def test_anything_else_is_replaced(self, client, incoming):
        assert re.fullmatch(
            r"[0-9a-f]{32}", client.get("/", headers={"X-Request-ID": incoming}).headers["X-Request-ID"]
        )

    def test_error_pages_carry_it_too(self, client):
        assert client.get("/no-such-page", headers={"X-Request-ID": REQUEST_ID}).headers["X-Request-ID"] == REQUEST_ID


class TestEvents:
    """Each event gives exactly one line, with the user id, the address and the request id."""

    def test_sign_in(self, client, people, security_lines):
        assert (
            send(client, "POST", "/sign-in", {"email": people["chair"].email, "password": PASSWORD}).status_code == 303
        )
        the_line(security_lines, "account.signed_in", people["chair"].id)

    def test_sign_in_failure_with_a_known_email(self, client, people, security_lines):
        send(client, "POST", "/sign-in", {"email": people["chair"].email, "password": "not the password"})
        assert "reason=wrong_password" in the_line(security_lines, "account.sign_in_failed", people["chair"].id)

    def test_sign_in_failure_with_an_unknown_email_names_no_email(self, client, people, security_lines, caplog):
        send(client, "POST", "/sign-in", {"email": "nobody.here@test.example", "password": PASSWORD})
        assert "reason=unknown_account" in the_line(security_lines, "account.sign_in_failed", None)
        assert "nobody.here" not in caplog.text

    def test_refused_page(self, client, signed_in, security_lines):
        person = signed_in("young_person")
        assert send(client, "GET", "/people").status_code == 403
        assert "path=/people" in the_line(security_lines, "access.refused", person.id)

    def test_rate_limit(self, client, signed_in, app, security_lines):
        officer = signed_in("officer")
        with app.app_context():
            invited = User(email="waiting@test.example", display_name="Wai T.", role="young_person")
            db.session.add(invited)
            db.session.commit()
            invited_id = invited.id
        statuses = [send(client, "POST", f"/people/{invited_id}/resend-invitation").status_code for _ in range(4)]
        assert statuses == [303, 303, 303, 429]
        line = the_line(security_lines, "rate_limit.exceeded", officer.id)
        assert "endpoint=people.resend_invitation" in line and 'limit="3 per 1 hour"' in line

    def test_a_limit_hit_on_an_email_logs_no_email(self, client, people, security_lines, caplog):
        caplog.set_level(logging.DEBUG)
        email = people["chair"].email
        statuses = [send(client, "POST", "/forgot-password", {"email": email}).status_code for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        the_line(security_lines, "rate_limit.exceeded", None)
        assert email not in caplog.text and "chair@" not in caplog.text

    def test_role_change(self, client, signed_in, people, security_lines):
        officer = signed_in("officer")
        target = people["young_person"]
        data = {"role": "youth_member", "age_band": "14-16", "district": "Arun"}
        assert send(client, "POST", f"/people/{target.id}/role", data).status_code == 303
        line = the_line(security_lines, "people.role_changed", officer.id)
        assert f"subject={target.id} old_role=young_person new_role=youth_member" in line

    def test_deactivation(self, client, signed_in, people, security_lines):
        officer = signed_in("officer")
        assert send(client, "POST", f"/people/{people['partner'].id}/deactivate").status_code == 303
        assert f"subject={people['partner'].id}" in the_line(security_lines, "people.deactivated", officer.id)

    def test_own_data_download(self, client, signed_in, security_lines):
        person = signed_in("youth_member")
        assert send(client, "GET", "/account/data").status_code == 200
        the_line(security_lines, "export.own_data", person.id)

    def test_subject_access_download(self, client, signed_in, people, security_lines):
        officer = signed_in("officer")
        assert send(client, "POST", f"/people/{people['partner'].id}/data").status_code == 200
        assert f"subject={people['partner'].id}" in the_line(security_lines, "export.subject_access", officer.id)

    @pytest.mark.parametrize("kind", ["csv", "xlsx"])
    def test_consultation_export(self, client, app, people, signed_in, security_lines, kind):
        with app.app_context():
            ids = make_consultation(people)
            db.session.commit()
        officer = signed_in("officer")
        url = f"/consultations/{ids['consultation']}/export.{kind}"
        if kind == "xlsx":  # made on the queue: the line is written when the file leaves, at its download
            url = send(client, "POST", url).headers["Location"] + "/download"
        response = send(client, "GET", url)
        response.get_data()  # the CSV streams: the line is written as it starts
        line = the_line(security_lines, "export.consultation_responses", officer.id)
        assert f"consultation={ids['consultation']} format={kind}" in line

    def test_password_change(self, client, signed_in, security_lines):
        person = signed_in("youth_member")
        data = {"current": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
        assert send(client, "POST", "/account/password", data).status_code == 303
        the_line(security_lines, "account.password_changed", person.id)

    def test_password_reset(self, client, app, people, security_lines):
        send(client, "POST", "/forgot-password", {"email": people["chair"].email})
        assert "sent=yes" in the_line(security_lines, "account.reset_requested", people["chair"].id)
        link = link_in(outbox_messages(app)[0])
        response = send(client, "POST", link, {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
        assert response.status_code == 303
        the_line(security_lines, "account.password_reset", people["chair"].id)


class TestMailLogs:
    def test_a_line_break_in_a_name_cannot_forge_a_development_log_line(self, tmp_path, caplog):
        caplog.set_level(logging.INFO, logger="portal.mail")
        app = make_app(tmp_path, ENV="development")
        with app.test_request_context():
            send_mail("zed@test.example", "You are invited", f"Hello {FAKE},\n\nOpen this link.")
        (record,) = [r for r in caplog.records if r.name == "portal.mail"]
        message = record.getMessage()
        assert "\n" not in message and "\r" not in message
        assert "Hello Zed\\nFAKE LOG LINE" in message  # still readable, on one line

    def test_the_invitation_of_such_a_name_gives_one_line(self, app, client, signed_in, caplog):
        """Through the page: the name is stored as typed (line break and all)."""
        caplog.set_level(logging.INFO)
        app.config["ENV"] = "development"  # mails logged in full (the fixture puts it back)
        signed_in("officer")
        data = {"display_name": FAKE, "email": "zed@test.example", "role": "partner", "organisation": "Org"}
        assert client.submit("/people/invite", data).status_code == 303
        assert "Hello Zed\\nFAKE LOG LINE" in caplog.text
        assert not any(line.startswith("FAKE LOG LINE") for line in caplog.text.splitlines())

    @pytest.mark.parametrize("server", ["", "unreachable"])
    def test_production_logs_hold_neither_the_address_nor_the_body(self, tmp_path, caplog, server):
        caplog.set_level(logging.DEBUG)
        app = make_app(
            tmp_path,
            ENV="production",
            SECRET_KEY="x" * 64,
            CONCERN_EMAIL="safeguarding@westsussex.gov.uk",
            MAIL_SERVER="127.0.0.1" if server else "",
            MAIL_PORT=9,  # nothing listens there
        )
        with app.test_request_context():
            send_mail("zed.secret@test.example", "Reset your password", "Hello Zed, your link: https://x/reset/SECRET")
        assert caplog.records  # something was logged...
        assert "zed.secret" not in caplog.text and "SECRET" not in caplog.text and "Hello Zed" not in caplog.text


def test_production_database_errors_leave_out_the_values(tmp_path):
    """A database error's message is logged (errors.py): in production it holds no values."""
    app = make_production_app(tmp_path)
    with app.app_context():
        for _ in range(2):
            db.session.add(User(email="zed.secret@test.example", display_name="Zed", role="officer"))
        with pytest.raises(IntegrityError) as raised:
            db.session.commit()
        db.session.rollback()
    assert "zed.secret" not in str(raised.value)
