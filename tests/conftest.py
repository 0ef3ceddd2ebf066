"""Fixtures shared by every test: the app on an empty schema, a client that
sends CSRF tokens like a browser, and one signed-in person per role.

The database is SQLite in a temporary folder, or PostgreSQL when
PORTAL_DATABASE_URL points at one (CI runs the suite both ways). The app and
its tables are built once per test process; each test runs in a transaction
that is rolled back (tests/database.py). Tables come from ``create_all`` here
only; the migration tests check that the migrations build the same schema.
"""

from __future__ import annotations

import os
import re
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default as email_policy
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, event

from portal import create_app
from portal.extensions import db, limiter
from portal.models import User
from portal.people.operations import create_account
from portal.roles import Role
from tests.database import (
    install_test_session,
    scratch_database_url,
    transaction_for_test,
    transactional_sqlite,
)

PASSWORD = "correct horse battery"
# The real documents the portal is modelled on, kept in the repository.
SEEDS = Path(__file__).resolve().parent.parent / "docs" / "seeds"
SAVEPOINT_STATEMENT = re.compile(r"\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\b", re.IGNORECASE)
CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)">')


def pytest_configure(config: pytest.Config) -> None:
    # Warnings are errors, except one that pytest-playwright 0.10 raises under pytest 9.
    config.addinivalue_line("filterwarnings", "error")
    config.addinivalue_line("filterwarnings", "ignore::pytest.PytestRemovedIn10Warning")
    config.addinivalue_line("filterwarnings", "ignore::DeprecationWarning:pytest_playwright.*")
    # pygal installs an import hook for its optional maps that predates find_spec.
    config.addinivalue_line("filterwarnings", "ignore:PluginImportFixer:ImportWarning")
    config.addinivalue_line("markers", "browser: drives Chromium with Playwright")
    config.addinivalue_line("markers", "commits: needs a database of its own with real commits (threads racing)")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """In CI a skipped test is a failed run: nothing may quietly not run."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if os.environ.get("CI") == "true" and skipped:
        if reporter:
            reporter.write_line(f"CI: {skipped} test(s) skipped; in CI every test must run.", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


class _Session:
    """What the whole test process shares: the database URL and the app on it."""

    url: str = ""


SESSION = _Session()
install_test_session()


def make_app(tmp_path, database_url: str | None = None, **overrides) -> Flask:
    """An app with test settings. Its database work goes through the current
    test's transaction; ``database_url`` names another database (a scratch one)."""
    config = {
        "ENV": "testing",
        "SECRET_KEY": "test-secret-key",
        "DATABASE_URL": database_url or SESSION.url or f"sqlite:///{tmp_path / 'test.db'}",
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "MAIL_SERVER": "",
        "BASE_URL": "http://localhost",
        # Two-step sign-in is off for every role here; its own tests turn it on
        # (tests/auth/test_two_step.py, tests/browser/test_two_step.py).
        "TWO_STEP_ROLES": [],
    }
    config.update(overrides)
    return create_app(config)


def make_production_app(tmp_path) -> Flask:
    """An app with production settings (a real secret key and safeguarding
    address) on an SQLite file of its own, schema made."""
    app = make_app(
        tmp_path,
        database_url=f"sqlite:///{tmp_path / 'production.db'}",
        ENV="production",
        SECRET_KEY="x" * 64,
        CONCERN_EMAIL="safeguarding@westsussex.gov.uk",
        TASKS_URL=f"sqlite:///{tmp_path / 'tasks.db'}",  # jobs queue there; no worker runs them
    )
    with app.app_context():
        db.create_all()
    return app


@pytest.fixture(scope="session")
def base_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    """The app and its schema, built once for the test process."""
    folder = tmp_path_factory.mktemp("database")
    with scratch_database_url(folder, "tests") as url:
        SESSION.url = url
        app = make_app(folder, database_url=url)
        with app.app_context():
            transactional_sqlite(db.engine)
            db.session.remove()
            db.drop_all()
            db.create_all()
        try:
            yield app
        finally:
            with app.app_context():
                db.session.remove()
                db.engine.dispose()
            SESSION.url = ""


@pytest.fixture
def connection(base_app: Flask) -> Iterator[Connection]:
    """The test's connection, in a transaction rolled back after the test."""
    with base_app.app_context():
        engine = db.engine
    with transaction_for_test(engine) as connection:
        yield connection


@pytest.fixture
def app(request: pytest.FixtureRequest, tmp_path) -> Iterator[Flask]:
    """The app on an empty schema. No app context stays pushed while the test
    runs: requests must not share ``g`` (Flask-Login and CSRF cache there), so
    tests open ``with app.app_context():`` around their own database work.

    Tests marked ``commits`` (requests racing on threads) get a database of
    their own with real commits; every other test runs in one transaction."""
    if request.node.get_closest_marker("commits"):
        yield from _committing_app(tmp_path)
        return
    app = request.getfixturevalue("base_app")
    request.getfixturevalue("connection")
    saved = dict(app.config)
    app.config["OUTBOX_DIR"] = str(tmp_path / "outbox")
    app.test_client_class = PortalClient
    limiter.reset()
    try:
        yield app
    finally:
        app.config.clear()
        app.config.update(saved)


def _committing_app(tmp_path) -> Iterator[Flask]:
    with scratch_database_url(tmp_path, "commits") as url:
        app = make_app(tmp_path, database_url=url)
        with app.app_context():
            db.drop_all()
            db.create_all()
        limiter.reset()
        try:
            yield app
        finally:
            with app.app_context():
                # PostgreSQL waits forever on drop_all while a session holds locks.
                db.session.remove()
                db.drop_all()
                db.engine.dispose()


class PortalClient(FlaskClient):
    """A test client that sends the CSRF token with every form, as a browser does."""

    def csrf_token(self) -> str:
        # A page with a form that posts, as a browser would have: a visitor's
        # page with nothing to send keeps no token (portal/caching.py).
        page = self.get("/report-a-concern").get_data(as_text=True)
        match = CSRF_META.search(page)
        assert match, "no CSRF token on the page"
        return match.group(1)

    def submit(self, url: str, data: dict | None = None, **kwargs):
        data = dict(data or {})
        data.setdefault("csrf_token", self.csrf_token())
        return self.post(url, data=data, **kwargs)

    def sign_in(self, email: str, password: str = PASSWORD):
        return self.submit("/sign-in", {"email": email, "password": password})


@pytest.fixture
def client(app: Flask) -> PortalClient:
    app.test_client_class = PortalClient
    return app.test_client()  # type: ignore[return-value]


@dataclass(frozen=True)
class Person:
    """What a test needs of an account, usable outside an app context."""

    id: int
    email: str
    display_name: str
    role: str


def add_person(role: Role | str, email: str | None = None, name: str | None = None, **details) -> Person:
    """Create an active account (call inside an app context)."""
    role = Role(role)
    if role.is_young:
        details.setdefault("age_band", "14-16")
        details.setdefault("district", "Crawley")
    if role == Role.PARTNER:
        details.setdefault("organisation", "A mental health service")
    user = create_account(
        email=email or f"{role.value}@test.example",
        display_name=name or role.label,
        role=role.value,
        password=PASSWORD,
        **details,
    )
    return Person(user.id, user.email, user.display_name, user.role)


@pytest.fixture
def people(app) -> dict[str, Person]:
    """One active person for each role, keyed by role value."""
    with app.app_context():
        return {role.value: add_person(role) for role in Role}


def fetch_user(app, user_id: int) -> User:
    """A fresh copy of an account from the database, detached and fully loaded."""
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user is not None
        db.session.expunge(user)
        return user


@pytest.fixture
def signed_in(client: PortalClient, people):
    """``signed_in("officer")`` signs the client in as that role's person."""

    def sign_in(role: str) -> Person:
        response = client.sign_in(people[role].email)
        assert response.status_code == 303, response.get_data(as_text=True)
        return people[role]

    return sign_in


class QueryCounter:
    """Counts the statements a page runs. The savepoints that stand in for
    commits inside a test's transaction are not the page's queries."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, _connection, _cursor, statement: str, *args) -> None:
        if not SAVEPOINT_STATEMENT.match(statement):
            self.count += 1


@pytest.fixture
def count_queries(app):
    """``with count_queries() as counter: ...`` counts the SQL statements run."""
    from contextlib import contextmanager

    @contextmanager
    def counting():
        counter = QueryCounter()
        with app.app_context():
            engine = db.engine
        event.listen(engine, "before_cursor_execute", counter)
        try:
            yield counter
        finally:
            event.remove(engine, "before_cursor_execute", counter)

    return counting


def outbox_messages(app) -> list[EmailMessage]:
    """The mails written to the outbox folder, oldest first."""
    folder = Path(app.config["OUTBOX_DIR"])
    if not folder.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=email_policy)  # type: ignore[misc]
        for path in sorted(folder.glob("*.eml"))
    ]


def link_in(message: EmailMessage) -> str:
    """The path of the portal link in an email."""
    body = message.get_content()
    match = re.search(r"http://localhost(/\S+)", body)
    assert match, body
    return match.group(1)


def shows_49(html: str) -> bool:
    """Whether a page's visible text contains 49 as a number: {{7*7}} evaluated.
    Tags and attributes (CSRF tokens, ids) are left out, so a token that happens
    to hold "49" does not count; so are times ("Saved at 13:49"), which a run
    in the 49th minute of an hour would otherwise take for it."""
    text = re.sub(r"<[^>]*>", " ", html)
    return re.search(r"(?<![\w.:-])49(?![\w:-])", text) is not None


def at_the_same_moment(sends: list) -> list[int]:
    """Run each of ``sends`` (a function sending one request) on its own thread,
    all released at once by a barrier; the answers' status codes. Any error
    in a thread fails the test."""
    import threading

    barrier = threading.Barrier(len(sends))
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(send) -> None:
        try:
            barrier.wait()
            statuses.append(send().status_code)
        except BaseException as error:  # reported below, with the others
            errors.append(error)

    threads = [threading.Thread(target=run, args=(send,)) for send in sends]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    return statuses


@pytest.fixture
def running_queue(app, tmp_path) -> Iterator[object]:
    """The background jobs' queue as production has it (portal/tasks.py): jobs
    stored in an SQLite file, and a worker thread running them."""
    from portal import tasks

    app.config["BACKGROUND_INLINE"] = False
    app.config["TASKS_URL"] = f"sqlite:///{tmp_path / 'tasks.db'}"
    tasks.init_app(app)
    stop = threading.Event()

    def worker() -> None:
        while not stop.is_set():
            task = tasks.huey.dequeue()
            if task is None:
                stop.wait(0.02)
            else:
                tasks.huey.execute(task)

    thread = threading.Thread(target=worker, name="test-queue-worker", daemon=True)
    thread.start()
    try:
        yield tasks.huey
    finally:
        stop.set()
        thread.join(10)
        app.config["BACKGROUND_INLINE"] = True
        tasks.init_app(app)
