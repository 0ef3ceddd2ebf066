"""Safeguarding reports (#13.6, "Report this" of #13.5) in Chromium, with an
axe check of every page and state reached, and no page scrolling sideways
at 320 pixels.

1. A visitor (no account) opens "Report a concern" from the footer, sends it
   empty (refused next to the field), then sends it and is given a reference.
   They then follow "Report this" on a published campaign, choose a reason
   and send it: another reference. The officer finds both in the
   safeguarding queue (from the menu), opens the concern, marks it in hand
   with a note, and the queue says so. Both reports were emailed to the
   safeguarding lead.
2. With JavaScript off, a visitor reports a campaign the same way.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from email import message_from_bytes
from email.policy import default as email_policy
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, error_summary, screenshots, sign_in, success_banner
from tests.browser.test_phones import OVERFLOW, PHONE_320

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"
CAMPAIGN = "/campaigns/covid-19-wellbeing"
REFERENCE = re.compile(r"YC-[A-Z0-9]{4}-[A-Z0-9]{2}")


def check_page(page: Page, label: str) -> None:
    """axe finds nothing, and at 320 pixels wide nothing scrolls sideways."""
    assert_accessible(page, label)
    size = page.viewport_size
    page.set_viewport_size(PHONE_320)
    assert page.evaluate(OVERFLOW) == 0, f"{label} scrolls sideways at 320 pixels"
    if size:
        page.set_viewport_size(size)


def reference_given(page: Page) -> str:
    expect(page).to_have_url(re.compile(r"/report/sent$"))
    panel = page.locator(".govuk-panel")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Your report has been sent")
    expect(panel).to_contain_text(re.compile(r"Your reference is\s*YC-"))
    match = REFERENCE.search(panel.inner_text())
    assert match, panel.inner_text()
    return match.group(0)


def mails_about(server: LiveServer, reference: str) -> list[str]:
    folder = Path(server.app.config["OUTBOX_DIR"])
    bodies = []
    for path in sorted(folder.glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=email_policy)
        if message["To"] == server.app.config["CONCERN_EMAIL"] and reference in str(message["Subject"]):
            bodies.append(message.get_content())  # type: ignore[attr-defined]
    return bodies


def test_a_visitor_reports_a_concern_and_a_campaign_and_the_officer_takes_it_in_hand(
    page: Page, live_server: LiveServer
) -> None:
    # 1. A concern, from the footer. -------------------------------------------------
    page.goto("/")
    page.get_by_role("contentinfo").get_by_role("link", name="Report a concern").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Report a concern")
    expect(page.get_by_text("If someone is in danger now, call 999.")).to_be_visible()
    check_page(page, "report a concern")
    screenshots(page, "safeguarding-concern")

    page.get_by_role("button", name="Send report").click()
    expect(error_summary(page)).to_contain_text("Tell us what happened")
    expect(page.locator("#details-error")).to_contain_text("Tell us what happened")
    check_page(page, "report a concern, sent empty")

    page.get_by_label("What happened?").fill("Someone in my group chat keeps saying I should hurt myself.")
    page.get_by_label("How can we contact you? (optional)").fill("Ask for Jess at Northgate School")
    page.get_by_role("button", name="Send report").click()
    concern = reference_given(page)
    check_page(page, "reference page")
    screenshots(page, "safeguarding-sent")

    # 2. "Report this" on a published campaign. ---------------------------------------
    page.goto(CAMPAIGN)
    screenshots(page, "safeguarding-campaign-link")
    page.get_by_role("link", name="Report this campaign").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tell us what is wrong with it")
    expect(page.get_by_role("link", name="The campaign ‘Covid-19 Wellbeing’")).to_be_visible()
    check_page(page, "report this campaign")
    screenshots(page, "safeguarding-report-this")
    reasons = page.get_by_role("group", name="Why are you reporting this?")
    reasons.get_by_label("Personal details about someone").check()
    page.get_by_label("Tell us more").fill("It shows a pupil's full name and school.")
    page.get_by_role("button", name="Send report").click()
    content = reference_given(page)
    assert content != concern

    # 3. The officer's queue. ---------------------------------------------------------
    sign_in(page, OFFICER)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Manage").click()
    page.get_by_role("main").get_by_role("link", name="Safeguarding").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Safeguarding reports")
    expect(page.get_by_text("2 new reports wait for an officer.")).to_be_visible()
    rows = page.locator("tbody tr")
    expect(rows.nth(0)).to_contain_text(content)  # newest first
    expect(rows.nth(0)).to_contain_text("Personal details about someone")
    expect(rows.nth(1)).to_contain_text(concern)
    expect(rows.nth(1)).to_contain_text("Someone without an account")
    check_page(page, "safeguarding queue")
    screenshots(page, "safeguarding-queue")

    page.get_by_role("link", name=concern).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Report {concern}")
    expect(page.locator(".govuk-inset-text")).to_have_text(
        "Someone in my group chat keeps saying I should hurt myself."
    )
    check_page(page, "a safeguarding report")
    page.get_by_role("group", name="What is happening with this report?").get_by_label("In hand").check()
    page.get_by_label("Note for other officers").fill("Phoned the school's safeguarding lead.")
    page.get_by_role("button", name="Save").click()
    expect(success_banner(page)).to_contain_text(f"Report {concern} is marked in hand.")
    expect(page.get_by_label("Note for other officers")).to_have_value("Phoned the school's safeguarding lead.")
    check_page(page, "a safeguarding report in hand")
    screenshots(page, "safeguarding-report")

    page.get_by_role("link", name="All safeguarding reports").click()
    expect(page.get_by_text("1 new report waits for an officer.")).to_be_visible()
    expect(page.locator("tbody tr").filter(has_text=concern)).to_contain_text("In hand")

    # Both went to the safeguarding lead, with their words.
    (concern_mail,) = mails_about(live_server, concern)
    assert "hurt myself" in concern_mail and "Northgate School" in concern_mail
    (content_mail,) = mails_about(live_server, content)
    assert "Covid-19 Wellbeing" in content_mail and "full name and school" in content_mail


def test_report_this_works_with_javascript_off(new_context: Callable[..., BrowserContext]) -> None:
    page = new_context(java_script_enabled=False).new_page()
    page.goto(CAMPAIGN)
    page.get_by_role("link", name="Report this campaign").click()
    page.get_by_role("button", name="Send report").click()
    expect(page.locator("#reason-error")).to_contain_text("Choose why you are reporting this")
    page.get_by_label("Something else").check()
    page.get_by_label("Tell us more").fill("The picture is of someone who did not agree to it.")
    page.get_by_role("button", name="Send report").click()
    reference_given(page)
