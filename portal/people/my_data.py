"""Everything the portal holds about one person (#13.1): "Download my data"
from the account page, and an officer's download for a subject access request.

The collection reads one query per table (never one per row), so the download
costs the same whether the person sent one answer or a thousand. The result
is a ZIP with ``my-data.json`` (stable keys, ISO dates) and ``my-data.html``
(a page that opens on its own: no outside CSS or JavaScript, everything
escaped).
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date, datetime
from typing import Any

from flask import Response as FlaskResponse
from flask import current_app, make_response, render_template
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased

from portal.audit import record
from portal.extensions import db
from portal.models import (
    Answer,
    AuditEntry,
    Campaign,
    CampaignLead,
    ChairStatement,
    Consultation,
    Notification,
    Office,
    Pairing,
    PairingLogEntry,
    Portfolio,
    Preference,
    PreferenceAnswer,
    PreferenceRound,
    Question,
    Response,
    StatementReview,
    StatementRevision,
    User,
)
from portal.models.base import utcnow
from portal.security_log import security_event
from portal.templating import local_today

FORMAT = 1
JSON_NAME = "my-data.json"
HTML_NAME = "my-data.html"


def _iso(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _account(user: User) -> dict[str, Any]:
    return {
        "id": user.id,
        "display_name": user.display_name,
        "email": user.email,
        "role": user.role,
        "role_label": user.role_label,
        "age_band": user.age_band,
        "district": user.district,
        "organisation": user.organisation,
        "job_title": user.job_title,
        "status": user.status,
        "invited_at": _iso(user.invited_at),
        "last_signed_in_at": _iso(user.last_signed_in_at),
        "created_at": _iso(user.created_at),
    }


def _option_label(options: list[str] | None, index: int | None) -> str | None:
    if index is None:
        return None
    options = options or []
    return options[index] if 0 <= index < len(options) else f"Option {index + 1}"


def _responses(user_id: int) -> list[dict[str, Any]]:
    """Their responses (signed in, so never a visitor's) with every answer: two queries."""
    responses = db.session.execute(
        select(Response, Consultation.title)
        .join(Consultation, Consultation.id == Response.consultation_id)
        .where(Response.respondent_id == user_id)
        .order_by(Response.started_at, Response.id)
    ).all()
    answers = db.session.execute(
        select(Answer, Question.prompt, Question.kind, Question.options)
        .join(Response, Response.id == Answer.response_id)
        .join(Question, Question.id == Answer.question_id)
        .where(Response.respondent_id == user_id)
        .order_by(Answer.response_id, Question.position, Question.id, Answer.number, Answer.option, Answer.id)
    ).all()
    by_response: dict[int, list[dict[str, Any]]] = {}
    for answer, prompt, kind, options in answers:
        by_response.setdefault(answer.response_id, []).append(
            {
                "question": prompt,
                "question_kind": kind,
                "text": answer.text,
                "choice": _option_label(options, answer.option),
                "rating": answer.number if kind == "rating" else None,
                "rank": answer.number if kind == "ranking" else None,
                # A copy being changed, not sent yet.
                "draft": answer.draft,
                "moderation": answer.moderation if answer.text is not None else None,
            }
        )
    return [
        {
            "id": response.id,
            "consultation": title,
            "consultation_id": response.consultation_id,
            "status": response.status,
            "age_band": response.age_band,
            "district": response.district,
            "email_me_about_feedback": response.tell_me,
            "started_at": _iso(response.started_at),
            "submitted_at": _iso(response.submitted_at),
            "answers": by_response.get(response.id, []),
        }
        for response, title in responses
    ]


def _campaigns(user_id: int) -> list[dict[str, Any]]:
    campaigns = db.session.scalars(
        select(Campaign)
        .join(CampaignLead, CampaignLead.campaign_id == Campaign.id)
        .where(CampaignLead.user_id == user_id)
        .order_by(Campaign.created_at, Campaign.id)
    ).all()
    return [
        {
            "title": campaign.title,
            "status": campaign.status,
            "summary": campaign.summary,
            "starts_on": _iso(campaign.starts_on),
            "ends_on": _iso(campaign.ends_on),
            "published_at": _iso(campaign.published_at),
        }
        for campaign in campaigns
    ]


def _area_of_interest(user_id: int) -> dict[str, Any]:
    """Their rankings and reasons, their pairings, and the shared logs of
    their pairings (with what they wrote on other logs): four queries."""
    answers = db.session.execute(
        select(PreferenceAnswer, PreferenceRound.title)
        .join(PreferenceRound, PreferenceRound.id == PreferenceAnswer.round_id)
        .where(PreferenceAnswer.member_id == user_id)
        .order_by(PreferenceAnswer.round_id)
    ).all()
    ranked = db.session.execute(
        select(Preference.answer_id, Preference.rank, Portfolio.name)
        .join(PreferenceAnswer, PreferenceAnswer.id == Preference.answer_id)
        .join(Portfolio, Portfolio.id == Preference.portfolio_id)
        .where(PreferenceAnswer.member_id == user_id)
        .order_by(Preference.answer_id, Preference.rank)
    ).all()
    choices: dict[int, list[dict[str, Any]]] = {}
    for answer_id, rank, name in ranked:
        choices.setdefault(answer_id, []).append({"rank": rank, "portfolio": name})
    pairings = db.session.execute(
        select(Pairing, PreferenceRound.title, Portfolio.name)
        .join(PreferenceRound, PreferenceRound.id == Pairing.round_id)
        .join(Portfolio, Portfolio.id == Pairing.portfolio_id)
        .where(Pairing.member_id == user_id)
        .order_by(Pairing.round_id)
    ).all()
    entries = db.session.execute(
        select(PairingLogEntry, Portfolio.name)
        .join(Pairing, Pairing.id == PairingLogEntry.pairing_id)
        .join(Portfolio, Portfolio.id == Pairing.portfolio_id)
        .where(or_(Pairing.member_id == user_id, PairingLogEntry.author_id == user_id))
        .order_by(PairingLogEntry.on, PairingLogEntry.id)
    ).all()
    return {
        "preferences": [
            {
                "round": title,
                "reason": answer.reason,
                "choices": choices.get(answer.id, []),
                "updated_at": _iso(answer.updated_at),
            }
            for answer, title in answers
        ],
        "pairings": [
            {
                "round": title,
                "portfolio": name,
                "your_choice": pairing.choice_rank,
                "accepted_at": _iso(pairing.accepted_at),
            }
            for pairing, title, name in pairings
        ],
        "pairing_log": [
            {
                "portfolio": name,
                "kind": entry.kind,
                "on": _iso(entry.on),
                "text": entry.text,
                "who": entry.who,
                "done": entry.done,
                "written_by_you": entry.author_id == user_id,
                "created_at": _iso(entry.created_at),
            }
            for entry, name in entries
        ],
    }


def _offices(user_id: int) -> list[dict[str, Any]]:
    offices = db.session.scalars(select(Office).where(Office.holder_id == user_id).order_by(Office.starts_on)).all()
    return [
        {"title": office.title, "starts_on": _iso(office.starts_on), "ends_on": _iso(office.ends_on)}
        for office in offices
    ]


def _statements(user_id: int) -> dict[str, Any]:
    """The Chair's statements they started or last saved, every revision they
    wrote and every review step they took: three queries."""
    statements = db.session.scalars(
        select(ChairStatement)
        .where(or_(ChairStatement.created_by_id == user_id, ChairStatement.updated_by_id == user_id))
        .order_by(ChairStatement.month)
    ).all()
    revisions = db.session.execute(
        select(StatementRevision, ChairStatement.month)
        .join(ChairStatement, ChairStatement.id == StatementRevision.statement_id)
        .where(StatementRevision.author_id == user_id)
        .order_by(ChairStatement.month, StatementRevision.created_at, StatementRevision.id)
    ).all()
    reviews = db.session.execute(
        select(StatementReview, ChairStatement.month)
        .join(ChairStatement, ChairStatement.id == StatementReview.statement_id)
        .where(StatementReview.actor_id == user_id)
        .order_by(StatementReview.at, StatementReview.id)
    ).all()
    return {
        "statements": [
            {
                "month": statement.slug,
                "status": statement.status,
                "text": statement.text,
                "submitted_at": _iso(statement.submitted_at),
                "accepted_at": _iso(statement.accepted_at),
            }
            for statement in statements
        ],
        "revisions": [
            {
                "month": month.strftime("%Y-%m"),
                "kind": revision.kind,
                "text": revision.text,
                "created_at": _iso(revision.created_at),
                "saved_at": _iso(revision.saved_at),
            }
            for revision, month in revisions
        ],
        "reviews": [
            {
                "month": month.strftime("%Y-%m"),
                "action": review.action,
                "comment": review.comment,
                "at": _iso(review.at),
            }
            for review, month in reviews
        ],
    }


def _notifications(user_id: int) -> list[dict[str, Any]]:
    notes = db.session.scalars(
        select(Notification).where(Notification.user_id == user_id).order_by(Notification.created_at, Notification.id)
    ).all()
    return [
        {"message": note.message, "link": note.link, "created_at": _iso(note.created_at), "read_at": _iso(note.read_at)}
        for note in notes
    ]


def _audit(user_id: int) -> list[dict[str, Any]]:
    """What they did, and what was done to their account (with who did it): one query."""
    actor = aliased(User)
    rows = db.session.execute(
        select(AuditEntry, actor.display_name)
        .outerjoin(actor, actor.id == AuditEntry.actor_id)
        .where(
            or_(
                AuditEntry.actor_id == user_id,
                and_(AuditEntry.subject_type == "user", AuditEntry.subject_id == user_id),
            )
        )
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return [
        {
            "at": _iso(entry.at),
            "action": entry.action,
            "by": "you" if entry.actor_id == user_id else (name or "the portal"),
            "about": f"{entry.subject_type} {entry.subject_id}" if entry.subject_id is not None else entry.subject_type,
            "summary": entry.summary,
        }
        for entry, name in rows
    ]


def collect(user: User) -> dict[str, Any]:
    """Everything the portal holds about ``user``, as plain data with stable keys."""
    return {
        "format": FORMAT,
        "portal": current_app.config["YOUTH_CABINET_NAME"] + " portal",
        "council": current_app.config["COUNCIL_NAME"],
        "made_at": _iso(utcnow()),
        "account": _account(user),
        "consultation_responses": _responses(user.id),
        "campaigns_led": _campaigns(user.id),
        "area_of_interest": _area_of_interest(user.id),
        "offices": _offices(user.id),
        "chair_statements": _statements(user.id),
        "notifications": _notifications(user.id),
        "audit_entries": _audit(user.id),
    }


def filename(today: date | None = None, prefix: str = "my-data") -> str:
    return f"{prefix}-{(today or local_today()).isoformat()}.zip"


def as_zip(data: dict[str, Any]) -> bytes:
    """The ZIP: the JSON for machines, the page for people (rendered escaped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(JSON_NAME, json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True))
        archive.writestr(HTML_NAME, render_template("people/my_data.html", data=data))
    return buffer.getvalue()


def download(user: User) -> bytes:
    """The person's own download. Nothing is written: reading your own data changes nothing."""
    content = as_zip(collect(user))
    security_event("export.own_data", user=user)
    return content


def download_for_request(officer: User, person: User) -> bytes:
    """An officer's download for a subject access request. The audit log says
    who downloaded whose data, never what it held."""
    content = as_zip(collect(person))
    record(officer, "people.data_downloaded", "user", person.id, "Downloaded for a subject access request")
    db.session.commit()
    security_event("export.subject_access", user=officer, subject=person.id)
    return content


def zip_response(content: bytes, name: str) -> FlaskResponse:
    """A ZIP to save, never kept in a cache (it holds personal data)."""
    response = make_response(content)
    response.headers["Content-Type"] = "application/zip"
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["Cache-Control"] = "no-store"
    return response
