"""Permission-matrix rows for reporting and the officers' queue (consumed by
tests/core/test_permissions.py).

The state: a published campaign ({sg_campaign}) and a draft one ({sg_draft}),
and one report ({sg_report}). Reporting is for everyone, with or without an
account; a draft cannot be reported (404: its existence is private); the
queue and a report's page are for officers only.
"""

from __future__ import annotations

ANON = "anonymous"
ROLES = [ANON, "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def officers(allowed: int) -> dict[str, int]:
    return {ANON: 302, **{r: (allowed if r == "officer" else 403) for r in ROLES[1:]}}


ROWS: dict[str, list[tuple[str, str, dict[str, int]]]] = {
    "safeguarding.report": [
        ("GET", "/report?what=campaign:{sg_campaign}", everyone(200)),
        ("POST", "/report?what=campaign:{sg_campaign}", everyone(303)),
        ("GET", "/report?what=campaign:{sg_draft}", everyone(404)),
        ("GET", "/report?what=campaign:999999", everyone(404)),
        ("GET", "/report?what=nonsense", everyone(400)),
    ],
    # Only the browser that just sent a report sees its reference.
    "safeguarding.sent": [("GET", "/report/sent", everyone(404))],
    "safeguarding.queue": [("GET", "/safeguarding", officers(200))],
    "safeguarding.report_page": [
        ("GET", "/safeguarding/{sg_report}", officers(200)),
        ("POST", "/safeguarding/{sg_report}", officers(303)),
        ("GET", "/safeguarding/999999", officers(404)),
    ],
}

POST_DATA = {
    "main.report_concern": {"details": "Someone was unkind to me."},
    "safeguarding.report": {"reason": "unkind", "details": ""},
    "safeguarding.report_page": {"status": "in_hand", "note": ""},
}


def setup(people) -> dict[str, int]:
    from portal.extensions import db
    from portal.models import SafeguardingReport
    from tests.factories import CampaignFactory

    published = CampaignFactory(slug="sg-published", title="Reported campaign", published=True)
    draft = CampaignFactory(slug="sg-draft", title="Draft to report")
    report = SafeguardingReport(reference="YC-AAAA-AA", kind="concern", details="Worried.")
    db.session.add(report)
    db.session.commit()
    return {"sg_campaign": published.id, "sg_draft": draft.id, "sg_report": report.id}
