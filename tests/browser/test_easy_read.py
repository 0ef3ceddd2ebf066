"""Easy Read (#17.3, "A young person answers the Easy Read version and the
officer's results count it") in Chromium, by visible labels, with an axe
check of every page and state, and screenshots at desktop width and 320 px
(where nothing may scroll sideways).

An officer writes the Easy Read words and a picture for a draft's question.
On an open consultation (pictures on two questions, one of them Easy Read's
own), a registered young person follows "Read this in Easy Read" from the
consultation's page, answers one question a page (a refused "Next", a
"Back"), checks and sends; a visitor does the same with JavaScript off. The
officer's results count both with everyone else's and say how many answered
each version.

Screenshots go to /tmp/shots/easy-read-*.png (not the repo).
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable

import pytest
from PIL import Image as Pillow
from playwright.sync_api import Page, expect

from portal.consultations import tally
from portal.extensions import db
from portal.images import Accepted, keep
from portal.models import Answer, Response
from portal.roles import Role
from tests.browser.conftest import LiveServer
from tests.browser.helpers import SHOTS, assert_accessible, error_summary, sign_in, sign_out, success_banner
from tests.conftest import PASSWORD, add_person
from tests.factories import ConsultationFactory, QuestionFactory

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"  # the demo's officer (demo password)
YOUNG_PERSON = "easy.reader@test.example"
TITLE = "A name for our new youth café"
NAMES = ["The Hub", "Café Connect", "The Den"]


def _png(colour: tuple[int, int, int], size: tuple[int, int] = (600, 400)) -> Accepted:
    out = io.BytesIO()
    Pillow.new("RGB", size, colour).save(out, "PNG")
    return Accepted(out.getvalue(), "image/png", *size)


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, int]:
    """A public consultation, open now, with a complete Easy Read version and
    answers already counted (3 in Easy Read, 6 standard); a draft to write one for."""
    with live_server.app.app_context():
        add_person(Role.YOUNG_PERSON, YOUNG_PERSON, "Eve R.", age_band="11-13", district="Adur")
        consultation = ConsultationFactory(
            title=TITLE,
            organisation="Harbour Youth Spaces",
            audience="public",
            why="We are opening a café for young people in Littlehampton and it needs a name everyone likes.",
            easy_intro="We are opening a café for young people.\n\nIt needs a name.\n\nPlease help us choose.",
        )
        name = QuestionFactory(
            consultation=consultation,
            kind="single",
            prompt="Which of these names would make you most likely to visit the café?",
            easy_prompt="Which name do you like best?",
            easy_help="Choose one name.",
            required=True,
            options=NAMES,
        )
        name.easy_image_id = keep(None, consultation, _png((0, 94, 165))).id
        name.easy_image_alt = "A café sign with a question mark"
        logo = QuestionFactory(
            consultation=consultation,
            kind="rating",
            prompt="How welcoming does the café's logo look to you?",
            easy_prompt="Look at the logo. Is it friendly?",
            required=True,
            scale_max=5,
            low_label="Not friendly",
            high_label="Very friendly",
        )
        logo.image_id = keep(None, consultation, _png((0, 112, 60))).id
        logo.image_alt = "The café's logo: a green cup"
        QuestionFactory(
            consultation=consultation,
            kind="long_text",
            prompt="Is there anything else you would like to tell us about the café?",
            easy_prompt="Do you want to tell us anything else?",
        )
        db.session.flush()
        for n in range(9):
            response = Response(
                consultation_id=consultation.id, status="submitted", version="easy_read" if n < 3 else "standard"
            )
            db.session.add(response)
            db.session.flush()
            db.session.add_all(
                [
                    Answer(response_id=response.id, question_id=name.id, option=n % 3),
                    Answer(response_id=response.id, question_id=logo.id, number=4),
                ]
            )
            db.session.flush()
            tally.count(response, +1)
        draft = ConsultationFactory(title="Our opening times", status="draft", opens=7, closes=30)
        draft_question = QuestionFactory(
            consultation=draft, kind="short_text", prompt="At what times of the week would you use the café most?"
        )
        db.session.commit()
        ids = {"consultation": consultation.id, "draft": draft.id, "draft_question": draft_question.id}
        db.session.remove()
    return ids


def _look(page: Page, name: str, what: str) -> None:
    """axe at desktop width and at 320 px, where nothing scrolls sideways; a screenshot at each."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    assert_accessible(page, what)
    page.set_viewport_size({"width": 1280, "height": 900})
    page.screenshot(path=str(SHOTS / f"easy-read-{name}-desktop.png"), full_page=True)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{what} scrolls sideways at 320 px"
    assert_accessible(page, f"{what} at 320 px")
    page.screenshot(path=str(SHOTS / f"easy-read-{name}-320.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def test_an_officer_writes_the_easy_read_words_and_picture(page: Page, world: dict[str, int]) -> None:
    sign_in(page, OFFICER)
    page.goto(f"/consultations/{world['draft']}/edit")
    page.get_by_role("link", name="Write the Easy Read version").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Easy Read version")
    expect(page.locator("#easy-read-state")).to_contain_text("Not ready")
    _look(page, "editor", "the Easy Read editor")
    page.get_by_label("What is this about?").fill("We are opening a café.\nWhen should it be open?")
    page.get_by_role("button", name="Save the introduction").click()
    expect(success_banner(page)).to_contain_text("The Easy Read introduction is saved.")

    page.get_by_role("link", name="Write the Easy Read words for question 1").click()
    # A sentence far too long for Easy Read: refused next to the field, the words kept.
    long_words = "Please tell us at which times of the day and on which days of the week you would most like to come to the new café"
    page.get_by_label("The question in Easy Read words").fill(long_words)
    page.get_by_role("button", name="Save the Easy Read words").click()
    expect(error_summary(page)).to_contain_text("Easy Read sentences are short")
    expect(page.get_by_label("The question in Easy Read words")).to_have_value(long_words)
    _look(page, "editor-error", "the Easy Read question refused")
    page.get_by_label("The question in Easy Read words").fill("When would you come to the café?")
    page.get_by_label("Picture for the Easy Read question (optional)").set_input_files(
        files=[{"name": "clock.png", "mimeType": "image/png", "buffer": _png((212, 53, 28), (300, 300)).data}]
    )
    page.get_by_label("Describe the picture for the Easy Read question").fill("A clock")
    page.get_by_role("button", name="Save the Easy Read words").click()
    expect(success_banner(page)).to_contain_text("The Easy Read words are saved.")
    expect(page.locator("#easy-read-state")).to_contain_text("Ready")
    expect(page.locator(f"#easy-q{world['draft_question']}")).to_contain_text("When would you come to the café?")
    assert_accessible(page, "the Easy Read editor, complete")
    sign_out(page)


def _answer_in_easy_read(page: Page, *, refused_next: bool) -> None:
    """From the Easy Read start page to the confirmation, by the labels on the page."""
    expect(page.get_by_role("heading", level=2, name="What is this about?")).to_be_visible()
    page.get_by_role("button", name="Start").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 1 of 3: Which name do you like best?")
    expect(page.get_by_role("img", name="A café sign with a question mark")).to_be_visible()
    if refused_next:
        _look(page, "question", "an Easy Read question")
        page.get_by_role("button", name="Next").click()
        expect(error_summary(page)).to_be_visible()
        _look(page, "question-error", "an Easy Read question refused")
    page.get_by_role("radio", name="The Den").check()
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Question 2 of 3: Look at the logo. Is it friendly?")
    expect(page.get_by_role("img", name="The café's logo: a green cup")).to_be_visible()  # the question's own
    if refused_next:
        # Back, and the answer given there is still chosen.
        page.get_by_role("button", name="Back").click()
        expect(page.get_by_role("radio", name="The Den")).to_be_checked()
        page.get_by_role("button", name="Next").click()
    page.get_by_role("radio", name="5 (Very friendly)").check()
    page.get_by_role("button", name="Next").click()

    page.get_by_label("Question 3 of 3: Do you want to tell us anything else? (optional)").fill("Free wifi please.")
    page.get_by_role("button", name="Next").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    expect(page.locator(".govuk-summary-list")).to_contain_text("Which name do you like best?")
    expect(page.locator(".govuk-summary-list")).to_contain_text("The Den")
    if refused_next:
        _look(page, "check", "Check your answers (Easy Read)")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Your answers have been sent")


def test_a_young_person_answers_in_easy_read_and_the_officer_s_results_count_it(
    page: Page, world: dict[str, int], live_server: LiveServer, new_context: Callable
) -> None:
    # A signed-in young person.
    sign_in(page, YOUNG_PERSON, PASSWORD)
    page.goto(f"/consultations/{world['consultation']}")
    _look(page, "consultation", "the consultation's page with its Easy Read link")
    page.get_by_role("link", name="Read this in Easy Read").click()
    _look(page, "start", "the Easy Read start")
    _answer_in_easy_read(page, refused_next=True)
    _look(page, "confirmation", "the confirmation")
    sign_out(page)

    # A visitor, JavaScript off: the same pages work as plain forms.
    visitor = new_context(java_script_enabled=False).new_page()
    visitor.goto(f"/consultations/{world['consultation']}")
    visitor.get_by_role("link", name="Read this in Easy Read").click()
    visitor.get_by_label("How old are you?").select_option(label="14 to 16")
    _answer_in_easy_read(visitor, refused_next=False)

    with live_server.app.app_context():
        versions = dict(
            db.session.execute(
                db.select(Response.version, db.func.count(Response.id))
                .where(Response.consultation_id == world["consultation"], Response.status == "submitted")
                .group_by(Response.version)
            ).all()
        )
        assert versions == {"easy_read": 5, "standard": 6}
        db.session.remove()

    sign_in(page, OFFICER)
    page.goto(f"/consultations/{world['consultation']}")
    page.get_by_role("link", name="Results").click()
    expect(page.get_by_text("11 people have answered.")).to_be_visible()
    versions_table = page.get_by_role("table", name="By version")
    expect(versions_table.get_by_role("row", name="Easy Read 5")).to_be_visible()
    expect(versions_table.get_by_role("row", name="Standard 6")).to_be_visible()
    # The Easy Read answers are in the same results as everyone else's.
    name_results = page.locator("section").filter(
        has=page.get_by_role("heading", name=re.compile("Which of these names would make you most likely"))
    )
    expect(name_results).to_contain_text("11 people answered this question.")
    _look(page, "results", "the officer's results")
