"""Visitors' pages kept and served again (#16.4, portal/page_cache.py): the
second visitor gets the page as sent, without a query; anyone with a cookie,
htmx and pages with a form get pages made for them."""

from __future__ import annotations

import re

import brotli
import pytest
from sqlalchemy import event

from portal.extensions import db
from tests.conftest import PortalClient, add_person, make_app


@pytest.fixture
def cached_app(tmp_path):
    app = make_app(tmp_path, database_url=f"sqlite:///{tmp_path / 'cached.db'}", PAGE_CACHE_SECONDS=60)
    app.test_client_class = PortalClient
    with app.app_context():
        db.create_all()
        add_person("officer")
    return app


@pytest.fixture
def queries(cached_app):
    seen: list[str] = []
    with cached_app.app_context():
        engine = db.engine

    def count(conn, cursor, statement, *args) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    yield seen
    event.remove(engine, "before_cursor_execute", count)


def test_the_second_visitor_gets_the_page_as_sent_without_a_query(cached_app, queries):
    visitor, other = cached_app.test_client(), cached_app.test_client()
    first = visitor.get("/", headers={"Accept-Encoding": "br"})
    assert first.status_code == 200 and first.headers["Content-Encoding"] == "br"
    assert "Set-Cookie" not in first.headers
    made = len(queries)
    assert made > 0
    again = other.get("/", headers={"Accept-Encoding": "br"})
    assert len(queries) == made  # nothing asked of the database
    assert again.data == first.data and again.headers["Content-Encoding"] == "br"
    assert again.headers["Cache-Control"] == first.headers["Cache-Control"]
    assert "Set-Cookie" not in again.headers
    assert again.headers["X-Request-ID"] != first.headers["X-Request-ID"]  # this request's own
    # The page's inline script carries its answer's nonce: the policy sent with the kept page allows it.
    page = brotli.decompress(again.data).decode()
    nonce = re.search(r'<script nonce="([^"]+)"', page)
    assert nonce and f"'nonce-{nonce.group(1)}'" in again.headers["Content-Security-Policy"]
    assert again.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert again.headers.get_all("Vary") == first.headers.get_all("Vary")
    plain = other.get("/", headers={"Accept-Encoding": "identity"})  # another encoding: its own copy
    assert len(queries) > made and b"<h1" in plain.data


def test_people_with_a_cookie_htmx_and_pages_with_a_form_are_made_for_them(cached_app, queries):
    visitor = cached_app.test_client()
    visitor.get("/")
    made = len(queries)
    cached_app.test_client().get("/", headers={"HX-Request": "true"})
    assert len(queries) > made  # htmx asks for part of a page: made
    made = len(queries)
    signed_in = cached_app.test_client()
    assert signed_in.sign_in("officer@test.example").status_code == 303
    page = signed_in.get("/")
    assert len(queries) > made and page.headers["Cache-Control"] == "no-store"
    for _ in range(2):  # a page with a form that posts is never kept: each visitor gets a token of their own
        concern = cached_app.test_client().get("/report-a-concern")
        assert "Set-Cookie" in concern.headers


def test_a_cache_that_cannot_be_reached_leaves_pages_as_usual(tmp_path, caplog):
    app = make_app(
        tmp_path,
        database_url=f"sqlite:///{tmp_path / 'cached.db'}",
        PAGE_CACHE_SECONDS=60,
        PAGE_CACHE_URL="redis://127.0.0.1:1/0",
    )
    with app.app_context():
        db.create_all()
    for _ in range(2):
        assert app.test_client().get("/").status_code == 200
    assert "The page cache could not" in caplog.text


def test_the_cache_is_off_unless_production_or_asked_for(tmp_path):
    assert make_app(tmp_path).config["PAGE_CACHE_SECONDS"] == 0
    assert "page_cache" not in make_app(tmp_path).extensions


def test_in_production_a_plain_http_request_is_sent_to_https_not_served_from_the_cache(tmp_path):
    app = make_app(
        tmp_path,
        database_url=f"sqlite:///{tmp_path / 'cached.db'}",
        ENV="production",
        SECRET_KEY="x" * 64,
        CONCERN_EMAIL="safeguarding@westsussex.gov.uk",
    )
    with app.app_context():
        db.create_all()
    assert app.config["PAGE_CACHE_SECONDS"] == 60
    visitor = app.test_client()
    assert visitor.get("/", base_url="https://localhost").status_code == 200  # kept
    assert visitor.get("/", base_url="https://localhost").status_code == 200
    plain = visitor.get("/", base_url="http://localhost")
    assert plain.status_code in (301, 302) and plain.headers["Location"].startswith("https://")
