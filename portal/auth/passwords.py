"""Password rules and hashing (argon2id)."""

from __future__ import annotations

import gzip
from functools import cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

MIN_LENGTH = 8
MAX_LENGTH = 128
HERE = Path(__file__).parent
# Django's list of the 20,000 most common passwords, lowercased (common_passwords_source.md)...
COMMON_PASSWORDS_LIST = HERE / "common_passwords.txt.gz"
# ...and the few this portal's own people would pick first.
LOCAL_PASSWORDS_LIST = HERE / "common_passwords.txt"
TOO_COMMON = (
    "That password is too common to be safe because it is one of the most common passwords, "
    "which people try first. Choose a different one"
)


@cache
def _hasher(fast: bool) -> PasswordHasher:
    # Tests hash hundreds of passwords: a cheap setting keeps them quick.
    if fast:
        return PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
    return PasswordHasher()


@cache
def common_passwords() -> frozenset[str]:
    """The refused passwords, in lower case (compared in lower case)."""
    with gzip.open(COMMON_PASSWORDS_LIST, "rt", encoding="utf-8") as listed:
        words = {line.strip().lower() for line in listed}
    local = LOCAL_PASSWORDS_LIST.read_text(encoding="utf-8").splitlines()
    words.update(line.strip().lower() for line in local if not line.startswith("#"))
    words.discard("")
    return frozenset(words)


def hash_password(password: str) -> str:
    return _hasher(bool(current_app.config.get("PASSWORD_HASH_FAST"))).hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    """Check a password. With no hash, still spend the time, so that timing tells nothing."""
    hasher = _hasher(bool(current_app.config.get("PASSWORD_HASH_FAST")))
    if password_hash is None:
        hasher.hash(password)
        return False
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def password_problem(password: str, email: str | None = None) -> str | None:
    """What is wrong with a new password, in plain words, or None."""
    if len(password) < MIN_LENGTH:
        return f"Your password must be at least {MIN_LENGTH} characters long"
    if len(password) > MAX_LENGTH:
        return f"Your password must be {MAX_LENGTH} characters or fewer"
    if password.strip() == "":
        return "Your password cannot be only spaces"
    lowered = password.lower()
    if lowered in common_passwords():
        return TOO_COMMON
    if email and lowered == email.lower():
        return "Your password cannot be your email address"
    return None
