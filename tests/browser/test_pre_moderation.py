"""#13.5 in Chromium: a lead's changes to a published campaign wait for the
Chair's approval while the public keeps reading the approved words; the
Chair reads the changes word by word from their home, sends them back once
with a comment, then approves the lead's second try, which goes public.
axe checks every page and state on the way.

Everyone has their own browser context. Screenshots go to /tmp/shots."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, screenshots, sign_in, success_banner

pytestmark = pytest.mark.browser

LEAD = "member@demo.example"  # Aisha K., a lead of the published Covid-19 Wellbeing campaign
CHAIR = "chair@demo.example"
CAMPAIGN = "/campaigns/covid-19-wellbeing"
APPROVED = "Advice on looking after your mental health during lockdown, by young people for young people."
FIRST_TRY = "Advice for lockdown. Text me on 07700 900123 for more."
SECOND_TRY = "Advice on looking after your mental health, by young people for young people: now for winter too."


def change_summary(page: Page, summary: str) -> None:
    page.goto(CAMPAIGN)
    page.get_by_role("link", name="Change the campaign").click()
    expect(page.locator("#who-sees-this")).to_contain_text(
        "This campaign’s page is public: anyone can read it, with the names of its leads."
    )
    expect(page.locator("#who-sees-this")).to_contain_text("once the Chair or an officer approves them")
    page.get_by_label("Summary", exact=True).fill(summary)
    page.get_by_role("button", name="Save the campaign").click()
    expect(success_banner(page)).to_contain_text(
        "Your changes are saved and sent to the Chair and officers to approve."
    )


def test_a_leads_changes_go_public_only_once_the_chair_approves(
    new_page: Callable[[], Page], live_server: LiveServer
) -> None:
    lead, chair, visitor = new_page(), new_page(), new_page()
    sign_in(lead, LEAD)
    change_summary(lead, FIRST_TRY)
    expect(lead.get_by_role("heading", name="Changes waiting for approval")).to_be_visible()
    assert_accessible(lead, "the campaign with the lead's changes waiting")

    # The public still reads the approved words.
    visitor.goto(CAMPAIGN)
    expect(visitor.locator("main")).to_contain_text(APPROVED)
    expect(visitor.locator("main")).not_to_contain_text("07700")
    expect(visitor.get_by_role("heading", name="Changes waiting for approval")).to_have_count(0)

    # The Chair finds them from their home and sends them back.
    sign_in(chair, CHAIR)
    waiting = chair.locator("#waiting-for-you + ul")
    expect(waiting).to_contain_text("Changes to the campaign “Covid-19 Wellbeing” wait for your approval.")
    assert_accessible(chair, "the Chair's home with changes to approve")
    waiting.locator("li").filter(has_text="Covid-19 Wellbeing").get_by_role("link", name="Read the changes").click()
    changes = chair.get_by_role("region", name="Changes waiting for approval")
    expect(changes.locator("del").filter(has_text="mental health")).to_have_count(1)
    expect(changes.locator("ins").filter(has_text="07700")).to_have_count(1)
    assert_accessible(chair, "the changes, word by word (Chair)")
    screenshots(chair, "premoderation-changes")
    chair.get_by_role("button", name="Send the changes back").click()
    expect(chair.locator(".govuk-error-summary")).to_contain_text("Write what needs to change")
    assert_accessible(chair, "sending back without a comment")
    chair.get_by_label("What needs to change before these changes go public?").fill("Please take out your number.")
    chair.get_by_role("button", name="Send the changes back").click()
    expect(success_banner(chair)).to_contain_text("The changes are sent back to the lead with your comment.")

    # The lead reads the comment with their words kept, and tries again.
    lead.goto(CAMPAIGN + "/edit")
    expect(lead.locator("main")).to_contain_text("Please take out your number.")
    expect(lead.get_by_label("Summary", exact=True)).to_have_value(FIRST_TRY)
    assert_accessible(lead, "the edit page with the Chair's comment")
    lead.get_by_label("Summary", exact=True).fill(SECOND_TRY)
    lead.get_by_role("button", name="Save the campaign").click()
    expect(success_banner(lead)).to_contain_text("sent to the Chair and officers to approve")

    # The Chair approves; the public page changes.
    chair.goto(CAMPAIGN)
    chair.get_by_role("button", name="Approve the changes and make them public").click()
    expect(success_banner(chair)).to_contain_text("The changes are approved and on the public page now.")
    assert_accessible(chair, "the campaign after approving")
    visitor.goto(CAMPAIGN)
    expect(visitor.locator("main")).to_contain_text(SECOND_TRY)
    expect(visitor.locator("main")).not_to_contain_text("lockdown, by young people")
