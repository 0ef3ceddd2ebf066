"""Pictures in questions and options (#17.4) in Chromium: a partner gives the
two options of a choice question a picture each, with words describing it,
in the htmx builder by visible labels (a PHP file renamed .png is refused
first, next to its field, the words typed kept); the request is approved;
a young person answers it with the keyboard alone (Tab, arrows, Space and
Enter, no clicks), the pictures shown inside the options' labels. axe on
every page and state; screenshots at desktop width and 320 px, where
nothing scrolls sideways."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import Answer, Consultation, ConsultationStatus, Question
from portal.models.base import utcnow
from portal.roles import Role
from tests.browser.conftest import LiveServer
from tests.browser.helpers import SHOTS, announcement, assert_accessible, htmx_response, screenshots, sign_in
from tests.conftest import PASSWORD, add_person
from tests.consultations.test_images import png

pytestmark = pytest.mark.browser

PARTNER = "morgan.partner@test.example"
YOUNG_PERSON = "sam.k@test.example"
TITLE = "Our new logo"
PROMPT = "Which logo do you like best?"
OPTIONS = ["The green wave", "The open door"]
ALTS = ["A green wave under the letters MW", "A yellow door opening in a blue frame"]
NARROW = {"width": 320, "height": 800}


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, int]:
    """A partner's draft with one choice question, and a registered young person."""
    with live_server.app.app_context():
        partner = add_person(Role.PARTNER, PARTNER, "Morgan P.", organisation="Coastal Minds")
        add_person(Role.YOUNG_PERSON, YOUNG_PERSON, "Sam K.", age_band="14-16", district="Arun")
        today = utcnow().date()
        consultation = Consultation(
            title=TITLE,
            organisation="Coastal Minds",
            why="We are choosing a new logo.",
            what_happens="We will use the logo young people like best.",
            opens_on=today,
            closes_on=today.replace(year=today.year + 1),
            audience="young_people",
            status=ConsultationStatus.DRAFT.value,
            partner_id=partner.id,
            created_by_id=partner.id,
        )
        db.session.add(consultation)
        db.session.flush()
        question = Question(
            consultation_id=consultation.id, position=1, kind="single", prompt=PROMPT, required=True, options=OPTIONS
        )
        db.session.add(question)
        db.session.commit()
        ids = {"consultation": consultation.id, "question": question.id}
        db.session.remove()
    return ids


def picture_file(tmp_path: Path, name: str, colour: str) -> Path:
    path = tmp_path / name
    path.write_bytes(png((300, 200), colour))
    return path


def no_sideways_scroll(page: Page, where: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), f"{where} scrolls sideways"


def narrow_screenshot(page: Page, name: str) -> None:
    """At 320 px wide nothing scrolls sideways; the screenshot is for people to look at."""
    original = page.viewport_size
    page.set_viewport_size(NARROW)
    no_sideways_scroll(page, name)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}-320.png"), full_page=True)
    if original:
        page.set_viewport_size(original)


def pictures_shown(scope: Locator) -> None:
    """Every picture in ``scope`` was served and decoded (a wrong type or a refusal shows none)."""
    for image in scope.locator("img").all():
        expect(image).to_be_visible()
        # Visible (its width and height are in the page) can come before the file has arrived:
        # wait for it to load, then it must have decoded.
        image.page.wait_for_function("img => img.complete", arg=image.element_handle(), timeout=10_000)
        assert image.evaluate("img => img.naturalWidth > 0"), image.get_attribute("src")


def tab_to(page: Page, target: Locator, limit: int = 80) -> None:
    """Press Tab until ``target`` has the focus, as a keyboard user moves through the page."""
    handle = target.element_handle()
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("element => document.activeElement === element", handle):
            return
    pytest.fail(f"Tab never reached {target}")


def sign_in_with_the_keyboard(page: Page, email: str) -> None:
    page.goto("/sign-in")
    tab_to(page, page.get_by_label("Email address", exact=True))
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def test_a_partner_adds_picture_options_and_a_young_person_answers_with_the_keyboard(
    new_page: Callable[[], Page], live_server: LiveServer, world: dict[str, int], tmp_path: Path
) -> None:
    app = live_server.app
    consultation_id, question_id = world["consultation"], world["question"]
    green, door = picture_file(tmp_path, "green wave.png", "green"), picture_file(tmp_path, "door.png", "blue")
    shell = tmp_path / "logo.png"
    shell.write_bytes(b"<?php system($_GET['c']); ?>")

    # The partner opens the question in the builder (htmx).
    partner = new_page()
    sign_in(partner, PARTNER, PASSWORD)
    partner.goto(f"/consultations/{consultation_id}/edit")
    htmx_response(
        partner,
        lambda: partner.get_by_role("link", name="Change question 1", exact=True).click(),
        r"/questions/\d+$",
        method="GET",
        settle=True,
    )
    expect(partner.locator("#question-form-heading")).to_have_text("Change question 1 of 1: one choice from a list")
    assert_accessible(partner, "builder: a choice question open, with its picture fields (htmx)")

    # A PHP file renamed .png: refused next to its field, the words typed kept.
    partner.get_by_label("Picture for option 1 (optional)").set_input_files(str(shell))
    partner.get_by_label("Describe the picture for option 1").fill(ALTS[0])
    response = htmx_response(
        partner,
        lambda: partner.get_by_role("button", name="Save question 1", exact=True).click(),
        r"/questions/\d+$",
        settle=True,
    )
    assert response.status == 422, response.status
    summary = partner.locator("#questions .govuk-error-summary")
    expect(summary).to_contain_text("not a picture the portal can use")
    expect(partner.locator("#option_picture_0-error")).to_contain_text("Choose a PNG, JPEG or WebP picture")
    expect(partner.get_by_label("Describe the picture for option 1")).to_have_value(ALTS[0])
    assert_accessible(partner, "builder: a file that is not a picture refused (htmx)")
    screenshots(partner, "pictures-refused")

    # Two real pictures, each with its words: saved.
    partner.get_by_label("Picture for option 1 (optional)").set_input_files(str(green))
    partner.get_by_label("Picture for option 2 (optional)").set_input_files(str(door))
    partner.get_by_label("Describe the picture for option 2").fill(ALTS[1])
    response = htmx_response(
        partner,
        lambda: partner.get_by_role("button", name="Save question 1", exact=True).click(),
        r"/questions/\d+$",
        settle=True,
    )
    assert response.status == 200, response.status
    expect(announcement(partner)).to_have_text("Question 1 is saved.")
    item = partner.locator("#questions .portal-question-list > li").first
    expect(item).to_contain_text(f"{OPTIONS[0]} (with a picture: {ALTS[0]})")
    expect(item).to_contain_text(f"{OPTIONS[1]} (with a picture: {ALTS[1]})")
    assert_accessible(partner, "builder: the options saved with their pictures (htmx)")

    # The preview shows them as a young person will see them.
    partner.get_by_role("link", name="Preview the questions as young people will see them").click()
    pictures_shown(partner.locator("form"))
    assert_accessible(partner, "the preview with picture options")
    partner.close()

    # Approved (the approval journey itself is tested in test_consultations.py).
    with app.app_context():
        found = db.session.get(Consultation, consultation_id)
        found.status, found.approved_at = ConsultationStatus.APPROVED.value, utcnow()
        db.session.commit()
        db.session.remove()

    # The young person answers with the keyboard alone.
    young = new_page()
    sign_in_with_the_keyboard(young, YOUNG_PERSON)
    young.goto(f"/consultations/{consultation_id}")
    assert_accessible(young, "the consultation's page")
    tab_to(young, young.get_by_role("button", name="Start"))
    young.keyboard.press("Enter")
    tab_to(young, young.get_by_role("button", name="Start now"))
    young.keyboard.press("Enter")
    expect(young.get_by_role("heading", level=1)).to_have_text(f"Question 1 of 1: {PROMPT}")

    radios = young.get_by_role("group", name=f"Question 1 of 1: {PROMPT}")
    first = radios.get_by_role("radio", name=f"{ALTS[0]} {OPTIONS[0]}")
    second = radios.get_by_role("radio", name=f"{ALTS[1]} {OPTIONS[1]}")
    expect(first).to_be_visible()
    pictures_shown(radios)
    assert_accessible(young, "the question with picture options")
    screenshots(young, "pictures-question")
    narrow_screenshot(young, "pictures-question")

    tab_to(young, first)
    young.keyboard.press("Space")
    expect(first).to_be_checked()
    young.keyboard.press("ArrowDown")  # the radio group's own keys: the next option, chosen
    expect(second).to_be_checked()
    assert_accessible(young, "the question with a picture option chosen")
    tab_to(young, young.get_by_role("button", name="Save and continue"))
    young.keyboard.press("Enter")

    expect(young.get_by_role("heading", level=1)).to_have_text("Check your answers before sending them")
    expect(young.locator(".govuk-summary-list")).to_contain_text(OPTIONS[1])
    assert_accessible(young, "check your answers")
    tab_to(young, young.get_by_role("button", name="Send my answers"))
    young.keyboard.press("Enter")
    expect(young).to_have_url(re.compile(rf"/consultations/{consultation_id}/respond/done$"))
    assert_accessible(young, "the confirmation")

    with app.app_context():
        chosen = db.session.scalars(select(Answer.option).where(Answer.question_id == question_id)).all()
        assert chosen == [1]
        db.session.remove()
