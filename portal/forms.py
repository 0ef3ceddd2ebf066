"""Shared form pieces: plain-words validators used by every feature's forms."""

from __future__ import annotations

import unicodedata
from typing import TypeVar, overload

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovDateInput
from wtforms import DateField, Field
from wtforms.validators import ValidationError

T = TypeVar("T")


def entered(value: T | None) -> T:
    """A required field's value once its form has validated (its required
    validator ran, so it is there)."""
    if value is None:
        raise ValueError("a required field is empty after validation")
    return value


@overload
def clean_text(value: str) -> str: ...
@overload
def clean_text(value: None) -> None: ...
def clean_text(value: str | None) -> str | None:
    """Strip surrounding space and control characters; keep every other character
    (emoji, right-to-left scripts) exactly as typed."""
    if value is None:
        return None
    kept = "".join(ch for ch in value if unicodedata.category(ch) != "Cc" or ch in "\n\t")
    return kept.strip()


class MaxLength:
    """Length check with a message that says how long the text was."""

    def __init__(self, limit: int, what: str):
        self.limit = limit
        self.what = what

    def __call__(self, form, field: Field) -> None:
        if field.data and len(field.data) > self.limit:
            raise ValidationError(
                f"{self.what} must be {self.limit} characters or fewer (you typed {len(field.data):,})"
            )


class DayMonthYearInput(GovDateInput):
    """GOV.UK's date input with ``required`` on its three boxes: govuk-frontend-wtf
    puts it on the div around them, where HTML does not allow it (#14.23)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        if params["attributes"].pop("required", None):
            params["items"] = [
                {**item, "attributes": {**item.get("attributes", {}), "required": "required"}}
                for item in params["items"]
            ]
        return params


class DayMonthYearField(DateField):
    """A GOV.UK date input (day, month, year boxes) with plain-words errors."""

    widget = DayMonthYearInput()

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, validators, format="%d %m %Y", **kwargs)

    def process_formdata(self, valuelist):
        if valuelist and len(valuelist) != 3:
            # A tampered form with more or fewer than three boxes: the same plain message, the boxes shown again.
            self.raw_data = (list(valuelist) + ["", "", ""])[:3]
            self.data = None
            raise ValueError("Enter a real date, with the day, month and year as numbers, like 27 3 2027")
        if not valuelist or not any(value.strip() for value in valuelist):
            self.data = None
            return
        try:
            super().process_formdata([" ".join(value.strip() for value in valuelist)])
        except ValueError:
            self.data = None
            raise ValueError("Enter a real date, with the day, month and year as numbers, like 27 3 2027") from None


class ButtonForm(FlaskForm):
    """A button that only carries the CSRF token (publish, accept, mark done...)."""
