"""How long the test suite takes, against its budget.

Runs the suite as `make test` does (pytest-xdist, coverage) in a child
process and prints its wall time and the CPU seconds it and every process it
started used (workers, Chromium). It also counts the tests and the behaviours
they check: the permission matrix is one test per route that checks every
role, so its behaviours are its (route, path, role) answers.

    .venv/bin/python bench/suite.py             # SQLite
    PORTAL_DATABASE_URL=postgresql+psycopg://... .venv/bin/python bench/suite.py

Budget (issue: a suite ten times faster): at most 360 CPU seconds for the
suite on SQLite, about 3 minutes of wall time on a quiet 2-core machine.
The reference, measured in the same run, is Python starting and importing
the portal: a busy machine slows both.
"""

from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUDGET_CPU_SECONDS = 360
PYTHON = sys.executable


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(command: list[str]) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the command and its descendants, its output."""
    cpu_before, started = children_cpu(), time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    wall, cpu = time.perf_counter() - started, children_cpu() - cpu_before
    if done.returncode != 0:
        sys.stdout.write(done.stdout[-4000:] + done.stderr[-2000:])
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode})")
    return wall, cpu, done.stdout


def behaviours() -> tuple[int, int]:
    """(routes in the permission matrix, role answers it checks)."""
    sys.path.insert(0, str(ROOT))
    from tests.core.test_permissions import CASES, MATRIX

    return len(MATRIX), len(CASES)


def main() -> None:
    database = "PostgreSQL" if os.environ.get("PORTAL_DATABASE_URL", "").startswith("postgresql") else "SQLite"
    ref_wall, ref_cpu, _ = run(
        [PYTHON, "-c", "import portal; portal.create_app({'ENV': 'testing', 'SECRET_KEY': 'x'})"]
    )
    wall, cpu, output = run(
        [PYTHON, "-m", "pytest", "tests", "-q", "-n", "auto", "--dist", "loadfile", "--cov", "--cov-report=term"]
    )
    passed = re.search(r"(\d+) passed", output)
    total = re.search(r"^TOTAL.*?(\d+(?:\.\d+)?)%\s*$", output, flags=re.MULTILINE)
    routes, answers = behaviours()
    print(f"Test suite on {database}, {os.cpu_count()} CPUs")
    print(f"  tests passed:            {passed.group(1) if passed else '?'}")
    print(f"  permission matrix:       {routes} routes, {answers} role answers checked")
    print(f"  coverage of portal/:     {total.group(1) if total else '?'}%")
    print(f"  wall time:               {wall:7.1f} s")
    print(
        f"  CPU time (all processes): {cpu:6.1f} s   budget {BUDGET_CPU_SECONDS} s: {'within' if cpu <= BUDGET_CPU_SECONDS else 'OVER'}"
    )
    print(f"  reference (start Python, build the app): {ref_wall:.2f} s wall, {ref_cpu:.2f} s CPU")
    print(f"  suite / reference (CPU): {cpu / ref_cpu:.0f}x")


if __name__ == "__main__":
    main()
