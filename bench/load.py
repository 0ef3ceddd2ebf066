"""The portal under load (#16 item 6), next to a bare Flask page served the same
way and measured in the same run.

Both run under gunicorn with the repository's settings (portal/gunicorn_conf.py)
and 2 workers, on 127.0.0.1, against a throwaway PostgreSQL database with the
demo loaded, PEOPLE young people with accounts and CONSULTATIONS open
consultations (copies of the demo's open one). Simulated people are Python
threads, each with its own cookies and its own address (X-Forwarded-For,
PORTAL_PROXY_HOPS=1, as behind the production proxy), asking for compressed
pages as browsers do.

  - Complete submissions: sign in (GET the form for its CSRF token, POST),
    the consultation's start page (GET, POST), every question (GET, POST),
    check your answers (GET), send (POST), the confirmation (GET), following
    each redirect as a browser does. Per second, with errors and latencies.
  - Pages: requests per second for the home page and a published update (as
    a visitor), a question page (a signed-in young person) and the statement
    editor (the signed-in Chair), each against the bare page's.

  - The floor: FLOOR_APP, the least a signed-in GOV.UK page costs on this
    stack (a session, one query, a CSRF token, GOV.UK Frontend's page template
    and one radios macro, compressed), measured the same way: a ceiling for the
    ratio of any signed-in page of the portal.

Targets (issue #16): at least 50 complete submissions per second, zero
errors, p95 under 1 s; public pages at least 0.5 of bare Flask, signed-in
pages at least 0.3.

Production settings (PORTAL_ENV=production), as behind the README's TLS proxy:
each request says X-Forwarded-Proto: https, so the portal sends its __Host-
cookies, which this client keeps as a browser on HTTPS does. Not production's:
a fixed secret key and fast password hashing (PASSWORD_HASH_FAST), which the
output says.

Run: .venv/bin/python bench/load.py   (or `make bench`). Without PostgreSQL it
prints "skipped: ..." and exits 0.
PORTAL_BENCH_DATABASE_URL names the database (created and dropped here).
"""

from __future__ import annotations

import gzip
import http.client
import logging
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode, urlsplit

import brotli

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import sqlalchemy as sa  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

DEFAULT_DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:55432/portal_bench"
SECRET_KEY = "bench-load-secret-key-not-for-production"
PASSWORD = "bench answers for the council"
CHAIR_EMAIL = "chair@demo.example"
DEMO_PASSWORD = "youth-cabinet-demo"

PEOPLE = 600
CONSULTATIONS = 4  # each person answers each once: PEOPLE x CONSULTATIONS submissions at most
WORKERS = 2
SUBMIT_CLIENTS = 32
SUBMIT_SECONDS = 45
WARM_SECONDS = 4
PAGE_CLIENTS = 16
PAGE_SECONDS = 10

TARGET_SUBMISSIONS = 50.0
TARGET_P95 = 1.0
TARGET_PUBLIC = 0.5
TARGET_SIGNED_IN = 0.3

CSRF = re.compile(r'name="csrf_token"[^>]*?\svalue="([^"]+)"')
BARE_APP = '''"""A bare Flask page: the reference the portal is measured against."""
from flask import Flask

app = Flask(__name__)
PAGE = (
    "<!DOCTYPE html><html lang=en><head><meta charset=utf-8><title>Bare Flask</title></head>"
    "<body><h1>Bare Flask</h1><p>One route, a small page, nothing else.</p></body></html>"
)


@app.route("/")
def home():
    return PAGE
'''
# The least a signed-in page can cost on this stack, as a second reference: a
# signed session cookie, one query for the person on the same PostgreSQL, a CSRF
# token, GOV.UK Frontend's page template with its header and footer, one radios
# macro, compressed as the portal's pages are. No permissions, no navigation, no
# security headers, no rate limits: the portal's signed-in pages cannot be
# cheaper than this, so its ratio to bare Flask is a ceiling for theirs.
FLOOR_APP = '''"""A signed-in GOV.UK page with nothing else: the floor of the stack's cost."""
import os

import sqlalchemy as sa
from flask import Flask, render_template, session
from flask_compress import Compress
from flask_wtf.csrf import CSRFProtect
from jinja2 import ChoiceLoader, DictLoader, PackageLoader, PrefixLoader

PAGE = """{% extends "govuk_frontend_jinja/template.html" %}
{% from "govuk_frontend_jinja/components/header/macro.html" import govukHeader %}
{% from "govuk_frontend_jinja/components/footer/macro.html" import govukFooter %}
{% from "govuk_frontend_jinja/components/radios/macro.html" import govukRadios %}
{% block header %}{{ govukHeader(params={"serviceName": "Youth Cabinet Portal", "serviceUrl": "/"}) }}{% endblock %}
{% block footer %}{{ govukFooter(params={}) }}{% endblock %}
{% block content %}<form method="post"><input type="hidden" name="csrf_token" value="{{ csrf_token() }}">
<p>Signed in as {{ name }}</p>
{{ govukRadios(params={"name": "q1",
  "fieldset": {"legend": {"text": "How do you get to college?", "isPageHeading": true,
                          "classes": "govuk-fieldset__legend--l"}},
  "items": [{"value": "0", "text": "Bus"}, {"value": "1", "text": "Train"}, {"value": "2", "text": "Walk"},
            {"value": "3", "text": "Bike"}, {"value": "4", "text": "Car"}]}) }}
<button class="govuk-button">Continue</button></form>{% endblock %}"""

app = Flask(__name__)
app.secret_key = os.environ["FLOOR_SECRET_KEY"]
app.config["COMPRESS_ALGORITHM"] = ["br", "gzip"]
app.jinja_loader = ChoiceLoader(
    [DictLoader({"page.html": PAGE}), PrefixLoader({"govuk_frontend_jinja": PackageLoader("govuk_frontend_jinja")})]
)
CSRFProtect(app)
Compress(app)
engine = sa.create_engine(os.environ["FLOOR_DATABASE_URL"], pool_size=2)
WHO = sa.text('SELECT display_name FROM "user" WHERE id = :id')


@app.route("/")
def page():
    with engine.connect() as connection:
        name = connection.execute(WHO, {"id": session.get("uid", 1)}).scalar()
    session["uid"] = 1
    return render_template("page.html", name=name)
'''
PORTAL_APP = '''"""The portal as wsgi.py builds it, with fast password hashing for the bench."""
from portal import create_app

app = create_app({"PASSWORD_HASH_FAST": True})
'''


# --------------------------------------------------------------- the database


def database_url() -> str:
    return os.environ.get("PORTAL_BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL


def admin_engine(url: str) -> sa.Engine:
    """The cluster's maintenance database, to create and drop the bench's own."""
    admin = make_url(url).set(database="postgres")
    return sa.create_engine(admin, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})


def reachable(url: str) -> str | None:
    """None when PostgreSQL answers; otherwise why not."""
    if make_url(url).get_backend_name() != "postgresql":
        return f"PORTAL_BENCH_DATABASE_URL is not PostgreSQL ({make_url(url).get_backend_name()})"
    engine = None
    try:
        engine = admin_engine(url)
        with engine.connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as error:  # any failure to connect (or no driver) means: skip
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        return f"PostgreSQL is not reachable at {make_url(url).render_as_string()} ({first})"
    finally:
        if engine is not None:
            engine.dispose()
    return None


def recreate_database(url: str, drop_only: bool = False) -> None:
    name = make_url(url).database
    engine = admin_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            if not drop_only:
                connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
    finally:
        engine.dispose()


@dataclass
class QuestionPlan:
    id: int
    kind: str
    options: int
    scale_max: int


@dataclass
class World:
    emails: list[str]
    consultations: list[tuple[int, list[QuestionPlan]]]  # answered by the submissions
    page_consultation: tuple[int, list[QuestionPlan]]  # its first question page is measured
    update_id: int
    statement_month: str


def build_world(url: str, folder: Path) -> World:
    """Schema, the demo, PEOPLE young people and CONSULTATIONS copies of the
    demo's open consultation, written by an app of this process."""
    from sqlalchemy import select

    from portal import create_app
    from portal.demo.world import load_demo
    from portal.extensions import db
    from portal.models import CabinetUpdate, Consultation, Question
    from portal.people.operations import create_account
    from portal.statements.operations import current_month
    from portal.templating import local_today

    app = create_app(
        {
            "ENV": "development",
            "SECRET_KEY": SECRET_KEY,
            "DATABASE_URL": url,
            "PASSWORD_HASH_FAST": True,
            "OUTBOX_DIR": str(folder / "outbox"),
            "MAIL_SERVER": "",
        }
    )
    quiet()
    with app.app_context():
        db.create_all()
        load_demo()
        db.session.commit()
        districts = list(app.config["DISTRICTS"])
        rng = random.Random(16)
        emails = []
        for n in range(PEOPLE):
            user = create_account(
                email=f"pupil{n:04d}@load.bench.example",
                display_name=f"Pupil {n + 1}",
                role="young_person",
                password=PASSWORD,
                age_band=rng.choice(["11-13", "14-16", "17-19"]),
                district=rng.choice(districts),
            )
            emails.append(user.email)
        db.session.commit()

        demo = db.session.scalar(
            select(Consultation).where(
                Consultation.title == "Getting to college: buses", Consultation.status == "approved"
            )
        )
        if demo is None:
            raise SystemExit("The demo's open consultation (Getting to college: buses) is missing")
        demo_questions = list(
            db.session.scalars(select(Question).where(Question.consultation_id == demo.id).order_by(Question.position))
        )
        today = local_today()
        made = []
        for n in range(CONSULTATIONS):
            copy = Consultation(
                title=f"{demo.title} (load bench {n + 1})",
                organisation=demo.organisation,
                why=demo.why,
                what_happens=demo.what_happens,
                opens_on=today - timedelta(days=1),
                closes_on=today + timedelta(days=30),
                audience="young_people",
                status="approved",
                approved_at=datetime.now(UTC) - timedelta(days=2),
            )
            db.session.add(copy)
            db.session.flush()
            for question in demo_questions:
                db.session.add(
                    Question(
                        consultation_id=copy.id,
                        position=question.position,
                        kind=question.kind,
                        prompt=question.prompt,
                        help=question.help,
                        required=question.required,
                        options=list(question.options or []),
                        scale_max=question.scale_max,
                        low_label=question.low_label,
                        high_label=question.high_label,
                    )
                )
            made.append(copy.id)
        db.session.commit()

        def plans(consultation_id: int) -> list[QuestionPlan]:
            rows = db.session.scalars(
                select(Question).where(Question.consultation_id == consultation_id).order_by(Question.position)
            )
            return [QuestionPlan(q.id, q.kind, len(q.options or []), q.scale_max or 5) for q in rows]

        update_id = db.session.scalar(
            select(CabinetUpdate.id).where(CabinetUpdate.status == "published").order_by(CabinetUpdate.id)
        )
        if update_id is None:
            raise SystemExit("The demo's published update is missing")
        world = World(
            emails=emails,
            consultations=[(cid, plans(cid)) for cid in made],
            page_consultation=(demo.id, plans(demo.id)),
            update_id=update_id,
            statement_month=current_month().strftime("%Y-%m"),
        )
        db.session.remove()
        db.engine.dispose()
    return world


def quiet() -> None:
    for name in ("weasyprint", "fontTools", "portal", "flask-limiter", "alembic"):
        logging.getLogger(name).setLevel(logging.WARNING)


# --------------------------------------------------------------- the servers


def portal_env(url: str, folder: Path, **more: str) -> dict[str, str]:
    """The portal's settings for a bench server (see the module's docstring),
    with ``more`` on top (GUNICORN_MAX_REQUESTS="0" for the soak, ...)."""
    return {
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": SECRET_KEY,
        # Production will not start with an example address; no mail is sent (no MAIL_SERVER).
        "PORTAL_CONCERN_EMAIL": "safeguarding@bench.council.org.uk",
        "PORTAL_DATABASE_URL": url,
        "PORTAL_PROXY_HOPS": "1",
        "PORTAL_OUTBOX_DIR": str(folder / "outbox"),
        "PORTAL_MAIL_SERVER": "",
        "PORTAL_BASE_URL": "https://127.0.0.1",
        # Visitors' pages kept a minute (production's default: portal/page_cache.py, in each
        # worker's memory), and jobs queued (no worker runs here: none is asked for).
        "PORTAL_TASKS_URL": f"sqlite:///{folder / 'tasks.db'}",
        **more,
    }


@contextmanager
def bench_portal(url: str, prefix: str, **more: str) -> Iterator[tuple[World, Server, Path]]:
    """A throwaway database with the bench's world, and the portal on it under
    gunicorn (``portal_env`` with ``more``); stopped and dropped afterwards."""
    with tempfile.TemporaryDirectory(prefix=prefix) as tmp:
        folder = Path(tmp)
        (folder / "bench_portal.py").write_text(PORTAL_APP)
        recreate_database(url)
        portal = None
        try:
            world = build_world(url, folder)
            portal = Server(folder, "bench_portal", portal_env(url, folder, **more), "/healthz")
            yield world, portal, folder
        finally:
            if portal is not None:
                portal.stop()
            recreate_database(url, drop_only=True)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Server:
    """gunicorn with the repository's settings and WORKERS workers, in a child process."""

    def __init__(self, folder: Path, module: str, env: dict[str, str], ready_path: str):
        self.port = free_port()
        self.log = folder / f"{module}.log"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(ROOT / "portal" / "gunicorn_conf.py"),
            "--pythonpath",
            str(folder),
            "-w",
            str(WORKERS),
            "-b",
            f"127.0.0.1:{self.port}",
            f"{module}:app",
        ]
        environ = {**os.environ, **env, "GUNICORN_WORKERS": str(WORKERS), "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        with self.log.open("wb") as log:
            self.process = subprocess.Popen(command, cwd=ROOT, env=environ, stdout=log, stderr=subprocess.STDOUT)
        self.wait_ready(ready_path)

    def wait_ready(self, path: str) -> None:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped ({self.process.returncode}):\n{self.tail()}")
            try:
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=5)
                connection.request("GET", path)
                status = connection.getresponse().status
                connection.close()
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer {path} within 90 s:\n{self.tail()}")

    def tail(self) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-30:])

    def restarts(self) -> int:
        """Workers started after the first WORKERS (max_requests replaces them)."""
        booted = self.log.read_text(errors="replace").count("Booting worker")
        return max(0, booted - WORKERS)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --------------------------------------------------------------- the simulated people


class Failed(Exception):
    """A request answered with an unexpected status (or not at all). Carries
    the browser, so that the requests it made still count."""

    browser: Browser | None = None


@dataclass
class Tally:
    """What the threads of one measurement saw."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    done: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, latencies: list[float], statuses: Counter, errors: Counter, done: int) -> None:
        with self.lock:
            self.latencies.extend(latencies)
            self.statuses.update(statuses)
            self.errors.update(errors)
            self.done += done


class Browser:
    """One person's browser: its cookies, its address, compressed pages."""

    def __init__(self, port: int, address: str):
        self.port, self.address = port, address
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.latencies: list[float] = []
        self.statuses: Counter = Counter()

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str, str]:
        """(status, the redirect's path or "", the page's text)."""
        headers = {
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Encoding": "gzip, deflate, br",
            "User-Agent": "portal-load-bench",
            "X-Forwarded-For": self.address,
            "X-Forwarded-Proto": "https",  # the TLS proxy's word (PORTAL_PROXY_HOPS=1)
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            # As a browser sends it: on HTTPS the CSRF check wants a same-site Referer.
            headers["Referer"] = f"https://127.0.0.1:{self.port}{path}"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            raw = response.read()
        except (OSError, http.client.HTTPException) as error:
            self.connection.close()
            self.latencies.append(time.perf_counter() - started)
            self.statuses[0] += 1
            raise Failed(f"{method} {path.split('?')[0]}: {type(error).__name__}") from error
        self.latencies.append(time.perf_counter() - started)
        self.statuses[response.status] += 1
        self.keep_cookies(response.headers.get_all("Set-Cookie") or [])
        encoding = response.headers.get("Content-Encoding", "")
        if encoding == "br":
            raw = brotli.decompress(raw)
        elif encoding == "gzip":
            raw = gzip.decompress(raw)
        location = urlsplit(response.headers.get("Location", ""))
        target = location.path + (f"?{location.query}" if location.query else "")
        return response.status, target, raw.decode("utf-8", errors="replace")

    def keep_cookies(self, headers: list[str]) -> None:
        for header in headers:
            for name, morsel in SimpleCookie(header).items():
                gone = morsel["max-age"] == "0" or "1970" in morsel["expires"] or not morsel.value
                if gone:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, path: str, expect: int = 200) -> str:
        status, _, page = self.request("GET", path)
        if status != expect:
            raise Failed(f"GET {shape(path)}: {status}")
        return page

    def post(self, path: str, form: dict) -> str:
        """A form sent; answered with a redirect, whose path is returned."""
        status, target, _ = self.request("POST", path, form)
        if status not in (302, 303) or not target:
            raise Failed(f"POST {shape(path)}: {status}")
        return target


def shape(path: str) -> str:
    """A path with its numbers taken out, to group errors by page."""
    return re.sub(r"\d+", "N", path.split("?")[0])


def token(page: str, path: str) -> str:
    found = CSRF.search(page)
    if found is None:
        raise Failed(f"no CSRF token on {shape(path)}")
    return found.group(1)


def answers(question: QuestionPlan, rng: random.Random) -> dict[str, object]:
    name = f"q{question.id}"
    if question.kind == "single":
        return {name: str(rng.randrange(question.options))}
    if question.kind == "multiple":
        return {name: [str(i) for i in sorted(rng.sample(range(question.options), rng.randint(1, question.options)))]}
    if question.kind == "rating":
        return {name: str(rng.randint(1, question.scale_max))}
    if question.kind == "ranking":
        order = rng.sample(range(1, question.options + 1), question.options)
        return {f"{name}-{option}": str(rank) for option, rank in enumerate(order)}
    if question.kind in ("short_text", "long_text") and rng.random() < 0.5:
        return {name: rng.choice(["The bus is late most days.", "Cheaper fares for students, please."])}
    return {}


def sign_in(browser: Browser, email: str, password: str, next_path: str | None = None) -> str:
    """The sign-in form, then the redirect's path."""
    path = "/sign-in" + (f"?next={quote(next_path)}" if next_path else "")
    page = browser.get(path)
    return browser.post(path, {"csrf_token": token(page, path), "email": email, "password": password})


def submit_one(port: int, email: str, address: str, consultation: tuple[int, list[QuestionPlan]], seed: int) -> Browser:
    """One complete submission, as a browser goes through it. Raises Failed."""
    consultation_id, questions = consultation
    rng = random.Random(seed)
    browser = Browser(port, address)
    start = f"/consultations/{consultation_id}/respond"
    try:
        landing = sign_in(browser, email, PASSWORD, start)
        if landing != start:
            raise Failed(f"sign-in went to {shape(landing)}")
        page = browser.get(start)
        path = browser.post(start, {"csrf_token": token(page, start)})
        for question in questions:
            if path != f"{start}/{question.id}":
                raise Failed(f"expected question, went to {shape(path)}")
            page = browser.get(path)
            form = {"csrf_token": token(page, path), "action": "continue", **answers(question, rng)}
            path = browser.post(path, form)
        if path != f"{start}/check":
            raise Failed(f"expected check page, went to {shape(path)}")
        page = browser.get(path)
        form = {"csrf_token": token(page, path)}
        if rng.random() < 0.3:
            form["tell_me"] = "yes"
        done = browser.post(f"{start}/submit", form)
        if done != f"{start}/done":
            raise Failed(f"send went to {shape(done)}")
        browser.get(done)
    except Failed as failure:
        failure.browser = browser
        raise
    finally:
        browser.connection.close()
    return browser


def address_for(n: int) -> str:
    """Each simulated person's own address (10.16.0.1 on)."""
    return f"10.{16 + n // 65536}.{n // 256 % 256}.{n % 256 or 1}"


def run_for(seconds: float, clients: int, work: Callable[[int], Browser], jobs: Iterator[int]) -> tuple[Tally, float]:
    """``clients`` threads doing ``work(job)`` until ``seconds`` have passed
    or the jobs run out. A piece of work counts as done only if it ended in
    time; the requests of all of it count. Returns the tally and the seconds
    the window lasted."""
    tally = Tally()
    lock = threading.Lock()
    started = time.perf_counter()
    deadline = started + seconds
    ran_out = threading.Event()

    def loop() -> None:
        while time.perf_counter() < deadline:
            with lock:
                job = next(jobs, None)
            if job is None:
                ran_out.set()
                return
            errors: Counter = Counter()
            try:
                browser = work(job)
                done = 1 if time.perf_counter() < deadline else 0
            except Failed as failure:
                browser = failure.browser or Browser(0, "")
                errors[str(failure)] += 1
                done = 0
            tally.add(browser.latencies, browser.statuses, errors, done)

    threads = [threading.Thread(target=loop, daemon=True) for _ in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, (time.perf_counter() - started) if ran_out.is_set() else seconds


def page_rate(path: str, browsers: list[Browser]) -> tuple[Tally, float]:
    """One thread per browser asking for one page again and again for PAGE_SECONDS."""
    tally = Tally()
    started = time.perf_counter()
    deadline = started + PAGE_SECONDS

    def loop(browser: Browser) -> None:
        errors: Counter = Counter()
        done = 0
        while time.perf_counter() < deadline:
            try:
                browser.get(path)
                done += 1
            except Failed as failure:
                errors[str(failure)] += 1
        tally.add(browser.latencies, browser.statuses, errors, done)
        browser.connection.close()

    threads = [threading.Thread(target=loop, args=(browser,), daemon=True) for browser in browsers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return tally, time.perf_counter() - started


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


# --------------------------------------------------------------- the measurements


def bare_rate(bare: Server) -> tuple[Tally, float]:
    browsers = [Browser(bare.port, address_for(40_000 + n)) for n in range(PAGE_CLIENTS)]
    return page_rate("/", browsers)


def floor_rate(floor: Server) -> tuple[Tally, float]:
    """The floor page, each client with its own session (set by its first visit)."""
    browsers = [Browser(floor.port, address_for(45_000 + n)) for n in range(PAGE_CLIENTS)]
    for browser in browsers:
        browser.get("/")
        browser.latencies.clear()
        browser.statuses.clear()
    return page_rate("/", browsers)


def measure_pages(portal: Server, world: World) -> list[tuple[str, str, Tally, float]]:
    """(name, "public" or "signed in", tally, seconds) for each page."""
    port = portal.port
    results = []
    for n, (name, path) in enumerate(
        [("home page (visitor)", "/"), ("published update (visitor)", f"/updates/{world.update_id}")]
    ):
        visitors = [Browser(port, address_for(50_000 + 100 * n + i)) for i in range(PAGE_CLIENTS)]
        results.append((name, "public", *page_rate(path, visitors)))

    # Young people who have started the demo's open consultation, on its first question.
    consultation_id, questions = world.page_consultation
    start = f"/consultations/{consultation_id}/respond"
    people = []
    for n in range(PAGE_CLIENTS):
        browser = Browser(port, address_for(60_000 + n))
        sign_in(browser, world.emails[-(n + 1)], PASSWORD, start)
        page = browser.get(start)
        browser.post(start, {"csrf_token": token(page, start)})
        browser.latencies.clear()
        browser.statuses.clear()
        people.append(browser)
    results.append(("question page (young person)", "signed in", *page_rate(f"{start}/{questions[0].id}", people)))

    # The Chair signs in once; every thread uses that session (the per-account sign-in limit).
    chair = Browser(port, address_for(61_000))
    sign_in(chair, CHAIR_EMAIL, DEMO_PASSWORD)
    chair.connection.close()
    chairs = []
    for _ in range(PAGE_CLIENTS):
        browser = Browser(port, chair.address)
        browser.cookies = dict(chair.cookies)
        chairs.append(browser)
    results.append(
        ("statement editor (Chair)", "signed in", *page_rate(f"/statements/{world.statement_month}", chairs))
    )
    return results


def measure_submissions(portal: Server, world: World) -> tuple[Tally, float, int]:
    """A short warm-up, then SUBMIT_SECONDS of complete submissions by
    SUBMIT_CLIENTS people at once. Returns the tally, the seconds and how many
    submissions the accounts allowed."""
    # Consultation by consultation: a whole school answers the same one at once.
    slots = [(c, p) for c in range(len(world.consultations)) for p in range(len(world.emails))]
    jobs = iter(range(len(slots)))

    def work(job: int) -> Browser:
        c, p = slots[job]
        return submit_one(portal.port, world.emails[p], address_for(p), world.consultations[c], job)

    run_for(WARM_SECONDS, 4, work, jobs)
    tally, seconds = run_for(SUBMIT_SECONDS, SUBMIT_CLIENTS, work, jobs)
    return tally, seconds, len(slots)


def counted_responses(url: str, world: World) -> int:
    """Sent responses stored for the bench's consultations."""
    from portal.models import Response

    query = (
        sa.select(sa.func.count())
        .select_from(Response)
        .where(Response.status == "submitted", Response.consultation_id.in_([cid for cid, _ in world.consultations]))
    )
    engine = sa.create_engine(url)
    try:
        with engine.connect() as connection:
            return int(connection.execute(query).scalar_one())
    finally:
        engine.dispose()


# --------------------------------------------------------------- the report


def verdict(ok: bool) -> str:
    return "met" if ok else "not met"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def errors_of(tally: Tally) -> int:
    """Failed pieces of work, and 5xx answers however they ended."""
    server_errors = sum(n for status, n in tally.statuses.items() if status >= 500 or status == 0)
    return max(sum(tally.errors.values()), server_errors)


def print_table(rows: list[tuple[str, ...]]) -> None:
    header = ("figure", "value", "bare Flask", "ratio", "target", "result")
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    for row in [header, tuple("-" * w for w in widths), *rows]:
        print("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip())


def report(
    bare: list[tuple[Tally, float]],
    pages: list[tuple[str, str, Tally, float]],
    submitted: tuple[Tally, float, int],
    stored: int,
    restarts: tuple[int, int],
    per_submission: int,
    floor: tuple[Tally, float],
) -> None:
    bare_rates = [tally.done / seconds for tally, seconds in bare]
    reference = statistics.mean(bare_rates)
    bare_latencies = [value for tally, _ in bare for value in tally.latencies]
    rows: list[tuple[str, ...]] = []

    tally, seconds, slots = submitted
    rate = tally.done / seconds
    failures = errors_of(tally)
    p50, p95 = percentile(tally.latencies, 0.5), percentile(tally.latencies, 0.95)
    request_rate = len(tally.latencies) / seconds
    rows.append(
        (
            "complete submissions / s",
            f"{rate:.1f}",
            "",
            "",
            f">= {TARGET_SUBMISSIONS:.0f}",
            verdict(rate >= TARGET_SUBMISSIONS),
        )
    )
    rows.append(("  errors", str(failures), str(sum(errors_of(t) for t, _ in bare)), "", "0", verdict(failures == 0)))
    rows.append(("  request p50", ms(p50), ms(percentile(bare_latencies, 0.5)), "", "", ""))
    rows.append(
        (
            "  request p95",
            ms(p95),
            ms(percentile(bare_latencies, 0.95)),
            "",
            f"< {ms(TARGET_P95)}",
            verdict(p95 < TARGET_P95),
        )
    )
    rows.append(
        ("  requests / s in them", f"{request_rate:.0f}", f"{reference:.0f}", f"{request_rate / reference:.2f}", "", "")
    )
    floor_tally, floor_seconds = floor
    floor_value = floor_tally.done / floor_seconds
    rows.append(
        (
            "floor: a signed-in GOV.UK page (reference)",
            f"{floor_value:.0f}" + (f" ({errors_of(floor_tally)} errors)" if errors_of(floor_tally) else ""),
            f"{reference:.0f}",
            f"{floor_value / reference:.2f}",
            "",
            "",
        )
    )
    for name, kind, page_tally, page_seconds in pages:
        page_rate_value = page_tally.done / page_seconds
        ratio = page_rate_value / reference
        target = TARGET_PUBLIC if kind == "public" else TARGET_SIGNED_IN
        errors = errors_of(page_tally)
        rows.append(
            (
                f"{name} req/s",
                f"{page_rate_value:.0f}" + (f" ({errors} errors)" if errors else ""),
                f"{reference:.0f}",
                f"{ratio:.2f}",
                f">= {target} of bare",
                verdict(ratio >= target and errors == 0),
            )
        )
    print()
    print_table(rows)
    print()
    print(
        f"Bare Flask, measured before and after the portal: {bare_rates[0]:.0f} and {bare_rates[1]:.0f} req/s "
        f"(reference: their mean, {PAGE_CLIENTS} clients)."
    )
    print(
        f"Submissions: {tally.done} complete in {seconds:.0f} s by {SUBMIT_CLIENTS} clients "
        f"({len(tally.latencies)} requests, with those still in flight at the end; {per_submission} a submission); "
        f"sent responses stored for the bench's consultations: {stored} (warm-up included); "
        f"the accounts allow {slots}."
    )
    if tally.errors:
        print("  failures: " + "; ".join(f"{n} x {what}" for what, n in tally.errors.most_common(5)))
    print(
        "Page p95 latencies: "
        + ", ".join(f"{name.split(' (')[0]} {ms(percentile(t.latencies, 0.95))}" for name, _, t, _ in pages)
    )
    print(
        "Floor: the least a signed-in page costs on this stack (FLOOR_APP: a session, one query, a CSRF token, "
        "GOV.UK Frontend's page template and one radios macro, compressed; nothing else); no signed-in page "
        f"of the portal can be cheaper, so {floor_value / reference:.2f} of bare Flask is their ceiling on this machine."
    )
    print(f"gunicorn workers replaced during the run (max_requests): portal {restarts[0]}, bare {restarts[1]}.")


def main() -> None:
    url = database_url()
    why_not = reachable(url)
    if why_not:
        print(f"Load (bench/load.py): skipped: {why_not}")
        return
    started = time.perf_counter()
    print("Load: the portal under gunicorn (portal/gunicorn_conf.py, 2 workers) on PostgreSQL, next to a bare")
    print("Flask page served the same way, in the same run. Settings: PORTAL_ENV=production behind a TLS proxy")
    print("(PORTAL_PROXY_HOPS=1, X-Forwarded-Proto https, each simulated person's own address in X-Forwarded-For),")
    print("a fixed SECRET_KEY, PASSWORD_HASH_FAST; pages asked for compressed (br) as browsers do; visitors' pages")
    print("kept for 60 s in each worker (production's default).")
    load = os.getloadavg()
    print(
        f"Machine: {os.cpu_count()} CPUs, load average {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} at the start "
        f"(other work on the machine slows the portal and the reference alike)."
    )
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        folder = Path(tmp)
        (folder / "bench_portal.py").write_text(PORTAL_APP)
        (folder / "bench_bare.py").write_text(BARE_APP)
        (folder / "bench_floor.py").write_text(FLOOR_APP)
        recreate_database(url)
        servers: list[Server] = []
        try:
            t0 = time.perf_counter()
            world = build_world(url, folder)
            print(
                f"Database {make_url(url).database}: the demo, {PEOPLE} young people, {CONSULTATIONS} open "
                f"consultations of {len(world.consultations[0][1])} questions (copies of the demo's), "
                f"built in {time.perf_counter() - t0:.0f} s."
            )
            env = portal_env(url, folder)
            bare = Server(folder, "bench_bare", {}, "/")
            servers.append(bare)
            portal = Server(folder, "bench_portal", env, "/healthz")
            servers.append(portal)
            floor = Server(folder, "bench_floor", {"FLOOR_DATABASE_URL": url, "FLOOR_SECRET_KEY": SECRET_KEY}, "/")
            servers.append(floor)

            bare_runs = [bare_rate(bare)]
            floor_run = floor_rate(floor)
            floor.stop()
            pages = measure_pages(portal, world)
            submitted = measure_submissions(portal, world)
            bare_runs.append(bare_rate(bare))
            stored = counted_responses(url, world)
            restarts = (portal.restarts(), bare.restarts())
        finally:
            for server in servers:
                server.stop()
            recreate_database(url, drop_only=True)
        # Sign-in GET and POST, start page GET and POST, each question GET and POST, check, send, confirmation.
        per_submission = 7 + 2 * len(world.consultations[0][1])
        report(bare_runs, pages, submitted, stored, restarts, per_submission, floor_run)
    print(f"Whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
