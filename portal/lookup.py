"""Loading from the database the same way everywhere: an object (or 404), an
object that belongs to another (or 404), one page of a list, and how many
rows a conditional UPDATE changed (the portal's guard against two tabs)."""

from __future__ import annotations

from typing import Any, TypeVar, cast

from flask import abort, request
from flask_sqlalchemy.pagination import Pagination
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
    found = get_or_404(model, child_id)
    if any(getattr(found, name) != value for name, value in owner.items()):
        abort(404)
    return found


def rows_changed(statement: Any) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed."""
    return cast(CursorResult, db.session.execute(statement)).rowcount


# No list the portal keeps runs to this many pages; a bigger number in the URL
# is simply past the end (an empty page), never an error.
PAGE_MAX = 10_000


def page_of(query: Any, per_page: int, param: str = "page") -> Pagination:
    """The page of ``query`` the URL asks for (``?page=``, or ``param`` when a
    page lists two things, from 1): its items, the total and the number of
    pages, in two queries."""
    page = max(1, min(request.args.get(param, 1, type=int), PAGE_MAX))
    return db.paginate(query, page=page, per_page=per_page, max_per_page=per_page, error_out=False)
