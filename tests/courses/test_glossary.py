"""Does everything people read use the glossary's terms, never the drifting words it avoids?

The glossary is ``courses/glossary.yml`` (read through ``shegong.glossary``). The lint reads
every lesson source and course file, every assignment master and rubric, the apps' rubrics
(``voila_apps/rubrics/*.yml``), the data card (``datasets/card.yml``) and the message
catalogue the apps show, and fails naming the file, line, avoided word and the term to use.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shegong.glossary import GlossaryError, drift, glossary, load_glossary
from shegong.paths import CONTENT

ROOT = CONTENT.root
SOURCES = [
    *sorted((ROOT / "courses").rglob("*.md")),
    *sorted(p for p in (ROOT / "courses").rglob("*.yml") if p.name != "glossary.yml"),
    *sorted(p for p in (ROOT / "assignments").rglob("*") if p.suffix in {".py", ".yml", ".md"}),
    *sorted((ROOT / "voila_apps" / "rubrics").glob("*.yml")),
    ROOT / "datasets" / "card.yml",
    *sorted((ROOT / "shegong" / "catalogue").glob("*.yml")),
]
# The drifting pairs named in the curriculum review: each must have one preferred term.
DRIFT = {
    "session_record": ("每节记录", "节次记录"),
    "closing_summary": ("结案小结", "结案报告"),
    "attendance_rate": ("出勤率", "出席率"),
    "dropout": ("脱落", "流失"),
}


def test_the_glossary_reads_and_names_one_term_for_each_drifting_pair() -> None:
    """Is there one preferred term for each drifting pair, with the other avoided?"""
    terms = {t.id: t for t in glossary().terms}
    for term_id, (preferred, avoided) in DRIFT.items():
        assert terms[term_id].zh == preferred
        assert avoided in terms[term_id].avoid_zh
    assert len(terms) >= 40 and all(t.zh and t.en for t in terms.values())


def test_drift_finds_avoided_words_and_leaves_allowed_phrases() -> None:
    """Does the lint catch each avoided word, and not 人才流失 (a different concept)?"""
    found = drift("第一行没事\n小组的流失率高，写好节次记录。\n社工人才流失是另一回事。")
    shown = [(d.line, d.word, d.use) for d in found]
    assert shown == [(2, "节次记录", "每节记录"), (2, "流失", "脱落")]
    assert drift("每节记录写清出勤率，说明脱落的原因，结案小结用化名。") == []


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_sources_use_the_glossary_terms(path: Path) -> None:
    """Does this text that people read use the preferred terms only?"""
    assert [str(d) for d in drift(path.read_text(encoding="utf-8"))] == []


def _glossary(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "glossary.yml"
    path.write_text(body, encoding="utf-8")
    return path


def test_an_avoided_word_inside_a_preferred_term_is_refused(tmp_path: Path) -> None:
    """Is a glossary refused, in both languages, when an avoided word is the preferred one?"""
    path = _glossary(
        tmp_path, "terms:\n  - {id: dropout, zh: 脱落, en: dropout, avoid_zh: [脱落]}\n"
    )
    with pytest.raises(GlossaryError) as info:
        load_glossary(path)
    message = str(info.value)
    assert "terms[0].avoid_zh" in message and "脱落" in message and "preferred term" in message


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("terms:\n  - {id: a, zh: 甲, en: a}\n  - {id: a, zh: 乙, en: b}\n", ("两次", "twice")),
        ("terms:\n  - {id: a, zh: 甲, en: a, avoid: [乙]}\n", ("未知的字段", "avoid_zh")),
        ("terms:\n  - {id: Bad-Id, zh: 甲, en: a}\n", ("编号", "lower-case")),
        ("terms:\n  - {id: a, zh: '', en: a}\n", ("不能为空", "must not be empty")),
        ("terms: [\n", ("无法读取", "Cannot read")),
    ],
)
def test_a_broken_glossary_says_what_is_wrong(
    tmp_path: Path, body: str, words: tuple[str, str]
) -> None:
    """Is each kind of broken glossary reported in both languages, naming the file?"""
    with pytest.raises(GlossaryError) as info:
        load_glossary(_glossary(tmp_path, body))
    message = str(info.value)
    assert all(w in message for w in words) and "glossary.yml" in message
