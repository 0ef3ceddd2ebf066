"""The front door: `make run` serves links that point at the port it serves (#14.21)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_make_run_links_follow_the_port_served():
    env = {k: v for k, v in os.environ.items() if k != "PORTAL_BASE_URL"}
    planned = subprocess.run(
        ["make", "-n", "run", "PORT=8123"], cwd=ROOT, capture_output=True, text=True, check=True, env=env
    ).stdout
    # One shell for the worker and the web server: both get the address.
    planned = "\n".join(line for line in planned.splitlines() if not line.startswith("make"))  # make[1]: ... under make
    recipe = planned[planned.index("export PORTAL_BASE_URL") :]
    assert recipe.startswith('export PORTAL_BASE_URL="${PORTAL_BASE_URL:-http://127.0.0.1:8123}"; \\')
    assert recipe.rstrip().endswith("flask run --host 127.0.0.1 --port 8123")


def test_make_run_starts_the_queue_worker_beside_the_web_server_and_stops_it_after():
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    start = planned.index("huey_consumer portal.worker.huey")
    assert start < planned.index("flask run")
    assert "trap 'kill $worker" in planned and "worker=$!" in planned


def test_a_second_make_run_starts_the_app_twice_not_three_times():
    """#14.27: the schema upgrade and the demo load share one start of the app
    (each costs about two seconds), so a second `make run` is a few seconds."""
    planned = subprocess.run(["make", "-n", "run"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    flask = [line for line in planned.splitlines() if "/flask " in line and "flask demo code" not in line]
    assert len(flask) == 2, flask
    assert "demo load --if-empty --upgrade" in flask[0] and "flask run" in flask[1]
