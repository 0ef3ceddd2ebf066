"""The database stopped for 20 seconds under load (#16: "only 503s, no
response stored as sent without the sender being told, recovery without
restart"), on the portal under gunicorn with the repository's settings and 2
workers, as bench/load.py runs it.

8 simulated young people keep sending complete consultation answers; a
visitor asks for /readyz. After 15 s the database is stopped for 20 s, then
started again, and the run goes on for 25 s. Every answer is listed by when
it came and what it was; afterwards the database is asked which responses are
stored as sent, against which senders saw "Your answers are sent".

Stopping the database needs a command: PORTAL_BENCH_DB_STOP and
PORTAL_BENCH_DB_START (shell commands for the cluster that
PORTAL_BENCH_DATABASE_URL is on; for example
``su postgres -c "pg_ctl -D /srv/pg -m fast stop"``). Without them it prints
"skipped: ..." and exits 0: it never stops a database it was not told how to.

Run: PORTAL_BENCH_DB_STOP=... PORTAL_BENCH_DB_START=... .venv/bin/python bench/outage.py
"""

from __future__ import annotations

import contextlib
import os
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa

from bench import load

BEFORE_SECONDS, OUTAGE_SECONDS, AFTER_SECONDS = 15, 20, 25
SENDERS = 8


class Recorded(load.Browser):
    """A browser whose every answer goes on the run's timeline."""

    timeline: list[tuple[float, str, int]] = []
    began = 0.0
    lock = threading.Lock()

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        try:
            status, target, page = super().request(method, path, form)
        except load.Failed:
            self.note(method, path, 0)
            raise
        self.note(method, path, status)
        return status, target, page

    def note(self, method: str, path: str, status: int) -> None:
        with Recorded.lock:
            Recorded.timeline.append((time.monotonic() - Recorded.began, f"{method} {load.shape(path)}", status))


def send_answers(port: int, email: str, address: str, consultation, seed: int) -> str:
    """One complete submission; what the sender was told at the end:
    "sent" (the confirmation), "not sent" (an error page before or at Send)."""
    consultation_id, questions = consultation
    rng = random.Random(seed)
    browser = Recorded(port, address)
    start = f"/consultations/{consultation_id}/respond"
    try:
        load.sign_in(browser, email, load.PASSWORD, start)
        page = browser.get(start)
        path = browser.post(start, {"csrf_token": load.token(page, start)})
        for question in questions:
            page = browser.get(path)
            path = browser.post(
                path, {"csrf_token": load.token(page, path), "action": "continue", **load.answers(question, rng)}
            )
        page = browser.get(path)
        status, target, _ = browser.request("POST", f"{start}/submit", {"csrf_token": load.token(page, path)})
        return "sent" if status in (302, 303) and target.endswith("/done") else "not sent"
    except load.Failed:
        return "not sent"
    finally:
        browser.connection.close()


def run_command(name: str) -> float:
    started = time.monotonic()
    subprocess.run(os.environ[name], shell=True, check=True, capture_output=True)
    return time.monotonic() - started


def phase(seconds: float, stopped_at: float, started_at: float) -> str:
    if seconds < stopped_at:
        return "before"
    return "during" if seconds < started_at else "after"


def main() -> None:  # noqa: C901 (one run, read top to bottom)
    if not (os.environ.get("PORTAL_BENCH_DB_STOP") and os.environ.get("PORTAL_BENCH_DB_START")):
        print("Outage (bench/outage.py): skipped: set PORTAL_BENCH_DB_STOP and PORTAL_BENCH_DB_START")
        return
    url = load.database_url()
    why_not = load.reachable(url)
    if why_not:
        print(f"Outage (bench/outage.py): skipped: {why_not}")
        return
    load.quiet()
    print(f"Outage: the database stopped for {OUTAGE_SECONDS} s while {SENDERS} young people send answers, on the")
    print("portal under gunicorn (2 workers) on PostgreSQL.")
    with load.bench_portal(url, "bench-outage-", GUNICORN_MAX_REQUESTS="0") as (world, portal, folder):
        # Workers are never replaced here, so any restart is the outage's.
        port = portal.port
        slots = iter((c, p) for c in range(len(world.consultations)) for p in range(len(world.emails)))
        told: list[tuple[str, int, str]] = []  # (email, consultation id, what the sender saw)
        stop = threading.Event()
        lock = threading.Lock()

        def sender(n: int) -> None:
            while not stop.is_set():
                try:
                    c, p = next(slots)
                except StopIteration:
                    return
                email, consultation = world.emails[p], world.consultations[c]
                outcome = send_answers(port, email, load.address_for(p), consultation, p)
                with lock:
                    told.append((email, consultation[0], outcome))
                if outcome == "not sent":
                    # As a person would, a moment before trying again: the accounts would
                    # otherwise all be used up by quick 503s before the database is back.
                    stop.wait(1)

        def prober() -> None:
            browser = Recorded(port, load.address_for(80_000))
            while not stop.is_set():
                with contextlib.suppress(load.Failed):  # on the timeline already
                    browser.request("GET", "/readyz")
                time.sleep(0.5)

        Recorded.began = time.monotonic()
        threads = [threading.Thread(target=sender, args=(n,), daemon=True) for n in range(SENDERS)]
        threads.append(threading.Thread(target=prober, daemon=True))
        for thread in threads:
            thread.start()
        time.sleep(BEFORE_SECONDS)
        stopped_at = time.monotonic() - Recorded.began
        stop_took = run_command("PORTAL_BENCH_DB_STOP")
        time.sleep(max(0.0, OUTAGE_SECONDS - stop_took))
        started_at = time.monotonic() - Recorded.began
        run_command("PORTAL_BENCH_DB_START")
        time.sleep(AFTER_SECONDS)
        stop.set()
        for thread in threads:
            thread.join(60)

        by_phase: dict[str, Counter] = {"before": Counter(), "during": Counter(), "after": Counter()}
        first_ok_after = None
        for seconds, what, status in sorted(Recorded.timeline):
            by_phase[phase(seconds, stopped_at, started_at)][status] += 1
            if seconds >= started_at and first_ok_after is None and what.startswith("POST") and status == 303:
                first_ok_after = seconds - started_at
        print()
        print(
            f"  database stopped at {stopped_at:.0f} s, started at {started_at:.0f} s (its stop took {stop_took:.1f} s)"
        )
        for name, statuses in by_phase.items():
            shown = ", ".join(f"{status or 'no answer'}: {count:,}" for status, count in sorted(statuses.items()))
            print(f"  {name:>6}: {shown}")
        odd = Counter(
            (what, status)
            for seconds, what, status in Recorded.timeline
            if phase(seconds, stopped_at, started_at) != "before" and (status >= 500 or status == 0) and status != 503
        )
        answered = Counter(
            what
            for seconds, what, status in Recorded.timeline
            if phase(seconds, stopped_at, started_at) == "during" and status == 200
        )
        if odd:
            print("  errors other than 503: " + ", ".join(f"{w} {s or 'no answer'} x{n}" for (w, s), n in odd.items()))
        print("  answered 200 while stopped: " + ", ".join(f"{w} x{n}" for w, n in answered.most_common(5)))
        events = [
            line
            for line in portal.log.read_text(errors="replace").splitlines()
            if any(word in line for word in ("WORKER TIMEOUT", "Worker exiting", "SIGKILL"))
        ]
        if events:
            print("  gunicorn: " + " | ".join(line[-90:] for line in events[-8:]))
        during = by_phase["during"]
        wrong = sum(n for status, n in during.items() if status >= 500 and status != 503) + during[0]
        print(
            f"  while stopped: {during[503]:,} answered 503, {wrong} other errors or no answer "
            f"(target: only 503s) -> {'met' if wrong == 0 else 'NOT met'}"
        )
        recovered = first_ok_after is not None and portal.restarts() == 0
        print(
            "  recovery: "
            + (
                f"the first answers sent {first_ok_after:.1f} s after the start"
                if first_ok_after is not None
                else "none"
            )
            + f", workers restarted: {portal.restarts()} -> {'met' if recovered else 'NOT met'}"
        )
        engine = sa.create_engine(url)
        try:
            with engine.connect() as connection:
                stored = {
                    (email, consultation_id)
                    for email, consultation_id in connection.execute(
                        sa.text(
                            'SELECT u.email, r.consultation_id FROM consultation_response r JOIN "user" u '
                            "ON u.id = r.respondent_id WHERE r.status = 'submitted'"
                        )
                    )
                }
        finally:
            engine.dispose()
        silent = sum(1 for email, cid, outcome in told if outcome == "not sent" and (email, cid) in stored)
        lost = sum(1 for email, cid, outcome in told if outcome == "sent" and (email, cid) not in stored)
        print(
            f"  {len(told):,} submissions tried: {sum(o == 'sent' for *_, o in told):,} told sent; "
            f"stored as sent without being told: {silent}; told sent but not stored: {lost} -> "
            f"{'met' if silent == lost == 0 else 'NOT met'}"
        )
        if os.environ.get("PORTAL_BENCH_KEEP_LOG"):
            Path(os.environ["PORTAL_BENCH_KEEP_LOG"]).write_text(portal.log.read_text(errors="replace"))


if __name__ == "__main__":
    main()
