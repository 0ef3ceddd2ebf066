"""The public "Youth voice in numbers" page (#17.2): the figures for a period,
with the breakdowns, where a published update's figures lead when their own
records (the plan, the Area of Interest programme, membership) are not public."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, render_template, request
from sqlalchemy import select

from portal.extensions import db
from portal.figures import bp
from portal.figures.numbers import youth_voice
from portal.figures.period import Period
from portal.models import CabinetUpdate, UpdateVersion
from portal.permissions import requires
from portal.statements.operations import current_month

LONGEST = timedelta(days=400)  # an update covers a month or a few; a year and a bit at most


def _day(name: str) -> date | None:
    value = request.args.get(name, "")
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        abort(404)


def _period() -> Period:
    """?start=YYYY-MM-DD&end=YYYY-MM-DD (the links the numbers make), else this
    month. Only a whole calendar month or the period of a published update:
    any two days would let someone take one period's tables from another's
    (1 to 5 March less 1 to 4 March) and find the age band and district of
    whoever answered on 5 March, which hiding small numbers is there to stop."""
    start, end = _day("start"), _day("end")
    if start is None and end is None:
        return Period.month(current_month())
    if start is None or end is None or end < start or end - start > LONGEST:
        abort(404)
    period = Period(start, end)
    if period == Period.month(start) or _published_period(period):
        return period
    abort(404)


def _published_period(period: Period) -> bool:
    return bool(
        db.session.scalar(
            select(CabinetUpdate.id)
            .where(CabinetUpdate.period_start == period.start, CabinetUpdate.period_end == period.end)
            .where(select(UpdateVersion.id).where(UpdateVersion.update_id == CabinetUpdate.id).exists())
            .limit(1)
        )
    )


@bp.route("")
@requires("public.read")
def youth_voice_page():
    period = _period()
    return render_template("figures/youth_voice.html", period=period, numbers=youth_voice(period))
