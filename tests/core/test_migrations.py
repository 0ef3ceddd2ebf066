"""The schema is made by the migrations: they run up and down, and agree with the models."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from portal.extensions import db
from tests.conftest import make_app
from tests.database import scratch_database_url


@pytest.fixture
def empty_app(tmp_path):
    """An app on an empty database of its own (the migrations commit)."""
    with scratch_database_url(tmp_path, "migrations") as url:
        app = make_app(tmp_path, database_url=url)
        with app.app_context():
            _drop_everything()
            yield app
            _drop_everything()
            db.session.remove()
            db.engine.dispose()


def _drop_everything() -> None:
    db.session.remove()
    db.drop_all()
    with db.engine.begin() as connection:
        connection.execute(text("DROP TABLE IF EXISTS alembic_version"))


def _tables() -> set[str]:
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_to_head_then_down_to_base(empty_app):
    upgrade()
    assert {"user", "audit_entry", "portfolio"} <= _tables()
    downgrade(revision="base")
    assert _tables() == set()
    upgrade()  # and up again: downgrades leave nothing behind
    assert {"user", "audit_entry", "portfolio"} <= _tables()


def test_models_agree_with_migrations(empty_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


def test_the_report_month_is_filled_in_for_versions_published_before_it(empty_app):
    """0011 (#14.13): a version published before the column existed is filed
    under its period's month (or, with no period, its meeting's)."""
    from datetime import date

    from portal.models import CabinetUpdate, UpdateVersion, User

    upgrade()
    author = User(email="member@test.example", display_name="A Member", role="cabinet_member")
    db.session.add(author)
    db.session.flush()
    with_period = CabinetUpdate(
        author_id=author.id, title="November", meeting_date=date(2026, 12, 3), period_start=date(2026, 11, 1)
    )
    without = CabinetUpdate(author_id=author.id, title="No period", meeting_date=date(2026, 12, 17))
    db.session.add_all([with_period, without])
    db.session.flush()
    for update in (with_period, without):
        db.session.add(
            UpdateVersion(
                update_id=update.id,
                number=1,
                title=update.title,
                meeting_date=update.meeting_date,
                report_month=date(1999, 1, 1),
                author_name="A Member",
                content={},
                html="",
                search_text="",
            )
        )
    db.session.commit()
    ids = {update.title: update.id for update in (with_period, without)}
    db.session.remove()
    downgrade(revision="0010")
    upgrade()
    months = dict(db.session.execute(text("SELECT update_id, report_month FROM update_version")).all())
    db.session.remove()
    as_text = {key: str(value) for key, value in months.items()}
    assert as_text == {ids["November"]: "2026-11-01", ids["No period"]: "2026-12-01"}


def test_make_runs_one_command_migrates_and_loads_the_demo(empty_app):
    """#14.27: `flask demo load --if-empty --upgrade` (what `make run` runs)
    builds the schema by the migrations, then loads the demo; again, nothing more."""
    result = empty_app.test_cli_runner().invoke(args=["demo", "load", "--if-empty", "--upgrade"])
    assert result.exit_code == 0, result.output
    assert "Demo data loaded" in result.output and {"user", "consultation", "update_version"} <= _tables()
    again = empty_app.test_cli_runner().invoke(args=["demo", "load", "--if-empty", "--upgrade"])
    assert again.exit_code == 0 and "demo data not loaded" in again.output
