"""URL converters: ``<month:month>`` is a month written 2020-07."""

from __future__ import annotations

from datetime import date

from werkzeug.routing import BaseConverter, ValidationError


class MonthConverter(BaseConverter):
    regex = r"\d{4}-\d{2}"

    def to_python(self, value: str) -> date:
        year, month = int(value[:4]), int(value[5:])
        if not 1 <= month <= 12 or year < 2000:
            raise ValidationError()
        return date(year, month, 1)

    def to_url(self, value: date) -> str:
        return value.strftime("%Y-%m")
