"""More of the consultations in Chromium, with an axe check of every page
and of every state htmx swaps in:

- #14.19: an officer corrects moderation decisions from the decided answers
  (htmx): an approved quote hidden (refused first without a reason), then put
  back in the queue and approved again; the results page follows each step.
  Without JavaScript, the same change is a plain form in a details element.
- #14.20: a partner starts a new request from a copy of their consultation
  that ran, from "Request a consultation"; an officer from a request's page.

The demo world's "Our name, brand and wording" (partner@demo.example, closed,
results released) has the quotes. Waits are on the page's own signals (the
htmx response, a swapped-in element, the focus), never on sleeps.
Screenshots go to /tmp/shots/consult-more-*.png (not the repo).
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Consultation
from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    assert_accessible,
    assert_same_document,
    error_summary,
    htmx_response,
    screenshots,
    sign_in,
    success_banner,
)

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"
PARTNER = "partner@demo.example"
NAME_AND_BRAND = "Our name, brand and wording"
QUOTE = "Talk like a person, not like a leaflet."
OTHER_QUOTE = "I'd look for you on TikTok before anywhere else."
REASON = "It could read as a dig at one of our partners."


def consultation_id(live_server: LiveServer, title: str) -> int:
    with live_server.app.app_context():
        found = db.session.scalar(select(Consultation.id).where(Consultation.title == title))
        db.session.remove()
    assert found is not None, title
    return found


def decided_item(page: Page, text: str) -> Locator:
    return page.locator("#decided-answers .portal-moderation-item").filter(has_text=text)


def quotes(page: Page, live_server: LiveServer) -> Locator:
    page.goto(f"/consultations/{consultation_id(live_server, NAME_AND_BRAND)}/results")
    return page.locator("blockquote")


def waiting_total(page: Page) -> int:
    return int(page.locator("#moderation-waiting-total").inner_text())


def assert_accessible_as_served(page: Page, scanner: Page, label: str) -> None:
    """axe needs JavaScript in the page (it hangs without): the markup a page
    without JavaScript got is scanned in ``scanner``, a page of the same site
    with JavaScript on."""
    scanner.goto("/privacy")
    scanner.set_content(page.content())
    assert_accessible(scanner, label)


def change_the_decision(page: Page, item: Locator, answer_id: str, status: int) -> None:
    response = htmx_response(
        page,
        lambda: item.get_by_role("button", name=re.compile(r"^Change the decision on decided answer \d+$")).click(),
        rf"/answers/{answer_id}/decision$",
        settle=True,
    )
    assert response.status == status, response.status


# #14.19 ---------------------------------------------------------------------------------------


def test_an_officer_corrects_a_moderation_decision(page: Page, live_server: LiveServer) -> None:
    sign_in(page, OFFICER)
    expect(quotes(page, live_server).filter(has_text=QUOTE)).to_have_count(1)

    # From the results, to the decided answers of this consultation.
    page.get_by_role("link", name="Approved and hidden answers to this consultation: change a decision").click()
    expect(page).to_have_url(re.compile(r"/consultations/moderation\?show=decided&consultation=\d+$"))
    expect(page.get_by_role("link", name="Decided answers: approved or hidden")).to_have_attribute(
        "aria-current", "page"
    )
    expect(page.get_by_label("Consultation", exact=True)).to_have_value(
        str(consultation_id(live_server, NAME_AND_BRAND))
    )
    expect(page.locator("main")).to_contain_text(re.compile(r"\d+ decided answers, page 1 of \d+\."))
    waiting_before = waiting_total(page)
    page.wait_for_load_state("load")
    assert_accessible(page, "decided answers of one consultation")
    screenshots(page, "consult-more-decided")

    item = decided_item(page, QUOTE)
    expect(item).to_have_count(1)
    expect(item.locator(".govuk-tag")).to_have_text("Approved")
    answer_id = (item.get_attribute("id") or "").removeprefix("answer-")
    page.evaluate("window.__sameDocument = true")

    # Hidden without a reason: refused in place, with the error summary focused.
    item.locator("summary").click()
    expect(item.get_by_label("Approve it: it may be quoted", exact=True)).to_have_count(0)  # it is approved already
    assert_accessible(page, "decided answers, 'Change the decision' open")
    screenshots(page, "consult-more-change-open")
    item.get_by_label("Hide it: it is never quoted", exact=True).check()
    change_the_decision(page, item, answer_id, 422)
    summary = error_summary(item)
    expect(summary).to_contain_text("Say why you are hiding this answer")
    expect(item.locator(".govuk-error-summary")).to_be_focused()
    expect(item.get_by_label("Hide it: it is never quoted", exact=True)).to_be_checked()
    assert_same_document(page, "a refused change")
    assert page.locator(f"#answer-{answer_id}").count() == 1
    assert_accessible(page, "decided answers, a change refused (htmx)")

    # With a reason: hidden; the news takes the focus.
    item.get_by_label(re.compile(r"^Why are you changing it\? \(needed when you hide it\)")).fill(REASON)
    change_the_decision(page, item, answer_id, 200)
    news = item.locator("p[data-autofocus]")
    expect(news).to_have_text("Changed to hidden: it is not quoted anywhere now.")
    expect(news).to_be_focused()
    expect(item.locator(".govuk-tag")).to_have_text("Hidden")
    expect(item).to_contain_text(f"Reason: {REASON}")
    assert_same_document(page, "changing a decision")
    assert_accessible(page, "decided answers after a change (htmx)")
    screenshots(page, "consult-more-changed")

    # Put back in the queue: the waiting count in the link goes up without a reload.
    item.locator("summary").click()
    item.get_by_label("Put it back in the queue, to decide again later", exact=True).check()
    change_the_decision(page, item, answer_id, 200)
    news = page.locator(f"#answer-{answer_id} p[data-autofocus]")
    expect(news).to_contain_text("Put back in the queue: it waits there for a decision.")
    expect(news).to_be_focused()
    expect(page.locator("#moderation-waiting-total")).to_have_text(str(waiting_before + 1))
    assert_same_document(page, "putting an answer back in the queue")
    assert_accessible(page, "decided answers, one put back in the queue (htmx)")

    # Not quoted while it waits; approved again from the queue, it is quoted again.
    expect(quotes(page, live_server).filter(has_text=QUOTE)).to_have_count(0)
    page.goto("/consultations/moderation")
    queued = page.locator(f"#answer-{answer_id}")
    expect(queued.get_by_role("region", name=re.compile(r"^Answer \d+ to check$"))).to_have_text(QUOTE)
    page.wait_for_load_state("load")
    queued.get_by_label("Approve: it may be quoted", exact=True).check()
    htmx_response(
        page,
        lambda: queued.get_by_role("button", name=re.compile(r"^Save the decision on answer \d+$")).click(),
        rf"/answers/{answer_id}/moderate$",
        settle=True,
    )
    expect(page.locator(f"#answer-{answer_id}")).to_contain_text("Approved.")
    expect(page.locator("#moderation-waiting-total")).to_have_text(str(waiting_before))
    assert_accessible(page, "moderation queue after approving it again (htmx)")
    expect(quotes(page, live_server).filter(has_text=QUOTE)).to_have_count(1)


def test_a_decision_changes_without_javascript(new_context, live_server: LiveServer) -> None:
    page = new_context(java_script_enabled=False).new_page()
    scanner = new_context().new_page()
    sign_in(page, OFFICER)
    page.goto("/consultations/moderation")
    page.get_by_role("link", name="Decided answers: approved or hidden").click()
    page.get_by_label("Show", exact=True).select_option(label="Approved only")
    page.get_by_role("button", name="Show answers").click()
    expect(page).to_have_url(re.compile(r"show=decided&decision=approved"))
    item = decided_item(page, OTHER_QUOTE)
    expect(item).to_have_count(1)
    item.locator("summary").click()  # a details element: it opens without JavaScript
    item.get_by_label("Hide it: it is never quoted", exact=True).check()
    item.get_by_role("button", name=re.compile(r"^Change the decision on decided answer \d+$")).click()
    # Refused without a reason: the page again, the problem shown, the choice kept.
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say why you are hiding this answer")
    item = decided_item(page, OTHER_QUOTE)
    expect(item.get_by_label("Hide it: it is never quoted", exact=True)).to_be_checked()
    assert_accessible_as_served(page, scanner, "decided answers, a change refused (no JavaScript)")
    item.get_by_label(re.compile(r"^Why are you changing it\?")).fill("It names a company.")
    item.get_by_role("button", name=re.compile(r"^Change the decision on decided answer \d+$")).click()
    expect(success_banner(page)).to_contain_text("Changed to hidden: it is not quoted anywhere now.")
    expect(page).to_have_url(re.compile(r"show=decided&decision=approved$"))
    expect(decided_item(page, OTHER_QUOTE)).to_have_count(0)  # approved only: it is hidden now
    assert_accessible_as_served(page, scanner, "decided answers after a change (no JavaScript)")
    expect(quotes(page, live_server).filter(has_text=OTHER_QUOTE)).to_have_count(0)


# #14.20 ---------------------------------------------------------------------------------------


def test_a_partner_and_an_officer_start_from_a_copy(new_page: Callable[[], Page], live_server: LiveServer) -> None:
    partner = new_page()
    sign_in(partner, PARTNER)
    partner.goto("/consultations/new")
    partner.get_by_role("link", name="Start from a copy of an earlier request").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Start from a copy of an earlier request")
    table = partner.get_by_role("table", name=re.compile(r"^Your requests \(\d+\)$"))
    expect(table.get_by_role("link", name=NAME_AND_BRAND, exact=True)).to_be_visible()
    expect(table).not_to_contain_text("Getting to college: buses")  # the council's, not this partner's
    assert_accessible(partner, "choosing a request to copy (partner)")
    screenshots(partner, "consult-more-copy-choose")

    table.get_by_role("button", name=f"Copy “{NAME_AND_BRAND}”").click()
    expect(partner).to_have_url(re.compile(r"/consultations/\d+/edit$"))
    expect(success_banner(partner)).to_contain_text(f"This is a new draft, copied from “{NAME_AND_BRAND}”.")
    expect(partner.get_by_role("heading", level=1)).to_contain_text(f"Copy of {NAME_AND_BRAND}")
    expect(partner.get_by_role("heading", level=1).locator(".govuk-tag")).to_have_text("Draft")
    expect(partner.locator("#questions .portal-question-list > li")).to_have_count(7)  # with the logos' (#17.4)
    expect(partner.locator("#questions")).to_contain_text("Which name do you like best?")
    # The dates are not copied: they are the partner's to choose.
    expect(partner.get_by_role("group", name="Opening date").get_by_label("Day", exact=True)).to_have_value("")
    assert_accessible(partner, "the copy's edit page (partner)")
    partner.get_by_role("button", name="Send for approval").click()
    expect(partner.locator(".govuk-error-summary")).to_contain_text("Enter the date the consultation opens")
    assert_accessible(partner, "the copy, not ready to send")

    # An officer copies the council's own consultation from its page.
    officer = new_page()
    sign_in(officer, OFFICER)
    officer.goto(f"/consultations/{consultation_id(live_server, 'Getting to college: buses')}")
    expect(officer.get_by_role("heading", name="Ask again, or ask something like it")).to_be_visible()
    assert_accessible(officer, "a consultation's page with the copy button (officer)")
    officer.get_by_role("button", name="Copy it into a new request").click()
    expect(success_banner(officer)).to_contain_text("copied from “Getting to college: buses”")
    expect(officer.get_by_role("heading", level=1)).to_contain_text("Copy of Getting to college: buses")
    expect(officer.get_by_label("Partner organisation it is for", exact=True)).to_have_value("")
    assert_accessible(officer, "the copy's edit page (officer)")
