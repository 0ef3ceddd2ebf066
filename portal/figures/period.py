"""A span of days that figures are counted over: an update's period, or a month."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from portal.templating import long_date


def next_month(month: date) -> date:
    return date(month.year + (month.month == 12), month.month % 12 + 1, 1)


@dataclass(frozen=True)
class Period:
    start: date
    end: date  # inclusive

    @property
    def label(self) -> str:
        if self.start == self.end:
            return f"{long_date(self.start)}"
        if self.start.year == self.end.year:
            if self.start.month == self.end.month:
                return f"{self.start:%-d} to {long_date(self.end)}"
            return f"{self.start:%-d %B} to {long_date(self.end)}"
        return f"{long_date(self.start)} to {long_date(self.end)}"

    def previous(self) -> Period:
        """The period of the same length just before this one."""
        days = (self.end - self.start).days + 1
        return Period(self.start - timedelta(days=days), self.start - timedelta(days=1))

    def moments(self) -> tuple[datetime, datetime]:
        start = datetime.combine(self.start, time(), tzinfo=UTC)
        return start, datetime.combine(self.end + timedelta(days=1), time(), tzinfo=UTC)

    @classmethod
    def month(cls, month: date) -> Period:
        """The whole calendar month that ``month`` is in."""
        first = month.replace(day=1)
        return cls(first, next_month(first) - timedelta(days=1))
