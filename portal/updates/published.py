"""What the public side reads: published versions, by the columns each list
needs (never the frozen document unless a page shows it). Every function is
one query (a page of the archive: two)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import load_only

from portal.extensions import db
from portal.models import UpdateVersion

# Meeting dates are between these years (portal/updates/forms.py), so is the archive.
ARCHIVE_YEARS = (2000, 2100)
SEARCH_MAX_WORDS = 8
FEED_SIZE = 50
ARCHIVE_PER_PAGE = 20


def latest_versions() -> Select:
    """Published updates, newest meeting first: the columns a list needs, not the frozen document."""
    return (
        select(UpdateVersion)
        .options(
            load_only(
                UpdateVersion.update_id,
                UpdateVersion.number,
                UpdateVersion.title,
                UpdateVersion.meeting_date,
                UpdateVersion.report_month,
                UpdateVersion.author_name,
                UpdateVersion.published_at,
            )
        )
        .where(UpdateVersion.is_latest)
        .order_by(UpdateVersion.report_month.desc(), UpdateVersion.meeting_date.desc(), UpdateVersion.id.desc())
    )


def archive_query(year: int | None = None, month: int | None = None) -> Select:
    """The latest version of each update, for a year or a month the reports
    cover (or all): a query, so the archive shows a page of it (#16)."""
    query = latest_versions()
    if year is not None:
        query = query.where(UpdateVersion.report_month.between(date(year, 1, 1), date(year, 12, 31)))
        if month is not None:
            query = query.where(UpdateVersion.report_month == date(year, month, 1))
    return query


def archive_years() -> list[tuple[int, int]]:
    """(year, updates published for its months), newest first."""
    year = func.extract("year", UpdateVersion.report_month)
    rows = db.session.execute(
        select(year.label("year"), func.count(UpdateVersion.id))
        .where(UpdateVersion.is_latest)
        .group_by("year")
        .order_by(year.desc())
    ).all()
    return [(int(y), n) for y, n in rows]


def _like(word: str) -> str:
    escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def search_rows(words: list[str]) -> Sequence[Any]:
    """Latest versions holding every word (any case), newest meeting first."""
    query = select(
        UpdateVersion.update_id,
        UpdateVersion.number,
        UpdateVersion.title,
        UpdateVersion.meeting_date,
        UpdateVersion.author_name,
        UpdateVersion.search_text,
    ).where(UpdateVersion.is_latest)
    for word in words[:SEARCH_MAX_WORDS]:
        query = query.where(func.lower(UpdateVersion.search_text).like(_like(word.lower()), escape="\\"))
    return db.session.execute(query.order_by(UpdateVersion.meeting_date.desc()).limit(50)).all()


def feed_rows() -> Sequence[Any]:
    """The newest published versions, corrections included, for the Atom feed."""
    return db.session.execute(
        select(
            UpdateVersion.update_id,
            UpdateVersion.number,
            UpdateVersion.title,
            UpdateVersion.author_name,
            UpdateVersion.published_at,
            UpdateVersion.note,
            UpdateVersion.meeting_date,
            UpdateVersion.html,
        )
        .order_by(UpdateVersion.published_at.desc(), UpdateVersion.id.desc())
        .limit(FEED_SIZE)
    ).all()


def find_version(update_id: int, number: int | None = None) -> UpdateVersion | None:
    """Version ``number`` of an update, or its latest."""
    query = select(UpdateVersion).where(UpdateVersion.update_id == update_id)
    query = query.where(UpdateVersion.is_latest) if number is None else query.where(UpdateVersion.number == number)
    return db.session.scalar(query)


def versions_of(update_id: int) -> Sequence[Any]:
    return db.session.execute(
        select(UpdateVersion.number, UpdateVersion.published_at, UpdateVersion.note, UpdateVersion.is_latest)
        .where(UpdateVersion.update_id == update_id)
        .order_by(UpdateVersion.number)
    ).all()
