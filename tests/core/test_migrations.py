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
