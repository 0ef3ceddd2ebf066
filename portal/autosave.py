"""Autosave with version checks: one mechanism for every long text the portal edits
(the Chair's statement; the Cabinet Member's update uses the same pieces).

How it works:
- The editor form carries ``base_version``: the version of the text it was loaded from.
- The page's script (static/js/autosave.mjs) posts the form with htmx after a
  pause in typing and when the field loses focus; with JavaScript off, the Save
  button posts the same form.
- ``check_version`` refuses a save based on an older version: the operation
  keeps the refused text as a revision and raises ``VersionConflict``; the view
  shows both texts side by side (``conflict_response``). Nothing is overwritten.
- Saves by the same person within ``FOLD_WINDOW`` fold into one revision
  (``should_fold``), so the history stays readable.
- A failed save (network, server restarting) leaves the text in the page; the
  script retries with back-off and keeps a copy in the browser's storage.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any, Protocol

from flask import make_response, render_template
from flask_wtf import FlaskForm
from jinja2_fragments.flask import render_block
from wtforms import IntegerField
from wtforms.validators import InputRequired
from wtforms.widgets import HiddenInput

from portal.extensions import db
from portal.models.base import utcnow
from portal.models.user import User
from portal.permissions import is_htmx

FOLD_WINDOW = timedelta(minutes=5)


class VersionConflict(Exception):
    """A save based on an older version than the one stored."""

    def __init__(self, current_version: int, current_text: str, their_text: str, saved_by: str, saved_at: datetime):
        super().__init__("version conflict")
        self.current_version = current_version
        self.current_text = current_text
        self.their_text = their_text
        self.saved_by = saved_by
        self.saved_at = saved_at


class AutosaveForm(FlaskForm):
    """The base of every autosaving editor form."""

    base_version = IntegerField(
        widget=HiddenInput(),
        validators=[InputRequired("Reload the page and try again")],
    )


def is_stale(current_version: int, base_version: int) -> bool:
    return base_version != current_version


def should_fold(
    last_author_id: int | None,
    last_kind: str | None,
    last_saved_at: datetime | None,
    author_id: int,
    kind: str,
    now: datetime,
) -> bool:
    """Fold this save into the last revision: same person, both autosaves, close in time."""
    return (
        last_saved_at is not None
        and last_author_id == author_id
        and last_kind == "autosave"
        and kind == "autosave"
        and now - last_saved_at <= FOLD_WINDOW
    )


class VersionedText(Protocol):
    """A row whose text autosaves: the statement, a paragraph of the update."""

    text: str
    version: int
    updated_by_id: int | None
    updated_at: datetime


def apply_save(
    target: VersionedText,
    text: str,
    base_version: int,
    actor: User,
    kind: str,
    *,
    last_revision: Callable[[], Any],
    add_revision: Callable[[str, str, int, datetime], None],
) -> bool:
    """The one save rule for every autosaving text, whatever it belongs to.

    - Based on an older version: the refused text is added as a 'conflict'
      revision and VersionConflict is raised (the operation commits, so the
      text is kept, then lets it go up to the view).
    - The same text as saved: nothing to do (False).
    - Otherwise the text is saved with a new version, and the revision is
      either the last one folded in (same person, autosaves, within
      FOLD_WINDOW) or a new one (True). The operation records and commits.

    ``last_revision()`` returns the newest revision row (with author_id,
    kind, saved_at, text, version) or None; ``add_revision(text, kind,
    version, now)`` adds one."""
    db.session.refresh(target, with_for_update=True)  # PostgreSQL: the second of two saves waits here
    now = utcnow()
    if is_stale(target.version, base_version):
        if text == target.text:
            return False  # the same text: nothing to choose between
        add_revision(text, "conflict", target.version, now)
        saved_by = db.session.get(User, target.updated_by_id) if target.updated_by_id else None
        raise VersionConflict(
            target.version, target.text, text, saved_by.display_name if saved_by else "someone", target.updated_at
        )
    if text == target.text:
        return False
    target.text = text
    target.version += 1
    target.updated_by_id = actor.id
    target.updated_at = now
    last = last_revision()
    if last is not None and should_fold(last.author_id, last.kind, last.saved_at, actor.id, kind, now):
        last.text, last.version, last.saved_at = text, target.version, now
    else:
        add_revision(text, kind, target.version, now)
    return True


def status_response(template: str, status: int = 200, **context):
    """The status line (and the new base version, out of band) for htmx."""
    html = render_template(template, **context)
    response = make_response(html, status)
    response.headers["Vary"] = "HX-Request"
    return response


def conflict_response(template: str, block: str, target: str = "#autosave-editor", **context):
    """Both texts side by side (409). htmx swaps ``block`` over ``target`` (the
    editor it replaces); without JavaScript the whole page comes back."""
    if is_htmx():
        response = make_response(render_block(template, block, **context), 409)
        response.headers["HX-Retarget"] = target
        response.headers["HX-Reswap"] = "outerHTML"
    else:
        response = make_response(render_template(template, **context), 409)
    response.headers["Vary"] = "HX-Request"
    return response
