"""Forms for the Chair's statement."""

from __future__ import annotations

from flask import current_app
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovTextArea
from wtforms import TextAreaField
from wtforms.validators import ValidationError

from portal.autosave import AutosaveForm
from portal.forms import MaxLength, clean_text


class StatementForm(AutosaveForm):
    text = TextAreaField(
        "Your statement",
        widget=GovTextArea(),
        # Keep the Chair's own line breaks; only control characters go.
        filters=[lambda value: clean_text(value) if value is not None else ""],
    )

    def validate_text(self, field) -> None:
        limit = int(current_app.config["STATEMENT_MAX_CHARS"])
        if len(field.data or "") > limit:
            raise ValidationError(
                f"Your statement is too long to save: it has {len(field.data):,} characters and the most is "
                f"{limit:,}. Make it shorter. The text you saved before is safe."
            )


class CommentForm(FlaskForm):
    comment = TextAreaField(
        "What should the Chair change?",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[MaxLength(2000, "Your comment")],
    )


class ReopenForm(FlaskForm):
    reason = TextAreaField(
        "Why are you reopening it?",
        widget=GovTextArea(),
        filters=[clean_text],
        validators=[MaxLength(2000, "The reason")],
    )
