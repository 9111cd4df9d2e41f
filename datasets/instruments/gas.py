"""Goal Attainment Scaling 目标达成量表 (Kiresuk & Sherman 1968; brief §5.3).

``gas_tscore`` scores one case's goal ratings; ``gas_tscores`` scores many cases at once with
the same formula.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from shegong.datasets.instruments.model import InstrumentError, as_int


def gas_tscore(
    ratings: Sequence[int], weights: Sequence[float] | None = None, rho: float = 0.3
) -> float:
    """Goal Attainment Scaling T-score (Kiresuk & Sherman 1968).

    ``50 + 10 * sum(w * x) / sqrt((1 - rho) * sum(w**2) + rho * sum(w)**2)`` with ratings
    ``x`` in -2..+2 (0 = expected outcome), weights ``w`` (default 1 each) and the assumed
    correlation between goal scales ``rho`` (conventionally 0.3).
    """
    xs = [_gas_rating(goal, value) for goal, value in enumerate(ratings, start=1)]
    if not xs:
        raise InstrumentError("error.instrument_gas_empty")
    ws = _gas_weights(weights, len(xs))
    if not (isinstance(rho, int | float) and 0 <= rho < 1):
        raise InstrumentError("error.instrument_gas_rho", value=repr(rho))
    return float(
        _gas_t(
            sum(w * x for w, x in zip(ws, xs, strict=True)), sum(w * w for w in ws), sum(ws), rho
        )
    )


def _gas_t(sum_wx: Any, sum_w2: Any, sum_w: Any, rho: float) -> Any:
    """The GAS T-score formula on sums; works on numbers and on numpy arrays alike."""
    return 50 + 10 * sum_wx / np.sqrt((1 - rho) * sum_w2 + rho * sum_w**2)


def gas_tscores(goals: pd.DataFrame, rho: float = 0.3) -> pd.Series:
    """GAS T-scores of many cases at once: ``goals`` has ``case_id``, ``rating`` (-2..+2)
    and optional ``weight``; returns one T-score per case_id (same formula as gas_tscore)."""
    ratings = goals["rating"].to_numpy()
    if not np.isin(ratings, (-2, -1, 0, 1, 2)).all():
        bad = ratings[~np.isin(ratings, (-2, -1, 0, 1, 2))][0]
        raise InstrumentError("error.instrument_gas_rating", goal="—", value=repr(bad))
    weight = goals["weight"] if "weight" in goals else pd.Series(1.0, index=goals.index)
    sums = (
        pd.DataFrame(
            {
                "case_id": goals["case_id"],
                "wx": weight * goals["rating"],
                "w2": weight**2,
                "w": weight,
            }
        )
        .groupby("case_id", sort=True)
        .sum()
    )
    return pd.Series(
        _gas_t(sums["wx"].to_numpy(), sums["w2"].to_numpy(), sums["w"].to_numpy(), rho),
        index=sums.index,
        name="gas_tscore",
    )


def _gas_rating(goal: int, value: Any) -> int:
    """One GAS rating as an int in -2..+2, else InstrumentError."""
    number = as_int(value)
    if number is None or not -2 <= number <= 2:
        raise InstrumentError("error.instrument_gas_rating", goal=goal, value=repr(value))
    return number


def _gas_weights(weights: Sequence[float] | None, count: int) -> list[float]:
    """Positive finite weights, one per goal (all 1 when none are given)."""
    if weights is None:
        return [1.0] * count
    ws = list(weights)
    if len(ws) != count:
        raise InstrumentError("error.instrument_gas_weight_count", expected=count, got=len(ws))
    for goal, w in enumerate(ws, start=1):
        ok = isinstance(w, int | float | np.number) and not isinstance(w, bool)
        if not (ok and math.isfinite(w) and w > 0):
            raise InstrumentError("error.instrument_gas_weight", goal=goal, value=repr(w))
    return [float(w) for w in ws]
