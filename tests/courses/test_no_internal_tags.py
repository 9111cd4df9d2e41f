"""Do internal drafting tags stay out of everything a trainee or an evaluator reads?

The tags are references to the internal domain brief ("brief §6.2", "领域简报 §7.2") and the
evidence marks [K] (background knowledge), [A] (assumption), [D] (derived), [V] (verified).
What they meant is said once in plain words instead (e.g. "local norms are not yet
verified", "a teaching assumption"). Checked: the lesson sources, the assignments, the
rubrics, the catalogue texts the toolkits show, the data card (its YAML and the rendered
card) and every built notebook of both lesson editions.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shegong.datasets.card import render_markdown
from shegong.lessons import build_courses, supervisor_root
from shegong.paths import CONTENT

ROOT = CONTENT.root
TAGS = re.compile(r"brief\s*§|领域简报|简报\s*§|\[[AKDV]\]")
SOURCES = [
    *sorted((ROOT / "courses").rglob("*.md")),
    *sorted((ROOT / "courses").rglob("*.yml")),
    *sorted(p for p in (ROOT / "assignments").rglob("*") if p.suffix in {".py", ".yml", ".md"}),
    *sorted((ROOT / "voila_apps" / "rubrics").glob("*.yml")),
    ROOT / "datasets" / "card.yml",
    *(ROOT / "shegong" / "catalogue" / f"{part}.yml" for part in ("casework", "groupwork")),
    *(ROOT / "shegong" / "catalogue" / f"{part}.yml" for part in ("community", "lessons")),
]


def tagged_lines(text: str) -> list[str]:
    """The lines of ``text`` that carry an internal tag, stripped."""
    return [line.strip()[:120] for line in text.splitlines() if TAGS.search(line)]


def test_the_pattern_finds_each_kind_of_tag() -> None:
    """Does the lint catch every tag form seen in drafts, and leave ordinary text alone?"""
    for tagged in ("（brief §6.2）", "依据领域简报 §7.2", "[K] 待核实", "模拟建议 [A]", "估算 [D]"):
        assert tagged_lines(tagged), tagged
    for plain in ('df["A"]', "a brief summary", "§ 3 of MZ/T 094-2017", "items[k]"):
        assert not tagged_lines(plain), plain


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_internal_tag_in_sources(path: Path) -> None:
    """Does this source that people read say what it means without internal tags?"""
    assert tagged_lines(path.read_text(encoding="utf-8")) == []


def test_no_internal_tag_on_the_rendered_data_card() -> None:
    """Does the data card written beside the data read without internal tags?"""
    meta = {"scale": "county", "seed": 2022, "messy": True, "version": "test"}
    assert tagged_lines(render_markdown(meta, {})) == []


def test_no_internal_tag_in_built_lessons(tmp_path: Path) -> None:
    """Do the built notebooks of both editions, in both languages, read without tags?"""
    out = tmp_path / "courses"
    build_courses(out)
    found = {
        str(path.relative_to(tmp_path)): lines
        for root in (out, supervisor_root(out))
        for path in sorted(root.rglob("*.ipynb"))
        if (lines := tagged_lines(path.read_text(encoding="utf-8")))
    }
    assert found == {}
