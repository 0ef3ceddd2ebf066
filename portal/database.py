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
"""

from __future__ import annotations

from flask import has_request_context, request
from sqlalchemy import Engine, event

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
