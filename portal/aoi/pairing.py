"""The optimal pairing of Youth Cabinet members with portfolios.

An assignment problem: each portfolio offers as many slots as its capacity;
each member takes one slot. The cost of a slot is how far down the member's
ranking its portfolio is. SciPy's ``linear_sum_assignment`` finds the
assignment of least total cost, so every member is placed whenever there are
enough slots, no capacity is exceeded, and preferences are met as well as they
can be. Costs grow faster than the ranks (0, 1, 3, and 9 for a portfolio the
member did not rank): a first choice weighs most, and giving one member their
third choice costs more than giving two members their second.

The same input always gives the same result: members and portfolios are
sorted by id before the matrix is built, and the solver is deterministic.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from scipy.optimize import linear_sum_assignment

RANK_COST = {1: 0, 2: 1, 3: 3}
UNRANKED_COST = 9


def cost_of(rank: int | None) -> int:
    return RANK_COST.get(rank, UNRANKED_COST) if rank else UNRANKED_COST


def optimal_pairing(
    members: list[int],
    capacity: Mapping[int, int],
    ranks: Mapping[int, Mapping[int, int]],
) -> dict[int, int | None]:
    """member id -> portfolio id (None when there is no room left).

    ``capacity``: portfolio id -> how many members it takes.
    ``ranks``: member id -> {portfolio id: rank 1..3}.
    """
    people = sorted(set(members))
    slots = [p for p in sorted(capacity) for _ in range(max(0, capacity[p]))]
    result: dict[int, int | None] = dict.fromkeys(people)
    if not people or not slots:
        return result
    cost = np.full((len(people), len(slots)), UNRANKED_COST, dtype=np.int64)
    for i, member in enumerate(people):
        member_ranks = ranks.get(member, {})
        for j, portfolio in enumerate(slots):
            cost[i, j] = cost_of(member_ranks.get(portfolio))
    rows, cols = linear_sum_assignment(cost)
    for i, j in zip(rows, cols, strict=True):
        result[people[i]] = slots[j]
    return result


def total_cost(pairing: Mapping[int, int | None], ranks: Mapping[int, Mapping[int, int]]) -> int:
    """The cost the pairing minimises (members left without a place count as unranked)."""
    return sum(cost_of(ranks.get(m, {}).get(p)) if p is not None else UNRANKED_COST for m, p in pairing.items())
