"""The warning before a session ends (WCAG 2.2.1): pages tell the script the
time left, and "Stay signed in" (POST /session/keep-alive) resets the idle
limit, never the absolute one.

The clock the limits read is ``portal.auth.sessions.now``: ``clock`` replaces it.
"""

from __future__ import annotations

import re

import pytest

from portal.auth import sessions
from tests.auth.test_session_limits import ABSOLUTE, IDLE_ADULT, Clock, sign_in_page_after

KEEP_ALIVE = "/session/keep-alive"
HTMX = {"HX-Request": "true"}
HEADER = "Portal-Session-Idle-Ends-In"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "now", fake)
    return fake


def keep_alive(client, token: str, htmx: bool = True):
    """As the script sends it: the CSRF header, asked as htmx asks."""
    return client.post(KEEP_ALIVE, headers={"X-CSRFToken": token, **(HTMX if htmx else {})})


def body_timer(page: str) -> dict[str, str]:
    """The data-session-* attributes of the page's <body>."""
    body = re.search(r"<body[^>]*>", page)
    assert body
    return dict(re.findall(r'data-session-([a-z-]+)="([^"]*)"', body.group(0)))


# "Stay signed in" ----------------------------------------------------------------


def test_staying_signed_in_restarts_the_idle_limit_even_within_the_minute(client, signed_in, clock):
    signed_in("officer")
    token = client.csrf_token()
    clock.move(seconds=30)  # inside the once-a-minute window: a page load would not restamp
    response = keep_alive(client, token)
    assert response.status_code == 204
    assert response.get_data() == b""
    assert response.headers[HEADER] == "1800"
    # 30 minutes after signing in, but under 30 minutes after "Stay signed in".
    clock.move(minutes=30, seconds=-10)
    assert client.get("/account").status_code == 200


def test_without_staying_the_same_wait_ends_the_session(client, signed_in, clock):
    """The test above fails for the right reason: the limit is real."""
    signed_in("officer")
    clock.move(seconds=30)
    client.get("/privacy")
    clock.move(minutes=30, seconds=-10)
    response = client.get("/account")
    assert IDLE_ADULT in sign_in_page_after(client, response)


def test_staying_signed_in_cannot_pass_the_absolute_limit(client, signed_in, clock):
    signed_in("officer")
    token = client.csrf_token()
    for _ in range(12 * 60 // 20 - 1):  # busy for 11 hours 40 minutes
        clock.move(minutes=20)
        assert keep_alive(client, token).status_code == 204
    clock.move(minutes=18)  # 2 minutes before the absolute limit: the warning's time
    response = keep_alive(client, token)
    assert response.status_code == 204
    assert response.headers[HEADER] == "1800"  # the idle limit moved ...
    clock.move(minutes=2, seconds=1)  # ... the absolute one did not
    refused = keep_alive(client, token)
    assert refused.status_code == 401
    assert refused.headers["HX-Redirect"].startswith("/sign-in")
    assert HEADER not in refused.headers
    page = client.get("/sign-in").get_data(as_text=True)
    assert ABSOLUTE in page
    assert client.get("/account").status_code == 302  # signed out for good


def test_after_the_idle_limit_it_is_too_late(client, signed_in, clock):
    signed_in("officer")
    token = client.csrf_token()
    clock.move(minutes=30, seconds=1)
    assert keep_alive(client, token).status_code == 401
    assert IDLE_ADULT in client.get("/sign-in").get_data(as_text=True)


def test_a_form_post_past_the_limit_is_sent_to_sign_in(client, signed_in, clock):
    signed_in("officer")
    token = client.csrf_token()
    clock.move(minutes=30, seconds=1)
    response = keep_alive(client, token, htmx=False)
    assert IDLE_ADULT in sign_in_page_after(client, response)


def test_visitors_are_asked_to_sign_in(client):
    token = client.csrf_token()
    assert keep_alive(client, token).status_code == 401
    response = keep_alive(client, token, htmx=False)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/sign-in")


def test_the_csrf_token_is_required(client, signed_in):
    signed_in("officer")
    assert client.post(KEEP_ALIVE, headers=HTMX).status_code == 400
    assert client.post(KEEP_ALIVE, headers={**HTMX, "X-CSRFToken": "not-the-token"}).status_code == 400


# What pages tell the script --------------------------------------------------------


@pytest.mark.parametrize("role, idle", [("officer", 1800), ("youth_member", 7200)])
def test_signed_in_pages_carry_the_limits_and_the_dialog(client, signed_in, clock, role, idle):
    signed_in(role)
    clock.move(seconds=40)  # not restamped yet: the idle limit counts from signing in
    page = client.get("/account").get_data(as_text=True)
    assert body_timer(page) == {
        "idle-seconds": str(idle),
        "idle-ends-in-seconds": str(idle - 40),
        "ends-in-seconds": str(12 * 3600 - 40),
        "warn-seconds": "120",
        "keep-alive-url": KEEP_ALIVE,
        "sign-in-url": "/sign-in",
    }
    assert '<dialog id="session-timeout"' in page
    assert "You’re about to be signed out" in page
    assert "You have been signed in for 12 hours." in page
    assert re.search(r"/static/(js|build/hashed)/session-timeout(\.[0-9a-f]{12})?\.mjs", page)


def test_the_warning_time_is_a_setting(app, client, signed_in):
    app.config["SESSION_WARN_SECONDS"] = 300
    signed_in("officer")
    assert body_timer(client.get("/account").get_data(as_text=True))["warn-seconds"] == "300"


def test_visitors_get_no_timer(client):
    page = client.get("/privacy")
    text = page.get_data(as_text=True)
    assert body_timer(text) == {}
    assert "session-timeout" not in text
    assert HEADER not in page.headers


def test_every_answer_says_the_idle_time_left(client, signed_in, clock):
    """htmx requests (autosaves too) restart the page's timer from this header:
    the server's own count, which moves at most once a minute."""
    signed_in("officer")
    clock.move(seconds=20)
    assert client.get("/account", headers=HTMX).headers[HEADER] == "1780"
    clock.move(seconds=50)  # over a minute since the last stamp: this request restamps
    assert client.get("/account", headers=HTMX).headers[HEADER] == "1800"
    with client.get("/static/js/session-timeout.mjs") as static:  # files are not activity
        assert HEADER not in static.headers
