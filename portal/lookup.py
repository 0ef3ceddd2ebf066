"""Loading an object that belongs to another, or 404; and how many rows a
conditional UPDATE changed (the portal's guard against two tabs at once)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from flask import abort
from sqlalchemy.engine import CursorResult

from portal.extensions import db

T = TypeVar("T")


# The largest id a database integer holds: a bigger number in a URL is simply not there.
ID_MAX = 2**31 - 1


def get_or_404(model: type[T], object_id: int, *options: Any) -> T:
    """``model`` number ``object_id`` (loaded with ``options``, e.g. joinedload), or 404."""
    found = db.session.get(model, object_id, options=options) if 0 < object_id <= ID_MAX else None
    if found is None:
        abort(404)
    return found


def child_or_404(model: type[T], child_id: int, **owner: int) -> T:
    """``model`` number ``child_id``, only if it belongs where the URL says
    (e.g. ``campaign_id=...``): an id from another parent is a 404, never a leak."""
    found = db.session.get(model, child_id) if 0 < child_id <= ID_MAX else None
    if found is None or any(getattr(found, name) != value for name, value in owner.items()):
        abort(404)
    return found


def rows_changed(statement: Any) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed."""
    return cast(CursorResult, db.session.execute(statement)).rowcount
