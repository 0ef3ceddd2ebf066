"""Backups (#16.5): ``flask backup create``, ``flask backup restore`` and ``flask backup list``.

SQLite (the embedded database): the commands do the work themselves with
SQLite's online backup API, which copies a consistent snapshot while the
portal keeps running (WAL journal: readers and the writer do not wait for
the copy). A backup is one self-contained file, readable by its owner only:
it holds everything the database holds, personal data included.

PostgreSQL: the commands print the ``pg_dump`` / ``pg_restore`` command to
run, without the password, rather than run it. ``pg_dump`` must be the
server's major version or newer, the dump may have to be written on another
host than the portal's, and a password on a command line is visible to every
user of the machine; the council's scheduled backups own those choices.

A restore refuses a file that is missing, not a database, not the portal's
(no ``alembic_version`` table) or from a newer schema than this code knows,
and first copies the current database aside.
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy.engine import URL, make_url

from portal.templating import file_size

backup_cli = AppGroup("backup", help="Back up the database, and restore a backup.")

# Backups hold personal data: the retention periods apply to them too. One
# older than this outlives what `flask retention run` deleted (README.md).
KEEP_DAYS = 30
STAMP = "%Y%m%d-%H%M%S"  # UTC, so that names sort in the order they were made
SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"  # pg_dump --format=custom
BACKUP_SUFFIXES = (".db", ".dump")


def _database_url() -> URL:
    return make_url(str(current_app.config["SQLALCHEMY_DATABASE_URI"]))


def _backup_folder() -> Path:
    return Path(current_app.instance_path) / "backups"


def _now() -> str:
    return datetime.now(UTC).strftime(STAMP)


def _size(path: Path) -> str:
    return file_size(path.stat().st_size)


def _sqlite_file(url: URL) -> Path:
    if not url.database or url.database == ":memory:" or url.database.startswith("file::memory:"):
        raise click.ClickException("The database is in memory only: there is no file to back up or restore.")
    return Path(url.database)


def _libpq_url(url: URL) -> str:
    """The URL as pg_dump and pg_restore take it: no driver name (+psycopg),
    no password (they ask for it, or read ~/.pgpass or PGPASSWORD)."""
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def _target(path: Path | None, suffix: str) -> Path:
    """Where a new backup goes: ``path``, a new name in it if it is a folder,
    or a new name in instance/backups/. Never a file that exists."""
    if path is None or path.is_dir():
        path = (path or _backup_folder()) / f"portal-{_now()}{suffix}"
    if path.exists():
        raise click.ClickException(f"{path} already exists: a backup never overwrites a file. Choose another name.")
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def _copy_sqlite(source: Path, target: Path, busy_seconds: float) -> None:
    """A consistent copy of ``source`` into ``target`` with the online backup
    API, safe while the portal writes. ``target`` is a new file (owner only)
    or a live database, which keeps its WAL journal."""
    new_file = not target.exists()
    if new_file:
        os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    reader = sqlite3.connect(source, timeout=busy_seconds)
    try:
        writer = sqlite3.connect(target, timeout=busy_seconds)
        try:
            reader.backup(writer)
            # A backup is one file; the live database stays in WAL mode (portal/database.py).
            writer.execute(f"PRAGMA journal_mode = {'DELETE' if new_file else 'WAL'}")
        finally:
            writer.close()
    finally:
        reader.close()


def _known_schemas() -> tuple[set[str], str]:
    """Every schema revision this code's migrations know, and the newest."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory(current_app.extensions["migrate"].directory)
    return {revision.revision for revision in script.walk_revisions()}, str(script.get_current_head())


def _schema_of_sqlite_backup(path: Path) -> str:
    """The schema revision of a SQLite backup of the portal; a clear refusal otherwise."""
    if not path.is_file():
        raise click.ClickException(f"There is no file at {path}: nothing was restored.")
    with path.open("rb") as file:
        if file.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
            raise click.ClickException(f"{path} is not a SQLite database, so it is not a backup of the portal.")
    reader = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        if reader.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise click.ClickException(f"{path} is damaged: SQLite's check of it failed.")
        has_version = reader.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
        ).fetchone()
        row = reader.execute("SELECT version_num FROM alembic_version").fetchone() if has_version else None
    except sqlite3.DatabaseError as error:
        raise click.ClickException(f"{path} cannot be read as a database ({error}).") from None
    finally:
        reader.close()
    if row is None:
        raise click.ClickException(
            f"{path} is a SQLite database but not the portal's: it has no schema version (alembic_version)."
        )
    known, head = _known_schemas()
    if row[0] not in known:
        raise click.ClickException(
            f"{path} comes from a newer version of the portal (schema {row[0]}; this code knows up to {head}). "
            "Update the portal's code first, then restore it."
        )
    return str(row[0])


@backup_cli.command("create")
@click.argument("path", required=False, type=click.Path(path_type=Path))
def backup_create(path: Path | None):
    """Back up the database (SQLite: into instance/backups/ unless PATH says
    otherwise; PostgreSQL: prints the pg_dump command)."""
    url = _database_url()
    if url.get_backend_name() != "sqlite":
        target = _target(path, ".dump").resolve()
        click.echo("On PostgreSQL, run pg_dump (the server's major version or newer) as the portal's database user:")
        click.echo(f"  pg_dump --format=custom --file={shlex.quote(str(target))} {shlex.quote(_libpq_url(url))}")
        click.echo("It asks for the password, or reads it from ~/.pgpass or PGPASSWORD.")
        return
    database = _sqlite_file(url)
    if not database.is_file():
        raise click.ClickException(f"There is no database at {database} yet: nothing to back up.")
    target = _target(path, ".db")
    try:
        _copy_sqlite(database, target, float(current_app.config["SQLITE_BUSY_SECONDS"]))
    except sqlite3.Error as error:
        target.unlink(missing_ok=True)
        raise click.ClickException(f"The backup failed ({error}); nothing was written.") from None
    click.echo(f"Backed up {database} to {target} ({_size(target)}).")


@backup_cli.command("restore")
@click.argument("path", type=click.Path(path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def backup_restore(path: Path, yes: bool):
    """Replace the database with the backup at PATH (SQLite; PostgreSQL:
    prints the pg_restore command). The current database is copied aside first."""
    url = _database_url()
    if url.get_backend_name() != "sqlite":
        _print_pg_restore(url, path)
        return
    database = _sqlite_file(url)
    schema = _schema_of_sqlite_backup(path)
    if database.exists() and database.resolve() == path.resolve():
        raise click.ClickException(f"{path} is the portal's database itself: choose a backup.")
    if not yes:
        click.confirm(
            f"This replaces everything in {database} with {path}. Stop the portal first. Continue?", abort=True
        )
    _restore_sqlite(path, database, schema)


def _restore_sqlite(path: Path, database: Path, schema: str) -> None:
    busy_seconds = float(current_app.config["SQLITE_BUSY_SECONDS"])
    aside = None
    if database.is_file():
        aside = _target(_backup_folder() / f"{database.stem}-before-restore-{_now()}.db", ".db")
        _copy_sqlite(database, aside, busy_seconds)
        click.echo(f"Copied the current database to {aside} ({_size(aside)}).")
    database.parent.mkdir(parents=True, exist_ok=True)
    try:
        _copy_sqlite(path, database, busy_seconds)
    except sqlite3.Error as error:
        kept = f" The database as it was is in {aside}." if aside else ""
        raise click.ClickException(f"The restore failed ({error}).{kept}") from None
    click.echo(f"Restored {path} (schema {schema}) into {database}.")
    _, head = _known_schemas()
    if schema != head:
        click.echo(f"This code's schema is {head}: run `flask db upgrade` before starting the portal.")
    click.echo(
        "Then run `flask retention run`: the backup may hold personal data whose retention period has ended since."
    )


def _print_pg_restore(url: URL, path: Path) -> None:
    if not path.is_file():
        raise click.ClickException(f"There is no file at {path}: nothing to restore.")
    with path.open("rb") as file:
        if file.read(len(PG_DUMP_HEADER)) != PG_DUMP_HEADER:
            raise click.ClickException(f"{path} is not a pg_dump archive (made with --format=custom).")
    click.echo("On PostgreSQL, stop the portal, then run pg_restore as the portal's database user:")
    click.echo(
        "  pg_restore --clean --if-exists --no-owner "
        f"--dbname={shlex.quote(_libpq_url(url))} {shlex.quote(str(path.resolve()))}"
    )
    click.echo("It asks for the password, or reads it from ~/.pgpass or PGPASSWORD.")
    click.echo("Then run `flask db upgrade` and `flask retention run` before starting the portal.")


@backup_cli.command("list")
def backup_list():
    """The backups in instance/backups/, newest first, with their size and age."""
    folder = _backup_folder()
    found = [p for p in folder.glob("*") if p.suffix in BACKUP_SUFFIXES and p.is_file()] if folder.is_dir() else []
    if not found:
        click.echo(f"No backups in {folder}.")
        return
    click.echo(f"Backups in {folder}, newest first:")
    now = datetime.now(UTC)
    for path in sorted(found, key=lambda p: p.stat().st_mtime, reverse=True):
        days = (now - datetime.fromtimestamp(path.stat().st_mtime, UTC)).days
        old = f" (older than {KEEP_DAYS} days: delete it)" if days > KEEP_DAYS else ""
        click.echo(f"  {path.name}  {_size(path)}  {days} day{'' if days == 1 else 's'} old{old}")
