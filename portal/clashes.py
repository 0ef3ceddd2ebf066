"""Requests that race each other: a double click, two tabs, two people at the
same moment. Each passes its operation's check that a title, an email, a month
or a reference is free before the other has saved, and the database's unique
constraint stops the one that saves second.

Run again, the operation that came second sees the other's row, so its own
rules decide what the person is told: the form's message ("There is already a
portfolio with this name"), or the row to carry on with (this month's
statement, already started), or another free value (a reference, a web
address). Never a server error.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from sqlalchemy.exc import IntegrityError

from portal.extensions import db

P = ParamSpec("P")
T = TypeVar("T")

# Each clash means another request saved first, so every run gets further; the
# limit only stops a clash the operation's own check cannot see from looping.
TRIES = 25


def is_duplicate(error: IntegrityError) -> bool:
    """Whether the database refused a value a unique constraint already holds
    (not a missing parent row or a broken check, which running again cannot mend)."""
    state = getattr(error.orig, "sqlstate", None) or getattr(error.orig, "pgcode", None)
    return state == "23505" or "UNIQUE constraint failed" in str(error.orig)


def again_if_it_clashes(operation: Callable[P, T]) -> Callable[P, T]:
    """Decorate an operation (it checks its rules, then commits) so that a
    duplicate refused by the database rolls back and runs the operation again,
    checks and all, as if it had come second."""

    @wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        for _ in range(TRIES - 1):
            try:
                return operation(*args, **kwargs)
            except IntegrityError as error:
                if not is_duplicate(error):
                    raise
                db.session.rollback()
        return operation(*args, **kwargs)

    return run
