"""The factory, settings, error pages and security headers."""

from __future__ import annotations

import re

import pytest

from portal import create_app
from portal.config import build_config
from tests.conftest import make_app


def test_testing_config(app):
    assert app.config["TESTING"] is True
    assert app.config["ENV"] == "testing"
    assert app.config["COUNCIL_NAME"] == "West Sussex County Council"


def test_settings_come_from_prefixed_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("PORTAL_COUNCIL_NAME", "Anyshire County Council")
    monkeypatch.setenv("PORTAL_MAIL_PORT", "2525")
    monkeypatch.setenv("PORTAL_MAIL_USE_TLS", "true")
    monkeypatch.setenv("PORTAL_DISTRICTS", '["North", "South"]')
    config = build_config(tmp_path, {"ENV": "testing"})
    assert config["COUNCIL_NAME"] == "Anyshire County Council"
    assert config["MAIL_PORT"] == 2525
    assert config["MAIL_USE_TLS"] is True
    assert config["DISTRICTS"] == ["North", "South"]


def test_development_generates_a_secret_key_once(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    first = build_config(tmp_path, {"ENV": "development"})["SECRET_KEY"]
    second = build_config(tmp_path, {"ENV": "development"})["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert (tmp_path / "secret_key").read_text() == first


def test_production_refuses_to_start_without_a_secret_key(monkeypatch, tmp_path):
    monkeypatch.delenv("PORTAL_SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="PORTAL_SECRET_KEY"):
        create_app({"ENV": "production", "DATABASE_URL": f"sqlite:///{tmp_path}/x.db"})


def test_production_sets_secure_cookies(tmp_path):
    app = create_app(
        {
            "ENV": "production",
            "SECRET_KEY": "x" * 64,
            "DATABASE_URL": f"sqlite:///{tmp_path}/x.db",
            "CONCERN_EMAIL": "safeguarding@westsussex.gov.uk",
        }
    )
    assert app.config["SESSION_COOKIE_SECURE"] is True


def test_security_headers_and_no_other_hosts(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    page = response.get_data(as_text=True)
    assert "http://" not in page.replace("http://localhost", "")
    assert "https://" not in page


def test_htmx_and_styles_are_served_locally(client):
    page = client.get("/").get_data(as_text=True)
    # The plain name, or its fingerprinted copy once `make assets` has run (portal/assets.py).
    assert re.search(r'<script src="/static/build/(hashed/)?htmx\.min(\.[0-9a-f]{12})?\.js">', page)
    assert re.search(r'"/static/build/(hashed/)?app(\.[0-9a-f]{12})?\.css"', page)
    assert "X-CSRFToken" in page  # htmx sends the token with every request


@pytest.mark.parametrize(
    "path, status, words",
    [
        ("/no-such-page", 404, "Page not found"),
        ("/people", 302, None),
    ],
)
def test_error_pages_in_the_portals_look(client, path, status, words):
    response = client.get(path)
    assert response.status_code == status
    if words:
        page = response.get_data(as_text=True)
        assert words in page
        assert "West Sussex Youth Cabinet portal" in page
        assert "Traceback" not in page


def test_500_page_never_shows_a_stack_trace(tmp_path):
    app = make_app(tmp_path)

    @app.route("/boom")
    def boom():
        raise RuntimeError("secret internals")

    response = app.test_client().get("/boom")
    assert response.status_code == 500
    page = response.get_data(as_text=True)
    assert "Sorry, something went wrong on our side" in page
    assert "secret internals" not in page and "Traceback" not in page


def test_405_for_get_on_a_post_only_route(client):
    assert client.get("/sign-out").status_code == 405


def test_htmx_request_when_signed_out_gets_401_and_goes_to_sign_in(client):
    response = client.get(
        "/people?q=a", headers={"HX-Request": "true", "HX-Current-URL": "http://localhost/people?q=a&role="}
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"] == "/sign-in?next=/people?q%3Da%26role%3D"


def test_footer_links(client):
    page = client.get("/").get_data(as_text=True)
    for link in ("/privacy", "/accessibility", "/report-a-concern"):
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200


def test_skip_link_and_language(client):
    page = client.get("/").get_data(as_text=True)
    assert 'href="#main-content"' in page
    assert 'lang="en-GB"' in page


def test_templates_read_the_apps_globals_directly_and_template_globals_stay_their_own(app):
    """No ChainMap per template (#16: each import compared the two key by key)."""
    env = app.jinja_env
    assert env.get_template("base.html").globals is env.globals
    assert env.from_string("{{ shown }}", globals={"shown": "only here"}).render() == "only here"
    assert "shown" not in env.globals
    # Jinja would add globals given for a cached template to the app's: refused.
    with pytest.raises(TypeError):
        env.get_template("base.html", globals={"shown": "everywhere"})
    with pytest.raises(TypeError):
        env.get_or_select_template(["base.html"], globals={"shown": "everywhere"})
    assert "shown" not in env.globals
