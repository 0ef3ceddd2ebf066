"""The Area of Interest programme (issue 4) in Chromium: one journey through a
whole preference round, with an axe check of every page and htmx state reached.

The officer opens a round, two youth members rank portfolios, the officer runs,
changes and confirms the pairing, the Cabinet Member accepts and adds a meeting
to the shared log (posted with htmx), and the youth member sees it.

The live server is module-scoped, so this module has its own demo world: its
2020 round is confirmed, so a new round can be opened.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Pairing, PreferenceRound, User
from portal.templating import long_date
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

OFFICER = "officer@demo.example"
AISHA = "member@demo.example"  # Aisha K.
TOM = "tom.w@demo.example"  # Tom W.
HALE = "cllr.hale@demo.example"  # Deborah Hale, holds Environment (2 places)

ROUND_TITLE = "Area of Interest browser round"
ROUND_URL = re.compile(r"/area-of-interest/rounds/\d+$")
PAIRING_URL = re.compile(r"/area-of-interest/pairings/\d+$")
# The demo's portfolios; each takes 2 Youth Cabinet members.
PORTFOLIOS = [
    "Children and Young People",
    "Leader",
    "Adults and Health",
    "Education and Skills",
    "Environment",
    "Highways and Infrastructure",
    "Fire and Rescue and Communities",
    "Finance and Resources",
]


def choose_portfolios(page: Page, first: str, second: str | None = None, reason: str = "") -> None:
    page.get_by_label("First choice", exact=True).select_option(label=first)
    page.get_by_label("Second choice (optional)", exact=True).select_option(label=second or "Choose a portfolio")
    page.get_by_label("Why? (optional)").fill(reason)
    page.get_by_role("button", name="Save my choices").click()


def open_choices(page: Page, label: str) -> None:
    page.goto("/area-of-interest")
    expect(page.get_by_role("heading", level=1)).to_have_text("Area of Interest programme")
    expect(page.locator(".govuk-inset-text")).to_contain_text(f"{ROUND_TITLE} is open until")
    assert_accessible(page, f"Area of Interest page of {label} while the round is open")
    page.get_by_role("link", name="Choose your portfolios").click()
    expect(page).to_have_url(re.compile(r"/area-of-interest/rounds/\d+/choices$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your Area of Interest")
    expect(page.locator(".govuk-caption-l")).to_have_text(ROUND_TITLE)
    assert_accessible(page, f"choices form of {label}")


def pairing_row(page: Page, member: str) -> Locator:
    """The row of the round's pairing table whose first cell is this member."""
    return page.locator("tbody tr").filter(has=page.locator("td:first-child", has_text=member))


# The whole round -------------------------------------------------------------


def test_a_whole_round_from_opening_to_the_shared_log(page: Page, live_server: LiveServer) -> None:
    closes = date.today() + timedelta(days=5)
    meeting_day = date.today() - timedelta(days=1)
    meeting_text = "First meeting about the recycling campaign in schools, with a plan for the summer."
    action_text = "Find out which schools already recycle food waste."

    # 1. The officer opens a round. ------------------------------------------
    sign_in(page, OFFICER)
    page.goto("/area-of-interest")
    expect(page.get_by_role("heading", level=1)).to_have_text("Area of Interest programme")
    expect(page.get_by_role("heading", name="Open a new round")).to_be_visible()
    assert_accessible(page, "officer's Area of Interest page")

    # An empty name and an impossible date: the summary and the field messages.
    page.get_by_label("Name of the round").fill("")
    fill_date(page, "Closing date", 31, 2, 2030)
    page.get_by_role("button", name="Open the round").click()
    summary = error_summary(page)
    expect(summary).to_contain_text("Enter a name for the round")
    expect(summary).to_contain_text("Enter a real date")
    expect(page.locator("#title-error")).to_contain_text("Enter a name for the round")
    expect(page.locator("#closes_on-error")).to_contain_text(
        "Enter a real date, with the day, month and year as numbers, like 27 3 2027"
    )
    expect(page).to_have_title(re.compile(r"^Error: Area of Interest programme"))
    # What was typed is kept.
    expect(page.get_by_role("group", name="Closing date", exact=True).get_by_label("Day", exact=True)).to_have_value(
        "31"
    )
    assert_accessible(page, "open a round with errors")
    summary.get_by_role("link", name="Enter a name for the round").click()
    expect(page.get_by_label("Name of the round")).to_be_focused()

    page.get_by_label("Name of the round").fill(ROUND_TITLE)
    fill_date(page, "Closing date", closes)
    page.get_by_role("button", name="Open the round").click()
    expect(page).to_have_url(ROUND_URL)
    round_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUND_TITLE)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"{ROUND_TITLE} is open.")
    expect(page.locator(".govuk-tag").first).to_have_text("Open for choices")
    expect(page.get_by_text(f"Closing date: {long_date(closes)}.")).to_be_visible()
    expect(page.get_by_text("0 of 7 Youth Cabinet members have made their choices.")).to_be_visible()
    assert_accessible(page, "the round just opened")
    sign_out(page)

    # 2. Two youth members choose. --------------------------------------------
    sign_in(page, AISHA)
    open_choices(page, "Aisha K.")
    # The same portfolio twice: a message next to the second choice.
    choose_portfolios(page, "Environment", "Environment")
    expect(error_summary(page)).to_contain_text("You chose the same portfolio twice")
    expect(page.locator("#second-error")).to_contain_text("You chose the same portfolio twice")
    expect(page).to_have_title(re.compile(r"^Error: Choose your Area of Interest"))
    assert_accessible(page, "choices form with the same portfolio twice")
    # Fixed: Environment, then Children and Young People.
    choose_portfolios(page, "Environment", "Children and Young People", "I want to help my school recycle more.")
    expect(page).to_have_url(re.compile(r"/area-of-interest$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your choices are saved.")
    expect(page.locator(".govuk-inset-text")).to_contain_text("You have made your choices.")
    expect(page.get_by_role("link", name="Change your choices")).to_be_visible()
    assert_accessible(page, "Aisha's Area of Interest page after choosing")
    # Her choices come back when she opens the form again.
    page.get_by_role("link", name="Change your choices").click()
    expect(page.get_by_label("First choice", exact=True).locator("option:checked")).to_have_text("Environment")
    expect(page.get_by_label("Second choice (optional)", exact=True).locator("option:checked")).to_have_text(
        "Children and Young People"
    )
    sign_out(page)

    sign_in(page, TOM)
    open_choices(page, "Tom W.")
    choose_portfolios(page, "Environment", "Highways and Infrastructure")
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Your choices are saved.")
    sign_out(page)

    # 3. The officer closes the round, runs and confirms the pairing. ------------
    sign_in(page, OFFICER)
    page.goto(round_url)
    expect(page.get_by_text("2 of 7 Youth Cabinet members have made their choices.")).to_be_visible()
    page.get_by_text("Who has not answered yet (5)").click()
    expect(page.locator(".govuk-details__text")).to_contain_text("Priya S.")
    expect(page.locator(".govuk-details__text")).not_to_contain_text("Aisha K.")
    assert_accessible(page, "open round with the members who have not answered")

    page.get_by_role("button", name="Close the round now").click()
    expect(page).to_have_url(ROUND_URL)
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The round is closed.")
    expect(page.locator(".govuk-tag").first).to_have_text("Closed, not paired yet")
    expect(page.get_by_role("button", name="Close the round now")).to_have_count(0)
    assert_accessible(page, "closed round")

    page.get_by_role("button", name="Run the pairing").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The pairing has run.")
    expect(page.locator(".govuk-tag").first).to_have_text("Pairing proposed")
    expect(page.get_by_role("heading", name="Proposed pairing")).to_be_visible()
    expect(page.get_by_text("2 of 7 members got their first choice")).to_be_visible()
    for member in ("Aisha K.", "Tom W."):
        row = pairing_row(page, member)
        expect(row.locator("td").nth(1)).to_have_text("Environment")
        expect(row.locator("td").nth(2)).to_have_text("1st choice")
    expect(pairing_row(page, "Priya S.").locator("td").nth(2)).to_have_text("No preference given")
    assert_accessible(page, "proposed pairing")

    # Moving Priya to Environment would make 3 in its 2 places: a warning.
    priya = pairing_row(page, "Priya S.")
    priya_was = priya.locator("td").nth(1).inner_text().strip()
    priya.get_by_label("Move Priya S. to").select_option(label="Environment")
    priya.get_by_role("button", name="Move Priya S.").click()
    priya = pairing_row(page, "Priya S.")
    expect(priya.locator(".govuk-error-message")).to_contain_text(
        "That portfolio has 2 places and this would make 3. Tick the box to go over its places, or choose another portfolio."
    )
    expect(priya.get_by_label("Yes, go over this portfolio's places")).not_to_be_checked()
    expect(priya.get_by_label("Move Priya S. to").locator("option:checked")).to_have_text("Environment")
    expect(priya.locator("td").nth(1)).to_have_text(priya_was)  # nothing moved
    assert_accessible(page, "proposed pairing with the capacity warning")

    # Instead, a portfolio with room.
    held = Counter(cell.strip() for cell in page.locator("tbody tr td:nth-child(2)").all_inner_texts())
    room = next(name for name in PORTFOLIOS if held[name] < 2 and name not in ("Environment", priya_was))
    priya.get_by_label("Move Priya S. to").select_option(label=room)
    priya.get_by_role("button", name="Move Priya S.").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The pairing is changed.")
    priya = pairing_row(page, "Priya S.")
    expect(priya.locator("td").nth(1)).to_have_text(room)
    expect(priya.locator("td").nth(2)).to_contain_text("Changed by hand")
    expect(priya.get_by_label("Yes, go over this portfolio's places")).to_have_count(0)
    expect(page.get_by_text("Over its 2 places")).to_have_count(0)
    assert_accessible(page, "proposed pairing after a change by hand")

    page.get_by_role("button", name="Confirm the pairing").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The pairings are confirmed.")
    expect(page.locator(".govuk-tag").first).to_have_text("Pairings confirmed")
    expect(page.get_by_role("heading", name="The pairing", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Confirm the pairing")).to_have_count(0)
    expect(page.get_by_role("button", name="Run the pairing again")).to_have_count(0)
    assert_accessible(page, "confirmed pairing")
    sign_out(page)

    # 4. The Cabinet Member accepts and writes in the shared log. ---------------
    sign_in(page, HALE)
    page.goto("/area-of-interest")
    expect(page.get_by_role("heading", name="Youth Cabinet members working with you")).to_be_visible()
    waiting = page.locator("tbody tr").filter(has_text="Waiting for you")
    expect(waiting).to_have_count(2)
    expect(waiting.filter(has_text="Aisha K.")).to_have_count(1)
    expect(waiting.filter(has_text="Tom W.")).to_have_count(1)
    assert_accessible(page, "Cabinet Member's Area of Interest page, pairings waiting")
    page.get_by_role("button", name="Accept these members").click()
    expect(page).to_have_url(re.compile(r"/area-of-interest$"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("2 pairings accepted.")
    expect(page.get_by_text("Waiting for you")).to_have_count(0)
    expect(page.get_by_role("button", name="Accept these members")).to_have_count(0)
    assert_accessible(page, "Cabinet Member's Area of Interest page, all accepted")

    page.get_by_role("link", name="Aisha K.", exact=True).click()
    expect(page).to_have_url(PAIRING_URL)
    aisha_pairing_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha K. with Deborah Hale")
    expect(page.locator(".govuk-caption-l")).to_have_text("Area of Interest: Environment")
    # The Cabinet Member concerned sees the member's reason.
    expect(page.locator(".govuk-inset-text")).to_contain_text("I want to help my school recycle more.")
    expect(page.get_by_text("Not accepted yet")).to_have_count(0)
    log = page.locator("#pairing-log")
    expect(log).to_contain_text("Nothing has been written here yet.")
    assert_accessible(page, "shared page seen by the Cabinet Member")

    # A meeting, posted with htmx: the log block is swapped, the page stays.
    page.evaluate("window.__sameDocument = true")
    page.get_by_role("radio", name="A meeting").check()
    fill_date(page, "Date", meeting_day)
    page.get_by_label("What was discussed, or what needs doing").fill(meeting_text)
    added = htmx_response(page, lambda: page.get_by_role("button", name="Add to the log").click(), r"/log$")
    assert added.status == 200
    log = page.locator("#pairing-log")
    entry = log.locator("li.portal-note").filter(has_text=meeting_text)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text("Meeting")
    expect(entry).to_contain_text(long_date(meeting_day))
    expect(entry).to_contain_text("Written by Deborah Hale")
    expect(log.get_by_role("status")).to_have_text("Added to the log.")
    expect(log).not_to_contain_text("Nothing has been written here yet.")
    # The form is empty again for the next entry.
    expect(page.get_by_label("What was discussed, or what needs doing")).to_have_value("")
    expect(page.locator("#pairing-log")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha K. with Deborah Hale")
    assert_same_document(page, "adding to the log")
    assert page.url == aisha_pairing_url
    assert_accessible(page, "shared page after adding a meeting with htmx")

    # An action with nobody to do it: the log block comes back with errors.
    page.get_by_role("radio", name="An action").check()
    fill_date(page, "Date", closes)
    page.get_by_label("What was discussed, or what needs doing").fill(action_text)
    page.get_by_label("Who will do it (actions only)").fill("")
    refused = htmx_response(page, lambda: page.get_by_role("button", name="Add to the log").click(), r"/log$")
    assert refused.status == 422
    log = page.locator("#pairing-log")
    expect(error_summary(page)).to_contain_text("Say who will do the action")
    expect(log.locator(".govuk-error-summary")).to_be_focused()  # as on a page load (#14.6)
    expect(page.locator("#who-error")).to_contain_text("Say who will do the action")
    # What was typed is kept, nothing was added.
    expect(page.get_by_role("radio", name="An action")).to_be_checked()
    expect(page.get_by_label("What was discussed, or what needs doing")).to_have_value(action_text)
    expect(log.locator("li.portal-note")).to_have_count(1)
    assert_same_document(page, "the refused entry")
    assert_accessible(page, "shared page with an action missing who will do it (htmx)")
    sign_out(page)

    # 5. The youth member sees their pairing and the meeting. -------------------
    sign_in(page, AISHA)
    page.goto("/area-of-interest")
    expect(page.get_by_role("heading", name="Your Area of Interest")).to_be_visible()
    expect(page.get_by_text("You are working with Deborah Hale on Environment.")).to_be_visible()
    assert_accessible(page, "Aisha's Area of Interest page after the pairing")
    page.get_by_role("link", name="Open your shared page").click()
    expect(page).to_have_url(aisha_pairing_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Aisha K. with Deborah Hale")
    entry = page.locator("#pairing-log li.portal-note").filter(has_text=meeting_text)
    expect(entry).to_have_count(1)
    expect(entry).to_contain_text(long_date(meeting_day))
    expect(entry).to_contain_text("Written by Deborah Hale")
    # Reasons are shown to officers and Cabinet Members only, and only an
    # entry's author may change it.
    expect(page.locator(".govuk-inset-text")).to_have_count(0)
    expect(entry.get_by_role("link", name=re.compile(r"^Change"))).to_have_count(0)
    assert_accessible(page, "shared page seen by the youth member")


# Someone else's pairing ---------------------------------------------------------


def test_a_youth_member_cannot_open_another_members_pairing(page: Page, live_server: LiveServer) -> None:
    with live_server.app.app_context():
        pairing_id = db.session.scalar(
            select(Pairing.id)
            .join(PreferenceRound, Pairing.round_id == PreferenceRound.id)
            .join(User, Pairing.member_id == User.id)
            .where(User.email == AISHA, PreferenceRound.title == "Area of Interest 2020")
        )
        db.session.remove()
    assert pairing_id is not None

    sign_in(page, TOM)
    response = page.goto(f"/area-of-interest/pairings/{pairing_id}")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    expect(page.get_by_text("Aisha K.")).to_have_count(0)
    assert_accessible(page, "another member's pairing page (404)")
