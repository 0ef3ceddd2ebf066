"""#13.3: retention that runs. Each rule is run with the clock just before its
period ends (nothing goes) and just after (it goes); running it again changes
nothing; ``flask retention run`` prints a count per rule and ``--dry-run``
changes nothing; the privacy notice states the periods from the same settings."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select

from portal import retention
from portal.extensions import db
from portal.models import Answer, AuditEntry, Notification, Response, User
from portal.models.base import utcnow
from portal.people.erasure import ERASED_NAME
from portal.people.operations import deactivate, reactivate
from portal.templating import LOCAL_ZONE
from tests.conftest import add_person, fetch_user, make_app
from tests.consultations.test_responding import assert_counters_match, counters, make_consultation
from tests.factories import AnswerFactory, ConsultationFactory, QuestionFactory, ResponseFactory
from tests.people.test_erasure import answer_as

CLOSES = date(2026, 3, 10)
JUST = timedelta(minutes=1)


def local(day: date, hour: int = 0, minute: int = 0) -> datetime:
    """A moment in the council's time zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=LOCAL_ZONE)


def after_closing(days: int) -> datetime:
    """The moment a consultation closing on CLOSES has been closed ``days``
    days: it closes at the end of its closing day."""
    return local(CLOSES + timedelta(days=1 + days))


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model)) or 0


# Unsent responses and changes never sent ----------------------------------------------------


def test_unsent_responses_go_30_days_after_closing(app, people):
    with app.app_context():
        question = QuestionFactory(consultation=ConsultationFactory(opens_on=date(2026, 3, 1), closes_on=CLOSES))
        consultation_id = question.consultation_id
        mine = ResponseFactory(consultation_id=consultation_id, respondent=people["young_person"])
        AnswerFactory(response=mine, question=question, text="Half an answer")
        visitors = ResponseFactory(consultation_id=consultation_id, visitor_token="a" * 64)
        sent = ResponseFactory(consultation_id=consultation_id, respondent=people["youth_member"], submitted=True)
        AnswerFactory(response=sent, question=question, text="Sent words")
        # An unsent response to a consultation that closes later is not touched.
        later = ConsultationFactory(opens_on=date(2026, 3, 1), closes_on=CLOSES + timedelta(days=60))
        still_open = ResponseFactory(consultation=later, respondent=people["young_person"])
        db.session.commit()
        kept_ids, visitors_id = {sent.id, still_open.id}, visitors.id

        assert retention.unsent_responses(after_closing(30) - JUST) == 0
        assert count(Response) == 4

        assert retention.unsent_responses(after_closing(30)) == 2
        assert set(db.session.scalars(select(Response.id))) == kept_ids
        assert list(db.session.scalars(select(Answer.text))) == ["Sent words"]
        assert db.session.get(Response, visitors_id) is None

        assert retention.unsent_responses(after_closing(30)) == 0  # nothing more to do


def test_changes_never_sent_go_30_days_after_closing_and_the_sent_answers_stay(app, people):
    with app.app_context():
        question = QuestionFactory(consultation=ConsultationFactory(opens_on=date(2026, 3, 1), closes_on=CLOSES))
        response = ResponseFactory(
            consultation_id=question.consultation_id, respondent=people["young_person"], submitted=True, changing=True
        )
        AnswerFactory(response=response, question=question, text="What I sent")
        AnswerFactory(response=response, question=question, text="A change I never sent", draft=True)
        db.session.commit()

        assert retention.changes_not_sent(after_closing(30) - JUST) == 0
        assert count(Answer) == 2

        assert retention.changes_not_sent(after_closing(30)) == 1
        db.session.expire_all()
        assert list(db.session.scalars(select(Answer.text))) == ["What I sent"]
        kept = db.session.get(Response, response.id)
        assert kept is not None and kept.status == "submitted" and not kept.changing
        assert retention.changes_not_sent(after_closing(30)) == 0


def test_the_period_is_a_setting(app, people):
    with app.app_context():
        consultation = ConsultationFactory(opens_on=date(2026, 3, 1), closes_on=CLOSES)
        ResponseFactory(consultation=consultation, respondent=people["young_person"])
        db.session.commit()
        app.config["RETENTION_UNSENT_RESPONSE_DAYS"] = 7
        assert retention.unsent_responses(after_closing(7) - JUST) == 0
        assert retention.unsent_responses(after_closing(7)) == 1


# Visitors' tokens ---------------------------------------------------------------------------


@pytest.mark.parametrize("days", [0, 14])
def test_visitor_tokens_are_cleared_when_the_period_after_closing_ends(app, days):
    app.config["RETENTION_VISITOR_TOKEN_DAYS"] = days
    with app.app_context():
        consultation = ConsultationFactory(opens_on=date(2026, 3, 1), closes_on=CLOSES, audience="public")
        sent = ResponseFactory(consultation=consultation, visitor_token="b" * 64, submitted=True, district="Crawley")
        db.session.commit()

        assert retention.visitor_tokens(after_closing(days) - JUST) == 0
        assert db.session.get(Response, sent.id).visitor_token == "b" * 64

        assert retention.visitor_tokens(after_closing(days)) == 1
        db.session.expire_all()
        kept = db.session.get(Response, sent.id)
        assert kept.visitor_token is None
        assert (kept.status, kept.district) == ("submitted", "Crawley")  # still counted as before
        assert retention.visitor_tokens(after_closing(days)) == 0


# Deactivated accounts -----------------------------------------------------------------------


def deactivated_on(app, person_id: int, officer_id: int, when: datetime) -> None:
    """An officer deactivates the account; the audit log says it happened at ``when``."""
    with app.app_context():
        deactivate(db.session.get(User, officer_id), db.session.get(User, person_id))
        db.session.execute(
            AuditEntry.__table__.update()
            .where(AuditEntry.action == "people.deactivated", AuditEntry.subject_id == person_id)
            .values(at=when)
        )
        db.session.commit()


def test_a_deactivated_account_is_erased_a_year_after_and_results_do_not_move(app, people):
    ids = make_consultation(app)
    with app.app_context():
        sam = add_person("young_person", email="sam@test.example", name="Sam K.")
        db.session.add(Notification(user_id=sam.id, message="Feedback is published"))
        db.session.commit()
    answer_as(app, sam.email, ids, "Sam words here")
    answer_as(app, people["young_person"].email, ids, "Other words")
    counted = counters(app, ids.consultation)
    assert counted[(0, -1, -1, "", "")] == 2
    when = datetime(2026, 1, 15, 10, 0, tzinfo=LOCAL_ZONE)
    deactivated_on(app, sam.id, people["officer"].id, when)

    with app.app_context():
        assert retention.deactivated_accounts(when + timedelta(days=365) - JUST) == 0
    assert fetch_user(app, sam.id).display_name == "Sam K."

    with app.app_context():
        assert retention.deactivated_accounts(when + timedelta(days=365) + JUST) == 1
    user = fetch_user(app, sam.id)
    assert user.display_name == ERASED_NAME and user.email.endswith("@erased.invalid") and user.age_band is None
    assert counters(app, ids.consultation) == counted
    assert_counters_match(app, ids)
    with app.app_context():
        assert count(Notification) == 0
        assert "Sam words here" not in set(db.session.scalars(select(Answer.text)))
        erased = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "people.erased")).one()
        assert erased.actor_id is None and erased.subject_id == sam.id  # "The system" in the audit log
        assert retention.deactivated_accounts(when + timedelta(days=3650)) == 0  # already erased


def test_the_latest_deactivation_counts_and_active_accounts_and_officers_stay(app, people):
    with app.app_context():
        back = add_person("young_person", email="back@test.example")
        officer = add_person("officer", email="second.officer@test.example")
    first = datetime(2025, 1, 1, tzinfo=LOCAL_ZONE)
    deactivated_on(app, back.id, people["officer"].id, first)
    with app.app_context():
        reactivate(db.session.get(User, people["officer"].id), db.session.get(User, back.id))
    # Reactivated, so not erased however long ago the deactivation was.
    with app.app_context():
        assert retention.deactivated_accounts(first + timedelta(days=800)) == 0
    second = datetime(2026, 6, 1, tzinfo=LOCAL_ZONE)
    deactivated_on(app, back.id, people["officer"].id, second)
    deactivated_on(app, officer.id, people["officer"].id, first)
    with app.app_context():
        assert retention.deactivated_accounts(second + timedelta(days=365) - JUST) == 0
        assert retention.deactivated_accounts(second + timedelta(days=365) + JUST, dry_run=True) == 1
        assert retention.deactivated_accounts(second + timedelta(days=365) + JUST) == 1
    assert fetch_user(app, back.id).display_name == ERASED_NAME
    assert fetch_user(app, officer.id).email == "second.officer@test.example"  # officers are not erased this way
    assert fetch_user(app, people["young_person"].id).display_name != ERASED_NAME  # active accounts stay


def test_an_account_deactivated_without_an_audit_entry_counts_from_its_last_change(app):
    with app.app_context():
        person = add_person("young_person", email="quiet@test.example")
        when = datetime(2025, 5, 1, tzinfo=LOCAL_ZONE)
        db.session.execute(User.__table__.update().where(User.id == person.id).values(active=False, updated_at=when))
        db.session.commit()
        assert retention.deactivated_accounts(when + timedelta(days=365) - JUST) == 0
        assert retention.deactivated_accounts(when + timedelta(days=365) + JUST) == 1


# The audit log ------------------------------------------------------------------------------


def test_old_audit_entries_lose_their_details_and_who_did_things_for_themselves(app, people):
    when = datetime(2024, 2, 1, 9, 0, tzinfo=LOCAL_ZONE)
    young, officer = people["young_person"].id, people["officer"].id
    with app.app_context():
        db.session.add_all(
            [
                AuditEntry(at=when, actor_id=young, action="account.signed_in", subject_type="user", subject_id=young),
                AuditEntry(
                    at=when,
                    actor_id=young,
                    action="consultation.response_sent",
                    subject_type="consultation",
                    subject_id=3,
                    summary="Answers sent",
                ),
                AuditEntry(
                    at=when,
                    actor_id=officer,
                    action="people.role_changed",
                    subject_type="user",
                    subject_id=young,
                    summary="Young person to Youth Cabinet member",
                ),
                AuditEntry(
                    at=when + timedelta(days=2),
                    actor_id=officer,
                    action="people.invited",
                    subject_type="user",
                    summary="Recent",
                ),
            ]
        )
        db.session.commit()

        assert retention.audit_details(when + timedelta(days=730) - JUST) == 0
        assert retention.audit_details(when + timedelta(days=730) + JUST) == 3
        entries = {
            entry.action: entry
            for entry in db.session.scalars(select(AuditEntry).execution_options(populate_existing=True))
        }
        assert entries["account.signed_in"].actor_id is None
        sent = entries["consultation.response_sent"]
        assert (sent.actor_id, sent.summary) == (None, "")
        decision = entries["people.role_changed"]
        assert (decision.actor_id, decision.summary, decision.subject_id) == (officer, "", young)  # who decided stays
        assert decision.at == when
        assert entries["people.invited"].summary == "Recent"
        assert retention.audit_details(when + timedelta(days=730) + JUST) == 0


# Notifications and mail ---------------------------------------------------------------------


def test_read_notifications_go_after_180_days_and_unread_ones_after_365(app, people):
    made = datetime(2026, 1, 1, 8, 0, tzinfo=LOCAL_ZONE)
    with app.app_context():
        user_id = people["young_person"].id
        db.session.add_all(
            [
                Notification(user_id=user_id, message="Read", created_at=made, read_at=made + timedelta(days=1)),
                Notification(user_id=user_id, message="Unread", created_at=made),
            ]
        )
        db.session.commit()

        def left() -> list[str]:
            return list(db.session.scalars(select(Notification.message).order_by(Notification.message)))

        assert retention.notifications(made + timedelta(days=180) - JUST) == 0
        assert retention.notifications(made + timedelta(days=180) + JUST) == 1
        assert left() == ["Unread"]
        assert retention.notifications(made + timedelta(days=365) - JUST) == 0
        assert retention.notifications(made + timedelta(days=365) + JUST) == 1
        assert left() == []


def test_outbox_mails_go_after_30_days_and_nothing_else_in_the_folder(app):
    folder = Path(app.config["OUTBOX_DIR"])
    folder.mkdir(parents=True)
    written = datetime(2026, 2, 1, 12, 0, tzinfo=LOCAL_ZONE)
    mail, other = folder / "20260201-sam.eml", folder / "notes.txt"
    for path in (mail, other):
        path.write_text("To: sam@test.example")
        os.utime(path, (written.timestamp(), written.timestamp()))
    with app.app_context():
        assert retention.outbox_mails(written + timedelta(days=30) - JUST) == 0
        assert retention.outbox_mails(written + timedelta(days=30) + JUST, dry_run=True) == 1
        assert mail.exists()
        assert retention.outbox_mails(written + timedelta(days=30) + JUST) == 1
    assert not mail.exists() and other.exists()


# Batches, the run and the command -----------------------------------------------------------


def test_rows_go_in_batches(app, people):
    app.config["RETENTION_BATCH_SIZE"] = 2
    made = datetime(2025, 1, 1, tzinfo=LOCAL_ZONE)
    with app.app_context():
        db.session.add_all(
            Notification(user_id=people["officer"].id, message=f"{n}", created_at=made) for n in range(5)
        )
        db.session.commit()
        assert retention.notifications(made + timedelta(days=400)) == 5
        assert count(Notification) == 0


def old_notification(app, user_id: int) -> None:
    with app.app_context():
        db.session.add(Notification(user_id=user_id, message="Long ago", created_at=utcnow() - timedelta(days=400)))
        db.session.commit()


def test_the_command_prints_a_count_per_rule(app, people):
    old_notification(app, people["officer"].id)
    result = app.test_cli_runner().invoke(args=["retention", "run"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == len(retention.RULES)
    assert "Notifications: 1 deleted" in lines
    assert "Unsent responses: 0 deleted" in lines and "Visitors' tokens: 0 cleared" in lines
    with app.app_context():
        assert count(Notification) == 0
    again = app.test_cli_runner().invoke(args=["retention", "run"])
    assert "Notifications: 0 deleted" in again.output.splitlines()


def test_a_dry_run_counts_and_changes_nothing(app, people):
    old_notification(app, people["officer"].id)
    result = app.test_cli_runner().invoke(args=["retention", "run", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run: nothing was changed." in result.output
    assert "Notifications: 1 would be deleted" in result.output.splitlines()
    with app.app_context():
        assert count(Notification) == 1


def test_run_applies_every_rule_and_a_second_run_does_nothing(app, people):
    old_notification(app, people["officer"].id)
    with app.app_context():
        first = retention.run(utcnow())
        assert list(first) == [rule.name for rule in retention.RULES]
        assert first["notifications"] == 1
        assert set(retention.run(utcnow()).values()) == {0}


# The privacy notice -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, words", [(0, "0 days"), (1, "1 day"), (30, "30 days"), (365, "1 year"), (730, "2 years")]
)
def test_periods_in_words(days, words):
    assert retention.in_words(days) == words


def test_the_privacy_notice_states_the_default_periods(client):
    notice = client.get("/privacy").get_data(as_text=True)
    assert "Your details are then deleted 1 year after the account was deactivated" in notice
    assert "that you never sent: 30 days after the consultation closes" in notice
    assert "come back to their answers: when the consultation closes" in notice
    assert "180 days after they were sent once you have read them, or 1 year if you have not" in notice
    assert "not connected to a mail server: after 30 days" in notice
    assert "the details in the log of changes: after 2 years" in notice


def test_the_privacy_notice_follows_the_settings(app, tmp_path):
    changed = make_app(
        tmp_path,
        RETENTION_DEACTIVATED_ACCOUNT_DAYS=730,
        RETENTION_UNSENT_RESPONSE_DAYS=14,
        RETENTION_VISITOR_TOKEN_DAYS=1,
        RETENTION_NOTIFICATION_DAYS=90,
        RETENTION_UNREAD_NOTIFICATION_DAYS=120,
        RETENTION_OUTBOX_DAYS=7,
        RETENTION_AUDIT_PERSONAL_DAYS=1095,
    )
    notice = changed.test_client().get("/privacy").get_data(as_text=True)
    assert "deleted 2 years after the account was deactivated" in notice
    assert "that you never sent: 14 days after the consultation closes" in notice
    assert "come back to their answers: 1 day after the consultation closes" in notice
    assert "90 days after they were sent once you have read them, or 120 days if you have not" in notice
    assert "not connected to a mail server: after 7 days" in notice
    assert "the details in the log of changes: after 3 years" in notice
    with changed.app_context():
        assert changed.config["RETENTION_UNSENT_RESPONSE_DAYS"] == 14  # the rules read the same settings
