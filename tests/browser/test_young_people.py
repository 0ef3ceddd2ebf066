"""A young person's consultations (issue #12, done when) in Chromium, with an
axe check of every page and state reached.

The journeys:

1. With JavaScript on, a young person signs in and finds a consultation on
   their home under "Have your say" (who asks, the closing date, how long it
   takes), follows "Answer it", starts, answers, checks and sends: the
   counters say 1 response, with their answer. From their home they follow
   "change your answers", press "Change your answers" and change one answer
   from the check page; until they send the change the counters still hold
   the answer they sent first; once sent, still 1 response, with the new
   answer. A second change, cancelled with "Cancel my changes", leaves the
   sent answer counted.
2. The same with JavaScript off, by a second young person on a consultation
   of their own. axe needs JavaScript in the page (it hangs without), so each
   page of this journey is checked in a twin browser with JavaScript on: the
   same address, with the same cookies, right after (every page here is
   reached by a GET: the forms redirect).
3. Both consultations close (dates moved back in the database), then their
   results are released, then "You said, we did" is published (set in the
   database: the officer's and partner's screens for that are walked in
   test_consultations.py). The first young person follows each stage from
   their home ("Consultations you answered": "Results coming", "Read the
   results", "Read what they did"); the second (JavaScript off) finds theirs
   in the archive on the consultations page, filtered to "With “You said,
   we did”".
4. A visitor (no account) answers a public consultation, leaving the age and
   district as "Prefer not to say", and sends. The session cookie is a
   session cookie (it ends with the browser). The next person on the same
   browser starts afresh: no "Continue", no answers, and the check page
   sends them back to the start.

Journey 3 uses what journeys 1 and 2 sent, so it must run after them, as it
does: pytest runs a module's tests in the order they are written. The other
journeys each start from the module's world and do not depend on order.

Counts are read from the counters results are made of (portal.consultations.
tally), in the live server's app. Waits are on the page (an address, a
heading, a text), never on sleeps. Screenshots for people to look at go to
/tmp/shots/young-*.png (not the repo).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from flask import Flask
from playwright.sync_api import BrowserContext, Locator, Page, expect

from portal.consultations import tally
from portal.extensions import db
from portal.models import Consultation
from portal.models.base import utcnow
from portal.roles import Role
from portal.templating import local_today, long_date
from tests.browser.conftest import LiveServer
from tests.browser.helpers import assert_accessible, screenshots, sign_in, success_banner
from tests.conftest import PASSWORD, add_person
from tests.factories import ConsultationFactory, QuestionFactory

pytestmark = pytest.mark.browser

FIRST = "maya.k@test.example"  # answers with JavaScript on
FIRST_NAME = "Maya K."
SECOND = "owen.d@test.example"  # answers with JavaScript off
SECOND_NAME = "Owen D."

# (title, organisation, audience, [(prompt, options)]): every question is one choice, and must be answered.
SKATE_PARK = (
    "Late opening at the skate park",
    "Crawley Leisure",
    "young_people",
    [
        ("Which evening should the skate park stay open late?", ["Friday", "Saturday", "Sunday"]),
        ("How would you get there?", ["By bus", "By bike", "On foot"]),
    ],
)
LIBRARY = (
    "Quiet study space at the library",
    "Horsham Libraries",
    "young_people",
    [
        ("When do you most need a quiet place to study?", ["After school", "Weekends", "School holidays"]),
        ("What would help you study there?", ["Free wifi", "Plug sockets", "Snacks"]),
    ],
)
STREETS = (
    "Feeling safe in town at night",
    "Safer Sussex Streets",
    "public",
    [("Do you feel safe walking in town after dark?", ["Yes", "Sometimes", "No"])],
)

FEEDBACK = {
    SKATE_PARK[0]: "You asked for Saturdays, so from May the skate park stays open until 9pm on Saturdays.",
    LIBRARY[0]: "You asked for after school, so the study room now stays quiet from 3pm to 6pm on weekdays.",
}
FEWER_THAN_FIVE = "Fewer than 5 people answered, so we do not show what they said"
NOT_OPENED_AGAIN = (
    "Your answers cannot be opened again from this computer, so the next person to use it cannot see them."
)
CHECK_H1 = "Check your answers before sending them"


# Set-up -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Asked:
    """A consultation of this module's world, as the tests need it outside an app context."""

    id: int
    title: str
    organisation: str
    closes_on: date
    questions: list[tuple[int, str, list[str]]]  # (question id, prompt, options)

    def prompt(self, number: int) -> str:
        return self.questions[number - 1][1]

    def option(self, number: int, index: int) -> str:
        return self.questions[number - 1][2][index]


def _consultation(spec: tuple) -> Asked:
    title, organisation, audience, questions = spec
    consultation = ConsultationFactory(
        opens=-1, closes=30, audience=audience, title=title, organisation=organisation, anonymous_to_partner=True
    )
    made = [
        QuestionFactory(consultation=consultation, kind="single", prompt=prompt, options=options, required=True)
        for prompt, options in questions
    ]
    return Asked(
        consultation.id,
        title,
        organisation,
        consultation.closes_on,
        [(question.id, question.prompt, list(question.options)) for question in made],
    )


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, Asked]:
    """Two registered young people of our own, a consultation for each, and a public one."""
    with live_server.app.app_context():
        add_person(Role.YOUNG_PERSON, FIRST, FIRST_NAME, age_band="14-16", district="Crawley")
        add_person(Role.YOUNG_PERSON, SECOND, SECOND_NAME, age_band="17-19", district="Horsham")
        made = {
            "first": _consultation(SKATE_PARK),
            "second": _consultation(LIBRARY),
            "public": _consultation(STREETS),
        }
        db.session.commit()
        db.session.remove()
    return made


# Helpers ------------------------------------------------------------------------------


def h1(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def list_after(page: Page, heading: str) -> Locator:
    """The list of cards that follows the level-2 heading ``heading``."""
    return page.get_by_role("heading", level=2, name=heading, exact=True).locator("xpath=following-sibling::ul[1]")


def card(scope: Page | Locator, title: str) -> Locator:
    """The card (a list item) of the consultation titled ``title``."""
    root = scope if isinstance(scope, Page) else scope.page
    return scope.get_by_role("listitem").filter(has=root.get_by_role("heading", name=title, exact=True))


def summary_row(page: Page, prompt: str) -> Locator:
    """The check page's row for the question ``prompt``."""
    return page.locator(".govuk-summary-list__row").filter(has_text=prompt)


def go_home(page: Page) -> None:
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Your dashboard", exact=True).click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


@dataclass(frozen=True)
class Counted:
    """What the counters hold for everyone: the number of responses, and how
    many chose each option of each question."""

    responses: int
    chosen: list[list[int]]


def counted(app: Flask, asked: Asked) -> Counted:
    with app.app_context():
        counters = {
            (row.question_id, row.option, row.number): row.count
            for row in tally.results_counts(asked.id)
            if row.dimension == ""
        }
        db.session.remove()
    return Counted(
        counters.get((0, -1, -1), 0),
        [
            [counters.get((question_id, i, -1), 0) for i in range(len(options))]
            for question_id, _, options in asked.questions
        ],
    )


def expect_counted(app: Flask, asked: Asked, chosen: list[list[int]], when: str) -> None:
    """One response, with these choices: what the officer's results would count."""
    now = counted(app, asked)
    assert now == Counted(1, chosen), f"{when}: the counters hold {now}, not one response choosing {chosen}"


Check = Callable[[str], None]


def axe_in_place(page: Page) -> Check:
    return lambda label: assert_accessible(page, label)


def axe_in_twin(page: Page, twin: Page) -> Check:
    """axe for a page without JavaScript (it hangs there): the same address
    opened again, with the same cookies, in a twin browser with JavaScript on."""

    def check(label: str) -> None:
        twin.context.clear_cookies()
        twin.context.add_cookies(page.context.cookies())  # type: ignore[arg-type]
        twin.goto(page.url)
        expect(h1(twin)).to_have_text(h1(page).inner_text())
        assert_accessible(twin, f"{label} (JavaScript off; checked in a twin with JavaScript on)")

    return check


def set_columns(app: Flask, asked: list[Asked], **values: object) -> None:
    """Change the consultations' columns, as the officer's and partner's screens would."""
    with app.app_context():
        for one in asked:
            consultation = db.session.get(Consultation, one.id)
            assert consultation is not None
            for name, value in values.items():
                setattr(consultation, name, value(one) if callable(value) else value)
        db.session.commit()
        db.session.remove()


# Answering ------------------------------------------------------------------------------


def answer_question(
    page: Page, asked: Asked, number: int, option: int, check: Check, *, was: int | None = None
) -> None:
    """On question ``number``'s page: choose ``option`` and save. ``was``: the
    option that should be chosen already."""
    total = len(asked.questions)
    group = page.get_by_role("group", name=f"Question {number} of {total}: {asked.prompt(number)}", exact=True)
    expect(group.get_by_role("heading", level=1)).to_have_text(f"Question {number} of {total}: {asked.prompt(number)}")
    for index, label in enumerate(asked.questions[number - 1][2]):
        radio = group.get_by_label(label, exact=True)
        if index == was:
            expect(radio).to_be_checked()
        else:
            expect(radio).not_to_be_checked()
    check(f"question {number}" + (" (changing it)" if was is not None else ""))
    group.get_by_label(asked.option(number, option), exact=True).check()
    page.get_by_role("button", name="Save and continue", exact=True).click()


def expect_check_page(page: Page, asked: Asked, choices: list[int], *, changing: bool) -> None:
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}/respond/check$"))
    expect(h1(page)).to_have_text(CHECK_H1)
    for number, option in enumerate(choices, start=1):
        expect(summary_row(page, asked.prompt(number))).to_contain_text(asked.option(number, option))
    main = page.locator("main")
    if changing:
        expect(main).to_contain_text("Your earlier answers still count until you send these changes")
        expect(page.get_by_role("button", name="Send my changed answers", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Cancel my changes", exact=True)).to_be_visible()
    else:
        expect(page.get_by_role("button", name="Send my answers", exact=True)).to_be_visible()
        expect(page.get_by_role("button", name="Cancel my changes", exact=True)).to_have_count(0)


def expect_sent(page: Page, asked: Asked) -> None:
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}/respond/done$"))
    panel = page.locator(".govuk-panel--confirmation")
    expect(panel.get_by_role("heading", level=1)).to_have_text("Your answers have been sent")
    expect(panel).to_contain_text(f"Thank you for taking part in ‘{asked.title}’")


def answer_change_and_send(page: Page, app: Flask, asked: Asked, email: str, check: Check, shots: bool) -> None:
    """Journeys 1 and 2: from the home, answer and send; change one answer and
    send the change; change another and cancel. The counters are checked at
    each step."""
    title = asked.title
    q1_first, q1_changed, q2_first, q2_cancelled = 0, 1, 0, 2

    # Home: the consultation is under "Have your say", with who asks, the closing date, the time it takes.
    sign_in(page, email, PASSWORD)
    item = card(list_after(page, "Have your say"), title)
    expect(item).to_contain_text(f"Asked by {asked.organisation}. Closes on {long_date(asked.closes_on)}.")
    expect(item).to_contain_text("It takes about 2 minutes.")
    check("home, a consultation to answer")
    if shots:
        screenshots(page, "young-home")

    # Answer it, start, answer both questions, check, send.
    # The hidden part of the link's name is absolutely positioned: Chromium puts a space before it.
    item.get_by_role("link", name=re.compile(rf"^Answer it ?: ‘{re.escape(title)}’$")).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}/respond$"))
    expect(h1(page)).to_have_text(title)
    expect(page.locator("main")).to_contain_text("There are 2 questions, one on each page.")
    check("start page")
    page.get_by_role("button", name="Start now").click()
    answer_question(page, asked, 1, q1_first, check)
    answer_question(page, asked, 2, q2_first, check)
    expect_check_page(page, asked, [q1_first, q2_first], changing=False)
    check("check your answers")
    page.get_by_role("button", name="Send my answers", exact=True).click()
    expect_sent(page, asked)
    check("confirmation")
    expect_counted(app, asked, [[1, 0, 0], [1, 0, 0]], "once sent")

    # Back home: answered, with a way to change the answers (the consultation's page, where the button is).
    go_home(page)
    item = card(list_after(page, "Have your say"), title)
    expect(item.locator(".govuk-tag")).to_have_text("You have answered")
    expect(item).not_to_contain_text("It takes about")
    check("home, a consultation answered")
    item.get_by_role("link", name=f"change your answers to ‘{title}’", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}#take-part$"))
    expect(page.locator("main")).to_contain_text("You have sent your answers. Thank you.")
    check("the consultation's page, answers sent")
    page.get_by_role("button", name="Change your answers", exact=True).click()
    expect_check_page(page, asked, [q1_first, q2_first], changing=True)
    check("check page, changing the answers sent")

    # Change question 1 from the check page.
    page.get_by_role("link", name="Change your answer to question 1", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/respond/{asked.questions[0][0]}\?from=check$"))
    answer_question(page, asked, 1, q1_changed, check, was=q1_first)
    expect_check_page(page, asked, [q1_changed, q2_first], changing=True)
    check("check page, an answer changed, not sent")
    if shots:
        screenshots(page, "young-changing-check")
    # Not sent yet: the answer sent first still counts, once.
    expect_counted(app, asked, [[1, 0, 0], [1, 0, 0]], "changed but not sent")

    # The home says so, and leads back to the changes.
    go_home(page)
    item = card(list_after(page, "Have your say"), title)
    expect(item).to_contain_text("the answers you sent still count until you send the changes")
    check("home, changes not sent")
    item.get_by_role("link", name=f"Carry on changing your answers to ‘{title}’", exact=True).click()
    expect_check_page(page, asked, [q1_changed, q2_first], changing=True)
    page.get_by_role("button", name="Send my changed answers", exact=True).click()
    expect_sent(page, asked)
    check("confirmation after sending the changes")
    expect_counted(app, asked, [[0, 1, 0], [1, 0, 0]], "changes sent")

    # A second change, cancelled: the answers sent stay counted.
    page.get_by_role("button", name="Change your answers", exact=True).click()
    expect_check_page(page, asked, [q1_changed, q2_first], changing=True)
    page.get_by_role("link", name="Change your answer to question 2", exact=True).click()
    answer_question(page, asked, 2, q2_cancelled, check, was=q2_first)
    expect_check_page(page, asked, [q1_changed, q2_cancelled], changing=True)
    page.get_by_role("button", name="Cancel my changes", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}/respond/done$"))
    expect(success_banner(page)).to_contain_text("Your changes were not sent. The answers you sent before still count.")
    expect(page.get_by_role("button", name="Change your answers", exact=True)).to_be_visible()
    check("confirmation after cancelling the changes")
    expect_counted(app, asked, [[0, 1, 0], [1, 0, 0]], "changes cancelled")
    page.get_by_role("button", name="Change your answers", exact=True).click()
    expect_check_page(page, asked, [q1_changed, q2_first], changing=True)
    page.get_by_role("button", name="Cancel my changes", exact=True).click()
    expect(success_banner(page)).to_contain_text("Your changes were not sent.")


# 1 and 2. Answering and changing the answers -------------------------------------------------


def test_a_young_person_answers_from_their_home_and_changes_their_answers(
    page: Page, live_server: LiveServer, world: dict[str, Asked]
) -> None:
    answer_change_and_send(page, live_server.app, world["first"], FIRST, axe_in_place(page), shots=True)


def test_answering_and_changing_work_without_javascript(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, world: dict[str, Asked]
) -> None:
    page = new_context(java_script_enabled=False).new_page()
    twin = new_context().new_page()
    answer_change_and_send(page, live_server.app, world["second"], SECOND, axe_in_twin(page, twin), shots=False)


# 3. Results and "You said, we did" ------------------------------------------------------------


def test_results_and_you_said_we_did_reach_the_people_who_answered(
    page: Page, new_context: Callable[..., BrowserContext], live_server: LiveServer, world: dict[str, Asked]
) -> None:
    app = live_server.app
    first, second = world["first"], world["second"]
    for asked in (first, second):
        assert counted(app, asked).responses == 1, (
            f"‘{asked.title}’ has no sent response: this test follows the two answering journeys above (module order)"
        )
    today = local_today()

    # Both close.
    set_columns(app, [first, second], opens_on=today - timedelta(days=10), closes_on=today - timedelta(days=1))
    sign_in(page, FIRST, PASSWORD)
    expect(card(page, first.title)).to_have_count(1)
    expect(card(list_after(page, "Have your say"), first.title)).to_have_count(0)
    answered = card(list_after(page, "Consultations you answered"), first.title)
    expect(answered).to_contain_text(f"Closed on {long_date(today - timedelta(days=1))}.")
    expect(answered.locator(".govuk-tag")).to_have_text("Results coming")
    assert_accessible(page, "home, results coming")
    answered.get_by_role("link", name=first.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{first.id}$"))
    expect(page.locator("main")).to_contain_text("The results are coming.")
    expect(page.get_by_role("heading", name="What people said")).to_have_count(0)
    assert_accessible(page, "the consultation's page, closed, results coming")

    # The results are released: what people said, in plain words (fewer than five: nothing more).
    set_columns(app, [first, second], results_released_at=utcnow())
    go_home(page)
    answered = card(list_after(page, "Consultations you answered"), first.title)
    expect(answered).to_contain_text("What they did comes next.")
    assert_accessible(page, "home, results released")
    answered.get_by_role("link", name=f"Read the results of ‘{first.title}’", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{first.id}#what-people-said$"))
    said = page.get_by_role("region", name="What people said")
    expect(said.get_by_role("heading", level=2)).to_have_text("What people said")
    expect(said).to_contain_text(FEWER_THAN_FIVE)
    expect(page.locator("main")).not_to_contain_text("The results are coming.")
    assert_accessible(page, "the consultation's page, results released")

    # "You said, we did" is published.
    set_columns(
        app,
        [first, second],
        feedback=lambda asked: FEEDBACK[asked.title],
        feedback_published_at=utcnow(),
    )
    go_home(page)
    answered = card(list_after(page, "Consultations you answered"), first.title)
    expect(answered.locator(".govuk-tag")).to_have_text("You said, we did")
    assert_accessible(page, "home, You said, we did published")
    answered.get_by_role("link", name=f"Read what they did about ‘{first.title}’", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{first.id}#you-said-we-did$"))
    did = page.get_by_role("region", name="You said, we did")
    expect(did.get_by_role("heading", level=2)).to_have_text("You said, we did")
    expect(did).to_contain_text(FEEDBACK[first.title])
    expect(did).to_contain_text(f"From {first.organisation},")
    expect(page.get_by_role("region", name="What people said")).to_contain_text(FEWER_THAN_FIVE)
    assert_accessible(page, "the consultation's page with You said, we did (JavaScript on)")
    screenshots(page, "young-you-said-we-did")

    # The second young person, JavaScript off, finds theirs in the archive.
    other = new_context(java_script_enabled=False).new_page()
    check = axe_in_twin(other, new_context().new_page())
    sign_in(other, SECOND, PASSWORD)
    other.get_by_role("link", name="See all consultations, with their results", exact=True).click()
    expect(other).to_have_url(re.compile(r"/consultations#archive$"))
    expect(other.get_by_role("heading", level=2, name="All consultations")).to_be_visible()
    check("consultations page with the archive")
    other.get_by_label("Show", exact=True).select_option(label="With “You said, we did”")
    other.get_by_role("button", name="Show consultations", exact=True).click()
    # The year is left at "Any year": the form sends it empty.
    expect(other).to_have_url(re.compile(r"/consultations\?stage=feedback(&year=)?#archive$"))
    expect(other.get_by_label("Show", exact=True)).to_have_value("feedback")
    archive = list_after(other, "All consultations")
    item = card(archive, second.title)
    expect(item.locator(".govuk-tag")).to_have_text(["You said, we did", "You answered"])
    expect(item).to_contain_text(f"Asked by {second.organisation}.")
    expect(card(archive, first.title)).to_have_count(1)
    for listed in archive.get_by_role("listitem").all():
        expect(listed.locator(".govuk-tag").first).to_have_text("You said, we did")
    check("archive filtered to You said, we did")
    screenshots(other, "young-archive")
    item.get_by_role("link", name=second.title, exact=True).click()
    expect(other).to_have_url(re.compile(rf"/consultations/{second.id}$"))
    did = other.get_by_role("region", name="You said, we did")
    expect(did.get_by_role("heading", level=2)).to_have_text("You said, we did")
    expect(did).to_contain_text(FEEDBACK[second.title])
    expect(other.get_by_role("region", name="What people said")).to_contain_text(FEWER_THAN_FIVE)
    check("the consultation's page with You said, we did")


# 4. A visitor on a shared computer -------------------------------------------------------------


def session_cookie(context: BrowserContext) -> dict:
    cookies = [cookie for cookie in context.cookies() if cookie["name"] == "session"]
    assert len(cookies) == 1, f"expected one session cookie, found {[c['name'] for c in context.cookies()]}"
    return dict(cookies[0])


def test_a_visitor_answers_and_the_next_person_on_that_browser_starts_afresh(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, world: dict[str, Asked]
) -> None:
    asked = world["public"]
    question = asked.prompt(1)
    context = new_context()
    page = context.new_page()

    page.goto("/consultations")
    open_now = list_after(page, "Open now")
    open_now.get_by_role("link", name=asked.title, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}$"))
    assert_accessible(page, "the public consultation's page (visitor)")
    page.get_by_role("button", name="Start", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}/respond$"))
    expect(page.locator("main")).to_contain_text("You do not need an account, and we do not ask for your name.")
    expect(page.get_by_label("How old are you?", exact=True)).to_have_value("")
    expect(page.get_by_label("How old are you?", exact=True).locator("option:checked")).to_have_text(
        "Prefer not to say"
    )
    expect(page.get_by_label("Which district do you live in?", exact=True)).to_have_value("")
    assert_accessible(page, "start page (visitor)")
    page.get_by_role("button", name="Start now").click()
    answer_question(page, asked, 1, 2, lambda label: assert_accessible(page, f"{label} (visitor)"))
    expect_check_page(page, asked, [2], changing=False)
    expect(page.get_by_label("Email me when they say what they did with the answers")).to_have_count(0)
    assert_accessible(page, "check your answers (visitor)")
    page.get_by_role("button", name="Send my answers", exact=True).click()
    expect_sent(page, asked)
    expect(page.get_by_text(NOT_OPENED_AGAIN)).to_be_visible()
    expect(page.get_by_role("button", name="Change your answers")).to_have_count(0)
    assert_accessible(page, "confirmation (visitor)")
    assert counted(live_server.app, asked) == Counted(1, [[0, 0, 1]]), counted(live_server.app, asked)

    # A session cookie: it ends when the browser is closed (no Expires, no Max-Age).
    cookie = session_cookie(context)
    assert cookie["expires"] == -1, f"the visitor's session cookie lasts until {cookie['expires']}: {cookie}"

    # The next person on this browser: a fresh start, nothing of the answers sent.
    page.close()
    page = context.new_page()
    page.goto(f"/consultations/{asked.id}")
    take_part = page.locator("#take-part")
    expect(take_part.get_by_role("button", name="Start", exact=True)).to_be_visible()
    expect(page.get_by_text("You have sent your answers")).to_have_count(0)
    expect(page.get_by_role("button", name=re.compile("Continue"))).to_have_count(0)
    assert_accessible(page, "the public consultation's page (the next visitor)")
    page.goto(f"/consultations/{asked.id}/respond/check")
    expect(page).to_have_url(re.compile(rf"/consultations/{asked.id}/respond$"))
    expect(page.get_by_role("button", name="Start now")).to_be_visible()
    expect(page.get_by_role("button", name=re.compile("Continue"))).to_have_count(0)
    expect(page.get_by_text("You have answered")).to_have_count(0)
    expect(page.get_by_role("link", name="Check your answers")).to_have_count(0)
    assert_accessible(page, "start page (the next visitor)")
    page.goto(f"/consultations/{asked.id}/respond/done")
    expect(page.get_by_text(NOT_OPENED_AGAIN)).to_be_visible()
    expect(page.locator(".govuk-summary-list")).to_have_count(0)
    assert_accessible(page, "confirmation (the next visitor)")

    # Starting: the question has no answer chosen (answer_question checks every option is unchosen).
    page.goto(f"/consultations/{asked.id}/respond")
    page.get_by_role("button", name="Start now").click()
    answer_question(page, asked, 1, 0, lambda label: assert_accessible(page, f"{label} (the next visitor)"))
    expect_check_page(page, asked, [0], changing=False)
    expect(summary_row(page, question)).not_to_contain_text(asked.option(1, 2))
    assert counted(live_server.app, asked) == Counted(1, [[0, 0, 1]]), "the next visitor's unsent answer was counted"
    assert session_cookie(context)["expires"] == -1
