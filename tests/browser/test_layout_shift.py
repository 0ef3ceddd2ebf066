"""#12.7: nothing moves after a phone has drawn the page. GOV.UK Frontend's
script folds the menu behind its "Menu" button once it has loaded; on a slow
phone network that used to push the whole page up after the first paint
(Lighthouse mobile CLS 0.14 to 0.25). The page now starts with the menu
folded wherever the script will run.

The scripts are held back here (as a slow network would) so that the first
paint happens before they run; the layout shifts Chromium reports
(PerformanceObserver, "layout-shift") are added up as Lighthouse's CLS is."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, Route

from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

PHONE = {"viewport": {"width": 412, "height": 823}, "device_scale_factor": 1.75, "is_mobile": True, "has_touch": True}
SCRIPT_DELAY_SECONDS = 0.6
CLS_TARGET = 0.05

ADD_UP_SHIFTS = """
window.__cls = 0;
new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__cls += entry.value;
}).observe({type: "layout-shift", buffered: true});
"""


def _slow(route: Route) -> None:
    time.sleep(SCRIPT_DELAY_SECONDS)
    route.continue_()


def layout_shift(page: Page, path: str) -> float:
    page.goto(path, wait_until="load")
    # The module scripts have run: GOV.UK Frontend marks the menu as set up.
    page.wait_for_selector("[data-govuk-service-navigation-init]", state="attached")
    return page.evaluate("window.__cls")


@pytest.fixture
def phone(new_context) -> Callable[[], Page]:
    def make() -> Page:
        page = new_context(**PHONE).new_page()
        page.add_init_script(ADD_UP_SHIFTS)
        page.route("**/*.js", _slow)
        page.route("**/*.mjs", _slow)
        return page

    return make


def test_public_pages_do_not_move_after_the_first_paint(phone, live_server: LiveServer):
    page = phone()
    shifts = {path: layout_shift(page, path) for path in ("/", "/campaigns/covid-19-wellbeing", "/updates/1")}
    assert all(value < CLS_TARGET for value in shifts.values()), shifts


def test_a_question_page_does_not_move_after_the_first_paint(phone, live_server: LiveServer):
    page = phone()
    sign_in(page, "young.person@demo.example")
    assert layout_shift(page, "/dashboard") < CLS_TARGET
    page.get_by_role("link", name="Answer it").first.click()
    page.get_by_role("button", name="Start now").click()
    page.wait_for_url("**/respond/*")
    question = page.url
    assert layout_shift(page, question) < CLS_TARGET
