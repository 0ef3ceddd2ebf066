"""Two-step sign-in in the demo (#15): the officer and the Cabinet Member have
it on, with one published demo key, so that anyone trying the portal can sign
in as them (`make code` prints the code an app would show). The partner has it
off, so their first sign-in shows the set-up. Never used in production: the
commands refuse there."""

from __future__ import annotations

import base64

import pyotp
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.models.base import utcnow

# The key an authenticator app is given for the demo accounts (32 base32 characters).
DEMO_KEY = base64.b32encode(b"youth-cabinet-portal-demo").decode().rstrip("=")[:32]
DEMO_ACCOUNTS = ("officer@demo.example", "cabinet.member@demo.example")


def turn_on_for_demo_adults() -> None:
    for user in db.session.scalars(select(User).where(User.email.in_(DEMO_ACCOUNTS))):
        if not user.has_two_step:
            user.two_step_secret = DEMO_KEY
            user.two_step_enabled_at = utcnow()
    db.session.commit()


def current_code() -> str:
    return pyotp.TOTP(DEMO_KEY).now()
