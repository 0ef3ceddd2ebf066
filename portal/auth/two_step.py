"""Two-step sign-in for adults (#15, ASVS 6.3.3): after the password, a
6-digit code from an authenticator app (TOTP, RFC 6238), or one of ten
single-use recovery codes.

Who is asked: the roles in the TWO_STEP_ROLES setting (officers, Cabinet
Members and partners by default; the Chair if added), and anyone who set it up.
Someone whose role is listed and who has not set it up is taken to the set-up
at their next sign-in: nobody with a listed role is signed in on a password
alone. Young people are never asked.

Between the password and the code the person is not signed in: the session
holds only who passed the password, when, and where to go next (``PENDING``),
for ``PENDING_MINUTES``.

Each operation states its rule, writes its audit entry and the security log
line, and commits.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta

import pyotp
import segno
from flask import current_app, session
from markupsafe import Markup
from sqlalchemy import delete, func, select, update

from portal.audit import record
from portal.extensions import db
from portal.lookup import rows_changed
from portal.mail import send_mail_later
from portal.models import RecoveryCode, RememberedDevice, User
from portal.models.base import utcnow
from portal.roles import Role
from portal.security_log import security_event

PENDING = "two_step_pending"
PENDING_MINUTES = 10
RECOVERY_CODES = 10
# Recovery codes: 10 characters from an alphabet without look-alikes (no 0/o,
# 1/l/i), about 49 bits each, shown as two groups of five.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 10


# Who is asked ------------------------------------------------------------------


def required_for(user: User) -> bool:
    """Whether the person's role must use two-step sign-in (the setting)."""
    return user.role in set(current_app.config["TWO_STEP_ROLES"])


def asked_for(user: User) -> bool:
    return user.has_two_step or required_for(user)


def may_set_up(user: User) -> bool:
    """Adults and the Chair may set it up; young people are never asked
    (unless a council lists their role)."""
    return required_for(user) or not user.role_enum.is_young or user.role_enum is Role.CHAIR


def may_turn_off(user: User) -> bool:
    return user.has_two_step and not required_for(user)


# Between the password and the code -----------------------------------------------


def begin(user: User, next_url: str | None) -> None:
    """The password was right: remember who, for a few minutes, in a fresh session."""
    session.clear()
    session[PENDING] = {"user": user.id, "version": user.session_version, "at": time.time(), "next": next_url}


def pending_user() -> User | None:
    """The person between their password and their code, if still in time."""
    state = session.get(PENDING)
    if not isinstance(state, dict):
        return None
    if time.time() - float(state.get("at", 0)) > PENDING_MINUTES * 60:
        session.pop(PENDING, None)
        return None
    user = db.session.get(User, state.get("user"))
    if user is None or not user.active or user.session_version != state.get("version"):
        return None
    return user


def pending_next() -> str | None:
    state = session.get(PENDING)
    return state.get("next") if isinstance(state, dict) else None


def end_pending() -> None:
    session.pop(PENDING, None)


# Codes from the app ----------------------------------------------------------------


def new_secret() -> str:
    return pyotp.random_base32()  # 160 bits, the RFC's recommendation


def key_in_groups(secret: str) -> str:
    """The key as people type it into an app: groups of four."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def setup_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=current_app.config["YOUTH_CABINET_NAME"])


def qr_code(user: User, secret: str) -> Markup:
    """The set-up link as a QR code, drawn here as SVG (no outside service)."""
    svg = segno.make(setup_uri(user, secret), error="m").svg_inline(
        scale=4, svgclass="portal-qr", lineclass=None, title="QR code to scan with your authenticator app"
    )
    # The title names the picture; role="img" makes screen readers read it so.
    return Markup(svg.replace("<svg ", '<svg role="img" aria-label="QR code to scan with your authenticator app" ', 1))


def normalise_code(raw: str | None) -> str:
    """What people type: "123 456" and "123-456" are "123456"."""
    return "".join(ch for ch in (raw or "") if not ch.isspace() and ch != "-")


def matching_step(secret: str, code: str, at: float | None = None) -> int | None:
    """The 30-second time step whose code this is, allowing one step either
    side for a phone's clock; None if it matches none."""
    totp = pyotp.TOTP(secret)
    now = int(time.time() if at is None else at)
    step = now // totp.interval
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def _claim_step(user: User, step: int) -> bool:
    """Record the step as used unless it (or a later one) already was: one
    conditional UPDATE, so two requests with one code cannot both pass."""
    claimed = rows_changed(
        update(User)
        .where(User.id == user.id)
        .where((User.two_step_last_step.is_(None)) | (User.two_step_last_step < step))
        .values(two_step_last_step=step)
    )
    return claimed == 1


def check_code(user: User, raw: str) -> bool:
    """A code from the person's app, used once. Logged and audited either way."""
    step = matching_step(user.two_step_secret or "", normalise_code(raw)) if user.two_step_secret else None
    passed = step is not None and _claim_step(user, step)
    record(user, "account.two_step_passed" if passed else "account.two_step_failed", "user", user.id)
    db.session.commit()
    security_event("two_step.passed" if passed else "two_step.failed", user=user, method="app")
    return passed


# Recovery codes ------------------------------------------------------------------


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def normalise_recovery_code(raw: str | None) -> str:
    return "".join(ch for ch in (raw or "").lower() if ch.isalnum())


def _make_recovery_codes(user: User) -> list[str]:
    """Ten new codes in place of any old ones (not committed)."""
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = ["".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH)) for _ in range(RECOVERY_CODES)]
    db.session.add_all(RecoveryCode(user_id=user.id, code_hash=_hash(code)) for code in codes)
    return [f"{code[:5]}-{code[5:]}" for code in codes]


def recovery_codes_left(user: User) -> int:
    return (
        db.session.scalar(select(func.count()).where(RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None)))
        or 0
    )


def use_recovery_code(user: User, raw: str) -> int | None:
    """Sign in with a recovery code, which then never works again: the number
    of codes left, or None when it is not one of the person's unused codes."""
    code = normalise_recovery_code(raw)
    used = rows_changed(
        update(RecoveryCode)
        .where(RecoveryCode.user_id == user.id, RecoveryCode.code_hash == _hash(code), RecoveryCode.used_at.is_(None))
        .values(used_at=utcnow())
    )
    passed = len(code) == RECOVERY_LENGTH and used == 1
    if not passed:
        db.session.rollback()
    record(user, "account.recovery_code_used" if passed else "account.two_step_failed", "user", user.id)
    db.session.commit()
    security_event("two_step.passed" if passed else "two_step.failed", user=user, method="recovery code")
    return recovery_codes_left(user) if passed else None


# Setting up, renewing, turning off, resetting ---------------------------------


@dataclass
class SetUp:
    recovery_codes: list[str]


def set_up(user: User, secret: str, raw_code: str) -> SetUp | None:
    """Turn two-step sign-in on with the secret the person's app now holds, once
    a code from the app proves it. Returns the recovery codes (shown once)."""
    step = matching_step(secret, normalise_code(raw_code))
    if step is None:
        security_event("two_step.failed", user=user, method="set-up")
        return None
    user.two_step_secret = secret
    user.two_step_enabled_at = utcnow()
    user.two_step_last_step = step
    db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))
    codes = _make_recovery_codes(user)
    record(user, "account.two_step_set_up", "user", user.id)
    db.session.commit()
    security_event("two_step.set_up", user=user)
    return SetUp(codes)


def renew_recovery_codes(user: User, raw_code: str) -> list[str] | None:
    """Ten new recovery codes (the old ones stop working), after a code from the app."""
    if not check_code(user, raw_code):
        return None
    codes = _make_recovery_codes(user)
    record(user, "account.recovery_codes_renewed", "user", user.id)
    db.session.commit()
    security_event("two_step.recovery_codes_renewed", user=user)
    return codes


def _clear(user: User) -> None:
    user.two_step_secret = None
    user.two_step_enabled_at = None
    user.two_step_last_step = None
    db.session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))


def turn_off(user: User, raw_code: str) -> bool:
    """The person turns it off themselves (only when their role does not need
    it), after a code from the app."""
    if not may_turn_off(user) or not check_code(user, raw_code):
        return False
    _clear(user)
    record(user, "account.two_step_turned_off", "user", user.id)
    db.session.commit()
    security_event("two_step.turned_off", user=user)
    return True


def reset(officer: User, person: User) -> None:
    """An officer resets someone's second step (a lost phone and lost codes):
    the person's sessions end, and they set it up again at their next sign-in
    if their role needs it. They are told by email."""
    _clear(person)
    person.session_version += 1
    record(officer, "account.two_step_reset", "user", person.id)
    db.session.commit()
    security_event("two_step.reset", user=officer, person=person.id)
    config = current_app.config
    send_mail_later(
        person.email,
        "Your two-step sign-in was reset",
        f"Hello {person.display_name},\n\n"
        f"{officer.display_name} reset the two-step sign-in of your account on the "
        f"{config['YOUTH_CABINET_NAME']} portal, and you were signed out.\n"
        + (
            "When you next sign in, you will set it up again with your authenticator app.\n\n"
            if required_for(person)
            else "You can set it up again from your account page.\n\n"
        )
        + "If you did not ask for this, tell the council straight away by replying to this email.\n\n"
        f"{config['COUNCIL_NAME']}\n",
    )


# Remembered devices ----------------------------------------------------------------


def device_cookie_name() -> str:
    """A __Host- cookie in production: sent only over HTTPS, to this host, for every path."""
    return "__Host-portal-device" if current_app.config.get("SESSION_COOKIE_SECURE") else "portal-device"


def remember_days() -> int:
    return int(current_app.config["TWO_STEP_REMEMBER_DAYS"])


def remember_device(user: User) -> str:
    """A new remembered device: the token for the cookie (only its hash is kept)."""
    token = secrets.token_urlsafe(32)
    db.session.add(
        RememberedDevice(
            user_id=user.id, token_hash=_hash(token), expires_at=utcnow() + timedelta(days=remember_days())
        )
    )
    record(user, "account.device_remembered", "user", user.id)
    db.session.commit()
    return token


def is_remembered(user: User, token: str | None) -> bool:
    if not token or not user.has_two_step or remember_days() <= 0:
        return False
    found = db.session.scalar(
        select(RememberedDevice.id).where(
            RememberedDevice.user_id == user.id,
            RememberedDevice.token_hash == _hash(token),
            RememberedDevice.expires_at > utcnow(),
        )
    )
    return found is not None


def remembered_count(user: User) -> int:
    return (
        db.session.scalar(
            select(func.count()).where(RememberedDevice.user_id == user.id, RememberedDevice.expires_at > utcnow())
        )
        or 0
    )


def forget_devices(user: User) -> None:
    db.session.execute(delete(RememberedDevice).where(RememberedDevice.user_id == user.id))
    record(user, "account.devices_forgotten", "user", user.id)
    db.session.commit()
    security_event("two_step.devices_forgotten", user=user)
