"""Campaign forms."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovSelect,
    GovTextArea,
    GovTextInput,
)
from wtforms import BooleanField, IntegerField, SelectField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Optional, ValidationError
from wtforms.widgets import HiddenInput

from portal.forms import DayMonthYearField, MaxLength, clean_text
from portal.lookup import ID_MAX
from portal.models.campaign import CHANNELS, CampaignStatus

WHOLE_NUMBER = "Enter a whole number, like 250"


class WholeNumberField(IntegerField):
    """A count of people: whole, not negative, in plain words when it is not."""

    def process_formdata(self, valuelist):
        if not valuelist or not valuelist[0].strip():
            self.data = None
            return
        raw = valuelist[0].strip().replace(",", "")
        if not raw.lstrip("-").isdigit():
            self.data = None
            raise ValueError(WHOLE_NUMBER)
        self.data = int(raw)
        if self.data < 0:
            raise ValueError("The number cannot be less than 0")


class CampaignForm(FlaskForm):
    title = StringField(
        "Title",
        widget=GovTextInput(),
        filters=[clean_text],
        validators=[DataRequired("Enter a title for the campaign"), MaxLength(120, "The title")],
    )
    summary = TextAreaField(
        "Summary",
        description="One or two sentences for the list of campaigns.",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[MaxLength(300, "The summary")],
    )
    body = TextAreaField(
        "About the campaign",
        description="Leave an empty line between paragraphs. Start a line with - for a list. *Stars* make emphasis; "
        "[words](https://example.org) make a link.",
        widget=GovTextArea(),
        filters=[lambda v: clean_text(v) if v is not None else ""],
        validators=[MaxLength(20000, "The text")],
    )
    status = SelectField(
        "Status",
        widget=GovSelect(),
        validate_choice=False,
        choices=[SelectChoice(s.value, s.label) for s in CampaignStatus],
    )
    starts_on = DayMonthYearField("Start date (optional)", validators=[Optional()])
    ends_on = DayMonthYearField("End date (optional)", validators=[Optional()])
    portfolio = SelectField("Cabinet portfolio it relates to", widget=GovSelect(), choices=[], validate_choice=False)
    goal = WholeNumberField(
        "Goal: how many people do you want to reach? (optional)", widget=GovTextInput(), validators=[Optional()]
    )
    leads = SelectMultipleField(
        "Who leads it?",
        description="Youth Cabinet members who run the campaign. To add someone, find them by name below.",
        widget=GovCheckboxesInput(),
        choices=[],
        validate_choice=False,
    )
    # Not saved: the words typed to find a member for the leads picker (#16.4).
    find_member = StringField(
        "Find a member",
        description="Type part of their name.",
        widget=GovTextInput(),
        filters=[lambda v: (v or "").strip()[:60]],
    )
    base_version = IntegerField(widget=HiddenInput(), validators=[Optional()])

    def __init__(self, *args, portfolios=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.portfolio.choices = [SelectChoice("", "None")] + [SelectChoice(str(p.id), p.name) for p in portfolios]
        self._portfolio_ids = {str(p.id) for p in portfolios}

    def chosen_leads(self) -> list[int]:
        """The ticked leads that are numbers at all (who they are is the operation's rule)."""
        return [int(v) for v in self.leads.data or [] if v.isdigit() and 0 < int(v) <= ID_MAX]

    def show_members(self, members) -> None:
        """The checkboxes to show: the chosen leads and the members found."""
        self.leads.choices = [SelectChoice(str(m.id), m.display_name) for m in members]

    def validate_leads(self, field) -> None:
        # Only Youth Cabinet members may lead: operations._check_leads checks the ids themselves.
        if len(self.chosen_leads()) != len(field.data or []):
            raise ValidationError("Choose leads from the list of Youth Cabinet members")

    def validate_portfolio(self, field) -> None:
        if field.data and field.data not in self._portfolio_ids:
            raise ValidationError("Choose a portfolio from the list")


class ReachForm(FlaskForm):
    on = DayMonthYearField("Date", validators=[InputRequired("Enter the date")])
    channel = SelectField(
        "Where", widget=GovSelect(), validate_choice=False, choices=[SelectChoice(k, v) for k, v in CHANNELS.items()]
    )
    people = WholeNumberField(
        "People reached",
        widget=GovTextInput(),
        validators=[InputRequired("Enter how many people were reached, like 250")],
    )
    impressions = WholeNumberField("Impressions (optional)", widget=GovTextInput(), validators=[Optional()])
    note = StringField(
        "Note (optional)", widget=GovTextInput(), filters=[clean_text], validators=[MaxLength(300, "The note")]
    )
    confirm_big = BooleanField("Yes, this number is right", widget=GovCheckboxInput())


class ReturnChangesForm(FlaskForm):
    """Sending a lead's changes back (#13.5): what needs to change before they go public."""

    comment = TextAreaField(
        "What needs to change before these changes go public?",
        widget=GovTextArea(),
        filters=[clean_text],
        description="The lead sees this when they open the campaign to change it.",
        validators=[
            DataRequired("Write what needs to change, so the lead knows what to do"),
            MaxLength(1000, "The comment"),
        ],
    )
