"""Does the instrument form collect answers, score them like the library and flag risk?"""

from __future__ import annotations

import ipywidgets as w
import pytest

from shegong.datasets.instruments import FLAG_LABELS, INSTRUMENTS, InstrumentError, score
from shegong.messages import catalogue
from shegong.widgets import InstrumentForm
from shegong.widgets.lessons.instrument_form import subscale_name

IDS = sorted(INSTRUMENTS)


def _middle_answers(instrument_id: str) -> list[int]:
    """A valid answer set: each item's middle allowed value."""
    return [item.values[len(item.values) // 2] for item in INSTRUMENTS[instrument_id].items]


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_instrument_builds_and_scores_like_the_library(instrument_id: str) -> None:
    """For every instrument, does a filled form give the same total, band and flags as score()?"""
    answers = _middle_answers(instrument_id)
    form = InstrumentForm(instrument_id, answers=answers)
    result = form.score()
    expected = score(instrument_id, answers)
    assert result == expected and form.result == expected
    assert f"总分：{expected.total}" in form.output.value
    assert expected.band_zh in form.output.value


@pytest.mark.parametrize("instrument_id", IDS)
def test_every_item_offers_exactly_its_allowed_values(instrument_id: str) -> None:
    """Does each item's picker offer the item's allowed raw values, labelled in the language?"""
    instrument = INSTRUMENTS[instrument_id]
    for lang in ("zh", "en"):
        form = InstrumentForm(instrument_id, lang=lang)
        assert len({type(choice) for choice in form.choices.values()}) == 1  # one look per form
        for item in instrument.items:
            choice = form.choices[item.no]
            assert isinstance(choice, w.ToggleButtons | w.Dropdown)
            assert [value for _, value in choice.options] == list(item.values)
            labels = item.value_labels_zh if lang == "zh" else item.value_labels_en
            assert [label for label, _ in choice.options] == [
                f"{value} {label}" for value, label in zip(item.values, labels, strict=True)
            ]


def test_every_subscale_has_a_name_in_both_languages() -> None:
    """Has every subscale of every instrument a catalogue name (not its raw id)?"""
    for instrument in INSTRUMENTS.values():
        for name in instrument.subscale_names():
            assert f"widgets.form.subscale.{name}" in catalogue(), name
            assert subscale_name(name, "en") != subscale_name(name, "zh")


def test_form_is_chinese_by_default_and_english_on_request() -> None:
    """Are item labels, button and result Chinese by default and English with lang="en"?"""
    phq9 = INSTRUMENTS["phq9"]
    zh = InstrumentForm("phq9")
    en = InstrumentForm("phq9", lang="en")
    assert zh.button.description == "计分" and en.button.description == "Score"
    zh_html = " ".join(child.value for child in _html_children(zh))
    en_html = " ".join(child.value for child in _html_children(en))
    assert phq9.name_zh in zh_html and phq9.items[0].zh in zh_html
    assert phq9.name_en in en_html and phq9.items[0].en in en_html
    en.set_answers([0] * 9)
    en.score()
    assert "Total: 0" in en.output.value and "Band: minimal" in en.output.value


def _html_children(box: w.Box) -> list[w.HTML]:
    found: list[w.HTML] = []
    for child in box.children:
        if isinstance(child, w.HTML):
            found.append(child)
        elif isinstance(child, w.Box):
            found.extend(_html_children(child))
    return found


def test_hand_scored_phq9_matches() -> None:
    """Does PHQ-9 with eight 1s and item 9 = 0 give total 8, band mild, and no safety alert?"""
    form = InstrumentForm("phq9", answers=[1, 1, 1, 1, 1, 1, 1, 1, 0])
    form.button.click()
    assert form.result is not None
    assert (form.result.total, form.result.band, form.result.flags) == (8, "mild", ())
    assert "shegong-flag" not in form.output.value
    assert "可能范围 0–27" in form.output.value


def test_phq9_item9_shows_the_safety_warning() -> None:
    """Does a PHQ-9 item-9 answer above 0 put the safety protocol first, in both languages?"""
    for lang, index in (("zh", 0), ("en", 1)):
        form = InstrumentForm("phq9", lang=lang, answers={no: 0 for no in range(1, 9)} | {9: 1})
        result = form.score()
        assert result is not None and result.flags == ("self_harm",)
        shown = form.output.value
        assert shown.startswith('<div role="alert" class="shegong-flag"')
        assert FLAG_LABELS["self_harm"][index] in shown
    high = InstrumentForm("phq9", answers=[0] * 8 + [3])
    high.score()
    assert "安全提示" in high.output.value


def test_missing_answers_list_the_items_and_give_no_result() -> None:
    """With items left blank, does Score list their numbers and leave result None?"""
    form = InstrumentForm("gad7", answers={1: 2, 2: 2, 4: 1})
    form.button.click()
    assert form.result is None
    assert "第 3, 5, 6, 7 题" in form.output.value
    form_en = InstrumentForm("gad7", lang="en")
    assert form_en.score() is None
    assert "item(s) 1, 2, 3, 4, 5, 6, 7" in form_en.output.value
    assert form.missing == [3, 5, 6, 7]
    assert form.answers == {1: 2, 2: 2, 3: None, 4: 1, 5: None, 6: None, 7: None}


def test_changing_an_answer_clears_a_stale_result() -> None:
    """After scoring, does changing an answer clear the old result until Score is clicked again?"""
    form = InstrumentForm("ucla3", answers=[3, 3, 3])
    assert form.score() is not None
    form.choices[2].value = 1
    assert form.result is None and form.output.value == ""
    assert form.score() == score("ucla3", [3, 1, 3])


def test_unverified_cutoffs_and_subscales_are_shown() -> None:
    """Does an unverified instrument say so, and does SDQ list its five subscales by name?"""
    form = InstrumentForm("sdq", answers=[1] * 25)
    form.score()
    shown = form.output.value
    assert "尚未与量表的原始文献核对" in shown and INSTRUMENTS["sdq"].cutoff_note_zh in shown
    for name in INSTRUMENTS["sdq"].subscale_names():
        assert subscale_name(name, "zh") in shown


def test_reverse_keyed_items_score_through_the_library() -> None:
    """Does the form leave reverse keying to the library (GDS-15 item 1 'no' scores 1)?"""
    answers = [0] + [0] * 14
    result = InstrumentForm("gds15", answers=answers).score()
    assert result == score("gds15", answers)


def test_bad_answers_raise_instrument_errors() -> None:
    """Are unknown items, disallowed values and wrong lengths refused with a bilingual error?"""
    form = InstrumentForm("phq9")
    with pytest.raises(InstrumentError, match="第 10 题"):
        form.set_answers({10: 1})
    with pytest.raises(InstrumentError, match="allowed answers: 0, 1, 2, 3"):
        form.set_answers({1: 7})
    with pytest.raises(InstrumentError, match="needs 9 answers; got 2"):
        form.set_answers([1, 2])
    with pytest.raises(InstrumentError, match="Unknown instrument"):
        InstrumentForm("phq-9")


def test_set_answers_none_clears_and_clear_resets() -> None:
    """Does None clear one item, and clear() every item?"""
    form = InstrumentForm("apgar", answers=[2, 2, 2, 2, 2])
    form.set_answers({3: None})
    assert form.missing == [3]
    form.clear()
    assert form.missing == [1, 2, 3, 4, 5]
    assert form.widget is form
