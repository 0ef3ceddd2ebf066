"""The demo world's Area of Interest programme: the July 2020 round ("We also
initiated our 'Area of Interest' programme"), closed with everyone's choices,
paired by the real algorithm, confirmed and accepted, with a few log entries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.aoi.pairing import optimal_pairing
from portal.extensions import db
from portal.models import (
    Pairing,
    PairingLogEntry,
    Portfolio,
    Preference,
    PreferenceAnswer,
    PreferenceRound,
    RoundStatus,
    User,
)

# member email -> (ranked portfolio names, reason)
CHOICES = {
    "chair@demo.example": (
        ["Children and Young People", "Education and Skills"],
        "I want young people's voices heard in children's services.",
    ),
    "member@demo.example": (
        ["Children and Young People", "Adults and Health", "Education and Skills"],
        "Young carers like me need support.",
    ),
    "tom.w@demo.example": (
        ["Environment", "Highways and Infrastructure"],
        "Climate change is the biggest thing facing my generation.",
    ),
    "priya.s@demo.example": (
        ["Education and Skills", "Children and Young People", "Environment"],
        "I want to help make schools better for everyone.",
    ),
    "jordan.l@demo.example": (
        ["Highways and Infrastructure", "Environment", "Fire and Rescue and Communities"],
        "Buses where I live are not good enough.",
    ),
    "ellie.m@demo.example": (["Environment", "Children and Young People"], ""),
    "noah.b@demo.example": (
        ["Fire and Rescue and Communities", "Finance and Resources"],
        "I want to see how the council spends its money.",
    ),
}


def _at(day: int, hour: int = 10) -> datetime:
    return datetime(2020, 7, day, hour, tzinfo=UTC)


def load_aoi() -> int:
    if db.session.scalar(select(PreferenceRound.id).limit(1)) is not None:
        return 0
    people = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(CHOICES)))}
    portfolios = {p.name: p for p in db.session.scalars(select(Portfolio))}
    if len(people) != len(CHOICES) or not portfolios:
        return 0
    round_ = PreferenceRound(
        title="Area of Interest 2020",
        closes_on=date(2020, 7, 20),
        status=RoundStatus.CONFIRMED.value,
        created_at=_at(6),
        confirmed_at=_at(22),
    )
    db.session.add(round_)
    db.session.flush()
    ranks: dict[int, dict[int, int]] = {}
    for email, (names, reason) in CHOICES.items():
        member = people[email]
        answer = PreferenceAnswer(round_id=round_.id, member_id=member.id, reason=reason, updated_at=_at(10))
        db.session.add(answer)
        db.session.flush()
        ranks[member.id] = {}
        for rank, name in enumerate(names, start=1):
            db.session.add(Preference(answer_id=answer.id, portfolio_id=portfolios[name].id, rank=rank))
            ranks[member.id][portfolios[name].id] = rank
    result = optimal_pairing(list(ranks), {p.id: p.youth_capacity for p in portfolios.values()}, ranks)
    pairings = {}
    for member_id, portfolio_id in result.items():
        if portfolio_id is None:
            continue  # not placed: no pairing
        pairing = Pairing(
            round_id=round_.id,
            member_id=member_id,
            portfolio_id=portfolio_id,
            choice_rank=ranks[member_id].get(portfolio_id),
            accepted_at=_at(24),
            accepted_by_id=next(p.cabinet_member_id for p in portfolios.values() if p.id == portfolio_id),
        )
        db.session.add(pairing)
        pairings[member_id] = pairing
    db.session.flush()
    aisha, jacquie = (
        people["member@demo.example"],
        db.session.scalar(select(User).where(User.email == "cabinet.member@demo.example")),
    )
    first = pairings[aisha.id]
    db.session.add_all(
        [
            PairingLogEntry(
                pairing_id=first.id,
                kind="meeting",
                on=date(2020, 7, 28),
                author_id=jacquie.id if jacquie else None,
                text="First video call. We talked about how the Young Carers service kept in touch with families during lockdown, "
                "and what young carers say they need now.",
                created_at=_at(28, 15),
                updated_at=_at(28, 15),
            ),
            PairingLogEntry(
                pairing_id=first.id,
                kind="action",
                on=date(2020, 8, 14),
                who="Aisha K.",
                author_id=aisha.id,
                text="Ask the young carers group which three things would help them most this summer.",
                created_at=_at(28, 16),
                updated_at=_at(28, 16),
            ),
            PairingLogEntry(
                pairing_id=first.id,
                kind="action",
                on=date(2020, 8, 21),
                who="Jacquie Russell",
                done=True,
                author_id=jacquie.id if jacquie else None,
                text="Share the Children Looked After and Care Leavers Strategy with Aisha.",
                created_at=_at(28, 16),
                updated_at=_at(28, 16),
            ),
        ]
    )
    db.session.commit()
    return 1
