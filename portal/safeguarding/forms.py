"""Forms for reporting (no account needed) and for an officer's handling."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovCharacterCount, GovRadioInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, ValidationError

from portal.forms import MaxLength, clean_text
from portal.models.safeguarding import CONTACT_MAX, DETAILS_MAX, REASONS, ReportStatus
from portal.safeguarding.operations import NOTE_MAX

# The field people leave empty (it is hidden from them) and form-filling robots do not.
HONEYPOT = "extra_details"

CONTACT_HINT = (
    "An email address or phone number, if you want us to get back to you. "
    "Leave it empty if you do not want us to contact you."
)


def _contact_field() -> StringField:
    return StringField(
        "How can we contact you? (optional)",
        description=CONTACT_HINT,
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[MaxLength(CONTACT_MAX, "How to contact you")],
    )


class ConcernForm(FlaskForm):
    details = TextAreaField(
        "What happened?",
        description="Say what happened, who it was and when, if you know. Use your own words.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[DataRequired("Tell us what happened"), MaxLength(DETAILS_MAX, "What happened")],
    )
    contact = _contact_field()


class ContentReportForm(FlaskForm):
    reason = RadioField(
        "Why are you reporting this?",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(key, label) for key, label in REASONS.items()],
    )
    details = TextAreaField(
        "Tell us more",
        description="What is wrong with it? You can leave this empty, unless you chose ‘Something else’.",
        widget=GovCharacterCount(),
        filters=[clean_text],
        validators=[MaxLength(DETAILS_MAX, "What you tell us")],
    )
    contact = _contact_field()

    def validate_reason(self, field) -> None:
        if field.data not in REASONS:
            raise ValidationError("Choose why you are reporting this")


class HandleForm(FlaskForm):
    status = RadioField(
        "What is happening with this report?",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(s.value, s.label) for s in (ReportStatus.IN_HAND, ReportStatus.CLOSED)],
    )
    note = TextAreaField(
        "Note for other officers",
        description="What you have done or will do. Needed to close the report. Only officers see it.",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[MaxLength(NOTE_MAX, "The note")],
    )

    def validate_status(self, field) -> None:
        if field.data not in (ReportStatus.IN_HAND, ReportStatus.CLOSED):
            raise ValidationError("Choose ‘In hand’ or ‘Closed’")
