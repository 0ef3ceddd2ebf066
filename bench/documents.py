"""Prints how long a published update's PDF and Word file take to serve from
storage (#16.1), against rendering them as every download once did, for the
200-paragraph update of bench/updates.py. Both are measured in the same run.

Run: .venv/bin/python bench/documents.py   (or `make bench`)
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select

from bench.updates import demo_app, ms, publish_big_update, size, timed
from portal.extensions import db
from portal.models import UpdateVersion
from portal.updates.stored import KINDS

RUNS = 5
SERVE_RUNS = 50


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-documents-") as tmp:
        folder = Path(tmp)
        app = demo_app(folder)
        update_id = publish_big_update(app)  # published by the operation: nothing stored yet

        print("Cabinet Member's update: a published version's PDF and Word file, rendered for the request")
        print(f"(as every download did before #16.1; one warm-up, then {RUNS} runs) and served from storage")
        print(f"(GET of the download URL after the first download stored it; {SERVE_RUNS} requests),")
        print("for the 200-paragraph update, on a throwaway SQLite database with the demo loaded.")
        print(
            f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()} ({platform.system()} {platform.machine()})"
        )

        client = app.test_client()
        for kind in KINDS.values():
            with app.test_request_context(base_url=app.config["BASE_URL"]):
                content = db.session.scalar(
                    select(UpdateVersion.content).where(UpdateVersion.update_id == update_id, UpdateVersion.number == 1)
                )
                render_times, rendered = timed(kind.render, content)

            url = f"/updates/{update_id}/v1/{kind.name}"
            start = time.perf_counter()
            first = client.get(url)  # renders and stores
            first_time = time.perf_counter() - start
            assert first.status_code == 200, first.status_code
            serve_times = []
            for _ in range(SERVE_RUNS):
                start = time.perf_counter()
                response = client.get(url)
                serve_times.append(time.perf_counter() - start)
                assert response.status_code == 200 and response.data == first.data

            ratio = statistics.median(render_times) / statistics.median(serve_times)
            print()
            print(f"{kind.name.upper()} ({size(rendered)})")
            print(f"  rendered for the request     {ms(render_times)}")
            print(f"  first download (and stored)  {first_time * 1000:7.1f} ms")
            print(f"  served from storage          {ms(serve_times)}")
            print(f"  serving from storage is {ratio:,.0f} times faster than rendering")

        with app.app_context():
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
