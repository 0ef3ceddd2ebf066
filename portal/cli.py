"""Command-line tools: ``flask user create``, ``flask demo load|reset``, ``flask retention run``
and ``flask backup create|restore|list`` (portal/backup.py)."""

from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import AppGroup
from sqlalchemy.exc import IntegrityError

from portal.backup import backup_cli
from portal.roles import Role

user_cli = AppGroup("user", help="Manage accounts.")
demo_cli = AppGroup("demo", help="The demo world from the seed report.")
retention_cli = AppGroup("retention", help="Delete personal data whose retention period has ended.")


@user_cli.command("create")
@click.argument("email")
@click.option("--name", required=True, help="Display name (young people: first name and initial).")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="The person's role.")
@click.option("--age-band", default=None, help="Young people only, e.g. 14-16.")
@click.option("--district", default=None, help="Young people only.")
@click.option("--organisation", default=None, help="Partners only.")
def create_user(email: str, name: str, role: str, age_band: str | None, district: str | None, organisation: str | None):
    """Create an active account. The password is read from standard input."""
    from portal.auth.operations import find_by_email
    from portal.people.operations import create_account

    if sys.stdin.isatty():
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    if find_by_email(email) is not None:
        raise click.ClickException(f"There is already an account for {email}")
    try:
        user = create_account(
            email=email,
            display_name=name,
            role=role,
            password=password,
            age_band=age_band,
            district=district,
            organisation=organisation,
        )
    except (ValueError, IntegrityError) as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Created {user.role_label} {user.display_name} <{user.email}>")


@demo_cli.command("load")
@click.option("--if-empty", is_flag=True, help="Only load into a database with no accounts yet.")
@click.option("--upgrade", is_flag=True, help="Run the migrations first (what `make run` does, in one start).")
def demo_load(if_empty: bool, upgrade: bool):
    """Load the demo world into the database (running it twice adds nothing)."""
    from portal.demo.two_step import turn_on_for_demo_adults
    from portal.demo.world import database_is_empty, load_demo, print_sign_ins

    if upgrade:
        from flask_migrate import upgrade as upgrade_schema

        upgrade_schema()
    if if_empty and not database_is_empty():
        click.echo("The database already has accounts: demo data not loaded.")
    else:
        created = load_demo()
        turn_on_for_demo_adults()
        click.echo(f"Demo data loaded ({created} new records)." if created else "Demo data already present.")
    print_sign_ins()


@demo_cli.command("reset")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def demo_reset(yes: bool):
    """Empty every table, then load the demo world again."""
    from portal.demo.two_step import turn_on_for_demo_adults
    from portal.demo.world import load_demo, print_sign_ins, wipe

    if not yes:
        click.confirm("This deletes everything in the database. Continue?", abort=True)
    wipe()
    load_demo()
    turn_on_for_demo_adults()
    click.echo("Database emptied and demo data loaded.")
    print_sign_ins()


@demo_cli.command("code")
def demo_code():
    """The code an authenticator app shows now for the demo accounts' two-step sign-in."""
    from portal.demo.two_step import DEMO_KEY, current_code

    if current_app.config["ENV"] == "production":
        raise click.ClickException("There is no demo in production.")
    click.echo(current_code())
    click.echo(f"(the demo key, for an authenticator app: {DEMO_KEY})", err=True)


@retention_cli.command("run")
@click.option("--dry-run", is_flag=True, help="Only count what would go; change nothing.")
def retention_run(dry_run: bool):
    """Apply every retention rule (nightly in production): one line per rule with its count."""
    from portal.models.base import utcnow
    from portal.retention import RULES, run

    counts = run(utcnow(), dry_run=dry_run)
    if dry_run:
        click.echo("Dry run: nothing was changed.")
    for rule in RULES:
        done = f"would be {rule.done}" if dry_run else rule.done
        click.echo(f"{rule.label}: {counts[rule.name]} {done}")


reminders_cli = AppGroup("reminders", help="Reminders of work that is due (every morning on the queue).")


@reminders_cli.command("send")
def reminders_send():
    """Send every reminder due today: one line per kind with how many went."""
    from portal.reminders import send_due

    for kind, count in send_due().items():
        click.echo(f"{kind}: {count}")


def register_cli(app: Flask) -> None:
    app.cli.add_command(user_cli)
    app.cli.add_command(demo_cli)
    app.cli.add_command(retention_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(backup_cli)
