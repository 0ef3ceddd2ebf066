"""Every page at 100x data within 2x its CPU at 1x (issue #16).

Two throwaway SQLite databases, each built by this process with the demo
(portal.demo.world.load_demo, as `make run` has it):

  - 1x: the demo alone;
  - 100x: the demo, then about a hundred times more of everything that grows,
    added after the demo so that the demo's ids are the same in both: about
    1,800 accounts, 20,000 consultation responses (free text waiting in the
    moderation queue, counters kept as portal/consultations/tally.py keeps
    them), 2,000 reach entries on the demo's active campaign, 100 months of
    Chair's statements, 100 published updates, plan items, pairings and their
    log, recommendations, safeguarding reports, audit rows, notifications,
    images, campaigns and consultations. The output lists the rows per table.

The pages: for each demo account's role (and a visitor), Flask's test client
crawls the 1x database breadth first from "/" and the dashboard, following
same-site GET links (<a href>), skipping sign-out, /static/, /images/,
downloads (any answer that is not HTML) and "#" links. URLs are grouped by
shape (digits replaced), at most SHAPE_LIMIT per shape per role; a list's
second page (?page=2) is followed like any link. Adults sign in through the
session (as if after their two-step code), young people too.

Each (role, URL) is measured on 1x, then on 100x: one warm-up request, then
the median process CPU time (time.process_time(): in-process SQLite counts
too) of RUNS requests (taken in turn with the other database's, so both see the
same load on a shared machine), with the SQL statements run and the page's bytes. A
page answering with another status at 100x is listed. The reference is a
trivial page (/healthz) measured the same way on both, for the machine's
noise. Target: every page's CPU at 100x at most 2x its CPU at 1x.

Not a test: pytest never runs it. Run: .venv/bin/python bench/pages.py
(or `make bench`); PAGES_ONLY=<regular expression> measures only the URLs it
finds (while working on a page). It always exits 0; the verdict is printed.
"""

from __future__ import annotations

import logging
import os
import platform
import random
import re
import statistics
import sys
import tempfile
import time
from collections import Counter, deque
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa
from flask import Flask
from sqlalchemy import event, insert, select

from portal import create_app
from portal.consultations import tally
from portal.demo.world import load_demo
from portal.extensions import db
from portal.models import (
    Answer,
    AuditEntry,
    Base,
    CabinetUpdate,
    Campaign,
    CampaignGoal,
    CampaignLead,
    ChairStatement,
    CommitteeMeeting,
    Consultation,
    Image,
    Notification,
    Pairing,
    PairingLogEntry,
    PlanItem,
    PlanMove,
    Portfolio,
    Preference,
    PreferenceAnswer,
    PreferenceRound,
    Question,
    ReachEntry,
    Recommendation,
    RecommendationResponse,
    RecommendationStatus,
    Response,
    SafeguardingReport,
    StatementReview,
    StatementRevision,
    UpdateParagraph,
    UpdateRevision,
    UpdateSection,
    UpdateVersion,
    User,
)

RUNS = 5  # measured requests per page and database (the median is kept)
SLOW_RUNS = 3  # for a page whose warm-up at 100x took more than SLOW_SECONDS
SLOW_SECONDS = 1.0
SHAPE_LIMIT = 3  # URLs kept per shape per role
ROLE_LIMIT = 250  # pages per role at most, so the run stays in minutes
TARGET = 2.0
SHOWN = 1.5  # pages over this ratio are listed
WHY = 12  # the worst pages get their slowest statement printed

DEMO_ROLES = [
    ("visitor", None),
    ("young person", "young.person@demo.example"),
    ("Youth Cabinet member", "member@demo.example"),
    ("Chair", "chair@demo.example"),
    ("Cabinet Member", "cabinet.member@demo.example"),
    ("partner", "partner@demo.example"),
    ("officer", "officer@demo.example"),
]
SKIP_PREFIXES = ("/static/", "/images/", "/sign-out")
DOWNLOAD_ENDINGS = (".pdf", ".docx", ".csv", ".xlsx", ".zip", ".ics", ".png", ".jpg", ".webp", ".xml")
HREF = re.compile(r"<a\b[^>]*?\shref=\"([^\"]*)\"", re.IGNORECASE)

# How many of each thing the 100x world adds.
YOUNG, MEMBERS, PARTNERS, CABINET, OFFICERS = 1_470, 150, 80, 50, 32
RESPONSES = 20_000
NEW_CONSULTATIONS = 100
REACH = 2_000
PLAN_ITEMS = 1_600
STATEMENT_MONTHS = 100
UPDATES = 100
NEW_CAMPAIGNS = 100
MEETINGS, RECS_PER_MEETING = 100, 4
REPORTS = 200
AUDIT = 2_700
NOTIFICATIONS_EACH = 100  # for each demo account
IMAGES = 200
LOG_ENTRIES = 300

WORDS = [
    "buses",
    "fares",
    "college",
    "youth",
    "club",
    "mental",
    "health",
    "waiting",
    "list",
    "parks",
    "skate",
    "evening",
    "safe",
    "lighting",
    "jobs",
    "training",
    "library",
    "sport",
    "music",
    "council",
    "school",
    "friends",
    "town",
    "village",
    "weekend",
    "cheaper",
    "later",
]


def quiet() -> None:
    for name in ("weasyprint", "fontTools", "portal", "werkzeug", "flask-limiter", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)
    # A page that fails is listed by the crawl (and skipped); its traceback would drown the table.
    logging.getLogger("portal.errors").setLevel(logging.CRITICAL)


def make_app(path: Path, folder: Path) -> Flask:
    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": "bench-pages-secret-key-not-for-production",
            "DATABASE_URL": f"sqlite:///{path}",
            "PASSWORD_HASH_FAST": True,
            "OUTBOX_DIR": str(folder / "outbox"),
            "MAIL_SERVER": "",
            "RATELIMIT_ENABLED": False,
        }
    )
    quiet()
    return app


def sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


# --------------------------------------------------------------- the 100x world


def bulk(model: Any, rows: list[dict]) -> None:
    for start in range(0, len(rows), 2_000):
        db.session.execute(insert(model).execution_options(render_nulls=True), rows[start : start + 2_000])


def add_people(rng: random.Random, districts: list[str], now: datetime) -> dict[str, list[int]]:
    password_hash = db.session.scalar(select(User.password_hash).where(User.email == "young.person@demo.example"))
    rows = []
    plan = [
        ("young_person", YOUNG),
        ("youth_member", MEMBERS),
        ("partner", PARTNERS),
        ("cabinet_member", CABINET),
        ("officer", OFFICERS),
    ]
    for role, how_many in plan:
        for n in range(how_many):
            young = role in ("young_person", "youth_member")
            rows.append(
                {
                    "email": f"{role.replace('_', '.')}{n:04d}@bench.example",
                    "display_name": f"{role.replace('_', ' ').capitalize()} {n + 1}",
                    "role": role,
                    "age_band": rng.choice(["11-13", "14-16", "17-19"]) if young else None,
                    "district": rng.choice(districts) if young else None,
                    "organisation": f"Organisation {n + 1}" if role == "partner" else None,
                    "job_title": "Cabinet Member" if role == "cabinet_member" else None,
                    "password_hash": password_hash,
                    "active": True,
                    "session_version": 1,
                    "created_at": now - timedelta(days=rng.randint(1, 2_000)),
                    "updated_at": now,
                }
            )
    bulk(User, rows)
    ids: dict[str, list[int]] = {}
    for user_id, role, email in db.session.execute(select(User.id, User.role, User.email)):
        if email.endswith("@bench.example"):
            ids.setdefault(role, []).append(user_id)
    return ids


def answers_for(rng: random.Random, questions: list[Question]) -> list[dict]:
    rows: list[dict] = []
    for q in questions:
        options = len(q.options or [])
        if q.kind == "single" and options:
            rows.append({"question_id": q.id, "option": rng.randrange(options)})
        elif q.kind == "multiple" and options:
            for option in sorted(rng.sample(range(options), rng.randint(1, min(3, options)))):
                rows.append({"question_id": q.id, "option": option})
        elif q.kind == "rating":
            rows.append({"question_id": q.id, "number": rng.randint(1, q.scale_max or 5)})
        elif q.kind == "ranking" and options:
            order = rng.sample(range(options), options)
            rows.extend(
                {"question_id": q.id, "option": option, "number": rank + 1} for rank, option in enumerate(order)
            )
        elif q.kind in ("short_text", "long_text") and rng.random() < 0.6:
            rows.append({"question_id": q.id, "text": sentence(rng, 6 if q.kind == "short_text" else 30)})
    return rows


def count_rows(consultation_id: int, age_band: str, district: str, answers: list[dict]) -> list[dict]:
    """The rows tally.count(response, +1) adds for one sent response."""
    keys: Counter[tuple[int, int, int]] = Counter()
    keys[(0, -1, -1)] += 1
    for question_id in {a["question_id"] for a in answers}:
        keys[(question_id, -1, -1)] += 1
    rows = []
    for a in answers:
        if a.get("option") is None and a.get("number") is None:
            if a["moderation"] in tally.READ:
                rows.append(
                    {
                        "consultation_id": consultation_id,
                        "question_id": a["question_id"],
                        "option": -1,
                        "number": -1,
                        "dimension": tally.THEMES,
                        "value": "",
                        "count": 1,
                    }
                )
            continue
        option, number = a.get("option"), a.get("number")
        keys[(a["question_id"], -1 if option is None else option, -1 if number is None else number)] += 1
    dimensions = [("", "")] + [(d, v) for d, v in (("age_band", age_band), ("district", district)) if v]
    rows += [
        {
            "consultation_id": consultation_id,
            "question_id": q,
            "option": o,
            "number": n,
            "dimension": d,
            "value": v,
            "count": times,
        }
        for (q, o, n), times in keys.items()
        for d, v in dimensions
    ]
    rows.append(
        {
            "consultation_id": consultation_id,
            "question_id": 0,
            "option": -1,
            "number": -1,
            "dimension": tally.VERSION,
            "value": "standard",
            "count": 1,
        }
    )
    return rows


def add_consultations(rng: random.Random, people: dict[str, list[int]], districts: list[str], now: datetime) -> None:
    today = now.date()
    partner_id = db.session.scalar(select(User.id).where(User.email == "partner@demo.example"))
    demo_ids = [c for c in db.session.scalars(select(Consultation.id).where(Consultation.status == "approved"))]
    made = []
    for n in range(NEW_CONSULTATIONS):
        closes = today - timedelta(days=30 + 20 * n)
        made.append(
            {
                "title": f"Bench consultation {n + 1}: {sentence(rng, 4)}"[:200],
                "organisation": "West Sussex County Council",
                "why": sentence(rng, 20),
                "what_happens": sentence(rng, 15),
                "opens_on": closes - timedelta(days=28),
                "closes_on": closes,
                "audience": rng.choice(["young_people", "public", "youth_cabinet"]),
                "anonymous_to_partner": True,
                "status": "approved",
                "partner_id": partner_id,
                "created_by_id": partner_id,
                "approved_at": now - timedelta(days=60 + 20 * n),
                "results_released_at": now - timedelta(days=20 + 20 * n) if n % 2 == 0 else None,
                "feedback": sentence(rng, 30) if n % 3 == 0 else "",
                "feedback_published_at": now - timedelta(days=10 + 20 * n) if n % 3 == 0 else None,
                "version": 1,
                "created_at": now - timedelta(days=90 + 20 * n),
                "updated_at": now - timedelta(days=60 + 20 * n),
            }
        )
    bulk(Consultation, made)
    new_ids = list(db.session.scalars(select(Consultation.id).where(Consultation.title.like("Bench consultation %"))))
    questions = []
    for consultation_id in new_ids:
        for position, (kind, options) in enumerate(
            [("single", ["Yes", "No", "Not sure"]), ("rating", []), ("multiple", WORDS[:5]), ("short_text", [])]
        ):
            questions.append(
                {
                    "consultation_id": consultation_id,
                    "position": position,
                    "kind": kind,
                    "prompt": sentence(rng, 8),
                    "help": "",
                    "required": False,
                    "options": options,
                    "scale_max": 5,
                    "option_images": [],
                }
            )
    bulk(Question, questions)
    add_responses(rng, people, districts, now, demo_ids, new_ids)


def add_responses(
    rng: random.Random,
    people: dict[str, list[int]],
    districts: list[str],
    now: datetime,
    demo_ids: list[int],
    new_ids: list[int],
) -> None:
    """RESPONSES sent responses: most on the demo's approved consultations, the
    rest on the new ones, with the counters tally.count() would have added."""
    by_consultation: dict[int, list[Question]] = {}
    for q in db.session.scalars(select(Question).order_by(Question.position)):
        by_consultation.setdefault(q.consultation_id, []).append(q)
    young = people["young_person"] + people["youth_member"]
    demo_people = list(
        db.session.scalars(select(User.id).where(User.email.in_(["young.person@demo.example", "member@demo.example"])))
    )
    taken = {
        (c, r) for c, r in db.session.execute(select(Response.consultation_id, Response.respondent_id)) if r is not None
    }
    plan: list[tuple[int, int | None]] = []
    per_demo = (RESPONSES - 40 * len(new_ids)) // len(demo_ids)
    for consultation_id in demo_ids:
        for n in range(per_demo):
            plan.append((consultation_id, young[n] if n < len(young) else None))
    for consultation_id in new_ids:
        chosen = rng.sample(young, 40 - len(demo_people)) + demo_people
        plan.extend((consultation_id, person) for person in chosen)
    plan = [(c, r) for c, r in plan if r is None or (c, r) not in taken]
    next_id = (db.session.scalar(select(sa.func.max(Response.id))) or 0) + 1
    responses, answers, counters = [], [], []
    for n, (consultation_id, respondent_id) in enumerate(plan):
        response_id = next_id + n
        age_band = rng.choice(["11-13", "14-16", "17-19", ""])
        district = rng.choice(districts)
        started = now - timedelta(minutes=rng.randint(60, 60 * 24 * 60))
        responses.append(
            {
                "id": response_id,
                "consultation_id": consultation_id,
                "respondent_id": respondent_id,
                "age_band": age_band,
                "district": district,
                "status": "submitted",
                "tell_me": rng.random() < 0.2,
                "changing": False,
                "version": "standard",
                "started_at": started,
                "updated_at": started + timedelta(minutes=8),
                "submitted_at": started + timedelta(minutes=8),
            }
        )
        mine = []
        for row in answers_for(rng, by_consultation[consultation_id]):
            answer = {"response_id": response_id, "option": None, "number": None, "text": None, **row}
            draw = rng.random()
            written = answer["text"] is not None
            answer["moderation"] = (
                "approved" if written and draw < 0.1 else "hidden" if written and draw < 0.13 else "pending"
            )
            answer["themes"] = []
            answer["flags"] = ""
            answer["moderation_reason"] = ""
            answer["draft"] = False
            mine.append(answer)
        answers += mine
        counters += count_rows(consultation_id, age_band, district, mine)
    bulk(Response, responses)
    bulk(Answer, answers)
    merged: Counter[tuple] = Counter()
    for row in counters:
        merged[tuple(row[k] for k in tally.KEY)] += row["count"]
    tally.add([dict(zip(tally.KEY, key, strict=True), count=times) for key, times in merged.items()])


def add_campaigns(rng: random.Random, people: dict[str, list[int]], now: datetime) -> None:
    today = now.date()
    member_id = db.session.scalar(select(User.id).where(User.email == "member@demo.example"))
    active = db.session.scalar(select(Campaign.id).where(Campaign.status == "active").order_by(Campaign.id))
    bulk(
        ReachEntry,
        [
            {
                "campaign_id": active,
                "on": today - timedelta(days=rng.randint(0, 700)),
                "channel": rng.choice(["social_media", "school_assembly", "event", "other"]),
                "people": rng.randint(5, 400),
                "impressions": rng.randint(100, 5_000) if rng.random() < 0.5 else None,
                "note": sentence(rng, 6),
                "author_id": member_id,
                "created_at": now - timedelta(minutes=n),
            }
            for n in range(REACH)
        ],
    )
    portfolios = list(db.session.scalars(select(Portfolio.id)))
    rows = []
    for n in range(NEW_CAMPAIGNS):
        status = ["planned", "active", "paused", "closed"][n % 4]
        starts = today - timedelta(days=30 * n)
        rows.append(
            {
                "slug": f"bench-campaign-{n + 1}",
                "title": f"Bench campaign {n + 1}",
                "summary": sentence(rng, 12),
                "body": sentence(rng, 60),
                "status": status,
                "starts_on": starts,
                "ends_on": starts + timedelta(days=90),
                "portfolio_id": rng.choice(portfolios),
                "published_at": now - timedelta(days=30 * n) if status != "planned" else None,
                "version": 1,
                "created_by_id": member_id,
                "created_at": now - timedelta(days=30 * n + 5),
                "updated_at": now - timedelta(days=30 * n),
                "pending_comment": "",
            }
        )
    bulk(Campaign, rows)
    new_ids = list(db.session.scalars(select(Campaign.id).where(Campaign.slug.like("bench-campaign-%"))))
    bulk(CampaignGoal, [{"campaign_id": c, "target_people": 500} for c in new_ids])
    leads = []
    for c in new_ids:
        for user_id in {member_id, *rng.sample(people["youth_member"], 2)}:
            leads.append({"campaign_id": c, "user_id": user_id})
    bulk(CampaignLead, leads)


def add_plan(rng: random.Random, now: datetime) -> None:
    chair_id = db.session.scalar(select(User.id).where(User.email == "chair@demo.example"))
    start = date(2016, 1, 1)
    rows = []
    for n in range(PLAN_ITEMS):
        cancelled = rng.random() < 0.05
        rows.append(
            {
                "title": f"{sentence(rng, 4)[:-1]} {n + 1}"[:120],
                "kind": rng.choice(["meeting", "event", "campaign", "deadline", "consultation"]),
                "on": start + timedelta(days=rng.randint(0, 15 * 365)),
                "note": sentence(rng, 10),
                "created_by_id": chair_id,
                "created_at": now - timedelta(days=rng.randint(1, 900)),
                "cancelled_at": now if cancelled else None,
                "cancel_reason": "Called off" if cancelled else "",
                "cancelled_by_id": chair_id if cancelled else None,
            }
        )
    bulk(PlanItem, rows)
    items = list(db.session.scalars(select(PlanItem.id).order_by(PlanItem.id.desc()).limit(100)))
    bulk(
        PlanMove,
        [
            {
                "item_id": i,
                "from_date": date(2020, 1, 1),
                "to_date": date(2020, 2, 1),
                "reason": "Moved",
                "moved_by_id": chair_id,
                "at": now,
            }
            for i in items
        ],
    )


def month_back(first: date, months: int) -> date:
    index = first.year * 12 + first.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)


def add_statements(rng: random.Random, now: datetime) -> None:
    chair_id = db.session.scalar(select(User.id).where(User.email == "chair@demo.example"))
    officer_id = db.session.scalar(select(User.id).where(User.email == "officer@demo.example"))
    earliest = db.session.scalar(select(sa.func.min(ChairStatement.month))) or now.date().replace(day=1)
    rows = []
    for n in range(1, STATEMENT_MONTHS + 1):
        month = month_back(earliest, n)
        at = datetime(month.year, month.month, 20, 12, tzinfo=UTC)
        rows.append(
            {
                "month": month,
                "text": "\n\n".join(sentence(rng, 40) for _ in range(4)),
                "sources": [],
                "version": 3,
                "status": "accepted",
                "created_by_id": chair_id,
                "updated_by_id": chair_id,
                "created_at": at,
                "updated_at": at,
                "submitted_at": at,
                "accepted_at": at + timedelta(days=2),
            }
        )
    bulk(ChairStatement, rows)
    ids = list(db.session.scalars(select(ChairStatement.id).where(ChairStatement.month < earliest)))
    revisions: list[dict] = []
    reviews: list[dict] = []
    for statement_id in ids:
        for version in (1, 2, 3):
            revisions.append(
                {
                    "statement_id": statement_id,
                    "version": version,
                    "text": sentence(rng, 60),
                    "sources": [],
                    "kind": "save",
                    "author_id": chair_id,
                    "created_at": now,
                    "saved_at": now,
                }
            )
        reviews += [
            {"statement_id": statement_id, "action": "submitted", "comment": "", "actor_id": chair_id, "at": now},
            {"statement_id": statement_id, "action": "accepted", "comment": "", "actor_id": officer_id, "at": now},
        ]
    bulk(StatementRevision, revisions)
    bulk(StatementReview, reviews)


def add_updates(rng: random.Random, now: datetime) -> None:
    version = db.session.scalar(select(UpdateVersion).order_by(UpdateVersion.id))
    if version is None:
        return
    demo = db.session.get(CabinetUpdate, version.update_id)
    assert demo is not None
    sections = list(db.session.scalars(select(UpdateSection).where(UpdateSection.update_id == demo.id)))
    paragraphs = list(db.session.scalars(select(UpdateParagraph).where(UpdateParagraph.update_id == demo.id)))
    taken = set(db.session.scalars(select(CabinetUpdate.meeting_date).where(CabinetUpdate.author_id == demo.author_id)))
    first = (demo.meeting_date or now.date()).replace(day=1)
    n = 0
    made = 0
    while made < UPDATES:
        n += 1
        month = month_back(first, n)
        meeting = month.replace(day=15)
        if meeting in taken:
            continue
        made += 1
        update = CabinetUpdate(
            author_id=demo.author_id,
            title=f"Update to the council, {month:%B %Y}",
            meeting_date=meeting,
            period_start=month_back(month, 1),
            period_end=month - timedelta(days=1),
            include_numbers=demo.include_numbers,
            closing=demo.closing,
            sign_off_label=demo.sign_off_label,
            signatory_name=demo.signatory_name,
            signatory_role=demo.signatory_role,
            contact_officer=demo.contact_officer,
            status="published",
            created_at=now,
            updated_at=now,
        )
        db.session.add(update)
        db.session.flush()
        new_section = {}
        for s in sections:
            copy = UpdateSection(update_id=update.id, position=s.position, heading=s.heading)
            db.session.add(copy)
            db.session.flush()
            new_section[s.id] = copy.id
        db.session.add_all(
            UpdateParagraph(update_id=update.id, section_id=new_section[p.section_id], position=p.position, text=p.text)
            for p in paragraphs
        )
        db.session.add(
            UpdateRevision(update_id=update.id, version=1, text=sentence(rng, 30), kind="save", created_at=now)
        )
        db.session.add(
            UpdateVersion(
                update_id=update.id,
                number=1,
                title=update.title,
                meeting_date=meeting,
                report_month=month_back(month, 1),
                author_name=version.author_name,
                note="",
                content=version.content,
                html=version.html,
                search_text=version.search_text,
                published_at=datetime(meeting.year, meeting.month, meeting.day, 10, tzinfo=UTC),
                is_latest=True,
            )
        )


def add_aoi(rng: random.Random, people: dict[str, list[int]], now: datetime) -> None:
    round_id = db.session.scalar(select(PreferenceRound.id).order_by(PreferenceRound.id))
    if round_id is None:
        return
    portfolios = list(db.session.scalars(select(Portfolio.id)))
    answers = [
        {"round_id": round_id, "member_id": m, "reason": sentence(rng, 10), "updated_at": now}
        for m in people["youth_member"]
    ]
    bulk(PreferenceAnswer, answers)
    answer_ids = dict(
        db.session.execute(
            select(PreferenceAnswer.member_id, PreferenceAnswer.id).where(
                PreferenceAnswer.member_id.in_(people["youth_member"])
            )
        ).all()
    )
    prefs, pairings = [], []
    for member_id, answer_id in answer_ids.items():
        chosen = rng.sample(portfolios, 3)
        prefs += [{"answer_id": answer_id, "portfolio_id": p, "rank": r + 1} for r, p in enumerate(chosen)]
        pairings.append(
            {
                "round_id": round_id,
                "member_id": member_id,
                "portfolio_id": chosen[0],
                "choice_rank": 1,
                "changed_by_hand": False,
            }
        )
    bulk(Preference, prefs)
    bulk(Pairing, pairings)
    aisha = db.session.scalar(select(User.id).where(User.email == "member@demo.example"))
    mine = db.session.scalar(select(Pairing.id).where(Pairing.member_id == aisha).order_by(Pairing.id))
    all_pairings = list(db.session.scalars(select(Pairing.id)))
    rows = []
    for n in range(LOG_ENTRIES):
        pairing_id = mine if (mine is not None and n < LOG_ENTRIES // 3) else rng.choice(all_pairings)
        kind = rng.choice(["meeting", "action"])
        rows.append(
            {
                "pairing_id": pairing_id,
                "kind": kind,
                "on": now.date() - timedelta(days=rng.randint(0, 700)),
                "text": sentence(rng, 20),
                "who": "Aisha" if kind == "action" else "",
                "done": rng.random() < 0.5,
                "author_id": aisha,
                "created_at": now,
                "updated_at": now,
            }
        )
    bulk(PairingLogEntry, rows)


def add_recommendations(rng: random.Random, people: dict[str, list[int]], now: datetime) -> None:
    officer_id = db.session.scalar(select(User.id).where(User.email == "officer@demo.example"))
    cabinet_id = db.session.scalar(select(User.id).where(User.email == "cabinet.member@demo.example"))
    bulk(
        CommitteeMeeting,
        [
            {
                "committee": "Youth Cabinet",
                "held_on": date(2012, 1, 10) + timedelta(days=30 * n),
                "minute": f"BENCH-{n + 1}",
                "created_by_id": officer_id,
                "created_at": now,
            }
            for n in range(MEETINGS)
        ],
    )
    meeting_ids = list(db.session.scalars(select(CommitteeMeeting.id).where(CommitteeMeeting.minute.like("BENCH-%"))))
    rows = []
    for meeting_id in meeting_ids:
        for number in range(1, RECS_PER_MEETING + 1):
            to_cabinet = rng.random() < 0.5
            rows.append(
                {
                    "meeting_id": meeting_id,
                    "number": number,
                    "text": sentence(rng, 25),
                    "addressed_kind": "cabinet_member" if to_cabinet else "officer_post",
                    "addressed_to_id": cabinet_id if to_cabinet else None,
                    "addressed_post": "" if to_cabinet else "Head of Transport",
                    "owner_id": officer_id,
                    "due_on": now.date() + timedelta(days=rng.randint(-400, 200)),
                    "status": rng.choice([status.value for status in RecommendationStatus]),
                    "created_by_id": officer_id,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    bulk(Recommendation, rows)
    rec_ids = list(db.session.scalars(select(Recommendation.id).where(Recommendation.meeting_id.in_(meeting_ids))))
    bulk(
        RecommendationResponse,
        [
            {
                "recommendation_id": r,
                "on": now.date(),
                "text": sentence(rng, 20),
                "status": "open",
                "author_id": cabinet_id,
                "created_at": now,
            }
            for r in rec_ids
        ],
    )


def add_the_rest(rng: random.Random, people: dict[str, list[int]], now: datetime) -> None:
    reporters = people["young_person"]
    officer_id = db.session.scalar(select(User.id).where(User.email == "officer@demo.example"))
    reports = []
    for n in range(REPORTS):
        concern = n % 2 == 0
        status = rng.choice(["new", "in_hand", "closed"])
        reports.append(
            {
                "reference": f"YC-B{n:04d}-XX",
                "kind": "concern" if concern else "content",
                "what": None if concern else f"answer:{n}",
                "what_label": "" if concern else "An answer",
                "what_link": "",
                "reason": None if concern else rng.choice(["unkind", "personal_details", "not_true", "something_else"]),
                "details": sentence(rng, 30),
                "contact": "",
                "reporter_id": rng.choice(reporters),
                "created_at": now - timedelta(hours=n),
                "status": status,
                "handled_by_id": officer_id if status != "new" else None,
                "handled_at": now if status != "new" else None,
                "officer_note": "",
            }
        )
    bulk(SafeguardingReport, reports)
    actors = list(db.session.scalars(select(User.id).where(User.email.like("%@demo.example"))))
    bulk(
        AuditEntry,
        [
            {
                "at": now - timedelta(minutes=n),
                "actor_id": rng.choice(actors),
                "action": rng.choice(["consultation.approve", "statement.save", "campaign.edit", "user.invite"]),
                "subject_type": "consultation",
                "subject_id": rng.randint(1, 100),
                "summary": sentence(rng, 10),
            }
            for n in range(AUDIT)
        ],
    )
    bulk(
        Notification,
        [
            {
                "user_id": user_id,
                "message": sentence(rng, 10),
                "link": "/dashboard",
                "created_at": now - timedelta(hours=n),
                "read_at": now if n > 5 else None,
            }
            for user_id in actors
            for n in range(NOTIFICATIONS_EACH)
        ],
    )
    image = db.session.scalar(select(Image).order_by(Image.id))
    if image is not None:
        bulk(
            Image,
            [
                {
                    "consultation_id": image.consultation_id,
                    "content_type": image.content_type,
                    "width": image.width,
                    "height": image.height,
                    "size": image.size,
                    "sha256": image.sha256,
                    "data": image.data,
                    "uploaded_by_id": image.uploaded_by_id,
                    "created_at": now,
                }
                for _ in range(IMAGES)
            ],
        )


def build(app: Flask, grow: bool) -> dict[str, int]:
    """The demo, and with ``grow`` the 100x world on top. Rows per table."""
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        if grow:
            rng = random.Random(16)
            now = datetime.now(UTC)
            districts = list(app.config["DISTRICTS"])
            people = add_people(rng, districts, now)
            add_consultations(rng, people, districts, now)
            add_campaigns(rng, people, now)
            add_plan(rng, now)
            add_statements(rng, now)
            add_updates(rng, now)
            add_aoi(rng, people, now)
            add_recommendations(rng, people, now)
            add_the_rest(rng, people, now)
            db.session.commit()
        sizes = {
            table.name: db.session.scalar(select(sa.func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }
        db.session.remove()
    return sizes


# --------------------------------------------------------------- signing in and crawling


def client_for(app: Flask, email: str | None) -> Any:
    """A test client, signed in through the session as after a full sign-in."""
    client = app.test_client()
    if email is None:
        return client
    with app.app_context():
        user = db.session.scalar(select(User).where(User.email == email))
        assert user is not None, email
        user_id = user.get_id()
        db.session.remove()
    with client.session_transaction() as session:
        session["_user_id"] = user_id
        session["_fresh"] = True
        session["signed_in_at"] = session["active_at"] = int(time.time())
    return client


def shape(url: str) -> str:
    return re.sub(r"\d+", "#", url)


def wanted(href: str, base: str) -> str | None:
    """The same-site path (and query) to follow, or None."""
    if not href or href.startswith("#") or href.startswith(("mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(urljoin("http://localhost" + base, href))
    if parts.netloc != "localhost":
        return None
    path = parts.path
    if path.startswith(SKIP_PREFIXES) or path.lower().endswith(DOWNLOAD_ENDINGS):
        return None
    return path + (f"?{parts.query}" if parts.query else "")


def crawl(app: Flask, email: str | None) -> tuple[list[str], list[str]]:
    """The HTML pages a role reaches from "/" and the dashboard; and any that failed."""
    client = client_for(app, email)
    start = ["/", "/dashboard"] if email else ["/"]
    queue = deque(start)
    seen = set(start)
    per_shape: Counter[str] = Counter()
    for url in start:
        per_shape[shape(url)] += 1
    pages: list[str] = []
    failed: list[str] = []
    while queue and len(pages) < ROLE_LIMIT:
        url = queue.popleft()
        response = client.get(url)
        if response.status_code >= 500:
            failed.append(f"{url} ({response.status_code})")
            continue
        if response.status_code != 200 or not response.content_type.startswith("text/html"):
            continue
        pages.append(url)
        for href in HREF.findall(response.get_data(as_text=True)):
            found = wanted(href.replace("&amp;", "&"), url)
            if found is None or found in seen:
                continue
            seen.add(found)
            if per_shape[shape(found)] >= SHAPE_LIMIT:
                continue
            per_shape[shape(found)] += 1
            queue.append(found)
    return pages, failed


# --------------------------------------------------------------- measuring


@dataclass
class Measure:
    status: int = 0
    cpu: float = 0.0  # median seconds
    queries: int = 0
    size: int = 0
    sql: float = 0.0  # seconds in SQL (the last run)
    slowest: tuple[str, float] = ("", 0.0)  # the statement that took longest (the last run)
    samples: list[float] = field(default_factory=list)


class Statements:
    """Counts the SQL statements a request runs and times each one's execute."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine, self.count, self.timed = engine, 0, Counter[str]()

    def before(self, conn: Any, *args: Any) -> None:
        self.count += 1
        conn.info["bench_pages_at"] = time.perf_counter()

    def after(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        self.timed[statement] += time.perf_counter() - conn.info.pop("bench_pages_at", time.perf_counter())

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self.before)
        event.listen(self.engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *exc: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self.before)
        event.remove(self.engine, "after_cursor_execute", self.after)


def measure(sides: list[tuple[Any, sa.Engine]], url: str) -> list[Measure]:
    """``url`` on each (client, engine): a warm-up each, then the runs taken in
    turn (1x, 100x, 1x, ...), so both see the same load on a shared machine."""
    results = []
    runs = RUNS
    for client, _engine in sides:
        started = time.process_time()
        response = client.get(url)  # warm-up
        if time.process_time() - started > SLOW_SECONDS:
            runs = SLOW_RUNS
        results.append(Measure(status=response.status_code, size=len(response.get_data())))
    for _ in range(runs):
        for (client, engine), result in zip(sides, results, strict=True):
            with Statements(engine) as statements:
                started = time.process_time()
                response = client.get(url)
                result.samples.append(time.process_time() - started)
            result.queries = statements.count
            result.status = response.status_code
            result.sql = sum(statements.timed.values())
            result.slowest = statements.timed.most_common(1)[0] if statements.timed else ("", 0.0)
    for result in results:
        result.cpu = statistics.median(result.samples)
    return results


def engine_of(app: Flask) -> sa.Engine:
    with app.app_context():
        return db.engine


Row = tuple[str, str, Measure, Measure]


def ratio(row: Row) -> float:
    return row[3].cpu / row[2].cpu if row[2].cpu > 0 else 1.0


def build_both(folder: Path) -> tuple[Flask, Flask]:
    one = make_app(folder / "one.db", folder)
    hundred = make_app(folder / "hundred.db", folder)
    started = time.perf_counter()
    small = build(one, grow=False)
    big = build(hundred, grow=True)
    print(f"Built both databases in {time.perf_counter() - started:.1f} s. Rows per table (1x -> 100x):")
    grown = [f"{name} {small[name]:,} -> {big[name]:,}" for name in sorted(big) if big[name] or small[name]]
    for start in range(0, len(grown), 4):
        print("  " + "; ".join(grown[start : start + 4]))
    return one, hundred


def find_pages(one: Flask) -> list[tuple[str, str | None, str]]:
    started = time.perf_counter()
    work: list[tuple[str, str | None, str]] = []
    counts, broken = [], []
    for role, email in DEMO_ROLES:
        pages, failed = crawl(one, email)
        work += [(role, email, url) for url in pages]
        counts.append(f"{role} {len(pages)}")
        broken += [f"{role}: {url}" for url in failed]
    print(f"Crawled {len(work)} pages in {time.perf_counter() - started:.1f} s ({', '.join(counts)}).")
    for line in broken:
        print(f"  answered 5xx at 1x, skipped: {line}")
    return work


def measure_all(one: Flask, hundred: Flask, work: list[tuple[str, str | None, str]]) -> list[Row]:
    apps = {"1x": one, "100x": hundred}
    engines = {name: engine_of(app) for name, app in apps.items()}
    small, big = measure([(app.test_client(), engines[name]) for name, app in apps.items()], "/healthz")
    print(
        f"Reference /healthz: {small.cpu * 1000:.2f} ms at 1x, {big.cpu * 1000:.2f} ms at 100x "
        "(a trivial page: the machine's noise)."
    )
    started = time.perf_counter()
    results: list[Row] = []
    clients: dict[tuple[str, str], Any] = {}
    for role, email, url in work:
        for name, app in apps.items():
            if (role, name) not in clients:
                clients[(role, name)] = client_for(app, email)
        at_one, at_hundred = measure([(clients[(role, name)], engines[name]) for name in apps], url)
        if at_hundred.status != at_one.status:
            print(f"  different answer: {role} {url}: {at_one.status} at 1x, {at_hundred.status} at 100x")
        results.append((role, url, at_one, at_hundred))
    print(f"Measured {len(results)} pages in {time.perf_counter() - started:.1f} s.")
    return results


def report(results: list[Row]) -> None:
    listed = sorted((r for r in results if ratio(r) > SHOWN), key=ratio, reverse=True)
    print()
    print(f"Pages over {SHOWN:g}x their CPU at 1x, worst first (q: SQL statements; KB: the page):")
    print(
        f"{'role':<20} {'URL':<50} {'ms 1x':>6} {'ms 100x':>7} {'ratio':>6} "
        f"{'q 1x':>4} {'q 100x':>6} {'KB 1x':>6} {'KB 100x':>7}"
    )
    for role, url, a, b in listed:
        print(
            f"{role:<20} {url[:50]:<50} {a.cpu * 1000:6.1f} {b.cpu * 1000:7.1f} {b.cpu / a.cpu:5.1f}x "
            f"{a.queries:4d} {b.queries:6d} {a.size / 1024:6.1f} {b.size / 1024:7.1f}"
        )
    print()
    seen: set[str] = set()
    worst = []
    for row in listed:
        if shape(urlsplit(row[1]).path) not in seen:
            seen.add(shape(urlsplit(row[1]).path))
            worst.append(row)
    print(
        f"The {WHY} worst kinds of page (one URL each): time in SQL at 1x and 100x, and the slowest statement at 100x:"
    )
    for _role, url, a, b in worst[:WHY]:
        statement, seconds = b.slowest
        words = " ".join(statement.split())
        at = words.find(" FROM ")
        words = f"SELECT ...{words[at:]}" if words.startswith("SELECT") and at > 0 else words
        where = words.find(" WHERE ")
        words = f"{words[:90]} ...{words[where:]}" if where > 90 else words
        print(f"  {url[:60]}: SQL {a.sql * 1000:.1f} -> {b.sql * 1000:.1f} ms; slowest {seconds * 1000:.1f} ms:")
        print(f"    {words[:230]}")
    within = sum(1 for r in results if ratio(r) <= TARGET)
    print()
    print(f"{within} of {len(results)} pages within {TARGET:g}x their CPU at 1x (target: all)")
    print(f"Verdict: {'met' if within == len(results) else 'not met'}.")


def main() -> None:
    began = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        print("Pages at 1x and 100x data (#16: every page at 100x data within 2x its CPU at 1x).")
        print(
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}; SQLite in this process; "
            f"CPU = time.process_time(), median of {RUNS} requests after one warm-up."
        )
        one, hundred = build_both(Path(tmp))
        work = find_pages(one)
        only = os.environ.get("PAGES_ONLY")  # a regular expression: measure just the URLs it finds
        if only:
            work = [page for page in work if re.search(only, page[2])]
            print(f"PAGES_ONLY={only!r}: {len(work)} pages.")
        report(measure_all(one, hundred, work))
        print(f"({time.perf_counter() - began:.0f} s in all)")


if __name__ == "__main__":
    main()
