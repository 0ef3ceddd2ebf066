"""Safeguarding reports (#13.6, "Report this" of #13.5): a concern or a public
item reported without an account, the reference and the email to the
safeguarding lead, the refusals, the limit per address, the officers' queue
and its handling, and production refusing the example address."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from portal.config import build_config
from portal.extensions import db
from portal.models import AuditEntry, ReportStatus, SafeguardingReport
from portal.models.base import utcnow
from portal.safeguarding import operations as ops
from portal.safeguarding import waiting_count
from tests.conftest import PortalClient, outbox_messages, shows_49
from tests.factories import (
    CabinetUpdateFactory,
    CampaignFactory,
    CampaignLeadFactory,
    ConsultationFactory,
    UpdateVersionFactory,
)

REFERENCE = re.compile(r"YC-[ACDEFGHJKMNPQRTWXY34679]{4}-[ACDEFGHJKMNPQRTWXY34679]{2}")
LEAD = "lead@safeguarding.school.example"
HOSTILE = "<script>alert('x')</script> {{7*7}} <b>bold</b> 🙂 مرحبا Zoë\nA second line"


@pytest.fixture
def lead(app) -> str:
    """The designated safeguarding lead's address, as a council would set it."""
    app.config["CONCERN_EMAIL"] = LEAD
    return LEAD


def reports(app) -> list[SafeguardingReport]:
    with app.app_context():
        found = list(db.session.scalars(select(SafeguardingReport).order_by(SafeguardingReport.id)))
        for report in found:
            db.session.expunge(report)
        return found


def concern(client: PortalClient, details: str = "A boy in my class keeps sending me mean messages.", **more):
    return client.submit("/report-a-concern", {"details": details, "contact": "", **more})


def reference_on(page: str) -> str:
    match = re.search(r"Your reference is<br><strong>(YC-[A-Z0-9-]+)</strong>", page)
    assert match, page
    return match.group(1)


def published_campaign(app, **fields) -> int:
    with app.app_context():
        campaign = CampaignFactory(slug="beaches", title="Clean beaches", published=True, **fields)
        db.session.commit()
        return campaign.id


# Report a concern ------------------------------------------------------------------


class TestConcern:
    def test_a_visitor_sends_a_concern_and_is_given_its_reference(self, app, client, lead):
        page = client.get("/report-a-concern").get_data(as_text=True)
        assert "If someone is in danger now, call 999." in page
        assert "0800 1111" in page and "0808 800 5000" in page and "help@nspcc.org.uk" in page
        assert "What happens next" in page

        response = concern(client, contact="07700 900123")
        assert response.status_code == 303 and response.headers["Location"] == "/report/sent"
        sent = client.get("/report/sent")
        assert sent.status_code == 200
        shown = reference_on(sent.get_data(as_text=True))
        assert "Your report has been sent" in sent.get_data(as_text=True)

        (report,) = reports(app)
        assert report.reference == shown and REFERENCE.fullmatch(shown)
        assert report.kind == "concern" and report.status == ReportStatus.NEW
        assert report.reporter_id is None and report.what is None and report.reason is None
        assert report.details == "A boy in my class keeps sending me mean messages."
        assert report.contact == "07700 900123"

    def test_the_safeguarding_lead_is_emailed_the_reference_and_the_details(self, app, client, lead):
        concern(client, details="He said he would hurt me\nafter school.", contact="sam@home.example")
        (report,) = reports(app)
        (mail,) = outbox_messages(app)
        assert mail["To"] == LEAD
        assert report.reference in mail["Subject"]
        body = mail.get_content()
        assert report.reference in body
        assert "He said he would hurt me\nafter school." in body
        assert "sam@home.example" in body and "Someone without an account" in body
        assert f"http://localhost/safeguarding/{report.id}" in body

    def test_empty_details_are_refused_next_to_the_field_and_nothing_is_stored(self, app, client, lead):
        response = concern(client, details="   \n  ", contact="my mum's phone")
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        assert '<a href="#details">Tell us what happened</a>' in page
        assert 'id="details-error"' in page
        assert "my mum&#39;s phone" in page  # what was typed is kept
        assert reports(app) == [] and outbox_messages(app) == []

    def test_details_over_the_limit_are_refused_and_kept(self, app, client, lead):
        huge = "Ä" * 2001
        response = concern(client, details=huge)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "What happened must be 2000 characters or fewer (you typed 2,001)" in page
        assert huge in page
        assert reports(app) == []

    def test_a_huge_post_is_refused_without_a_crash(self, app, client):
        response = concern(client, details="x" * (3 * 1024 * 1024))
        assert response.status_code == 413
        assert reports(app) == []

    def test_hostile_text_is_stored_as_typed_and_shown_escaped_to_officers(self, app, client, signed_in, lead):
        concern(client, details=HOSTILE, contact="<img src=x onerror=alert(1)>")
        (report,) = reports(app)
        assert report.details == HOSTILE
        assert report.contact == "<img src=x onerror=alert(1)>"
        assert HOSTILE in outbox_messages(app)[0].get_content()  # plain-text mail: as typed

        signed_in("officer")
        for path in ("/safeguarding", f"/safeguarding/{report.id}"):
            page = client.get(path).get_data(as_text=True)
            assert "&lt;script&gt;alert(" in page, path
            assert "<script>alert(" not in page and "<b>bold</b>" not in page and "<img src=x" not in page
            assert not shows_49(page), path
            assert "🙂 مرحبا Zoë" in page

    def test_a_signed_in_reporter_is_named_to_officers(self, app, client, signed_in, people, lead):
        young = signed_in("young_person")
        concern(client)
        (report,) = reports(app)
        assert report.reporter_id == young.id
        assert "Young person" in outbox_messages(app)[0].get_content()

    def test_the_hidden_field_catches_robots_who_are_told_nothing(self, app, client, lead):
        response = concern(client, extra_details="http://spam.example")
        assert response.status_code == 303
        assert REFERENCE.fullmatch(reference_on(client.get("/report/sent").get_data(as_text=True)))
        assert reports(app) == [] and outbox_messages(app) == []

    def test_nothing_is_written_to_the_audit_log_but_that_it_was_sent(self, app, client, lead):
        concern(client, details="Secret words about Jo.")
        (report,) = reports(app)
        with app.app_context():
            (entry,) = db.session.scalars(select(AuditEntry).where(AuditEntry.subject_type == "safeguarding_report"))
            assert entry.summary == f"Report {report.reference} sent"
            assert entry.actor_id is None


class TestReferences:
    def test_references_use_letters_and_digits_nobody_mixes_up(self):
        made = {ops.random_reference() for _ in range(2000)}
        assert all(REFERENCE.fullmatch(reference) for reference in made)
        assert len(made) > 1990  # random, not a sequence

    def test_a_reference_already_used_is_not_given_again(self, app, monkeypatch):
        with app.app_context():
            db.session.add(SafeguardingReport(reference="YC-AAAA-AA", kind="concern", details="x"))
            db.session.commit()
            tries = iter(["YC-AAAA-AA", "YC-CCCC-CC"])
            monkeypatch.setattr(ops, "random_reference", lambda: next(tries))
            assert ops.new_reference() == "YC-CCCC-CC"

    def test_the_database_refuses_two_reports_with_one_reference(self, app):
        with app.app_context():
            db.session.add(SafeguardingReport(reference="YC-AAAA-AA", kind="concern", details="x"))
            db.session.commit()
            db.session.add(SafeguardingReport(reference="YC-AAAA-AA", kind="concern", details="y"))
            with pytest.raises(IntegrityError, match="reference"):
                db.session.commit()
            db.session.rollback()


# Report this -----------------------------------------------------------------------


class TestReportThis:
    def test_a_published_campaign_has_a_report_link_and_a_draft_has_none(self, app, client, people, signed_in):
        campaign_id = published_campaign(app)
        page = client.get("/campaigns/beaches").get_data(as_text=True)
        assert f'href="/report?what=campaign:{campaign_id}"' in page
        with app.app_context():
            draft = CampaignFactory(slug="secret", title="Secret plan")
            CampaignLeadFactory(campaign=draft, user=people["youth_member"])
            db.session.commit()
        signed_in("youth_member")
        page = client.get("/campaigns/secret").get_data(as_text=True)
        assert "Secret plan" in page and "/report?what=" not in page

    def test_a_visitor_reports_a_campaign(self, app, client, lead):
        campaign_id = published_campaign(app)
        form = client.get(f"/report?what=campaign:{campaign_id}")
        assert form.status_code == 200
        page = form.get_data(as_text=True)
        assert "The campaign ‘Clean beaches’" in page and 'href="/campaigns/beaches"' in page
        assert "<legend" in page and "Why are you reporting this?" in page
        for reason in ("Unkind or bullying", "Personal details about someone", "Not true", "Something else"):
            assert reason in page

        response = client.submit(
            f"/report?what=campaign:{campaign_id}", {"reason": "personal_details", "details": "It names a pupil."}
        )
        assert response.status_code == 303 and response.headers["Location"] == "/report/sent"
        (report,) = reports(app)
        assert reference_on(client.get("/report/sent").get_data(as_text=True)) == report.reference
        assert (report.kind, report.what, report.reason) == ("content", f"campaign:{campaign_id}", "personal_details")
        assert report.what_link == "/campaigns/beaches" and report.what_label == "The campaign ‘Clean beaches’"
        body = outbox_messages(app)[0].get_content()
        assert "The campaign ‘Clean beaches’" in body and "http://localhost/campaigns/beaches" in body
        assert "Personal details about someone" in body and "It names a pupil." in body

    def test_a_reason_is_needed_and_something_else_needs_words(self, app, client, lead):
        campaign_id = published_campaign(app)
        url = f"/report?what=campaign:{campaign_id}"
        for data, field, message in [
            ({"details": "Look at it"}, "reason", "Choose why you are reporting this"),
            ({"reason": "because", "details": "Look at it"}, "reason", "Choose why you are reporting this"),
            ({"reason": "something_else", "details": " "}, "details", "Tell us what is wrong with it"),
        ]:
            response = client.submit(url, {"contact": "Ask Miss Patel", **data})
            assert response.status_code == 422, data
            page = response.get_data(as_text=True)
            assert f'<a href="#{field}">{message}</a>' in page, data
            assert "Ask Miss Patel" in page
        assert reports(app) == [] and outbox_messages(app) == []

    @pytest.mark.parametrize(
        "what",
        [
            "",
            "nonsense",
            "campaign",
            "campaign:",
            "campaign:abc",
            "campaign:0",
            "campaign:-1",
            "campaign:1:2",
            "campaign: 1",
            "Campaign:1",
            "poll:1",
            "campaign:99999999999",
            "statement:2020-07",
            "statement:1-v",
            "answer_quote:1",
            "campaign:1" + "0" * 70,
            "<script>:1",
        ],
    )
    def test_a_changed_or_unknown_link_gets_a_clear_message(self, app, client, what):
        for response in (client.get("/report", query_string={"what": what}), client.submit(f"/report?what={what}")):
            assert response.status_code == 400
            assert "We cannot tell what you want to report" in response.get_data(as_text=True)
        assert reports(app) == []

    def test_a_link_without_what_gets_the_same_message(self, client):
        assert client.get("/report").status_code == 400

    def test_what_is_not_public_is_not_found(self, app, client, people):
        with app.app_context():
            draft = CampaignFactory(slug="draft", title="Draft")
            unpublished = ConsultationFactory(feedback="We did it.")
            waiting = ConsultationFactory(status="submitted", feedback="x", feedback_published_at=utcnow())
            update = CabinetUpdateFactory(author=people["cabinet_member"])
            without_statement = UpdateVersionFactory(update=update)
            db.session.commit()
            whats = [
                f"campaign:{draft.id}",
                "campaign:2147483647",
                "campaign:9999999999",
                f"consultation_feedback:{unpublished.id}",
                f"consultation_feedback:{waiting.id}",
                f"statement:{update.id}-v{without_statement.number}",
                f"statement:{update.id}-v2",
            ]
        for what in whats:
            assert client.get(f"/report?what={what}").status_code == 404, what
            assert client.submit(f"/report?what={what}", {"reason": "unkind"}).status_code == 404, what
        assert reports(app) == []

    def test_you_said_we_did_can_be_reported(self, app, client, lead):
        with app.app_context():
            consultation = ConsultationFactory(
                title="Bus passes",
                organisation="Transport team",
                feedback="We cut fares.",
                feedback_published_at=utcnow(),
            )
            db.session.commit()
            consultation_id = consultation.id
        page = client.get(f"/consultations/{consultation_id}").get_data(as_text=True)
        what = f"consultation_feedback:{consultation_id}"
        assert f'href="/report?what={what}"' in page
        assert client.get(f"/report?what={what}").status_code == 200
        assert client.submit(f"/report?what={what}", {"reason": "not_true"}).status_code == 303
        (report,) = reports(app)
        assert report.what == what and report.what_link == f"/consultations/{consultation_id}#you-said-we-did"
        assert "Transport team" in report.what_label and "Bus passes" in report.what_label

    def test_the_chair_statement_in_a_published_update_can_be_reported(self, app, client, people, lead):
        with app.app_context():
            update = CabinetUpdateFactory(author=people["cabinet_member"], title="July update")
            version = UpdateVersionFactory(update=update)
            version.content = {**version.content, "chair_statement": {"heading": "Statement", "paragraphs": ["Hi."]}}
            db.session.commit()
            update_id = update.id
        page = client.get(f"/updates/{update_id}/v1").get_data(as_text=True)
        what = f"statement:{update_id}-v1"
        assert f'href="/report?what={what}"' in page
        assert (
            client.submit(f"/report?what={what}", {"reason": "unkind", "details": "Names a member."}).status_code == 303
        )
        (report,) = reports(app)
        assert report.what == what and report.what_link == f"/updates/{update_id}/v1#chair-statement"
        assert report.what_label == "The Chair’s statement in ‘July update’ (version 1)"

    def test_an_update_without_the_statement_has_no_link(self, app, client, people):
        with app.app_context():
            update = CabinetUpdateFactory(author=people["cabinet_member"])
            UpdateVersionFactory(update=update)
            db.session.commit()
            update_id = update.id
        assert "/report?what=" not in client.get(f"/updates/{update_id}/v1").get_data(as_text=True)


# The limit per address -------------------------------------------------------------


def test_one_address_is_limited_and_keeps_what_it_typed(app, client, lead):
    app.config["REPORT_LIMIT_PER_ADDRESS"] = "2 per hour"
    campaign_id = published_campaign(app)
    assert concern(client).status_code == 303
    assert client.submit(f"/report?what=campaign:{campaign_id}", {"reason": "unkind"}).status_code == 303

    for response in (
        concern(client, details="The third one, typed carefully."),
        client.submit(f"/report?what=campaign:{campaign_id}", {"reason": "unkind", "details": "The third one."}),
    ):
        assert response.status_code == 429
        page = response.get_data(as_text=True)
        assert "Your report has not been sent yet" in page and "Wait an hour" in page
        assert "The third one" in page  # nothing typed is lost
        assert "If someone is in danger now, call 999." in page
    assert len(reports(app)) == 2
    # Reading the form is never limited.
    assert client.get("/report-a-concern").status_code == 200


# The officers' queue -----------------------------------------------------------------


def _add_reports(app, people, count: int, start: int = 0) -> None:
    """``count`` reports, every other one about a campaign, every third from a signed-in young person."""
    with app.app_context():
        for n in range(start, start + count):
            db.session.add(
                SafeguardingReport(
                    reference=f"YC-{n:04d}-{n % 100:02d}",
                    kind="content" if n % 2 else "concern",
                    what=f"campaign:{n}" if n % 2 else None,
                    what_label=f"The campaign ‘{n}’" if n % 2 else "",
                    what_link=f"/campaigns/c{n}" if n % 2 else "",
                    reason="unkind" if n % 2 else None,
                    details=f"Report number {n}",
                    reporter_id=people["young_person"].id if n % 3 == 0 else None,
                )
            )
        db.session.commit()


class TestQueue:
    def test_officers_see_reports_newest_first(self, app, client, people, signed_in, lead):
        concern(client, details="The first")
        client.sign_in(people["young_person"].email)
        concern(client, details="The second")
        client.submit("/sign-out")
        signed_in("officer")
        page = client.get("/safeguarding").get_data(as_text=True)
        assert "2 new reports wait for an officer." in page
        assert page.index("The second") < page.index("The first")
        assert "Someone without an account" in page and "Young person" in page
        first, second = reports(app)
        assert f'href="/safeguarding/{first.id}">{first.reference}</a>' in page

    def test_the_queue_is_for_officers_only(self, client, signed_in):
        assert client.get("/safeguarding").status_code == 302
        signed_in("chair")
        assert client.get("/safeguarding").status_code == 403

    def test_the_queue_runs_the_same_queries_whatever_the_number_of_reports(
        self, app, client, people, signed_in, count_queries
    ):
        signed_in("officer")

        def queries() -> int:
            with count_queries() as counter:
                assert client.get("/safeguarding").status_code == 200
            return counter.count

        _add_reports(app, people, 1)
        few = queries()
        _add_reports(app, people, 59, start=1)
        assert queries() == few
        page_two = client.get("/safeguarding?page=3").get_data(as_text=True)
        assert "Report number 0" in page_two and "Report number 50" not in page_two

    def test_an_officer_marks_a_report_in_hand_then_closes_it(self, app, client, signed_in, lead):
        concern(client, details="Words only officers read.")
        (report,) = reports(app)
        officer = signed_in("officer")
        assert waiting_count_now(app) == 1

        response = client.submit(f"/safeguarding/{report.id}", {"status": "in_hand", "note": "Called the school."})
        assert response.status_code == 303
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert f"Report {report.reference} is marked in hand." in page
        (report,) = reports(app)
        assert report.status == ReportStatus.IN_HAND and report.handled_by_id == officer.id
        assert report.handled_at is not None and report.officer_note == "Called the school."
        assert waiting_count_now(app) == 0

        refused = client.submit(f"/safeguarding/{report.id}", {"status": "closed", "note": ""})
        assert refused.status_code == 422
        assert '<a href="#note">Say what was done before you close the report</a>' in refused.get_data(as_text=True)
        assert reports(app)[0].status == ReportStatus.IN_HAND

        closed = client.submit(f"/safeguarding/{report.id}", {"status": "closed", "note": "Sorted with the school."})
        assert closed.status_code == 303
        assert reports(app)[0].status == ReportStatus.CLOSED

        with app.app_context():
            summaries = list(
                db.session.scalars(
                    select(AuditEntry.summary)
                    .where(AuditEntry.subject_type == "safeguarding_report")
                    .order_by(AuditEntry.id)
                )
            )
        assert summaries == [
            f"Report {report.reference} sent",
            f"Report {report.reference} marked in hand",
            f"Report {report.reference} marked closed",
        ]

    def test_a_status_that_is_not_offered_is_refused(self, app, client, signed_in):
        _add_reports_one(app)
        signed_in("officer")
        (report,) = reports(app)
        for status in ("new", "deleted", ""):
            response = client.submit(f"/safeguarding/{report.id}", {"status": status, "note": "x"})
            assert response.status_code == 422
            assert "Choose ‘In hand’ or ‘Closed’" in response.get_data(as_text=True)

    def test_waiting_count_counts_only_new_reports(self, app, people):
        _add_reports(app, people, 3)
        with app.app_context():
            first = db.session.scalar(select(SafeguardingReport).order_by(SafeguardingReport.id))
            first.status = "closed"
            db.session.commit()
        assert waiting_count_now(app) == 2


def waiting_count_now(app) -> int:
    with app.app_context():
        return waiting_count()


def _add_reports_one(app) -> None:
    with app.app_context():
        db.session.add(SafeguardingReport(reference="YC-AAAA-AA", kind="concern", details="x"))
        db.session.commit()


def test_a_content_report_must_name_what_and_why_in_the_database(app):
    with app.app_context():
        db.session.add(SafeguardingReport(reference="YC-CCCC-CC", kind="content", details="x"))
        with pytest.raises(IntegrityError, match="content_names_what"):
            db.session.flush()
        db.session.rollback()
        assert db.session.scalar(select(func.count(SafeguardingReport.id))) == 0


# Production -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        None,
        "",
        "   ",
        "safeguarding@council.example",
        "SAFEGUARDING@COUNCIL.EXAMPLE",
        "dsl@school.test",
        "dsl@example.com",
        "dsl@mail.example.org",
        "nobody",
        "dsl@localhost",
        "dsl@council.invalid",
    ],
)
def test_production_refuses_to_start_without_a_real_safeguarding_address(monkeypatch, tmp_path: Path, address):
    monkeypatch.delenv("PORTAL_CONCERN_EMAIL", raising=False)
    settings = {"ENV": "production", "SECRET_KEY": "x" * 64}
    if address is not None:
        settings["CONCERN_EMAIL"] = address
    with pytest.raises(RuntimeError, match="PORTAL_CONCERN_EMAIL"):
        build_config(tmp_path, settings)


def test_production_starts_with_a_real_safeguarding_address(monkeypatch, tmp_path: Path):
    monkeypatch.setenv("PORTAL_CONCERN_EMAIL", "safeguarding@westsussex.gov.uk")
    config = build_config(tmp_path, {"ENV": "production", "SECRET_KEY": "x" * 64})
    assert config["CONCERN_EMAIL"] == "safeguarding@westsussex.gov.uk"
    # Not production: the example address is fine for trying the portal out.
    monkeypatch.delenv("PORTAL_CONCERN_EMAIL")
    assert build_config(tmp_path, {"ENV": "development"})["CONCERN_EMAIL"] == "safeguarding@council.example"
