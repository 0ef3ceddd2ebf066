"""The public "Youth voice in numbers" page (#17.2): the figures for a period,
with the breakdowns, where a published update's figures lead when their own
records (the plan, the Area of Interest programme, membership) are not public."""

from __future__ import annotations

from datetime import date, timedelta

from flask import abort, render_template, request

from portal.figures import bp
from portal.figures.numbers import youth_voice
from portal.figures.period import Period
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
    """?start=YYYY-MM-DD&end=YYYY-MM-DD (the links the numbers make), else this month."""
    start, end = _day("start"), _day("end")
    if start is None and end is None:
        return Period.month(current_month())
    if start is None or end is None or end < start or end - start > LONGEST:
        abort(404)
    return Period(start, end)


@bp.route("")
@requires("public.read")
def youth_voice_page():
    period = _period()
    return render_template("figures/youth_voice.html", period=period, numbers=youth_voice(period))
