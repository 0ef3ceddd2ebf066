"""Plan and office forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSelect, GovTextArea, GovTextInput
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError

from portal.forms import DayMonthYearField, MaxLength, clean_text
from portal.models.plan import PLAN_KINDS


class PlanItemForm(FlaskForm):
    title = StringField(
        "What is it?",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter what is on the plan"), MaxLength(120, "This")],
    )
    kind = SelectField(
        "Kind", widget=GovSelect(), validate_choice=False, choices=[SelectChoice(k, v) for k, v in PLAN_KINDS.items()]
    )
    on = DayMonthYearField("Date", validators=[InputRequired("Enter the date")])
    campaign = SelectField("Campaign (optional)", widget=GovSelect(), choices=[], validate_choice=False)
    note = StringField(
        "Note (optional)", widget=GovTextInput(), filters=[clean_text], validators=[MaxLength(500, "The note")]
    )

    def __init__(self, *args, campaigns=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign.choices = [SelectChoice("", "None")] + [SelectChoice(str(c.id), c.title) for c in campaigns]

    def validate_campaign(self, field) -> None:
        if field.data and not field.data.isdigit():
            raise ValidationError("Choose a campaign from the list")


class MoveForm(FlaskForm):
    to_date = DayMonthYearField("New date", validators=[InputRequired("Enter the new date")])
    reason = TextAreaField(
        "Why is it moving?",
        description='For example, "pushed forward because of Covid-19".',
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Say why it is moving"), MaxLength(1000, "The reason")],
    )


class CancelForm(FlaskForm):
    reason = TextAreaField(
        "Why is it cancelled?",
        description='For example, "cancelled because of Covid-19: we will meet online instead".',
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[DataRequired("Say why it is cancelled"), MaxLength(1000, "The reason")],
    )


class OfficeForm(FlaskForm):
    title = StringField(
        "Office",
        description="For example, Vice-Chair or Campaigns lead",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter the office"), MaxLength(80, "The office")],
    )
    holder = SelectField("Held by", widget=GovSelect(), choices=[], validate_choice=False)
    starts_on = DayMonthYearField("From", validators=[InputRequired("Enter the date it starts")])
    ends_on = DayMonthYearField("Until (optional)", validators=[Optional()])

    def __init__(self, *args, members=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.holder.choices = [SelectChoice("", "Choose a member")] + [
            SelectChoice(str(m.id), m.display_name) for m in members
        ]

    def validate_holder(self, field) -> None:
        if not (field.data or "").isdigit():
            raise ValidationError("Choose a Youth Cabinet member from the list")
