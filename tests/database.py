"""The test databases: built once per test process, one transaction per test.

The schema is created once per pytest process (each ``pytest-xdist`` worker has
its own SQLite file or PostgreSQL database). Each test then runs inside one
transaction on one connection that is rolled back at the end: the portal's
``db.session`` is bound to that connection and joins it with a SAVEPOINT, so
an operation's ``commit()`` releases a savepoint, its ``rollback()`` goes back
to one, and nothing the test wrote reaches the disk.

A few tests need real commits seen by other connections (requests racing each
other on threads, the browser's live server, the migrations): they get a
database of their own through :func:`scratch_database_url`.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa
from flask_sqlalchemy.session import Session as FlaskSession
from sqlalchemy.engine import make_url

from portal.extensions import db

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "main")


class _Binding:
    """The connection every session of the current test uses, if any."""

    connection: sa.Connection | None = None


binding = _Binding()


class BoundSession(FlaskSession):
    """Flask-SQLAlchemy's session, sent to the test's connection while a test
    holds one; otherwise (a live server, a scratch database) to the app's engine."""

    def get_bind(self, mapper=None, clause=None, bind=None, **kwargs):
        if bind is None and binding.connection is not None:
            return binding.connection
        return super().get_bind(mapper=mapper, clause=clause, bind=bind, **kwargs)


def install_test_session() -> None:
    """Replace ``db.session`` once, before any app exists. Every app context
    still gets its own session (the portal's scoping); only the bind changes."""
    db.session = db._make_scoped_session({"class_": BoundSession, "join_transaction_mode": "create_savepoint"})


def _postgres_database(base_url: str, name: str) -> str:
    """A new, empty PostgreSQL database beside the one in ``base_url``."""
    url = make_url(base_url)
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _drop_postgres_database(base_url: str, name: str) -> None:
    admin = sa.create_engine(make_url(base_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@contextmanager
def scratch_database_url(folder: Path, purpose: str) -> Iterator[str]:
    """A database of this process's own for ``purpose``, dropped afterwards."""
    base = os.environ.get("PORTAL_DATABASE_URL")
    if not base:
        yield f"sqlite:///{folder / f'{purpose}.db'}"
        return
    name = f"{make_url(base).database}_{WORKER}_{purpose}"
    url = _postgres_database(base, name)
    try:
        yield url
    finally:
        _drop_postgres_database(base, name)


def transactional_sqlite(engine: sa.Engine) -> None:
    """One outer transaction with savepoints on SQLite needs pysqlite's own
    transactions off and our BEGIN: the portal's engine already works so
    (portal/database.py); this checks it."""
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        assert connection.connection.dbapi_connection.isolation_level is None


@contextmanager
def transaction_for_test(engine: sa.Engine) -> Iterator[sa.Connection]:
    """One connection in one transaction for a test; everything rolled back.
    Sessions end with their app context (Flask-SQLAlchemy removes them), so
    none is open here."""
    connection = engine.connect()
    transaction = connection.begin()
    if engine.dialect.name == "postgresql":
        # Sequences are not rolled back: start them again, so ids begin at 1
        # on every test as on an empty database (and as SQLite does).
        connection.exec_driver_sql("SELECT setval(c.oid, 1, false) FROM pg_class c WHERE c.relkind = 'S'")
    binding.connection = connection
    try:
        yield connection
    finally:
        binding.connection = None
        if transaction.is_active:
            transaction.rollback()
        connection.close()


@contextmanager
def rolled_back(connection: sa.Connection) -> Iterator[None]:
    """A savepoint inside the test's transaction, rolled back when the block
    ends: what happens inside leaves no trace for the next block."""
    savepoint = connection.begin_nested()
    try:
        yield
    finally:
        if savepoint.is_active:
            savepoint.rollback()
