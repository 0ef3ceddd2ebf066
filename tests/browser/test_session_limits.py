"""Session time limits in Chromium: an idle session ends with a message on an
accessible sign-in page, and text the Chair was typing when it ended is
offered back after signing in again (nothing typed is lost).

The live server runs in this process, so moving the clock the limits read
(``portal.auth.sessions.now``) moves it for the server too.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect

from portal.auth import sessions
from portal.demo.statements import CURRENT_DRAFT
from portal.demo.world import DEMO_PASSWORD
from tests.auth.test_session_limits import IDLE_ADULT, IDLE_YOUNG, Clock
from tests.browser.helpers import assert_accessible, sign_in
from tests.browser.test_statement import STATEMENT_URL, box, is_save, open_this_months_statement, status_line

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.example"
OFFICER = "officer@demo.example"


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    fake = Clock()
    monkeypatch.setattr(sessions, "now", fake)
    return fake


def sign_in_again(page: Page, email: str) -> None:
    """The sign-in form as it is on the page (with its ``next``)."""
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_an_idle_session_ends_with_a_message_and_comes_back_to_the_page(page: Page, clock: Clock) -> None:
    sign_in(page, OFFICER)
    page.goto("/people?q=chair")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")

    clock.move(timedelta(minutes=30, seconds=1))
    page.reload()
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    expect(page.get_by_role("region", name="Important")).to_contain_text(IDLE_ADULT)
    expect(page.get_by_text("You need to sign in to see that page.")).to_have_count(0)
    assert_accessible(page, "sign-in page after an idle session ended")

    sign_in_again(page, OFFICER)
    expect(page).to_have_url(re.compile(r"/people\?q=chair$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


def test_text_typed_when_the_session_ends_is_offered_back(page: Page, clock: Clock) -> None:
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    expect(box(page)).to_have_value(CURRENT_DRAFT)

    # Two hours later the Chair comes back and types: the save finds the session over.
    clock.move(timedelta(hours=2, seconds=1))
    asked: list[str] = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    added = " We asked every school in the county to join the campaign."
    box(page).click()
    page.keyboard.press("Control+End")
    with page.expect_response(is_save(page)) as refused:
        page.keyboard.type(added)
    assert refused.value.status == 401

    # The whole page goes to sign-in, saying why; no "leave this page?" question in the way.
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    expect(page.get_by_role("region", name="Important")).to_contain_text(IDLE_YOUNG)
    assert_accessible(page, "sign-in page after the session ended while typing")
    assert asked == [], f"the browser asked {asked}: a 'leave this page?' question"

    sign_in_again(page, CHAIR)
    expect(page).to_have_url(STATEMENT_URL)
    expect(box(page)).to_have_value(CURRENT_DRAFT)  # the server never had the new words
    offer = page.get_by_role("region", name="Unsaved text found")
    expect(offer).to_be_visible()
    assert_accessible(page, "statement editor offering the unsaved text")

    with page.expect_response(is_save(page)) as saved:
        offer.get_by_role("button", name="Put that text back in the box").click()
    assert saved.value.status == 200
    expect(box(page)).to_have_value(CURRENT_DRAFT + added)
    expect(status_line(page)).to_contain_text("Saved at")
    page.reload()
    expect(box(page)).to_have_value(CURRENT_DRAFT + added)
    expect(page.get_by_role("region", name="Unsaved text found")).to_be_hidden()
