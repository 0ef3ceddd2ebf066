"""Committees' recommendations (#17.1) in Chromium, by visible labels, with
an axe check of every page and state.

An officer records the scrutiny committee's minute 67.5 and its four
recommendations (a recommendation with no owner is refused first); the
Cabinet Member for Children and Young People sees the three addressed to her
beside her next update, responds to one, and publishes; a visitor reads them,
with the response, in the published update and on the public list.

The demo world already holds minute 67.5; this module starts without it, so
the officer records it by hand. Screenshots: /tmp/shots/recommendations-*.png
(desktop and phone) and a 320 px check that nothing scrolls sideways.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import delete, select

from portal.extensions import db
from portal.models import CabinetUpdate, CommitteeMeeting, Recommendation, RecommendationResponse, User
from portal.templating import local_today, long_date
from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    accessible_at_320_px,
    assert_accessible,
    error_summary,
    fill_date,
    screenshots,
    sign_in,
    sign_out,
    success_banner,
)

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"
CABINET_MEMBER = "cabinet.member@demo.example"
MEMBER_NAME = "Jacquie Russell"
COMMITTEE = "Children and Young People's Services Scrutiny Committee"
HEADING = "Recommendations from committees"

# (text, addressed to, the Cabinet Member or the officer's job, owner)
SEED = [
    (
        "The Senior Improvement Lead considers how to facilitate member involvement in practice week.",
        "A council officer's post",
        "Senior Improvement Lead",
        "Lance John",
    ),
    (
        "The Cabinet Member for Children and Young People invite CYPSSC members to a future meeting of the "
        "Corporate Parenting Panel.",
        "A Cabinet Member",
        MEMBER_NAME,
        MEMBER_NAME,
    ),
    (
        "It receives an update on the experience and outcomes of practice week.",
        "A Cabinet Member",
        MEMBER_NAME,
        MEMBER_NAME,
    ),
    (
        "It would like to see more child-focussed measures in future reports.",
        "A Cabinet Member",
        MEMBER_NAME,
        MEMBER_NAME,
    ),
]
RESPONSE = "CYPSSC members are invited to the Corporate Parenting Panel's next meeting."


@pytest.fixture(scope="module")
def draft_id(live_server: LiveServer) -> int:
    """No recommendations yet (the demo's are taken away); the Cabinet Member's draft for the next meeting."""
    with live_server.app.app_context():
        for model in (RecommendationResponse, Recommendation, CommitteeMeeting):
            db.session.execute(delete(model))
        db.session.commit()
        member = db.session.scalar(select(User).where(User.email == CABINET_MEMBER))
        assert member is not None
        draft = db.session.scalar(
            select(CabinetUpdate.id).where(CabinetUpdate.author_id == member.id, CabinetUpdate.status == "draft")
        )
        assert draft is not None
        db.session.remove()
        return draft


def _record_the_four(page: Page) -> None:
    sign_in(page, OFFICER)
    page.goto("/recommendations")
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADING)
    page.get_by_role("link", name="Record a committee meeting").click()
    assert_accessible(page, "recording a meeting")
    page.get_by_role("button", name="Save and add recommendations").click()
    expect(error_summary(page)).to_contain_text("Enter the committee's name")
    assert_accessible(page, "recording a meeting, refused")
    page.get_by_label("Committee", exact=True).fill(COMMITTEE)
    fill_date(page, "Date of the meeting", 5, 3, 2020)
    page.get_by_label("Minute number").fill("67.5")
    page.get_by_role("button", name="Save and add recommendations").click()
    expect(success_banner(page)).to_contain_text("Minute 67.5 is recorded")
    expect(page.get_by_role("heading", level=1)).to_have_text("Minute 67.5")

    due = local_today() + timedelta(days=90)
    for number, (text, addressed, whom, owner) in enumerate(SEED, start=1):
        expect(page.get_by_label("Recommendation number")).to_have_value(str(number))
        page.get_by_label("What does the committee recommend?").fill(text)
        page.get_by_label(addressed, exact=True).check()
        if addressed == "A Cabinet Member":
            page.get_by_label("Which Cabinet Member?").select_option(label=whom)
        else:
            page.get_by_label("Which officer's job?").fill(whom)
        fill_date(page, "Date of the meeting it is due at", due)
        if number == 1:  # no owner: refused next to the field, what was typed kept
            page.get_by_role("button", name="Add the recommendation").click()
            expect(error_summary(page)).to_contain_text("Choose who owns it")
            expect(page.locator("#owner-error")).to_contain_text("Choose who owns it")
            expect(page.get_by_label("What does the committee recommend?")).to_have_value(text)
            assert_accessible(page, "a recommendation without an owner")
        page.get_by_label("Owner", exact=True).select_option(label=owner)
        page.get_by_role("button", name="Add the recommendation").click()
        expect(success_banner(page)).to_contain_text(f"Recommendation {number} is added")
    for text, *_ in SEED:
        expect(page.locator("body")).to_contain_text(text)
    assert_accessible(page, "the meeting with its four recommendations")
    screenshots(page, "recommendations-meeting")
    sign_out(page)


def test_recorded_answered_published_and_read(page: Page, live_server: LiveServer, draft_id: int) -> None:
    _record_the_four(page)

    # The Cabinet Member sees the three addressed to her beside her next update, and responds.
    sign_in(page, CABINET_MEMBER)
    page.goto(f"/updates/{draft_id}/edit")
    panel = page.locator("#recommendations")
    panel.get_by_text(f"{HEADING}: 3 open").click()  # the panel unfolds
    for text, _, whom, _ in SEED:
        if whom == MEMBER_NAME:
            expect(panel.get_by_text(text)).to_be_visible()
        else:
            expect(panel).not_to_contain_text(text)
    assert_accessible(page, "the update editor with its recommendations")
    panel.get_by_role("link", name="Respond to recommendation 2 of minute 67.5").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Respond to recommendation 2 of minute 67.5")
    assert_accessible(page, "responding")
    page.get_by_role("button", name="Save the response").click()
    expect(page.locator("#text-error")).to_contain_text("Say what has been done or decided")
    assert_accessible(page, "responding, refused")
    page.get_by_label("In progress").check()
    page.get_by_label("Response", exact=True).fill(RESPONSE)
    page.get_by_role("button", name="Save the response").click()
    expect(page).to_have_url(re.compile(rf"/updates/{draft_id}/edit\?recommendations=open#recommendations$"))
    expect(success_banner(page)).to_contain_text("is now “In progress”")
    expect(panel.get_by_text(RESPONSE)).to_be_visible()  # back with the panel open
    assert_accessible(page, "the update editor after a response")
    screenshots(page, "recommendations-editor")

    # The next update needs its meeting date, then it is published.
    meeting = local_today() + timedelta(days=30)
    page.locator("#details-change summary").click()
    fill_date(page, "Date of the council meeting", meeting)
    page.get_by_role("button", name="Save the details").click()
    page.get_by_role("link", name="Publish", exact=True).click()
    without = page.get_by_label("Publish without the Chair's statement")
    if without.count():
        without.check()
    page.get_by_role("button", name="Publish", exact=True).click()
    expect(success_banner(page)).to_contain_text("Published as version 1.")
    published_url = page.url
    sign_out(page)

    # A visitor reads them in the published update...
    page.goto(published_url)
    section = page.locator("#recommendations-from-committees")
    expect(section.get_by_role("heading", name=HEADING)).to_be_visible()
    expect(section).to_contain_text(SEED[1][0])
    expect(section).to_contain_text(f"Response, {long_date(local_today())}: {RESPONSE}")
    expect(section).to_contain_text("Status: In progress")
    expect(section).not_to_contain_text(SEED[0][0])
    assert_accessible(page, "the published update, a visitor's view")
    screenshots(page, "recommendations-published")
    accessible_at_320_px(page, "the published update")

    # ...and on the public list, filtered by status, and on each one's page.
    section.get_by_role("link", name=re.compile("recommendation 2$")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recommendation 2 of minute 67.5")
    expect(page.locator("body")).to_contain_text(RESPONSE)
    expect(page.get_by_role("link", name=re.compile("^Respond"))).to_have_count(0)
    assert_accessible(page, "a recommendation's page")
    page.get_by_role("link", name="All recommendations").click()
    for text, *_ in SEED:
        expect(page.locator("body")).to_contain_text(text)
    page.get_by_label("Status").select_option(label="In progress")
    page.get_by_role("button", name="Show recommendations").click()
    expect(page.get_by_role("status")).to_contain_text("1 recommendation marked “In progress”")
    expect(page.locator("body")).to_contain_text(RESPONSE)
    expect(page.locator("body")).not_to_contain_text(SEED[0][0])
    assert_accessible(page, "the public list, in progress only")
    page.goto("/recommendations")
    assert_accessible(page, "the public list")
    screenshots(page, "recommendations-list")
    accessible_at_320_px(page, "the public list")


def test_the_pages_work_without_javascript(new_context: Callable, live_server: LiveServer, draft_id: int) -> None:
    plain = new_context(java_script_enabled=False).new_page()
    plain.goto("/recommendations?status=done")
    expect(plain.get_by_role("heading", level=1)).to_have_text(HEADING)
    plain.get_by_label("Status").select_option(label="Open")
    plain.get_by_role("button", name="Show recommendations").click()
    expect(plain).to_have_url(re.compile(r"/recommendations\?status=open$"))
