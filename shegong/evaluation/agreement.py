"""Inter-rater agreement of evaluators who rated the same station (numpy only).

- ``weighted_kappa``: Cohen's weighted kappa for two raters on ordered categories, with
  quadratic weights (Cohen 1968; Fleiss & Cohen 1973 show it approaches the ICC).
- ``icc_2_1``: the intraclass correlation ICC(2,1) of Shrout & Fleiss (1979), two-way random
  effects, absolute agreement, single rater (McGraw & Wong 1996 call it ICC(A,1)), for two or
  more raters rating the same targets.
- ``station_agreement``: both, for the submitted evaluations of one station: targets are the
  rubric's indicators, values the levels given; plus the per-indicator spread a moderator
  looks at first.

Undefined values (no variation at all, so a 0/0 ratio) come back as ``nan``; the apps show
them as "not computable" rather than as perfect or zero agreement.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .reader import EvaluationError
from .rubrics import StationRubric


class AgreementError(EvaluationError):
    """Ratings that cannot be compared (too few raters, unequal lengths, unknown level)."""


def weighted_kappa(
    rater_a: Sequence[int], rater_b: Sequence[int], categories: Sequence[int] | None = None
) -> float:
    r"""Cohen's weighted kappa with quadratic weights.

    With k ordered categories indexed i, j = 0..k-1, observed proportions ``O[i, j]`` (rater A
    chose i, rater B chose j, divided by the number of items n), marginals ``r_i = Σ_j O[i,j]``
    and ``c_j = Σ_i O[i,j]``, chance-expected proportions ``E[i,j] = r_i c_j`` and disagreement
    weights ``w[i,j] = (i - j)² / (k - 1)²``:

        κ_w = 1 - Σ w[i,j] O[i,j] / Σ w[i,j] E[i,j]

    ``categories`` is the full ordered scale (default: the values seen), so that a level nobody
    used still counts in the distance ``k - 1``. Returns nan when the denominator is 0.
    """
    a = list(rater_a)
    b = list(rater_b)
    if len(a) != len(b):
        raise AgreementError("error.evaluation_agreement_length", a=len(a), b=len(b))
    if not a:
        raise AgreementError("error.evaluation_agreement_empty")
    scale = sorted(set(a) | set(b)) if categories is None else list(categories)
    position = {value: i for i, value in enumerate(scale)}
    for value in (*a, *b):
        if value not in position:
            raise AgreementError(
                "error.evaluation_agreement_category",
                value=value,
                choices=", ".join(map(str, scale)),
            )
    k = len(scale)
    if k < 2:
        return math.nan
    observed = np.zeros((k, k))
    np.add.at(observed, ([position[v] for v in a], [position[v] for v in b]), 1.0)
    observed /= len(a)
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices((k, k))
    weights = (i - j) ** 2 / (k - 1) ** 2
    chance = float((weights * expected).sum())
    if chance == 0:
        return math.nan
    return 1.0 - float((weights * observed).sum()) / chance


def icc_2_1(ratings: Sequence[Sequence[float]] | np.ndarray) -> float:
    r"""ICC(2,1): two-way random effects, absolute agreement, single rater.

    ``ratings`` has one row per target (n ≥ 2) and one column per rater (k ≥ 2), no gaps.
    With grand mean x̄, row means x̄_i, column means x̄_j:

        MSR = k Σ_i (x̄_i - x̄)² / (n - 1)                       between targets
        MSC = n Σ_j (x̄_j - x̄)² / (k - 1)                       between raters
        MSE = (SST - SSR - SSC) / ((n - 1)(k - 1))             residual
        ICC(2,1) = (MSR - MSE) / (MSR + (k - 1) MSE + k (MSC - MSE) / n)

    (Shrout & Fleiss 1979, Table 2; their 6 × 4 example gives 0.29.) Returns nan when the
    denominator is 0 (every rating identical).
    """
    x = np.asarray(ratings, dtype=float)
    if x.ndim != 2 or x.shape[0] < 2 or x.shape[1] < 2:
        raise AgreementError(
            "error.evaluation_agreement_shape", shape=" × ".join(map(str, x.shape))
        )
    if np.isnan(x).any():
        raise AgreementError("error.evaluation_agreement_gaps")
    n, k = x.shape
    grand = x.mean()
    ss_rows = k * float(((x.mean(axis=1) - grand) ** 2).sum())
    ss_cols = n * float(((x.mean(axis=0) - grand) ** 2).sum())
    ss_error = float(((x - grand) ** 2).sum()) - ss_rows - ss_cols
    msr = ss_rows / (n - 1)
    msc = ss_cols / (k - 1)
    mse = ss_error / ((n - 1) * (k - 1))
    denominator = msr + (k - 1) * mse + k * (msc - mse) / n
    if abs(denominator) < 1e-12:
        return math.nan
    return (msr - mse) / denominator


@dataclass(frozen=True)
class AgreementReport:
    """Agreement of the evaluators of one station under one rubric."""

    evaluators: tuple[str, ...]
    icc: float
    pairs: pd.DataFrame  # rater_a, rater_b, kappa, exact (share of identical levels), items
    levels: pd.DataFrame  # indicator_id, one column per evaluator, min, max, spread

    def disputed(self, spread: int = 2) -> list[str]:
        """Indicators on which the evaluators' levels differ by ``spread`` or more."""
        return list(self.levels.loc[self.levels["spread"] >= spread, "indicator_id"])


def station_agreement(
    rubric: StationRubric, ratings: Mapping[str, Mapping[str, int]]
) -> AgreementReport:
    """Weighted kappa per pair of evaluators and ICC(2,1) across all of them.

    ``ratings`` maps evaluator id to {indicator id: level}, e.g. from
    ``RecordsStore.submitted_ratings``. Indicators not rated by every evaluator are left out.
    """
    evaluators = tuple(sorted(ratings))
    if len(evaluators) < 2:
        raise AgreementError("error.evaluation_agreement_raters", count=len(evaluators))
    indicators = [
        i.id for i in rubric.indicators if all(ratings[e].get(i.id) is not None for e in evaluators)
    ]
    if len(indicators) < 2:
        raise AgreementError(
            "error.evaluation_agreement_shape", shape=f"{len(indicators)} × {len(evaluators)}"
        )
    matrix = np.array([[ratings[e][i] for e in evaluators] for i in indicators], dtype=float)
    categories = sorted(lv.level for lv in rubric.scale)
    pairs = [
        {
            "rater_a": a,
            "rater_b": b,
            "kappa": weighted_kappa(
                [ratings[a][i] for i in indicators], [ratings[b][i] for i in indicators], categories
            ),
            "exact": float(
                np.mean(matrix[:, evaluators.index(a)] == matrix[:, evaluators.index(b)])
            ),
            "items": len(indicators),
        }
        for a, b in itertools.combinations(evaluators, 2)
    ]
    levels = pd.DataFrame(matrix.astype(int), columns=list(evaluators))
    levels.insert(0, "indicator_id", indicators)
    levels["min"] = matrix.min(axis=1).astype(int)
    levels["max"] = matrix.max(axis=1).astype(int)
    levels["spread"] = levels["max"] - levels["min"]
    return AgreementReport(evaluators, icc_2_1(matrix), pd.DataFrame(pairs), levels)
