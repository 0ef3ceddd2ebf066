"""``flask backup create|restore|list`` and ``make backup`` (#16.5).

The round trip runs on the database the suite runs on: SQLite through the
commands themselves, PostgreSQL through the pg_dump and pg_restore commands
they print. The refusals are SQLite's (the PostgreSQL commands only print),
so they use a SQLite file on both; the printed PostgreSQL commands are
checked against a URL with a password on both.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from flask import Flask
from flask_migrate import stamp
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from tests.conftest import add_person, make_app
from tests.database import scratch_database_url

ROOT = Path(__file__).resolve().parents[2]
HEAD = ScriptDirectory(str(ROOT / "migrations")).get_current_head()


def _portal_app(tmp_path: Path, url: str) -> Iterator[Flask]:
    """An app with real commits on a database of its own at the newest schema
    (tables from the models, stamped as the migrations would leave them), and
    its instance folder (instance/backups/) under ``tmp_path``."""
    app = make_app(tmp_path, database_url=url)
    app.instance_path = str(tmp_path / "instance")
    with app.app_context():
        db.session.remove()
        db.drop_all()
        db.create_all()
        stamp()
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()


@pytest.fixture
def portal_app(tmp_path) -> Iterator[Flask]:
    """On the suite's database: SQLite, or PostgreSQL under PORTAL_DATABASE_URL."""
    with scratch_database_url(tmp_path, "backup") as url:
        yield from _portal_app(tmp_path, url)


@pytest.fixture
def sqlite_app(tmp_path) -> Iterator[Flask]:
    """On a SQLite file whatever the suite runs on."""
    yield from _portal_app(tmp_path, f"sqlite:///{tmp_path / 'portal.db'}")


def _emails(app: Flask) -> set[str]:
    with app.app_context():
        emails = set(db.session.scalars(select(User.email)))
        db.session.remove()
        return emails


def _add(app: Flask, email: str) -> None:
    with app.app_context():
        add_person("officer", email=email)
        db.session.remove()


def _remove(app: Flask, email: str) -> None:
    with app.app_context():
        db.session.delete(db.session.scalars(select(User).where(User.email == email)).one())
        db.session.commit()
        db.session.remove()


def _backups(app: Flask, pattern: str = "*") -> list[Path]:
    return sorted((Path(app.instance_path) / "backups").glob(pattern))


def _printed(output: str, program: str) -> list[str]:
    (line,) = [line for line in output.splitlines() if line.strip().startswith(program + " ")]
    return shlex.split(line)


def _postgres_tool(name: str) -> str:
    """pg_dump or pg_restore: CI installs PostgreSQL, so there a missing one fails the test."""
    found = shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin")
    if found is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is not installed: CI needs it for the PostgreSQL round trip.")
        pytest.skip(f"{name} is not installed on this machine")
    return found


def test_a_restored_backup_brings_the_data_back(portal_app):
    runner = portal_app.test_cli_runner()
    _add(portal_app, "before@test.example")
    with portal_app.app_context():
        dialect = db.engine.dialect.name

    created = runner.invoke(args=["backup", "create"])
    assert created.exit_code == 0, created.output
    if dialect == "postgresql":
        pg_dump = _printed(created.output, "pg_dump")
        subprocess.run([_postgres_tool("pg_dump"), *pg_dump[1:]], check=True, capture_output=True)
    (backup,) = _backups(portal_app)
    assert re.fullmatch(r"portal-\d{8}-\d{6}\.(db|dump)", backup.name)

    _remove(portal_app, "before@test.example")
    _add(portal_app, "after@test.example")
    assert _emails(portal_app) == {"after@test.example"}

    restored = runner.invoke(args=["backup", "restore", str(backup)], input="y\n")
    assert restored.exit_code == 0, restored.output
    if dialect == "postgresql":
        with portal_app.app_context():
            db.engine.dispose()
        pg_restore = _printed(restored.output, "pg_restore")
        assert pg_restore[1:5] == ["--clean", "--if-exists", "--no-owner", pg_restore[4]]
        subprocess.run([_postgres_tool("pg_restore"), *pg_restore[1:]], check=True, capture_output=True)
    else:
        assert "This replaces everything" in restored.output
        (aside,) = _backups(portal_app, "backup-before-restore-*.db")
        assert f"Copied the current database to {aside}" in restored.output
        assert f"Restored {backup} (schema {HEAD})" in restored.output
        assert "flask retention run" in restored.output
        with sqlite3.connect(aside) as before_restore:
            assert before_restore.execute("SELECT email FROM user").fetchall() == [("after@test.example",)]
        assert backup.stat().st_mode & 0o777 == 0o600  # personal data: its owner only
    assert _emails(portal_app) == {"before@test.example"}


def test_a_backup_is_one_file_and_never_overwrites(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    _add(sqlite_app, "someone@test.example")
    target = tmp_path / "chosen.db"
    first = runner.invoke(args=["backup", "create", str(target)])
    assert first.exit_code == 0, first.output
    assert re.fullmatch(rf"Backed up .*portal\.db to {re.escape(str(target))} \(\d+ KB\)\.\n", first.output)
    assert not Path(f"{target}-wal").exists()  # not in WAL mode: the file is the whole backup
    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT email FROM user").fetchall() == [("someone@test.example",)]
        assert copy.execute("SELECT version_num FROM alembic_version").fetchall() == [(HEAD,)]
    written = target.read_bytes()
    again = runner.invoke(args=["backup", "create", str(target)])
    assert again.exit_code != 0
    assert "already exists: a backup never overwrites a file" in again.output
    assert target.read_bytes() == written


def _not_a_database(path: Path) -> None:
    path.write_text("name,email\nAda,ada@test.example\n")


def _without_schema_version(path: Path) -> None:
    with sqlite3.connect(path) as other:
        other.execute("CREATE TABLE notes (body TEXT)")
    other.close()


def _from_a_newer_portal(path: Path) -> None:
    with sqlite3.connect(path) as newer:
        newer.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL)")
        newer.execute("INSERT INTO alembic_version VALUES ('9999')")
    newer.close()


@pytest.mark.parametrize(
    ("make_file", "refusal"),
    [
        (None, "There is no file at {path}: nothing was restored."),
        (_not_a_database, "{path} is not a SQLite database, so it is not a backup of the portal."),
        (_without_schema_version, "{path} is a SQLite database but not the portal's"),
        (_from_a_newer_portal, "{path} comes from a newer version of the portal (schema 9999; this code knows up to"),
    ],
    ids=["missing", "not-a-database", "no-alembic-version", "newer-schema"],
)
def test_restore_refuses_what_is_not_a_backup_of_the_portal(sqlite_app, tmp_path, make_file, refusal):
    _add(sqlite_app, "kept@test.example")
    path = tmp_path / "offered.db"
    if make_file:
        make_file(path)
    result = sqlite_app.test_cli_runner().invoke(args=["backup", "restore", str(path), "--yes"])
    assert result.exit_code != 0
    assert refusal.format(path=path) in " ".join(result.output.split())
    assert _emails(sqlite_app) == {"kept@test.example"}
    assert _backups(sqlite_app) == []  # nothing copied aside either


def test_restore_asks_first_and_no_changes_nothing(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    _add(sqlite_app, "first@test.example")
    runner.invoke(args=["backup", "create", str(tmp_path / "first.db")])
    _add(sqlite_app, "second@test.example")
    result = runner.invoke(args=["backup", "restore", str(tmp_path / "first.db")], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
    assert _emails(sqlite_app) == {"first@test.example", "second@test.example"}


def test_restoring_an_older_schema_says_to_upgrade(sqlite_app, tmp_path):
    runner = sqlite_app.test_cli_runner()
    older = tmp_path / "older.db"
    runner.invoke(args=["backup", "create", str(older)])
    with sqlite3.connect(older) as backup:
        backup.execute("UPDATE alembic_version SET version_num = '0001'")
    backup.close()
    result = runner.invoke(args=["backup", "restore", str(older), "--yes"])
    assert result.exit_code == 0, result.output
    assert f"This code's schema is {HEAD}: run `flask db upgrade` before starting the portal." in result.output


def test_postgresql_commands_are_printed_without_the_password(tmp_path):
    app = make_app(
        tmp_path, database_url="postgresql+psycopg://portal:s3cret-pw@db.internal:5433/portal?sslmode=require"
    )
    app.instance_path = str(tmp_path / "instance")
    runner = app.test_cli_runner()
    url = "postgresql://portal@db.internal:5433/portal?sslmode=require"

    created = runner.invoke(args=["backup", "create"])
    assert created.exit_code == 0, created.output
    pg_dump = _printed(created.output, "pg_dump")
    assert pg_dump[:2] == ["pg_dump", "--format=custom"] and pg_dump[3] == url and len(pg_dump) == 4
    dump = Path(pg_dump[2].removeprefix("--file="))  # named here, written by pg_dump
    assert dump.parent == Path(app.instance_path) / "backups" and dump.parent.is_dir() and not dump.exists()
    assert re.fullmatch(r"portal-\d{8}-\d{6}\.dump", dump.name)

    archive = tmp_path / "nightly.dump"
    archive.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(64))
    restored = runner.invoke(args=["backup", "restore", str(archive)])
    assert restored.exit_code == 0, restored.output
    assert _printed(restored.output, "pg_restore") == [
        "pg_restore",
        "--clean",
        "--if-exists",
        "--no-owner",
        f"--dbname={url}",
        str(archive),
    ]
    for output in (created.output, restored.output):
        assert "s3cret" not in output and "***" not in output
        assert "~/.pgpass or PGPASSWORD" in output

    (tmp_path / "notes.txt").write_text("not a dump")
    for path, refusal in [
        (tmp_path / "missing.dump", "There is no file at"),
        (tmp_path / "notes.txt", "is not a pg_dump archive"),
    ]:
        refused = runner.invoke(args=["backup", "restore", str(path)])
        assert refused.exit_code != 0 and refusal in refused.output


def test_backup_list_shows_the_newest_first_and_flags_old_ones(sqlite_app):
    runner = sqlite_app.test_cli_runner()
    folder = Path(sqlite_app.instance_path) / "backups"
    assert runner.invoke(args=["backup", "list"]).output == f"No backups in {folder}.\n"
    runner.invoke(args=["backup", "create", str(folder / "portal-20250101-020000.db")])
    runner.invoke(args=["backup", "create", str(folder / "portal-20250301-020000.db")])
    forty_days_ago = time.time() - 40 * 86400
    os.utime(folder / "portal-20250101-020000.db", (forty_days_ago, forty_days_ago))
    lines = runner.invoke(args=["backup", "list"]).output.splitlines()
    assert lines[0] == f"Backups in {folder}, newest first:"
    assert re.fullmatch(r"  portal-20250301-020000\.db  \d+ KB  0 days old", lines[1])
    assert re.fullmatch(
        r"  portal-20250101-020000\.db  \d+ KB  40 days old \(older than 30 days: delete it\)", lines[2]
    )


def test_make_backup_creates_one():
    planned = subprocess.run(
        ["make", "--no-print-directory", "-n", "backup"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout
    assert planned.strip() == ".venv/bin/flask backup create"
