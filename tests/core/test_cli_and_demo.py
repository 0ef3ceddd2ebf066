"""``flask user create``, ``flask demo load`` and ``flask demo reset``."""

from __future__ import annotations

from portal.demo.world import DEMO_PASSWORD, PEOPLE, PORTFOLIOS
from portal.extensions import db
from portal.models import Portfolio, User
from tests.conftest import PortalClient


def _count(app, model) -> int:
    with app.app_context():
        return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_user_create_reads_the_password_from_stdin(app):
    runner = app.test_cli_runner()
    result = runner.invoke(
        args=["user", "create", "Ada@Example.org", "--name", "Ada L.", "--role", "officer"],
        input="a long enough password\n",
    )
    assert result.exit_code == 0, result.output
    assert "Created Council officer Ada L. <ada@example.org>" in result.output
    app.test_client_class = PortalClient
    assert app.test_client().sign_in("ada@example.org", "a long enough password").status_code == 303


def test_user_create_refuses_bad_input(app):
    runner = app.test_cli_runner()
    common = runner.invoke(
        args=["user", "create", "a@b.example", "--name", "A", "--role", "officer"], input="password\n"
    )
    assert common.exit_code != 0 and "too common" in common.output
    role = runner.invoke(
        args=["user", "create", "a@b.example", "--name", "A", "--role", "admin"], input="long password here\n"
    )
    assert role.exit_code != 0
    runner.invoke(
        args=["user", "create", "a@b.example", "--name", "A", "--role", "officer"], input="long password here\n"
    )
    again = runner.invoke(
        args=["user", "create", "A@B.example", "--name", "A", "--role", "officer"], input="long password here\n"
    )
    assert again.exit_code != 0 and "already an account" in again.output
    assert _count(app, User) == 1


def test_demo_load_is_idempotent_and_prints_sign_ins(app):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["demo", "load"])
    assert first.exit_code == 0, first.output
    assert "officer@demo.example" in first.output and DEMO_PASSWORD in first.output
    users, portfolios = _count(app, User), _count(app, Portfolio)
    assert portfolios == len(PORTFOLIOS)
    assert users == len(PEOPLE) + len(PORTFOLIOS) - 1  # the seed's Cabinet Member is in PEOPLE
    second = runner.invoke(args=["demo", "load"])
    assert "Demo data already present" in second.output
    assert (_count(app, User), _count(app, Portfolio)) == (users, portfolios)


def test_demo_load_if_empty_leaves_a_used_database_alone(app):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["user", "create", "a@b.example", "--name", "A", "--role", "officer"], input="long password here\n"
    )
    result = runner.invoke(args=["demo", "load", "--if-empty"])
    assert "already has accounts" in result.output
    assert _count(app, User) == 1


def test_demo_reset_empties_then_loads(app):
    runner = app.test_cli_runner()
    runner.invoke(
        args=["user", "create", "a@b.example", "--name", "A", "--role", "officer"], input="long password here\n"
    )
    result = runner.invoke(args=["demo", "reset", "--yes"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert db.session.scalar(db.select(User).where(User.email == "a@b.example")) is None
        chair = db.session.scalar(db.select(User).where(User.email == "chair@demo.example"))
        assert chair.role == "chair" and chair.display_name == "Daisy"
        portfolio = db.session.scalar(db.select(Portfolio).where(Portfolio.name == "Children and Young People"))
        member = db.session.get(User, portfolio.cabinet_member_id)
        assert member.display_name == "Jacquie Russell"


def test_demo_world_from_the_seed_report(app):
    app.test_cli_runner().invoke(args=["demo", "load"])
    app.test_client_class = PortalClient
    client = app.test_client()
    home = client.get("/").get_data(as_text=True)
    assert "Children and Young People" in home and "Jacquie Russell" in home
    for email, *_ in PEOPLE:
        assert client.sign_in(email, DEMO_PASSWORD).status_code == 303, email
        client.submit("/sign-out")
    with app.app_context():
        partner = db.session.scalar(db.select(User).where(User.role == "partner"))
        assert "mental health service" in partner.organisation
        young = db.session.scalars(
            db.select(User).where(User.role.in_(["young_person", "youth_member", "chair"]))
        ).all()
        assert all(u.age_band and u.district for u in young)
        adults = db.session.scalars(
            db.select(User).where(User.role.in_(["officer", "partner", "cabinet_member"]))
        ).all()
        assert all(u.age_band is None and u.district is None for u in adults)
