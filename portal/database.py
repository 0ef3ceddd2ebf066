"""The database engine's settings (#16): SQLite, the embedded default, set up
so that it loses nothing when many people write at once.

- WAL journal: readers do not wait for a writer, nor a writer for readers.
- A busy timeout: a writer waits its turn for up to SQLITE_BUSY_SECONDS
  instead of failing at once with "database is locked".
- ``BEGIN IMMEDIATE`` for every transaction that may write (any request that
  is not GET or HEAD, and work outside a request: commands, mail threads). It
  takes SQLite's one write lock at the start, so the read-check-write of an
  operation (a statement's version, a response's state) cannot interleave
  with another writer's, which PostgreSQL gives with ``SELECT ... FOR UPDATE``
  (which SQLite ignores). A deferred transaction that reads and then writes
  can instead fail with SQLITE_BUSY when another writer got in between,
  whatever the timeout.

pysqlite's own transaction handling is turned off (SQLAlchemy's documented
recipe), so that the BEGIN is ours; savepoints then work too.

On every database, a pooled connection that has sat unused for a while is
tested before it is handed out (``ping_when_idle``), so the portal carries on
by itself once a database that was away is back.
"""

from __future__ import annotations

import time

from flask import has_request_context, request
from sqlalchemy import Engine, event
from sqlalchemy.exc import DisconnectionError

READ_ONLY_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# Set in the request context of work done after the answer (portal/background.py).
BACKGROUND = "portal.background"
# Its value for a job that reads for long and writes only in short transactions
# of its own that begin with the write (a spreadsheet of 100,000 responses):
# holding the write lock while it reads would stop every other writer.
READS_FIRST = "reads_first"


def may_write() -> bool:
    """Whether the transaction about to start may write."""
    if has_request_context():
        job = request.environ.get(BACKGROUND)
        if job == READS_FIRST:
            return False
        if not job:
            return request.method not in READ_ONLY_METHODS
    return True  # commands, and work done after the answer (portal/background.py)


# When a pooled connection was last given back (in its record's ``info``).
RETURNED_AT = "portal.returned_at"


def ping_when_idle(engine: Engine, idle_seconds: float) -> None:
    """Test a pooled connection with ``SELECT 1`` before handing it out, but
    only when it has not been used for ``idle_seconds``: SQLAlchemy's
    ``pool_pre_ping`` tests on every checkout, one more round trip to the
    database in every request. A connection in steady use needs no test: if the
    database goes away, the statement that fails is answered with the 503 page
    and SQLAlchemy drops every connection made before it, so the next requests
    connect afresh."""

    @event.listens_for(engine, "checkin")
    def _on_checkin(_dbapi_connection, record) -> None:
        record.info[RETURNED_AT] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _on_checkout(dbapi_connection, record, _proxy) -> None:
        returned = record.info.get(RETURNED_AT)
        if returned is None or time.monotonic() - returned < idle_seconds:
            return  # just made, or in steady use
        try:
            # The dialect's own test, as pool_pre_ping's: on PostgreSQL it leaves no transaction open.
            engine.dialect.do_ping(dbapi_connection)
        except Exception as error:  # any failure: the pool makes a new connection and tries again
            raise DisconnectionError(f"an idle connection no longer answers: {error}") from error


def configure_sqlite(engine: Engine, busy_seconds: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record) -> None:
        dbapi_connection.isolation_level = None  # no BEGIN from the driver: ours, below
        cursor = dbapi_connection.cursor()
        try:
            cursor.execute(f"PRAGMA busy_timeout = {int(busy_seconds * 1000)}")
            if cursor.execute("PRAGMA journal_mode").fetchone()[0] != "memory":
                cursor.execute("PRAGMA journal_mode = WAL")
        finally:
            cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write() else "BEGIN")
