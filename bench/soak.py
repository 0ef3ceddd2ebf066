"""The portal's memory over a long run (#16: "memory flat, within 10%, over a
10-minute soak"), under gunicorn with the repository's settings and 2 workers
on PostgreSQL, as bench/load.py runs it, but with workers never replaced
(GUNICORN_MAX_REQUESTS=0: production replaces each after about 1,000
requests, which would hide a leak).

For SOAK_SECONDS (600; PORTAL_BENCH_SOAK_SECONDS changes it) 8 simulated
people keep the portal busy: 4 send complete consultation answers (sign in,
every question, check, send), 4 ask for pages (the question page as a young
person, the Chair's statement editor, a search of the updates with a new word
each time, so nothing is served from the visitors' page cache). Every 30 s the
workers' resident memory (VmRSS from /proc) is read. The figure: the workers'
memory at the end against after the first minute (warm: templates compiled,
connections opened).

Run: .venv/bin/python bench/soak.py   (or `make bench`). Without PostgreSQL it
prints "skipped: ..." and exits 0.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import load

SOAK_SECONDS = int(os.environ.get("PORTAL_BENCH_SOAK_SECONDS", "600"))
WARM_SECONDS = 60
SAMPLE_EVERY = 30
TARGET_GROWTH = 0.10


def workers_of(master: int) -> list[int]:
    found = subprocess.run(["pgrep", "-P", str(master)], capture_output=True, text=True).stdout.split()
    return [int(pid) for pid in found]


def rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:  # noqa: C901 (one run, read top to bottom)
    url = load.database_url()
    why_not = load.reachable(url)
    if why_not:
        print(f"Soak (bench/soak.py): skipped: {why_not}")
        return
    load.quiet()
    print(f"Soak: the portal's workers' memory over {SOAK_SECONDS} s of steady use, gunicorn with 2 workers never")
    print("replaced (GUNICORN_MAX_REQUESTS=0), PostgreSQL; 4 people sending answers, 4 asking for pages.")
    with load.bench_portal(url, "bench-soak-", GUNICORN_MAX_REQUESTS="0") as (world, portal, folder):
        # Workers never replaced: a leak is not hidden by replacing them.
        port = portal.port
        stop = threading.Event()
        counts: Counter = Counter()
        lock = threading.Lock()

        slots = iter(
            (c, p) for c in range(len(world.consultations)) for p in range(len(world.emails) - load.PAGE_CLIENTS)
        )

        def sender(n: int) -> None:
            while not stop.is_set():
                try:
                    c, p = next(slots)
                except StopIteration:
                    return
                try:
                    load.submit_one(port, world.emails[p], load.address_for(p), world.consultations[c], p)
                    outcome = "submissions"
                except load.Failed:
                    outcome = "failed submissions"
                with lock:
                    counts[outcome] += 1

        consultation_id, questions = world.page_consultation
        start = f"/consultations/{consultation_id}/respond"

        def reader(n: int) -> None:
            young = load.Browser(port, load.address_for(70_000 + n))
            load.sign_in(young, world.emails[-(n + 1)], load.PASSWORD, start)
            page = young.get(start)
            young.post(start, {"csrf_token": load.token(page, start)})
            chair = load.Browser(port, load.address_for(71_000 + n))
            load.sign_in(chair, load.CHAIR_EMAIL, load.DEMO_PASSWORD)
            visitor = load.Browser(port, load.address_for(72_000 + n))
            word = 0
            while not stop.is_set():
                word += 1
                for browser, path in (
                    (young, f"{start}/{questions[0].id}"),
                    (chair, f"/statements/{world.statement_month}"),
                    (visitor, f"/updates/search?q=youth{n}x{word}"),
                ):
                    try:
                        browser.get(path)
                        outcome = "pages"
                    except load.Failed:
                        outcome = "failed pages"
                    with lock:
                        counts[outcome] += 1

        threads = [threading.Thread(target=sender, args=(n,), daemon=True) for n in range(4)]
        threads += [threading.Thread(target=reader, args=(n,), daemon=True) for n in range(4)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        samples: list[tuple[float, int, int]] = []
        while (elapsed := time.monotonic() - began) < SOAK_SECONDS:
            time.sleep(min(SAMPLE_EVERY, SOAK_SECONDS - elapsed))
            pids = workers_of(portal.process.pid)
            samples.append((time.monotonic() - began, sum(rss_kib(pid) for pid in pids), len(pids)))
        stop.set()
        for thread in threads:
            thread.join(30)
        print()
        print("  time    workers' memory (both)")
        for seconds, kib, workers in samples:
            print(f"  {seconds:5.0f} s  {kib / 1024:8.1f} MiB ({workers} workers)")
        warm = next(kib for seconds, kib, _ in samples if seconds >= WARM_SECONDS)
        end = samples[-1][1]
        growth = (end - warm) / warm
        print(
            f"  after the first minute {warm / 1024:.1f} MiB, at the end {end / 1024:.1f} MiB: "
            f"{growth:+.1%} (target: within {TARGET_GROWTH:.0%}) -> "
            f"{'met' if abs(growth) <= TARGET_GROWTH else 'NOT met'}"
        )
        print(
            f"  done: {counts['submissions']:,} complete submissions ({counts['failed submissions']} failed), "
            f"{counts['pages']:,} pages ({counts['failed pages']} failed); workers restarted: {portal.restarts()}"
        )


if __name__ == "__main__":
    main()
