"""Shared form pieces: plain-words validators used by every feature's forms."""

from __future__ import annotations

import unicodedata

from wtforms import Field
from wtforms.validators import ValidationError


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
