"""Forms for the Cabinet Member's update."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCheckboxInput, GovSelect, GovTextArea, GovTextInput
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import ValidationError
from wtforms.widgets import HiddenInput

from portal.autosave import AutosaveForm
from portal.forms import DayMonthYearField, MaxLength, clean_text

IMPORT_MAX_CHARS = 300_000


def _text(value: str | None) -> str:
    return clean_text(value) if value is not None else ""


def _line(value: str | None) -> str:
    """One line: line breaks become spaces."""
    return " ".join((clean_text(value) or "").split())


YEARS = (2000, 2100)


def _in_range(field) -> None:
    if field.data and not YEARS[0] <= field.data.year <= YEARS[1]:
        raise ValidationError(f"Enter a date between the years {YEARS[0]} and {YEARS[1]}")


class DetailsForm(AutosaveForm):
    title = StringField("Title", widget=GovTextInput(), filters=[_line], validators=[MaxLength(300, "The title")])
    meeting_date = DayMonthYearField("Date of the council meeting")
    period_start = DayMonthYearField("The period it covers: from")
    period_end = DayMonthYearField("to")
    statement_month = SelectField(
        "Chair's statement to add at the end", widget=GovSelect(), choices=[], validate_choice=False
    )
    include_numbers = BooleanField("Include the “Youth voice in numbers” table", widget=GovCheckboxInput())

    def validate_meeting_date(self, field) -> None:
        _in_range(field)

    def validate_period_start(self, field) -> None:
        _in_range(field)

    def validate_period_end(self, field) -> None:
        _in_range(field)
        if field.data and self.period_start.data and field.data < self.period_start.data:
            raise ValidationError("The end of the period must be on or after its start")
        if bool(field.data) != bool(self.period_start.data) and not self.period_start.errors and not field.errors:
            raise ValidationError("Enter both dates of the period, or neither")


class SignOffForm(AutosaveForm):
    closing = StringField(
        "Closing line", widget=GovTextInput(), filters=[_line], validators=[MaxLength(500, "The closing line")]
    )
    sign_off_label = StringField(
        "Label", widget=GovTextInput(), filters=[_line], validators=[MaxLength(100, "The label")]
    )
    signatory_name = StringField(
        "Name", widget=GovTextInput(), filters=[_line], validators=[MaxLength(200, "The name")]
    )
    signatory_role = StringField(
        "Role", widget=GovTextInput(), filters=[_line], validators=[MaxLength(200, "The role")]
    )
    contact_officer = StringField(
        "Contact officer", widget=GovTextInput(), filters=[_line], validators=[MaxLength(300, "The contact officer")]
    )


class ParagraphForm(AutosaveForm):
    """One paragraph: saved as you type, like the Chair's statement."""

    text = TextAreaField("Paragraph", widget=GovTextArea(), filters=[_text])


class SectionForm(AutosaveForm):
    heading = StringField(
        "Section heading", widget=GovTextInput(), filters=[_line], validators=[MaxLength(300, "The heading")]
    )


class NewSectionForm(FlaskForm):
    heading = StringField(
        "Heading of the new section",
        id="new-section",
        widget=GovTextInput(),
        filters=[_line],
        validators=[MaxLength(300, "The heading")],
    )


class PublishForm(FlaskForm):
    # When the page was loaded: a change since then (by an officer, another tab) must be seen before publishing.
    seen = StringField(widget=HiddenInput())
    note = TextAreaField(
        "What does this correction change?",
        widget=GovTextArea(),
        filters=[_text],
        validators=[MaxLength(2000, "The note")],
    )
    without_statement = BooleanField("Publish without the Chair's statement", widget=GovCheckboxInput())


class ImportForm(FlaskForm):
    # The fingerprint of the text that was checked: only checked text is saved.
    checked = StringField(widget=HiddenInput())
    text = TextAreaField(
        "The report's text",
        widget=GovTextArea(),
        filters=[_text],
        validators=[MaxLength(IMPORT_MAX_CHARS, "The report's text")],
    )
