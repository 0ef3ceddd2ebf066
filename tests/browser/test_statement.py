"""The Chair's monthly statement editor in Chromium (issue 6), with an axe check
of every page and every htmx state reached.

The current month's statement is shared by every test in this module (the live
server is module-scoped), so each test starts by putting it back to the demo's
draft with no review steps (``fresh_draft``, straight in the database), and the
review journey walks every step in order in one test.

Waits are on the editor's own signals (the save's response, the status line
"Saved at ... N words"), not on sleeps: the autosave fires 1.5 s after typing
stops and when the box loses focus; a failed save is retried after 2 s.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from playwright.sync_api import Locator, Page, Response, expect
from sqlalchemy import delete

from portal.demo.statements import CURRENT_DRAFT
from portal.extensions import db
from portal.models import StatementReview, StatementStatus
from portal.statements import operations as ops
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, error_summary, sign_in, sign_out, success_banner

pytestmark = pytest.mark.browser

CHAIR = "chair@demo.example"
CABINET_MEMBER = "cabinet.member@demo.example"
OFFICER = "officer@demo.example"

STATEMENT_URL = re.compile(r"/statements/\d{4}-\d{2}$")
CONFLICT_HEADING = "Your statement was changed somewhere else"


def words(text: str) -> int:
    return len(text.split())


# Helpers -------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_draft(live_server: LiveServer) -> None:
    """This month's statement back to the demo's draft, with no review steps."""
    with live_server.app.app_context():
        statement = ops.find(ops.current_month())
        assert statement is not None, "the demo world has no statement for this month"
        db.session.execute(delete(StatementReview).where(StatementReview.statement_id == statement.id))
        statement.text = CURRENT_DRAFT
        statement.version += 1
        statement.status = StatementStatus.DRAFT.value
        statement.submitted_at = None
        statement.accepted_at = None
        statement.updated_at = datetime.now(UTC)
        db.session.commit()
        db.session.remove()


def open_this_months_statement(page: Page) -> None:
    """From the list of statements, the button that opens the current month's."""
    page.goto("/statements")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chair's statements")
    page.get_by_role("button", name=re.compile(r"^Open the statement for ")).click()
    expect(page).to_have_url(STATEMENT_URL)
    expect(page.get_by_role("heading", level=1)).to_contain_text(ops.current_month().strftime("%B %Y"))
    # The click resolves once the navigation starts: wait for htmx and the
    # autosave script to be set up, or typing would not trigger a save.
    page.wait_for_load_state("load")


def box(page: Page) -> Locator:
    return page.get_by_role("textbox", name="Your statement", exact=True)


def status_line(page: Page) -> Locator:
    return page.locator("#autosave-status")


def status_tag(page: Page) -> Locator:
    return page.get_by_role("heading", level=1).locator(".govuk-tag")


def is_save(page: Page):
    """A save posted by the editor (the page's own URL, POST)."""
    url = page.url
    return lambda response: response.request.method == "POST" and response.url == url


def autosave(page: Page, text: str) -> Response:
    """Type ``text`` over the box's content and wait for the autosave after the pause."""
    with page.expect_response(is_save(page)) as saved:
        box(page).fill(text)
    response = saved.value
    assert response.status == 200, response.status
    expect(status_line(page)).to_contain_text("Saved at")
    expect(status_line(page)).to_contain_text(f"{words(text)} words")
    return response


# 1. Autosave survives a reload ------------------------------------------------


def test_autosave_keeps_the_text_through_a_reload(page: Page) -> None:
    sign_in(page, CHAIR)
    assert_accessible(page, "chair's dashboard")
    page.goto("/statements")
    assert_accessible(page, "list of statements")
    open_this_months_statement(page)
    expect(box(page)).to_have_value(CURRENT_DRAFT)
    expect(status_line(page)).to_contain_text("Saved at")
    expect(status_line(page)).to_contain_text(f"{words(CURRENT_DRAFT)} words")
    assert_accessible(page, "statement editor")

    text = CURRENT_DRAFT + " We also met the new Director of Children's Services, who listened to our ideas."
    box(page).click()
    page.keyboard.press("Control+End")
    with page.expect_response(is_save(page)) as saved:
        page.keyboard.type(" We also met the new Director of Children's Services, who listened to our ideas.")
    assert saved.value.status == 200
    expect(status_line(page)).to_contain_text("Saved at")
    expect(status_line(page)).to_contain_text(f"{words(text)} words")
    assert words(text) != words(CURRENT_DRAFT)
    assert_accessible(page, "statement editor after an autosave")

    page.reload()
    expect(box(page)).to_have_value(text)
    expect(status_line(page)).to_contain_text(f"{words(text)} words")
    expect(page.get_by_role("region", name="Unsaved text found")).to_be_hidden()


# 2. Two tabs: the second gets the conflict view, nothing is lost -------------


def test_a_stale_save_from_a_second_tab_shows_both_texts(new_context) -> None:
    tab_a = new_context().new_page()
    tab_b = new_context().new_page()
    for tab in (tab_a, tab_b):
        sign_in(tab, CHAIR)
        open_this_months_statement(tab)
        expect(box(tab)).to_have_value(CURRENT_DRAFT)

    text_a = "Tab A: the Youth Cabinet met in Chichester to plan the winter campaign."
    text_b = "Tab B: our members visited schools in Crawley to talk about mental health."

    autosave(tab_a, text_a)

    # Tab B still holds the older version: its save must not overwrite A's.
    warnings: list[str] = []
    tab_b.on("dialog", lambda dialog: (warnings.append(dialog.type), dialog.accept()))
    box(tab_b).click()
    tab_b.keyboard.press("Control+A")
    tab_b.keyboard.press("Delete")
    with tab_b.expect_response(is_save(tab_b)) as clash:
        tab_b.keyboard.type(text_b)
        box(tab_b).blur()
    assert clash.value.status == 409, clash.value.status
    expect(tab_b.get_by_role("heading", name=CONFLICT_HEADING)).to_be_visible()
    expect(tab_b.get_by_role("heading", name=CONFLICT_HEADING)).to_be_focused()
    expect(tab_b.get_by_role("region", name="The newer saved text")).to_have_text(text_a)
    mine = tab_b.get_by_role("textbox", name="Your text from this tab (you can change it)")
    expect(mine).to_have_value(text_b)
    expect(tab_b.get_by_role("heading", name="What is different")).to_be_visible()
    expect(tab_b.locator(".portal-diff ins").first).to_be_visible()
    expect(tab_b.locator(".portal-diff del").first).to_be_visible()
    assert_accessible(tab_b, "conflict view")

    tab_b.get_by_role("button", name="Save this text").click()
    expect(tab_b).to_have_url(STATEMENT_URL)
    expect(success_banner(tab_b)).to_contain_text("Saved at")
    expect(tab_b.get_by_role("heading", name=CONFLICT_HEADING)).to_have_count(0)
    expect(box(tab_b)).to_have_value(text_b)
    assert warnings == [], f"saving the chosen text asked {warnings}: a 'leave this page?' warning"
    assert_accessible(tab_b, "statement editor after saving the tab's own text")

    # Nothing lost: both texts are in the history.
    tab_b.get_by_role("link", name="History of changes").click()
    expect(tab_b.get_by_role("heading", level=1)).to_have_text("History of changes")
    expect(tab_b.get_by_role("cell", name="Kept from a clash between two tabs")).to_be_visible()
    assert_accessible(tab_b, "history of changes")
    links = tab_b.locator("tbody a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(min(links.count(), 5))]
    texts = []
    for number, href in enumerate(hrefs):
        tab_b.goto(href)
        expect(tab_b.get_by_role("heading", level=1)).to_contain_text("Saved ")
        if number == 0:
            assert_accessible(tab_b, "a saved version")
        texts.append(tab_b.locator(".portal-chair-statement").inner_text())
    assert any(text_a in text for text in texts), texts
    assert any(text_b in text for text in texts), texts


# 3. A failed save is retried ------------------------------------------------


def test_a_failed_save_is_retried_until_it_gets_through(page: Page) -> None:
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    save_url = page.url

    def offline(route) -> None:
        if route.request.method == "POST":
            route.abort()
        else:
            route.continue_()

    page.route(save_url, offline)
    text = CURRENT_DRAFT + " Written while the network was down."
    box(page).fill(text)
    expect(status_line(page)).to_contain_text("Not saved yet")
    expect(status_line(page)).to_contain_text("Trying again")
    expect(box(page)).to_have_value(text)
    assert_accessible(page, "status line after a failed save")

    with page.expect_response(is_save(page)) as saved:
        page.unroute(save_url, offline)
    assert saved.value.status == 200
    expect(status_line(page)).to_contain_text("Saved at")
    expect(status_line(page)).to_contain_text(f"{words(text)} words")
    expect(status_line(page)).not_to_contain_text("Not saved")

    page.reload()
    expect(box(page)).to_have_value(text)


# 5. Bad input ----------------------------------------------------------------


def test_an_empty_statement_cannot_be_sent(page: Page) -> None:
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    box(page).fill("")
    page.get_by_role("button", name="Send to the Cabinet Member").click()
    expect(status_line(page)).to_contain_text("Write your statement before you send it")
    expect(page.get_by_text("Write your statement before you send it")).to_be_visible()
    expect(status_tag(page)).to_have_text("Draft")
    expect(box(page)).to_be_editable()
    assert_accessible(page, "error in the status line")

    # The chair carries on writing: the next save is saved, not a clash with their own empty save.
    text = "Our members have started planning the winter campaign."
    with page.expect_response(is_save(page)) as saved:
        box(page).fill(text)
    assert saved.value.status == 200, f"the save after the refusal answered {saved.value.status}"
    expect(status_line(page)).to_contain_text("Saved at")
    expect(status_line(page)).not_to_contain_text("Write your statement")

    page.reload()
    expect(status_tag(page)).to_have_text("Draft")
    expect(box(page)).to_have_value(text)


def test_markup_and_template_syntax_stay_literal(page: Page) -> None:
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    text = "<b>Bold claim</b> and {{7*7}} in the text."
    autosave(page, text)
    expect(box(page)).to_have_value(text)

    page.get_by_role("link", name="Preview it as it will appear in the update").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How it will appear in the update")
    statement = page.locator(".portal-chair-statement")
    expect(statement).to_contain_text("<b>Bold claim</b>")
    expect(statement).to_contain_text("{{7*7}}")
    expect(statement).not_to_contain_text("49")
    expect(statement.locator("b")).to_have_count(0)
    assert_accessible(page, "preview")


# 6. Without JavaScript ------------------------------------------------------------


def test_the_save_button_works_without_javascript(new_context) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    text = CURRENT_DRAFT + " Saved with the button, no JavaScript."
    box(page).fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page).to_have_url(STATEMENT_URL)
    expect(success_banner(page)).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))
    expect(box(page)).to_have_value(text)
    # No axe scan here: axe needs JavaScript in the page (it hangs without). The
    # same page, with the same "Saved at" banner, is scanned in the two-tab test.
    page.reload()
    expect(box(page)).to_have_value(text)


# 4. The review journey -----------------------------------------------------------


def test_the_review_journey_from_a_fact_to_accepted(page: Page) -> None:
    # The chair adds a fact from "This month in the portal".
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    facts = page.locator(".portal-facts")
    expect(page.get_by_role("heading", name="This month in the portal")).to_be_visible()
    fact = facts.locator(".portal-fact").first
    sentence = fact.locator("p").first.inner_text().strip()
    assert sentence, "no fact to add"
    expect(fact.get_by_role("link")).to_be_visible()
    with page.expect_response(is_save(page)) as saved:
        fact.get_by_role("button", name=re.compile(r"^Add to statement")).click()
    assert saved.value.status == 200
    # #14.9: the box was never clicked, so the fact goes at the end, as its own paragraph.
    expect(box(page)).to_have_value(f"{CURRENT_DRAFT}\n\n{sentence}")
    expected = f"{words(CURRENT_DRAFT) + words(sentence)} words"
    expect(status_line(page)).to_contain_text(expected)
    assert_accessible(page, "statement editor after adding a fact")
    page.reload()
    expect(box(page)).to_have_value(re.compile(re.escape(sentence)))

    # It is sent: locked for the chair.
    page.get_by_role("button", name="Send to the Cabinet Member").click()
    expect(success_banner(page)).to_contain_text("sent to the Cabinet Member")
    expect(status_tag(page)).to_have_text("Submitted")
    expect(box(page)).to_have_count(0)
    expect(page.get_by_role("button", name="Send to the Cabinet Member")).to_have_count(0)
    expect(page.locator(".portal-chair-statement")).to_contain_text(sentence)
    assert_accessible(page, "submitted statement, chair's view")
    sign_out(page)

    # The Cabinet Member asks for changes.
    sign_in(page, CABINET_MEMBER)
    expect(page.get_by_role("heading", name=re.compile("^News for you"))).to_be_visible()
    note = page.locator(".portal-notes").get_by_role("link", name=re.compile("Chair's statement .* for you to review"))
    expect(note).to_be_visible()
    assert_accessible(page, "Cabinet Member's dashboard with the note")
    note.click()
    expect(page).to_have_url(STATEMENT_URL)
    expect(status_tag(page)).to_have_text("Submitted")
    expect(page.locator(".portal-chair-statement")).to_contain_text(sentence)
    assert_accessible(page, "Cabinet Member's review page")
    comment = "Please say more about the Area of Interest programme."
    page.get_by_label("What should the Chair change?").fill(comment)
    page.get_by_role("button", name="Ask for changes").click()
    expect(success_banner(page)).to_contain_text("The Chair has been asked to make changes.")
    expect(status_tag(page)).to_have_text("Changes asked for")
    assert_accessible(page, "after asking for changes")
    sign_out(page)

    # The chair reads the comment, edits and sends again.
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    expect(status_tag(page)).to_have_text("Changes asked for")
    expect(page.locator(".govuk-inset-text")).to_contain_text(comment)
    assert_accessible(page, "editor with the Cabinet Member's comment")
    edited = box(page).input_value() + "\n\nEvery member now follows one area of the Council's work."
    autosave(page, edited)
    page.get_by_role("button", name="Send to the Cabinet Member").click()
    expect(status_tag(page)).to_have_text("Submitted")
    expect(box(page)).to_have_count(0)
    sign_out(page)

    # The Cabinet Member accepts.
    sign_in(page, CABINET_MEMBER)
    page.goto("/statements")
    page.get_by_role("link", name=ops.current_month().strftime("%B %Y")).click()
    expect(page.locator(".portal-chair-statement")).to_contain_text("Every member now follows one area")
    page.get_by_role("button", name="Accept the statement").click()
    expect(success_banner(page)).to_contain_text("The statement is accepted.")
    expect(status_tag(page)).to_have_text("Accepted")
    assert_accessible(page, "accepted statement")
    sign_out(page)

    # An officer can reopen it.
    sign_in(page, OFFICER)
    page.goto("/statements")
    page.get_by_role("link", name=ops.current_month().strftime("%B %Y")).click()
    expect(status_tag(page)).to_have_text("Accepted")
    expect(page.get_by_role("button", name="Reopen the statement")).to_be_visible()
    assert_accessible(page, "accepted statement, officer's view")


# 5b. Bad input without JavaScript ---------------------------------------------------


def test_without_javascript_an_empty_statement_is_refused_and_saving_carries_on(new_context) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, CHAIR)
    open_this_months_statement(page)
    box(page).fill("")
    page.get_by_role("button", name="Send to the Cabinet Member").click()
    expect(error_summary(page)).to_contain_text("Write your statement before you send it")
    expect(page.locator(".govuk-error-message")).to_contain_text("Write your statement before you send it")
    expect(status_tag(page)).to_have_text("Draft")

    # The chair writes something and saves: saved, not a clash with their own empty save.
    text = "Our members have started planning the winter campaign."
    box(page).fill(text)
    page.get_by_role("button", name="Save", exact=True).click()
    clash = page.get_by_role("heading", name=CONFLICT_HEADING)
    expect(success_banner(page).or_(clash)).to_be_visible()
    assert clash.count() == 0, "the chair's save clashed with their own empty save (the refused send)"
    expect(success_banner(page)).to_contain_text("Saved at")
    expect(box(page)).to_have_value(text)
