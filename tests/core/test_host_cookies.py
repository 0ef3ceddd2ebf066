"""In production every cookie the portal sets carries the __Host- prefix:
Secure, Path=/ and no Domain, so that no other host (a sibling subdomain of
the council's) can set or overwrite it (#15, ASVS 3.3.1)."""

from __future__ import annotations

import pytest
from flask import Flask

from portal.people.operations import create_account
from tests.conftest import CSRF_META, PASSWORD, make_production_app

EMAIL = "officer@westsussex.gov.uk"
HTTPS = "https://localhost"
# Over HTTPS, Flask-WTF also checks that a form was sent from this site.
FROM_HERE = {"Referer": f"{HTTPS}/sign-in"}


@pytest.fixture
def production_app(tmp_path) -> Flask:
    app = make_production_app(tmp_path)
    with app.app_context():
        create_account(email=EMAIL, display_name="Offi C.", role="officer", password=PASSWORD)
    return app


def cookies_set(response) -> list[str]:
    return response.headers.getlist("Set-Cookie")


def assert_host_cookie(header: str) -> None:
    name = header.split("=", 1)[0]
    attributes = [part.strip().lower() for part in header.split(";")[1:]]
    assert name.startswith("__Host-"), header
    assert "secure" in attributes and "path=/" in attributes, header
    assert not any(part.startswith("domain") for part in attributes), header


def test_production_session_cookie_is_a_host_cookie(production_app):
    client = production_app.test_client()
    headers = []
    page = client.get("/sign-in", base_url=HTTPS)
    headers += cookies_set(page)
    token = CSRF_META.search(page.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    signed_in = client.post(
        "/sign-in", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token}, base_url=HTTPS, headers=FROM_HERE
    )
    assert signed_in.status_code == 303
    headers += cookies_set(signed_in)
    account = client.get("/account", base_url=HTTPS)
    assert account.status_code == 200  # the __Host- cookie carries the session
    token = CSRF_META.search(account.get_data(as_text=True)).group(1)  # type: ignore[union-attr]
    signed_out = client.post("/sign-out", data={"csrf_token": token}, base_url=HTTPS, headers=FROM_HERE)
    assert signed_out.status_code == 303
    headers += cookies_set(signed_out)

    assert headers and any(header.startswith("__Host-session=") for header in headers)
    for header in headers:
        assert_host_cookie(header)
    assert "httponly" in headers[0].lower() and "samesite=lax" in headers[0].lower()


def test_development_keeps_the_plain_name(client):
    """Over plain http a __Host- cookie would be refused by the browser."""
    assert any(header.startswith("session=") for header in cookies_set(client.get("/sign-in")))


def test_a_remember_cookie_would_be_a_host_cookie_too(production_app):
    config = production_app.config
    assert config["REMEMBER_COOKIE_NAME"].startswith("__Host-")
    assert config["REMEMBER_COOKIE_SECURE"] is True and config["REMEMBER_COOKIE_PATH"] == "/"
    assert config["REMEMBER_COOKIE_DOMAIN"] is None
