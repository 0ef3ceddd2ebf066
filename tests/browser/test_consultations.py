"""Consultations (issue "Consultations", done when) in Chromium, with an axe
check of every page visited and of every state htmx swaps in.

The journey: a partner drafts a consultation with every kind of question in
the htmx builder (adding, changing, moving and removing questions), previews
it and sends it; an officer approves it. A young person starts answering,
saves and comes back later (signing out and in again), carries on where they
left off, checks their answers, asks to be emailed and sends them. The
consultation closes (its dates moved back in the database). The officer
approves the young person's written answer with a theme in the moderation
queue (htmx) and releases the results; officers download the CSV and XLSX.
The partner reads the results (the counts and the quote), downloads the PDF
and writes "You said, we did", which an officer approves; the young person sees it on the
consultation's page and has been emailed.

Three smaller tests then walk the moderation queue's other htmx states
with the demo's waiting answers: a refused decision, the waiting count after
a decision, and an answer decided by another officer meanwhile.

Everyone has their own browser context, as they would have their own
browser. Waits are on the page's own signals (the htmx response, the live
region's announcement, a swapped-in element), never on sleeps.

Screenshots for people to look at go to /tmp/shots/consult-*.png (not the repo).
"""

from __future__ import annotations

import csv
import io
import re
import subprocess
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Consultation, Question
from portal.roles import Role
from portal.templating import local_today
from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    announcement,
    assert_accessible,
    assert_same_document,
    fill_date,
    htmx_response,
    screenshots,
    sign_in,
    sign_out,
    squash,
    success_banner,
)
from tests.conftest import PASSWORD, add_person, outbox_messages

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"  # the demo's officer (demo password)
PARTNER = "riley.partner@test.example"
PARTNER_NAME = "Riley Harper"
ORGANISATION = "Harbour Youth Spaces"
YOUNG_PERSON = "zara.q@test.example"
YOUNG_NAME = "Zara Q."

TITLE = "A new youth space in Bognor Regis"
WHY = "We are opening a youth space next year and want it to be the place you would choose to go."
WHAT_HAPPENS = "We will read every answer, choose the name and the opening times, and tell you here what we decided."

# The questions, in their final order: (kind label in the builder, prompt, extra fields).
SHORT = "What should we call the new youth space?"
LONG = "What would make the youth space feel welcoming?"
SINGLE = "How often would you go?"
MULTIPLE = "What would you like to do there?"
RATING = "How much do you want a youth space near you?"
RANKING = "Put these opening times in order"
SINGLE_OPTIONS = ["Every week", "Every month", "Hardly ever"]
MULTIPLE_OPTIONS = ["Games", "Music", "Homework help", "Cooking"]
RANKING_OPTIONS = ["After school", "Saturday", "Sunday"]
LOW, HIGH = "Not at all", "Very much"

SHORT_ANSWER = "The Harbour"
LONG_ANSWER = "Friendly staff who say hello, somewhere quiet to sit, and free hot chocolate in winter."
THEMES = "welcome, quiet space"
FEEDBACK = (
    "You told us you wanted somewhere friendly and quiet, so the space has a quiet room and staff at the door.\n\n"
    "Most of you chose after school first, so we open from 3pm on weekdays."
)

EDIT_URL = re.compile(r"/consultations/(\d+)/edit(#.*)?$")


# Set-up -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, str]:
    """A partner and a registered young person of our own, so the outbox check is theirs alone."""
    with live_server.app.app_context():
        add_person(Role.PARTNER, PARTNER, PARTNER_NAME, organisation=ORGANISATION)
        add_person(Role.YOUNG_PERSON, YOUNG_PERSON, YOUNG_NAME, age_band="14-16", district="Arun")
        db.session.remove()
    return {"partner": PARTNER, "young_person": YOUNG_PERSON}


# Helpers ------------------------------------------------------------------------------


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def builder_titles(page: Page) -> list[str]:
    return [squash(t) for t in page.locator("#questions .portal-question-list > li h3").all_inner_texts()]


def focused_id(page: Page) -> str:
    return page.evaluate("document.activeElement ? document.activeElement.id : ''")


def expect_focus(page: Page, element_id: str, after: str) -> None:
    try:
        page.wait_for_function(
            f"() => document.activeElement && document.activeElement.id === {element_id!r}", timeout=2_000
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"after {after}, focus is on #{focused_id(page) or '(nothing)'}, not #{element_id}", pytrace=False)


# The builder ----------------------------------------------------------------------------


def add_question(page: Page, kind_label: str, number: int) -> str:
    """Add a question of the kind ``kind_label`` with the builder (htmx); the new question's id ("q12")."""
    page.get_by_role("group", name="What kind of question?").get_by_label(kind_label, exact=True).check()
    response = htmx_response(
        page, lambda: page.get_by_role("button", name="Add the question").click(), r"/questions/add$", settle=True
    )
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text(f"Question {number} added: {kind_label.lower()}. Write it below.")
    expect(page.locator("#question-form-heading")).to_have_text(re.compile(rf"^Change question {number} of {number}: "))
    prompt = page.get_by_label("The question", exact=True)
    expect(prompt).to_be_focused()
    assert_same_document(page, "adding a question")
    assert_accessible(page, f"builder: question {number} ({kind_label}) just added, its form open (htmx)")
    item = page.locator("#questions .portal-question-list > li").nth(number - 1)
    return item.get_attribute("id") or ""


def save_question(
    page: Page,
    number: int,
    prompt: str,
    *,
    required: bool = True,
    help_text: str = "",
    options: list[str] | None = None,
    scale: str | None = None,
    ends: tuple[str, str] | None = None,
) -> None:
    """Fill the open question form and save it (htmx)."""
    page.get_by_label("The question", exact=True).fill(prompt)
    if help_text:
        page.get_by_label("Help text (optional)", exact=True).fill(help_text)
    if options is not None:
        page.get_by_label("Options", exact=True).fill("\n".join(options))
    if scale is not None:
        page.get_by_label("How many points on the scale?", exact=True).select_option(label=scale)
    if ends is not None:
        page.get_by_label("Words for the lowest point (1)", exact=True).fill(ends[0])
        page.get_by_label("Words for the highest point", exact=True).fill(ends[1])
    box = page.get_by_label("People must answer this question", exact=True)
    box.set_checked(required)
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name=f"Save question {number}", exact=True).click(),
        r"/questions/\d+$",
        settle=True,
    )
    assert response.status == 200, f"saving question {number}: {response.status}"
    expect(announcement(page)).to_have_text(f"Question {number} is saved.")
    expect(page.locator("#question-form-heading")).to_have_count(0)
    assert_same_document(page, "saving a question")


def build_the_questions(page: Page) -> None:
    page.evaluate("window.__sameDocument = true")

    # "Add the question" without a kind: refused in place.
    response = htmx_response(
        page, lambda: page.get_by_role("button", name="Add the question").click(), r"/questions/add$", settle=True
    )
    assert response.status == 422, response.status
    expect(page.locator("#questions .govuk-error-summary")).to_contain_text("Choose what kind of question to add")
    assert_same_document(page, "a refused add")
    assert_accessible(page, "builder: adding without a kind refused (htmx)")

    q1 = add_question(page, "Short text", 1)
    save_question(page, 1, SHORT, help_text="Something short and friendly.")
    expect_focus(page, f"{q1}-change", "saving question 1")
    assert_accessible(page, "builder after saving question 1 (htmx)")

    add_question(page, "Long text", 2)
    save_question(page, 2, LONG)
    add_question(page, "One choice from a list", 3)
    save_question(page, 3, SINGLE, options=SINGLE_OPTIONS)
    add_question(page, "Several choices from a list", 4)
    save_question(page, 4, MULTIPLE, required=False, options=MULTIPLE_OPTIONS)
    # The ranking comes before the rating for now: it is moved below.
    add_question(page, "Put options in order", 5)
    save_question(page, 5, RANKING, required=False, options=RANKING_OPTIONS)
    q6 = add_question(page, "A rating scale", 6)
    # Saved without the words for its ends: refused in place, what was typed kept.
    page.get_by_label("The question", exact=True).fill(RATING)
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Save question 6", exact=True).click(),
        r"/questions/\d+$",
        settle=True,
    )
    assert response.status == 422, response.status
    expect(page.locator("#questions .govuk-error-summary")).to_contain_text("Enter the words for the lowest point")
    expect(page.get_by_label("The question", exact=True)).to_have_value(RATING)
    expect_focus(page, "question-form-heading", "a refused save")
    assert_same_document(page, "a refused save")
    assert_accessible(page, "builder: question 6 refused, its error shown (htmx)")
    screenshots(page, "consult-builder-error")
    save_question(page, 6, RATING, scale="1 to 5", ends=(LOW, HIGH))
    expect(page.locator(f"#{q6}")).to_contain_text(f"A scale from 1 ({LOW}) to 5 ({HIGH}).")
    assert_accessible(page, "builder with six questions (htmx)")
    screenshots(page, "consult-builder")

    # Change question 3 (the form opens in place), then cancel: nothing changes.
    response = htmx_response(
        page,
        lambda: page.get_by_role("link", name="Change question 3", exact=True).click(),
        r"/questions/\d+$",
        method="GET",
        settle=True,
    )
    assert response.status == 200, response.status
    expect(page.locator("#question-form-heading")).to_have_text("Change question 3 of 6: one choice from a list")
    expect(page.get_by_label("Options", exact=True)).to_have_value("\n".join(SINGLE_OPTIONS))
    expect(page.get_by_label("The question", exact=True)).to_be_focused()
    expect(page.get_by_role("button", name="Add the question")).to_have_count(0)
    assert_accessible(page, "builder: changing question 3 (htmx)")
    q3 = page.locator("#questions .portal-question-list > li").nth(2).get_attribute("id")
    htmx_response(
        page,
        lambda: page.get_by_role("link", name="Cancel changing question 3").click(),
        r"/edit\?question=\d+$",
        method="GET",
        settle=True,
    )
    expect(page.locator("#question-form-heading")).to_have_count(0)
    expect_focus(page, f"{q3}-change", "cancelling a change")
    assert_accessible(page, "builder after cancelling a change (htmx)")

    # Change question 2: give it help text, save.
    htmx_response(
        page,
        lambda: page.get_by_role("link", name="Change question 2", exact=True).click(),
        r"/questions/\d+$",
        method="GET",
        settle=True,
    )
    save_question(page, 2, LONG, help_text="Please do not write your name.")
    expect(page.locator("#questions .portal-question-list > li").nth(1)).to_contain_text(
        "Help: Please do not write your name."
    )
    assert_accessible(page, "builder after changing question 2 (htmx)")

    # Move the rating (question 6) up: it becomes question 5.
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Move up question 6", exact=True).click(),
        r"/questions/\d+/move$",
        settle=True,
    )
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text("Question 6 moved up. It is now question 5.")
    assert builder_titles(page) == [
        "Question 1: short text Required",
        "Question 2: long text Required",
        "Question 3: one choice from a list Required",
        "Question 4: several choices from a list Optional",
        "Question 5: a rating scale Required",
        "Question 6: put options in order Optional",
    ], builder_titles(page)
    # The moved question's "Move up" button keeps the focus, named for its new place.
    expect(page.locator(f"#{q6}-up")).to_have_accessible_name("Move up question 5")
    expect_focus(page, f"{q6}-up", "moving a question up")
    assert_same_document(page, "moving a question")
    assert_accessible(page, "builder after moving a question (htmx)")

    # A seventh question, added by mistake, is removed after "Are you sure?".
    q7 = add_question(page, "Short text", 7)
    save_question(page, 7, "A question added by mistake", required=False)
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Remove question 7", exact=True).click(),
        r"/questions/\d+/delete$",
        settle=True,
    )
    assert response.status == 200, response.status
    assert asked == ["Remove question 7?"], asked
    expect(announcement(page)).to_have_text("Question 7 removed. The questions after it are numbered again.")
    expect(page.locator(f"#{q7}")).to_have_count(0)
    assert len(builder_titles(page)) == 6, builder_titles(page)
    # Focus goes to the question before it (now the last one).
    q_last = page.locator("#questions .portal-question-list > li").nth(5).get_attribute("id")
    expect_focus(page, f"{q_last}-title", "removing the last question")
    assert_same_document(page, "removing a question")
    assert_accessible(page, "builder after removing a question (htmx)")


# The journey ---------------------------------------------------------------------------


def test_a_consultation_from_request_to_you_said_we_did(
    new_page: Callable[[], Page], live_server: LiveServer, world: dict[str, str], tmp_path: Path
) -> None:
    app = live_server.app
    today = local_today()

    # 1. The partner drafts the request. -------------------------------------------------
    partner = new_page()
    sign_in(partner, PARTNER, PASSWORD)
    partner.goto("/consultations")
    expect(h1(partner)).to_have_text("Consultations")
    expect(partner.get_by_text("You have not requested a consultation yet.")).to_be_visible()
    assert_accessible(partner, "consultations, the partner's view")
    partner.get_by_role("link", name="Request a consultation").click()
    expect(partner).to_have_url(re.compile(r"/consultations/new$"))
    expect(h1(partner)).to_have_text("Request a consultation")
    expect(partner.get_by_label("Who is asking?", exact=True)).to_have_value(ORGANISATION)
    assert_accessible(partner, "new request form")

    partner.get_by_label("Title", exact=True).fill(TITLE)
    partner.get_by_label("Why are you asking?", exact=True).fill(WHY)
    partner.get_by_label("What will happen with the answers?", exact=True).fill(WHAT_HAPPENS)
    fill_date(partner, "Opening date", today)
    fill_date(partner, "Closing date", today + timedelta(days=5))
    partner.get_by_role("group", name="Who can answer?").get_by_label("Registered young people", exact=True).check()
    partner.get_by_role("button", name="Save and add questions").click()
    expect(partner).to_have_url(EDIT_URL)
    partner.wait_for_load_state("load")  # htmx is set up
    consultation_id = int(EDIT_URL.search(partner.url).group(1))  # type: ignore[union-attr]
    expect(success_banner(partner)).to_contain_text("Your request is saved as a draft. Now add the questions.")
    expect(h1(partner)).to_contain_text(TITLE)
    expect(h1(partner).locator(".govuk-tag")).to_have_text("Draft")
    expect(partner.get_by_text("There are no questions yet. Add the first one below.")).to_be_visible()
    assert_accessible(partner, "the request's edit page, no questions yet")

    # 2. Every kind of question, with the htmx builder. -----------------------------------
    build_the_questions(partner)

    # After a reload the builder shows what was saved.
    partner.reload()
    partner.wait_for_load_state("load")
    assert builder_titles(partner) == [
        "Question 1: short text Required",
        "Question 2: long text Required",
        "Question 3: one choice from a list Required",
        "Question 4: several choices from a list Optional",
        "Question 5: a rating scale Required",
        "Question 6: put options in order Optional",
    ], builder_titles(partner)

    # 3. The preview, as young people will see it. ----------------------------------------
    partner.get_by_role("link", name="Preview the questions as young people will see them").click()
    expect(partner).to_have_url(re.compile(rf"/consultations/{consultation_id}/preview$"))
    expect(h1(partner)).to_have_text(TITLE)
    preview = partner.get_by_role("form", name="Preview of the questions")
    expect(preview.get_by_label(f"Question 1 of 6: {SHORT}", exact=True)).to_be_disabled()
    expect(preview.get_by_role("group", name=f"Question 3 of 6: {SINGLE}")).to_be_visible()
    expect(preview.get_by_role("group", name=f"Question 4 of 6: {MULTIPLE} (optional)")).to_be_visible()
    expect(preview.get_by_role("radio", name=f"1 ({LOW})")).to_be_visible()
    expect(preview.get_by_role("radio", name=f"5 ({HIGH})")).to_be_visible()
    expect(preview.get_by_role("combobox", name="Position for Saturday")).to_be_disabled()
    assert_accessible(partner, "preview of the questions")
    partner.get_by_role("link", name="Change the questions").click()
    expect(partner).to_have_url(EDIT_URL)

    # 4. Sent for approval. ------------------------------------------------------------
    partner.get_by_role("button", name="Send for approval").click()
    expect(partner).to_have_url(re.compile(rf"/consultations/{consultation_id}$"))
    expect(success_banner(partner)).to_contain_text("Your request is sent.")
    expect(partner.get_by_text("This request is waiting for approval by an officer or the Chair.")).to_be_visible()
    assert_accessible(partner, "the request, waiting for approval (partner)")

    # 5. An officer approves it. ----------------------------------------------------------
    officer = new_page()
    sign_in(officer, OFFICER)
    officer.goto("/consultations")
    waiting = officer.locator("#waiting")
    expect(waiting.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    assert_accessible(officer, "consultations, the officer's view")
    waiting.get_by_role("link", name=TITLE, exact=True).click()
    expect(officer).to_have_url(re.compile(rf"/consultations/{consultation_id}$"))
    expect(officer.get_by_role("heading", name="Review this request")).to_be_visible()
    assert_accessible(officer, "the request, for review")
    officer.get_by_role("button", name="Approve the consultation").click()
    expect(success_banner(officer)).to_contain_text("The consultation is approved.")
    assert_accessible(officer, "the approved consultation (officer)")

    # 6. A young person starts answering, and saves to come back later. ----------------------
    young = new_page()
    sign_in(young, YOUNG_PERSON, PASSWORD)
    young.goto("/consultations")
    listed = young.locator("#open + ul > li").filter(has=young.get_by_role("link", name=TITLE, exact=True))
    expect(listed).to_contain_text(f"Asked by {ORGANISATION}.")
    assert_accessible(young, "consultations open for the young person")
    listed.get_by_role("link", name=TITLE, exact=True).click()
    expect(h1(young)).to_have_text(TITLE)
    assert_accessible(young, "the consultation's page, before starting")
    young.get_by_role("button", name="Start").click()
    expect(young).to_have_url(re.compile(rf"/consultations/{consultation_id}/respond$"))
    expect(young.locator("main")).to_contain_text("There are 6 questions, one on each page.")
    expect(young.locator("main")).to_contain_text(f"{ORGANISATION} will see your answers, but not your name.")
    assert_accessible(young, "start page")
    young.get_by_role("button", name="Start now").click()

    expect(young.get_by_role("heading", level=1, name=f"Question 1 of 6: {SHORT}")).to_be_visible()
    assert_accessible(young, "question 1 (short text)")
    young.get_by_label(f"Question 1 of 6: {SHORT}", exact=True).fill(SHORT_ANSWER)
    young.get_by_role("button", name="Save and continue").click()

    expect(young.get_by_role("heading", level=1, name=f"Question 2 of 6: {LONG}")).to_be_visible()
    assert_accessible(young, "question 2 (long text, with a character count)")
    young.get_by_label(f"Question 2 of 6: {LONG}", exact=True).fill(LONG_ANSWER)
    young.get_by_role("button", name="Save and come back later").click()
    expect(young).to_have_url(re.compile(rf"/consultations/{consultation_id}/respond$"))
    expect(success_banner(young)).to_contain_text("Your answers are saved. Come back before the end of")
    expect(young.locator("main")).to_contain_text("You have answered 2 of 6 questions.")
    assert_accessible(young, "start page, saved for later")
    sign_out(young)

    # 7. They come back, and carry on where they left off. --------------------------------
    sign_in(young, YOUNG_PERSON, PASSWORD)
    young.goto("/consultations")
    listed = young.locator("#open + ul > li").filter(has=young.get_by_role("link", name=TITLE, exact=True))
    expect(listed.locator(".govuk-tag")).to_have_text("Started")
    listed.get_by_role("link", name=TITLE, exact=True).click()
    young.get_by_role("button", name="Continue your answers").click()
    expect(young.locator("main")).to_contain_text("You have answered 2 of 6 questions.")
    young.get_by_role("button", name="Continue", exact=True).click()

    # Question 3, the first not answered yet; its "Back" goes to question 2, still holding the answer.
    single = young.get_by_role("group", name=f"Question 3 of 6: {SINGLE}")
    expect(single.get_by_role("heading", level=1)).to_have_text(f"Question 3 of 6: {SINGLE}")
    young.get_by_role("link", name="Back", exact=True).click()
    expect(young.get_by_label(f"Question 2 of 6: {LONG}", exact=True)).to_have_value(LONG_ANSWER)
    young.get_by_role("button", name="Save and continue").click()

    expect(single).to_be_visible()
    assert_accessible(young, "question 3 (one choice)")
    single.get_by_label("Every week", exact=True).check()
    screenshots(young, "consult-question")
    young.get_by_role("button", name="Save and continue").click()

    several = young.get_by_role("group", name=f"Question 4 of 6: {MULTIPLE} (optional)")
    expect(several).to_be_visible()
    assert_accessible(young, "question 4 (several choices)")
    several.get_by_label("Music", exact=True).check()
    several.get_by_label("Cooking", exact=True).check()
    young.get_by_role("button", name="Save and continue").click()

    rating = young.get_by_role("group", name=f"Question 5 of 6: {RATING}")
    expect(rating).to_be_visible()
    expect(young.locator("main")).to_contain_text(f"1 means ‘{LOW}’ and 5 means ‘{HIGH}’.")
    assert_accessible(young, "question 5 (rating)")
    rating.get_by_label(f"5 ({HIGH})", exact=True).check()
    young.get_by_role("button", name="Save and continue").click()

    ranking = young.get_by_role("group", name=f"Question 6 of 6: {RANKING} (optional)")
    expect(ranking).to_be_visible()
    assert_accessible(young, "question 6 (ranking)")
    for option, position in zip(RANKING_OPTIONS, ("1", "3", "2"), strict=True):
        ranking.get_by_label(f"Position for {option}", exact=True).select_option(position)
    young.get_by_role("button", name="Save and continue").click()

    # 8. Check the answers, ask to be emailed, send. -----------------------------------------
    expect(young).to_have_url(re.compile(rf"/consultations/{consultation_id}/respond/check$"))
    expect(h1(young)).to_have_text("Check your answers before sending them")
    answers = young.locator(".govuk-summary-list")
    for text in (SHORT_ANSWER, LONG_ANSWER, "Every week", "Music", "Cooking", f"5 out of 5 ({HIGH})"):
        expect(answers).to_contain_text(text)
    expect(answers.locator("ol li")).to_have_text(["After school", "Sunday", "Saturday"])
    assert_accessible(young, "check your answers")
    young.get_by_label("Email me when they say what they did with the answers", exact=True).check()
    young.get_by_role("button", name="Send my answers").click()
    expect(young).to_have_url(re.compile(rf"/consultations/{consultation_id}/respond/done$"))
    panel = young.locator(".govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    expect(panel).to_contain_text(f"Thank you for taking part in ‘{TITLE}’")
    expect(young.get_by_text("We will email you when they say what they did with the answers.")).to_be_visible()
    assert_accessible(young, "confirmation")
    sign_out(young)

    # 9. The consultation closes (its dates moved back a week). -----------------------------
    with app.app_context():
        consultation = db.session.get(Consultation, consultation_id)
        assert consultation is not None
        consultation.opens_on = today - timedelta(days=7)
        consultation.closes_on = today - timedelta(days=1)
        db.session.commit()
        long_question = db.session.scalar(
            select(Question.id).where(Question.consultation_id == consultation_id, Question.kind == "long_text")
        )
        answer_id = db.session.scalar(select(Answer.id).where(Answer.question_id == long_question))
        db.session.remove()
    assert answer_id is not None, "the young person's written answer is not stored"

    # 10. The officer approves the written answer, with themes (htmx). ----------------------
    officer.goto("/consultations/moderation")
    expect(h1(officer)).to_have_text("Moderation queue")
    item = officer.locator(f"#answer-{answer_id}")
    expect(item.get_by_role("heading", level=2)).to_have_text(f"{TITLE}: {LONG}")
    expect(item.get_by_role("region", name=re.compile(r"^Answer \d+ to check$"))).to_have_text(LONG_ANSWER)
    officer.wait_for_load_state("load")
    assert_accessible(officer, "moderation queue")
    screenshots(officer, "consult-moderation")
    officer.evaluate("window.__sameDocument = true")
    item.get_by_label("Approve: it may be quoted", exact=True).check()
    item.get_by_label(re.compile(r"^Themes for answer \d+$")).fill(THEMES)
    response = htmx_response(
        officer,
        lambda: item.get_by_role("button", name=re.compile(r"^Save the decision on answer \d+$")).click(),
        rf"/answers/{answer_id}/moderate$",
        settle=True,
    )
    assert response.status == 200, response.status
    done = officer.locator(f"#answer-{answer_id}")
    expect(done).to_have_text("Approved. Themes: welcome, quiet space.")
    expect(done.locator("p")).to_be_focused()
    assert_same_document(officer, "the moderation decision")
    assert_accessible(officer, "moderation queue after a decision (htmx)")

    # The officer releases the results, and downloads every response.
    officer.goto(f"/consultations/{consultation_id}/results")
    expect(h1(officer)).to_have_text(f"Results: {TITLE}")
    assert_accessible(officer, "results before release (officer)")
    officer.get_by_role("button", name="Release the results to the partner").click()
    expect(success_banner(officer)).to_contain_text("The results are released: the partner can see them now.")
    assert_accessible(officer, "results after release (officer)")

    with officer.expect_download() as csv_download:
        officer.get_by_role("link", name="Every response as a CSV file").click()
    csv_path = tmp_path / csv_download.value.suggested_filename
    csv_download.value.save_as(csv_path)
    assert csv_path.name == "a-new-youth-space-in-bognor-regis-responses.csv", csv_path.name
    table = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    assert len(table) == 2, f"the CSV should hold the header and one response:\n{table}"
    header, row = table
    cells = dict(zip(header, row, strict=True))
    assert cells[f"Q1: {SHORT}"] == SHORT_ANSWER, cells
    assert cells[f"Q2: {LONG}"] == LONG_ANSWER, cells
    assert cells[f"Q3: {SINGLE}"] == "Every week", cells
    assert cells[f"Q4: {MULTIPLE}"] == "Music; Cooking", cells
    assert cells[f"Q5: {RATING}"] == "5", cells
    assert [cells[f"Q6 position of: {option}"] for option in RANKING_OPTIONS] == ["1", "3", "2"], cells
    assert cells["Age band"] == "14-16" and cells["District"] == "Arun", cells

    # The spreadsheet is made on the queue (at once here; tests/browser/test_spreadsheet.py waits for a worker).
    officer.get_by_role("link", name="Every response as a spreadsheet (XLSX)").click()
    expect(h1(officer)).to_have_text("Spreadsheet of every response")
    assert_accessible(officer, "spreadsheet of every response: ask for one")
    officer.get_by_role("button", name="Make the spreadsheet").click()
    expect(officer.locator("#spreadsheet-status")).to_contain_text("The spreadsheet is ready: 1 response")
    assert_accessible(officer, "spreadsheet of every response: ready")
    with officer.expect_download() as xlsx_download:
        officer.get_by_role("link", name=re.compile(r"^Download the spreadsheet \(XLSX, \d+ KB\)$")).click()
    xlsx_path = tmp_path / xlsx_download.value.suggested_filename
    xlsx_download.value.save_as(xlsx_path)
    assert xlsx_path.suffix == ".xlsx", xlsx_path.name
    sheet = load_workbook(xlsx_path, read_only=True)["Responses"]
    sheet_rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert len(sheet_rows) == 2, sheet_rows
    assert sheet_rows[1][header.index(f"Q2: {LONG}")] == LONG_ANSWER, sheet_rows

    # 11. The partner reads the results and downloads the PDF. ------------------------------
    partner.goto(f"/consultations/{consultation_id}")
    expect(partner.locator("#take-part")).to_contain_text("This consultation closed on")
    partner.get_by_role("link", name="Results", exact=True).click()
    expect(partner).to_have_url(re.compile(rf"/consultations/{consultation_id}/results$"))
    expect(h1(partner)).to_have_text(f"Results: {TITLE}")
    main = partner.locator("main")
    expect(main).to_contain_text("1 person has answered.")
    expect(partner.get_by_role("link", name="Every response as a CSV file")).to_have_count(0)

    def section(prompt: str) -> Locator:
        return partner.get_by_role("region", name=re.compile(rf"^Question \d: {re.escape(prompt)}$"))

    expect(section(SHORT)).to_contain_text("1 person answered this question.")
    expect(section(LONG).locator("blockquote")).to_have_text(LONG_ANSWER)
    expect(section(SHORT)).to_contain_text("No answers have been checked for quoting yet.")
    every_week = section(SINGLE).get_by_role("row", name=re.compile(r"^Every week"))
    expect(every_week.get_by_role("cell")).to_have_text(["1", "100%"])
    expect(section(RATING)).to_contain_text("The average rating is 5.0 out of 5.")
    expect(section(RANKING).get_by_role("row").nth(1).get_by_role("rowheader")).to_have_text("After school")
    # Every chart loads (they load lazily, as they scroll into view).
    charts = partner.locator("img.portal-chart")
    expect(charts).to_have_count(3)  # one choice, several choices, the rating
    for n in range(3):
        chart = charts.nth(n)
        chart.scroll_into_view_if_needed()
        partner.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=chart.element_handle())
    partner.wait_for_load_state("load")
    assert_accessible(partner, "results (partner)")
    screenshots(partner, "consult-results")

    with partner.expect_download() as pdf_download:
        partner.get_by_role("link", name="The results as a PDF").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.read_bytes().startswith(b"%PDF-"), pdf_path.name
    pdf_text = squash(
        subprocess.run(
            ["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], check=True, capture_output=True, text=True
        ).stdout
    )
    for text in (f"Results: {TITLE}", f"Question 2: {LONG}", LONG_ANSWER, f"Question 6: {RANKING}"):
        assert text in pdf_text, f"{text!r} is not in the PDF:\n{pdf_text}"

    # 12. The partner writes "You said, we did"; an officer checks and publishes it (#13.5). ----
    partner.goto(f"/consultations/{consultation_id}")
    partner.get_by_role("link", name="You said, we did: write or change it").click()
    expect(h1(partner)).to_have_text("You said, we did")
    assert_accessible(partner, "You said, we did form")
    partner.get_by_label("What did you do with the answers?", exact=True).fill(FEEDBACK)
    partner.get_by_role("button", name="Send it to be checked", exact=True).click()
    expect(success_banner(partner)).to_contain_text("Sent to an officer to check.")
    expect(partner.get_by_role("heading", name="Waiting for an officer’s approval")).to_be_visible()
    assert_accessible(partner, "You said, we did waiting for approval (partner)")

    officer.goto(f"/consultations/{consultation_id}/feedback")
    expect(officer.get_by_role("heading", name="Waiting for an officer’s approval")).to_be_visible()
    assert_accessible(officer, "You said, we did to approve (officer)")
    officer.get_by_role("button", name="Approve and publish").click()
    expect(officer).to_have_url(re.compile(rf"/consultations/{consultation_id}#you-said-we-did$"))
    expect(success_banner(officer)).to_contain_text(
        "Published on the consultation's page. The partner has been told, and the people who asked to be told "
        "have been emailed."
    )
    assert_accessible(officer, "the consultation's page with You said, we did (officer)")

    # 13. The young person sees it, and was emailed. ---------------------------------------
    sign_in(young, YOUNG_PERSON, PASSWORD)
    young.goto(f"/consultations/{consultation_id}")
    said = young.get_by_role("region", name="You said, we did")
    expect(said.get_by_role("heading", level=2)).to_have_text("You said, we did")
    expect(said.locator("p.govuk-body")).to_have_text(FEEDBACK.split("\n\n"))
    expect(said).to_contain_text(f"From {ORGANISATION},")
    expect(young.locator("#take-part")).to_contain_text("This consultation closed on")
    assert_accessible(young, "the consultation's page with You said, we did (young person)")

    mails = [m for m in outbox_messages(app) if m["Subject"] == "You said, we did"]
    assert [m["To"] for m in mails] == [YOUNG_PERSON], [(m["To"], m["Subject"]) for m in outbox_messages(app)]
    body = mails[0].get_content()
    assert f"have said what they did with the answers to “{TITLE}”" in body, body
    assert f"{live_server.url}/consultations/{consultation_id}#you-said-we-did" in body, body


# The moderation queue's htmx states ---------------------------------------------------------


def moderation_item(page: Page, text: str) -> Locator:
    """The demo's answer waiting in the queue whose words are ``text``."""
    return page.locator("#moderation-queue .portal-moderation-item").filter(
        has=page.get_by_role("region", name=re.compile(r"^Answer \d+ to check$")).filter(has_text=text)
    )


def test_a_refused_moderation_decision_is_shown_in_place_of_that_answer(
    page: Page, live_server: LiveServer, world: dict[str, str]
) -> None:
    """Hiding without a reason is refused (422): htmx swaps that answer back, with the error, and nothing else."""
    sign_in(page, OFFICER)
    page.goto("/consultations/moderation")
    page.wait_for_load_state("load")
    item = moderation_item(page, "Use pictures of real young people")
    expect(item).to_have_count(1)
    answer_id = (item.get_attribute("id") or "").removeprefix("answer-")
    waiting_before = page.locator("#moderation-queue .portal-moderation-item").count()
    page.evaluate("window.__sameDocument = true")

    item.get_by_label("Hide it", exact=True).check()
    item.get_by_label(re.compile(r"^Themes for answer \d+$")).fill("pictures")
    response = htmx_response(
        page,
        lambda: item.get_by_role("button", name=re.compile(r"^Save the decision on answer \d+$")).click(),
        rf"/answers/{answer_id}/moderate$",
        settle=True,
    )
    assert response.status == 422, response.status
    assert_same_document(page, "a refused moderation decision")
    queues = page.locator("#moderation-queue").count()
    copies = page.locator(f"#answer-{answer_id}").count()
    items = page.locator(".portal-moderation-item").count()
    assert (queues, copies, items) == (1, 1, waiting_before), (
        "a refused moderation decision (htmx, 422) swaps the whole queue block into the place of the one "
        f"answer: the page now has {queues} #moderation-queue, {copies} #answer-{answer_id} and {items} answers "
        f"(was 1, 1 and {waiting_before}): the other answers, their forms and their ids are there twice "
        "(portal/consultations/results/routes.py, moderate(): the 422 renders block 'queue' into hx-target #answer-N)"
    )
    error = page.locator(f"#reason-{answer_id}-error")
    expect(error).to_contain_text("Say why you are hiding this answer")
    expect(page.locator(f"#themes-{answer_id}")).to_have_value("pictures")
    assert_accessible(page, "moderation queue, a decision refused (htmx)")


def test_the_waiting_count_goes_down_after_an_htmx_decision(
    page: Page, live_server: LiveServer, world: dict[str, str]
) -> None:
    """After an answer is decided in place, the queue's status line no longer counts it."""
    sign_in(page, OFFICER)
    page.goto("/consultations/moderation")
    page.wait_for_load_state("load")
    status = page.locator("#moderation-queue [role=status]")
    match = re.fullmatch(r"(\d+) answers? (?:is|are) waiting\.", squash(status.inner_text()))
    assert match, status.inner_text()
    before = int(match.group(1))
    item = moderation_item(page, "It's fine.")
    answer_id = (item.get_attribute("id") or "").removeprefix("answer-")
    item.get_by_label("Approve: it may be quoted", exact=True).check()
    response = htmx_response(
        page,
        lambda: item.get_by_role("button", name=re.compile(r"^Save the decision on answer \d+$")).click(),
        rf"/answers/{answer_id}/moderate$",
        settle=True,
    )
    assert response.status == 200, response.status
    expect(page.locator(f"#answer-{answer_id}")).to_contain_text("Approved.")
    after = before - 1
    expected = f"{after} {'answer is' if after == 1 else 'answers are'} waiting."
    assert squash(status.inner_text()) == expected, (
        f"after an answer is approved in place (htmx), the queue still says {status.inner_text()!r}, "
        f"not {expected!r}: the count is not swapped with the decision"
    )


def test_an_answer_decided_by_another_officer_says_so_without_nesting_the_page(
    page: Page, live_server: LiveServer, world: dict[str, str]
) -> None:
    """Approved meanwhile (another officer): the htmx decision says so, and the page is not swapped into itself."""
    sign_in(page, OFFICER)
    page.goto("/consultations/moderation")
    page.wait_for_load_state("load")
    item = moderation_item(page, "Open Door Minds is a bit long")
    expect(item).to_have_count(1)
    answer_id = int((item.get_attribute("id") or "").removeprefix("answer-"))
    with live_server.app.app_context():
        answer = db.session.get(Answer, answer_id)
        assert answer is not None
        answer.moderation = "approved"  # another officer got there first
        db.session.commit()
        db.session.remove()
    item.get_by_label("Approve: it may be quoted", exact=True).check()
    htmx_response(
        page,
        lambda: item.get_by_role("button", name=re.compile(r"^Save the decision on answer \d+$")).click(),
        rf"/answers/{answer_id}/moderate$",
        settle=True,
    )
    expect(page.get_by_text("That answer has already been moderated, perhaps by another officer.")).to_be_visible()
    headers = page.locator("header.govuk-header, .govuk-header").count()
    mains = page.locator("main").count()
    h1s = page.get_by_role("heading", level=1).count()
    assert (headers, mains, h1s) == (1, 1, 1), (
        "when the answer was decided elsewhere, the htmx decision follows the redirect and swaps the whole "
        f"moderation page (its header, menu and footer) into the answer's place: {headers} headers, {mains} <main>, "
        f"{h1s} <h1> (portal/consultations/results/routes.py, moderate(): redirect for an htmx request)"
    )
    assert_accessible(page, "moderation queue, an answer decided elsewhere (htmx)")
