"""The warning before a session ends (WCAG 2.2.1 Timing Adjustable), in Chromium.

Two clocks move together: the browser's (Playwright's ``page.clock``, for the
page's timers) and the server's (``portal.auth.sessions.now``: the live server
runs in this process, so replacing it moves the server's clock too). The page
learns the time left from the server in seconds, so the two need not agree.
The defaults apply: an officer's idle limit is 30 minutes, the Chair's 2
hours, everyone's absolute limit 12 hours, and the warning comes 2 minutes
before the end.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from portal.auth import sessions
from tests.auth.test_session_limits import ABSOLUTE, IDLE_ADULT, Clock
from tests.browser.helpers import (
    SHOTS,
    assert_accessible,
    htmx_response,
    screenshots,
    sign_in,
)
from tests.browser.test_phones import OVERFLOW, PHONE_320

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"
CHAIR = "chair@demo.example"
IDLE = timedelta(minutes=30)
WARN = timedelta(minutes=2)
SOON = "For your security, we will sign you out in 2 minutes."


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The server's clock, still until moved."""
    fake = Clock()
    monkeypatch.setattr(sessions, "now", fake)
    return fake


def warning(page: Page) -> Locator:
    return page.get_by_role("dialog", name="You’re about to be signed out")


def wait(page: Page, delta: timedelta) -> None:
    """Time passes in the browser: each of its timers runs when due, as in real life."""
    page.clock.run_for(int(delta.total_seconds() * 1000))


def is_keep_alive(response) -> bool:
    return response.url.endswith("/session/keep-alive") and response.request.method == "POST"


def people_page_with_focus_in_search(page: Page) -> Locator:
    """An officer on the People page, the search box focused (where focus must come back to)."""
    page.clock.install()
    sign_in(page, OFFICER)
    page.goto("/people")
    search = page.get_by_label("Name or email address")
    search.focus()
    return search


def until_the_warning(page: Page, before: timedelta = IDLE) -> None:
    """The browser's time passes until 2 minutes ``before`` the end: just
    before, nothing shows; then the warning opens, focus on its heading."""
    wait(page, before - WARN - timedelta(seconds=10))
    expect(warning(page)).to_be_hidden()
    wait(page, timedelta(seconds=10))
    expect(warning(page)).to_be_visible()
    expect(warning(page).get_by_role("heading", name="You’re about to be signed out")).to_be_focused()


def test_the_warning_comes_before_the_idle_limit_and_stay_signed_in_works(page: Page, clock: Clock) -> None:
    search = people_page_with_focus_in_search(page)
    until_the_warning(page)
    clock.move(IDLE - WARN)  # the server's time catches up: still inside the limit
    dialog = warning(page)
    expect(dialog).to_contain_text(SOON)
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    expect(dialog.get_by_role("button", name="Close")).to_be_hidden()
    expect(dialog.get_by_text("You have been signed in for")).to_be_hidden()
    assert_accessible(page, "the warning before the idle limit")
    screenshots(page, "session-warning")
    page.set_viewport_size(PHONE_320)
    assert page.evaluate(OVERFLOW) == 0, "the warning scrolls sideways at 320 pixels"
    box = dialog.bounding_box()
    assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320
    page.screenshot(path=str(SHOTS / "session-warning-320.png"))
    page.set_viewport_size({"width": 1280, "height": 720})

    # The countdown changes every 15 seconds, not every second (screen readers read each change).
    wait(page, timedelta(seconds=10))
    expect(dialog).to_contain_text(SOON)
    wait(page, timedelta(seconds=20))
    expect(dialog).to_contain_text("we will sign you out in 1 minute and 30 seconds.")

    with page.expect_response(is_keep_alive) as kept:
        dialog.get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 204
    expect(dialog).to_be_hidden()
    expect(search).to_be_focused()

    # Past the original limit, for the browser and for the server: still signed in.
    wait(page, timedelta(minutes=3))
    expect(dialog).to_be_hidden()
    expect(page).to_have_url(re.compile(r"/people$"))
    clock.move(minutes=2, seconds=30)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


def test_escape_also_keeps_the_person_signed_in(page: Page, clock: Clock) -> None:
    search = people_page_with_focus_in_search(page)
    until_the_warning(page)
    clock.move(IDLE - WARN)  # the server's time catches up: still inside the limit
    with page.expect_response(is_keep_alive) as kept:
        page.keyboard.press("Escape")
    assert kept.value.status == 204
    expect(warning(page)).to_be_hidden()
    expect(search).to_be_focused()
    clock.move(minutes=2, seconds=30)  # past the original limit
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")


def test_doing_nothing_leads_to_sign_in_with_the_reason(page: Page, clock: Clock) -> None:
    people_page_with_focus_in_search(page)
    until_the_warning(page)
    clock.move(IDLE - WARN)  # the server's time catches up: still inside the limit
    clock.move(minutes=2, seconds=1)  # the server's limit passes ...
    wait(page, WARN)  # ... and the browser's
    expect(page).to_have_url(re.compile(r"/sign-in\?next=%2Fpeople$"))
    expect(page.get_by_role("region", name="Important")).to_contain_text(IDLE_ADULT)
    expect(warning(page)).to_have_count(0)  # signed out: no timer on the sign-in page
    assert_accessible(page, "sign-in page after the warning ran out")


def test_talking_to_the_server_in_any_tab_restarts_the_timer(page: Page, clock: Clock) -> None:
    people_page_with_focus_in_search(page)
    page.evaluate("window.__sameDocument = true")
    other = page.context.new_page()
    other.goto("/people")

    # 20 minutes on, the other tab searches (htmx): the server counts it, and so do both tabs.
    wait(page, timedelta(minutes=20))
    clock.move(minutes=20)
    answer = htmx_response(other, lambda: other.get_by_label("Name or email address").fill("chair"), "/people", "GET")
    assert answer.headers["portal-session-idle-ends-in"] == "1800"

    # The first tab's own warning time passes without a warning, nor a trip to sign-in.
    wait(page, timedelta(minutes=10))
    expect(warning(page)).to_be_hidden()
    assert page.evaluate("window.__sameDocument === true"), "the first tab went to sign-in and back"
    expect(page).to_have_url(re.compile(r"/people$"))

    # Both warn before the new limit; staying signed in from one closes both.
    until_the_warning(page, before=IDLE - timedelta(minutes=10))
    expect(warning(other)).to_be_visible()
    clock.move(minutes=28)
    with other.expect_response(is_keep_alive) as kept:
        warning(other).get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 204
    expect(warning(other)).to_be_hidden()
    expect(warning(page)).to_be_hidden()


def test_the_absolute_limit_is_announced_and_cannot_be_extended(page: Page, clock: Clock) -> None:
    page.clock.install()
    sign_in(page, CHAIR)
    for _ in range(6):  # busy for 11 hours (the Chair's idle limit is 2 hours)
        clock.move(hours=1, minutes=50)
        page.reload()
    clock.move(minutes=50)  # 10 minutes before the absolute limit
    page.reload()
    page.get_by_role("link", name="Your account").first.focus()

    until_the_warning(page, before=timedelta(minutes=10))
    dialog = warning(page)
    expect(dialog).to_contain_text(
        "You have been signed in for 12 hours. For your security, we will sign you out in 2 minutes. Save your work now."
    )
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_hidden()
    expect(dialog.get_by_role("button", name="Sign out")).to_be_visible()
    assert_accessible(page, "the warning before the absolute limit")
    screenshots(page, "session-warning-absolute")

    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("link", name="Your account").first).to_be_focused()
    wait(page, timedelta(minutes=1))
    expect(dialog).to_be_hidden()  # closed means closed

    clock.move(minutes=10, seconds=1)
    wait(page, timedelta(minutes=1, seconds=10))
    expect(page).to_have_url(re.compile(r"/sign-in\?next="))
    expect(page.get_by_role("region", name="Important")).to_contain_text(ABSOLUTE)


def test_sign_out_in_the_warning_signs_out(page: Page, clock: Clock) -> None:
    people_page_with_focus_in_search(page)
    until_the_warning(page)
    clock.move(IDLE - WARN)  # the server's time catches up: still inside the limit
    warning(page).get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")


def test_when_the_portal_cannot_be_reached_the_warning_says_so(page: Page, clock: Clock) -> None:
    people_page_with_focus_in_search(page)
    until_the_warning(page)
    clock.move(IDLE - WARN)
    page.route("**/session/keep-alive", lambda route: route.abort())
    warning(page).get_by_role("button", name="Stay signed in").click()
    expect(warning(page).get_by_role("alert")).to_contain_text("we could not reach the portal")
    expect(warning(page)).to_be_visible()

    page.unroute("**/session/keep-alive")
    with page.expect_response(is_keep_alive) as kept:
        warning(page).get_by_role("button", name="Stay signed in").click()
    assert kept.value.status == 204
    expect(warning(page)).to_be_hidden()


def test_without_javascript_nothing_shows(new_context, clock: Clock) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, OFFICER)
    expect(warning(page)).to_have_count(0)  # a closed dialog is hidden
    expect(page.locator("#session-timeout")).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
