"""The one refusal: a change a rule refuses, said in words for the person who
asked, and the form field it concerns.

Every feature's operations raise it (or a thin subclass named for the
feature, so a view can catch just its own); views show it next to the field.
"""

from __future__ import annotations

from typing import Any


class RuleError(Exception):
    """A step the rules refuse. ``message`` is for the person; ``field`` names
    the form field it concerns, or None when it concerns the whole form."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field

    def show_on(self, form: Any, fallback: str) -> None:
        """Put the message on its field of ``form`` (or on ``fallback`` when
        it names none), replacing what the field said before."""
        getattr(form, self.field or fallback).errors = [self.message]
