"""Prints how long the Cabinet Member's published update takes as a PDF and as
a Word file, and how the published page is served, for the demo's July 2020
update and for a 200-paragraph one.

Run: .venv/bin/python bench/updates.py   (or `make bench`)
"""

from __future__ import annotations

import contextlib
import logging
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, select

from portal import create_app
from portal.demo.world import load_demo
from portal.extensions import db
from portal.models import CabinetUpdate, UpdateVersion, User
from portal.updates import operations as ops
from portal.updates.documents import render_docx, render_pdf
from portal.updates.importer import ImportedReport, ImportedSection

RUNS = 5
PAGE_RUNS = 20
SECTIONS = 10
PARAGRAPHS_PER_SECTION = 20
MEMBER = "cabinet.member@demo.example"
JULY_2020 = date(2020, 7, 1)
BIG_MEETING = date(2020, 9, 18)

TOPICS = [
    "early help",
    "fostering recruitment",
    "the Youth Cabinet",
    "social work caseloads",
    "mental health in schools",
    "care leavers",
    "the Children First programme",
    "youth services",
    "placements",
    "the workforce strategy",
]


def _sentence(rng_index: int) -> str:
    topic = TOPICS[rng_index % len(TOPICS)]
    return (
        f"Work on {topic} has continued this month, with partners across the county meeting every week "
        f"to review progress against the plan and agree what comes next (item {rng_index})."
    )


def paragraph_text(index: int) -> str:
    """Four shapes in turn: plain text; text with **bold**; text and bullets;
    text, bullets with nested bullets and bold."""
    shape = index % 4
    if shape == 0:
        return " ".join(_sentence(index + k) for k in range(3))
    if shape == 1:
        return (
            f"{_sentence(index)} **{27 + index} new foster carers** were approved, against a target of "
            f"**{30 + index}**. {_sentence(index + 1)}"
        )
    if shape == 2:
        return f"{_sentence(index)}\n\n- {_sentence(index + 1)}\n- {_sentence(index + 2)}\n- {_sentence(index + 3)}"
    return (
        f"{_sentence(index)} The main points were:\n\n"
        f"- **Caseloads**: {_sentence(index + 1)}\n"
        f"  - average caseload down to {14 + index % 5} children\n"
        f"  - **{index % 9 + 2} teams** now within the target\n"
        f"- **Recruitment**: {_sentence(index + 2)}\n"
        f"  - {index % 7 + 3} newly qualified social workers started\n"
        f"    - each with a protected caseload in their first year"
    )


def big_report() -> ImportedReport:
    sections = []
    number = 0
    for s in range(SECTIONS):
        paragraphs = []
        for _ in range(PARAGRAPHS_PER_SECTION):
            paragraphs.append(paragraph_text(number))
            number += 1
        sections.append(ImportedSection(f"Section {s + 1}: {TOPICS[s].capitalize()}", paragraphs))
    return ImportedReport(
        title="Children First Service Improvement Programme: Progress Report – September 2020 (benchmark)",
        sections=sections,
        closing="With my best wishes.",
        sign_off_label="For information",
        signatory_name="Jacquie Russell",
        signatory_role="Cabinet Member for Children and Young People",
        contact_officer="Lance John, Business Manager, 033 022 23456",
    )


def publish_big_update(app) -> int:
    """The 200-paragraph update, published with July 2020's accepted statement appended."""
    with app.test_request_context(base_url=app.config["BASE_URL"]):
        member = db.session.scalar(select(User).where(User.email == MEMBER))
        update = ops.create_from_import(member, member, JULY_2020, big_report())
        ops.save_details(
            member,
            update,
            {
                "title": update.title,
                "meeting_date": BIG_MEETING,
                "period_start": date(2020, 8, 1),
                "period_end": date(2020, 9, 18),
                "statement_month": JULY_2020,
                "include_numbers": True,
            },
            update.details_version,
        )
        ops.publish(member, update, now=datetime(2020, 9, 14, 9, 0, tzinfo=UTC), tell_chair=False)
        return update.id


def page_count(pdf: bytes, folder: Path) -> str:
    if shutil.which("pdfinfo"):
        path = folder / "count.pdf"
        path.write_bytes(pdf)
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=False).stdout
        if match := re.search(r"^Pages:\s+(\d+)", out, re.MULTILINE):
            return match.group(1)
    # No pdfinfo: count the page objects, looking inside compressed object streams too.
    parts = [pdf]
    for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.DOTALL):
        with contextlib.suppress(zlib.error):
            parts.append(zlib.decompress(stream))
    return str(sum(len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", part)) for part in parts))


def timed(function, *args, runs: int = RUNS) -> tuple[list[float], object]:
    result = function(*args)  # warm-up
    timings = []
    for _ in range(runs):
        start = time.perf_counter()
        result = function(*args)
        timings.append(time.perf_counter() - start)
    return timings, result


def ms(timings: list[float]) -> str:
    return f"median {statistics.median(timings) * 1000:7.1f} ms, slowest {max(timings) * 1000:7.1f} ms"


def size(data: bytes) -> str:
    return f"{len(data) / 1024:.0f} KiB"


def demo_app(folder: Path):
    """The portal on an SQLite file in ``folder``, with the demo world loaded."""
    app = create_app(
        {
            "ENV": "testing",
            "SECRET_KEY": "bench-secret-key",
            "DATABASE_URL": f"sqlite:///{folder / 'bench.db'}",
            "OUTBOX_DIR": str(folder / "outbox"),
            "MAIL_SERVER": "",
            "BASE_URL": "http://localhost",
        }
    )
    # create_app logs at INFO; keep the figures readable.
    for name in ("weasyprint", "fontTools", "portal"):
        logging.getLogger(name).setLevel(logging.WARNING)
    with app.app_context():
        db.create_all()
        load_demo()
    return app


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-updates-") as tmp:
        folder = Path(tmp)
        app = demo_app(folder)

        with app.app_context():
            demo_id = db.session.scalar(select(CabinetUpdate.id).where(CabinetUpdate.meeting_date == date(2020, 7, 17)))
            engine = db.engine
        big_id = publish_big_update(app)

        print("Cabinet Member's update: the published version as PDF (WeasyPrint) and Word (python-docx),")
        print(f"and the published page. One warm-up, then {RUNS} runs per file and {PAGE_RUNS} page requests,")
        print("on a throwaway SQLite database with the demo loaded.")
        print(
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.system()} {platform.machine()})"
        )

        client = app.test_client()
        for label, update_id in (("Demo July 2020 update", demo_id), ("200-paragraph update", big_id)):
            with app.test_request_context(base_url=app.config["BASE_URL"]):
                version = db.session.scalar(
                    select(UpdateVersion).where(UpdateVersion.update_id == update_id, UpdateVersion.number == 1)
                )
                content = version.content
                paragraphs = sum(len(s["paragraphs"]) for s in content["sections"])
                statement = "with" if content["chair_statement"] else "without"
                pdf_times, pdf = timed(render_pdf, content)
                docx_times, docx = timed(render_docx, content)

            url = f"/updates/{update_id}/v1"
            queries: list[int] = []
            page_times = []
            client.get(url)  # warm-up
            for _ in range(PAGE_RUNS):
                counter = [0]

                def count(*args, counter=counter) -> None:
                    counter[0] += 1

                event.listen(engine, "before_cursor_execute", count)
                start = time.perf_counter()
                response = client.get(url)
                page_times.append(time.perf_counter() - start)
                event.remove(engine, "before_cursor_execute", count)
                assert response.status_code == 200, response.status_code
                queries.append(counter[0])
            page_bytes = len(response.get_data())
            query_note = (
                f"{queries[0]} SQL queries" if len(set(queries)) == 1 else f"{min(queries)}-{max(queries)} SQL queries"
            )

            print()
            print(
                f"{label}: {len(content['sections'])} sections, {paragraphs} paragraphs, {statement} the Chair's statement"
            )
            print(f"  PDF   {ms(pdf_times)}   {size(pdf)}, {page_count(pdf, folder)} pages")
            print(f"  Word  {ms(docx_times)}   {size(docx)}")
            print(
                f"  page  GET {url}: median {statistics.median(page_times) * 1000:.1f} ms of {PAGE_RUNS}, "
                f"{query_note}, {page_bytes / 1024:.0f} KiB of HTML"
            )

        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
