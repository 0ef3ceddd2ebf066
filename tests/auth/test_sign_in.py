"""Signing in and out, sessions, rate limits and CSRF."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import AuditEntry, User
from tests.conftest import PASSWORD, PortalClient, fetch_user
from tests.consultations import matrix_insight, matrix_requests, matrix_responding


def test_sign_in_and_out(client, people):
    response = client.sign_in(people["youth_member"].email)
    assert response.status_code == 303
    assert response.headers["Location"] == "/dashboard"
    assert "Hello, Youth Cabinet member" in client.get("/dashboard").get_data(as_text=True)
    response = client.submit("/sign-out")
    assert response.status_code == 303
    assert client.get("/dashboard").status_code == 302


def test_email_is_not_case_sensitive(client, people):
    assert client.sign_in("  YOUTH_MEMBER@Test.Example ").status_code == 303


@pytest.mark.parametrize(
    "email, password, message",
    [
        ("", "", "Enter your email address"),
        ("youth_member@test.example", "", "Enter your password"),
        ("not-an-email", "whatever", "Enter an email address in the right format"),
        ("youth_member@test.example", "wrong password", "Your email address or password is not right"),
        ("nobody@test.example", PASSWORD, "Your email address or password is not right"),
        ("x" * 300 + "@test.example", PASSWORD, "must be 254 characters or fewer"),
    ],
)
def test_sign_in_errors_are_next_to_the_field(client, people, email, password, message):
    response = client.submit("/sign-in", {"email": email, "password": password})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "There is a problem" in page  # the error summary
    assert message in page
    assert "govuk-error-message" in page  # and next to the field
    assert "<title>Error: Sign in" in page


def test_email_typed_is_kept_after_an_error(client, people):
    page = client.submit("/sign-in", {"email": "youth_member@test.example", "password": "nope"}).get_data(as_text=True)
    assert 'value="youth_member@test.example"' in page


def test_deactivated_person_cannot_sign_in(client, people, app):
    with app.app_context():
        db.session.get(User, people["partner"].id).active = False
        db.session.commit()
    page = client.sign_in(people["partner"].email).get_data(as_text=True)
    assert "Your email address or password is not right" in page


def test_invited_person_without_password_cannot_sign_in(client, app, people):
    with app.app_context():
        db.session.get(User, people["partner"].id).password_hash = None
        db.session.commit()
    page = client.sign_in(people["partner"].email, "anything at all").get_data(as_text=True)
    assert "Your email address or password is not right" in page


def test_next_goes_back_to_the_page_asked_for(client, people):
    response = client.get("/account/password")
    assert response.headers["Location"] == "/sign-in?next=/account/password"
    token = client.csrf_token()
    response = client.post(
        "/sign-in?next=/account/password",
        data={"email": people["chair"].email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/account/password"


@pytest.mark.parametrize(
    "target", ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"]
)
def test_next_never_leaves_the_site(client, people, target):
    token = client.csrf_token()
    response = client.post(
        "/sign-in",
        query_string={"next": target},
        data={"email": people["chair"].email, "password": PASSWORD, "csrf_token": token},
    )
    assert response.headers["Location"] == "/dashboard"


def test_session_is_new_at_sign_in(client, people):
    client.get("/sign-in")  # a page with a form: the session holds its token
    with client.session_transaction() as before:
        before["left_over"] = "from before sign-in"
        csrf_before = before["csrf_token"]
    client.sign_in(people["chair"].email)
    with client.session_transaction() as after:
        assert "left_over" not in after
        assert after.get("csrf_token") != csrf_before


def test_sign_out_ends_every_other_session(app, people):
    app.test_client_class = PortalClient
    laptop, phone = app.test_client(), app.test_client()
    laptop.sign_in(people["chair"].email)
    phone.sign_in(people["chair"].email)
    assert phone.get("/account").status_code == 200
    laptop.submit("/sign-out")
    assert phone.get("/account").status_code == 302
    assert fetch_user(app, people["chair"].id).session_version == 2


def test_sign_in_is_audited(client, app, people):
    client.sign_in(people["officer"].email)
    with app.app_context():
        actions = [e.action for e in db.session.scalars(db.select(AuditEntry))]
    assert "account.signed_in" in actions
    assert fetch_user(app, people["officer"].id).last_signed_in_at is not None


def test_signed_in_pages_are_not_cached(client, signed_in):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    signed_in("officer")
    assert client.get("/people").headers["Cache-Control"] == "no-store"


def test_signed_in_person_is_sent_from_sign_in_to_dashboard(client, signed_in):
    signed_in("partner")
    assert client.get("/sign-in").headers["Location"] == "/dashboard"


class TestRateLimit:
    def test_per_account(self, client, people):
        for _ in range(10):
            assert client.sign_in(people["chair"].email, "wrong password").status_code == 422
        response = client.sign_in(people["chair"].email, PASSWORD)
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert "You have tried too many times" in page
        assert "Wait 15 minutes" in page
        # Another account from the same address is not locked out by that.
        assert client.sign_in(people["officer"].email).status_code == 303

    def test_behind_a_proxy_each_person_has_their_own_address(self, tmp_path, people):
        from tests.conftest import make_app

        # A second app, set up behind one proxy; it works in this test's transaction.
        app = make_app(tmp_path, PROXY_HOPS=1, SIGN_IN_LIMIT_PER_ADDRESS="2 per 15 minutes")
        app.test_client_class = PortalClient
        client = app.test_client()

        def try_from(address: str):
            data = {"email": "x@test.example", "password": "wrong", "csrf_token": client.csrf_token()}
            return client.post("/sign-in", data=data, headers={"X-Forwarded-For": address})

        for _ in range(2):
            try_from("203.0.113.1")
        blocked = try_from("203.0.113.1")
        other = try_from("198.51.100.7")
        assert blocked.status_code == 429
        assert other.status_code == 422

    def test_per_address(self, tmp_path, people, app):
        app.config["SIGN_IN_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
        app.test_client_class = PortalClient
        client = app.test_client()
        for n in range(3):
            assert client.sign_in(f"person{n}@test.example", "wrong password").status_code == 422
        assert client.sign_in(people["chair"].email).status_code == 429

    def test_every_try_counts_so_tries_at_once_cannot_slip_through(self, app, client, people):
        app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
        for _ in range(3):
            client.sign_in(people["chair"].email)
            client.submit("/sign-out")
        assert client.sign_in(people["chair"].email).status_code == 429

    def test_control_characters_do_not_make_a_new_account_key(self, app, client, people):
        app.config["SIGN_IN_LIMIT_PER_ACCOUNT"] = "2 per 15 minutes"
        for _ in range(2):
            client.sign_in(people["chair"].email, "wrong password")
        assert client.sign_in("ch\x01air@test.example", PASSWORD).status_code == 429

    def test_forgot_password_limit_says_an_hour(self, client, people):
        for _ in range(3):
            client.submit("/forgot-password", {"email": people["chair"].email})
        response = client.submit("/forgot-password", {"email": people["chair"].email})
        assert response.status_code == 429
        assert "Wait an hour" in response.get_data(as_text=True)


# Each part of the consultations lists its POST routes (tests/consultations/matrix_*.py).
CONSULTATION_POSTS: set[str] = {
    path for part in (matrix_requests, matrix_responding, matrix_insight) for path in part.CSRF_POSTS
}


class TestCsrf:
    POSTS = [
        "/sign-in",
        "/sign-out",
        "/forgot-password",
        "/account/password",
        "/account/delete",
        "/session/keep-alive",
        "/sign-in/code",
        "/sign-in/recovery-code",
        "/account/two-step/set-up",
        "/account/two-step/recovery-codes",
        "/account/two-step/turn-off",
        "/account/two-step/forget-devices",
        "/people/1/two-step/reset",
        "/invitation/x",
        "/recommendations/meetings/new",
        "/recommendations/meetings/1",
        "/recommendations/1/respond",
        "/reset-password/x",
        "/people/invite",
        "/people/1/role",
        "/people/1/deactivate",
        "/people/1/reactivate",
        "/people/1/resend-invitation",
        "/people/1/data",
        "/people/1/delete",
        "/notifications/read",
        "/statements/open",
        "/statements/2020-07",
        "/statements/2020-07/revisions/1/restore",
        "/statements/2020-07/submit",
        "/statements/2020-07/request-changes",
        "/statements/2020-07/accept",
        "/statements/2020-07/reopen",
        "/area-of-interest/portfolios",
        "/area-of-interest/portfolios/1",
        "/area-of-interest/rounds",
        "/area-of-interest/rounds/1/close",
        "/area-of-interest/rounds/1/pair",
        "/area-of-interest/rounds/1/confirm",
        "/area-of-interest/rounds/1/pairings/1/move",
        "/area-of-interest/rounds/1/choices",
        "/area-of-interest/pairings/accept",
        "/area-of-interest/pairings/1/log",
        "/area-of-interest/pairings/1/log/1",
        "/area-of-interest/pairings/1/log/1/done",
        "/campaigns/new",
        "/campaigns/x/edit",
        "/campaigns/x/publish",
        "/campaigns/x/changes/approve",
        "/campaigns/x/changes/return",
        "/campaigns/x/reach",
        "/campaigns/x/reach/1",
        "/campaigns/x/reach/1/delete",
        "/plan/items",
        "/plan/items/1/move",
        "/plan/items/1/cancel",
        "/youth-cabinet/offices",
        "/youth-cabinet/offices/1/end",
        "/updates/new",
        "/updates/import",
        "/updates/1/details",
        "/updates/1/sign-off",
        "/updates/1/sections",
        "/updates/1/sections/1",
        "/updates/1/sections/1/move",
        "/updates/1/sections/1/delete",
        "/updates/1/sections/1/paragraphs",
        "/updates/1/closing-paragraph",
        "/updates/1/paragraphs/1",
        "/updates/1/paragraphs/1/move",
        "/updates/1/paragraphs/1/delete",
        "/updates/1/publish",
        "/updates/1/correct",
        "/report-a-concern",
        "/report",
        "/safeguarding/1",
    ]

    def test_every_post_route_is_checked_here(self, app):
        posts = {
            rule.rule.replace("<token>", "x")
            .replace("<int:user_id>", "1")
            .replace("<month:month>", "2020-07")
            .replace("<int:revision_id>", "1")
            .replace("<int:portfolio_id>", "1")
            .replace("<int:round_id>", "1")
            .replace("<int:pairing_id>", "1")
            .replace("<int:entry_id>", "1")
            .replace("<slug>", "x")
            .replace("<int:item_id>", "1")
            .replace("<int:office_id>", "1")
            .replace("<int:update_id>", "1")
            .replace("<int:section_id>", "1")
            .replace("<int:paragraph_id>", "1")
            .replace("<int:consultation_id>", "1")
            .replace("<int:question_id>", "1")
            .replace("<int:answer_id>", "1")
            .replace("<int:report_id>", "1")
            .replace("<int:meeting_id>", "1")
            .replace("<int:recommendation_id>", "1")
            for rule in app.url_map.iter_rules()
            if "POST" in rule.methods
        }
        assert posts == set(self.POSTS) | CONSULTATION_POSTS

    @pytest.mark.parametrize("path", POSTS + sorted(CONSULTATION_POSTS))
    def test_post_without_token_is_refused(self, client, signed_in, path):
        signed_in("officer")
        response = client.post(path, data={"email": "a@b.example"})
        assert response.status_code == 400
        assert "This form was open too long" in response.get_data(as_text=True)

    def test_htmx_post_with_header_token_is_accepted(self, client, signed_in):
        signed_in("officer")
        token = client.csrf_token()
        response = client.post("/sign-out", headers={"X-CSRFToken": token, "HX-Request": "true"})
        assert response.status_code == 303

    def test_token_from_another_session_is_refused(self, app, people):
        app.test_client_class = PortalClient
        mine, theirs = app.test_client(), app.test_client()
        token = theirs.csrf_token()
        response = mine.post(
            "/sign-in", data={"email": people["chair"].email, "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 400
