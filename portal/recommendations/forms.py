"""Forms: a committee meeting, one of its recommendations, a response."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovSelect, GovTextArea, GovTextInput
from wtforms import RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, ValidationError

from portal.forms import DayMonthYearField, MaxLength, clean_text
from portal.models.recommendation import (
    COMMITTEE_MAX,
    MINUTE_MAX,
    POST_MAX,
    RESPONSE_MAX,
    STATUS_LABELS,
    TEXT_MAX,
)
from portal.recommendations.operations import ADDRESSED_LABELS


def _people(people, none: str) -> list[SelectChoice]:
    return [SelectChoice("", none)] + [SelectChoice(str(p.id), p.display_name) for p in people]


def _id_or_none(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() and len(value) < 10 else None


class MeetingForm(FlaskForm):
    committee = StringField(
        "Committee",
        description="For example, Children and Young People's Services Scrutiny Committee",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the committee's name"), MaxLength(COMMITTEE_MAX, "The committee's name")],
    )
    held_on = DayMonthYearField("Date of the meeting", validators=[InputRequired("Enter the date of the meeting")])
    minute = StringField(
        "Minute number",
        description="The number of the minute that holds the recommendations, for example 67.5",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the minute number, for example 67.5"), MaxLength(MINUTE_MAX, "The minute")],
    )


class RecommendationForm(FlaskForm):
    number = StringField(
        "Recommendation number",
        description="Its number in the minute, for example 1",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the recommendation's number, like 1, 2 or 3")],
    )
    text = TextAreaField(
        "What does the committee recommend?",
        description="Copy the words from the minutes.",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Enter what the committee recommends"), MaxLength(TEXT_MAX, "The recommendation")],
    )
    addressed = RadioField(
        "Who is it addressed to?",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(key, label) for key, label in ADDRESSED_LABELS.items()],
    )
    cabinet_member = SelectField(
        "Which Cabinet Member?",
        description="Only if it is addressed to a Cabinet Member",
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
    )
    officer_post = StringField(
        "Which officer's job?",
        description="Only if it is addressed to an officer, for example Senior Improvement Lead",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[MaxLength(POST_MAX, "The officer's job")],
    )
    owner = SelectField(
        "Owner",
        description="The Cabinet Member or officer who makes sure it gets done",
        widget=GovSelect(),
        choices=[],
        validate_choice=False,
    )
    due_on = DayMonthYearField(
        "Date of the meeting it is due at", validators=[InputRequired("Enter the date of the meeting it is due at")]
    )

    def __init__(self, *args, cabinet_members=(), owners=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.cabinet_member.choices = _people(cabinet_members, "Choose a Cabinet Member")
        self.owner.choices = _people(owners, "Choose an owner")

    def validate_number(self, field) -> None:
        value = field.data or ""
        if not (value.isdigit() and 1 <= int(value) <= 999):
            raise ValidationError("Enter the recommendation's number as a number, like 1, 2 or 3")

    def validate_addressed(self, field) -> None:
        if field.data not in ADDRESSED_LABELS:
            raise ValidationError("Choose who the recommendation is addressed to")

    def validate_owner(self, field) -> None:
        if _id_or_none(field.data) is None:
            raise ValidationError("Choose who owns it: the Cabinet Member or officer who makes sure it gets done")

    @property
    def cabinet_member_id(self) -> int | None:
        return _id_or_none(self.cabinet_member.data)

    @property
    def owner_id(self) -> int | None:
        return _id_or_none(self.owner.data)


class ResponseForm(FlaskForm):
    status = RadioField(
        "Where has it got to?",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice(status.value, label) for status, label in STATUS_LABELS.items()],
    )
    text = TextAreaField(
        "Response",
        description="What has been done or decided. Everyone can read it.",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Say what has been done or decided"), MaxLength(RESPONSE_MAX, "The response")],
    )
    on = DayMonthYearField("Date of the response", validators=[InputRequired("Enter the date of the response")])

    def validate_status(self, field) -> None:
        if field.data not in {status.value for status in STATUS_LABELS}:
            raise ValidationError("Choose where it has got to")
