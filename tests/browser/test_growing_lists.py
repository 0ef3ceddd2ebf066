"""Lists that grow (issue #16.4) in Chromium: each list that now comes a page at
a time, with enough data for a second page, walked by the GOV.UK pagination's
"Next" link, with an axe check and screenshots at desktop width and 320 px
(where nothing may scroll sideways) of every page state.

The round's pairings (25 a page) and the programme's "All pairings", a
pairing's shared log (20 a page), a long campaign's reach (by week), the
plan's later items (20 a page) and a partner's "Your requests" (25 a page).
One journey: the officer moves a pairing from page 2 of the round and lands
on the page that shows it.

Screenshots go to /tmp/shots/growing-*.png (not the repository).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect
from sqlalchemy import select

from portal.aoi import operations as aoi_ops
from portal.extensions import db
from portal.models import Consultation, Pairing, PairingLogEntry, Portfolio, PreferenceRound, User
from portal.models.base import utcnow
from portal.templating import long_date
from tests.browser.conftest import LiveServer
from tests.browser.helpers import SHOTS, assert_accessible, error_summary, sign_in, success_banner
from tests.factories import (
    CampaignFactory,
    ConsultationFactory,
    PairingFactory,
    PairingLogEntryFactory,
    PlanItemFactory,
    PreferenceRoundFactory,
    ReachEntryFactory,
)

pytestmark = pytest.mark.browser

OFFICER = "officer@demo.example"
MEMBER = "member@demo.example"  # Aisha K., paired in the demo's 2020 round
PARTNER = "partner@demo.example"

ROUND_TITLE = "Area of Interest 2027 (many members)"
MEMBERS = 35  # 35 pairings: 25 on page 1, 10 on page 2
LOG_ENTRIES = 28  # 20 on page 1, 8 on page 2
PLAN_YEAR = 2097  # all still to come: 45 items, 20 a page
PLAN_ITEMS = 45
REQUESTS = 30  # the partner's, on top of the demo's
CAMPAIGN_SLUG = "summer-of-sport-long"
CAMPAIGN_START = date(2020, 3, 2)  # a Monday; an entry every 3 days for 88 days: by week

DESKTOP: ViewportSize = {"width": 1280, "height": 900}
NARROW: ViewportSize = {"width": 320, "height": 640}


@pytest.fixture(scope="module")
def world(live_server: LiveServer) -> dict[str, int]:
    """On top of the demo world: a proposed round of 35 pairings (the latest
    round), 28 entries on Aisha's 2020 shared log, a campaign over 88 days,
    45 plan items in 2097 and 30 more requests of the demo's partner."""
    with live_server.app.app_context():
        now = utcnow()
        # Members straight into the table: they never sign in, and hashing 35 passwords is slow.
        db.session.execute(
            db.insert(User),
            [
                {
                    "email": f"many{n:02}@test.example",
                    "display_name": f"Many {n:02}",
                    "role": "youth_member",
                    "age_band": "14-16",
                    "district": "Crawley",
                    "active": True,
                    "session_version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for n in range(MEMBERS)
            ],
        )
        members = list(db.session.scalars(select(User).where(User.email.like("many%@test.example")).order_by(User.id)))
        portfolios = list(db.session.scalars(select(Portfolio).order_by(Portfolio.name)))
        round_ = PreferenceRoundFactory(title=ROUND_TITLE, status="proposed", closes_on=date.today())
        for n, member in enumerate(members):
            PairingFactory(round=round_, member=member, portfolio=portfolios[n % len(portfolios)], choice_rank=None)

        officer = db.session.scalar(select(User).where(User.email == OFFICER))
        aisha_pairing = db.session.scalar(
            select(Pairing)
            .join(PreferenceRound, Pairing.round_id == PreferenceRound.id)
            .join(User, Pairing.member_id == User.id)
            .where(User.email == MEMBER, PreferenceRound.title == "Area of Interest 2020")
        )
        assert aisha_pairing is not None
        for n in range(LOG_ENTRIES):
            PairingLogEntryFactory(
                pairing=aisha_pairing,
                author=officer,
                on=date(2021, 1, 4) + timedelta(days=7 * n),
                text=f"Weekly catch-up number {n:02} about the recycling campaign.",
            )

        campaign = CampaignFactory(
            slug=CAMPAIGN_SLUG,
            title="Summer of sport, a long campaign",
            summary="Free sport sessions in every district.",
            status="active",
            published=True,
            starts_on=CAMPAIGN_START,
        )
        for n in range(30):
            ReachEntryFactory(campaign=campaign, on=CAMPAIGN_START + timedelta(days=3 * n), people=10 + n)

        for n in range(PLAN_ITEMS):
            PlanItemFactory(
                title=f"Growing item {n:02}", kind="event", on=date(PLAN_YEAR, 1, 2) + timedelta(days=7 * n)
            )

        partner = db.session.scalar(select(User).where(User.email == PARTNER))
        assert partner is not None
        for n in range(REQUESTS):
            ConsultationFactory(
                title=f"Request about youth services {n:02}",
                status="draft",
                partner=partner,
                updated_at=now - timedelta(hours=REQUESTS - n),
            )
        db.session.commit()
        ids = {"round": round_.id, "aisha_pairing": aisha_pairing.id, "partner": partner.id}
        db.session.remove()
    return ids


def look(page: Page, name: str, what: str) -> None:
    """axe at desktop width and at 320 px, where nothing scrolls sideways; a
    full-page screenshot at each, /tmp/shots/growing-{name}-desktop.png and -320.png."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size(DESKTOP)
    assert_accessible(page, what)
    page.screenshot(path=str(SHOTS / f"growing-{name}-desktop.png"), full_page=True)
    page.set_viewport_size(NARROW)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= NARROW["width"], f"{what} scrolls sideways at 320 px ({width} px wide)"
    assert_accessible(page, f"{what} at 320 px")
    page.screenshot(path=str(SHOTS / f"growing-{name}-320.png"), full_page=True)
    page.set_viewport_size(DESKTOP)


def pager(page: Page, landmark: str) -> Locator:
    """The GOV.UK pagination named ``landmark`` (there is one per list)."""
    nav = page.get_by_role("navigation", name=landmark)
    expect(nav).to_be_visible()
    return nav


def next_link(page: Page, landmark: str) -> Locator:
    return pager(page, landmark).get_by_role("link", name=re.compile(r"^Next page"))


def previous_link(page: Page, landmark: str) -> Locator:
    return pager(page, landmark).get_by_role("link", name=re.compile(r"^Previous page"))


def in_app(live_server: LiveServer, read):
    """``read()`` inside the app, the session closed after (the server's threads use their own)."""
    with live_server.app.app_context():
        try:
            return read()
        finally:
            db.session.remove()


def round_order(live_server: LiveServer, round_id: int) -> list[tuple[int, str]]:
    """Every pairing of the round as the pages list them: (pairing id, member's name)."""
    return in_app(live_server, lambda: [(p.id, p.member.display_name) for p in aoi_ops.round_pairings(round_id)])


def row_ids(page: Page) -> list[int]:
    ids = page.locator("#pairings tbody tr").evaluate_all("rows => rows.map(row => row.id)")
    return [int(i.removeprefix("pairing-")) for i in ids]


# The round's pairings ------------------------------------------------------------------------


def test_the_rounds_pairings_page_by_page(page: Page, live_server: LiveServer, world: dict[str, int]) -> None:
    everyone = round_order(live_server, world["round"])
    assert len(everyone) == MEMBERS
    sign_in(page, OFFICER)
    page.goto(f"/area-of-interest/rounds/{world['round']}")
    expect(page.get_by_role("heading", level=1)).to_have_text(ROUND_TITLE)
    # The figures count every pairing, not just this page's.
    expect(page.get_by_text(f"0 of {MEMBERS} members got their first choice")).to_be_visible()
    expect(page.get_by_text(f"By portfolio: pairings 1 to 25 of {MEMBERS}.")).to_be_visible()
    assert row_ids(page) == [pid for pid, _ in everyone[:25]]
    expect(page.get_by_role("button", name=re.compile(r"^Move "))).to_have_count(25)
    expect(previous_link(page, "Pages of pairings")).to_have_count(0)
    look(page, "round-page-1", "the round's pairings, page 1")

    next_link(page, "Pages of pairings").click()
    expect(page).to_have_url(re.compile(rf"/area-of-interest/rounds/{world['round']}\?page=2#pairings$"))
    expect(page.get_by_text(f"By portfolio: pairings 26 to {MEMBERS} of {MEMBERS}.")).to_be_visible()
    assert row_ids(page) == [pid for pid, _ in everyone[25:]]
    first_on_two = everyone[25][1]
    expect(page.get_by_role("button", name=f"Move {first_on_two}")).to_be_visible()
    expect(page.get_by_role("button", name=f"Move {everyone[24][1]}")).to_have_count(0)
    expect(next_link(page, "Pages of pairings")).to_have_count(0)
    expect(previous_link(page, "Pages of pairings")).to_be_visible()
    look(page, "round-page-2", "the round's pairings, page 2")


def test_the_programmes_pairings_page_by_page(page: Page, live_server: LiveServer, world: dict[str, int]) -> None:
    everyone = round_order(live_server, world["round"])
    sign_in(page, OFFICER)
    page.goto("/area-of-interest")
    heading = page.get_by_role("heading", name=f"All pairings in {ROUND_TITLE}")
    expect(heading).to_be_visible()
    table = page.locator("table").filter(has=page.get_by_text("Every pairing in the latest round"))

    def names() -> list[str]:
        return [text.strip() for text in table.locator("tbody tr td:first-child").all_inner_texts()]

    expect(table.locator("tbody tr")).to_have_count(25)
    assert names() == [name for _, name in everyone[:25]]
    look(page, "programme-page-1", "the programme's pairings, page 1")

    next_link(page, "Pages of pairings").click()
    expect(page).to_have_url(re.compile(r"/area-of-interest\?page=2#pairings$"))
    expect(table.locator("tbody tr")).to_have_count(MEMBERS - 25)
    assert names() == [name for _, name in everyone[25:]]
    expect(page.get_by_text(f"By portfolio: pairings 26 to {MEMBERS} of {MEMBERS}.")).to_be_visible()
    look(page, "programme-page-2", "the programme's pairings, page 2")


def test_moving_a_pairing_from_page_2_lands_on_the_page_that_shows_it(
    page: Page, live_server: LiveServer, world: dict[str, int]
) -> None:
    everyone = round_order(live_server, world["round"])
    pairing_id, name = everyone[-1]  # the last of page 2
    first_portfolio = in_app(live_server, lambda: db.session.scalar(select(Portfolio.name).order_by(Portfolio.name)))
    sign_in(page, OFFICER)
    page.goto(f"/area-of-interest/rounds/{world['round']}?page=2")
    row = page.locator(f"#pairing-{pairing_id}")
    expect(row.locator("td").first).to_have_text(name)

    # The first portfolio by name is full: a warning on page 2, next to the row.
    row.get_by_label(f"Move {name} to").select_option(label=first_portfolio)
    row.get_by_role("button", name=f"Move {name}").click()
    expect(page).to_have_url(re.compile(r"/move\?page=2$"))
    row = page.locator(f"#pairing-{pairing_id}")
    expect(row.locator(".govuk-error-message")).to_contain_text("Tick the box to go over its places")
    expect(error_summary(page)).to_be_visible()
    expect(page.get_by_text(f"By portfolio: pairings 26 to {MEMBERS} of {MEMBERS}.")).to_be_visible()
    look(page, "move-warning", "page 2 of the round with the warning of a move")

    # Over its places, on purpose: it is now among the first portfolio's, on page 1.
    row.get_by_label("Yes, go over this portfolio's places").check()
    row.get_by_role("button", name=f"Move {name}").click()
    expect(success_banner(page)).to_contain_text("The pairing is changed.")
    expect(page).to_have_url(re.compile(rf"/area-of-interest/rounds/{world['round']}#pairing-{pairing_id}$"))
    moved = page.locator(f"#pairing-{pairing_id}")
    expect(moved.locator("td").nth(1)).to_contain_text(first_portfolio)
    expect(moved.locator("td").nth(2)).to_contain_text("Changed by hand")
    expect(moved).to_be_in_viewport()
    after = round_order(live_server, world["round"])
    assert row_ids(page) == [pid for pid, _ in after[:25]]
    assert pairing_id in row_ids(page)
    expect(page.get_by_text(f"By portfolio: pairings 1 to 25 of {MEMBERS}.")).to_be_visible()
    look(page, "move-landed", "the round's page 1 after moving a pairing from page 2")


# A pairing's shared log ----------------------------------------------------------------------


def test_the_shared_log_page_by_page(page: Page, live_server: LiveServer, world: dict[str, int]) -> None:
    def order() -> list[str]:
        return list(
            db.session.scalars(
                select(PairingLogEntry.text)
                .where(PairingLogEntry.pairing_id == world["aisha_pairing"])
                .order_by(PairingLogEntry.on.desc(), PairingLogEntry.id.desc())
            )
        )

    newest_first = in_app(live_server, order)
    total = len(newest_first)
    assert total >= LOG_ENTRIES
    sign_in(page, MEMBER)
    page.goto(f"/area-of-interest/pairings/{world['aisha_pairing']}")
    log = page.locator("#pairing-log")
    entries = log.locator("li.portal-note p.portal-prewrap")
    expect(log.get_by_text(f"Newest first: entries 1 to 20 of {total}.")).to_be_visible()
    expect(entries).to_have_count(20)
    assert [t.strip() for t in entries.all_inner_texts()] == newest_first[:20]
    expect(log.locator("ol")).to_have_attribute("start", str(total))
    look(page, "log-page-1", "the shared log, page 1")

    older = next_link(page, "Pages of the log")
    expect(older).to_contain_text("Older entries")
    older.click()
    expect(page).to_have_url(re.compile(r"\?log_page=2#log-heading$"))
    expect(entries).to_have_count(total - 20)
    assert [t.strip() for t in entries.all_inner_texts()] == newest_first[20:]
    expect(log.locator("ol")).to_have_attribute("start", str(total - 20))
    expect(log.get_by_text(f"Newest first: entries 21 to {total} of {total}.")).to_be_visible()
    expect(previous_link(page, "Pages of the log")).to_contain_text("Newer entries")
    expect(next_link(page, "Pages of the log")).to_have_count(0)
    look(page, "log-page-2", "the shared log, page 2")


# A long campaign's reach, by week ------------------------------------------------------------


def test_a_long_campaigns_reach_is_shown_by_week(page: Page, live_server: LiveServer, world: dict[str, int]) -> None:
    weeks: dict[date, int] = {}
    for n in range(30):
        day = CAMPAIGN_START + timedelta(days=3 * n)
        monday = day - timedelta(days=day.weekday())
        weeks[monday] = weeks.get(monday, 0) + 10 + n
    page.goto(f"/campaigns/{CAMPAIGN_SLUG}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Summer of sport, a long campaign")
    table = page.locator("table").filter(has=page.get_by_text("People reached each week"))
    expect(table).to_have_count(1)
    expect(table.get_by_role("columnheader", name="Week starting")).to_be_visible()
    expect(page.locator('td[data-label="Day"]')).to_have_count(0)
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(weeks))
    shown = [[cell.strip() for cell in row.locator("td").all_inner_texts()] for row in rows.all()]
    assert shown == [[long_date(monday), f"{people:,}"] for monday, people in weeks.items()]
    expect(page.get_by_role("img", name=re.compile(r"^Bar chart of people reached each week"))).to_be_visible()
    look(page, "campaign-by-week", "a campaign over 88 days, reach by week")


# The plan's later items ----------------------------------------------------------------------


def plan_titles(page: Page) -> list[str]:
    return re.findall(r"Growing item \d\d", page.locator("main").inner_text())


def test_the_plans_later_items_page_by_page(page: Page, world: dict[str, int]) -> None:
    sign_in(page, MEMBER)
    page.goto(f"/plan?year={PLAN_YEAR}")
    expect(page.get_by_role("heading", level=1)).to_have_text(f"The plan for {PLAN_YEAR}")
    expect(page.get_by_text("the next 20 still to come")).to_be_visible()
    assert plan_titles(page) == [f"Growing item {n:02}" for n in range(20)]
    plan_pages = "Earlier and later items on the plan"
    expect(pager(page, plan_pages).get_by_role("link", name=re.compile("Earlier items"))).to_have_count(0)
    look(page, "plan-page-1", "the plan's first page of items still to come")

    pager(page, plan_pages).get_by_role("link", name=re.compile("Later items")).click()
    expect(page).to_have_url(re.compile(rf"/plan\?year={PLAN_YEAR}&later=2$"))
    expect(page.get_by_text(f"Later items: 21 to 40 of {PLAN_ITEMS} still to come.")).to_be_visible()
    assert plan_titles(page) == [f"Growing item {n:02}" for n in range(20, 40)]
    expect(pager(page, plan_pages).get_by_role("link", name=re.compile("Earlier items"))).to_be_visible()
    look(page, "plan-page-2", "the plan's second page of items still to come")


# A partner's requests ------------------------------------------------------------------------


def test_a_partners_requests_page_by_page(page: Page, live_server: LiveServer, world: dict[str, int]) -> None:
    titles = in_app(
        live_server,
        lambda: list(
            db.session.scalars(
                select(Consultation.title)
                .where(Consultation.partner_id == world["partner"])
                .order_by(Consultation.updated_at.desc(), Consultation.id.desc())
            )
        ),
    )
    total = len(titles)
    assert 25 < total <= 50
    sign_in(page, PARTNER)
    page.goto("/consultations")
    yours = page.locator("table#yours")
    expect(yours.locator("caption")).to_have_text(f"Your requests ({total})")

    def shown() -> list[str]:
        return [text.strip() for text in yours.locator("tbody tr td:first-child").all_inner_texts()]

    expect(yours.locator("tbody tr")).to_have_count(25)
    assert shown() == titles[:25]
    expect(page.get_by_text(f"The latest changed first: requests 1 to 25 of {total}.")).to_be_visible()
    look(page, "requests-page-1", "a partner's requests, page 1")

    next_link(page, "Pages of your requests").click()
    expect(page).to_have_url(re.compile(r"/consultations\?yours_page=2#yours$"))
    expect(yours.locator("tbody tr")).to_have_count(total - 25)
    assert shown() == titles[25:]
    expect(page.get_by_text(f"The latest changed first: requests 26 to {total} of {total}.")).to_be_visible()
    expect(previous_link(page, "Pages of your requests")).to_be_visible()
    look(page, "requests-page-2", "a partner's requests, page 2")
