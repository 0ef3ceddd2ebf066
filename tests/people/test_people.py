"""Officer pages: inviting, finding, changing roles, deactivating."""

from __future__ import annotations

import pytest

from portal.extensions import db
from portal.models import AuditEntry, User
from tests.conftest import PortalClient, add_person, fetch_user, outbox_messages, shows_49


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count(User.id)))


def invite(client, **fields):
    data = {
        "display_name": "Sam K.",
        "email": "sam@test.example",
        "role": "youth_member",
        "age_band": "14-16",
        "district": "Arun",
    }
    data.update(fields)
    return client.submit("/people/invite", data)


@pytest.fixture
def officer(client, signed_in):
    return signed_in("officer")


class TestInvite:
    def test_invite_makes_an_invited_account(self, client, officer, app):
        response = invite(client)
        assert response.status_code == 303
        with app.app_context():
            person = db.session.scalar(db.select(User).where(User.email == "sam@test.example"))
            assert person.status == "Invited" and person.invited_by_id == officer.id
            assert (person.age_band, person.district, person.organisation) == ("14-16", "Arun", None)
            assert db.session.scalar(db.select(AuditEntry).where(AuditEntry.action == "people.invited")) is not None
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Invitation sent to sam@test.example" in page
        assert "Send the invitation again" in page

    def test_adults_carry_no_age_band_or_district(self, client, officer, app):
        invite(client, role="cabinet_member", email="cllr@test.example", display_name="Cllr Smith")
        with app.app_context():
            person = db.session.scalar(db.select(User).where(User.email == "cllr@test.example"))
            assert person.age_band is None and person.district is None

    @pytest.mark.parametrize(
        "fields, field_id, message",
        [
            ({"display_name": ""}, "display_name", "Enter the person&#39;s name"),
            ({"display_name": "   "}, "display_name", "Enter the person&#39;s name"),
            ({"display_name": "N" * 10_000}, "display_name", "60 characters or fewer (you typed 10,000)"),
            ({"email": ""}, "email", "Enter the person&#39;s email address"),
            ({"email": "not an email"}, "email", "Enter an email address in the right format"),
            ({"email": "youth_member@test.example"}, "email", "Someone already has an account with this email address"),
            ({"email": "YOUTH_MEMBER@test.example"}, "email", "Someone already has an account with this email address"),
            ({"role": ""}, "role", "Choose a role"),
            ({"role": "superuser"}, "role", "Choose a role from the list"),
            ({"age_band": "99-100"}, "age_band", "Choose an age band from the list"),
            ({"district": "Atlantis"}, "district", "Choose a district from the list"),
            ({"role": "partner", "organisation": ""}, "organisation", "Enter the partner&#39;s organisation"),
        ],
    )
    def test_bad_input_is_refused_next_to_the_field(self, client, officer, app, fields, field_id, message):
        before = count_users(app)
        response = invite(client, **fields)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert message in page
        assert f'href="#{field_id}"' in page  # the error summary links to the field
        assert f'id="{field_id}-error"' in page  # and the message sits beside it
        assert count_users(app) == before  # nothing half-stored
        assert outbox_messages(app) == []

    def test_typed_values_are_kept_after_an_error(self, client, officer):
        page = invite(client, email="bad", display_name="Zoë 🙂").get_data(as_text=True)
        assert 'value="Zoë 🙂"' in page and 'value="bad"' in page
        assert '<option value="youth_member" selected>' in page

    @pytest.mark.parametrize(
        "name",
        ["Zoë 🙂", "مريم ع.", "<script>alert(1)</script>", "{{7*7}}", "<b>bold</b> & co"],
    )
    def test_names_are_stored_as_typed_and_shown_inert(self, client, officer, app, name):
        response = invite(client, display_name=name)
        assert response.status_code == 303
        person_page = client.get(response.headers["Location"]).get_data(as_text=True)
        with app.app_context():
            stored = db.session.scalar(db.select(User.display_name).where(User.email == "sam@test.example"))
        assert stored == name
        assert "<script>alert(1)</script>" not in person_page
        assert "<b>bold</b>" not in person_page
        if name == "{{7*7}}":
            assert "{{7*7}}" in person_page and not shows_49(person_page.split("<main", 1)[1])
        list_page = client.get("/people", query_string={"q": name[:3]}).get_data(as_text=True)
        assert "<script>alert(1)</script>" not in list_page
        mail = outbox_messages(app)[0].get_content()
        assert name in mail  # plain text: shown as typed

    def test_control_characters_are_stripped(self, client, officer, app):
        invite(client, display_name="Sam\x00\x07 K.")
        with app.app_context():
            assert db.session.scalar(db.select(User.display_name).where(User.email == "sam@test.example")) == "Sam K."


class TestPerson:
    def test_change_role(self, client, officer, app, people):
        target = people["young_person"]
        response = client.submit(
            f"/people/{target.id}/role", {"role": "youth_member", "age_band": "11-13", "district": "Adur"}
        )
        assert response.status_code == 303
        user = fetch_user(app, target.id)
        assert (user.role, user.age_band, user.district) == ("youth_member", "11-13", "Adur")

    def test_role_change_ends_the_persons_sessions(self, app, people):
        app.test_client_class = PortalClient
        officer, member = app.test_client(), app.test_client()
        officer.sign_in(people["officer"].email)
        member.sign_in(people["youth_member"].email)
        # (The chair role comes and goes with the Chair office, so a member's role is changed here.)
        officer.submit(
            f"/people/{people['youth_member'].id}/role",
            {"role": "young_person", "age_band": "14-16", "district": "Arun"},
        )
        assert member.get("/account").status_code == 302

    def test_officer_cannot_change_own_role(self, client, officer, app):
        page = client.submit(f"/people/{officer.id}/role", {"role": "youth_member"}).get_data(as_text=True)
        assert "You cannot change your own role" in page
        assert fetch_user(app, officer.id).role == "officer"

    def test_tampered_role_is_refused(self, client, officer, app, people):
        target = people["partner"]
        page = client.submit(f"/people/{target.id}/role", {"role": "admin", "organisation": "X"}).get_data(as_text=True)
        assert "Choose a role from the list" in page
        assert fetch_user(app, target.id).role == "partner"

    def test_deactivate_signs_the_person_out_at_once(self, app, people):
        app.test_client_class = PortalClient
        officer, member = app.test_client(), app.test_client()
        officer.sign_in(people["officer"].email)
        member.sign_in(people["youth_member"].email)
        assert officer.submit(f"/people/{people['youth_member'].id}/deactivate").status_code == 303
        assert member.get("/account").status_code == 302
        assert member.sign_in(people["youth_member"].email).status_code == 422
        assert fetch_user(app, people["youth_member"].id).status == "Deactivated"
        assert officer.submit(f"/people/{people['youth_member'].id}/reactivate").status_code == 303
        assert member.sign_in(people["youth_member"].email).status_code == 303

    def test_officer_cannot_deactivate_self(self, client, officer, app):
        response = client.submit(f"/people/{officer.id}/deactivate")
        assert "You cannot deactivate your own account" in client.get(response.headers["Location"]).get_data(
            as_text=True
        )
        assert fetch_user(app, officer.id).active

    def test_resend_to_someone_already_set_up(self, client, officer, people, app):
        response = client.submit(f"/people/{people['chair'].id}/resend-invitation")
        assert "has already accepted" in client.get(response.headers["Location"]).get_data(as_text=True)
        assert outbox_messages(app) == []


class TestSearch:
    def test_plain_form_search(self, client, officer, people):
        page = client.get("/people", query_string={"q": "chair"}).get_data(as_text=True)
        assert "Youth Cabinet Chair" in page and "1 person." in page
        assert "partner@test.example" not in page

    def test_htmx_gets_only_the_results(self, client, officer):
        response = client.get("/people", query_string={"q": "partner"}, headers={"HX-Request": "true"})
        body = response.get_data(as_text=True)
        assert "HX-Request" in response.headers["Vary"]
        assert body.lstrip().startswith('<div id="people-results">')
        assert "partner@test.example" in body and "<html" not in body
        # The count goes to the live region that stays on the page.
        assert 'id="people-count" role="status" aria-live="polite" data-hx-swap-oob="innerHTML"' in body
        assert "1 person." in body

    def test_filter_by_role(self, client, officer):
        page = client.get("/people", query_string={"role": "cabinet_member"}).get_data(as_text=True)
        assert "cabinet_member@test.example" in page and "partner@test.example" not in page

    def test_wildcards_are_literal(self, client, officer):
        page = client.get("/people", query_string={"q": "%"}).get_data(as_text=True)
        assert "Nobody matches" in page

    def test_tampered_role_filter_is_ignored(self, client, officer):
        assert client.get("/people", query_string={"role": "' OR 1=1 --"}).status_code == 200


class TestQueryCounts:
    """Pages run a fixed number of SQL queries whatever the amount of data."""

    def _queries(self, client, count_queries, url):
        with count_queries() as counter:
            assert client.get(url).status_code == 200
        return counter.count

    @pytest.mark.parametrize("url", ["/people", "/people?q=test", "/audit", "/dashboard", "/", "/people/1"])
    def test_same_count_with_more_data(self, client, app, officer, count_queries, url):
        small = self._queries(client, count_queries, url)
        with app.app_context():
            for n in range(120):
                add_person("youth_member", email=f"member{n}@test.example", name=f"Member {n}")
        large = self._queries(client, count_queries, url)
        assert small > 0
        assert small == large
