"""#16.1: the spreadsheet of every response is made by the queue's worker
while its page shows how far it has got; htmx asks every two seconds and
stops once it is ready. Axe on each state; desktop and 320 px screenshots."""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from portal import tasks
from tests.browser.helpers import assert_accessible, screenshots, sign_in


@pytest.fixture
def queue_without_worker(live_server, tmp_path) -> Iterator[threading.Event]:
    """The live portal's jobs go to a queue in a file; a worker starts when the test says."""
    app = live_server.app
    app.config["BACKGROUND_INLINE"] = False
    app.config["TASKS_URL"] = f"sqlite:///{tmp_path / 'tasks.db'}"
    tasks.init_app(app)
    start, stop = threading.Event(), threading.Event()

    def worker() -> None:
        start.wait()
        while not stop.is_set():
            task = tasks.huey.dequeue()
            if task is None:
                stop.wait(0.05)
            else:
                tasks.huey.execute(task)

    thread = threading.Thread(target=worker, daemon=True)
    thread.start()
    try:
        yield start
    finally:
        start.set()
        stop.set()
        thread.join(10)
        app.config["BACKGROUND_INLINE"] = True
        tasks.init_app(app)


def _brand_consultation(app) -> int:
    from portal.extensions import db
    from portal.models import Consultation

    with app.app_context():
        return db.session.scalar(db.select(Consultation.id).where(Consultation.title == "Our name, brand and wording"))


def test_the_progress_page_updates_itself_until_the_spreadsheet_is_ready(page: Page, live_server, queue_without_worker):
    sign_in(page, "officer@demo.example")
    page.goto(f"/consultations/{_brand_consultation(live_server.app)}/results")
    page.get_by_role("link", name="Every response as a spreadsheet (XLSX)").click()
    page.get_by_role("button", name="Make the spreadsheet").click()

    status = page.locator("#spreadsheet-status")
    expect(status).to_contain_text("Waiting to start.")
    expect(page.get_by_role("link", name="Check again")).to_be_visible()
    assert_accessible(page, "spreadsheet: waiting for the worker")
    screenshots(page, "spreadsheet-waiting")

    # The worker starts: htmx's next question (every 2 s) gets the finished block, answered 286.
    with page.expect_response(lambda r: "/spreadsheets/" in r.url and r.status == 286, timeout=15_000):
        queue_without_worker.set()
    expect(status).to_contain_text("The spreadsheet is ready")
    download = page.get_by_role("link", name=re.compile(r"^Download the spreadsheet \(XLSX, [\d.]+ [KM]B\)$"))
    expect(download).to_be_visible()
    assert_accessible(page, "spreadsheet: ready (after htmx)")
    screenshots(page, "spreadsheet-ready")

    page.set_viewport_size({"width": 320, "height": 700})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    with page.expect_download() as got:
        download.click()
    assert got.value.suggested_filename == "our-name-brand-and-wording-responses.xlsx"
