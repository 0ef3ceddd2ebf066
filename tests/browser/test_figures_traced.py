"""Figures traced to their sources (#17.2, #17.5) in Chromium, by visible
labels, with an axe check of every page and state.

The Chair adds a fact from "This month in the portal" to this month's
statement (the page's script puts it in and autosaves); the preview shows the
paragraph with "Source:" and the link. A visitor opens the published demo
update (July 2020): the Chair's statement shows its facts' sources, and the
"Youth voice in numbers" figures lead to pages a visitor can open, never to
sign in. Screenshots: /tmp/shots/figures-traced-*.png (desktop, phone and
320 px); nothing scrolls sideways at 320 px.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.helpers import SHOTS, assert_accessible, htmx_response, screenshots, sign_in

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.example"
UPDATE = "Progress Report – July 2020"


def _at_320(page: Page, name: str, what: str) -> None:
    """Nothing scrolls sideways on a 320 px screen; axe passes there too; a screenshot."""
    original = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{what} scrolls sideways at 320 px"
    assert_accessible(page, f"{what} at 320 px")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"figures-traced-{name}-320.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def test_the_chair_adds_a_fact_and_the_preview_links_its_source(page: Page):
    sign_in(page, CHAIR)
    page.goto("/statements")
    page.get_by_role("link", name=re.compile(r"\d{4}")).first.click()
    expect(page.get_by_role("heading", name="This month in the portal")).to_be_visible()
    assert_accessible(page, "the statement editor")

    fact = page.locator(".portal-fact").filter(has=page.get_by_role("link", name="Fair fares for young people"))
    sentence = fact.locator("p").first.inner_text()
    box = page.get_by_label("Your statement")
    saved = htmx_response(
        page,
        lambda: fact.get_by_role("button", name=re.compile("^Add to statement")).click(),
        r"/statements/\d{4}-\d{2}$",
        settle=True,
    )
    assert saved.status == 200
    expect(box).to_have_value(re.compile(re.escape(sentence)))
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    assert_accessible(page, "the editor after adding a fact")

    page.get_by_role("link", name="Preview it as it will appear in the update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How it will appear in the update")
    # The last paragraph: the one just added (the demo's draft may hold the same fact already).
    paragraph = page.locator(".portal-chair-statement p.govuk-body", has_text=sentence).last
    expect(paragraph).to_be_visible()
    source = paragraph.locator("xpath=following-sibling::p[1]")
    expect(source).to_have_text("Source: Fair fares for young people")
    expect(source.get_by_role("link", name="Fair fares for young people")).to_have_attribute(
        "href", "/campaigns/fair-fares-for-young-people"
    )
    assert_accessible(page, "the statement's preview")
    screenshots(page, "figures-traced-preview")
    _at_320(page, "preview", "the statement's preview")


def test_a_visitor_follows_the_published_figures_to_public_pages(page: Page):
    page.goto("/updates")
    page.get_by_role("link", name=UPDATE).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(UPDATE)
    statement = page.locator("#chair-statement")
    expect(statement.get_by_role("link", name="Covid-19 Wellbeing")).to_be_visible()
    expect(statement.get_by_role("link", name="Our name, brand and wording")).to_be_visible()
    numbers = page.locator("#youth-voice-in-numbers")
    expect(numbers.get_by_role("table").first).to_contain_text("Consultations that published “You said, we did”")
    expect(numbers.get_by_role("table", name=re.compile("^Responses by age band"))).to_be_visible()
    expect(numbers).to_contain_text("fewer than 5")  # the rule, stated on the page
    assert_accessible(page, "the published update")
    screenshots(page, "figures-traced-update")
    _at_320(page, "update", "the published update")

    # Every figure's source opens for a visitor: none asks them to sign in.
    links = numbers.get_by_role("link")
    hrefs = sorted(set(links.evaluate_all("links => links.map(a => a.getAttribute('href'))")))
    assert hrefs and all(href.startswith("/") for href in hrefs)
    for href in hrefs:
        answer = page.request.get(href, max_redirects=0)
        assert answer.status == 200, href

    # The meetings and events come from the plan, which is for members: the public numbers page shows them.
    row = numbers.get_by_role("row", name=re.compile("^Youth Cabinet meetings and events"))
    row.get_by_role("link", name="Youth Cabinet activity").click()
    expect(page).to_have_url(re.compile(r"/youth-voice\?start=2020-07-01&end=2020-07-\d\d#youth-cabinet$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Youth voice in numbers")
    expect(page.get_by_role("heading", name="Youth Cabinet activity")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile("^Responses by district"))).to_be_visible()
    assert_accessible(page, "the public numbers page")
    screenshots(page, "figures-traced-numbers")
    _at_320(page, "numbers", "the public numbers page")

    # A figure about one consultation leads to that consultation.
    page.go_back()
    row = numbers.get_by_role("row", name=re.compile("^Responses to consultations"))
    row.get_by_role("link", name="Our name, brand and wording").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Our name, brand and wording")
    assert_accessible(page, "the consultation a figure is about")
