"""Forms for the officers' moderation and the partner's "You said, we did"."""

from __future__ import annotations

from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovRadioInput, GovTextArea, GovTextInput
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import HiddenInput

from portal.forms import clean_text


class ModerateForm(FlaskForm):
    decision = RadioField(
        "Your decision",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[SelectChoice("approve", "Approve: it may be quoted"), SelectChoice("hide", "Hide it")],
    )
    reason = TextAreaField("Why (needed when you hide it)", widget=GovTextArea(), filters=[clean_text])
    themes = StringField(
        "Themes",
        widget=GovTextInput(),
        filters=[clean_text],
        description="Separate themes with commas, for example: waiting times, schools",
    )


class FeedbackForm(FlaskForm):
    text = TextAreaField("What did you do with the answers?", widget=GovTextArea(), filters=[clean_text])


class ReturnFeedbackForm(FlaskForm):
    """An officer sends the partner's "You said, we did" back (#13.5)."""

    comment = TextAreaField(
        "What needs to change before it is published?",
        widget=GovTextArea(),
        filters=[clean_text],
        description="The partner sees this when they open “You said, we did”.",
    )


class ChangeDecisionForm(FlaskForm):
    """An officer corrects a decision on an answer (#14.19). ``was`` is the
    decision they saw; the ``list_*`` fields bring them back to the same page
    of decided answers."""

    decision = RadioField(
        "New decision",
        widget=GovRadioInput(),
        validate_choice=False,
        choices=[
            SelectChoice("approve", "Approve it: it may be quoted"),
            SelectChoice("hide", "Hide it: it is never quoted"),
            SelectChoice("wait", "Put it back in the queue, to decide again later"),
        ],
    )
    reason = TextAreaField("Why are you changing it? (needed when you hide it)", filters=[clean_text])
    themes = StringField("Themes", filters=[clean_text])
    was = StringField(widget=HiddenInput())
    number = StringField(widget=HiddenInput())
    list_decision = StringField(widget=HiddenInput())
    list_consultation = StringField(widget=HiddenInput())
    list_page = StringField(widget=HiddenInput())
