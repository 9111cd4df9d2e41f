"""Pre/post outcomes: pairing measures, the change, and whether it is more than noise.

Used by the casework and group-work courses (evaluating a client's or a group's change) and
later by station evaluation. ``improvement`` is signed so that positive always means better:
for a problem scale (PHQ-9, UCLA-3) a falling score is improvement; for a strength scale
(Barthel, RSES) a rising one is.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from shegong.datasets.instruments import INSTRUMENTS
from shegong.errors import ShegongError


class OutcomeError(ShegongError):
    """Pre/post data that cannot be compared."""


def paired_scores(measures: pd.DataFrame, subject: Sequence[str]) -> pd.DataFrame:
    """One row per subject and instrument with ``pre``, ``post``, ``change`` (post - pre) and
    ``improvement`` (change signed so that positive is better); only subjects measured twice.

    ``measures`` is a measures table (``case_measures`` or ``group_measures``); ``subject``
    names its id columns, e.g. ``["case_id"]`` or ``["group_id", "resident_id"]``.
    """
    keys = [*subject, "instrument"]
    missing = [c for c in [*keys, "timepoint", "total"] if c not in measures.columns]
    if missing:
        raise OutcomeError("error.outcome_columns", columns=", ".join(missing))
    wide = measures.pivot_table(index=keys, columns="timepoint", values="total", aggfunc="first")
    if not {"pre", "post"} <= set(wide.columns):
        raise OutcomeError("error.outcome_no_pairs")
    wide = wide[["pre", "post"]].dropna().reset_index()
    wide.columns.name = None
    sign = wide["instrument"].map(
        {k: -1.0 if v.higher_is_worse else 1.0 for k, v in INSTRUMENTS.items()}
    )
    wide["change"] = wide["post"] - wide["pre"]
    wide["improvement"] = wide["change"] * sign
    return wide


@dataclass(frozen=True)
class PairedResult:
    """A paired comparison of pre and post scores on one scale."""

    n: int
    mean_pre: float
    mean_post: float
    mean_improvement: float
    ci_low: float  # 95 % CI of the mean improvement
    ci_high: float
    t: float
    p_t: float  # two-sided paired t-test
    p_wilcoxon: float  # two-sided Wilcoxon signed-rank (nan when every difference is zero)
    effect_dz: float  # mean improvement / SD of improvements (Cohen's d_z)


def paired_test(pre: Sequence[float], post: Sequence[float], higher_is_worse: bool) -> PairedResult:
    """Paired t-test, Wilcoxon test, 95 % CI and d_z for one scale; needs n >= 2."""
    a = np.asarray(pre, dtype=float)
    b = np.asarray(post, dtype=float)
    if a.shape != b.shape or a.size < 2:
        raise OutcomeError("error.outcome_too_few", n=min(a.size, b.size))
    diff = (a - b) if higher_is_worse else (b - a)
    n = diff.size
    mean = float(diff.mean())
    sd = float(diff.std(ddof=1))
    se = sd / math.sqrt(n)
    margin = float(stats.t.ppf(0.975, n - 1)) * se
    if sd == 0:
        t, p_t = (math.inf if mean else math.nan), (0.0 if mean else 1.0)
    else:
        result = stats.ttest_1samp(diff, 0.0)
        t, p_t = float(result.statistic), float(result.pvalue)
    p_w = float(stats.wilcoxon(diff).pvalue) if np.any(diff != 0) else math.nan
    return PairedResult(
        n=n,
        mean_pre=float(a.mean()),
        mean_post=float(b.mean()),
        mean_improvement=mean,
        ci_low=mean - margin,
        ci_high=mean + margin,
        t=t,
        p_t=p_t,
        p_wilcoxon=p_w,
        effect_dz=mean / sd if sd else math.nan,
    )


def reliable_change(
    pre: float | np.ndarray, post: float | np.ndarray, sd_pre: float, reliability: float
) -> float | np.ndarray:
    """Jacobson & Truax (1991) reliable change index: (post - pre) / sqrt(2 * SEM^2),
    SEM = sd_pre * sqrt(1 - reliability). |RCI| > 1.96 is unlikely (p < .05) to be
    measurement noise alone."""
    if not 0 <= reliability < 1 or sd_pre <= 0:
        raise OutcomeError("error.outcome_rci_inputs", sd=sd_pre, reliability=reliability)
    sem = sd_pre * math.sqrt(1 - reliability)
    return (np.asarray(post, dtype=float) - np.asarray(pre, dtype=float)) / (math.sqrt(2) * sem)
