"""What browsers and caches may keep (#16.4, portal/caching.py): a visitor's
page with nothing to send sets no cookie and may be cached a minute; a page
with a form keeps its token; signed-in pages are never stored."""

from __future__ import annotations

import pytest

QUIET_PAGES = ["/", "/consultations", "/campaigns", "/updates"]


@pytest.mark.parametrize("path", QUIET_PAGES)
def test_a_visitor_s_page_with_nothing_to_send_sets_no_cookie(app, path):
    answer = app.test_client().get(path)
    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    # A shared cache may keep it a minute; the browser asks again every time.
    assert answer.headers["Cache-Control"] == "public, max-age=0, s-maxage=60"
    assert "Cookie" in answer.headers["Vary"]  # a signed-in person's page is another one


def test_a_page_with_a_form_keeps_its_token_and_the_form_works(app):
    client = app.test_client()
    page = client.get("/report-a-concern")
    assert "Set-Cookie" in page.headers and "public" not in page.headers.get("Cache-Control", "")
    sent = client.submit("/report-a-concern", {})
    assert sent.status_code == 422  # the token was kept: the form is checked (empty), not refused (400)


def test_a_visitor_with_a_session_is_not_cached_publicly(app):
    client = app.test_client()
    client.get("/sign-in")  # a form: the session holds the token now
    answer = client.get("/consultations")
    assert "public" not in answer.headers.get("Cache-Control", "")


def test_signed_in_pages_are_never_stored(client, people):
    client.sign_in(people["young_person"].email)
    for path in ["/", "/consultations", "/dashboard"]:
        assert client.get(path).headers["Cache-Control"] == "no-store"


def test_a_head_request_sets_no_cookie_either(app):
    answer = app.test_client().head("/consultations")
    assert answer.status_code == 200 and "Set-Cookie" not in answer.headers
