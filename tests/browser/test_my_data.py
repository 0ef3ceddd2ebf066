"""A young person downloads their data and deletes their account (#13.1,
#13.2), in Chromium, with an axe check of each page (the downloaded page too)."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.demo.world import DEMO_PASSWORD
from portal.extensions import db
from portal.models import Answer, Consultation, Question, Response, User
from portal.models.base import utcnow
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, error_summary, sign_in

pytestmark = pytest.mark.browser

RUBY = "young.person@demo.example"
WORDS = "Buses at 7am are always full <script>alert(1)</script>"


@pytest.fixture
def ruby_answered(live_server: LiveServer) -> str:
    """Ruby (the demo's young person) has sent an answer to the buses consultation."""
    with live_server.app.app_context():
        ruby = db.session.scalar(select(User).where(User.email == RUBY))
        consultation = db.session.scalar(select(Consultation).where(Consultation.title == "Getting to college: buses"))
        assert ruby is not None and consultation is not None
        question = db.session.scalar(
            select(Question).where(Question.consultation_id == consultation.id, Question.kind == "long_text")
        )
        assert question is not None
        response = Response(
            consultation_id=consultation.id,
            respondent_id=ruby.id,
            status="submitted",
            age_band=ruby.age_band or "",
            district=ruby.district or "",
            submitted_at=utcnow(),
        )
        db.session.add(response)
        db.session.flush()
        db.session.add(Answer(response_id=response.id, question_id=question.id, text=WORDS))
        db.session.commit()
        prompt = question.prompt
        db.session.remove()
    return prompt


def test_a_young_person_downloads_their_data_then_deletes_their_account(
    new_page: Callable[[], Page], ruby_answered: str, tmp_path: Path
) -> None:
    page = new_page()
    sign_in(page, RUBY)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    assert_accessible(page, "account page")

    # Download: a ZIP holding their answer, as data and as a page.
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data").click()
    name = download.value.suggested_filename
    assert re.fullmatch(r"my-data-\d{4}-\d{2}-\d{2}\.zip", name), name
    saved = tmp_path / name
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        data = json.loads(archive.read("my-data.json"))
        archive.extract("my-data.html", tmp_path)
    assert data["account"]["email"] == RUBY
    # Ruby answered the demo's July 2020 consultation too; this test's answer is the buses one.
    (response,) = [r for r in data["consultation_responses"] if r["consultation"] == "Getting to college: buses"]
    assert [(a["question"], a["text"]) for a in response["answers"]] == [(ruby_answered, WORDS)]

    # The page in the ZIP opens on its own, shows the answer as typed (never run), and is accessible.
    mine = new_page()
    requests: list[str] = []
    mine.on("request", lambda request: requests.append(request.url))
    dialogs: list[str] = []
    mine.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    mine.goto((tmp_path / "my-data.html").as_uri())
    expect(mine.get_by_role("heading", level=1)).to_contain_text("Your data from the")
    expect(mine.get_by_text(WORDS)).to_be_visible()
    assert dialogs == [], "a script typed in an answer ran"
    assert all(url.startswith("file:") for url in requests), requests
    assert_accessible(mine, "the downloaded page")

    # Delete: a wrong password is refused next to the field, nothing changes.
    page.get_by_role("link", name="Delete your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete your account")
    assert_accessible(page, "delete account page")
    page.get_by_label("Your password", exact=True).fill("not my password")
    page.get_by_role("button", name="Delete my account").click()
    expect(error_summary(page)).to_contain_text("That is not your password")
    expect(page.locator("#password-error")).to_contain_text("That is not your password")
    assert_accessible(page, "delete account page with an error")

    page.get_by_label("Your password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator(".govuk-panel--confirmation")).to_contain_text("Your account has been deleted")
    expect(page.get_by_role("heading", name="What we kept, and why")).to_be_visible()
    expect(page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Sign out")).to_have_count(0)
    assert_accessible(page, "account deleted")

    # They cannot sign in again: the usual answer, nothing more.
    page.goto("/sign-in")
    page.get_by_label("Email address", exact=True).fill(RUBY)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_contain_text("Your email address or password is not right")
    assert_accessible(page, "sign in refused after deleting")
