"""The pairing algorithm: optimal, within capacity, everyone placed when there is room, deterministic."""

from __future__ import annotations

import itertools
import random

import pytest

from portal.aoi.pairing import UNRANKED_COST, optimal_pairing, total_cost


def brute_force_best(members, capacity, ranks) -> int:
    """The least total cost over every possible assignment (small cases only)."""
    options = [p for p in capacity if capacity[p] > 0] + [None]
    best = None
    for choice in itertools.product(options, repeat=len(members)):
        used = {p: choice.count(p) for p in capacity}
        if any(used[p] > capacity[p] for p in capacity):
            continue
        placed = sum(1 for c in choice if c is not None)
        if placed < min(len(members), sum(capacity.values())):
            continue  # everyone is placed when there is room
        cost = total_cost(dict(zip(members, choice, strict=True)), ranks)
        best = cost if best is None else min(best, cost)
    return best


def random_case(rng: random.Random, n_members: int, n_portfolios: int):
    members = list(range(1, n_members + 1))
    portfolios = list(range(100, 100 + n_portfolios))
    capacity = {p: rng.randint(0, 3) for p in portfolios}
    ranks = {}
    for m in members:
        if rng.random() < 0.15:
            continue  # no preference given
        chosen = rng.sample(portfolios, k=min(len(portfolios), rng.randint(1, 3)))
        ranks[m] = {p: r for r, p in enumerate(chosen, start=1)}
    return members, capacity, ranks


@pytest.mark.parametrize("seed", range(40))
def test_optimal_against_brute_force(seed):
    rng = random.Random(seed)
    members, capacity, ranks = random_case(rng, rng.randint(1, 6), rng.randint(1, 4))
    result = optimal_pairing(members, capacity, ranks)
    placed = [p for p in result.values() if p is not None]
    for portfolio, places in capacity.items():
        assert placed.count(portfolio) <= places
    assert len(placed) == min(len(members), sum(capacity.values()))
    assert total_cost(result, ranks) == brute_force_best(members, capacity, ranks)


def test_first_choices_weigh_most():
    # Two members want A first; A has one place. Whoever misses out gets their second choice.
    ranks = {1: {10: 1, 11: 2}, 2: {10: 1, 12: 2}}
    result = optimal_pairing([1, 2], {10: 1, 11: 1, 12: 1}, ranks)
    assert sorted(result.values()) in ([10, 12], [10, 11])
    assert total_cost(result, ranks) == 1


def test_everyone_placed_when_capacity_allows_even_without_preferences():
    result = optimal_pairing([1, 2, 3], {10: 2, 11: 1}, {})
    assert None not in result.values()
    assert total_cost(result, {}) == 3 * UNRANKED_COST


def test_too_few_places_leaves_someone_out_and_respects_capacity():
    result = optimal_pairing([1, 2, 3], {10: 1, 11: 1}, {1: {10: 1}, 2: {10: 1}, 3: {11: 1}})
    assert list(result.values()).count(None) == 1
    assert result[3] == 11


def test_same_input_same_result_whatever_the_order():
    rng = random.Random(7)
    members, capacity, ranks = random_case(rng, 30, 6)
    first = optimal_pairing(members, capacity, ranks)
    shuffled = members[:]
    rng.shuffle(shuffled)
    again = optimal_pairing(shuffled, dict(reversed(list(capacity.items()))), ranks)
    assert first == again


def test_large_case_is_placed_completely():
    rng = random.Random(1)
    members = list(range(200))
    capacity = {p: 17 for p in range(12)}
    ranks = {m: {p: r for r, p in enumerate(rng.sample(range(12), 3), start=1)} for m in members}
    result = optimal_pairing(members, capacity, ranks)
    assert None not in result.values()
    assert all(list(result.values()).count(p) <= 17 for p in capacity)


def test_nobody_and_nothing():
    assert optimal_pairing([], {1: 2}, {}) == {}
    assert optimal_pairing([1], {}, {}) == {1: None}
