"""The demo world, modelled on the July 2020 progress report in shared/seeds/.

``load_demo`` is idempotent: each step creates only what is missing. A later
feature adds its own step to ``STEPS``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click
from sqlalchemy import select

from portal.demo.aoi import load_aoi
from portal.demo.campaigns import load_campaigns
from portal.demo.consultations import load_consultations
from portal.demo.easy_read import load_easy_read
from portal.demo.fact_sources import load_fact_sources
from portal.demo.pictures import load_pictures
from portal.demo.plan import load_plan
from portal.demo.recommendations import load_recommendations
from portal.demo.statements import load_statements
from portal.demo.updates import load_updates
from portal.extensions import db
from portal.models import Base, Portfolio, User
from portal.people.operations import create_account, find_by_email

DEMO_PASSWORD = "youth-cabinet-demo"

# (email, display name, role, extra details). Adults are fictional except the
# two named in the seed report; young people's names are first name and initial.
PEOPLE: list[tuple[str, str, str, dict[str, str]]] = [
    ("officer@demo.example", "Lance John", "officer", {"job_title": "Business Manager"}),
    (
        "cabinet.member@demo.example",
        "Jacquie Russell",
        "cabinet_member",
        {"job_title": "Cabinet Member for Children and Young People"},
    ),
    ("chair@demo.example", "Daisy", "chair", {"age_band": "17-19", "district": "Chichester"}),
    ("member@demo.example", "Aisha K.", "youth_member", {"age_band": "14-16", "district": "Crawley"}),
    ("tom.w@demo.example", "Tom W.", "youth_member", {"age_band": "17-19", "district": "Horsham"}),
    ("priya.s@demo.example", "Priya S.", "youth_member", {"age_band": "14-16", "district": "Worthing"}),
    ("jordan.l@demo.example", "Jordan L.", "youth_member", {"age_band": "17-19", "district": "Arun"}),
    ("ellie.m@demo.example", "Ellie M.", "youth_member", {"age_band": "11-13", "district": "Mid Sussex"}),
    ("noah.b@demo.example", "Noah B.", "youth_member", {"age_band": "14-16", "district": "Adur"}),
    ("young.person@demo.example", "Ruby T.", "young_person", {"age_band": "14-16", "district": "Worthing"}),
    (
        "partner@demo.example",
        "Sam Okafor",
        "partner",
        {"organisation": "Coastal Minds, the young people's mental health service"},
    ),
]

# (portfolio, description, holder's email, holder's name or None when listed above)
PORTFOLIOS: list[tuple[str, str, str, str | None]] = [
    (
        "Children and Young People",
        "Children's social care, early help, fostering and adoption, the Youth Cabinet.",
        "cabinet.member@demo.example",
        None,
    ),
    (
        "Leader",
        "The council's strategy, partnerships and the Cabinet's programme.",
        "cllr.hart@demo.example",
        "Alan Hart",
    ),
    ("Adults and Health", "Adult social care and public health.", "cllr.ellis@demo.example", "Margaret Ellis"),
    (
        "Education and Skills",
        "Schools, special educational needs, skills and apprenticeships.",
        "cllr.foster@demo.example",
        "Nigel Foster",
    ),
    ("Environment", "Climate change, waste, recycling and the countryside.", "cllr.hale@demo.example", "Deborah Hale"),
    ("Highways and Infrastructure", "Roads, pavements, buses and cycling.", "cllr.penn@demo.example", "Roger Penn"),
    (
        "Fire and Rescue and Communities",
        "The fire service, libraries and community safety.",
        "cllr.reid@demo.example",
        "Duncan Reid",
    ),
    ("Finance and Resources", "The budget, property and the council's staff.", "cllr.shaw@demo.example", "Jeremy Shaw"),
]


def _ensure_person(email: str, name: str, role: str, **details: Any) -> int:
    existing = find_by_email(email)
    if existing is not None:
        return 0
    create_account(email=email, display_name=name, role=role, password=DEMO_PASSWORD, **details)
    return 1


def load_people() -> int:
    created = sum(_ensure_person(email, name, role, **details) for email, name, role, details in PEOPLE)
    for name, _, email, holder in PORTFOLIOS:
        if holder is not None:
            created += _ensure_person(
                email,
                holder,
                "cabinet_member",
                job_title=f"Cabinet Member for {name}" if name != "Leader" else "Leader of the Council",
            )
    return created


def load_portfolios() -> int:
    existing = set(db.session.scalars(select(Portfolio.name)))
    holders = {u.email: u.id for u in db.session.scalars(select(User).where(User.role == "cabinet_member"))}
    created = 0
    for name, description, email, _ in PORTFOLIOS:
        if name in existing:
            continue
        db.session.add(
            Portfolio(name=name, description=description, cabinet_member_id=holders.get(email), youth_capacity=2)
        )
        created += 1
    db.session.commit()
    return created


# Each step returns how many things it created. Later features append theirs.
STEPS: list[Callable[[], int]] = [
    load_people,
    load_portfolios,
    load_statements,
    load_aoi,
    load_campaigns,
    load_plan,
    load_consultations,
    load_pictures,  # before Easy Read: it words every question, the picture choice too
    load_easy_read,
    load_recommendations,  # before the updates: the July 2020 update carries them
    load_fact_sources,  # before the updates: the July 2020 statement's facts keep their sources
    load_updates,
]


def load_demo() -> int:
    return sum(step() for step in STEPS)


def database_is_empty() -> bool:
    return db.session.scalar(select(User.id).limit(1)) is None


def wipe() -> None:
    """Delete every row of every table, children first."""
    for table in reversed(Base.metadata.sorted_tables):
        db.session.execute(table.delete())
    db.session.commit()


def print_sign_ins() -> None:
    click.echo("")
    click.echo(f"Demo sign-ins (every password: {DEMO_PASSWORD})")
    for email, name, role, _ in PEOPLE:
        click.echo(f"  {role:<15} {email:<30} {name}")
    click.echo("Two-step sign-in: the officer and the Cabinet Member are asked for a code")
    click.echo("(`make code` prints it); the partner sets it up at their first sign-in.")
    click.echo("")
