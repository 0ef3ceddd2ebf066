"""Fixtures for the browser tests: the portal served from a thread on
127.0.0.1 with the demo world loaded, Debian's Chromium, and extra browser
contexts. Plain helpers (signing in, the axe check, htmx waits) are in
helpers.py.

One browser for the test process; each test opens its own context. The
server is module-scoped, on a database of its own: each module's journeys
start from the demo world as loaded (they change it as they go).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from flask import Flask
from playwright.sync_api import Browser, BrowserContext, Page, expect
from werkzeug.serving import make_server

from portal.demo.world import load_demo
from portal.extensions import db
from tests.conftest import make_app
from tests.database import scratch_database_url

# Everything that waits should answer in well under this on a local server;
# a failure then costs seconds, not Playwright's default 30.
TIMEOUT_MS = 7_000

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


@dataclass(frozen=True)
class LiveServer:
    app: Flask
    url: str


@pytest.fixture(scope="module")
def live_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The portal on a free port of 127.0.0.1, demo world loaded, mail to an outbox folder.
    Its database is its own: the server's threads commit for real."""
    folder = tmp_path_factory.mktemp("live")
    with scratch_database_url(folder, "live") as database_url:
        yield from _serve(make_app(folder, database_url=database_url))


def _serve(app: Flask) -> Iterator[LiveServer]:
    with app.app_context():
        db.drop_all()  # PostgreSQL: another module's tables may still be there
        db.create_all()
        load_demo()
        db.session.remove()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    url = f"http://127.0.0.1:{server.server_port}"
    # Links in emails must point at this server.
    app.config["BASE_URL"] = url
    thread = threading.Thread(target=server.serve_forever, name="portal-live-server", daemon=True)
    thread.start()
    try:
        yield LiveServer(app, url)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)
        with app.app_context():
            # PostgreSQL waits forever on drop_all while a session holds locks.
            db.session.remove()
            db.drop_all()
            db.engine.dispose()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="module")
def browser_context_args(browser_context_args: dict, live_server: LiveServer) -> dict:
    """Relative URLs (page.goto("/people")) go to the live server."""
    return {**browser_context_args, "base_url": live_server.url}


@pytest.fixture(autouse=True)
def _short_timeouts(request: pytest.FixtureRequest) -> None:
    expect.set_options(timeout=TIMEOUT_MS)
    if "page" in request.fixturenames:
        request.getfixturevalue("page").set_default_timeout(TIMEOUT_MS)


@pytest.fixture
def new_context(browser: Browser, browser_context_args: dict) -> Iterator[Callable[..., BrowserContext]]:
    """Make extra browser contexts (a second tab, another person, JavaScript off),
    with the short timeouts, closed after the test."""
    made: list[BrowserContext] = []

    def make(**overrides) -> BrowserContext:
        context = browser.new_context(**{**browser_context_args, **overrides})
        context.set_default_timeout(TIMEOUT_MS)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


@pytest.fixture
def new_page(new_context: Callable[..., BrowserContext]) -> Callable[[], Page]:
    """Make a page in a browser context of its own (one person's browser,
    downloads allowed), closed after the test."""
    return lambda: new_context(accept_downloads=True).new_page()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser cancels downloads when it moves to the next page (a favicon,
    a stylesheet); Werkzeug's development server then leaves that file for the
    garbage collector, which Python reports as an "exception ignored". That is
    the test server's housekeeping, not the portal's, so browser tests do not
    fail on it. Every other warning is still an error."""
    for item in items:
        if "tests/browser/" in str(item.fspath).replace("\\", "/"):
            item.add_marker(
                pytest.mark.filterwarnings("ignore:Exception ignored in:pytest.PytestUnraisableExceptionWarning")
            )
