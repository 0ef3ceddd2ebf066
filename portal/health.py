"""Whether this process is up, and whether what it needs answers (#16): for
the load balancer and for whoever watches the service.

``/healthz`` says only that the process answers (no database, no session);
``/readyz`` asks the database for ``SELECT 1`` and, when the rate limits are
counted in Redis, pings Redis. Neither sets a cookie or may be cached.
"""

from __future__ import annotations

import logging
from contextlib import suppress

from flask import current_app
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from portal.extensions import db, limiter

log = logging.getLogger(__name__)

OK = "ok"
UNAVAILABLE = "unavailable"
NOT_USED = "not used"


def database_answers() -> bool:
    try:
        db.session.execute(select(1))
    except SQLAlchemyError as error:
        log.warning("Readiness: the database did not answer (%s)", error.__class__.__name__)
        return False
    finally:
        with suppress(SQLAlchemyError):  # the connection is gone: the pool drops it
            db.session.rollback()
    return True


def uses_redis() -> bool:
    return str(current_app.config.get("RATELIMIT_STORAGE_URI", "")).startswith(("redis", "rediss"))


def redis_answers() -> bool:
    """The rate limits' own Redis storage pings (limits' ``check()`` catches its errors)."""
    try:
        answered = bool(limiter.storage.check())
    except Exception as error:  # a client error of any kind: not ready
        log.warning("Readiness: Redis did not answer (%s)", error.__class__.__name__)
        return False
    if not answered:
        log.warning("Readiness: Redis did not answer")
    return answered


def readiness() -> tuple[dict[str, str], bool]:
    """Each dependency's state, and whether all are ready."""
    checks = {"database": OK if database_answers() else UNAVAILABLE}
    if uses_redis():
        checks["redis"] = OK if redis_answers() else UNAVAILABLE
    else:
        checks["redis"] = NOT_USED
    return checks, UNAVAILABLE not in checks.values()
