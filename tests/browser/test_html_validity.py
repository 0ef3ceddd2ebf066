"""#14.23: every page is valid HTML by the Nu Html Checker (vnu.jar, the npm
devDependency vnu-jar), so it stays that way.

Each role's pages are found as tests/browser/test_phones.py finds them: the
links a person can follow from their home, one page per kind of address. Each
role also sends a few forms empty (the 422 page, with its error summary), and
asks for the main htmx fragments as htmx does (a search, a filter, a refused
form), each set in a bare document. What the server sent, not the browser's
DOM, is checked: the pages are fetched with the signed-in person's cookies
(no rendering, which keeps the test quick) into one folder, and one run of the
checker reads the lot (one JVM start)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Response

from tests.browser.conftest import LiveServer
from tests.browser.helpers import sign_in
from tests.browser.test_phones import ACCOUNTS, follow_links

pytestmark = pytest.mark.browser

VNU = Path(__file__).resolve().parents[2] / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# One short run: the quick compiler only (a third of the CPU time), which needs a
# deeper stack for the checker's schema.
QUICK_JVM = ["-XX:TieredStopAtLevel=1", "-Xss8m"]

# (role, the page (a pattern its address matches), the button of a form sent
# empty): the page again with 422 and its errors (dates, radios and a password
# box among them).
REFUSED_FORMS = [
    ("visitor", r"^/sign-in$", "Sign in"),
    ("young_person", r"^/report-a-concern$", "Send report"),
    ("youth_member", r"^/campaigns/new$", "Save the campaign"),
    ("chair", r"^/plan$", "Add to the plan"),
    ("cabinet_member", r"^/updates/import$", "Check the import"),
    ("partner", r"^/consultations/new$", "Save and add questions"),
    ("officer", r"^/people/invite$", "Send invitation"),
    ("officer", r"^/youth-cabinet$", "Add the office"),
]
# (role, the page, the button of an htmx form): the fragment htmx asks for
# with the form as it is on the page (htmx forms sent empty are refused: 422).
HTMX_FORMS = [
    ("visitor", r"^/campaigns$", "Show campaigns"),
    ("officer", r"^/people$", "Search"),
    ("youth_member", r"^/campaigns/[^/]+$", "Add reach"),
    ("youth_member", r"^/area-of-interest/pairings/\d+$", "Add to the log"),
    ("officer", r"^/consultations/moderation$", "Save the decision on answer 1"),
]
# (role, address, status): pages that say no.
REFUSALS = [
    ("visitor", "/no-such-page", 404),
    ("visitor", "/invitation/not-a-token", 400),
    ("young_person", "/people", 403),
]
# A fragment is checked inside the smallest document that holds it.
BARE_DOCUMENT = (
    '<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>'
    "<body>{fragment}</body></html>"
)


class Pages:
    """The folder of pages to check, and what each file is (for the failure message)."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.what: dict[str, str] = {}

    def add(self, role: str, what: str, html: str) -> None:
        name = f"{len(self.what):03d}.html"
        (self.folder / name).write_text(html, encoding="utf-8")
        self.what[name] = f"{role}: {what}"


class Links(HTMLParser):
    """The addresses a page's links point to, as the browser resolves them."""

    def __init__(self, url: str, html: str):
        super().__init__()
        self.url = url
        self.found: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.found.append(urljoin(self.url, href))


def documents(page: Page) -> list[Response]:
    """The responses the page navigates to (redirects followed), as they arrive."""
    seen: list[Response] = []
    page.on("response", lambda r: seen.append(r) if r.request.is_navigation_request() else None)
    return seen


def first_visited(visited: list[str], pattern: str) -> str:
    paths = [path for path in visited if re.search(pattern, urlsplit(path).path)]
    assert paths, f"no page visited matches {pattern}: {visited}"
    return paths[0]


def send_empty(page: Page, sent: list[Response], path: str, button: str) -> str:
    """Send the form of ``button`` as the page has it: the 422 page."""
    page.goto(path)
    page.get_by_role("button", name=button, exact=True).click()
    page.wait_for_load_state()
    response = sent[-1]
    assert response.status == 422, f"{path}, {button}: {response.status}"
    return response.text()


def as_htmx(page: Page, path: str, button: str) -> str:
    """What htmx gets for the form of ``button``, sent as the page has it."""
    page.goto(path)
    form = page.get_by_role("button", name=button, exact=True).locator("xpath=ancestor::form[1]")
    # Repeated names (a date's three boxes) stay repeated, as htmx sends them.
    pairs = form.evaluate("f => Array.from(new FormData(f).entries())")
    fields = urlencode([(name, value) for name, value in pairs])
    post, get = form.get_attribute("data-hx-post"), form.get_attribute("data-hx-get")
    assert post or get, f"{path}, {button}: not an htmx form"
    token = page.locator("meta[name=csrf-token]").get_attribute("content") or ""
    headers = {"HX-Request": "true", "HX-Current-URL": page.url, "X-CSRFToken": token}
    base = urlsplit(page.url)._replace(path="", query="").geturl()
    if post:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        response = page.request.post(base + post, data=fields, headers=headers)
    else:
        response = page.request.get(f"{base}{get}?{fields}", headers=headers)
    assert response.status in {200, 422}, f"{path}, {button}: {response.status}"
    return BARE_DOCUMENT.format(title=f"{button}: htmx", fragment=response.text())


def collect(context: BrowserContext, live_server: LiveServer, role: str, pages: Pages) -> int:
    page = context.new_page()
    sent = documents(page)
    email = ACCOUNTS[role]
    if email:
        sign_in(page, email)

    def visit(path: str) -> list[str] | None:
        response = context.request.get(live_server.url + path)
        if not response.ok or "text/html" not in response.headers.get("content-type", ""):
            return None
        html = response.text()
        pages.add(role, path, html)
        return Links(response.url, html).found

    visited = follow_links(live_server.url, "/dashboard" if email else "/", visit)
    for who, path, status in REFUSALS:
        if who == role:
            response = context.request.get(live_server.url + path)
            assert response.status == status, f"{path}: {response.status}"
            pages.add(role, f"{path} ({status})", response.text())
    for who, pattern, button in REFUSED_FORMS:
        if who == role:
            path = first_visited(visited, pattern)
            pages.add(role, f"{path} sent empty ({button})", send_empty(page, sent, path, button))
    for who, pattern, button in HTMX_FORMS:
        if who == role:
            path = first_visited(visited, pattern)
            pages.add(role, f"{path}, htmx fragment of {button}", as_htmx(page, path, button))
    return len(visited)


def problems(pages: Pages) -> list[str]:
    """The checker's errors, one readable entry each: page, line, message, extract."""
    run = subprocess.run(
        ["java", *QUICK_JVM, "-jar", str(VNU), "--format", "json", "--errors-only", str(pages.folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode in {0, 1}, run.stderr
    messages = json.loads(run.stderr)["messages"]
    found = []
    for message in messages:
        name = Path(urlsplit(message.get("url", "")).path).name
        where = f"line {message['lastLine']}" if "lastLine" in message else message.get("type", "")
        extract = " ".join(message.get("extract", "").split())
        found.append(f"- {pages.what.get(name, name)}, {where}: {message['message']}\n    {extract}")
    return found


@pytest.mark.skipif(shutil.which("java") is None or not VNU.exists(), reason="needs Java and `npm ci` (vnu-jar)")
def test_every_page_is_valid_html(
    new_context: Callable[..., BrowserContext], live_server: LiveServer, tmp_path: Path
) -> None:
    pages = Pages(tmp_path)
    counts = {}
    for role in ACCOUNTS:
        # The server's HTML is what is checked: no scripts, no styles or images to fetch.
        context = new_context(java_script_enabled=False)
        context.route(re.compile(r"/static/"), lambda route: route.abort())
        counts[role] = collect(context, live_server, role, pages)
    assert all(count > 10 for count in counts.values()), counts
    # Proof that the checker read the folder: it must find the one error planted for it.
    pages.add("planted", "an error", BARE_DOCUMENT.format(title="Planted", fragment="<div required></div>"))

    found = problems(pages)
    planted = [entry for entry in found if entry.startswith("- planted: an error,")]
    assert len(planted) == 1, f"the checker missed the error planted for it: {found[:3]}"
    found.remove(planted[0])
    if found:
        heading = f"The Nu Html Checker found {len(found)} error(s) in {len(pages.what)} pages:"
        pytest.fail("\n".join([heading, *sorted(found)]), pytrace=False)
