"""Signed-in sessions end after a time without use (idle) and a time after
signing in (absolute), with a message saying why; visitors are not affected.

The clock the limits read is ``portal.auth.sessions.now``: ``clock`` replaces
it, and ``clock.move(minutes=...)`` moves time forward.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.auth import sessions
from portal.config import settings_from_env
from portal.extensions import db
from portal.statements.operations import current_month
from tests.conftest import PortalClient
from tests.factories import ChairStatementFactory

IDLE_ADULT = "You were signed out because you had not done anything for 30 minutes. Sign in again to carry on."
IDLE_YOUNG = "You were signed out because you had not done anything for 2 hours. Sign in again to carry on."
ABSOLUTE = "You were signed out because you were signed in for 12 hours. Sign in again to carry on."
SIGNED_OUT_BECAUSE = "You were signed out because"
NEEDS_SIGN_IN = "You need to sign in to see that page."
SECOND = timedelta(seconds=1)


class Clock:
    """Stands in for ``sessions.now``: still until moved."""

    def __init__(self) -> None:
        self.at = 1_800_000_000.0

    def __call__(self) -> float:
        return self.at

    def move(self, delta: timedelta | None = None, **parts: float) -> None:
        self.at += (delta or timedelta(**parts)).total_seconds()


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "now", fake)
    return fake


def sign_in_page_after(client, response) -> str:
    """Follow ``client``'s redirect to the sign-in page and return that page."""
    assert response.status_code in (302, 303), response.status_code
    location = response.headers["Location"]
    assert urlsplit(location).path == "/sign-in", location
    return client.get(location).get_data(as_text=True)


def next_of(location: str) -> str | None:
    values = parse_qs(urlsplit(location).query).get("next")
    return values[0] if values else None


# The idle limit -------------------------------------------------------------------


@pytest.mark.parametrize(
    "role, limit, message",
    [
        ("officer", timedelta(minutes=30), IDLE_ADULT),
        ("cabinet_member", timedelta(minutes=30), IDLE_ADULT),
        ("partner", timedelta(minutes=30), IDLE_ADULT),
        ("young_person", timedelta(hours=2), IDLE_YOUNG),
        ("youth_member", timedelta(hours=2), IDLE_YOUNG),
        ("chair", timedelta(hours=2), IDLE_YOUNG),
    ],
)
def test_the_idle_limit_by_role(client, signed_in, clock, role, limit, message):
    signed_in(role)
    clock.move(limit - SECOND)
    assert client.get("/account").status_code == 200  # just under: still signed in, and active now
    clock.move(limit - SECOND)
    assert client.get("/account").status_code == 200  # counted from the last request, not the sign-in
    clock.move(limit + SECOND)
    response = client.get("/account?tab=1")
    assert response.status_code == 302
    assert next_of(response.headers["Location"]) == "/account?tab=1"
    page = sign_in_page_after(client, response)
    assert message in page
    assert NEEDS_SIGN_IN not in page  # the reason given is the real one
    # Signed out for good, and the message is shown once.
    again = client.get("/account")
    assert again.status_code == 302
    assert SIGNED_OUT_BECAUSE not in client.get(again.headers["Location"]).get_data(as_text=True)


def test_after_signing_in_again_the_person_is_back_on_their_page(client, signed_in, clock, people):
    signed_in("officer")
    clock.move(minutes=31)
    location = client.get("/people?q=chair").headers["Location"]
    assert next_of(location) == "/people?q=chair"
    client.get(location)
    back = client.submit(location, {"email": people["officer"].email, "password": "correct horse battery"})
    assert back.status_code == 303 and back.headers["Location"] == "/people?q=chair"
    assert client.get("/people?q=chair").status_code == 200


# The absolute limit ------------------------------------------------------------------


def test_the_absolute_limit_ends_even_a_busy_session(client, signed_in, clock):
    signed_in("officer")
    for _ in range(12 * 60 // 20 - 1):  # a request every 20 minutes, for 11 hours 40 minutes
        clock.move(minutes=20)
        assert client.get("/account").status_code == 200
    clock.move(minutes=20, seconds=-1)  # 12 hours less a second after signing in
    assert client.get("/account").status_code == 200
    clock.move(seconds=2)
    response = client.get("/account")
    assert response.status_code == 302
    assert ABSOLUTE in sign_in_page_after(client, response)


def test_a_young_persons_session_ends_after_12_hours_too(client, signed_in, clock):
    signed_in("young_person")
    for _ in range(12):
        clock.move(minutes=59)
        assert client.get("/dashboard").status_code == 200
    clock.move(minutes=13)
    assert ABSOLUTE in sign_in_page_after(client, client.get("/dashboard"))


# htmx, forms, the sign-in page --------------------------------------------------------


@pytest.fixture
def chairs_statement(app, people):
    with app.app_context():
        ChairStatementFactory(month=current_month(), text="First words.", created_by=people["chair"])
        db.session.commit()
    return f"/statements/{current_month():%Y-%m}"


def test_autosaving_is_activity(client, signed_in, clock, chairs_statement):
    signed_in("chair")
    token = client.csrf_token()
    htmx = {"HX-Request": "true", "X-CSRFToken": token}
    for version in (1, 2, 3):
        clock.move(hours=1, minutes=59)
        saved = client.post(chairs_statement, data={"text": f"Words {version}.", "base_version": version}, headers=htmx)
        assert saved.status_code == 200, saved.get_data(as_text=True)


def test_an_htmx_request_after_the_limit_gets_401_and_goes_to_sign_in(app, client, signed_in, clock, chairs_statement):
    signed_in("chair")
    token = client.csrf_token()
    clock.move(hours=2, seconds=1)
    response = client.post(
        chairs_statement,
        data={"text": "Typed while away.", "base_version": "1"},
        headers={
            "HX-Request": "true",
            "HX-Current-URL": f"http://localhost{chairs_statement}",
            "X-CSRFToken": token,
        },
    )
    assert response.status_code == 401
    assert "You need to sign in" in response.get_data(as_text=True)
    location = response.headers["HX-Redirect"]
    assert urlsplit(location).path == "/sign-in" and next_of(location) == chairs_statement
    assert IDLE_YOUNG in client.get(location).get_data(as_text=True)
    with app.app_context():
        from portal.models import ChairStatement

        assert db.session.scalar(db.select(ChairStatement.text)) == "First words."  # not saved


def test_a_form_sent_after_the_limit_comes_back_to_its_page(client, signed_in, clock, chairs_statement):
    """The address a form is sent to may take forms only: sign-in brings the
    person back to the page the form was on."""
    signed_in("chair")
    token = client.csrf_token()
    clock.move(hours=3)
    response = client.post(
        chairs_statement,
        data={"text": "Sent after a long pause.", "base_version": "1", "save": "1", "csrf_token": token},
        headers={"Referer": f"http://localhost{chairs_statement}?from=list"},
    )
    assert response.status_code == 303
    assert next_of(response.headers["Location"]) == f"{chairs_statement}?from=list"
    assert IDLE_YOUNG in sign_in_page_after(client, response)


def test_a_form_from_another_site_does_not_choose_where_to_come_back_to(client, signed_in, clock):
    signed_in("officer")
    token = client.csrf_token()
    clock.move(hours=1)
    response = client.post("/sign-out", data={"csrf_token": token}, headers={"Referer": "https://evil.example/account"})
    assert response.status_code == 303
    assert next_of(response.headers["Location"]) is None
    assert IDLE_ADULT in sign_in_page_after(client, response)


def test_the_sign_in_page_itself_shows_the_message_without_a_redirect(client, signed_in, clock):
    signed_in("partner")
    clock.move(minutes=45)
    page = client.get("/sign-in")
    assert page.status_code == 200
    assert IDLE_ADULT in page.get_data(as_text=True)
    assert client.get("/account").status_code == 302


def test_public_pages_also_ask_to_sign_in_again(client, signed_in, clock):
    """Carrying on as a visitor without knowing would be confusing: the person
    is told, and can sign in to come back."""
    signed_in("young_person")
    clock.move(hours=2, minutes=1)
    response = client.get("/privacy")
    assert next_of(response.headers["Location"]) == "/privacy"
    assert IDLE_YOUNG in sign_in_page_after(client, response)


def test_messages_not_yet_shown_are_kept(client, signed_in, clock, people):
    signed_in("officer")
    with client.session_transaction() as session:
        session["_flashes"] = [("success", "The invitation was sent.")]
    clock.move(hours=1)
    page = sign_in_page_after(client, client.get("/account"))
    assert "The invitation was sent." in page and IDLE_ADULT in page


def test_a_session_from_before_the_limits_ends(client, signed_in, clock):
    signed_in("officer")
    with client.session_transaction() as session:
        del session[sessions.SIGNED_IN_AT], session[sessions.ACTIVE_AT]
    page = sign_in_page_after(client, client.get("/account"))
    assert "You were signed out to keep your account safe. Sign in again to carry on." in page


def test_static_files_are_not_activity(client, signed_in, clock):
    signed_in("officer")
    clock.move(minutes=29)
    with client.get("/static/js/autosave.mjs") as script:
        assert script.status_code == 200
    clock.move(minutes=2)
    assert client.get("/account").status_code == 302


def test_a_copied_cookie_stops_working_too(app, client, signed_in, clock):
    """The times are in the signed cookie: someone else's copy, kept busy, still ends."""
    signed_in("officer")
    app.test_client_class = PortalClient
    copy = app.test_client()
    copy.set_cookie("session", client.get_cookie("session").value)
    for _ in range(12 * 60 // 25):
        clock.move(minutes=25)
        assert copy.get("/account").status_code == 200
    clock.move(minutes=25)
    assert copy.get("/account").status_code == 302


# Who is not affected ----------------------------------------------------------------


def test_no_message_for_someone_who_signed_out_themselves(client, signed_in, clock):
    signed_in("officer")
    clock.move(minutes=10)
    assert client.submit("/sign-out").status_code == 303
    clock.move(hours=13)
    response = client.get("/account")
    page = sign_in_page_after(client, response)
    assert SIGNED_OUT_BECAUSE not in page and "signed out to keep" not in page
    assert NEEDS_SIGN_IN in page


def test_no_message_for_a_session_ended_elsewhere(app, people, clock):
    """Signing out on the laptop ends the phone's session at once, by the
    session version, not by a time limit: no time message."""
    app.test_client_class = PortalClient
    laptop, phone = app.test_client(), app.test_client()
    laptop.sign_in(people["chair"].email)
    phone.sign_in(people["chair"].email)
    laptop.submit("/sign-out")
    clock.move(hours=3)
    page = sign_in_page_after(phone, phone.get("/account"))
    assert SIGNED_OUT_BECAUSE not in page


def test_visitors_are_not_affected(client, clock):
    assert client.get("/privacy").status_code == 200
    clock.move(hours=13)
    page = client.get("/privacy")
    assert page.status_code == 200
    assert "You were signed out" not in page.get_data(as_text=True)
    with client.session_transaction() as session:
        assert sessions.SIGNED_IN_AT not in session and sessions.ACTIVE_AT not in session


# Settings ------------------------------------------------------------------------------


def test_the_limits_come_from_the_environment():
    settings = settings_from_env(
        {
            "PORTAL_SESSION_IDLE_MINUTES_ADULTS": "15",
            "PORTAL_SESSION_IDLE_MINUTES_YOUNG_PEOPLE": "45",
            "PORTAL_SESSION_MAX_AGE_HOURS": "8",
        }
    )
    assert settings["SESSION_IDLE_MINUTES_ADULTS"] == 15
    assert settings["SESSION_IDLE_MINUTES_YOUNG_PEOPLE"] == 45
    assert settings["SESSION_MAX_AGE_HOURS"] == 8
    defaults = settings_from_env({})
    assert (
        defaults["SESSION_IDLE_MINUTES_ADULTS"],
        defaults["SESSION_IDLE_MINUTES_YOUNG_PEOPLE"],
        defaults["SESSION_MAX_AGE_HOURS"],
    ) == (30, 120, 12)


def test_settings_change_the_limits_and_the_words(tmp_path, people, clock):
    from tests.conftest import make_app

    # A second app with its own limits; it works in this test's transaction.
    app = make_app(
        tmp_path, SESSION_IDLE_MINUTES_ADULTS=5, SESSION_IDLE_MINUTES_YOUNG_PEOPLE=90, SESSION_MAX_AGE_HOURS=1
    )
    app.test_client_class = PortalClient
    adult, young = app.test_client(), app.test_client()
    adult.sign_in(people["officer"].email)
    young.sign_in(people["young_person"].email)

    clock.move(minutes=4, seconds=59)
    assert adult.get("/account").status_code == 200
    clock.move(minutes=5, seconds=1)
    assert "you had not done anything for 5 minutes." in sign_in_page_after(adult, adult.get("/account"))

    assert young.get("/account").status_code == 200  # 10 minutes in
    clock.move(minutes=50, seconds=1)  # an hour and a second after signing in
    assert "you were signed in for 1 hour." in sign_in_page_after(young, young.get("/account"))

    notice = app.test_client().get("/privacy").get_data(as_text=True)
    assert "when you have not used it for 1 hour and 30 minutes (5 minutes for adults)" in notice
    assert "always 1 hour after you signed in" in notice


def test_the_privacy_notice_states_the_default_limits(client):
    notice = client.get("/privacy").get_data(as_text=True)
    assert "when you have not used it for 2 hours (30 minutes for adults), and always 12 hours after" in notice


@pytest.mark.parametrize(
    "minutes, words",
    [(1, "1 minute"), (30, "30 minutes"), (60, "1 hour"), (90, "1 hour and 30 minutes"), (121, "2 hours and 1 minute")],
)
def test_times_in_words(minutes, words):
    assert sessions.in_words(minutes) == words
