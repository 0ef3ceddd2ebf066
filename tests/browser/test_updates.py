"""The Cabinet Member's monthly update (issue "Cabinet Member's update") in
Chromium, with an axe check of every page visited and of every state htmx
swaps in.

The journey: a Cabinet Member holding the Children and Young People
portfolio starts an update, fills in its details, writes numbered paragraphs
(one with bullets, nested), adds a section and a paragraph, moves a
paragraph, previews it with the Chair's accepted statement at the end, and
publishes it. A visitor then finds it in the archive and by search, and
downloads the PDF and the Word file, whose text must hold the paragraphs in
order, with their numbers, then the Chair's statement.

The people and the accepted statement are set up in the database (module
scope: the live server, and so the demo world, is shared by this module's
tests). Waits are on the editor's own signals (the save's response, the status
line "Saved at", the live region), never on sleeps.

Screenshots for people to look at go to /tmp/shots/updates-*.png (not the repo).
"""

from __future__ import annotations

import re
import subprocess
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from docx import Document
from playwright.sync_api import Locator, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import CabinetUpdate, ChairStatement, Portfolio, StatementReview, StatementStatus, User
from portal.roles import Role
from portal.statements import operations as statement_ops
from portal.templating import long_date
from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    DESKTOP,
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
from tests.conftest import PASSWORD, add_person

pytestmark = pytest.mark.browser

CABINET_MEMBER = "morgan.price@test.example"
CABINET_MEMBER_NAME = "Morgan Price"
CHAIR = "chair@demo.example"
PORTFOLIO = "Children and Young People"
STATEMENT_HEADING = "Statement from the Chair of West Sussex Youth Cabinet"

STATEMENT_TEXT = (
    "Our members spent this month listening to young people in every district about buses to college.\n"
    "\n"
    "Thank you to the officers who helped us run the survey in schools."
)

TITLE = "Update to the County Council from the Cabinet Member"

# Paragraph texts, named by the place each ends up in after the move.
FIRST = "I am pleased to report that the family hubs in Crawley opened their doors this month."
SECOND = "Our work this month:\n\n- first thing we finished\n- second thing we started\n  - a nested thing inside it"
SECOND_LEAD = "Our work this month:"
BULLETS = ["first thing we finished", "second thing we started", "a nested thing inside it"]
THIRD = "The Youth Cabinet met the Director of Children's Services in Horsham to plan the winter campaign."

EDIT_URL = re.compile(r"/updates/(\d+)/edit(#.*)?$")


# Set-up in the database -------------------------------------------------------


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, date]:
    """A Cabinet Member holding the Children and Young People portfolio, a chair,
    and this month's Chair's statement, accepted, with ``STATEMENT_TEXT``."""
    with live_server.app.app_context():
        member = add_person(
            Role.CABINET_MEMBER, CABINET_MEMBER, CABINET_MEMBER_NAME, job_title=f"Cabinet Member for {PORTFOLIO}"
        )
        portfolio = db.session.scalar(select(Portfolio).where(Portfolio.name == PORTFOLIO))
        if portfolio is None:
            portfolio = Portfolio(name=PORTFOLIO, description="Children's services and the Youth Cabinet.")
            db.session.add(portfolio)
        portfolio.cabinet_member_id = member.id

        chair = db.session.scalar(select(User).where(User.email == CHAIR))
        if chair is None:
            chair = db.session.get(User, add_person(Role.CHAIR, CHAIR, "Daisy").id)
        assert chair.role == Role.CHAIR.value

        month = statement_ops.current_month()
        statement = statement_ops.find(month)
        if statement is None:
            statement = ChairStatement(month=month, created_by_id=chair.id)
            db.session.add(statement)
            db.session.flush()
        db.session.execute(delete(StatementReview).where(StatementReview.statement_id == statement.id))
        now = datetime.now(UTC)
        statement.text = STATEMENT_TEXT
        statement.version = (statement.version or 1) + 1
        statement.status = StatementStatus.ACCEPTED.value
        statement.updated_by_id = chair.id
        statement.updated_at = statement.submitted_at = statement.accepted_at = now
        db.session.add(StatementReview(statement_id=statement.id, action="submitted", actor_id=chair.id, at=now))
        db.session.add(StatementReview(statement_id=statement.id, action="accepted", actor_id=member.id, at=now))
        db.session.commit()
        db.session.remove()
    return {"month": month}


# Helpers ------------------------------------------------------------------------------


def paragraph_box(page: Page, number: int) -> Locator:
    return page.get_by_role("textbox", name=f"Paragraph {number}", exact=True)


def paragraph_id(box: Locator) -> str:
    """ "p12" for the textarea "p12-text"."""
    return (box.get_attribute("id") or "").removesuffix("-text")


def paragraph_labels(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("#update-document .portal-update-paragraph label").all_inner_texts()]


def autosave(page: Page, number: int, text: str, *, typed: bool = False) -> None:
    """Write paragraph ``number`` and wait for its autosave and its "Saved at" line."""
    box = paragraph_box(page, number)
    pid = paragraph_id(box)
    if typed:
        expect(box).to_be_focused()

    def write() -> None:
        if typed:  # focus is already in the box: type as a person would
            page.keyboard.type(text)
        else:
            box.fill(text)

    response = htmx_response(page, write, rf"/paragraphs/{pid[1:]}$")
    assert response.status == 200, response.status
    expect(page.locator(f"#{pid}-status")).to_contain_text(re.compile(r"Saved at \d\d:\d\d"))
    expect(box).to_have_value(text)


def positions(text: str, pieces: list[str]) -> list[int]:
    """Where each piece is found in ``text``, each searched after the one before."""
    found = []
    start = 0
    for piece in pieces:
        at = text.find(piece, start)
        assert at >= 0, f"{piece!r} is missing, or out of order, in:\n{text}"
        found.append(at)
        start = at + len(piece)
    return found


# The journey --------------------------------------------------------------------


def test_a_cabinet_member_writes_moves_previews_and_publishes_and_a_visitor_downloads_it(
    page: Page, world: dict[str, date], tmp_path: Path
) -> None:
    month = world["month"]
    month_label = month.strftime("%B %Y")
    meeting = month + timedelta(days=19)

    # 1. The Cabinet Member starts a new update. -----------------------------------------
    sign_in(page, CABINET_MEMBER, PASSWORD)
    assert_accessible(page, "Cabinet Member's dashboard")
    page.goto("/updates/yours")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your updates")
    expect(page.get_by_text("There are no updates yet.")).to_be_visible()
    assert_accessible(page, "your updates, none yet")
    page.get_by_role("button", name="Start a new update").click()
    expect(page).to_have_url(EDIT_URL)
    page.wait_for_load_state("load")  # htmx and the autosave script are set up
    update_id = int(EDIT_URL.search(page.url).group(1))  # type: ignore[union-attr]
    expect(success_banner(page)).to_contain_text("Your new update is ready to write.")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Draft")
    assert paragraph_labels(page) == ["Paragraph 1"]
    assert_accessible(page, "the new update's editor")

    # 2. Details: title, meeting date, this month's statement. ----------------------
    # What they say is shown; their form folds away under "Change the details" (#14.14).
    details = page.locator("#details-change")
    expect(page.locator(".portal-update-summary").first).to_contain_text("Not given yet: it is needed to publish")
    expect(page.get_by_label("Title", exact=True)).to_be_hidden()
    details.get_by_text("Change the details").click()
    page.get_by_label("Title", exact=True).fill(TITLE)
    fill_date(page, "Date of the council meeting", meeting)
    statement_choice = page.get_by_label("Chair's statement to add at the end", exact=True)
    statement_choice.select_option(label=f"{month_label} (accepted)")
    page.get_by_role("button", name="Save the details").click()
    expect(success_banner(page)).to_contain_text("The details are saved.")
    expect(page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(page.locator(".portal-update-summary").first).to_contain_text(long_date(meeting))
    expect(page.get_by_label("Title", exact=True)).to_have_value(TITLE)
    expect(statement_choice).to_have_value(month.strftime("%Y-%m"))
    page.wait_for_load_state("load")
    assert_accessible(page, "editor after saving the details")

    # The sidebar says the month's statement is accepted.
    sidebar = page.locator(".govuk-grid-column-one-third")
    expect(sidebar.get_by_role("heading", name="The Chair's statement")).to_be_visible()
    expect(sidebar.locator(".govuk-tag").first).to_have_text("Accepted")
    expect(sidebar).to_contain_text(
        f"The statement for {month_label} will be added at the end, under “{STATEMENT_HEADING}”."
    )

    # From here on, every change is made without a page load.
    page.evaluate("window.__sameDocument = true")

    # 3. Paragraph 1, with bullets, autosaves. -------------------------------------------
    autosave(page, 1, SECOND)
    first_id = paragraph_id(paragraph_box(page, 1))
    assert_same_document(page, "the autosave")
    assert_accessible(page, "editor after an autosave (htmx)")

    # 4. A second section, "Youth Cabinet", and its paragraph. ---------------------------
    page.get_by_label("Heading of the new section", exact=True).fill("Youth Cabinet")
    response = htmx_response(page, lambda: page.get_by_role("button", name="Add the section").click(), r"/sections$")
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text("Section “Youth Cabinet” added at the end.")
    expect(page.locator("#update-document h3").filter(has_text="Section 2")).to_have_text("Section 2: Youth Cabinet")
    expect(page.get_by_role("textbox", name="Heading of section 2", exact=True)).to_be_focused()
    # (The "Add a section" box still holding the heading just added is a bug: see
    # test_the_new_section_box_is_empty_after_a_section_is_added.)
    assert paragraph_labels(page) == ["Paragraph 1", "Paragraph 2"]
    expect(paragraph_box(page, 1)).to_have_value(SECOND)
    assert_same_document(page, "adding a section")
    assert_accessible(page, "editor after adding a section (htmx)")

    autosave(page, 2, THIRD)
    third_id = paragraph_id(paragraph_box(page, 2))
    assert_accessible(page, "editor after the second section's autosave (htmx)")

    # 5. Another paragraph in section 1: it becomes paragraph 2, the Youth Cabinet's is 3.
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Add a paragraph to section 1").click(),
        r"/sections/\d+/paragraphs$",
    )
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text("Paragraph 2 added.")
    expect(paragraph_box(page, 2)).to_be_focused()
    expect(paragraph_box(page, 2)).to_have_value("")
    expect(paragraph_box(page, 3)).to_have_value(THIRD)
    assert paragraph_id(paragraph_box(page, 3)) == third_id
    assert paragraph_labels(page) == ["Paragraph 1", "Paragraph 2", "Paragraph 3"]
    assert_same_document(page, "adding a paragraph")
    assert_accessible(page, "editor after adding a paragraph (htmx)")

    # The focus is in the new box: type into it; the swapped-in form autosaves too.
    autosave(page, 2, FIRST, typed=True)
    new_id = paragraph_id(paragraph_box(page, 2))

    # 6. Move paragraph 1 (the bullets) down: it becomes paragraph 2. ------------------
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Move down paragraph 1", exact=True).click(),
        r"/paragraphs/\d+/move$",
    )
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text("Paragraph 1 moved down. It is now paragraph 2.")
    expect(paragraph_box(page, 1)).to_have_value(FIRST)
    expect(paragraph_box(page, 2)).to_have_value(SECOND)
    expect(paragraph_box(page, 3)).to_have_value(THIRD)
    assert [paragraph_id(paragraph_box(page, n)) for n in (1, 2, 3)] == [new_id, first_id, third_id]
    assert paragraph_labels(page) == ["Paragraph 1", "Paragraph 2", "Paragraph 3"]
    # The buttons name the new numbers, and focus is back on the same button of the moved paragraph.
    moved_down = page.locator(f"#{first_id}-down")
    expect(moved_down).to_have_accessible_name("Move down paragraph 2")
    expect(moved_down).to_be_focused()
    expect(page.get_by_role("button", name="Move up paragraph 1", exact=True)).to_have_count(0)
    expect(page.get_by_role("button", name="Move down paragraph 3", exact=True)).to_have_count(0)
    assert_same_document(page, "moving a paragraph")
    assert_accessible(page, "editor after moving a paragraph (htmx)")

    # After a reload the order and the texts are the saved ones.
    page.reload()
    page.wait_for_load_state("load")
    for number, text in ((1, FIRST), (2, SECOND), (3, THIRD)):
        expect(paragraph_box(page, number)).to_have_value(text)
    screenshots(page, "updates-editor")

    # 7. The preview: the paragraphs, numbered, then the Chair's statement. ---------------
    page.get_by_role("link", name="Preview the whole update").click()
    expect(page).to_have_url(re.compile(rf"/updates/{update_id}/preview$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    document = page.locator(".portal-update-document")
    items = document.locator("ol.portal-update-paragraphs > li")
    expect(items).to_have_count(3)
    assert [items.nth(i).get_attribute("value") for i in range(3)] == ["1", "2", "3"]
    expect(items.nth(0)).to_have_text(FIRST)
    expect(items.nth(1).locator("p")).to_have_text(SECOND_LEAD)
    expect(items.nth(1).locator("ul > li")).to_have_count(3)
    expect(items.nth(1).locator("ul ul > li")).to_have_text(BULLETS[2])
    expect(items.nth(2)).to_have_text(THIRD)
    expect(document.locator("h2")).to_have_text(["Introduction", "Youth Cabinet", STATEMENT_HEADING])
    statement = document.locator("#chair-statement")
    expect(statement.get_by_role("heading", level=2)).to_have_text(STATEMENT_HEADING)
    expect(statement.locator("p")).to_have_text(STATEMENT_TEXT.split("\n\n"))
    expect(page.get_by_text("The Chair's statement is not accepted yet")).to_have_count(0)
    expect(page.locator(".govuk-warning-text")).to_have_count(0)
    after_paragraphs = page.evaluate(
        """() => {
            const last = document.querySelector('ol.portal-update-paragraphs:last-of-type > li:last-child');
            const heading = document.querySelector('#chair-statement-title');
            return Boolean(last.compareDocumentPosition(heading) & Node.DOCUMENT_POSITION_FOLLOWING);
        }"""
    )
    assert after_paragraphs, "the Chair's statement is not after the paragraphs"
    assert_accessible(page, "preview")

    # 8. Publish: the statement is accepted, so there is nothing to tick. -----------------
    page.get_by_role("link", name="Back to the editor").click()
    expect(page).to_have_url(EDIT_URL)
    page.get_by_role("link", name="Publish", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/updates/{update_id}/publish$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish the update")
    summary = page.locator(".govuk-summary-list")
    expect(summary).to_contain_text(long_date(meeting))
    expect(summary).to_contain_text(f"{month_label}, accepted: it is added at the end")
    expect(page.get_by_label("Publish without the Chair's statement")).to_have_count(0)
    assert_accessible(page, "publish page")
    page.get_by_role("button", name="Publish", exact=True).click()

    version_url = re.compile(rf"/updates/{update_id}/v1$")
    expect(page).to_have_url(version_url)
    expect(success_banner(page)).to_contain_text("Published as version 1.")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".portal-update-document ol.portal-update-paragraphs > li")).to_have_text(
        [FIRST, re.compile(re.escape(SECOND_LEAD)), THIRD]
    )
    expect(page.locator("#chair-statement")).to_contain_text(STATEMENT_TEXT.split("\n\n")[0])
    assert_accessible(page, "published page, the Cabinet Member's view")

    # The editor now offers a correction instead of the boxes.
    page.goto(f"/updates/{update_id}/edit")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Published")
    expect(page.get_by_role("button", name="Make a correction")).to_be_visible()
    expect(page.get_by_role("textbox", name="Paragraph 1", exact=True)).to_have_count(0)
    assert_accessible(page, "editor of the published update")
    sign_out(page)

    # 9. A visitor finds it in the archive. ---------------------------------------------
    page.goto("/updates")
    expect(page.get_by_role("heading", level=1)).to_have_text("The Cabinet Member's updates")
    expect(page.get_by_role("heading", level=2, name=str(meeting.year))).to_be_visible()
    expect(page.get_by_role("heading", level=3, name=meeting.strftime("%B %Y"))).to_be_visible()
    listed = page.locator(".portal-update-list li").filter(has=page.get_by_role("link", name=TITLE, exact=True))
    expect(listed).to_contain_text(f"For the council meeting on {long_date(meeting)}, by {CABINET_MEMBER_NAME}")
    assert_accessible(page, "archive")
    page.get_by_role("link", name=TITLE, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/updates/{update_id}$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".portal-update-meeting")).to_contain_text(f"on {long_date(meeting)}")
    expect(page.get_by_role("link", name="Open it in the editor")).to_have_count(0)
    assert_accessible(page, "published page, a visitor's view")
    screenshots(page, "updates-published")

    # The PDF and the Word file.
    with page.expect_download() as pdf_download:
        page.get_by_role("link", name="Download as PDF").click()
    pdf_path = tmp_path / pdf_download.value.suggested_filename
    pdf_download.value.save_as(pdf_path)
    assert pdf_path.suffix == ".pdf" and pdf_path.name.endswith("-v1.pdf"), pdf_path.name
    assert pdf_path.read_bytes().startswith(b"%PDF-")

    with page.expect_download() as docx_download:
        page.get_by_role("link", name="Download as a Word document").click()
    docx_path = tmp_path / docx_download.value.suggested_filename
    docx_download.value.save_as(docx_path)
    assert docx_path.name.endswith("-v1.docx"), docx_path.name

    # The page to print (A4).
    page.get_by_role("link", name="Page to print (A4)").click()
    expect(page).to_have_url(re.compile(rf"/updates/{update_id}/v1/print$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator("ol.portal-update-paragraphs > li")).to_have_count(3)
    expect(page.locator("#chair-statement-title")).to_have_text(STATEMENT_HEADING)
    assert_accessible(page, "page to print (A4)")

    # And by search.
    page.goto("/updates/search?q=family+hubs+Crawley")
    results = page.locator("main")
    expect(results.get_by_role("link", name=TITLE, exact=True)).to_be_visible()
    assert_accessible(page, "search results")

    # 10. The PDF's text: 1, 2, 3 before their paragraphs, bullets inside 2, then the statement.
    pdf_text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf_path), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = squash(pdf_text)
    first_words = " ".join(FIRST.split()[:6])
    third_words = " ".join(THIRD.split()[:6])
    found = positions(
        flat,
        [
            TITLE,
            "Introduction",
            f"1 {first_words}",
            f"2 {SECOND_LEAD}",
            f"• {BULLETS[0]}",
            f"• {BULLETS[1]}",
            f"◦ {BULLETS[2]}",  # nested: a circle (update-print.css)
            "Youth Cabinet",
            f"3 {third_words}",
            "With my best wishes.",
            STATEMENT_HEADING,
            squash(STATEMENT_TEXT.split("\n\n")[0]),
            squash(STATEMENT_TEXT.split("\n\n")[1]),
        ],
    )
    assert found == sorted(found)
    for text in (FIRST, THIRD):
        assert squash(text) in flat, f"{text!r} is not whole in the PDF:\n{pdf_text}"
    # Each paragraph number once, next to its paragraph: no "1." or doubled "1 1".
    assert not re.search(r"(?<!\d)([123])\.? \1 ", flat), flat

    # 11. The Word file: the same order.
    docx = Document(str(docx_path))
    lines = [(p.style.name, p.text) for p in docx.paragraphs if p.text.strip()]
    texts = [text for _, text in lines]
    found = positions(
        "\n".join(texts),
        [
            TITLE,
            "Introduction",
            f"1\t{FIRST}",
            f"2\t{SECOND_LEAD}",
            *BULLETS,
            "Youth Cabinet",
            f"3\t{THIRD}",
            STATEMENT_HEADING,
            *STATEMENT_TEXT.split("\n\n"),
        ],
    )
    assert found == sorted(found)
    styles = {text: style for style, text in lines}
    assert styles[BULLETS[0]] == "List Bullet", lines
    assert styles[BULLETS[1]] == "List Bullet", lines
    assert styles[BULLETS[2]] == "List Bullet 2", lines
    assert styles[STATEMENT_HEADING] == "Heading 1", lines
    assert styles["Youth Cabinet"] == "Heading 1", lines


# Without JavaScript -----------------------------------------------------------------


def test_without_javascript_paragraphs_save_with_the_button_and_move_with_the_form(
    new_context, world: dict[str, date]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, CABINET_MEMBER, PASSWORD)
    page.goto("/updates/yours")
    page.get_by_role("button", name="Start a new update").click()
    expect(page).to_have_url(EDIT_URL)
    # No axe scan here: axe needs JavaScript in the page. The same pages are
    # scanned in the journey above.

    paragraph_box(page, 1).fill(FIRST)
    page.get_by_role("button", name="Save paragraph 1", exact=True).click()
    expect(page).to_have_url(re.compile(r"/updates/\d+/edit(#p\d+)?$"))
    expect(success_banner(page)).to_contain_text(re.compile(r"Paragraph saved at \d\d:\d\d\."))
    expect(paragraph_box(page, 1)).to_have_value(FIRST)

    page.get_by_role("button", name="Add a paragraph to section 1").click()
    expect(success_banner(page)).to_contain_text("Paragraph 2 added.")
    paragraph_box(page, 2).fill(THIRD)
    page.get_by_role("button", name="Save paragraph 2", exact=True).click()
    expect(success_banner(page)).to_contain_text("Paragraph saved at")
    assert paragraph_labels(page) == ["Paragraph 1", "Paragraph 2"]

    page.get_by_role("button", name="Move up paragraph 2", exact=True).click()
    expect(success_banner(page)).to_contain_text("Paragraph 2 moved up. It is now paragraph 1.")
    expect(paragraph_box(page, 1)).to_have_value(THIRD)
    expect(paragraph_box(page, 2)).to_have_value(FIRST)
    assert paragraph_labels(page) == ["Paragraph 1", "Paragraph 2"]


# Small extras -----------------------------------------------------------------------


def start_an_update(page: Page) -> int:
    """Sign in as the Cabinet Member and start a new update; its id."""
    sign_in(page, CABINET_MEMBER, PASSWORD)
    page.goto("/updates/yours")
    page.get_by_role("button", name="Start a new update").click()
    expect(page).to_have_url(EDIT_URL)
    page.wait_for_load_state("load")
    return int(EDIT_URL.search(page.url).group(1))  # type: ignore[union-attr]


def test_deleting_a_paragraph_asks_first_and_renumbers(page: Page, world: dict[str, date]) -> None:
    start_an_update(page)
    autosave(page, 1, FIRST)
    htmx_response(
        page, lambda: page.get_by_role("button", name="Add a paragraph to section 1").click(), r"/paragraphs$"
    )
    autosave(page, 2, THIRD, typed=True)
    page.evaluate("window.__sameDocument = true")

    # Dismissed: nothing is deleted, nothing is sent.
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    # The question comes once any save still queued ahead of it has finished (one queue for the
    # document): wait for the dialog itself. A dialog is not in the page, so expect() cannot see it.
    with page.expect_event("dialog"):
        page.get_by_role("button", name="Delete paragraph 1", exact=True).click()
    expect(paragraph_box(page, 1)).to_have_value(FIRST)
    expect(paragraph_box(page, 2)).to_have_value(THIRD)
    assert asked == ["Delete paragraph 1?"], asked

    # Accepted: paragraph 1 goes, the other becomes paragraph 1.
    page.once("dialog", lambda dialog: dialog.accept())
    response = htmx_response(
        page,
        lambda: page.get_by_role("button", name="Delete paragraph 1", exact=True).click(),
        r"/paragraphs/\d+/delete$",
    )
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text("Paragraph 1 deleted. The paragraphs after it are numbered again.")
    assert paragraph_labels(page) == ["Paragraph 1"]
    expect(paragraph_box(page, 1)).to_have_value(THIRD)
    assert_same_document(page, "deleting a paragraph")
    assert_accessible(page, "editor after deleting a paragraph (htmx)")

    # The pressed Delete button is gone: focus must land in the document (its section's "Add a paragraph").
    focus_kept = """() => {
        const active = document.activeElement;
        return active.id === 'document-heading' || Boolean(active.closest('#update-document'));
    }"""
    try:
        page.wait_for_function(focus_kept, timeout=2_000)
    except PlaywrightTimeoutError:
        lost_on = page.evaluate("document.activeElement.tagName.toLowerCase()")
        pytest.fail(f"after deleting a paragraph, keyboard focus is lost (it is on <{lost_on}>)", pytrace=False)


def test_the_new_section_box_is_empty_after_a_section_is_added(page: Page, world: dict[str, date]) -> None:
    """After an htmx "Add the section" the box is empty again, so a second press cannot add the same section twice."""
    start_an_update(page)
    new_heading = page.get_by_role("textbox", name="Heading of the new section", exact=True)
    new_heading.fill("Youth Cabinet")
    response = htmx_response(page, lambda: page.get_by_role("button", name="Add the section").click(), r"/sections$")
    assert response.status == 200, response.status
    expect(announcement(page)).to_have_text("Section “Youth Cabinet” added at the end.")
    expect(page.get_by_role("textbox", name="Heading of section 2", exact=True)).to_have_value("Youth Cabinet")
    assert new_heading.input_value() == "", (
        f"after adding a section, the 'Heading of the new section' box still holds {new_heading.input_value()!r}"
    )


# The contents list and the compact controls (#14.14) ----------------------------------


def contents_list(page: Page) -> Locator:
    return page.get_by_role("navigation", name="Contents", exact=True)


def entry(*parts: str) -> re.Pattern[str]:
    """A contents entry's whole text: these parts, in order, with any white space between."""
    return re.compile(r"^\s*" + r"\s+".join(re.escape(part) for part in parts) + r"\s*$")


def test_the_contents_list_follows_the_document_and_leads_to_each_section(page: Page, world: dict[str, date]) -> None:
    start_an_update(page)
    contents = contents_list(page)
    entries = contents.get_by_role("listitem")
    expect(entries).to_have_text(
        [
            entry("Details", "Needs attention"),
            entry("Section 1: Introduction", "(1 paragraph, 1 empty)", "Needs attention"),
            "Sign-off",
        ]
    )
    assert_accessible(page, "the editor with its contents list")
    page.evaluate("window.__sameDocument = true")

    # Writing into the empty paragraph: the list says so at once (out of band with the autosave).
    autosave(page, 1, FIRST)
    expect(entries.nth(1)).to_have_text(entry("Section 1: Introduction", "(1 paragraph)"))

    # A new section is listed with its empty paragraph; focus is in its heading box.
    page.get_by_label("Heading of the new section", exact=True).fill("Youth Cabinet")
    response = htmx_response(page, lambda: page.get_by_role("button", name="Add the section").click(), r"/sections$")
    assert response.status == 200, response.status
    expect(page.get_by_role("textbox", name="Heading of section 2", exact=True)).to_be_focused()
    expect(entries.nth(2)).to_have_text(entry("Section 2: Youth Cabinet", "(1 paragraph, 1 empty)", "Needs attention"))
    assert_same_document(page, "adding a section")
    assert_accessible(page, "the editor after adding a section (htmx), with the contents list swapped in")

    # Each entry leads to its section's heading, and each section ends with the way back.
    contents.get_by_role("link", name="Section 2: Youth Cabinet", exact=True).click()
    expect(page).to_have_url(re.compile(r"/edit#section\d+-title$"))
    heading = page.get_by_role("heading", name="Section 2: Youth Cabinet", level=3, exact=True)
    expect(heading).to_be_in_viewport()
    section = page.locator("section.portal-update-section").filter(has=heading)
    section.get_by_role("link", name="Back to contents", exact=True).click()
    expect(page).to_have_url(re.compile(r"/edit#contents$"))
    expect(contents).to_be_in_viewport()


def test_each_paragraphs_controls_are_one_row_of_small_buttons_with_names_of_their_own(
    page: Page, world: dict[str, date]
) -> None:
    start_an_update(page)
    page.set_viewport_size(DESKTOP)
    autosave(page, 1, FIRST)
    htmx_response(
        page, lambda: page.get_by_role("button", name="Add a paragraph to section 1").click(), r"/paragraphs$"
    )
    autosave(page, 2, THIRD, typed=True)
    htmx_response(
        page, lambda: page.get_by_role("button", name="Add a paragraph to section 1").click(), r"/paragraphs$"
    )
    expected = {
        1: ["Save paragraph 1", "Move down paragraph 1", "Delete paragraph 1"],
        2: ["Save paragraph 2", "Move up paragraph 2", "Move down paragraph 2", "Delete paragraph 2"],
        3: ["Save paragraph 3", "Move up paragraph 3", "Delete paragraph 3"],
    }
    for number, names in expected.items():
        pid = paragraph_id(paragraph_box(page, number))
        buttons = page.locator(f"#{pid} .portal-update-row").get_by_role("button")
        expect(buttons).to_have_count(len(names))
        for index, name in enumerate(names):
            expect(buttons.nth(index)).to_have_accessible_name(name)
        boxes = [box for box in (button.bounding_box() for button in buttons.all()) if box]
        tops = [box["y"] for box in boxes]
        assert max(tops) - min(tops) < 2, f"paragraph {number}'s buttons are not in one row: {boxes}"
        assert all(box["height"] < 40 for box in boxes), f"paragraph {number}'s buttons are not small: {boxes}"
    # Every button in the document has a name of its own.
    names = [squash(text) for text in page.locator("#update-document button:visible").all_text_contents()]
    assert len(names) == len(set(names)), sorted(name for name in names if names.count(name) > 1)
    assert_accessible(page, "the editor's compact controls")


def test_without_javascript_the_details_unfold_and_the_contents_links_work(new_context, world: dict[str, date]) -> None:
    page = new_context(java_script_enabled=False).new_page()
    start_an_update(page)
    contents = contents_list(page)
    expect(contents.get_by_role("listitem").first).to_have_text(entry("Details", "Needs attention"))

    page.get_by_text("Change the details", exact=True).click()  # <details> opens without a script
    fill_date(page, "Date of the council meeting", date(2031, 1, 16))
    page.get_by_role("button", name="Save the details").click()
    expect(success_banner(page)).to_contain_text("The details are saved.")
    expect(page).to_have_url(re.compile(r"/edit#details$"))
    expect(contents.get_by_role("listitem").first).to_have_text("Details")
    expect(page.locator(".portal-update-summary").first).to_contain_text("16 January 2031")
    expect(page.get_by_label("Title", exact=True)).to_be_hidden()  # folded away again

    paragraph_box(page, 1).fill(FIRST)
    page.get_by_role("button", name="Save paragraph 1", exact=True).click()  # the button outside its form
    expect(success_banner(page)).to_contain_text("Paragraph saved at")
    expect(contents.get_by_role("listitem").nth(1)).to_have_text(entry("Section 1: Introduction", "(1 paragraph)"))
    contents.get_by_role("link", name="Section 1: Introduction", exact=True).click()
    expect(page).to_have_url(re.compile(r"/edit#section\d+-title$"))
    page.get_by_role("link", name="Back to contents", exact=True).click()
    expect(page).to_have_url(re.compile(r"/edit#contents$"))


# How long the editor is (#14.14) -----------------------------------------------------

DEMO_MEMBER = "cabinet.member@demo.example"

# The height of the editor's main region (the page without the site's header and
# footer) at 1280 px wide, measured the same way on the editor as it was before
# #14.14 (commit 8de6b67), for the demo's two updates: its draft, and its July
# 2020 report (the seed: 9 sections, 11 paragraphs) opened for a correction.
# The whole page was then 4,242 and 11,572 px long.
BEFORE = {"the demo draft": 3770, "July 2020, corrected": 11100}


def editor_height(page: Page) -> int:
    """Without the panel added since (#17.1, the committees' recommendations, one folded line)."""
    page.wait_for_load_state("load")
    return round(
        page.evaluate(
            "document.querySelector('#main-content').getBoundingClientRect().height"
            " - (document.querySelector('#recommendations')?.getBoundingClientRect().height ?? 0)"
        )
    )


def test_the_demo_updates_editor_is_much_shorter(page: Page, live_server: LiveServer) -> None:
    """The draft's editor is at most 60% as long as before; the long July report's at most 80%
    (its paragraphs' own text is most of it). Runs last: it starts a correction of July 2020."""
    with live_server.app.app_context():
        member = db.session.scalar(select(User).where(User.email == DEMO_MEMBER))
        assert member is not None
        mine = select(CabinetUpdate.id).where(CabinetUpdate.author_id == member.id)
        draft = db.session.scalar(mine.where(CabinetUpdate.status == "draft"))
        july = db.session.scalar(mine.where(CabinetUpdate.meeting_date == date(2020, 7, 17)))
        db.session.remove()
    page.set_viewport_size(DESKTOP)
    sign_in(page, DEMO_MEMBER)
    page.goto(f"/updates/{draft}/edit")
    heights = {"the demo draft": editor_height(page)}
    assert_accessible(page, "the demo draft's editor")
    page.goto(f"/updates/{july}/edit")
    page.get_by_role("button", name="Make a correction").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Correction")
    page.goto(f"/updates/{july}/edit")  # as measured before: without the banner saying the correction started
    heights["July 2020, corrected"] = editor_height(page)
    assert_accessible(page, "the editor of the July 2020 report, corrected")
    screenshots(page, "updates-editor-long")
    figures = {name: f"{BEFORE[name]} -> {height} px ({height / BEFORE[name]:.0%})" for name, height in heights.items()}
    print(f"\nThe update editor's height at 1280 px: {figures}")
    assert heights["the demo draft"] <= 0.6 * BEFORE["the demo draft"], figures
    assert heights["July 2020, corrected"] <= 0.8 * BEFORE["July 2020, corrected"], figures
