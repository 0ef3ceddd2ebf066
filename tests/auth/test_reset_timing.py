"""Asking for a password reset answers as fast for an email with an account as
for one without (#15: it was about twice as slow, the audit entry and its
commit being done in the request). The lookup, the audit entry and the mail
now happen after the answer (portal/background.py), as in production."""

from __future__ import annotations

import statistics
import threading
import time

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEntry
from tests.conftest import PortalClient, add_person, outbox_messages

ROUNDS = 15
WARM_UP = 3
# Each timing is the fastest of a few requests of one kind: on a shared
# machine another process takes the processor in the middle of about half of
# these few-millisecond requests, which makes a plain median flip between
# "hit" and "not hit"; the fastest of three is rarely hit.
TRIES = 3
# Medians of interleaved timings: a busy machine slows both kinds alike.
MOST = 1.5
# A long burst of other work can still tilt one measurement, so one over the
# limit is taken again (the old code was 2 to 4 times slower for a known
# email, every time).
ATTEMPTS = 3


def _settle(seconds: float = 10) -> None:
    """Wait until the work done after earlier answers has finished, so that it
    does not slow the next request (which would measure the machine, not the page)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(t.name == "portal-after-response" for t in threading.enumerate()):
        time.sleep(0.002)


def _wait_for_mails(app, count: int, seconds: float = 30) -> list:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        mails = outbox_messages(app)
        if len(mails) >= count:
            return mails
        time.sleep(0.05)
    return outbox_messages(app)


def _measure(client: PortalClient, token: str, attempt: int, known: list[str]) -> dict[str, list[float]]:
    """Seconds per answer (the fastest of TRIES), known and unknown emails taking turns."""
    times: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(ROUNDS + WARM_UP):
        # Alternate which goes first, so neither always follows the other.
        for kind in ("known", "unknown") if n % 2 else ("unknown", "known"):
            fastest = float("inf")
            for t in range(TRIES):
                i = n * TRIES + t
                email = known[i] if kind == "known" else f"nobody{attempt}-{i}@test.example"
                # Each from its own address: the forgot-password limits are not what is measured.
                address = f"10.{attempt}.{i}.{1 if kind == 'known' else 2}"
                _settle()
                start = time.perf_counter()
                response = client.post(
                    "/forgot-password",
                    data={"email": email, "csrf_token": token},
                    environ_base={"REMOTE_ADDR": address},
                )
                fastest = min(fastest, time.perf_counter() - start)
                assert response.status_code == 200, response.get_data(as_text=True)
            if n >= WARM_UP:
                times[kind].append(fastest)
    return times


@pytest.mark.commits
def test_reset_answers_take_as_long_for_known_and_unknown_emails(app, running_queue):
    # The queue and its worker, as in production (tests/conftest.py).
    app.test_client_class = PortalClient
    client: PortalClient = app.test_client()  # type: ignore[assignment]
    token = client.csrf_token()
    asked: list[str] = []
    ratios = []
    for attempt in range(ATTEMPTS):
        with app.app_context():
            known = [
                add_person("young_person", email=f"known{attempt}-{n}@test.example").email
                for n in range((ROUNDS + WARM_UP) * TRIES)
            ]
        asked += known
        times = _measure(client, token, attempt, known)
        medians = sorted(statistics.median(times[kind]) for kind in times)
        ratios.append(medians[1] / medians[0])
        if ratios[-1] < MOST:
            break
    assert ratios[-1] < MOST, ratios

    # The work was still done, after the answers: one link to each known address, none to the others.
    mails = _wait_for_mails(app, len(asked))
    assert sorted(str(mail["To"]) for mail in mails) == sorted(asked)
    with app.app_context():
        requested = select(func.count(AuditEntry.id)).where(AuditEntry.action == "account.reset_requested")
        assert db.session.scalar(requested) == len(asked)
