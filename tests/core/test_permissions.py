"""The permission matrix: every route, for every role, with its expected answer.

Built from the app's url_map: a route that is not listed here, or whose view
does not state a permission with ``@requires``, fails the test.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from portal.extensions import db
from portal.models import Portfolio, User
from portal.permissions import ACTIONS
from tests.conftest import PortalClient, add_person, make_app
from tests.consultations import matrix_insight, matrix_requests, matrix_responding
from tests.database import rolled_back
from tests.factories import (
    CabinetUpdateFactory,
    CampaignFactory,
    CampaignLeadFactory,
    ChairStatementFactory,
    OfficeFactory,
    PairingFactory,
    PairingLogEntryFactory,
    PlanItemFactory,
    PortfolioFactory,
    PreferenceRoundFactory,
    ReachEntryFactory,
    StatementRevisionFactory,
    UpdateParagraphFactory,
    UpdateSectionFactory,
    UpdateVersionFactory,
)
from tests.recommendations import matrix as matrix_recommendations
from tests.safeguarding import matrix as matrix_safeguarding

ANON = "anonymous"
ROLES = [ANON, "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]
SIGNED_IN_ROLES = ROLES[1:]


READERS = {"chair", "officer", "cabinet_member"}
AOI = {"youth_member", "chair", "cabinet_member", "officer"}
CAMPAIGNERS = {"youth_member", "chair", "officer"}
PLAN_READERS = {"youth_member", "chair", "cabinet_member", "officer"}


def PAIRING_PAGE(allowed: int) -> dict[str, int]:
    return {**only({"youth_member", "cabinet_member", "officer"}, allowed), "chair": 404}


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def signed_in(status: int, anon: int = 302) -> dict[str, int]:
    return {ANON: anon, **dict.fromkeys(SIGNED_IN_ROLES, status)}


def only(roles: set[str], allowed: int, refused: int = 403, anon: int = 302) -> dict[str, int]:
    return {ANON: anon, **{r: (allowed if r in roles else refused) for r in SIGNED_IN_ROLES}}


# endpoint -> list of (method, path, {role: status}). "{target}" is another person's id.
MATRIX: dict[str, list[tuple[str, str, dict[str, int]]]] = {
    "main.home": [("GET", "/", everyone(200))],
    "main.privacy": [("GET", "/privacy", everyone(200))],
    "main.accessibility": [("GET", "/accessibility", everyone(200))],
    # The public "Youth voice in numbers" for a period (#17.2); a malformed period is not found.
    "figures.youth_voice_page": [
        ("GET", "/youth-voice", everyone(200)),
        ("GET", "/youth-voice?start=2020-07-01&end=2020-07-31", everyone(200)),
        ("GET", "/youth-voice?start=2020-07-31&end=2020-07-01", everyone(404)),
    ],
    "main.healthz": [("GET", "/healthz", everyone(200))],
    "main.readyz": [("GET", "/readyz", everyone(200))],
    "main.report_concern": [
        ("GET", "/report-a-concern", everyone(200)),
        ("POST", "/report-a-concern", everyone(303)),
    ],
    "main.dashboard": [("GET", "/dashboard", signed_in(200))],
    # Signed-in people are sent on to their dashboard.
    "auth.sign_in": [("GET", "/sign-in", {**everyone(302), ANON: 200})],
    "auth.sign_out": [("POST", "/sign-out", signed_in(303))],
    # A bad link: signed out, the link problem page (400); signed in, "you are already signed in".
    "auth.accept_invitation": [("GET", "/invitation/not-a-token", {**everyone(200), ANON: 400})],
    "auth.reset_password": [("GET", "/reset-password/not-a-token", {**everyone(200), ANON: 400})],
    "auth.forgot_password": [("GET", "/forgot-password", everyone(200))],
    "auth.account": [("GET", "/account", signed_in(200))],
    "auth.change_password": [("GET", "/account/password", signed_in(200))],
    "auth.download_data": [("GET", "/account/data", signed_in(200))],
    "auth.delete_account": [("GET", "/account/delete", signed_in(200))],
    "auth.keep_alive": [("POST", "/session/keep-alive", signed_in(204))],
    # Two-step sign-in (#15). Without a password just passed, the code pages send
    # visitors to sign in and signed-in people to their dashboard.
    "auth.two_step_code": [("GET", "/sign-in/code", everyone(303))],
    "auth.recovery_code": [("GET", "/sign-in/recovery-code", everyone(303))],
    "auth.set_up_two_step": [
        ("GET", "/account/two-step/set-up", {**only({"chair", "cabinet_member", "partner", "officer"}, 200), ANON: 303})
    ],
    # Nobody here has two-step sign-in on (tests/auth/test_two_step.py has the rest).
    "auth.renew_recovery_codes": [("GET", "/account/two-step/recovery-codes", signed_in(404))],
    "auth.turn_off_two_step": [("GET", "/account/two-step/turn-off", signed_in(404))],
    "auth.forget_devices": [("POST", "/account/two-step/forget-devices", signed_in(303))],
    "auth.reset_two_step": [("GET", "/people/{target}/two-step/reset", only({"officer"}, 404))],
    # Only the browser that just deleted its account sees the confirmation.
    "auth.account_deleted": [("GET", "/account/deleted", everyone(404))],
    "people.index": [("GET", "/people", only({"officer"}, 200))],
    "people.invite": [("GET", "/people/invite", only({"officer"}, 200))],
    "people.person": [
        ("GET", "/people/{target}", only({"officer"}, 200)),
        ("GET", "/people/999999", only({"officer"}, 404)),
    ],
    "people.change_role": [("POST", "/people/{target}/role", only({"officer"}, 303))],
    "people.deactivate": [("POST", "/people/{target}/deactivate", only({"officer"}, 303))],
    "people.reactivate": [("POST", "/people/{target}/reactivate", only({"officer"}, 303))],
    "people.resend_invitation": [("POST", "/people/{target}/resend-invitation", only({"officer"}, 303))],
    "people.audit": [("GET", "/audit", only({"officer"}, 200))],
    "people.download_data": [
        ("POST", "/people/{target}/data", only({"officer"}, 200)),
        ("POST", "/people/999999/data", only({"officer"}, 404)),
    ],
    "people.erase": [
        ("GET", "/people/{target}/delete", only({"officer"}, 200)),
        ("POST", "/people/{target}/delete", only({"officer"}, 303)),
        ("GET", "/people/999999/delete", only({"officer"}, 404)),
    ],
    "main.notifications_read": [("POST", "/notifications/read", signed_in(303))],
    "main.youth_cabinet": [("GET", "/youth-cabinet", signed_in(200))],
    "main.manage": [("GET", "/manage", only({"officer"}, 200))],
    # The Chair's statement for July 2020, in the state each step applies to
    # (STATEMENT_STATE); the "cabinet_member" holds the Youth portfolio.
    "statements.index": [("GET", "/statements", only(READERS, 200))],
    "statements.open_current": [("POST", "/statements/open", only({"chair"}, 303))],
    "statements.show": [
        ("GET", "/statements/2020-07", only(READERS, 200)),
        ("GET", "/statements/2019-01", only(READERS, 404)),
        ("GET", "/statements/2020-13", only(READERS, 404, refused=404, anon=404)),
    ],
    "statements.save": [("POST", "/statements/2020-07", only({"chair"}, 303))],
    "statements.preview": [("GET", "/statements/2020-07/preview", only(READERS, 200))],
    "statements.revisions": [("GET", "/statements/2020-07/revisions", only(READERS, 200))],
    "statements.revision": [
        ("GET", "/statements/2020-07/revisions/{revision}", only(READERS, 200)),
        ("GET", "/statements/2020-07/revisions/999999", only(READERS, 404)),
    ],
    "statements.restore": [("POST", "/statements/2020-07/revisions/{revision}/restore", only({"chair"}, 303))],
    "statements.submit": [("POST", "/statements/2020-07/submit", only({"chair"}, 303))],
    "statements.request_changes": [("POST", "/statements/2020-07/request-changes", only({"cabinet_member"}, 303))],
    "statements.accept": [("POST", "/statements/2020-07/accept", only({"cabinet_member"}, 303))],
    "statements.reopen": [("POST", "/statements/2020-07/reopen", only({"cabinet_member", "officer"}, 303))],
    # The Area of Interest programme: a round in the state each step applies to
    # (ROUND_STATE); the youth_member is paired with the cabinet_member's
    # portfolio and wrote the log entry.
    "aoi.index": [("GET", "/area-of-interest", only(AOI, 200))],
    "aoi.portfolios": [("GET", "/area-of-interest/portfolios", only({"officer"}, 200))],
    "aoi.portfolio": [
        ("GET", "/area-of-interest/portfolios/{portfolio}", only({"officer"}, 200)),
        ("GET", "/area-of-interest/portfolios/999999", only({"officer"}, 404)),
    ],
    "aoi.open_round": [("POST", "/area-of-interest/rounds", only({"officer"}, 303))],
    "aoi.round": [
        ("GET", "/area-of-interest/rounds/{round}", only({"officer", "chair"}, 200)),
        ("GET", "/area-of-interest/rounds/999999", only({"officer", "chair"}, 404)),
    ],
    "aoi.close_round": [("POST", "/area-of-interest/rounds/{round}/close", only({"officer"}, 303))],
    "aoi.run_pairing": [("POST", "/area-of-interest/rounds/{round}/pair", only({"officer", "chair"}, 303))],
    "aoi.confirm": [("POST", "/area-of-interest/rounds/{round}/confirm", only({"officer", "chair"}, 303))],
    "aoi.move": [("POST", "/area-of-interest/rounds/{round}/pairings/{pairing}/move", only({"officer", "chair"}, 303))],
    "aoi.choices": [("GET", "/area-of-interest/rounds/{round}/choices", only({"youth_member", "chair"}, 200))],
    "aoi.accept": [("POST", "/area-of-interest/pairings/accept", only({"cabinet_member", "officer"}, 303))],
    # A pairing page: its member, its Cabinet Member and officers; for anyone
    # else (the chair here) it does not exist.
    "aoi.pairing": [("GET", "/area-of-interest/pairings/{pairing}", PAIRING_PAGE(200))],
    "aoi.add_entry": [("POST", "/area-of-interest/pairings/{pairing}/log", PAIRING_PAGE(303))],
    "aoi.edit_entry": [
        ("GET", "/area-of-interest/pairings/{pairing}/log/{entry}", {**PAIRING_PAGE(403), "youth_member": 200}),
    ],
    "aoi.mark_done": [("POST", "/area-of-interest/pairings/{pairing}/log/{entry}/done", PAIRING_PAGE(303))],
}

MATRIX.update(
    {
        # A published campaign ("pub") and a draft ("draft") led by the youth_member.
        "campaigns.index": [("GET", "/campaigns", everyone(200))],
        "campaigns.new": [("GET", "/campaigns/new", only(CAMPAIGNERS, 200))],
        "campaigns.show": [
            ("GET", "/campaigns/pub", everyone(200)),
            ("GET", "/campaigns/draft", {**dict.fromkeys(ROLES, 404), **dict.fromkeys(CAMPAIGNERS, 200)}),
        ],
        "campaigns.edit": [
            ("GET", "/campaigns/draft/edit", only(CAMPAIGNERS, 200)),
            ("GET", "/campaigns/pub/edit", only(CAMPAIGNERS, 200, refused=403) | {"youth_member": 403}),
        ],
        "campaigns.publish": [("POST", "/campaigns/draft/publish", only({"chair", "officer"}, 303))],
        # No changes wait on "pub": those who approve are told so (303); nobody else may approve or return.
        "campaigns.approve_changes": [("POST", "/campaigns/pub/changes/approve", only({"chair", "officer"}, 303))],
        "campaigns.return_changes": [("POST", "/campaigns/pub/changes/return", only({"chair", "officer"}, 303))],
        "campaigns.add_reach": [("POST", "/campaigns/draft/reach", only(CAMPAIGNERS, 303))],
        "campaigns.change_reach": [("GET", "/campaigns/draft/reach/{reach}", only(CAMPAIGNERS, 200))],
        "campaigns.remove_reach": [("POST", "/campaigns/draft/reach/{reach}/delete", only(CAMPAIGNERS, 303))],
        "campaigns.chart": [("GET", "/campaigns/pub/reach.svg", everyone(200))],
        # The plan and the offices: the chair and officers edit; members read.
        "plan.index": [
            ("GET", "/plan", only(PLAN_READERS, 200)),
            ("GET", "/plan?year=1066", only(PLAN_READERS, 404)),
        ],
        "plan.add_item": [("POST", "/plan/items", only({"chair", "officer"}, 303))],
        "plan.move": [
            ("GET", "/plan/items/{item}/move", only({"chair", "officer"}, 200)),
            ("GET", "/plan/items/999999/move", only({"chair", "officer"}, 404)),
        ],
        "plan.cancel": [
            ("GET", "/plan/items/{item}/cancel", only({"chair", "officer"}, 200)),
            ("POST", "/plan/items/{item}/cancel", only({"chair", "officer"}, 303)),
            ("GET", "/plan/items/999999/cancel", only({"chair", "officer"}, 404)),
        ],
        "plan.add_office": [("POST", "/youth-cabinet/offices", only({"chair", "officer"}, 303))],
        "plan.end_office": [("POST", "/youth-cabinet/offices/{office}/end", only({"chair", "officer"}, 303))],
    }
)

UPDATERS = {"cabinet_member", "officer"}
MATRIX.update(
    {
        # The cabinet_member's draft update ("draft") and their published one ("published", version 1).
        "updates.archive": [("GET", "/updates", everyone(200)), ("GET", "/updates?page=2", everyone(200))],
        "updates.archive_year": [
            ("GET", "/updates/archive/2020", everyone(200)),
            ("GET", "/updates/archive/20", everyone(404)),
        ],
        "updates.archive_month": [
            ("GET", "/updates/archive/2020/7", everyone(200)),
            ("GET", "/updates/archive/2020/13", everyone(404)),
        ],
        "updates.search": [("GET", "/updates/search?q=statement", everyone(200))],
        "updates.feed": [("GET", "/updates/feed.atom", everyone(200))],
        "updates.latest": [("GET", "/updates/{published}", everyone(200)), ("GET", "/updates/{draft}", everyone(404))],
        "updates.version": [
            ("GET", "/updates/{published}/v1", everyone(200)),
            ("GET", "/updates/{published}/v2", everyone(404)),
        ],
        "updates.print_version": [("GET", "/updates/{published}/v1/print", everyone(200))],
        "updates.pdf": [("GET", "/updates/{published}/v1/pdf", everyone(200))],
        "updates.docx": [("GET", "/updates/{published}/v1/docx", everyone(200))],
        "updates.yours": [("GET", "/updates/yours", only(UPDATERS, 200))],
        "updates.new": [("POST", "/updates/new", only({"cabinet_member"}, 303))],
        "updates.import_report": [("GET", "/updates/import", only({"cabinet_member"}, 200))],
        "updates.edit": [
            ("GET", "/updates/{draft}/edit", only(UPDATERS, 200)),
            ("GET", "/updates/{draft}/edit?recommendations_page=2", only(UPDATERS, 200)),
            ("GET", "/updates/999999/edit", only(UPDATERS, 404)),
        ],
        "updates.save_details": [("POST", "/updates/{draft}/details", only(UPDATERS, 303))],
        "updates.save_sign_off": [("POST", "/updates/{draft}/sign-off", only(UPDATERS, 303))],
        "updates.add_section": [("POST", "/updates/{draft}/sections", only(UPDATERS, 303))],
        "updates.rename_section": [("POST", "/updates/{draft}/sections/{section}", only(UPDATERS, 303))],
        "updates.move_section": [("POST", "/updates/{draft}/sections/{section}/move", only(UPDATERS, 303))],
        "updates.delete_section": [("POST", "/updates/{draft}/sections/{section}/delete", only(UPDATERS, 303))],
        "updates.add_paragraph": [
            ("POST", "/updates/{draft}/sections/{section}/paragraphs", only(UPDATERS, 303)),
            # A section of another update: not found, whoever asks.
            ("POST", "/updates/{draft}/sections/{other_section}/paragraphs", only(UPDATERS, 404)),
        ],
        "updates.add_closing_paragraph": [("POST", "/updates/{draft}/closing-paragraph", only(UPDATERS, 303))],
        "updates.save_paragraph": [("POST", "/updates/{draft}/paragraphs/{paragraph}", only(UPDATERS, 303))],
        "updates.move_paragraph": [("POST", "/updates/{draft}/paragraphs/{paragraph}/move", only(UPDATERS, 303))],
        "updates.delete_paragraph": [("POST", "/updates/{draft}/paragraphs/{paragraph}/delete", only(UPDATERS, 303))],
        "updates.preview": [("GET", "/updates/{draft}/preview", only(UPDATERS, 200))],
        "updates.publish": [("GET", "/updates/{draft}/publish", only({"cabinet_member"}, 200))],
        "updates.correct": [("POST", "/updates/{published}/correct", only({"cabinet_member"}, 303))],
    }
)

# Each part of the consultations adds its rows, form data and state (tests/consultations/matrix_*.py).
# Reporting and the safeguarding queue add theirs the same way (tests/safeguarding/matrix.py).
CONSULTATION_PARTS = [matrix_requests, matrix_responding, matrix_insight, matrix_safeguarding, matrix_recommendations]
for _part in CONSULTATION_PARTS:
    MATRIX.update(_part.ROWS)

ROUND_STATE = {
    "aoi.close_round": "open",
    "aoi.run_pairing": "closed",
    "aoi.confirm": "proposed",
    "aoi.move": "proposed",
    "aoi.choices": "open",
}

STATEMENT_STATE = {
    "statements.request_changes": "submitted",
    "statements.accept": "submitted",
    "statements.reopen": "accepted",
    "statements.index": "submitted",
    "statements.show": "submitted",
    "statements.preview": "submitted",
    "statements.revisions": "submitted",
    "statements.revision": "submitted",
}

# Form data that makes each POST valid, so the answer is about permission.
POST_DATA = {
    "people.change_role": {"role": "youth_member", "age_band": "14-16", "district": "Crawley"},
    "people.erase": {"reason": "Asked by email", "checked": "y"},
    "statements.save": {"text": "A new text.", "base_version": "1"},
    "statements.restore": {"base_version": "1"},
    "statements.request_changes": {"comment": "Please add the campaign."},
    "statements.reopen": {"reason": "A figure was wrong."},
    "plan.cancel": {"reason": "Cancelled because of the weather."},
    "campaigns.return_changes": {"comment": "Please take out the phone number."},
    "aoi.open_round": {"title": "Area of Interest 2099", "closes_on": ["1", "1", "2099"]},
    "aoi.move": {"portfolio": "{portfolio}"},
    "aoi.accept": {"pairing": "{pairing}"},
    "aoi.add_entry": {"kind": "meeting", "on": ["1", "2", "2026"], "text": "We met."},
    "aoi.mark_done": {"done": "1"},
    "campaigns.add_reach": {"on": ["1", "7", "2020"], "channel": "event", "people": "40"},
    "plan.add_item": {"title": "Meeting", "kind": "meeting", "on": ["7", "7", "2020"], "campaign": "", "note": ""},
    "updates.save_details": {
        "title": "July",
        "meeting_date": ["24", "7", "2020"],
        "period_start": ["", "", ""],
        "period_end": ["", "", ""],
        "statement_month": "",
        "base_version": "1",
    },
    "updates.save_sign_off": {
        "closing": "Best wishes.",
        "sign_off_label": "For information",
        "signatory_name": "A",
        "signatory_role": "B",
        "contact_officer": "C",
        "base_version": "1",
    },
    "updates.add_section": {"heading": "Youth Cabinet"},
    "updates.rename_section": {"heading": "Introduction", "base_version": "1"},
    "updates.move_section": {"direction": "down"},
    "updates.save_paragraph": {"text": "A paragraph.", "base_version": "1"},
    "updates.move_paragraph": {"direction": "down"},
    "updates.delete_paragraph": {"confirmed": "yes"},
    "plan.add_office": {
        "title": "Vice-Chair",
        "holder": "{member}",
        "starts_on": ["1", "1", "2020"],
        "ends_on": ["", "", ""],
    },
}


def _endpoints(app) -> set[str]:
    return {rule.endpoint for rule in app.url_map.iter_rules() if rule.endpoint != "static"}


def test_every_route_is_in_the_matrix(tmp_path):
    app = make_app(tmp_path)
    missing = _endpoints(app) - MATRIX.keys()
    assert not missing, f"routes without a row in the permission matrix: {sorted(missing)}"
    stale = MATRIX.keys() - _endpoints(app)
    assert not stale, f"matrix rows for routes that no longer exist: {sorted(stale)}"


def test_every_view_states_its_permission(tmp_path):
    app = make_app(tmp_path)
    for endpoint in _endpoints(app):
        view = app.view_functions[endpoint]
        action = getattr(view, "permission", None)
        assert action in ACTIONS, f"{endpoint} has no @requires(action)"


def test_requires_refuses_an_unknown_action():
    from portal.permissions import requires

    with pytest.raises(KeyError):
        requires("no.such.action")


CASES = [(endpoint, path, role) for endpoint, rows in MATRIX.items() for _, path, answers in rows for role in answers]


def test_every_role_of_every_route_is_checked():
    """Each route answers for every role: 7 answers a row, none left out."""
    assert all(set(answers) == set(ROLES) for rows in MATRIX.values() for _, _, answers in rows)
    assert len(CASES) == sum(len(rows) for rows in MATRIX.values()) * len(ROLES)


@dataclass
class Visitor:
    """One role's browser: its session cookie and CSRF token, put back before
    each request so that every request starts from the same signed-in state."""

    client: PortalClient
    cookie: str | None
    token: str

    def send(self, method: str, url: str, data: dict):
        if self.cookie is None:
            self.client.delete_cookie("session")
        else:
            self.client.set_cookie("session", self.cookie)
        if method == "GET":
            return self.client.get(url)
        return self.client.post(url, data={"csrf_token": self.token, **data})


def _visitor(app, role: str, people) -> Visitor:
    client = app.test_client()
    if role != ANON:
        assert client.sign_in(people[role].email).status_code == 303
    token = client.csrf_token()
    cookie = client.get_cookie("session")
    return Visitor(client, cookie.value if cookie else None, token)


@pytest.mark.parametrize("endpoint", sorted(MATRIX))
def test_permission_matrix(app, connection, people, endpoint):
    """Every row of the endpoint, for every role: each request in a savepoint
    rolled back afterwards, so each role meets the same state."""
    with app.app_context():
        # Another person, in the state each people action applies to.
        target = add_person("youth_member", email="target@test.example", name="Target P.")
        user = db.session.get(User, target.id)
        if endpoint == "people.reactivate":
            user.active = False
        if endpoint == "people.resend_invitation":
            user.password_hash = None
        db.session.commit()
        revision = _statement(STATEMENT_STATE.get(endpoint, "draft"), people)
        ids = _programme(ROUND_STATE.get(endpoint, "confirmed"), people)
        ids["reach"] = _campaigns(people)
        ids.update(_plan(people))
        ids.update(_updates(people))
        for part in CONSULTATION_PARTS:
            ids.update(part.setup(people))
    visitors = {role: _visitor(app, role, people) for role in ROLES}
    post_data = {**POST_DATA, **{k: v for part in CONSULTATION_PARTS for k, v in part.POST_DATA.items()}}
    data = {k: v.format(**ids) if isinstance(v, str) else v for k, v in post_data.get(endpoint, {}).items()}
    wrong = []
    for method, path, answers in MATRIX[endpoint]:
        url = path.format(target=target.id, revision=revision, **ids)
        for role, expected in answers.items():
            with rolled_back(connection):
                response = visitors[role].send(method, url, data)
                # Streamed answers run to their end inside the savepoint.
                body = response.get_data().decode(errors="replace")
            went_to = response.headers.get("Location", "")
            if response.status_code != expected:
                wrong.append(f"{method} {path} as {role}: {response.status_code}, expected {expected}: {body[:300]}")
            elif expected == 302 and role == ANON and "/sign-in?next=" not in went_to:
                wrong.append(f"{method} {path} as {role}: sent to {went_to}, not to sign-in")
    assert not wrong, "\n".join(wrong)


def _statement(status: str, people) -> int:
    """July 2020's statement in ``status``, reviewed by the cabinet_member; returns a revision id."""
    PortfolioFactory(name="Children and Young People", cabinet_member=people["cabinet_member"])
    statement = ChairStatementFactory(month=date(2020, 7, 1), status=status)
    revision = StatementRevisionFactory(statement=statement, kind="save")
    db.session.commit()
    return revision.id


def _programme(status: str, people) -> dict[str, int]:
    """An Area of Interest round in ``status`` with the youth_member paired to the
    cabinet_member's portfolio and one action they logged."""
    portfolio = db.session.scalar(db.select(Portfolio))
    round_ = PreferenceRoundFactory(title="Round", closes_on=date(2099, 1, 1), status=status)
    pairing = PairingFactory(round=round_, member=people["youth_member"], portfolio=portfolio)
    entry = PairingLogEntryFactory(
        pairing=pairing, kind="action", on=date(2026, 1, 1), text="Do it", who="Me", author=people["youth_member"]
    )
    db.session.commit()
    return {"round": round_.id, "pairing": pairing.id, "entry": entry.id, "portfolio": portfolio.id}


def _campaigns(people) -> int:
    """A published campaign and a draft led by the youth_member; returns the draft's reach entry id."""
    published = CampaignFactory(slug="pub", title="Published", published=True)
    draft = CampaignFactory(slug="draft", title="Draft")
    CampaignLeadFactory(campaign=draft, user=people["youth_member"])
    ReachEntryFactory(campaign=published, on=date(2020, 7, 1))
    entry = ReachEntryFactory(campaign=draft, on=date(2020, 7, 1))
    db.session.commit()
    return entry.id


def _plan(people) -> dict[str, int]:
    item = PlanItemFactory(title="Meeting", kind="meeting", on=date(2020, 7, 7))
    office = OfficeFactory(title="Chair", holder=people["chair"], starts_on=date(2020, 1, 1))
    db.session.commit()
    return {"item": item.id, "office": office.id, "member": people["youth_member"].id}


def _updates(people) -> dict[str, int]:
    """A draft update with one section and paragraph, and a published one, both the cabinet_member's."""
    author = people["cabinet_member"]
    draft = CabinetUpdateFactory(author=author, title="Draft")
    published = CabinetUpdateFactory(
        author=author, title="Published", status="published", meeting_date=date(2020, 7, 17)
    )
    section = UpdateSectionFactory(update=draft, heading="Introduction")
    other_section = UpdateSectionFactory(update=published, heading="Elsewhere")
    paragraph = UpdateParagraphFactory(section=section, text="The paragraph.")
    UpdateVersionFactory(update=published)
    db.session.commit()
    return {
        "draft": draft.id,
        "published": published.id,
        "section": section.id,
        "other_section": other_section.id,
        "paragraph": paragraph.id,
    }


def test_unknown_object_is_404_not_a_crash(client, signed_in):
    signed_in("officer")
    assert client.submit("/people/424242/deactivate").status_code == 404
