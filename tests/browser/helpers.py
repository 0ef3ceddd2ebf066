"""Helpers shared by the browser tests: signing in and out, the axe check,
filling GOV.UK date inputs, waiting on htmx requests, and finding the
page's messages. One copy of each, so the tests all act and wait the same way.

Fixtures live in conftest.py; these are plain functions to import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, Response, expect

from portal.demo.world import DEMO_PASSWORD

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

# Screenshots for people to look at, outside the repository.
SHOTS = Path("/tmp/shots")
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


# Signing in and out, the menu, the axe check ------------------------------------


def assert_accessible(page: Page, label: str) -> None:
    """axe-core finds no WCAG 2.2 A or AA violation on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    violations = results.response["violations"]
    if violations:
        lines = [f"axe found {len(violations)} violation(s) on {label} ({page.url}):"]
        for violation in violations:
            lines.append(f"- {violation['id']} ({violation.get('impact')}): {violation['help']}")
            for node in violation["nodes"]:
                target = " ".join(str(part) for part in node["target"])
                lines.append(f"    {target}: {node.get('html', '')[:200]}")
        pytest.fail("\n".join(lines), pytrace=False)


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form, as a person would, and land on the dashboard."""
    page.goto("/sign-in")
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/dashboard$"))


def sign_out(page: Page) -> None:
    """Sign out with the menu's button, and wait for the page that says so."""
    page.get_by_role("navigation", name="Main menu").get_by_role("button", name="Sign out").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("You have signed out.")


def navigation_items(page: Page) -> list[str]:
    """The texts of the main menu's entries, the Sign out button included."""
    nav = page.get_by_role("navigation", name="Main menu")
    expect(nav).to_be_visible()
    return [text.strip() for text in nav.get_by_role("listitem").all_inner_texts()]


# The page's messages ------------------------------------------------------------


def error_summary(scope: Page | Locator) -> Locator:
    """The GOV.UK error summary in ``scope`` (a page, or a block htmx swapped in), once it shows."""
    summary = scope.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    return summary


def success_banner(page: Page) -> Locator:
    """The green notification banner a page shows after something worked."""
    return page.locator(".govuk-notification-banner--success")


def announcement(page: Page) -> Locator:
    """The editor's live region, where htmx steps say what they did (the
    consultation builder and the update editor each have one)."""
    return page.locator(".portal-announce")


# Forms ----------------------------------------------------------------------


def fill_date(
    scope: Page | Locator,
    legend: str,
    day: date | int | str,
    month: int | str | None = None,
    year: int | str | None = None,
) -> None:
    """Fill the Day, Month and Year boxes of the date input named ``legend``.

    Give a date, or the day, month and year apart: apart, a test can type a
    date that does not exist (31 2 2030) to see it refused. ``scope`` is the
    page, or a part of it when the page has more than one such date.
    """
    if isinstance(day, date):
        if month is not None or year is not None:
            raise TypeError("fill_date takes a date, or a day, a month and a year, not both")
        day, month, year = day.day, day.month, day.year
    elif month is None or year is None:
        raise TypeError("fill_date needs a month and a year with a day number")
    group = scope.get_by_role("group", name=legend, exact=True)
    group.get_by_label("Day", exact=True).fill(str(day))
    group.get_by_label("Month", exact=True).fill(str(month))
    group.get_by_label("Year", exact=True).fill(str(year))


# htmx ----------------------------------------------------------------------------


def htmx_response(
    page: Page,
    act: Callable[[], None],
    path: str | re.Pattern[str],
    method: str = "POST",
    *,
    settle: bool = False,
) -> Response:
    """Do ``act`` and return the response to the htmx request it sends.

    Waiting on the response (not on time) makes the test as fast as the
    server; matching the ``HX-Request`` header proves it was htmx, not a page
    load. With ``settle``, also wait until htmx has swapped and settled, for
    steps whose next action needs the new content at rest.
    """
    pattern = re.compile(path)
    with page.expect_response(
        lambda r: (
            bool(pattern.search(r.url)) and r.request.method == method and r.request.headers.get("hx-request") == "true"
        )
    ) as info:
        act()
    response = info.value
    if settle:
        # The swap and settle follow the response; the element htmx swaps loses its
        # htmx-request class, so wait for the page to be at rest.
        page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-settling, .htmx-swapping')")
    return response


def assert_same_document(page: Page, what: str, url: str | re.Pattern[str] | None = None) -> None:
    """The page was not reloaded since the test set ``window.__sameDocument``
    (a full load wipes it out): ``what`` was an htmx swap. With ``url``, the
    page is also still at that address."""
    assert page.evaluate("window.__sameDocument === true"), f"{what} reloaded the page instead of an htmx swap"
    if url is not None:
        expect(page).to_have_url(url)


# Text and screenshots --------------------------------------------------------------


def accessible_at_320_px(page: Page, what: str) -> None:
    """At 320 px wide nothing scrolls sideways and axe finds nothing; the viewport is put back after."""
    original = page.viewport_size
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, f"{what} scrolls sideways at 320 px"
    assert_accessible(page, f"{what} at 320 px")
    if original:
        page.set_viewport_size(original)


def squash(text: str) -> str:
    """Runs of white space as one space: text from a PDF or a page breaks lines where it likes."""
    return " ".join(text.split())


def screenshots(page: Page, name: str) -> None:
    """Full-page screenshots at desktop and phone widths, /tmp/shots/{name}-desktop.png
    and -phone.png, for people to look at; the viewport is put back after."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    original = page.viewport_size
    for size_name, size in (("desktop", DESKTOP), ("phone", PHONE)):
        page.set_viewport_size(size)
        page.screenshot(path=str(SHOTS / f"{name}-{size_name}.png"), full_page=True)
    if original:
        page.set_viewport_size(original)
