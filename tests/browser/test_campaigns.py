"""Campaigns (issue 3) in Chromium, with an axe check of every page and of
every state htmx swaps in.

A youth member starts a campaign and keeps its reach log inline (add, a
refused negative figure, a huge figure confirmed, a correction, a removal),
all without a page reload; a visitor cannot see the draft; the chair
publishes it; a visitor sees the outcome sentence, the chart and the table.
Then the demo's Covid-19 Wellbeing page, and the list's status filter.

The live server is module-scoped, so this module has its own demo world.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    assert_accessible,
    assert_same_document,
    error_summary,
    fill_date,
    htmx_response,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.example"
TOM = "tom.w@demo.example"  # Tom W., a youth member

TITLE = "Safe cycling to school"
SUMMARY = "Safer routes so more of us can cycle to school."
BODY = (
    "We want more young people to cycle to school, safely.\n"
    "\n"
    "- *Safe routes* mapped with pupils\n"
    "- Free bike checks at the school gates\n"
    "\n"
    "Tell us about *your* route."
)
CAMPAIGN_URL = re.compile(r"/campaigns/safe-cycling-to-school$")
WHOLE_TABLE = "People reached each day"


def outcome(page: Page) -> Locator:
    return page.locator("#reach #outcome")


def log_rows(page: Page) -> Locator:
    """The rows of the editable reach log (not the public table of days)."""
    return page.locator("#reach table").filter(has_text="Every reach entry").locator("tbody tr")


def add_reach(page: Page, day: int, where: str, people: int | str) -> Response:
    reach = page.locator("#reach")
    expect(reach.get_by_role("heading", name="Add reach", exact=True)).to_be_visible()
    fill_date(reach, "Date", day, 5, 2024)
    reach.get_by_label("Where", exact=True).select_option(label=where)
    reach.get_by_label("People reached", exact=True).fill(str(people))
    return htmx_response(page, lambda: reach.get_by_role("button", name="Add reach").click(), re.compile(r"/reach$"))


def days_table(page: Page) -> list[list[str]]:
    table = page.get_by_role("table", name=WHOLE_TABLE)
    expect(table).to_be_visible()
    return [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in table.locator("tbody tr").all()]


# The whole journey ------------------------------------------------------------


def test_a_member_starts_a_campaign_logs_reach_inline_and_the_chair_publishes_it(
    page: Page, live_server: LiveServer
) -> None:
    # 1. Tom starts a campaign. ---------------------------------------------------
    sign_in(page, TOM)
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Campaigns").click()
    expect(page).to_have_url(re.compile(r"/campaigns$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Campaigns")
    assert_accessible(page, "campaign list of a youth member")

    page.get_by_role("link", name="Start a campaign").click()
    expect(page).to_have_url(re.compile(r"/campaigns/new$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Start a campaign")
    assert_accessible(page, "the new campaign form")

    page.get_by_label("Title", exact=True).fill(TITLE)
    page.get_by_label("Summary", exact=True).fill(SUMMARY)
    page.get_by_label("About the campaign", exact=True).fill(BODY)
    page.get_by_label("Status", exact=True).select_option(label="Active")
    fill_date(page, "Start date (optional)", 1, 5, 2024)
    page.get_by_label("Goal: how many people do you want to reach? (optional)").fill("1000")
    page.get_by_role("button", name="Save the campaign").click()

    expect(page).to_have_url(CAMPAIGN_URL)
    campaign_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your campaign is saved as a draft.")
    expect(page.get_by_text("Draft: only its leads, the Chair and officers can see it")).to_be_visible()
    expect(page.locator(".govuk-tag").first).to_have_text("Active")
    expect(page.get_by_text("1 May 2024 to not set")).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Tom W.")
    # The body's small Markdown: a list and emphasis, no stray markers.
    body = page.locator(".portal-richtext")
    expect(body.locator("ul > li")).to_have_count(2)
    expect(body.locator("em").first).to_have_text("Safe routes")
    expect(body.locator("em").nth(1)).to_have_text("your")
    expect(body).not_to_contain_text("*")
    expect(page.locator("#reach")).to_contain_text("No reach has been recorded yet.")
    expect(page.get_by_text("Goal: reach 1,000 people. So far 0: 0% of the goal.")).to_be_visible()
    assert_accessible(page, "the new draft campaign")

    # 2. Three reach entries, each without a reload. ---------------------------------
    page.evaluate("window.__sameDocument = true")

    response = add_reach(page, 1, "Social media", 120)
    assert response.status == 200
    expect(outcome(page)).to_have_text("This campaign reached 120 people in 1 day.")
    expect(log_rows(page)).to_have_count(1)
    # Focus lands on the reach heading, not on the page's body (#14.6).
    expect(page.locator("#reach-heading")).to_be_focused()
    # The form is empty again for the next entry.
    expect(page.locator("#reach").get_by_label("People reached", exact=True)).to_have_value("")
    assert_same_document(page, "adding the first reach entry", CAMPAIGN_URL)
    assert_accessible(page, "campaign after the first reach entry (htmx)")

    response = add_reach(page, 3, "School assemblies", 300)
    assert response.status == 200
    expect(outcome(page)).to_have_text("This campaign reached 420 people over 3 days.")
    expect(log_rows(page)).to_have_count(2)
    assert_same_document(page, "adding the second reach entry", CAMPAIGN_URL)
    assert_accessible(page, "campaign after the second reach entry (htmx)")

    response = add_reach(page, 6, "Events", 80)
    assert response.status == 200
    expect(outcome(page)).to_have_text("This campaign reached 500 people over 6 days.")
    expect(log_rows(page)).to_have_count(3)
    expect(page.get_by_text("Goal: reach 1,000 people. So far 500: 50% of the goal.")).to_be_visible()
    assert_same_document(page, "adding the third reach entry", CAMPAIGN_URL)
    assert_accessible(page, "campaign after the third reach entry (htmx)")

    # 3. A negative figure: refused, next to the field, nothing added. -----------------
    response = add_reach(page, 4, "Other", -5)
    assert response.status == 422
    reach = page.locator("#reach")
    expect(error_summary(reach)).to_contain_text("The number cannot be less than 0")
    expect(page.locator("#people-error")).to_contain_text("The number cannot be less than 0")
    expect(reach.get_by_label("People reached", exact=True)).to_have_value("-5")
    expect(outcome(page)).to_have_text("This campaign reached 500 people over 6 days.")
    expect(log_rows(page)).to_have_count(3)
    assert_same_document(page, "the refused negative figure", CAMPAIGN_URL)
    assert_accessible(page, "reach form with a negative figure (htmx)")

    # 4. A huge figure asks for confirmation; ticked, it is added. --------------------
    response = add_reach(page, 4, "Other", 60000)
    assert response.status == 422
    reach = page.locator("#reach")
    confirm = reach.get_by_label("Yes, this number is right")
    expect(confirm).to_be_visible()
    expect(confirm).not_to_be_checked()
    expect(reach).to_contain_text("60,000 people is a lot for one entry")
    expect(outcome(page)).to_have_text("This campaign reached 500 people over 6 days.")
    expect(log_rows(page)).to_have_count(3)
    # What was typed is kept.
    expect(reach.get_by_label("People reached", exact=True)).to_have_value("60000")
    assert_same_document(page, "the huge figure asking for confirmation", CAMPAIGN_URL)
    assert_accessible(page, "reach form asking to confirm a huge figure (htmx)")

    confirm.check()
    response = htmx_response(
        page, lambda: reach.get_by_role("button", name="Add reach").click(), re.compile(r"/reach$")
    )
    assert response.status == 200
    expect(outcome(page)).to_have_text("This campaign reached 60,500 people over 6 days.")
    expect(log_rows(page)).to_have_count(4)
    expect(page.locator("#reach").get_by_label("Yes, this number is right")).to_have_count(0)
    assert_same_document(page, "adding the confirmed huge figure", CAMPAIGN_URL)
    assert_accessible(page, "campaign after the confirmed huge figure (htmx)")

    # 5. Correct an entry inline. --------------------------------------------------
    response = htmx_response(
        page,
        lambda: page.get_by_role("link", name="Correct the entry of 3 May 2024").click(),
        re.compile(r"/reach/\d+$"),
        method="GET",
    )
    assert response.status == 200
    reach = page.locator("#reach")
    expect(reach.get_by_role("heading", name="Correct an entry")).to_be_visible()
    expect(reach.get_by_role("heading", name="Correct an entry")).to_be_focused()
    people = reach.get_by_label("People reached", exact=True)
    expect(people).to_have_value("300")
    expect(reach.get_by_label("Where", exact=True).locator("option:checked")).to_have_text("School assemblies")
    assert_same_document(page, "opening the correction form", CAMPAIGN_URL)
    assert_accessible(page, "reach correction form (htmx)")

    people.fill("350")
    response = htmx_response(
        page, lambda: reach.get_by_role("button", name="Save the correction").click(), re.compile(r"/reach/\d+$")
    )
    assert response.status == 200
    expect(outcome(page)).to_have_text("This campaign reached 60,550 people over 6 days.")
    expect(page.locator("#reach").get_by_role("heading", name="Add reach", exact=True)).to_be_visible()
    expect(log_rows(page)).to_have_count(4)
    expect(log_rows(page).filter(has_text="3 May 2024")).to_contain_text("350")
    assert_same_document(page, "saving the correction", CAMPAIGN_URL)
    assert_accessible(page, "campaign after a correction (htmx)")

    # 6. Remove the huge entry inline. ------------------------------------------------
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Remove the entry of 4 May 2024").click(),
        re.compile(r"/reach/\d+/delete$"),
    )
    assert response.status == 200
    expect(outcome(page)).to_have_text("This campaign reached 550 people over 6 days.")
    expect(log_rows(page)).to_have_count(3)
    expect(page.get_by_role("button", name="Remove the entry of 4 May 2024")).to_have_count(0)
    expect(page.locator("#reach-heading")).to_be_focused()  # #14.6
    expect(page.get_by_text("Goal: reach 1,000 people. So far 550: 55% of the goal.")).to_be_visible()
    assert_same_document(page, "removing an entry", CAMPAIGN_URL)
    assert_accessible(page, "campaign after removing an entry (htmx)")

    expected_days = [["1 May 2024", "120"], ["3 May 2024", "350"], ["6 May 2024", "80"]]
    assert days_table(page) == expected_days
    sign_out(page)

    # 7. A visitor cannot see the draft. ------------------------------------------------
    response = page.goto(campaign_url)
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text(TITLE)).to_have_count(0)
    assert_accessible(page, "the draft seen by a visitor (404)")
    page.goto("/campaigns")
    expect(page.get_by_role("link", name=TITLE)).to_have_count(0)

    # 8. The chair publishes it. ----------------------------------------------------------
    sign_in(page, CHAIR)
    page.goto(campaign_url)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("Draft: only its leads, the Chair and officers can see it")).to_be_visible()
    assert_accessible(page, "the draft seen by the chair")
    page.get_by_role("button", name="Publish the campaign").click()
    expect(page).to_have_url(CAMPAIGN_URL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The campaign is published.")
    expect(page.get_by_text("Draft: only its leads, the Chair and officers can see it")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish the campaign")).to_have_count(0)
    assert_accessible(page, "the campaign just published")
    sign_out(page)

    # 9. A visitor sees the public page. --------------------------------------------------
    page.goto("/campaigns")
    expect(page.get_by_role("heading", level=1)).to_have_text("Campaigns")
    expect(page.get_by_role("link", name="Start a campaign")).to_have_count(0)
    card = page.locator("#campaign-results .portal-note").filter(has_text=TITLE)
    expect(card).to_contain_text(SUMMARY)
    expect(card).to_contain_text("It reached 550 people over 6 days.")
    assert_accessible(page, "the public campaign list")
    page.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(CAMPAIGN_URL)
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(outcome(page)).to_have_text("This campaign reached 550 people over 6 days.")
    chart = page.locator("#reach figure img")
    expect(chart).to_have_attribute("alt", re.compile(r"table", re.IGNORECASE))
    page.wait_for_function("img => img.complete", arg=chart.element_handle())
    assert chart.evaluate("img => img.naturalWidth") > 0, "the reach chart did not load"
    assert days_table(page) == expected_days
    # Visitors cannot change anything.
    expect(page.get_by_role("heading", name="Add reach")).to_have_count(0)
    expect(page.get_by_role("link", name="Change the campaign")).to_have_count(0)
    expect(page.get_by_role("button", name="Publish the campaign")).to_have_count(0)
    assert_accessible(page, "the public campaign page")


# The demo campaign ---------------------------------------------------------------------


def test_the_demo_wellbeing_campaign_says_11000_people_over_11_days(page: Page, live_server: LiveServer) -> None:
    response = page.goto("/campaigns/covid-19-wellbeing")
    assert response is not None and response.status == 200
    expect(page.get_by_role("heading", level=1)).to_have_text("Covid-19 Wellbeing")
    expect(outcome(page)).to_have_text(
        "This campaign reached 11,000 people over 11 days. Its posts were seen 27,500 times on social media."
    )
    rows = days_table(page)
    assert len(rows) == 11
    assert rows[0] == ["1 July 2020", "1,800", "5,200"]  # people reached, impressions (#14.2)
    assert rows[-1] == ["11 July 2020", "1,100", "3,000"]
    assert sum(int(people.replace(",", "")) for _, people, _ in rows) == 11_000
    assert_accessible(page, "the demo Covid-19 Wellbeing page")


# The list's filter -------------------------------------------------------------------------


def test_the_status_filter_updates_the_list_with_htmx_and_keeps_it_in_the_url(
    page: Page, live_server: LiveServer
) -> None:
    page.goto("/campaigns")
    results = page.locator("#campaign-results")
    expect(results.get_by_role("link", name="Fair fares for young people")).to_be_visible()
    expect(results.get_by_role("link", name="Covid-19 Wellbeing")).to_be_visible()
    assert_accessible(page, "the campaign list before filtering")

    page.evaluate("window.__sameDocument = true")
    response = htmx_response(
        page,
        lambda: page.get_by_label("Status", exact=True).select_option(label="Closed"),
        re.compile(r"/campaigns\?.*status=closed"),
        method="GET",
    )
    assert response.status == 200
    expect(page).to_have_url(re.compile(r"/campaigns\?(.*&)?status=closed(&|$)"))
    results = page.locator("#campaign-results")
    expect(results.get_by_role("link", name="Fair fares for young people")).to_have_count(0)
    expect(results.get_by_role("link", name="Covid-19 Wellbeing")).to_be_visible()
    cards = results.locator(".portal-note")
    count = cards.count()
    assert count >= 1
    expect(cards.locator(".govuk-tag--grey").filter(has_text=re.compile(r"^Closed$"))).to_have_count(count)
    expect(results.get_by_role("status")).to_have_text(f"{count} campaign." if count == 1 else f"{count} campaigns.")
    expect(page.get_by_label("Status", exact=True).locator("option:checked")).to_have_text("Closed")
    assert_same_document(page, "filtering")
    assert_accessible(page, "the campaign list filtered to closed campaigns (htmx)")

    # The filter is kept in the URL: opening it afresh gives the same list.
    page.reload()
    expect(page.get_by_label("Status", exact=True).locator("option:checked")).to_have_text("Closed")
    expect(page.locator("#campaign-results").get_by_role("link", name="Fair fares for young people")).to_have_count(0)
    expect(page.locator("#campaign-results").get_by_role("link", name="Covid-19 Wellbeing")).to_be_visible()


# Lists that grow (#16.4) -------------------------------------------------------------------


def test_the_reach_log_pages_and_the_leads_picker_finds_members_by_name(page: Page, live_server: LiveServer) -> None:
    from datetime import date

    from sqlalchemy import func, select

    from portal.extensions import db
    from portal.models import Campaign, ReachEntry

    with live_server.app.app_context():
        campaign_id = db.session.scalar(select(Campaign.id).where(Campaign.slug == "covid-19-wellbeing"))
        for n in range(25):
            db.session.add(ReachEntry(campaign_id=campaign_id, on=date(2020, 8, 1 + n), channel="event", people=10))
        db.session.commit()
        total = db.session.scalar(select(func.count(ReachEntry.id)).where(ReachEntry.campaign_id == campaign_id))
    assert total is not None and 20 < total <= 40
    sign_in(page, CHAIR)
    page.goto("/campaigns/covid-19-wellbeing")
    expect(log_rows(page)).to_have_count(20)
    expect(log_rows(page).first).to_contain_text("25 Aug 2020")  # the newest first
    pages = page.get_by_role("navigation", name="Pages of the reach log")
    assert_accessible(page, "the reach log's first page")

    pages.get_by_role("link", name=re.compile("Older entries")).click()
    expect(page).to_have_url(re.compile(r"reach_page=2#reach-log$"))
    expect(log_rows(page)).to_have_count(total - 20)
    expect(outcome(page)).to_contain_text("11,250 people")  # the outcome still counts every entry
    assert_accessible(page, "the reach log's second page")

    # Removing an entry on page 2 (htmx) keeps page 2, and the focus rule (#14.6).
    page.evaluate("window.__sameDocument = true")
    response = htmx_response(
        page,
        lambda: log_rows(page).first.get_by_role("button", name=re.compile("^Remove")).click(),
        re.compile(r"/reach/\d+/delete\?reach_page=2$"),
    )
    assert response.status == 200
    expect(log_rows(page)).to_have_count(total - 21)
    expect(page.locator("#reach-heading")).to_be_focused()
    assert_same_document(page, "removing an entry on page 2")
    assert_accessible(page, "the reach log's second page after a removal (htmx)")

    # The leads picker: the chosen leads, and members found by name as one types.
    page.goto("/campaigns/covid-19-wellbeing/edit")
    leads = page.get_by_role("group", name="Who leads it?")
    expect(leads.get_by_role("checkbox")).to_have_count(2)
    expect(leads.get_by_role("checkbox", name="Tom W.")).to_have_count(0)
    page.evaluate("window.__sameDocument = true")
    response = htmx_response(
        page, lambda: page.get_by_label("Find a member").fill("tom"), re.compile(r"find_member=tom"), method="GET"
    )
    assert response.status == 200
    tom = page.get_by_role("group", name="Who leads it?").get_by_role("checkbox", name="Tom W.")
    expect(tom).not_to_be_checked()
    expect(page.locator("#lead-status")).to_contain_text("1 member found")
    expect(page.get_by_role("group", name="Who leads it?").get_by_role("checkbox", checked=True)).to_have_count(2)
    expect(page.get_by_label("Find a member")).to_be_focused()
    assert_same_document(page, "finding a member")
    assert_accessible(page, "the leads picker after finding a member (htmx)")
    tom.check()
    page.get_by_role("button", name="Save the campaign").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("Tom W.")

    # Enter in a box saves, as on every form ("Find" comes first in the form, but is not the default).
    page.goto("/campaigns/covid-19-wellbeing/edit")
    page.get_by_label("Title", exact=True).fill("Covid-19 Wellbeing campaign")
    page.get_by_label("Title", exact=True).press("Enter")
    expect(page).to_have_url(
        re.compile(r"/campaigns/covid-19-wellbeing-campaign$")
    )  # saved: the address follows the title
    expect(page.get_by_role("heading", level=1)).to_have_text("Covid-19 Wellbeing campaign")
