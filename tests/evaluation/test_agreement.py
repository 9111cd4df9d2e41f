"""Do weighted kappa and ICC(2,1) match hand-worked and published examples?"""

from __future__ import annotations

import math

import numpy as np
import pytest

from shegong.evaluation import (
    AgreementError,
    icc_2_1,
    load_station_rubric,
    station_agreement,
    weighted_kappa,
)


def test_weighted_kappa_by_hand() -> None:
    """Does the 6-item, 3-level example give κ_w = 2/3?"""
    a = [1, 1, 2, 2, 3, 3]
    b = [1, 2, 2, 2, 3, 2]
    # Observed counts (rows A, columns B), n = 6:
    #   A=1: [1, 1, 0]   A=2: [0, 2, 0]   A=3: [0, 1, 1]
    # Marginals: rows r = [2, 2, 2]/6 = 1/3 each; columns c = [1, 4, 1]/6.
    # Quadratic weights w = (i - j)^2 / (k - 1)^2 with k = 3:
    #   [[0, 1/4, 1], [1/4, 0, 1/4], [1, 1/4, 0]]
    # Σ w·O = (1/4)(1/6) + (1/4)(1/6) = 1/12   (cells A1-B2 and A3-B2)
    # E = r_i c_j = c_j / 3; Σ w·E per row: (1/4·4 + 1·1)/18 = 2/18, (1/4 + 1/4)/18 = 0.5/18,
    #   2/18; total 4.5/18 = 1/4
    # κ_w = 1 - (1/12) / (1/4) = 1 - 1/3 = 2/3
    assert weighted_kappa(a, b) == pytest.approx(2 / 3)


def test_kappa_uses_the_full_scale_for_distances() -> None:
    """Does declaring the unused level 4 change the weights (k - 1 = 3), as it should?"""
    a = [1, 1, 2, 2, 3, 3]
    b = [1, 2, 2, 2, 3, 2]
    # With k = 4 every weight is divided by 9 instead of 4, and the unused row and column
    # add nothing: both sums shrink by 4/9, so κ_w is unchanged at 2/3.
    assert weighted_kappa(a, b, categories=[1, 2, 3, 4]) == pytest.approx(2 / 3)


def test_kappa_extremes() -> None:
    """Is perfect agreement 1, full reversal negative, and no variation at all nan?"""
    assert weighted_kappa([1, 2, 3, 4], [1, 2, 3, 4]) == pytest.approx(1.0)
    # Reversed ranks: Σ w·O = (9 + 1 + 1 + 9)/(9·4) = 20/36; marginals uniform, so
    # Σ w·E = (1/16) Σ_ij (i-j)^2/9 = (1/16)(40/9) = 40/144; κ_w = 1 - (20/36)/(40/144) = -1.
    assert weighted_kappa([1, 2, 3, 4], [4, 3, 2, 1]) == pytest.approx(-1.0)
    assert math.isnan(weighted_kappa([3, 3, 3], [3, 3, 3], categories=[1, 2, 3, 4]))


def test_kappa_refuses_what_cannot_be_compared() -> None:
    """Are unequal lengths, empty ratings and off-scale levels clear errors?"""
    with pytest.raises(AgreementError, match="different numbers"):
        weighted_kappa([1, 2], [1])
    with pytest.raises(AgreementError, match="no ratings"):
        weighted_kappa([], [])
    with pytest.raises(AgreementError, match="not one of the levels"):
        weighted_kappa([1, 5], [1, 2], categories=[1, 2, 3, 4])


def test_icc_by_hand() -> None:
    """Does the 3 × 2 example give ICC(2,1) = 6/7?"""
    x = [[1, 2], [3, 3], [5, 4]]
    # n = 3 targets, k = 2 raters, grand mean = 18/6 = 3
    # row means 1.5, 3, 4.5: SSR = 2·(2.25 + 0 + 2.25) = 9,   MSR = 9/2 = 4.5
    # column means 3, 3:    SSC = 0,                       MSC = 0
    # SST = 4 + 1 + 0 + 0 + 4 + 1 = 10; SSE = 10 - 9 - 0 = 1; MSE = 1/(2·1) = 0.5
    # ICC = (4.5 - 0.5) / (4.5 + 1·0.5 + 2·(0 - 0.5)/3) = 4 / (14/3) = 6/7
    assert icc_2_1(x) == pytest.approx(6 / 7)


def test_icc_penalises_a_rater_who_is_always_higher() -> None:
    """Is absolute agreement lowered (to 2/3) when rater 2 always gives one level more?"""
    x = [[1, 2], [2, 3], [3, 4]]
    # grand mean 2.5; row means 1.5, 2.5, 3.5: SSR = 2·(1 + 0 + 1) = 4, MSR = 2
    # column means 2, 3: SSC = 3·(0.25 + 0.25) = 1.5, MSC = 1.5
    # SST = 2.25 + .25 + .25 + .25 + .25 + 2.25 = 5.5; SSE = 5.5 - 4 - 1.5 = 0, MSE = 0
    # ICC = (2 - 0) / (2 + 0 + 2·(1.5 - 0)/3) = 2/3  (a consistency ICC would be 1)
    assert icc_2_1(x) == pytest.approx(2 / 3)


def test_icc_matches_shrout_and_fleiss() -> None:
    """Does the 6 targets × 4 judges example of Shrout & Fleiss (1979) give 0.29?"""
    x = np.array(
        [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    )
    # Their ANOVA: BMS = 11.24, JMS = 32.49, EMS = 1.02, so
    # ICC(2,1) = (11.24 - 1.02) / (11.24 + 3·1.02 + 4·(32.49 - 1.02)/6) = 0.29
    assert icc_2_1(x) == pytest.approx(0.2898, abs=5e-4)


def test_icc_refuses_gaps_and_too_small_tables() -> None:
    """Are a single rater, a single target or a missing rating refused clearly?"""
    with pytest.raises(AgreementError, match="at least 2"):
        icc_2_1([[1], [2], [3]])
    with pytest.raises(AgreementError, match="at least 2"):
        icc_2_1([[1, 2]])
    with pytest.raises(AgreementError, match="gaps"):
        icc_2_1([[1, 2], [2, float("nan")]])
    assert math.isnan(icc_2_1([[3, 3], [3, 3]]))


def test_station_agreement_for_three_evaluators() -> None:
    """Are kappas per pair, the ICC and the disputed indicators reported for one station?"""
    rubric = load_station_rubric()
    ids = [i.id for i in rubric.indicators]
    chen = dict.fromkeys(ids, 3) | {ids[0]: 4, ids[1]: 2}
    liu = dict(chen) | {ids[2]: 4}
    he = dict(chen) | {ids[0]: 1}  # three levels away from chen on the first indicator
    report = station_agreement(rubric, {"ev_liu": liu, "ev_chen": chen, "ev_he": he})
    assert report.evaluators == ("ev_chen", "ev_he", "ev_liu")
    assert list(zip(report.pairs["rater_a"], report.pairs["rater_b"], strict=True)) == [
        ("ev_chen", "ev_he"), ("ev_chen", "ev_liu"), ("ev_he", "ev_liu"),
    ]  # fmt: skip
    pair = report.pairs.set_index(["rater_a", "rater_b"])
    assert pair.loc[("ev_chen", "ev_liu"), "exact"] == pytest.approx(25 / 26)
    assert pair.loc[("ev_chen", "ev_liu"), "kappa"] == pytest.approx(
        weighted_kappa([chen[i] for i in ids], [liu[i] for i in ids], [1, 2, 3, 4])
    )
    assert 0 < report.icc < 1
    assert report.disputed() == [ids[0]]
    assert report.levels.set_index("indicator_id").loc[ids[0], "spread"] == 3


def test_station_agreement_needs_two_evaluators() -> None:
    """Is agreement with one evaluator refused with a message saying how many there are?"""
    rubric = load_station_rubric()
    with pytest.raises(AgreementError) as caught:
        station_agreement(rubric, {"ev_chen": {i.id: 3 for i in rubric.indicators}})
    assert "至少需要 2 位评估员" in str(caught.value) and "there are 1" in str(caught.value)
