"""Statuses are enums: written once, checked before the database and by it."""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import IntegrityError, StatementError

from portal.extensions import db
from portal.models import Campaign, CampaignStatus


def test_a_status_outside_its_enum_is_refused(app):
    with app.app_context():
        db.session.add(Campaign(slug="x", title="X", status="bogus"))
        with pytest.raises(StatementError):
            db.session.flush()
        db.session.rollback()


def test_the_database_refuses_it_too(app):
    """The CHECK constraint made from the enum holds for SQL that bypasses the model."""
    with app.app_context():
        db.session.add(Campaign(slug="y", title="Y"))
        db.session.commit()
        with pytest.raises(IntegrityError, match="status_known"):
            db.session.execute(text("UPDATE campaign SET status = 'bogus' WHERE slug = 'y'"))
        db.session.rollback()


def test_a_status_reads_back_as_its_enum(app):
    with app.app_context():
        db.session.add(Campaign(slug="z", title="Z", status="active"))
        db.session.commit()
        db.session.expire_all()
        status = db.session.scalar(select(Campaign.status))
    assert status is CampaignStatus.ACTIVE and status == "active"
