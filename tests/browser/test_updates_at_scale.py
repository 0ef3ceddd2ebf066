"""Issue #16 in the browser: the public list of updates a page at a time, and
the open recommendations beside the update editor ten at a time, each reached
by the GOV.UK pagination's links. axe on every page; nothing scrolls sideways
at 320 px."""

from __future__ import annotations

import re
from datetime import date

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from portal.extensions import db
from portal.models import CabinetUpdate, UpdateVersion, User
from portal.models.base import utcnow
from tests.browser.helpers import accessible_at_320_px, assert_accessible, screenshots, sign_in
from tests.recommendations.helpers import add, meeting

CABINET_MEMBER = "cabinet.member@demo.example"


@pytest.fixture(scope="module")
def world(live_server) -> int:
    """25 more published updates (one a month from 2001) and 12 more open
    recommendations addressed to the demo's Cabinet Member; their draft's id."""
    app = live_server.app
    with app.app_context(), app.test_request_context():
        member = db.session.scalar(select(User).where(User.email == CABINET_MEMBER))
        officer = db.session.scalar(select(User).where(User.role == "officer"))
        assert member is not None and officer is not None
        for n in range(25):
            month = date(2001 + n // 12, n % 12 + 1, 1)
            update = CabinetUpdate(author_id=member.id, title=f"Old update {n}", status="published")
            db.session.add(update)
            db.session.flush()
            db.session.add(
                UpdateVersion(
                    update_id=update.id,
                    number=1,
                    title=f"Old update {n}",
                    meeting_date=month.replace(day=15),
                    report_month=month,
                    author_name=member.display_name,
                    content={},
                    html="<p>The update.</p>",
                    search_text="The update.",
                    published_at=utcnow(),
                )
            )
        found = meeting(officer, minute="99.1")
        for n in range(12):
            add(officer, found, n + 1, cabinet_member=member, text=f"Scale recommendation {n + 1}.")
        db.session.commit()
        draft = db.session.scalar(
            select(CabinetUpdate.id).where(CabinetUpdate.author_id == member.id, CabinetUpdate.status == "draft")
        )
        assert draft is not None
        db.session.remove()
        return draft


def test_a_visitor_pages_through_the_updates(page: Page, world):
    page.goto("/updates")
    expect(page.get_by_role("heading", level=1)).to_contain_text("The Cabinet Member's updates")
    pages = page.get_by_role("navigation", name="Pages of updates")
    expect(pages).to_be_visible()
    expect(page.get_by_role("link", name="Old update 24")).to_be_visible()  # the newest first
    expect(page.get_by_role("link", name="Old update 0", exact=True)).to_have_count(0)
    assert_accessible(page, "the updates, page 1")
    pages.get_by_role("link", name=re.compile("Earlier updates")).click()
    expect(page).to_have_url(re.compile(r"/updates\?page=2$"))
    expect(page.get_by_role("link", name="Old update 0", exact=True)).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("page 2 of 2")
    assert_accessible(page, "the updates, page 2")
    accessible_at_320_px(page, "the updates, page 2")
    screenshots(page, "updates-page-2")
    page.get_by_role("navigation", name="Pages of updates").get_by_role(
        "link", name=re.compile("Later updates")
    ).click()
    expect(page).to_have_url(re.compile(r"/updates$"))


def test_the_cabinet_member_pages_through_the_open_recommendations(page: Page, world):
    sign_in(page, CABINET_MEMBER)
    page.goto(f"/updates/{world}/edit")
    summary = page.get_by_text(re.compile(r"Recommendations from committees: \d+ open"))
    summary.click()
    panel = page.locator("#recommendations")
    expect(panel.get_by_text(re.compile(r"Showing 1 to 10 of \d+, the soonest due first\."))).to_be_visible()
    assert_accessible(page, "the editor, its recommendations opened")
    panel.get_by_role("navigation", name="Pages of open recommendations").get_by_role(
        "link", name=re.compile("Due later")
    ).click()
    expect(page).to_have_url(re.compile(rf"/updates/{world}/edit\?recommendations=open&recommendations_page=2"))
    panel = page.locator("#recommendations")
    expect(panel.get_by_text(re.compile(r"Showing 11 to \d+ of \d+"))).to_be_visible()  # opened, at page 2
    expect(panel.get_by_text("Scale recommendation 12.")).to_be_visible()
    assert_accessible(page, "the editor, recommendations page 2")
    accessible_at_320_px(page, "the editor, recommendations page 2")
    screenshots(page, "update-editor-recommendations-2")
