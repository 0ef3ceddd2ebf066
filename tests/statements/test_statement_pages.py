"""Issue #16.4: the list of the Chair's statements shows 24 months a page, in
a fixed number of queries, and a Cabinet Member's pages hold only what they see."""

from __future__ import annotations

import re
from datetime import date

from portal.extensions import db
from portal.models import ChairStatement
from portal.models.base import utcnow


def add_months(app, count: int, first: int = 0, status: str = "submitted") -> None:
    """Statements for ``count`` months going back from December 2019 (+ ``first`` months back)."""
    with app.app_context():
        now = utcnow()
        rows = []
        for n in range(first, first + count):
            year, month = divmod(2019 * 12 + 11 - n, 12)
            rows.append(
                {
                    "month": date(year, month + 1, 1),
                    "text": "",
                    "version": 1,
                    "status": status,
                    "created_at": now,
                    "updated_at": now,
                    "submitted_at": None if status == "draft" else now,
                }
            )
        db.session.execute(db.insert(ChairStatement), rows)
        db.session.commit()


def months(page: str) -> list[str]:
    return re.findall(r'data-label="Month"><a class="govuk-link" href="[^"]+">([^<]+)</a>', page)


def test_the_list_runs_the_same_queries_with_5_and_200_statements(app, client, signed_in, count_queries):
    signed_in("chair")

    def queries():
        counts = []
        for url in ("/statements", "/statements?page=2"):
            with count_queries() as counter:
                assert client.get(url).status_code == 200
            counts.append(counter.count)
        return counts

    add_months(app, 5)
    small = queries()
    add_months(app, 195, first=5)
    assert queries() == small


def test_24_months_a_page_the_newest_first(app, client, signed_in):
    add_months(app, 30)
    signed_in("officer")
    first = client.get("/statements").get_data(as_text=True)
    assert len(months(first)) == 24 and months(first)[0] == "December 2019" and months(first)[-1] == "January 2018"
    assert 'href="/statements?page=2"' in first and "Earlier months" in first
    second = client.get("/statements?page=2").get_data(as_text=True)
    assert months(second) == [
        "December 2017",
        "November 2017",
        "October 2017",
        "September 2017",
        "August 2017",
        "July 2017",
    ]
    assert "Later months" in second and 'href="/statements"' in second
    assert "There are no more statements" in client.get("/statements?page=5").get_data(as_text=True)


def test_a_cabinet_member_pages_through_submitted_statements_only(app, client, signed_in):
    add_months(app, 30, status="draft")
    add_months(app, 3, first=30)
    signed_in("cabinet_member")
    page = client.get("/statements").get_data(as_text=True)
    assert months(page) == ["June 2017", "May 2017", "April 2017"] and "Earlier months" not in page
