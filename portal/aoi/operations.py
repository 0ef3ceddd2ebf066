"""The Area of Interest programme's rules. Each operation checks its rule,
records what happened and commits; nothing is half-saved."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask import url_for
from sqlalchemy import delete, func, select
from sqlalchemy.orm import joinedload, selectinload

from portal.aoi.pairing import optimal_pairing
from portal.audit import record
from portal.clashes import again_if_it_clashes
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
from portal.models.aoi import MAX_RANKS
from portal.models.base import utcnow
from portal.notifications import deliver, notify
from portal.roles import Role
from portal.rules import RuleError
from portal.templating import local_today, long_date

EDIT_WINDOW = timedelta(hours=24)
MEMBER_ROLES = (Role.YOUTH_MEMBER.value, Role.CHAIR.value)


class AoiError(RuleError):
    """A step the rules refuse; ``field`` names the form field it concerns."""


today = local_today


# Portfolios ---------------------------------------------------------------


def paired_counts(round_id: int | None) -> dict[int, int]:
    """How many members each portfolio holds in a round, in one query."""
    if round_id is None:
        return {}
    rows = db.session.execute(
        select(Pairing.portfolio_id, func.count(Pairing.id))
        .where(Pairing.round_id == round_id)
        .group_by(Pairing.portfolio_id)
    )
    return {portfolio_id: count for portfolio_id, count in rows}


@again_if_it_clashes
def save_portfolio(
    actor: User,
    portfolio: Portfolio | None,
    *,
    name: str,
    description: str,
    cabinet_member_id: int | None,
    capacity: int,
    active: bool,
) -> Portfolio:
    """Add or change a portfolio. The capacity cannot go below zero or below
    the members already paired with it in the latest round."""
    if capacity < 0:
        raise AoiError("The number of places cannot be less than 0", "capacity")
    taken = db.session.scalar(select(Portfolio.id).where(func.lower(Portfolio.name) == name.lower()))
    if taken is not None and (portfolio is None or taken != portfolio.id):
        raise AoiError("There is already a portfolio with this name", "name")
    if cabinet_member_id is not None:
        holder = db.session.get(User, cabinet_member_id)
        if holder is None or holder.role != Role.CABINET_MEMBER.value or not holder.active:
            raise AoiError("Choose a Cabinet Member from the list", "cabinet_member")
    if portfolio is not None:
        latest = latest_round()
        already = paired_counts(latest.id if latest else None).get(portfolio.id, 0)
        if capacity < already:
            raise AoiError(
                f"{already} members are already paired with this portfolio, so it needs at least {already} places",
                "capacity",
            )
    created = portfolio is None
    if portfolio is None:
        portfolio = Portfolio(name=name)
        db.session.add(portfolio)
    portfolio.name = name
    portfolio.description = description
    portfolio.cabinet_member_id = cabinet_member_id
    portfolio.youth_capacity = capacity
    portfolio.active = active
    db.session.flush()
    record(actor, "aoi.portfolio_added" if created else "aoi.portfolio_changed", "portfolio", portfolio.id, name)
    db.session.commit()
    return portfolio


# Rounds ------------------------------------------------------------------


def latest_round() -> PreferenceRound | None:
    return db.session.scalar(select(PreferenceRound).order_by(PreferenceRound.id.desc()).limit(1))


def is_open_for_choices(round_: PreferenceRound) -> bool:
    return round_.state == RoundStatus.OPEN and today() <= round_.closes_on


def open_round(actor: User, title: str, closes_on: date) -> PreferenceRound:
    """Open a preference round. Only one round runs at a time."""
    if closes_on < today():
        raise AoiError("The closing date must be today or later", "closes_on")
    current = latest_round()
    if current is not None and current.state != RoundStatus.CONFIRMED:
        raise AoiError("Finish the current round (confirm its pairings) before opening a new one", "title")
    round_ = PreferenceRound(title=title, closes_on=closes_on, created_by_id=actor.id)
    db.session.add(round_)
    db.session.flush()
    record(actor, "aoi.round_opened", "preference_round", round_.id, f"{title}, closes {closes_on}")
    members = db.session.scalars(select(User).where(User.role.in_(MEMBER_ROLES), User.active)).all()
    mails = notify(
        members,
        f"The Area of Interest round '{title}' is open: choose up to three portfolios by {long_date(closes_on)}.",
        url_for("aoi.choices", round_id=round_.id),
        subject="Choose your Area of Interest",
    )
    db.session.commit()
    deliver(mails)
    return round_


def close_round(actor: User, round_: PreferenceRound) -> None:
    if round_.state != RoundStatus.OPEN:
        raise AoiError("This round is already closed")
    round_.status = RoundStatus.CLOSED.value
    record(actor, "aoi.round_closed", "preference_round", round_.id)
    db.session.commit()


def members() -> list[User]:
    return list(
        db.session.scalars(
            select(User)
            .where(User.role.in_(MEMBER_ROLES), User.active)
            .order_by(func.lower(User.display_name), User.id)
        )
    )


def answers(round_id: int) -> list[PreferenceAnswer]:
    return list(
        db.session.scalars(
            select(PreferenceAnswer)
            .options(selectinload(PreferenceAnswer.choices), joinedload(PreferenceAnswer.member))
            .where(PreferenceAnswer.round_id == round_id)
        )
    )


def current_round_id():
    """The round whose pairings stand now: the last one confirmed (a subquery)."""
    return (
        select(PreferenceRound.id)
        .where(PreferenceRound.status == RoundStatus.CONFIRMED.value)
        .order_by(PreferenceRound.confirmed_at.desc(), PreferenceRound.id.desc())
        .limit(1)
        .scalar_subquery()
    )


def answer_of(round_id: int, member_id: int) -> PreferenceAnswer | None:
    return db.session.scalar(
        select(PreferenceAnswer)
        .options(selectinload(PreferenceAnswer.choices))
        .where(PreferenceAnswer.round_id == round_id, PreferenceAnswer.member_id == member_id)
    )


@again_if_it_clashes
def save_choices(member: User, round_: PreferenceRound, portfolio_ids: list[int | None], reason: str) -> None:
    """A member's ranking: up to three different active portfolios, first
    choice first. It can be changed until the round closes."""
    if member.role not in MEMBER_ROLES or not member.active:
        raise AoiError("Only Youth Cabinet members can choose an Area of Interest")
    if not is_open_for_choices(round_):
        raise AoiError("This round has closed, so choices can no longer be changed", "first")
    if len(portfolio_ids) > MAX_RANKS:
        raise AoiError("Choose up to three portfolios", "first")
    chosen = [p for p in portfolio_ids if p is not None]
    if not chosen:
        raise AoiError("Choose at least your first choice", "first")
    if len(set(chosen)) != len(chosen):
        fields = ["first", "second", "third"]
        repeat = next(i for i, p in enumerate(portfolio_ids) if p is not None and portfolio_ids[:i].count(p))
        raise AoiError("You chose the same portfolio twice. Choose a different one", fields[repeat])
    gap = any(p is None for p in portfolio_ids[: portfolio_ids.index(chosen[-1])])
    if gap:
        raise AoiError("Fill in your choices in order, starting with your first choice", "first")
    active = set(db.session.scalars(select(Portfolio.id).where(Portfolio.active, Portfolio.id.in_(chosen))))
    if active != set(chosen):
        raise AoiError("Choose portfolios from the list", "first")
    answer = db.session.scalar(
        select(PreferenceAnswer)
        .where(PreferenceAnswer.round_id == round_.id, PreferenceAnswer.member_id == member.id)
        .with_for_update()  # the same choices sent from two tabs: the second waits, then replaces them
    )
    if answer is None:
        answer = PreferenceAnswer(round_id=round_.id, member_id=member.id)
        db.session.add(answer)
        db.session.flush()
    else:
        db.session.execute(delete(Preference).where(Preference.answer_id == answer.id))
        db.session.flush()
        db.session.expire(answer, ["choices"])
    for rank, portfolio_id in enumerate(chosen, start=1):
        db.session.add(Preference(answer_id=answer.id, portfolio_id=portfolio_id, rank=rank))
    answer.reason = reason
    answer.updated_at = utcnow()
    record(member, "aoi.choices_saved", "preference_round", round_.id)
    db.session.commit()


def run_pairing(actor: User, round_: PreferenceRound) -> None:
    """Run the optimal pairing (portal/aoi/pairing.py) over the active members
    and active portfolios; replaces any earlier proposal of this round."""
    db.session.refresh(round_, with_for_update=True)  # two runs at once: the second waits, then replaces the first
    if is_open_for_choices(round_):
        raise AoiError("Close the round before running the pairing")
    if round_.state == RoundStatus.CONFIRMED:
        raise AoiError("The pairings of this round are confirmed already")
    people = members()
    portfolios = db.session.scalars(select(Portfolio).where(Portfolio.active)).all()
    ranks = {a.member_id: {c.portfolio_id: c.rank for c in a.choices} for a in answers(round_.id)}
    result = optimal_pairing([m.id for m in people], {p.id: p.youth_capacity for p in portfolios}, ranks)
    db.session.execute(delete(Pairing).where(Pairing.round_id == round_.id))
    for member_id, portfolio_id in result.items():
        if portfolio_id is not None:
            db.session.add(
                Pairing(
                    round_id=round_.id,
                    member_id=member_id,
                    portfolio_id=portfolio_id,
                    choice_rank=ranks.get(member_id, {}).get(portfolio_id),
                )
            )
    round_.status = RoundStatus.PROPOSED.value
    unplaced = sum(1 for p in result.values() if p is None)
    record(
        actor,
        "aoi.pairing_run",
        "preference_round",
        round_.id,
        f"{len(result) - unplaced} placed, {unplaced} without a place",
    )
    db.session.commit()


@dataclass(frozen=True)
class MoveCheck:
    over_capacity: bool
    taken: int
    capacity: int


def move(actor: User, round_: PreferenceRound, pairing: Pairing, portfolio_id: int, allow_over: bool) -> MoveCheck:
    """Change a proposed pairing by hand. Going over a portfolio's places needs
    ``allow_over`` (the officer saw the warning); otherwise nothing changes."""
    if round_.state != RoundStatus.PROPOSED:
        raise AoiError("Pairings can only be changed before they are confirmed", "portfolio")
    if pairing.round_id != round_.id:
        raise AoiError("That pairing belongs to another round", "portfolio")
    target = db.session.get(Portfolio, portfolio_id)
    if target is None or not target.active:
        raise AoiError("Choose a portfolio from the list", "portfolio")
    taken = paired_counts(round_.id).get(target.id, 0) + (0 if pairing.portfolio_id == target.id else 1)
    check = MoveCheck(taken > target.youth_capacity, taken, target.youth_capacity)
    if check.over_capacity and not allow_over:
        return check
    answer = answer_of(round_.id, pairing.member_id)
    pairing.portfolio_id = target.id
    pairing.choice_rank = (
        next((c.rank for c in answer.choices if c.portfolio_id == target.id), None) if answer else None
    )
    pairing.changed_by_hand = True
    record(
        actor,
        "aoi.pairing_moved",
        "pairing",
        pairing.id,
        f"to {target.name}" + (" (over capacity)" if check.over_capacity else ""),
    )
    db.session.commit()
    return check


def confirm(actor: User, round_: PreferenceRound) -> None:
    """Make the proposal final and ask each Cabinet Member to accept their pairings."""
    if round_.state != RoundStatus.PROPOSED:
        raise AoiError("Run the pairing before confirming it")
    round_.status = RoundStatus.CONFIRMED.value
    round_.confirmed_at = utcnow()
    pairings = round_pairings(round_.id)
    holders = {p.portfolio.cabinet_member_id for p in pairings if p.portfolio.cabinet_member_id}
    cabinet = db.session.scalars(select(User).where(User.id.in_(holders))).all() if holders else []
    mails = notify(
        cabinet,
        f"Youth Cabinet members have been paired with your portfolio in '{round_.title}'. Please accept them.",
        url_for("aoi.index"),
        subject="Area of Interest pairings to accept",
    )
    people = {p.member_id: p for p in pairings}
    young = db.session.scalars(select(User).where(User.id.in_(people))).all() if people else []
    for person in young:
        pairing = people[person.id]
        mails += notify(
            [person],
            f"Your Area of Interest is {pairing.portfolio.name}.",
            url_for("aoi.pairing", pairing_id=pairing.id),
            subject="Your Area of Interest",
        )
    record(actor, "aoi.pairing_confirmed", "preference_round", round_.id, f"{len(pairings)} pairings")
    db.session.commit()
    deliver(mails)


def round_pairings_query(round_id: int):
    """A round's pairings in the order the pages list them: by portfolio, then as made."""
    return (
        select(Pairing)
        .options(joinedload(Pairing.member), joinedload(Pairing.portfolio).joinedload(Portfolio.cabinet_member))
        .where(Pairing.round_id == round_id)
        .join(Pairing.portfolio)
        .order_by(Portfolio.name, Pairing.id)
    )


def round_pairings(round_id: int) -> list[Pairing]:
    return list(db.session.scalars(round_pairings_query(round_id)).unique())


def place_in_list(pairing: Pairing) -> int:
    """How many of its round's pairings come before ``pairing`` in the pages' order
    (one query): the page that shows it follows from this."""
    name = select(Portfolio.name).where(Portfolio.id == pairing.portfolio_id).scalar_subquery()
    return (
        db.session.scalar(
            select(func.count(Pairing.id))
            .join(Pairing.portfolio)
            .where(
                Pairing.round_id == pairing.round_id,
                (Portfolio.name < name) | ((Portfolio.name == name) & (Pairing.id < pairing.id)),
            )
        )
        or 0
    )


@dataclass
class RoundFigures:
    """A round's figures for its page, counted in SQL whatever the number of members."""

    members: int
    answered: int
    waiting: list[User]  # the members who have not made their choices
    by_rank: dict[int | None, int]  # pairings by the choice they got (None: not one they chose)
    unplaced: list[User]  # members the pairing could not place (only once it has run)


def round_figures(round_id: int) -> RoundFigures:
    is_member = User.role.in_(MEMBER_ROLES) & User.active
    answered_ids = select(PreferenceAnswer.member_id).where(PreferenceAnswer.round_id == round_id)
    paired_ids = select(Pairing.member_id).where(Pairing.round_id == round_id)
    by_name = (func.lower(User.display_name), User.id)
    by_rank = {
        rank: count
        for rank, count in db.session.execute(
            select(Pairing.choice_rank, func.count(Pairing.id))
            .where(Pairing.round_id == round_id)
            .group_by(Pairing.choice_rank)
        )
    }
    return RoundFigures(
        members=db.session.scalar(select(func.count(User.id)).where(is_member)) or 0,
        answered=db.session.scalar(select(func.count(User.id)).where(is_member, User.id.in_(answered_ids))) or 0,
        waiting=list(
            db.session.scalars(select(User).where(is_member, User.id.not_in(answered_ids)).order_by(*by_name))
        ),
        by_rank=by_rank,
        unplaced=list(db.session.scalars(select(User).where(is_member, User.id.not_in(paired_ids)).order_by(*by_name)))
        if by_rank
        else [],
    )


def answers_of(round_id: int, member_ids: list[int]) -> dict[int, PreferenceAnswer]:
    """The answers of these members in a round, by member (one query, even for none)."""
    rows = db.session.scalars(
        select(PreferenceAnswer).where(
            PreferenceAnswer.round_id == round_id, PreferenceAnswer.member_id.in_(member_ids)
        )
    )
    return {a.member_id: a for a in rows}


def accept(actor: User, pairings: list[Pairing]) -> int:
    """A Cabinet Member accepts their confirmed pairings (or an officer records it)."""
    accepted = 0
    for pairing in pairings:
        if pairing.accepted_at is None and pairing.round.state == RoundStatus.CONFIRMED:
            pairing.accepted_at = utcnow()
            pairing.accepted_by_id = actor.id
            record(actor, "aoi.pairing_accepted", "pairing", pairing.id)
            accepted += 1
    if not accepted:
        raise AoiError("There is nothing to accept")
    db.session.commit()
    return accepted


# The shared log --------------------------------------------------------------


def newer_in_log(entry: PairingLogEntry) -> int:
    """How many entries of its pairing's log come before ``entry``, newest first
    (one query): the page of the log that shows it follows from this."""
    return (
        db.session.scalar(
            select(func.count(PairingLogEntry.id)).where(
                PairingLogEntry.pairing_id == entry.pairing_id,
                (PairingLogEntry.on > entry.on) | ((PairingLogEntry.on == entry.on) & (PairingLogEntry.id > entry.id)),
            )
        )
        or 0
    )


def can_change_entry(user: User, entry: PairingLogEntry) -> bool:
    return entry.author_id == user.id and utcnow() - entry.created_at <= EDIT_WINDOW


def add_entry(actor: User, pairing: Pairing, *, kind: str, on: date, text: str, who: str) -> PairingLogEntry:
    if kind not in ("meeting", "action"):
        raise AoiError("Choose a meeting or an action", "kind")
    entry = PairingLogEntry(
        pairing_id=pairing.id, kind=kind, on=on, text=text, who=who if kind == "action" else "", author_id=actor.id
    )
    db.session.add(entry)
    db.session.flush()
    record(actor, f"aoi.{kind}_logged", "pairing", pairing.id, text[:200])
    db.session.commit()
    return entry


def change_entry(actor: User, entry: PairingLogEntry, *, on: date, text: str, who: str) -> None:
    """Only the author, and only for 24 hours: after that the entry is locked."""
    if entry.author_id != actor.id:
        raise AoiError("Only the person who wrote this entry can change it")
    if not can_change_entry(actor, entry):
        raise AoiError("This entry was written more than 24 hours ago, so it is locked")
    entry.on = on
    entry.text = text
    entry.who = who if entry.kind == "action" else ""
    entry.updated_at = utcnow()
    record(actor, "aoi.log_changed", "pairing", entry.pairing_id, text[:200])
    db.session.commit()


def mark_done(actor: User, entry: PairingLogEntry, done: bool) -> None:
    if entry.kind != "action":
        raise AoiError("Only actions can be marked as done")
    entry.done = done
    record(actor, "aoi.action_done" if done else "aoi.action_reopened", "pairing", entry.pairing_id, entry.text[:200])
    db.session.commit()
