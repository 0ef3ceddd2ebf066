"""Journeys through the portal in Chromium, with an axe check of each page reached.

The server is the real app on 127.0.0.1 with the demo world loaded
(tests/browser/conftest.py). Tests that change data use addresses of their own,
so they do not depend on the order they run in.
"""

from __future__ import annotations

import re
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as email_policy
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from portal.templating import full_stop
from tests.browser.conftest import LiveServer
from tests.browser.helpers import (
    assert_accessible,
    assert_same_document,
    error_summary,
    htmx_response,
    navigation_items,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"
SIGNED_IN_MENU = {"Your dashboard", "Your account", "Sign out"}
OFFICER_ONLY = {"Manage"}


def mails_to(server: LiveServer, address: str) -> list[EmailMessage]:
    """The mails in the live server's outbox folder addressed to ``address``, oldest first."""
    folder = Path(server.app.config["OUTBOX_DIR"])
    messages = [
        message_from_bytes(path.read_bytes(), policy=email_policy)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]
    return [message for message in messages if message["To"] == address]  # type: ignore[misc]


# 1. The invitation journey -------------------------------------------------


def test_officer_invites_a_youth_member_who_sets_up_their_account(page: Page, live_server: LiveServer) -> None:
    name, email, password = "Zara Q.", "zara.q@browser.example", "seven purple lighthouses"

    # The officer signs in through the form and goes to People.
    sign_in(page, OFFICER)
    expect(page.get_by_role("heading", level=1)).to_have_text("Hello, Lance John")
    assert_accessible(page, "officer's dashboard")
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Manage").click()
    page.get_by_role("main").get_by_role("link", name="People", exact=True).click()
    expect(page).to_have_url(re.compile(r"/people$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page, "people list")

    page.get_by_role("link", name="Invite someone").click()
    expect(page).to_have_url(re.compile(r"/people/invite$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Invite someone")
    assert_accessible(page, "invite form")

    # An empty form: the error summary, linked to the fields.
    page.get_by_role("button", name="Send invitation").click()
    summary = error_summary(page)
    expect(summary).to_contain_text("Enter the person's name")
    expect(summary).to_contain_text("Enter the person's email address")
    expect(summary).to_contain_text("Choose a role")
    expect(page).to_have_title(re.compile(r"^Error: Invite someone"))
    assert_accessible(page, "invite form with errors")
    summary.get_by_role("link", name="Enter the person's name").click()
    expect(page.get_by_label("Name", exact=True)).to_be_focused()

    # The filled form: a Youth Cabinet member with an age band and a district.
    page.get_by_label("Name", exact=True).fill(name)
    page.get_by_label("Email address", exact=True).fill(email)
    page.get_by_label("Role", exact=True).select_option(label="Youth Cabinet member")
    page.get_by_label("Age band (young people only)").select_option(label="14 to 16")
    page.get_by_label("District (young people only)").select_option(label="Horsham")
    page.get_by_role("button", name="Send invitation").click()

    expect(page).to_have_url(re.compile(r"/people/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.locator(".govuk-notification-banner")).to_contain_text(f"Invitation sent to {email}.")
    expect(page.locator(".govuk-caption-l")).to_have_text("Youth Cabinet member")
    expect(page.get_by_role("button", name="Send the invitation again")).to_be_visible()
    assert_accessible(page, "new person's page")

    # The invitation email holds a link to this server.
    mails = mails_to(live_server, email)
    assert len(mails) == 1, [m["Subject"] for m in mails]
    body = mails[0].get_content()
    match = re.search(re.escape(live_server.url) + r"(/invitation/\S+)", body)
    assert match, body
    link = match.group(1)

    # The officer signs out with the menu's button (a POST form).
    sign_out(page)
    expect(page).to_have_url(live_server.url + "/")
    assert "Sign in" in navigation_items(page)
    assert_accessible(page, "home page after signing out")

    # The invitee opens the link.
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up your account")
    # A name ends with its initial's full stop: no second one after it (#14.5).
    expect(page.get_by_text(f"Welcome, {full_stop(name)} You have been invited")).to_be_visible()
    assert_accessible(page, "choose a password")

    # Two different passwords: an error, nothing saved.
    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Type the password again").fill(password + " no")
    page.get_by_role("button", name="Save password and sign in").click()
    expect(error_summary(page)).to_contain_text("The two passwords are not the same")
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_accessible(page, "choose a password with errors")

    page.get_by_label("Create a password").fill(password)
    page.get_by_label("Type the password again").fill(password)
    page.get_by_role("button", name="Save password and sign in").click()

    # Signed in as the new youth member, with their own menu.
    expect(page).to_have_url(re.compile(r"/dashboard$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        f"Welcome, {full_stop(name)} Your password is saved"
    )
    expect(page.locator(".govuk-summary-list")).to_contain_text("Horsham")
    menu = navigation_items(page)
    assert {"Your dashboard", "Your account"} <= set(menu), menu
    assert not OFFICER_ONLY & set(menu), menu
    assert_accessible(page, "new youth member's dashboard")

    # The link works once.
    sign_out(page)
    response = page.goto(link)
    assert response is not None and response.status == 400
    expect(page.get_by_role("heading", level=1)).to_have_text("This link does not work")
    assert_accessible(page, "used invitation link")

    # And the password chosen is the one that signs in.
    sign_in(page, email, password)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Hello, {name}")


# 2. Each role's navigation -------------------------------------------------


@pytest.mark.parametrize(
    ("email", "sees_officer_pages"),
    [
        (OFFICER, True),
        ("cabinet.member@demo.example", False),
        ("chair@demo.example", False),
        ("member@demo.example", False),
        ("young.person@demo.example", False),
        ("partner@demo.example", False),
    ],
)
def test_each_role_sees_its_own_navigation(
    page: Page, live_server: LiveServer, email: str, sees_officer_pages: bool
) -> None:
    sign_in(page, email)
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile(r"^Hello, "))
    menu = set(navigation_items(page))
    assert menu >= SIGNED_IN_MENU, menu
    assert "Sign in" not in menu, menu
    if sees_officer_pages:
        assert menu >= OFFICER_ONLY, menu
    else:
        assert not OFFICER_ONLY & menu, menu
    assert_accessible(page, f"dashboard of {email}")

    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Your account").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.locator(".govuk-summary-list")).to_contain_text(email)
    assert_accessible(page, f"account page of {email}")

    # What the menu hides is refused too.
    response = page.goto("/people")
    assert response is not None
    assert response.status == (200 if sees_officer_pages else 403)


# Every page the officer's menu had before it was grouped (#14.25).
OFFICERS_OLD_MENU = {
    "Home": "/",
    "Your dashboard": "/dashboard",
    "Campaigns": "/campaigns",
    "Plan": "/plan",
    "Consultations": "/consultations",
    "Updates": "/updates",
    "Your updates": "/updates/yours",
    "Chair's statement": "/statements",
    "Area of Interest": "/area-of-interest",
    "Youth Cabinet": "/youth-cabinet",
    "People": "/people",
    "Audit log": "/audit",
    "Safeguarding": "/safeguarding",
    "Your account": "/account",
}
MENU_ROWS = """() => new Set(Array.from(document.querySelectorAll('.govuk-service-navigation__item'))
  .map(item => Math.round(item.getBoundingClientRect().top))).size"""


def links_on(page: Page, base: str, scope: str = "a[href]") -> set[str]:
    """The addresses of this portal that the page links to (paths only)."""
    hrefs = page.eval_on_selector_all(scope, "links => links.map(a => a.href)")
    return {urlsplit(href).path for href in hrefs if href.startswith(base)}


def test_the_officers_menu_is_one_short_row_that_reaches_every_page(
    new_context, page: Page, live_server: LiveServer
) -> None:
    """#14.25: 15 entries in three rows became a short menu with a Manage page;
    every page of the old menu is still at most two clicks from the dashboard."""
    page.set_viewport_size({"width": 1024, "height": 800})
    sign_in(page, OFFICER)
    menu = navigation_items(page)
    assert menu == ["Your dashboard", "Campaigns", "Consultations", "Updates", "Manage", "Your account", "Sign out"]
    assert page.evaluate(MENU_ROWS) == 1, "the officer's menu wraps on a desktop"

    one_click = links_on(page, live_server.url)
    menu_pages = links_on(page, live_server.url, "nav[aria-label='Main menu'] a[href]")
    two_clicks = set(one_click)
    for path in menu_pages:
        page.goto(path)
        two_clicks |= links_on(page, live_server.url)
    missing = {label: path for label, path in OFFICERS_OLD_MENU.items() if path not in two_clicks}
    assert not missing, f"more than two clicks from the dashboard: {missing}"

    # The Manage page, by its entry, which stays marked while a tool is open.
    page.goto("/dashboard")
    nav = page.get_by_role("navigation", name="Main menu")
    nav.get_by_role("link", name="Manage").click()
    expect(page).to_have_url(re.compile(r"/manage$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage the portal")
    expect(page.get_by_role("main").get_by_role("heading", level=2)).to_have_text(
        ["People and safety", "Consultations", "The Youth Cabinet", "Reports to the council"]
    )
    expect(nav.locator(".govuk-service-navigation__item--active")).to_have_text("Manage")
    assert_accessible(page, "the Manage page")
    page.set_viewport_size({"width": 320, "height": 640})
    assert_accessible(page, "the Manage page at 320 pixels")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.get_by_role("main").get_by_role("link", name="Audit log").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit log")
    expect(nav.locator(".govuk-service-navigation__item--active")).to_have_text("Manage")

    # Without JavaScript the phone menu is open, and the Manage page a plain link.
    plain = new_context(java_script_enabled=False, viewport={"width": 320, "height": 640}).new_page()
    sign_in(plain, OFFICER)
    plain.get_by_role("navigation", name="Main menu").get_by_role("link", name="Manage").click()
    plain.get_by_role("main").get_by_role("link", name="Cabinet Members' updates").click()
    expect(plain.get_by_role("heading", level=1)).to_have_text("Cabinet Members' updates")


def test_signed_out_navigation_offers_sign_in(page: Page, live_server: LiveServer) -> None:
    page.goto("/")
    menu = set(navigation_items(page))
    assert "Sign in" in menu, menu
    assert not (SIGNED_IN_MENU | OFFICER_ONLY) & menu, menu
    page.get_by_role("navigation", name="Main menu").get_by_role("link", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))


# 3. Active search on /people ----------------------------------------------


def test_people_search_updates_results_without_a_page_load(page: Page, live_server: LiveServer) -> None:
    sign_in(page, OFFICER)
    page.goto("/people")
    results = page.locator("#people-results")
    expect(results).to_contain_text("Lance John")
    expect(results).to_contain_text("Aisha K.")

    # A marker that a full page load would wipe out.
    page.evaluate("window.__sameDocument = true")
    response = htmx_response(
        page,
        lambda: page.get_by_label("Name or email address").press_sequentially("Priya", delay=20),
        r"/people\?.*q=Priya",
        method="GET",
    )
    assert response.status == 200

    expect(page).to_have_url(re.compile(r"/people\?(.*&)?q=Priya(&|$)"))
    # The count is announced from a live region that stays on the page.
    count = page.locator("#people-count")
    expect(count).to_have_attribute("role", "status")
    expect(count).to_have_text("1 person.")
    rows = results.locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Priya S.")
    expect(results).not_to_contain_text("Lance John")
    expect(results).not_to_contain_text("Aisha K.")
    assert_same_document(page, "the search")
    # The fragment replaced the region; the page around it is still whole.
    expect(page.locator("#people-results")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    assert_accessible(page, "people list after an active search")


def test_people_search_works_without_javascript(new_context, live_server: LiveServer) -> None:
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, OFFICER)
    page.goto("/people?q=Daisy")
    results = page.locator("#people-results")
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Daisy")
    expect(results).not_to_contain_text("Lance John")

    # The plain GET form, sent with the Search button.
    page.get_by_label("Name or email address").fill("Aisha")
    page.get_by_role("button", name="Search").click()
    expect(page).to_have_url(re.compile(r"/people\?(.*&)?q=Aisha(&|$)"))
    expect(results.locator("tbody tr")).to_have_count(1)
    expect(results).to_contain_text("Aisha K.")
    expect(results).not_to_contain_text("Daisy")


# 4. Public pages, signed out ----------------------------------------------


@pytest.mark.parametrize(
    ("path", "status", "heading"),
    [
        ("/", 200, "West Sussex Youth Cabinet"),
        ("/sign-in", 200, "Sign in"),
        ("/privacy", 200, "Privacy notice"),
        ("/accessibility", 200, "Accessibility statement for the West Sussex Youth Cabinet portal"),
        ("/report-a-concern", 200, "Report a concern"),
        ("/forgot-password", 200, "Reset your password"),
        ("/no-such-page", 404, "Page not found"),
    ],
)
def test_public_page_is_accessible(page: Page, live_server: LiveServer, path: str, status: int, heading: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == status
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    assert_accessible(page, path)


def test_failed_sign_in_is_accessible(page: Page, live_server: LiveServer) -> None:
    sign_in_page = page.goto("/sign-in")
    assert sign_in_page is not None and sign_in_page.ok
    page.get_by_label("Email address", exact=True).fill("nobody@browser.example")
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(error_summary(page)).to_contain_text("Your email address or password is not right")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page).to_have_title(re.compile(r"^Error: Sign in"))
    assert "Sign in" in navigation_items(page)
    assert_accessible(page, "sign-in page after a failed sign-in")


# 5. Screenshots --------------------------------------------------------------


@pytest.mark.parametrize(("width", "height"), [(1280, 900), (375, 740)], ids=["desktop", "phone"])
def test_dashboard_renders_at_desktop_and_phone_widths(
    page: Page, live_server: LiveServer, tmp_path: Path, width: int, height: int
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    sign_in(page, OFFICER)
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    # WCAG 1.4.10 (reflow): nothing scrolls sideways at phone width.
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"the page is {scroll_width}px wide in a {width}px viewport"
    shot = tmp_path / f"dashboard-{width}x{height}.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
