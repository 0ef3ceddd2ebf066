"""Issue #16.4: a partner's own requests on /consultations are listed 25 a
page, the latest changed first, in a fixed number of queries."""

from __future__ import annotations

import re
from datetime import timedelta

from portal.extensions import db
from portal.models.base import utcnow
from tests.consultations.test_requests import client_for
from tests.factories import ConsultationFactory


def add_requests(app, partner, count: int, first: int = 0) -> None:
    """``count`` drafts "Request n" of this partner; the higher n, the later changed."""
    with app.app_context():
        now = utcnow()
        for n in range(first, first + count):
            ConsultationFactory(
                title=f"Request {n}", status="draft", partner=partner, updated_at=now - timedelta(hours=1000 - n)
            )
        db.session.commit()


def yours(page: str) -> list[int]:
    table = page.split('id="yours"', 1)[1].split("</table>", 1)[0]
    return [int(n) for n in re.findall(r">Request (\d+)</a>", table)]


def test_the_26th_request_is_on_page_2(app, people):
    add_requests(app, people["partner"], 30)
    partner = client_for(app, people["partner"].email)
    first = partner.get("/consultations").get_data(as_text=True)
    assert yours(first) == list(range(29, 4, -1))  # the 25 latest changed
    assert "requests 1 to 25 of 30" in first and 'href="/consultations?yours_page=2#yours"' in first
    second = partner.get("/consultations?yours_page=2").get_data(as_text=True)
    assert yours(second) == [4, 3, 2, 1, 0] and 'href="/consultations#yours"' in second
    past = partner.get("/consultations?yours_page=9").get_data(as_text=True)
    assert "There are no more requests." in past and "You have not requested" not in past


def test_a_partner_with_few_requests_sees_them_all_without_pages(app, people):
    add_requests(app, people["partner"], 3)
    page = client_for(app, people["partner"].email).get("/consultations").get_data(as_text=True)
    assert yours(page) == [2, 1, 0] and "yours_page" not in page


def test_the_list_runs_the_same_queries_with_3_and_60_requests(app, people, count_queries):
    partner = client_for(app, people["partner"].email)

    def queries() -> list[int]:
        counts = []
        for url in ("/consultations", "/consultations?yours_page=2"):
            with count_queries() as counter:
                assert partner.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    add_requests(app, people["partner"], 3)
    few = queries()
    add_requests(app, people["partner"], 57, first=3)
    assert queries() == few
