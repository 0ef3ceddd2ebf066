"""#12.6: phones first. At 320 CSS pixels wide, and at 200% text on a
640-pixel window (the same layout width), no page any role reaches scrolls
sideways: tables reflow into stacked rows or sit in a labelled scroll region
of their own, and charts give way to their tables.

Each role's pages are found by following the links a person can follow from
their home (one page per kind of address, so /campaigns/a and /campaigns/b
count once), signed in with the demo accounts; a visitor starts from the
home page. Downloads and sign-out are not followed."""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Page

from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in

pytestmark = pytest.mark.browser

PHONE_320 = {"width": 320, "height": 640}
TEXT_200_WINDOW = {"width": 640, "height": 800}
ACCOUNTS = {
    "visitor": None,
    "young_person": "young.person@demo.example",
    "youth_member": "member@demo.example",
    "chair": "chair@demo.example",
    "cabinet_member": "cabinet.member@demo.example",
    "partner": "partner@demo.example",
    "officer": "officer@demo.example",
}
NOT_PAGES = re.compile(r"\.(csv|xlsx|pdf|docx|zip|svg|png|atom)$|/(pdf|docx|word|chart|data)$|/sign-out|/static/")
PAGES_PER_ROLE = 80

# The width the page's content needs, beyond the window: 0 when nothing scrolls sideways.
OVERFLOW = """() => {
  const root = document.scrollingElement || document.documentElement;
  return Math.max(0, root.scrollWidth - window.innerWidth);
}"""
# The widest elements poking out of the window (for the failure message).
CULPRITS = """() => Array.from(document.querySelectorAll('main *'))
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1 && !e.closest('.portal-scroll'))
  .slice(0, 3)
  .map(e => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '')
        + ' ' + Math.round(e.getBoundingClientRect().right) + 'px')"""


def shape(path: str) -> str:
    """/campaigns/our-name/reach/12 -> /campaigns/*/reach/#: one page of each kind."""
    parts = []
    for part in path.strip("/").split("/"):
        parts.append("#" if part.isdigit() else part)
    if len(parts) >= 2 and parts[0] in {"campaigns", "updates"} and parts[1] not in {"new", "yours", "#"}:
        parts[1] = "*"
    return "/" + "/".join(parts)


def crawl(page: Page, base: str, start: str, check: Callable[[str], None]) -> list[str]:
    """Visit the pages reachable from ``start`` by following links, one per shape."""

    def visit(path: str) -> list[str] | None:
        try:
            response = page.goto(path)
        except PlaywrightError as error:  # a download: not a page
            if "Download is starting" in str(error):
                return None
            raise
        if response is None or response.status >= 400 or "text/html" not in response.headers.get("content-type", ""):
            return None
        check(path)
        return page.eval_on_selector_all("a[href]", "links => links.map(a => a.href)")

    return follow_links(base, start, visit)


def follow_links(base: str, start: str, visit: Callable[[str], list[str] | None]) -> list[str]:
    """The pages reachable from ``start``, one per shape: ``visit`` opens one and
    gives the addresses it links to (None: not a page)."""
    seen: set[str] = set()
    queue = [start]
    visited: list[str] = []
    while queue and len(visited) < PAGES_PER_ROLE:
        path = queue.pop(0)
        if shape(path) in seen:
            continue
        seen.add(shape(path))
        links = visit(path)
        if links is None:
            continue
        visited.append(path)
        for href in links:
            parts = urlsplit(href)
            if f"{parts.scheme}://{parts.netloc}" != base or NOT_PAGES.search(parts.path):
                continue
            link = parts.path + (f"?{parts.query}" if parts.query else "")
            if shape(parts.path) not in seen:
                queue.append(link)
    return visited


@pytest.mark.parametrize("role", list(ACCOUNTS))
def test_no_page_scrolls_sideways_at_320_pixels(new_page: Callable[[], Page], live_server: LiveServer, role: str):
    page = new_page()
    email = ACCOUNTS[role]
    if email:
        sign_in(page, email)
    page.set_viewport_size(PHONE_320)
    wide: list[str] = []

    def check(path: str) -> None:
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            wide.append(f"{path} (+{overflow}px: {', '.join(page.evaluate(CULPRITS))})")
        # Text at 200% on a 640-pixel window: the same layout width with twice the text.
        page.set_viewport_size(TEXT_200_WINDOW)
        page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
        overflow = page.evaluate(OVERFLOW)
        if overflow > 0:
            wide.append(f"{path} at 200% text (+{overflow}px: {', '.join(page.evaluate(CULPRITS))})")
        page.set_viewport_size(PHONE_320)

    visited = crawl(page, live_server.url, "/dashboard" if email else "/", check)
    assert len(visited) > 5, visited
    assert not wide, f"{len(wide)} of {len(visited)} pages scroll sideways for the {role}:\n" + "\n".join(wide)
