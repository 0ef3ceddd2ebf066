"""Prints how long the Area of Interest pairing takes for 200 members and 12 portfolios.

Run: .venv/bin/python bench/pairing.py   (or `make bench`)
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from portal.aoi.pairing import optimal_pairing, total_cost


def case(seed: int, members: int = 200, portfolios: int = 12, places: int = 17):
    rng = random.Random(seed)
    people = list(range(members))
    capacity = {p: places for p in range(portfolios)}
    ranks = {}
    for m in people:
        if rng.random() < 0.1:
            continue  # some members give no preference
        ranks[m] = {p: r for r, p in enumerate(rng.sample(range(portfolios), 3), start=1)}
    return people, capacity, ranks


def main() -> None:
    timings = []
    for seed in range(20):
        people, capacity, ranks = case(seed)
        start = time.perf_counter()
        result = optimal_pairing(people, capacity, ranks)
        timings.append(time.perf_counter() - start)
    first = sum(1 for m, p in result.items() if ranks.get(m, {}).get(p) == 1)
    print("Area of Interest pairing: 200 members, 12 portfolios of 17 places, 20 runs")
    print(f"  median {statistics.median(timings) * 1000:.1f} ms, slowest {max(timings) * 1000:.1f} ms")
    print(f"  last run: {first} of {len(people)} got their first choice; total cost {total_cost(result, ranks)}")


if __name__ == "__main__":
    main()
