"""The "service unavailable" page (#16.3) in the browser: while the database is
away a visitor and a young person sending answers get the branded 503, axe
clean, nothing sideways at 320 px; the next request after it is back works."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect

from tests.browser.helpers import assert_accessible, screenshots
from tests.core.test_faults import database_away


def test_the_unavailable_page_is_accessible_and_the_portal_comes_back(page: Page, live_server):
    with database_away(live_server.app):
        answer = page.goto("/consultations")
        assert answer is not None and answer.status == 503
        assert answer.headers["retry-after"] == "30"
        expect(page.get_by_role("heading", level=1)).to_have_text("Sorry, the service is unavailable")
        expect(page).to_have_title(re.compile("unavailable", re.IGNORECASE))
        assert_accessible(page, "the service unavailable page")
        page.set_viewport_size({"width": 320, "height": 700})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        screenshots(page, "service-unavailable")
    # Back without a restart.
    assert page.goto("/consultations").status == 200
