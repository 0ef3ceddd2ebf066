"""Prints how consultations hold up with many responses: the results page with
1,000 and with 100,000 responses (goal: the second at most 1.5 times the
first), the memory the CSV export of 100,000 responses takes (it streams, so
it should not grow with the responses), and how many responses a whole school
can send at once, next to a bare Flask route on the same server.

Responses are bulk inserted with their counters (Tally rows) aggregated the
way portal/consultations/tally.py counts them; on the 1,000 case the counters
are rebuilt with tally.count() for each response and must be the same.

Run: .venv/bin/python bench/consultations.py   (or `make bench`)
"""

from __future__ import annotations

import http.client
import logging
import os
import platform
import random
import resource
import statistics
import sys
import tempfile
import threading
import time
import tracemalloc
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete, event, func, insert, select
from werkzeug.serving import make_server

from portal import create_app
from portal.consultations import tally
from portal.extensions import db
from portal.models import Answer, Consultation, Question, Response, Tally
from portal.people.operations import create_account
from portal.roles import AGE_BANDS
from portal.templating import local_today

SIZES = (1_000, 100_000)
PAGE_RUNS = 20
BATCH = 5_000  # responses per bulk insert
IN_PROGRESS_SHARE = 0.03  # started but not sent: stored, never counted or exported
PASSWORD = "correct horse battery"
OFFICER = "officer@bench.example"

SCHOOL = 200  # young people sending their answers at once
THREADS = 16
SCHOOL_ADDRESS = "203.0.113.7"  # the school's one public address

QUESTIONS = [
    {
        "kind": "single",
        "prompt": "How do you usually get to school or college?",
        "required": True,
        "options": ["Walk", "Bus", "Car", "Bike or scooter", "Train"],
    },
    {
        "kind": "multiple",
        "prompt": "Which of these would you use if there was one near you?",
        "required": True,
        "options": ["Youth club", "Sports centre", "Library", "Skate park", "Music studio", "Drop-in health service"],
    },
    {
        "kind": "rating",
        "prompt": "How safe do you feel in your town centre after dark?",
        "required": True,
        "scale_max": 5,
        "low_label": "Not safe at all",
        "high_label": "Very safe",
    },
    {
        "kind": "ranking",
        "prompt": "Put these in order: what should the council spend on first?",
        "required": True,
        "options": ["Buses", "Mental health support", "Places to meet", "Jobs and training"],
    },
    {"kind": "short_text", "prompt": "In a few words, what would make getting around easier?", "required": False},
    {"kind": "long_text", "prompt": "Is there anything else you want to tell the council?", "required": False},
]
WEIGHTS = {
    "single": [30, 35, 20, 10, 5],
    "multiple": [40, 45, 20, 25, 15, 30],
    "rating": [10, 20, 30, 25, 15],
    "age_band": [30, 40, 25, 5],
}
DISTRICT_WEIGHTS = [8, 16, 13, 20, 15, 16, 12]
SHORT = [
    "more buses in the evening",
    "cheaper fares for under 18s",
    "safe cycle lanes",
    "buses that turn up on time",
    "better lighting at the bus station",
    "a train that stops at our village",
    "- later buses at weekends",
    "bike racks at school",
    "free travel for students",
    "footpaths that are not flooded",
]
LONG = [
    "There is nothing to do in the evenings where I live, so people hang around the shops and get moved on.",
    "My friends and I would go to a youth club if it was open after six and did not cost anything.",
    "The waiting list for mental health support at school is too long and nobody tells you what happens next.",
    "I would like more part-time jobs and work experience that fit around college, not just in the summer.",
    "The bus home from college leaves before lessons finish on Thursdays so I have to wait an hour.",
    "Please ask young people before you change the parks, the skate park was the only place we could meet.",
]


def quiet() -> None:
    # create_app logs at INFO and the server logs every request; keep the figures readable.
    for name in ("weasyprint", "fontTools", "portal", "werkzeug", "flask-limiter"):
        logging.getLogger(name).setLevel(logging.WARNING)


def make_bench_app(folder: Path):
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "OUTBOX_DIR": str(folder / "outbox"),
            "MAIL_SERVER": "",
            "BASE_URL": "http://localhost",
            "WTF_CSRF_ENABLED": False,  # the bench posts forms without reading tokens first
            "TWO_STEP_ROLES": [],  # the bench signs its officer in with a password only
        }
    )
    quiet()
    # Only in this process: the permission-matrix test never sees it.
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    return app


# --------------------------------------------------------------- the consultation and its responses


def add_consultation(title: str) -> tuple[int, list[Question]]:
    today = local_today()
    consultation = Consultation(
        title=title,
        organisation="West Sussex County Council transport team",
        why="We are planning next year's bus and youth services.",
        what_happens="We will publish what we changed.",
        opens_on=today - timedelta(days=14),
        closes_on=today + timedelta(days=30),
        audience="young_people",
        status="approved",
        approved_at=datetime.now(UTC) - timedelta(days=15),
    )
    db.session.add(consultation)
    db.session.flush()
    questions = [
        Question(consultation_id=consultation.id, position=i, help="", **spec) for i, spec in enumerate(QUESTIONS)
    ]
    db.session.add_all(questions)
    db.session.commit()
    return consultation.id, questions


def random_answers(rng: random.Random, questions: list[Question]) -> list[dict]:
    """Answer rows as responding.operations.check_answer would store them."""
    rows: list[dict] = []
    for q in questions:
        if q.kind == "single":
            rows.append({"question_id": q.id, "option": rng.choices(range(len(q.options)), WEIGHTS["single"])[0]})
        elif q.kind == "multiple":
            chosen = {rng.choices(range(len(q.options)), WEIGHTS["multiple"])[0] for _ in range(rng.randint(1, 3))}
            rows.extend({"question_id": q.id, "option": option} for option in sorted(chosen))
        elif q.kind == "rating":
            rows.append({"question_id": q.id, "number": rng.choices(range(1, q.scale_max + 1), WEIGHTS["rating"])[0]})
        elif q.kind == "ranking":
            # A shuffled order, the first options a little more often near the top.
            order = sorted(range(len(q.options)), key=lambda i: rng.random() + 0.15 * i)
            rank_of = {option: rank for rank, option in enumerate(order, start=1)}
            rows.extend(
                {"question_id": q.id, "option": option, "number": rank_of[option]} for option in range(len(q.options))
            )
        elif q.kind == "short_text" and rng.random() < 0.6:
            rows.append({"question_id": q.id, "text": rng.choice(SHORT)})
        elif q.kind == "long_text" and rng.random() < 0.35:
            rows.append({"question_id": q.id, "text": " ".join(rng.sample(LONG, rng.randint(1, 3)))})
    return rows


def count_keys(counters: Counter, consultation_id: int, age_band: str, district: str, rows: list[dict]) -> None:
    """The keys tally.count adds for one submitted response (see tally.py's docstring)."""
    keys: Counter = Counter()
    keys[(0, -1, -1)] += 1
    for question_id in {row["question_id"] for row in rows}:
        keys[(question_id, -1, -1)] += 1
    for row in rows:
        option, number = row.get("option"), row.get("number")
        if option is None and number is None:
            continue
        keys[(row["question_id"], -1 if option is None else option, -1 if number is None else number)] += 1
    dimensions = [("", "")] + [(d, v) for d, v in (("age_band", age_band), ("district", district)) if v]
    for (question_id, option, number), times in keys.items():
        for dimension, value in dimensions:
            counters[(consultation_id, question_id, option, number, dimension, value)] += times
    counters[(consultation_id, 0, -1, -1, "version", "standard")] += 1  # the version answered (#17.3)


def generate(consultation_id: int, questions: list[Question], submitted: int, seed: int, districts: list[str]) -> int:
    """Bulk insert ``submitted`` sent responses (and a few in progress) with
    their answers, then the counters in one go. Returns the answer rows."""
    rng = random.Random(seed)
    total = submitted + int(submitted * IN_PROGRESS_SHARE)
    in_progress = set(rng.sample(range(total), total - submitted))
    next_id = (db.session.scalar(select(func.max(Response.id))) or 0) + 1
    now = datetime.now(UTC)
    counters: Counter = Counter()
    answer_rows = 0
    for start in range(0, total, BATCH):
        responses, answers = [], []
        for n in range(start, min(start + BATCH, total)):
            response_id = next_id + n
            age_band = "" if rng.random() < 0.03 else rng.choices(list(AGE_BANDS), WEIGHTS["age_band"])[0]
            district = "" if rng.random() < 0.02 else rng.choices(districts, DISTRICT_WEIGHTS)[0]
            started = now - timedelta(minutes=rng.randint(60, 14 * 24 * 60))
            sent = n not in in_progress
            rows = random_answers(rng, questions)
            if not sent:
                rows = rows[: rng.randint(0, len(rows))]
            responses.append(
                {
                    "id": response_id,
                    "consultation_id": consultation_id,
                    "age_band": age_band,
                    "district": district,
                    "status": "submitted" if sent else "in_progress",
                    "tell_me": rng.random() < 0.2,
                    "started_at": started,
                    "updated_at": started + timedelta(minutes=9),
                    "submitted_at": started + timedelta(minutes=9) if sent else None,
                }
            )
            for row in rows:
                answer = {"response_id": response_id, "option": None, "number": None, "text": None, **row}
                if answer["text"] is not None:
                    # Most free text waits for an officer; some is approved for quoting, a little hidden.
                    draw = rng.random()
                    answer["moderation"] = "approved" if draw < 0.05 else "hidden" if draw < 0.06 else "pending"
                    if sent and answer["moderation"] != "pending":  # read by an officer: tally's THEMES counter
                        counters[(consultation_id, row["question_id"], -1, -1, tally.THEMES, "")] += 1
                else:
                    answer["moderation"] = "pending"
                answers.append(answer)
            if sent:
                count_keys(counters, consultation_id, age_band, district, rows)
        # render_nulls: keep rows with None in one executemany (the ORM otherwise splits them by keys).
        db.session.execute(insert(Response).execution_options(render_nulls=True), responses)
        db.session.execute(insert(Answer).execution_options(render_nulls=True), answers)
        answer_rows += len(answers)
    db.session.execute(
        insert(Tally), [dict(zip(tally.KEY, key, strict=True), count=times) for key, times in counters.items() if times]
    )
    db.session.commit()
    return answer_rows


def tallies(consultation_id: int) -> dict[tuple, int]:
    return {
        (t.question_id, t.option, t.number, t.dimension, t.value): t.count
        for t in db.session.scalars(select(Tally).where(Tally.consultation_id == consultation_id))
        if t.count
    }


def check_counters(consultation_id: int) -> bool:
    """Rebuild the counters with tally.count() for each sent response; same numbers?"""
    bulk = tallies(consultation_id)
    db.session.execute(delete(Tally).where(Tally.consultation_id == consultation_id))
    for response in db.session.scalars(
        select(Response).where(Response.consultation_id == consultation_id, Response.status == "submitted")
    ).all():
        tally.count(response, +1)
    rebuilt = tallies(consultation_id)
    db.session.commit()
    return bulk == rebuilt


# --------------------------------------------------------------- measuring


class Queries:
    """Counts the SQL statements run, and times each one's execute."""

    def __init__(self, engine):
        self.engine, self.count, self.timed = engine, 0, []

    def before(self, conn, cursor, statement, *args) -> None:
        self.count += 1
        conn.info["bench_started"] = time.perf_counter()

    def after(self, conn, cursor, statement, *args) -> None:
        self.timed.append((time.perf_counter() - conn.info.pop("bench_started"), statement))

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self.before)
        event.listen(self.engine, "after_cursor_execute", self.after)
        return self

    def __exit__(self, *exc) -> None:
        event.remove(self.engine, "before_cursor_execute", self.before)
        event.remove(self.engine, "after_cursor_execute", self.after)


def time_results_page(client, engine, consultation_id: int) -> dict:
    url = f"/consultations/{consultation_id}/results"
    response = client.get(url)  # warm-up
    assert response.status_code == 200, response.status_code
    timings, queries = [], []
    slowest: dict[str, list[float]] = {}
    for _ in range(PAGE_RUNS):
        with Queries(engine) as counter:
            start = time.perf_counter()
            response = client.get(url)
            timings.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
        queries.append(counter.count)
        seconds, statement = max(counter.timed)
        slowest.setdefault(" ".join(statement.split())[:70], []).append(seconds)
    statement, seconds = max(slowest.items(), key=lambda item: len(item[1]))
    return {
        "timings": timings,
        "queries": queries,
        "bytes": len(response.get_data()),
        "slowest": statement,
        "slowest_seconds": statistics.median(seconds),
    }


def reset_rss_peak() -> bool:
    """Reset the process's peak RSS (Linux: write 5 to /proc/self/clear_refs),
    so that ru_maxrss then tells the peak of what follows, not of the data
    generation before it."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


FIRST_BYTE: list[float] = []  # each stream_export's time to its first chunk


def stream_export(client, consultation_id: int) -> tuple[int, int, float]:
    """Download the CSV chunk by chunk, keeping only counts. Returns bytes, data rows, seconds."""
    start = time.perf_counter()
    response = client.get(f"/consultations/{consultation_id}/export.csv", buffered=False)
    assert response.status_code == 200, response.status_code
    size = lines = 0
    last = b""
    try:
        for chunk in response.response:
            if isinstance(chunk, str):
                chunk = chunk.encode()
            if not size:
                FIRST_BYTE.append(time.perf_counter() - start)
            size += len(chunk)
            lines += chunk.count(b"\r\n") + (last == b"\r" and chunk[:1] == b"\n")
            last = chunk[-1:]
    finally:
        response.close()
    return size, lines - 1, time.perf_counter() - start


def measure_export(client, consultation_id: int) -> dict:
    """One run untraced (time, max RSS growth), then one under tracemalloc
    (peak of Python's allocations; slower, so not the time to read)."""
    reset = reset_rss_peak()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    size, rows, seconds = stream_export(client, consultation_id)
    first_byte = FIRST_BYTE[-1]
    rss_delta = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before
    tracemalloc.start()
    _, traced_rows, traced_seconds = stream_export(client, consultation_id)
    _, traced_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert traced_rows == rows
    return {
        "bytes": size,
        "rows": rows,
        "seconds": seconds,
        "traced_seconds": traced_seconds,
        "traced_peak": traced_peak,
        "rss_delta": rss_delta,
        "rss_reset": reset,
        "first_byte": first_byte,
    }


def measure_spreadsheet(client, consultation_id: int) -> dict:
    """The XLSX made by its job (#16.1; the bench app runs jobs at once, in the
    request, as tests do), under tracemalloc; then its download from storage,
    time to the first byte (the page answered while the worker made it)."""
    tracemalloc.start()
    start = time.perf_counter()
    asked = client.post(f"/consultations/{consultation_id}/export.xlsx")
    made = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert asked.status_code == 303, asked.status_code
    page = asked.headers["Location"]
    start = time.perf_counter()
    progress = client.get(page)
    progress_seconds = time.perf_counter() - start
    assert b"The spreadsheet is ready" in progress.data
    start = time.perf_counter()
    response = client.get(page + "/download", buffered=False)
    chunks = iter(response.response)
    first = next(chunks)
    first_byte = time.perf_counter() - start
    size = len(first) + sum(len(chunk) for chunk in chunks)
    response.close()
    return {"made": made, "peak": peak, "progress": progress_seconds, "first_byte": first_byte, "bytes": size}


# --------------------------------------------------------------- a whole school at once


class Browser:
    """One young person's keep-alive connection with their session cookie."""

    def __init__(self, port: int, cookie: str):
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.cookie = cookie

    def request(self, method: str, path: str, form: dict | None = None) -> int:
        headers = {"Cookie": f"session={self.cookie}"}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        self.connection.request(method, path, body=body, headers=headers)
        response = self.connection.getresponse()
        response.read()
        for header in response.headers.get_all("Set-Cookie") or []:
            morsel = SimpleCookie(header).get("session")
            if morsel is not None and morsel.value:
                self.cookie = morsel.value
        return response.status

    def close(self) -> None:
        self.connection.close()


def form_for(question: Question, rows: list[dict]) -> dict:
    name = f"q{question.id}"
    mine = [row for row in rows if row["question_id"] == question.id]
    if question.kind == "ranking":
        return {f"{name}-{row['option']}": str(row["number"]) for row in mine}
    if question.kind == "multiple":
        return {name: [str(row["option"]) for row in mine]}
    if not mine:
        return {}
    row = mine[0]
    if question.kind in ("short_text", "long_text"):
        return {name: row["text"]}
    return {name: str(row["option"] if question.kind == "single" else row["number"])}


def add_school(app, districts: list[str]) -> list[tuple[int, str]]:
    rng = random.Random(7)
    people = []
    with app.app_context():
        for n in range(SCHOOL):
            user = create_account(
                email=f"pupil{n:03d}@school.bench.example",
                display_name=f"Pupil {n + 1}",
                role="young_person",
                password=PASSWORD,
                age_band=rng.choices(["11-13", "14-16", "17-19"], [35, 45, 20])[0],
                district=rng.choices(districts, DISTRICT_WEIGHTS)[0],
            )
            people.append((user.id, user.email))
        db.session.commit()
    return people


def sign_in_school(app, people: list[tuple[int, str]]) -> tuple[list[str], int]:
    """Each pupil signs in with their own test client, first all from the
    school's one address (as behind the school's router), then the ones the
    per-address limit refused from an address of their own. Returns the
    session cookies and how many the limit refused."""
    cookies: list[str | None] = [None] * len(people)
    refused = []
    for index, (_, email) in enumerate(people):
        client = app.test_client()
        response = client.post(
            "/sign-in", data={"email": email, "password": PASSWORD}, environ_base={"REMOTE_ADDR": SCHOOL_ADDRESS}
        )
        if response.status_code == 429:
            refused.append(index)
            continue
        assert response.status_code == 303, response.status_code
        cookies[index] = client.get_cookie("session").value
    for index in refused:
        client = app.test_client()
        response = client.post(
            "/sign-in",
            data={"email": people[index][1], "password": PASSWORD},
            environ_base={"REMOTE_ADDR": f"10.99.{index // 250}.{index % 250 + 1}"},
        )
        assert response.status_code == 303, response.status_code
        cookies[index] = client.get_cookie("session").value
    return [c for c in cookies if c], len(refused)


def run_pool(jobs, worker) -> tuple[float, list[float], Counter]:
    """Run ``worker(browser, job)`` over the jobs with THREADS threads; each
    thread keeps its own browsers' connections. Returns the wall time, every
    request's latency and the status codes seen."""
    latencies: list[float] = []
    statuses: Counter = Counter()
    lock = threading.Lock()

    def run(job):
        local_latencies, local_statuses = worker(job)
        with lock:
            latencies.extend(local_latencies)
            statuses.update(local_statuses)

    start = time.perf_counter()
    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(run, jobs))
    return time.perf_counter() - start, latencies, statuses


def timed_request(
    browser: Browser, latencies: list, statuses: Counter, expect: int, method: str, path: str, form: dict | None = None
) -> None:
    start = time.perf_counter()
    status = browser.request(method, path, form)
    latencies.append(time.perf_counter() - start)
    statuses[(expect, status)] += 1


def school_answers(app, port: int, consultation_id: int, questions: list[Question], cookies: list[str]) -> dict:
    base = f"/consultations/{consultation_id}/respond"
    browsers = [Browser(port, cookie) for cookie in cookies]
    plans = [random_answers(random.Random(1000 + n), questions) for n in range(len(browsers))]

    def fill_in(n: int):
        browser, rows = browsers[n], plans[n]
        latencies: list[float] = []
        statuses: Counter = Counter()
        timed_request(browser, latencies, statuses, 200, "GET", base)
        timed_request(browser, latencies, statuses, 303, "POST", base, {})
        for question in questions:
            url = f"{base}/{question.id}"
            timed_request(browser, latencies, statuses, 200, "GET", url)
            timed_request(
                browser, latencies, statuses, 303, "POST", url, {**form_for(question, rows), "action": "continue"}
            )
        timed_request(browser, latencies, statuses, 200, "GET", f"{base}/check")
        return latencies, statuses

    def send(n: int):
        latencies: list[float] = []
        statuses: Counter = Counter()
        timed_request(
            browsers[n], latencies, statuses, 303, "POST", f"{base}/submit", {"tell_me": "yes"} if n % 3 == 0 else {}
        )
        return latencies, statuses

    fill_seconds, fill_latencies, fill_statuses = run_pool(range(len(browsers)), fill_in)
    send_seconds, send_latencies, send_statuses = run_pool(range(len(browsers)), send)
    for browser in browsers:
        browser.close()
    return {
        "fill": (fill_seconds, fill_latencies, fill_statuses),
        "send": (send_seconds, send_latencies, send_statuses),
    }


def bare_requests(port: int, total: int) -> tuple[float, list[float], Counter]:
    per_thread = [total // THREADS + (1 if t < total % THREADS else 0) for t in range(THREADS)]

    def hammer(count: int):
        browser = Browser(port, "")
        latencies: list[float] = []
        statuses: Counter = Counter()
        for _ in range(count):
            timed_request(browser, latencies, statuses, 200, "GET", "/bench/bare")
        browser.close()
        return latencies, statuses

    return run_pool(per_thread, hammer)


def unexpected(statuses: Counter) -> str:
    wrong = {f"{got} (expected {want})": n for (want, got), n in statuses.items() if want != got}
    return "none" if not wrong else ", ".join(f"{n} x {k}" for k, n in wrong.items())


def pct(latencies: list[float], p: float) -> float:
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


# --------------------------------------------------------------- the run


def main() -> None:
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="bench-consultations-") as tmp:
        folder = Path(tmp)
        app = make_bench_app(folder)
        print("Consultations: the results page with 1,000 and 100,000 responses (goal: ratio at most 1.5),")
        print("the streamed CSV export's memory, and a whole school sending answers at once, on a throwaway")
        print("SQLite database. Responses are bulk inserted with their counters (no accounts behind them).")
        print(
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()} "
            f"({platform.system()} {platform.machine()})"
        )

        with app.app_context():
            db.create_all()
            engine = db.engine
            districts = list(app.config["DISTRICTS"])
            create_account(email=OFFICER, display_name="Bench Officer", role="officer", password=PASSWORD)
            db.session.commit()
            made = {}
            for seed, size in enumerate(SIZES):
                t0 = time.perf_counter()
                consultation_id, questions = add_consultation(f"Getting around: {size:,} responses")
                answer_rows = generate(consultation_id, questions, size, seed, districts)
                made[size] = (consultation_id, answer_rows, time.perf_counter() - t0)
            small_ok = check_counters(made[SIZES[0]][0])
            db.session.remove()

        print()
        for size in SIZES:
            consultation_id, answer_rows, seconds = made[size]
            print(
                f"Generated {size:,} sent responses (+{int(size * IN_PROGRESS_SHARE):,} in progress), "
                f"{answer_rows:,} answer rows, in {seconds:.1f} s"
            )
        print(
            f"  counters check: {'ok' if small_ok else 'MISMATCH'} "
            f"(bulk counters = tally.count() for each of the {SIZES[0]:,} responses)"
        )

        officer = app.test_client()
        response = officer.post("/sign-in", data={"email": OFFICER, "password": PASSWORD})
        assert response.status_code == 303, response.status_code

        print()
        print(f"Results page, GET /consultations/<id>/results as an officer: one warm-up, then median of {PAGE_RUNS}")
        medians = {}
        for size in SIZES:
            consultation_id = made[size][0]
            page = time_results_page(officer, engine, consultation_id)
            timings, queries = page["timings"], page["queries"]
            medians[size] = statistics.median(timings)
            query_note = f"{queries[0]}" if len(set(queries)) == 1 else f"{min(queries)}-{max(queries)}"
            print(
                f"  {size:>7,} responses: median {medians[size] * 1000:6.1f} ms, slowest {max(timings) * 1000:6.1f} ms, "
                f"{query_note} SQL queries, {page['bytes'] / 1024:.0f} KiB of HTML"
            )
            print(
                f"                     slowest statement {page['slowest_seconds'] * 1000:6.1f} ms: {page['slowest']}..."
            )
        ratio = medians[SIZES[1]] / medians[SIZES[0]]
        print(
            f"  ratio {SIZES[1]:,} / {SIZES[0]:,}: {ratio:.2f} (goal: at most 1.5) -> "
            f"{'met' if ratio <= 1.5 else 'NOT met'}"
        )

        print()
        print("CSV export, GET /consultations/<id>/export.csv streamed through the test client (buffered=False),")
        print("chunks counted and dropped. Seconds and max RSS from one run; peak traced memory from a second")
        print("run under tracemalloc, started before the request.")
        exports = {}
        for size in SIZES:
            exports[size] = e = measure_export(officer, made[size][0])
            print(
                f"  {size:>7,} responses: {e['bytes'] / 1024 / 1024:5.1f} MiB of CSV, {e['rows']:,} rows, "
                f"{e['seconds']:.1f} s ({e['traced_seconds']:.1f} s traced); "
                f"peak traced {e['traced_peak'] / 1024 / 1024:.2f} MiB, max RSS {e['rss_delta'] / 1024:+.1f} MiB"
            )
        print(
            "  time to the first byte: "
            + ", ".join(f"{size:,} responses {exports[size]['first_byte'] * 1000:.0f} ms" for size in SIZES)
        )
        growth = exports[SIZES[1]]["traced_peak"] / exports[SIZES[0]]["traced_peak"]
        print(
            f"  peak traced memory {SIZES[1]:,} / {SIZES[0]:,}: {growth:.2f}x for "
            f"{exports[SIZES[1]]['rows'] / max(exports[SIZES[0]]['rows'], 1):.0f}x the rows -> "
            f"{'flat' if growth <= 1.5 else 'NOT flat'}"
        )
        if all(e["rss_reset"] for e in exports.values()):
            print(
                "  (max RSS: growth of ru_maxrss during the untraced download, its peak reset just before; memory freed"
            )
            print("   after generating the data is reused first, so tracemalloc's peak is the figure to read)")
        else:
            print(
                "  (max RSS: growth of ru_maxrss, the process's peak so far, which generating the data already"
                " raised: a bound only)"
            )

        print()
        print("Spreadsheet (XLSX) of every response, made by its background job (#16.1): POST asks for it and")
        print("(jobs run at once here) the job writes it; peak traced memory of the job; then the progress page")
        print("and the download from storage, time to its first byte.")
        sheets = {size: measure_spreadsheet(officer, made[size][0]) for size in SIZES}
        for size in SIZES:
            x = sheets[size]
            print(
                f"  {size:>7,} responses: made in {x['made']:5.1f} s, peak traced {x['peak'] / 1024 / 1024:6.2f} MiB, "
                f"{x['bytes'] / 1024 / 1024:5.1f} MiB file; progress page {x['progress'] * 1000:.0f} ms; "
                f"download first byte {x['first_byte'] * 1000:.0f} ms"
            )
        growth = sheets[SIZES[1]]["peak"] / sheets[SIZES[0]]["peak"]
        print(
            f"  job's peak traced memory {SIZES[1]:,} / {SIZES[0]:,}: {growth:.2f}x for 100x the rows "
            "(write-only workbook: rows go to a temporary file as they come; the finished file is then read"
            " whole to be stored)"
        )

        # A whole school: real HTTP on a threaded server, the bare route on the same server.
        with app.app_context():
            school_id, questions = add_consultation("Getting around: a whole school at once")
            # Plain copies: the worker threads use them outside any session.
            school_questions = [
                SimpleNamespace(id=q.id, kind=q.kind, options=list(q.options or []), scale_max=q.scale_max)
                for q in questions
            ]
            db.session.remove()
        people = add_school(app, districts)
        cookies, refused = sign_in_school(app, people)
        server = make_server("127.0.0.1", 0, app, threaded=True)
        port = server.server_port
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            result = school_answers(app, port, school_id, school_questions, cookies)
            fill_seconds, fill_latencies, fill_statuses = result["fill"]
            send_seconds, send_latencies, send_statuses = result["send"]
            total_requests = len(fill_latencies) + len(send_latencies)
            bare_seconds, bare_latencies, bare_statuses = bare_requests(port, total_requests)
        finally:
            server.shutdown()
            thread.join()
            server.server_close()

        with app.app_context():
            counted = (
                db.session.scalar(
                    select(Tally.count).where(
                        Tally.consultation_id == school_id,
                        Tally.question_id == 0,
                        Tally.option == -1,
                        Tally.number == -1,
                        Tally.dimension == "",
                        Tally.value == "",
                    )
                )
                or 0
            )
            sent = db.session.scalar(
                select(func.count())
                .select_from(Response)
                .where(Response.consultation_id == school_id, Response.status == "submitted")
            )
            db.session.remove()

        print()
        print(f"A whole school: {len(cookies)} young people, {THREADS} threads, real HTTP (keep-alive) to werkzeug's")
        print("threaded server on 127.0.0.1, SQLite. Each fills in the start page and the 6 questions (GET and")
        print("POST each) and the check page; then all of them press Send at once.")
        print(
            f"  sign-in: {len(cookies) - refused} of {len(cookies)} signed in from the school's one address; "
            f"{refused} refused by SIGN_IN_LIMIT_PER_ADDRESS ({app.config['SIGN_IN_LIMIT_PER_ADDRESS']}),"
        )
        print("           signed in from addresses of their own for the bench")
        fill_rps = len(fill_latencies) / fill_seconds
        send_rps = len(send_latencies) / send_seconds
        bare_rps = len(bare_latencies) / bare_seconds
        print(
            f"  answering:  {len(fill_latencies):5,} requests in {fill_seconds:5.1f} s = {fill_rps:7.1f} requests/s "
            f"(p50 {pct(fill_latencies, 0.5):.0f} ms, p95 {pct(fill_latencies, 0.95):.0f} ms)"
        )
        print(
            f"  sending:    {len(send_latencies):5,} submit POSTs in {send_seconds:5.1f} s = {send_rps:7.1f} submits/s "
            f"(p50 {pct(send_latencies, 0.5):.0f} ms, p95 {pct(send_latencies, 0.95):.0f} ms)"
        )
        print(
            f"  full responses (all questions + submit): {len(cookies) / (fill_seconds + send_seconds):.1f} per second"
        )
        print("  side by side, same server, same number of requests and threads:")
        print(f"    consultation routes: {total_requests / (fill_seconds + send_seconds):7.1f} requests/s")
        print(
            f"    bare Flask route:    {bare_rps:7.1f} requests/s "
            f"({bare_seconds:.1f} s, p50 {pct(bare_latencies, 0.5):.1f} ms, p95 {pct(bare_latencies, 0.95):.1f} ms)"
        )
        print(
            f"  unexpected statuses: answering {unexpected(fill_statuses)}; sending {unexpected(send_statuses)}; "
            f"bare {unexpected(bare_statuses)}"
        )
        print(
            f"  responses counter: {counted} (sent responses in the database: {sent}; expected {len(cookies)}) -> "
            f"{'ok' if counted == sent == len(cookies) else 'MISMATCH'}"
        )

        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    print()
    print(f"Whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
