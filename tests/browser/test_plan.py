"""The Youth Cabinet's plan and offices (issue 3) in Chromium, with axe checks.

The chair moves an item on the plan (a missing reason is refused first) and a
youth member sees where it was and why; the chair cancels another, with a
reason, and it stays on the plan crossed out; the chair adds an office (an empty
form is refused first) and members see who holds it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, fill_date, sign_in, sign_out

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.example"
MEMBER = "member@demo.example"


def test_moving_a_plan_item_keeps_its_history(page: Page, live_server: LiveServer) -> None:
    sign_in(page, CHAIR)
    page.goto("/plan?year=2020")
    expect(page.get_by_role("heading", level=1)).to_have_text("The plan for 2020")
    expect(page.locator("body")).to_contain_text("Pushed forward because of Covid-19")
    assert_accessible(page, "the plan for 2020")

    page.get_by_role("link", name="Move Area of Interest choices close").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Move Area of Interest choices close")
    assert_accessible(page, "the move form")
    page.get_by_label("Day").fill("27")
    page.get_by_label("Month").fill("7")
    page.get_by_label("Year").fill("2020")
    page.get_by_role("button", name="Move it").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why it is moving")
    expect(page.locator("#reason-error")).to_contain_text("Say why it is moving")
    assert_accessible(page, "the move form with an error")

    page.get_by_label("Why is it moving?").fill("Pushed back a week so that everyone has time to choose.")
    page.get_by_role("button", name="Move it").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is moved to 27 July 2020")
    sign_out(page)

    sign_in(page, MEMBER)
    page.goto("/plan?year=2020")
    item = page.locator("li", has_text="Area of Interest choices close")
    expect(item).to_contain_text("27 July")
    expect(item).to_contain_text("Moved from 20 July 2020 to 27 July 2020: Pushed back a week")
    expect(page.get_by_role("link", name="Move Area of Interest choices close")).to_have_count(0)
    assert_accessible(page, "the plan as a member")


def test_cancelling_a_plan_item_keeps_it_crossed_out_with_the_reason(page: Page, live_server: LiveServer) -> None:
    """#14.4: the seed's "tough calls regarding events"."""
    sign_in(page, CHAIR)
    page.goto("/plan?year=2020")
    page.get_by_role("link", name="Cancel Fair fares campaign launch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Cancel Fair fares campaign launch")
    assert_accessible(page, "the cancel form")
    page.get_by_role("button", name="Mark as cancelled").click()
    expect(page.locator("#reason-error")).to_contain_text("Say why it is cancelled")
    assert_accessible(page, "the cancel form with an error")
    page.get_by_label("Why is it cancelled?").fill("A tough call: the venue closed, so we launch online instead.")
    page.get_by_role("button", name="Mark as cancelled").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is cancelled")
    item = page.locator("li", has_text="Fair fares campaign launch")
    expect(item).to_contain_text("Cancelled")
    expect(item).to_contain_text("the venue closed, so we launch online instead")
    expect(item.locator("del")).to_have_text("Fair fares campaign launch")
    expect(page.get_by_role("link", name="Move Fair fares campaign launch")).to_have_count(0)
    assert_accessible(page, "the plan with a cancelled item")


def test_the_chair_adds_an_office(page: Page, live_server: LiveServer) -> None:
    sign_in(page, CHAIR)
    page.goto("/youth-cabinet")
    expect(page.locator("dl")).to_contain_text("Vice-Chair")
    assert_accessible(page, "the Youth Cabinet page")
    page.get_by_role("button", name="Add the office").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the office")
    expect(page.locator("#holder-error")).to_contain_text("Choose a Youth Cabinet member from the list")
    assert_accessible(page, "the office form with errors")

    page.get_by_label("Office").fill("Communications lead")
    page.get_by_label("Held by").select_option(label="Priya S.")
    fill_date(page, "From", 1, 9, 2020)
    page.get_by_role("button", name="Add the office").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Communications lead is added")
    sign_out(page)

    sign_in(page, MEMBER)
    page.goto("/youth-cabinet")
    office = page.locator(".govuk-summary-list__row", has_text="Communications lead")
    expect(office).to_contain_text("Priya S.")
    expect(page.get_by_role("button", name="Add the office")).to_have_count(0)
    assert_accessible(page, "the Youth Cabinet page as a member")
