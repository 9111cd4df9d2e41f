"""Integer allocation helpers: split a total across units with exact sums and no loops."""

from __future__ import annotations

import numpy as np


def largest_remainder(total: int, weights: np.ndarray, minimum: int = 0) -> np.ndarray:
    """Split ``total`` in proportion to ``weights``; each unit gets at least ``minimum``.

    The result sums to ``total`` exactly (Hamilton's method).
    """
    weights = np.asarray(weights, dtype=float)
    spare = total - minimum * weights.size
    if spare < 0:
        raise ValueError(f"cannot give {weights.size} units at least {minimum} from {total}")
    share = spare * weights / weights.sum()
    base = np.floor(share).astype(np.int64)
    left = spare - int(base.sum())
    if left:
        order = np.argsort(-(share - base), kind="stable")
        base[order[:left]] += 1
    return base + minimum


def multinomial_split(rng: np.random.Generator, total: int, weights: np.ndarray) -> np.ndarray:
    """A random split of ``total`` in proportion to ``weights`` (sums to ``total``)."""
    weights = np.asarray(weights, dtype=float)
    return rng.multinomial(total, weights / weights.sum())


def spread(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    """Uniform draws in [low, high)."""
    return rng.uniform(low, high, size=n)


def grouped_largest_remainder(
    group: np.ndarray, totals: np.ndarray, weights: np.ndarray
) -> np.ndarray:
    """``largest_remainder`` within each group at once.

    ``group`` holds each unit's group index (0..G-1), ``totals`` the total of each group and
    ``weights`` each unit's weight; each group's allocations sum to its total exactly.
    """
    group = np.asarray(group)
    weights = np.asarray(weights, dtype=float)
    sums = np.bincount(group, weights=weights, minlength=len(totals))
    share = np.asarray(totals, dtype=float)[group] * weights / sums[group]
    base = np.floor(share).astype(np.int64)
    left = np.asarray(totals, dtype=np.int64) - np.bincount(
        group, weights=base, minlength=len(totals)
    ).astype(np.int64)
    order = np.lexsort((-(share - base), group))
    sorted_group = group[order]
    first = np.searchsorted(sorted_group, sorted_group, side="left")
    rank = np.arange(order.size) - first
    bump = np.zeros_like(base)
    bump[order] = (rank < left[sorted_group]).astype(np.int64)
    return base + bump
