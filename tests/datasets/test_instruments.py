"""Scoring of standardised instruments: hand-worked examples, band edges, errors, batch scoring."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable
from importlib import resources

import numpy as np
import pandas as pd
import pytest
import yaml

from shegong.datasets import instruments as ins
from shegong.datasets.instruments import INSTRUMENTS, Instrument, InstrumentError
from shegong.datasets.instruments.specs import (
    UNVERIFIED_EN,
    UNVERIFIED_ZH,
    SpecError,
    parse_instruments,
)
from shegong.messages import placeholders

ALL_IDS = sorted(INSTRUMENTS)

# Bands checked against the original papers (PHQ-9 5/10/15/20; GAD-7 5/10/15).
VERIFIED = {"phq9": "Kroenke K, Spitzer RL, Williams JBW", "gad7": "Spitzer RL, Kroenke K"}


def answers_for_total(instrument: Instrument, target: int) -> list[int] | None:
    """Raw answers (item order) whose total is ``target``, or None if greedy cannot reach it."""
    counted = [item for item in instrument.items if instrument.counts_in_total(item)]
    extra, rest = divmod(target, instrument.multiplier)
    extra -= sum(item.values[0] for item in counted)
    if rest or extra < 0:
        return None
    answers = []
    for item in instrument.items:
        keyed = item.values[0]
        if instrument.counts_in_total(item):
            keyed = max(v for v in item.values if v - item.values[0] <= extra)
            extra -= keyed - item.values[0]
        answers.append(item.values[0] + item.values[-1] - keyed if item.reverse else keyed)
    return answers if extra == 0 else None


# ---------------------------------------------------------------- hand-worked examples


@pytest.mark.parametrize(
    ("answers", "total", "band"),
    [
        # feeding 10 + bathing 0 + grooming 5 + dressing 5 + bowels 10 + bladder 5 + toilet 5
        # + transfers 15 + mobility 10 + stairs 0 = 65 -> 61..99 mild
        ([10, 0, 5, 5, 10, 5, 5, 15, 10, 0], 65, "mild"),
        # 5 + 0 + 0 + 5 + 10 + 10 + 0 + 5 + 5 + 0 = 40 -> <= 40 severe
        ([5, 0, 0, 5, 10, 10, 0, 5, 5, 0], 40, "severe"),
        # 10 + 5 + 5 + 10 + 10 + 10 + 10 + 15 + 15 + 10 = 100 -> independent
        ([10, 5, 5, 10, 10, 10, 10, 15, 15, 10], 100, "independent"),
        # 45 -> 41..60 moderate
        ([5, 0, 0, 5, 10, 10, 0, 5, 5, 5], 45, "moderate"),
    ],
)
def test_barthel_hand_worked(answers: list[int], total: int, band: str) -> None:
    """Does the Barthel Index add its item points and band the total as worked by hand?"""
    result = ins.score("barthel", answers)
    assert (result.total, result.band) == (total, band)


def test_barthel_uses_real_point_sets() -> None:
    """Do Barthel items allow only their real point sets (bathing 0/5, transfers 0..15)?"""
    barthel = ins.get("barthel")
    assert [item.values for item in barthel.items] == [
        (0, 5, 10), (0, 5), (0, 5), (0, 5, 10), (0, 5, 10), (0, 5, 10), (0, 5, 10),
        (0, 5, 10, 15), (0, 5, 10, 15), (0, 5, 10),
    ]  # fmt: skip
    assert barthel.higher_is_worse is False
    with pytest.raises(InstrumentError):
        ins.score("barthel", [10, 10, 5, 10, 10, 10, 10, 15, 15, 10])  # bathing 10 not allowed


def test_iadl_hand_worked() -> None:
    """Does the IADL count the independent domains (1+1+0+1+0+1+1+1 = 6)?"""
    result = ins.score("iadl", [1, 1, 0, 1, 0, 1, 1, 1])
    assert (result.total, result.band) == (6, "little_help")


def test_gds15_applies_reverse_keying() -> None:
    """Do GDS-15 items 1, 5, 7, 11, 13 score 1 for 'no' and 0 for 'yes'?"""
    # raw (1 = yes): 1 0 1 0 0 1 1 0 1 0 1 0 0 0 1
    # keyed: item1 yes->0, item5 no->1, item7 yes->0, item11 yes->0, item13 no->1;
    # plain items scoring 1: 3, 6, 9, 15 -> 0+0+1+0+1+1+0+0+1+0+0+0+1+0+1 = 6 (raw sum is 7)
    result = ins.score("gds15", [1, 0, 1, 0, 0, 1, 1, 0, 1, 0, 1, 0, 0, 0, 1])
    assert (result.total, result.band) == (6, "possible_depression")
    # all 'no': only the five reverse items score -> 5, the first 'suggests depression' total
    assert ins.score("gds15", [0] * 15).total == 5
    # the best answers (yes to the five positive items, no elsewhere) -> 0
    best = [1 if no in (1, 5, 7, 11, 13) else 0 for no in range(1, 16)]
    assert ins.score("gds15", best).band == "normal"


def test_phq9_hand_worked_and_self_harm_flag() -> None:
    """Does PHQ-9 sum 0-3 items, and flag self-harm whenever item 9 is above 0?"""
    # 1+2+1+1+0+1+2+1+0 = 9 -> 5..9 mild, item 9 = 0 -> no flag
    result = ins.score("phq9", [1, 2, 1, 1, 0, 1, 2, 1, 0])
    assert (result.total, result.band, result.flags) == (9, "mild", ())
    # only item 9 = 1 -> total 1 (minimal) but the safety flag is raised all the same
    result = ins.score("phq9", [0, 0, 0, 0, 0, 0, 0, 0, 1])
    assert (result.total, result.band, result.flags) == (1, "minimal", ("self_harm",))
    assert ins.score("phq9", [3] * 9).flags == ("self_harm",)
    assert ins.score("phq9", [3] * 9).total == 27
    assert ins.get("phq9").higher_is_worse is True


def test_gad7_hand_worked() -> None:
    """Does GAD-7 give 2+2+1+1+2+1+1 = 10, moderate?"""
    result = ins.score("gad7", [2, 2, 1, 1, 2, 1, 1])
    assert (result.total, result.band) == (10, "moderate")


def test_ucla3_hand_worked() -> None:
    """Is UCLA-3 2+2+1 = 5 not lonely, and 2+2+2 = 6 lonely?"""
    assert ins.score("ucla3", [2, 2, 1]).band == "not_lonely"
    assert ins.score("ucla3", [2, 2, 2]).band == "lonely"


def test_ssrs_hand_worked_subscales() -> None:
    """Do SSRS dimensions use items 2,6,7 / 1,3,4,5(A-E) / 8,9,10 and add up to the total?"""
    # items 1..14 (5 = 5(A), 11..14 = 5(B)..5(E)):
    # 1:3 2:4 3:2 4:3 5A:4 6:2 7:3 8:2 9:3 10:1 5B:3 5C:4 5D:2 5E:1
    # objective   = item2 4 + item6 2 + item7 3                  = 9
    # subjective  = item1 3 + item3 2 + item4 3 + 5(A-E) 4+3+4+2+1 = 22
    # utilisation = item8 2 + item9 3 + item10 1                 = 6
    # total 9 + 22 + 6 = 37 -> 23..44 medium
    answers = [3, 4, 2, 3, 4, 2, 3, 2, 3, 1, 3, 4, 2, 1]
    result = ins.score("ssrs", answers)
    assert result.subscales == {"subjective": 22, "objective": 9, "utilisation": 6}
    assert (result.total, result.band) == (37, "medium")
    by_item = dict(zip([item.no for item in ins.get("ssrs").items], answers, strict=True))
    assert ins.score("ssrs", by_item) == result


def test_ssrs_range_and_count_items() -> None:
    """Is SSRS 12-66, with items 6 and 7 counting 0-9 support sources?"""
    ssrs = ins.get("ssrs")
    assert (ssrs.min_total(), ssrs.max_total()) == (12, 66)
    assert ssrs.item(6).values == tuple(range(10))
    assert ssrs.item(11).zh.startswith("5(B)")


def test_zbi22_hand_worked() -> None:
    """Does ZBI-22 give items 1-10 = 2, 11-21 = 1, 22 = 3 a total of 34?"""
    # 10 x 2 + 11 x 1 + 3 = 34 -> 21..40 mild to moderate
    result = ins.score("zbi22", [2] * 10 + [1] * 11 + [3])
    assert (result.total, result.band) == (34, "mild_moderate")


def test_sdq_excludes_prosocial_and_reverses_items() -> None:
    """Does SDQ total difficulties leave prosocial out and reverse items 7, 11, 14, 21, 25?"""
    # raw by item: 1:2 2:1 3:0 4:2 5:1 6:0 7:2 8:1 9:2 10:1 11:2 12:0 13:1 14:1 15:2 16:2 17:2
    #              18:0 19:0 20:1 21:0 22:0 23:1 24:1 25:1
    # emotional 3,8,13,16,24       = 0+1+1+2+1       = 5
    # conduct 5,7R,12,18,22        = 1+(2->0)+0+0+0  = 1
    # hyperactivity 2,10,15,21R,25R = 1+1+2+(0->2)+(1->1) = 7
    # peer 6,11R,14R,19,23         = 0+(2->0)+(1->1)+0+1 = 2
    # prosocial 1,4,9,17,20        = 2+2+2+2+1       = 9 (not in the total)
    # total difficulties 5+1+7+2 = 15 -> 0..15 normal (with prosocial it would be 24, abnormal)
    answers = [2, 1, 0, 2, 1, 0, 2, 1, 2, 1, 2, 0, 1, 1, 2, 2, 2, 0, 0, 1, 0, 0, 1, 1, 1]
    result = ins.score("sdq", answers)
    assert result.subscales == {
        "prosocial": 9, "hyperactivity": 7, "emotional": 5, "conduct": 1, "peer": 2,
    }  # fmt: skip
    assert (result.total, result.band) == (15, "normal")
    assert (ins.get("sdq").min_total(), ins.get("sdq").max_total()) == (0, 40)
    assert "17–40" in ins.get("sdq").cutoff_note_zh  # parent-report bands in the note


def test_rses_reverse_keying_changes_total() -> None:
    """Does RSES reverse items 2, 5, 6, 8, 9 (5 - raw), moving the total into another band?"""
    # raw 3 2 3 3 1 2 3 2 1 3 (raw sum 23, which would be 'lower')
    # positive items 1,3,4,7,10 = 3 each = 15; reverse 2:2->3 5:1->4 6:2->3 8:2->3 9:1->4 = 17
    # total 32 -> 25..35 middle
    result = ins.score("rses", [3, 2, 3, 3, 1, 2, 3, 2, 1, 3])
    assert (result.total, result.band) == (32, "middle")
    assert (ins.get("rses").min_total(), ins.get("rses").max_total()) == (10, 40)


def test_apgar_hand_worked() -> None:
    """Is Family APGAR 2+1+2+1+0 = 6 moderate dysfunction and 2+2+2+1+0 = 7 good?"""
    assert ins.score("apgar", [2, 1, 2, 1, 0]).band == "moderate_dysfunction"
    assert ins.score("apgar", [2, 2, 2, 1, 0]).band == "good"


def test_k10_hand_worked() -> None:
    """Does K10 give 2+3+1+2+2+1+3+2+1+2 = 19, moderate?"""
    result = ins.score("k10", [2, 3, 1, 2, 2, 1, 3, 2, 1, 2])
    assert (result.total, result.band) == (19, "moderate")


def test_who5_multiplies_by_four_and_flags() -> None:
    """Is WHO-5 the raw sum times 4, flagged for depression screening at <= 28?"""
    # 3+2+3+2+3 = 13 -> 52 adequate
    assert (ins.score("who5", [3, 2, 3, 2, 3]).total, ins.score("who5", [3, 2, 3, 2, 3]).band) == (
        52, "adequate",
    )  # fmt: skip
    # 2+1+2+1+1 = 7 -> 28 likely depression, flagged
    result = ins.score("who5", [2, 1, 2, 1, 1])
    assert (result.total, result.band, result.flags) == (
        28, "likely_depression", ("who5_depression_screen",),
    )  # fmt: skip
    # 2+2+2+1+1 = 8 -> 32 poor wellbeing, no flag
    result = ins.score("who5", [2, 2, 2, 1, 1])
    assert (result.total, result.band, result.flags) == (32, "poor", ())


# ---------------------------------------------------------------- bands


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_bands_cover_the_range_once(instrument_id: str) -> None:
    """Does every possible total from min to max fall in exactly one band?"""
    instrument = INSTRUMENTS[instrument_id]
    for total in range(instrument.min_total(), instrument.max_total() + 1):
        assert sum(band.contains(total) for band in instrument.bands) == 1, total
    assert instrument.bands[0].low == instrument.min_total()
    assert instrument.bands[-1].high == instrument.max_total()


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_band_edges(instrument_id: str) -> None:
    """Is each band's low and high edge in that band, and the next total in the next band?"""
    instrument = INSTRUMENTS[instrument_id]
    for lower, upper in itertools.pairwise(instrument.bands):
        assert instrument.band_for(lower.high).code == lower.code
        assert instrument.band_for(upper.low).code == upper.code
    for band in instrument.bands:
        for edge in (int(band.low), int(band.high)):
            answers = answers_for_total(instrument, edge)
            if answers is not None:  # Barthel totals step by 5, WHO-5 by 4
                result = instrument.score(answers)
                assert (result.total, result.band) == (edge, band.code)


@pytest.mark.parametrize(
    ("instrument_id", "edges"),
    [
        ("phq9", {4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate",
                  15: "moderately_severe", 19: "moderately_severe", 20: "severe"}),
        ("gad7", {4: "minimal", 5: "mild", 9: "mild", 10: "moderate", 14: "moderate",
                  15: "severe"}),
        ("barthel", {40: "severe", 45: "moderate", 60: "moderate", 65: "mild", 95: "mild",
                     100: "independent"}),
        ("zbi22", {20: "little", 21: "mild_moderate", 40: "mild_moderate",
                   41: "moderate_severe", 60: "moderate_severe", 61: "severe"}),
        ("sdq", {15: "normal", 16: "borderline", 19: "borderline", 20: "abnormal"}),
        ("ssrs", {22: "low", 23: "medium", 44: "medium", 45: "high"}),
        ("k10", {15: "low", 16: "moderate", 21: "moderate", 22: "high", 29: "high",
                 30: "very_high"}),
        ("who5", {28: "likely_depression", 32: "poor", 48: "poor", 52: "adequate"}),
        ("gds15", {4: "normal", 5: "possible_depression"}),
        ("ucla3", {5: "not_lonely", 6: "lonely"}),
        ("apgar", {3: "severe_dysfunction", 4: "moderate_dysfunction", 6: "moderate_dysfunction",
                   7: "good"}),
    ],
)  # fmt: skip
def test_brief_cut_offs(instrument_id: str, edges: dict[int, str]) -> None:
    """Do real answer sets at the brief's cut-offs land in the brief's bands?"""
    instrument = INSTRUMENTS[instrument_id]
    for total, code in edges.items():
        answers = answers_for_total(instrument, total)
        assert answers is not None, total
        assert instrument.score(answers).band == code, total


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_definitions_say_plainly_whether_their_cutoffs_were_checked(instrument_id: str) -> None:
    """PHQ-9 and GAD-7 carry their published bands (verified, with the citation); every other
    cut-off says in plain words it is unchecked; no internal tag; a source and ASCII ids."""
    instrument = INSTRUMENTS[instrument_id]
    assert instrument.verified is (instrument_id in VERIFIED)
    assert (UNVERIFIED_ZH in instrument.cutoff_note_zh) is not instrument.verified
    assert "[K]" not in instrument.cutoff_note_zh + instrument.cutoff_note_en
    assert instrument.source and instrument.id.isascii()
    assert all(band.code.isascii() for band in instrument.bands)


@pytest.mark.parametrize("instrument_id", ALL_IDS)
def test_chinese_text_uses_full_width_punctuation(instrument_id: str) -> None:
    """Are commas, colons, semicolons and question marks full-width in Chinese text?"""
    instrument = INSTRUMENTS[instrument_id]
    texts = [instrument.name_zh, instrument.cutoff_note_zh]
    texts += [band.zh for band in instrument.bands]
    for item in instrument.items:
        texts += [item.zh, *item.value_labels_zh]
    for zh in texts:
        assert not set(zh) & set(",;:?!"), zh


# ---------------------------------------------------------------- errors


def test_invalid_answer_names_item_and_allowed_values_in_both_languages() -> None:
    """Does a not-allowed answer raise a bilingual error naming the item and allowed values?"""
    with pytest.raises(InstrumentError) as caught:
        ins.score("phq9", [0, 0, 4, 0, 0, 0, 0, 0, 0])
    message = str(caught.value)
    assert "第 3 题" in message and "item 3" in message
    assert "phq9" in message and "4" in message and "0, 1, 2, 3" in message
    assert caught.value.message("zh") != caught.value.message("en")


@pytest.mark.parametrize("bad", [True, 1.5, "1", None, float("nan")])
def test_non_integer_answers_are_rejected(bad: object) -> None:
    """Are booleans, fractions, text and blanks refused as answers?"""
    with pytest.raises(InstrumentError, match="item 1"):
        ins.score("ucla3", [bad, 1, 1])


def test_integral_floats_and_numpy_ints_are_accepted() -> None:
    """Do 2.0 and numpy integers (as read from data frames) count as whole answers?"""
    assert ins.score("ucla3", [2.0, np.int64(2), 2]).total == 6


def test_wrong_count_missing_and_unknown_items() -> None:
    """Do a wrong answer count, a missing item and an unknown item number each raise?"""
    with pytest.raises(InstrumentError, match="needs 7 answers; got 6"):
        ins.score("gad7", [0] * 6)
    with pytest.raises(InstrumentError, match="missing answers to item"):
        ins.score("ucla3", {1: 1, 2: 1})
    with pytest.raises(InstrumentError, match="has no item 4") as caught:
        ins.score("ucla3", {1: 1, 2: 1, 3: 1, 4: 1})
    assert "第 4 题" in str(caught.value)


def test_unknown_instrument_names_the_known_ids() -> None:
    """Does an unknown id raise an error naming it and the known instruments?"""
    with pytest.raises(InstrumentError) as caught:
        ins.get("phq-9")
    message = str(caught.value)
    assert "phq-9" in message and "phq9" in message and "未知量表" in message


def test_catalogue_entries_are_bilingual_with_same_placeholders() -> None:
    """Does every instruments catalogue id have zh and en with the same placeholders?"""
    path = resources.files("shegong").joinpath("catalogue", "instruments.yml")
    entries = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert entries
    for msg_id, entry in entries.items():
        assert msg_id.startswith(("instruments.", "error.instrument_")), msg_id
        assert set(entry) == {"zh", "en"} and entry["zh"] and entry["en"], msg_id
        assert placeholders(entry["zh"]) == placeholders(entry["en"]), msg_id


def test_flag_labels_explain_every_flag() -> None:
    """Does every flag an instrument can raise have a zh and en explanation of what to do?"""
    codes = {rule.code for i in INSTRUMENTS.values() for rule in i.flag_rules}
    assert set(ins.FLAG_LABELS) == codes == {"self_harm", "who5_depression_screen"}
    zh, en = ins.FLAG_LABELS["self_harm"]
    assert "安全预案" in zh and "督导" in zh
    assert "safety protocol" in en and "supervisor" in en


# ---------------------------------------------------------------- GAS


@pytest.mark.parametrize(
    ("ratings", "weights", "rho", "expected"),
    [
        ([0, 0, 0], None, 0.3, 50.0),
        ([1], None, 0.3, 60.0),  # 50 + 10 * 1 / sqrt(0.7 + 0.3)
        ([1, 1], None, 0.3, 62.40347345892084),  # 50 + 20 / sqrt(0.7 * 2 + 0.3 * 4)
        ([2, 0, -1], None, 0.3, 54.564354645876385),  # 50 + 10 / sqrt(0.7 * 3 + 0.3 * 9)
        ([1, -1], [1, 2], 0.3, 45.983903355487506),  # 50 - 10 / sqrt(0.7 * 5 + 0.3 * 9)
        ([1, 1], None, 0.0, 64.14213562373095),  # 50 + 20 / sqrt(2)
        ([-2, -2], None, 0.3, 50 - 40 / 2.6**0.5),
    ],
)
def test_gas_tscore(
    ratings: list[int], weights: list[float] | None, rho: float, expected: float
) -> None:
    """Does the GAS T-score follow Kiresuk & Sherman's formula?"""
    assert ins.gas_tscore(ratings, weights, rho) == pytest.approx(expected)


@pytest.mark.parametrize(
    ("ratings", "weights", "rho", "fragment"),
    [
        ([3], None, 0.3, "goal 1"),
        ([0, 1.5], None, 0.3, "goal 2"),
        ([], None, 0.3, "at least one goal"),
        ([0, 1], [1], 0.3, "2 goals but 1 weights"),
        ([0, 1], [1, 0], 0.3, "weight 0 of goal 2"),
        ([0], None, 1.0, "rho"),
    ],
)
def test_gas_rejects_bad_input(
    ratings: list[int], weights: list[float] | None, rho: float, fragment: str
) -> None:
    """Do out-of-range ratings, bad weights and bad rho raise bilingual errors?"""
    with pytest.raises(InstrumentError, match=fragment) as caught:
        ins.gas_tscore(ratings, weights, rho)
    assert "目标达成量表" in str(caught.value)


# ---------------------------------------------------------------- batch scoring


def random_long_table(seed: int, per_instrument: int) -> tuple[pd.DataFrame, dict[str, list]]:
    """Random valid answer sets for every instrument, as a shuffled long table."""
    rng = np.random.default_rng(seed)
    rows, answer_sets = [], {}
    for instrument_id in ALL_IDS:
        instrument = INSTRUMENTS[instrument_id]
        for n in range(per_instrument):
            measure = f"{instrument_id}-{n}"
            answers = [int(rng.choice(item.values)) for item in instrument.items]
            answer_sets[measure] = [instrument_id, answers]
            rows += [
                (measure, instrument_id, item.no, answer)
                for item, answer in zip(instrument.items, answers, strict=True)
            ]
    frame = pd.DataFrame(rows, columns=["measure_id", "instrument", "item", "answer"])
    order = rng.permutation(len(frame))
    return frame.iloc[order].reset_index(drop=True), answer_sets


def test_score_items_agrees_with_score() -> None:
    """Does vectorised batch scoring give the same totals, bands, flags and subscales?"""
    frame, answer_sets = random_long_table(seed=20240611, per_instrument=250)
    out = ins.score_items(frame).set_index("measure_id")
    assert len(out) == len(answer_sets) == 250 * len(ALL_IDS)
    for measure, (instrument_id, answers) in answer_sets.items():
        expected = ins.score(instrument_id, answers)
        row = out.loc[measure]
        assert row["instrument"] == instrument_id
        assert (row["total"], row["band"]) == (expected.total, expected.band), measure
        assert row["flags"] == ";".join(expected.flags), measure
        for name, value in expected.subscales.items():
            assert row[f"sub_{name}"] == value, (measure, name)


def test_score_items_columns_and_not_applicable_subscales() -> None:
    """Are there sub_ columns for every subscale, NaN for instruments without them?"""
    frame = pd.DataFrame(
        {"measure_id": ["a"] * 3, "instrument": "ucla3", "item": [1, 2, 3], "answer": [3, 3, 3]}
    )
    out = ins.score_items(frame)
    subscale_columns = {f"sub_{name}" for name in ("objective", "subjective", "utilisation",
                        "emotional", "conduct", "hyperactivity", "peer", "prosocial")}  # fmt: skip
    assert list(out.columns[:5]) == ["measure_id", "instrument", "total", "band", "flags"]
    assert set(out.columns[5:]) == subscale_columns
    assert out[sorted(subscale_columns)].isna().all(axis=None)
    assert (out.loc[0, "total"], out.loc[0, "band"], out.loc[0, "flags"]) == (9, "lonely", "")


def test_score_items_on_empty_table() -> None:
    """Does an empty table give an empty result with the same columns?"""
    empty = pd.DataFrame({"measure_id": [], "instrument": [], "item": [], "answer": []})
    out = ins.score_items(empty.astype({"item": "int64", "answer": "int64"}))
    assert out.empty and list(out.columns[:5]) == [
        "measure_id", "instrument", "total", "band", "flags",
    ]  # fmt: skip


def valid_phq9(measures: list[str]) -> pd.DataFrame:
    """A valid PHQ-9 long table (all answers 1) for the given measure ids."""
    return pd.DataFrame(
        {
            "measure_id": np.repeat(measures, 9),
            "instrument": "phq9",
            "item": np.tile(np.arange(1, 10), len(measures)),
            "answer": 1,
        }
    )


def test_score_items_invalid_answer_names_instrument_item_and_measures() -> None:
    """Does a not-allowed answer name the instrument, the item and the measures with it?"""
    frame = valid_phq9(["m1", "m2", "m3"])
    frame.loc[(frame["item"] == 4) & frame["measure_id"].isin(["m2", "m3"]), "answer"] = 7
    with pytest.raises(InstrumentError) as caught:
        ins.score_items(frame)
    message = str(caught.value)
    assert "phq9" in message and "第 4 题" in message and "item 4" in message
    assert "m2, m3" in message and "m1" not in message and "0, 1, 2, 3" in message


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        (lambda f: f.drop(index=4), "Missing items: 5;"),
        (lambda f: pd.concat([f, f.iloc[[2]]]), "repeated items: 3."),
        (lambda f: f.assign(item=f["item"].replace(9, 10)), "has no item 10"),
        (lambda f: f.assign(instrument="phq-9"), "Unknown instrument 'phq-9'"),
        (lambda f: f.assign(answer=f["answer"].astype(float).where(f.index != 0)), "blank"),
        (lambda f: f.assign(answer=f["answer"].astype(float).where(f.index != 0, 1.5)), "1.5"),
        (lambda f: f.assign(answer=f["answer"].astype(str)), "answer '1' is not allowed"),
        (lambda f: pd.concat([f, f.iloc[[0]].assign(instrument="gad7")]), "mixes"),
    ],
)
def test_score_items_rejects_bad_tables(
    change: Callable[[pd.DataFrame], pd.DataFrame], fragment: str
) -> None:
    """Do missing, repeated or unknown items and bad answers raise, naming the measure?"""
    with pytest.raises(InstrumentError, match=re.escape(fragment)) as caught:
        ins.score_items(change(valid_phq9(["m1", "m2"])))
    message = str(caught.value)
    assert "m1" in message and "phq" in message
    assert message.split("\n")[0] != message.split("\n")[1]  # Chinese line, then English


def test_score_items_rejects_bad_columns() -> None:
    """Do a missing column and a blank measure id raise errors naming the column?"""
    with pytest.raises(InstrumentError, match="lacks the column\\(s\\) answer"):
        ins.score_items(valid_phq9(["m1"]).drop(columns="answer"))
    frame = valid_phq9(["m1"])
    frame["measure_id"] = frame["measure_id"].where(frame.index != 3)
    with pytest.raises(InstrumentError, match="blank measure_id in row\\(s\\) 3"):
        ins.score_items(frame)


def test_score_items_keeps_integer_measure_ids() -> None:
    """Do integer measure ids come back as integers, in order of first appearance?"""
    frame = valid_phq9(["x"]).assign(measure_id=7)
    frame = pd.concat([frame, valid_phq9(["y"]).assign(measure_id=3)], ignore_index=True)
    out = ins.score_items(frame)
    assert out["measure_id"].tolist() == [7, 3]
    assert out["total"].tolist() == [9, 9]
    assert out["flags"].tolist() == ["self_harm", "self_harm"]


# Scores computed with the instruments as Python literals, before they became specs.yml:
# answers are item k's allowed value number (7k + 3) mod (number of values).
KNOWN_SCORES: dict[str, tuple[float, str, tuple[str, ...], dict[str, int]]] = {
    "barthel": (35, "severe", (), {}),
    "iadl": (4, "some_help", (), {}),
    "gds15": (3, "normal", (), {}),
    "phq9": (15, "moderately_severe", ("self_harm",), {}),
    "gad7": (12, "moderate", (), {}),
    "ucla3": (6, "lonely", (), {}),
    "ssrs": (45, "high", (), {"subjective": 21, "objective": 16, "utilisation": 8}),
    "zbi22": (43, "moderate_severe", (), {}),
    "sdq": (22, "abnormal", (), {"prosocial": 4, "hyperactivity": 5, "emotional": 5,
                                 "conduct": 7, "peer": 5}),
    "rses": (22, "lower", (), {}),
    "apgar": (4, "moderate_dysfunction", (), {}),
    "k10": (30, "very_high", (), {}),
    "who5": (52, "adequate", (), {}),
}  # fmt: skip


def test_every_instrument_from_the_data_file_scores_as_before() -> None:
    """Does every instrument read from specs.yml give the score it gave as Python literals?"""
    assert list(INSTRUMENTS) == list(KNOWN_SCORES)
    for instrument_id, (total, band, flags, subscales) in KNOWN_SCORES.items():
        instrument = INSTRUMENTS[instrument_id]
        answers = [it.values[(k * 7 + 3) % len(it.values)] for k, it in enumerate(instrument.items)]
        result = instrument.score(answers)
        assert (result.total, result.band, result.flags) == (total, band, flags), instrument_id
        assert dict(result.subscales) == subscales


def test_unverified_cutoffs_say_so_in_both_languages() -> None:
    """Does every unverified instrument's cut-off note end with the plain line, zh and en,
    and do the verified ones cite their original study?"""
    for instrument in INSTRUMENTS.values():
        if instrument.verified:
            assert instrument.source.startswith(VERIFIED[instrument.id])
            continue
        assert instrument.cutoff_note_zh.endswith(UNVERIFIED_ZH)
        assert instrument.cutoff_note_en.endswith(" " + UNVERIFIED_EN)


def test_broken_instrument_file_names_the_node() -> None:
    """Does an item naming an undefined response scale give a located, bilingual message?"""
    source = (resources.files("shegong.datasets.instruments") / "specs.yml").read_text("utf-8")
    broken = source.replace("scale: bathing}", "scale: bathe}", 1)
    with pytest.raises(SpecError) as caught:
        parse_instruments(broken, "specs.yml")
    assert caught.value.msg_id == "error.instrument_spec_reference"
    assert caught.value.values["path"] == "barthel.items[1].scale"
    zh, en = caught.value.message("zh"), caught.value.message("en")
    assert "barthel.items[1].scale" in zh and "specs.yml" in zh and "未定义" in zh
    assert "barthel.items[1].scale" in en and "bathe" in en and "feeding" in en


def test_instrument_file_wrong_type_is_located() -> None:
    """Is a band bound written as text named by instrument, band and key?"""
    source = (resources.files("shegong.datasets.instruments") / "specs.yml").read_text("utf-8")
    broken = source.replace("low: 0, high: 40", "low: zero, high: 40", 1)
    with pytest.raises(SpecError) as caught:
        parse_instruments(broken, "specs.yml")
    assert caught.value.values["path"] == "barthel.bands[0].low"
    assert "数字" in caught.value.message("zh") and "a number" in caught.value.message("en")
