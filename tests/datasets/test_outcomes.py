"""Are pre/post changes paired, signed and tested correctly?"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from shegong.datasets.toolkits.outcomes import (
    OutcomeError,
    paired_scores,
    paired_test,
    reliable_change,
)


def test_improvement_is_positive_when_a_problem_score_falls() -> None:
    """Does a PHQ-9 drop count as improvement and a Barthel rise too?"""
    measures = pd.DataFrame(
        {
            "case_id": ["K1", "K1", "K2", "K2", "K3"],
            "instrument": ["phq9", "phq9", "barthel", "barthel", "phq9"],
            "timepoint": ["pre", "post", "pre", "post", "pre"],
            "total": [15, 9, 60, 75, 12],
        }
    )
    pairs = paired_scores(measures, ["case_id"]).set_index("case_id")
    assert list(pairs.index) == ["K1", "K2"]  # K3 has no post measure
    assert pairs.loc["K1", "change"] == -6 and pairs.loc["K1", "improvement"] == 6
    assert pairs.loc["K2", "change"] == 15 and pairs.loc["K2", "improvement"] == 15


def test_paired_test_by_hand() -> None:
    """Do the mean, CI, t and d_z match a hand calculation?"""
    # improvements (pre - post on a problem scale): 2, 4, 0, 2 -> mean 2, SD = sqrt(8/3)
    result = paired_test([10, 12, 9, 8], [8, 8, 9, 6], higher_is_worse=True)
    sd = math.sqrt(8 / 3)
    assert result.mean_improvement == pytest.approx(2.0)
    assert result.effect_dz == pytest.approx(2 / sd)
    assert result.t == pytest.approx(2 / (sd / 2))
    assert result.ci_low == pytest.approx(2 - 3.182446 * sd / 2, rel=1e-5)
    assert result.n == 4


def test_too_few_pairs_is_a_clear_error() -> None:
    """Is one pair refused with a bilingual message?"""
    with pytest.raises(OutcomeError, match="至少需要 2 对"):
        paired_test([3], [2], higher_is_worse=True)


def test_reliable_change_index() -> None:
    """Is the RCI (post - pre) / (sqrt(2) * SD * sqrt(1 - r))?"""
    # SD 5, r = 0.84 -> SEM = 2, denominator 2.828...; change -6 -> -2.12
    assert reliable_change(15, 9, 5, 0.84) == pytest.approx(-6 / (math.sqrt(2) * 2))
    with pytest.raises(OutcomeError):
        reliable_change(1, 2, 0, 0.8)


def test_pairs_from_generated_groups(county_world: dict[str, pd.DataFrame]) -> None:
    """On generated group data, are completers paired once per member and scale?"""
    pairs = paired_scores(county_world["group_measures"], ["group_id", "resident_id"])
    assert len(pairs) > 50
    assert not pairs.duplicated(["group_id", "resident_id", "instrument"]).any()
