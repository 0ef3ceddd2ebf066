"""The demo world's Chair's statements: July 2020 word for word from the seed
report, accepted; June 2020 accepted; this month's in draft."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select

from portal.extensions import db
from portal.models import ChairStatement, StatementReview, StatementRevision, StatementStatus, User
from portal.statements.operations import current_month

# Word for word from shared/seeds/2020-07-cabinet-member-progress-report.txt.
JULY_2020 = (
    "The Youth Cabinet has had a month of decision making, with the introduction of new campaigns, roles "
    "and organising our schedule. Due to Covid-19, much of our annual plan has been pushed forward, so we"
    " have had to make some tough calls regarding events and prior campaign plans. Our Covid-19 Wellbeing"
    " campaign came to a close this month, and the impressions on social media have been incredible. We "
    "reached 11,000 people over 11 days; this is a fantastic achievement for such a short amount of time."
    " We also initiated our 'Area of Interest' programme, which allows all young people in the Youth "
    "Cabinet to work within an area of the actual Cabinet jointly with the Cabinet Member connected. This"
    " should be a brilliant new venture for the Youth Cabinet that enables young people to get even more "
    "involved in politics and making change. Our first consultation occurred this month as well, with a "
    "mental health service asking us for our opinions on their name, 'brand' and wording. It has "
    "certainly been a busy month, and with all the planning going ahead, it should be another active few "
    "months for the West Sussex Youth Cabinet."
)

JUNE_2020 = (
    "June has been our first full month of meeting online, and it has shown us how much young people have "
    "to say even when we cannot meet in person. Our members have met every week on video calls, and we have "
    "started planning a Covid-19 Wellbeing campaign to share advice on looking after your mental health "
    "during lockdown, written by young people for young people.\n\n"
    "We have also been thinking about how the Youth Cabinet can work more closely with the County Council. "
    "Several members have asked to learn more about how Cabinet Members make decisions, and we hope to set up "
    "a way for each of us to follow one area of the Council's work next month. Thank you to everyone who has "
    "kept in touch with us, and to the officers who have helped us move everything online so quickly."
)

CURRENT_DRAFT = (
    "This month the Youth Cabinet has been busy getting ready for the winter. Our members have been "
    "meeting with their Cabinet Members through the Area of Interest programme, and we have started to plan "
    "our next campaign."
)


def _at(year: int, month: int, day: int, hour: int = 10) -> datetime:
    return datetime(year, month, day, hour, tzinfo=UTC)


def _accepted(
    month: date, text: str, chair: User, member: User, written: datetime, sent: datetime, accepted: datetime
) -> None:
    statement = ChairStatement(
        month=month,
        text=text,
        version=2,
        status=StatementStatus.ACCEPTED.value,
        created_by_id=chair.id,
        updated_by_id=chair.id,
        created_at=written,
        updated_at=written,
        submitted_at=sent,
        accepted_at=accepted,
    )
    db.session.add(statement)
    db.session.flush()
    db.session.add(
        StatementRevision(
            statement_id=statement.id,
            version=2,
            text=text,
            kind="save",
            author_id=chair.id,
            created_at=written,
            saved_at=written,
        )
    )
    db.session.add(StatementReview(statement_id=statement.id, action="submitted", actor_id=chair.id, at=sent))
    db.session.add(StatementReview(statement_id=statement.id, action="accepted", actor_id=member.id, at=accepted))


def load_statements() -> int:
    chair = db.session.scalar(select(User).where(User.email == "chair@demo.example"))
    member = db.session.scalar(select(User).where(User.email == "cabinet.member@demo.example"))
    if chair is None or member is None:
        return 0
    existing = set(db.session.scalars(select(ChairStatement.month)))
    created = 0
    if date(2020, 6, 1) not in existing:
        _accepted(date(2020, 6, 1), JUNE_2020, chair, member, _at(2020, 6, 24), _at(2020, 6, 26), _at(2020, 6, 29))
        created += 1
    if date(2020, 7, 1) not in existing:
        _accepted(date(2020, 7, 1), JULY_2020, chair, member, _at(2020, 7, 8), _at(2020, 7, 9), _at(2020, 7, 10))
        created += 1
    this_month = current_month()
    if this_month not in existing:
        now = datetime.now(UTC)
        statement = ChairStatement(
            month=this_month,
            text=CURRENT_DRAFT,
            version=2,
            created_by_id=chair.id,
            updated_by_id=chair.id,
            created_at=now,
            updated_at=now,
        )
        db.session.add(statement)
        db.session.flush()
        db.session.add(
            StatementRevision(
                statement_id=statement.id,
                version=2,
                text=CURRENT_DRAFT,
                kind="save",
                author_id=chair.id,
                created_at=now,
                saved_at=now,
            )
        )
        created += 1
    db.session.commit()
    return created
