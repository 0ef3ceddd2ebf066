"""The permission matrix: every route, for every role, with its expected answer.

Built from the app's url_map: a route that is not listed here, or whose view
does not state a permission with ``@requires``, fails the test.
"""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import User
from portal.permissions import ACTIONS
from tests.conftest import add_person, make_app

ANON = "anonymous"
ROLES = [ANON, "young_person", "youth_member", "chair", "cabinet_member", "partner", "officer"]
SIGNED_IN_ROLES = ROLES[1:]


READERS = {"chair", "officer", "cabinet_member"}


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
    "main.report_concern": [("GET", "/report-a-concern", everyone(200))],
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
    "main.notifications_read": [("POST", "/notifications/read", signed_in(303))],
    "main.youth_cabinet": [("GET", "/youth-cabinet", signed_in(200))],
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
    "statements.save": {"text": "A new text.", "base_version": "1"},
    "statements.restore": {"base_version": "1"},
    "statements.request_changes": {"comment": "Please add the campaign."},
    "statements.reopen": {"reason": "A figure was wrong."},
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


CASES = [
    pytest.param(endpoint, method, path, role, expected, id=f"{endpoint}-{path}-{role}")
    for endpoint, rows in MATRIX.items()
    for method, path, answers in rows
    for role, expected in answers.items()
]


@pytest.mark.parametrize("endpoint, method, path, role, expected", CASES)
def test_permission_matrix(client, people, endpoint, method, path, role, expected):
    # Another person, in the state each people action applies to.
    with client.application.app_context():
        target = add_person("youth_member", email="target@test.example", name="Target P.")
        user = db.session.get(User, target.id)
        if endpoint == "people.reactivate":
            user.active = False
        if endpoint == "people.resend_invitation":
            user.password_hash = None
        db.session.commit()
        revision = _statement(STATEMENT_STATE.get(endpoint, "draft"), people)
    if role != ANON:
        assert client.sign_in(people[role].email).status_code == 303
    url = path.format(target=target.id, revision=revision)
    if method == "GET":
        response = client.get(url)
    else:
        response = client.submit(url, POST_DATA.get(endpoint, {}))
    assert response.status_code == expected, response.get_data(as_text=True)[:500]
    if expected == 302 and role == ANON:
        assert "/sign-in?next=" in response.headers["Location"]


def _statement(status: str, people) -> int:
    """July 2020's statement in ``status``, reviewed by the cabinet_member; returns a revision id."""
    from datetime import date

    from portal.models import ChairStatement, Portfolio, StatementRevision
    from portal.models.base import utcnow

    db.session.add(Portfolio(name="Children and Young People", cabinet_member_id=people["cabinet_member"].id))
    statement = ChairStatement(
        month=date(2020, 7, 1), text="The statement.", version=1, status=status,
        submitted_at=None if status == "draft" else utcnow(),
    )
    db.session.add(statement)
    db.session.flush()
    revision = StatementRevision(statement_id=statement.id, version=1, text="An older text.", kind="save")
    db.session.add(revision)
    db.session.commit()
    return revision.id


def test_unknown_object_is_404_not_a_crash(client, signed_in):
    signed_in("officer")
    assert client.submit("/people/424242/deactivate").status_code == 404
