"""Rubrics as data: ``assignments/<id>/rubric.yml``, validated when loaded.

A rubric scores the manually graded (written) answers of one assignment::

    assignment: casework
    criteria:
      - id: assessment_use            # stable ASCII id, never renamed
        cell: plan                    # grade_id of the written answer cell it scores
        title: {zh: 运用预估结果, en: Uses the assessment}
        levels:                       # from lowest to highest points
          - points: 0
            label: {zh: 未达到, en: not yet}
            descriptor: {zh: ..., en: ...}
          - points: 2
            label: {zh: 达到, en: competent}
            descriptor: {zh: ..., en: ...}
    comments:                         # the comment bank supervisors start from
      - id: cite_scores
        zh: 请引用量表的具体分数。
        en: Quote the actual scale scores.

A written cell's score is the sum of the chosen level points of its criteria, so the top
levels of a cell's criteria must add up to the cell's nbgrader points (``check_against``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from shegong.grading.config import GradingError
from shegong.grading.model import GradedCell
from shegong.messages import LANGS
from shegong.text import Bilingual

ID = re.compile(r"^[a-z][a-z0-9_]*$")


@dataclass(frozen=True)
class Level:
    points: float
    label: Bilingual
    descriptor: Bilingual


@dataclass(frozen=True)
class Criterion:
    id: str
    cell: str
    title: Bilingual
    levels: tuple[Level, ...]

    @property
    def max_points(self) -> float:
        return self.levels[-1].points

    def level(self, points: float) -> Level:
        """The level worth ``points``; GradingError naming the allowed points otherwise."""
        for level in self.levels:
            if level.points == points:
                return level
        allowed = ", ".join(f"{lv.points:g}" for lv in self.levels)
        raise GradingError(
            "grading.error.rubric_level", criterion=self.id, value=points, allowed=allowed
        )


@dataclass(frozen=True)
class BankComment:
    id: str
    text: Bilingual


@dataclass(frozen=True)
class Rubric:
    assignment: str
    criteria: tuple[Criterion, ...]
    comments: tuple[BankComment, ...]

    def for_cell(self, cell: str) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.cell == cell)

    @property
    def cells(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(c.cell for c in self.criteria))

    def criterion(self, criterion_id: str) -> Criterion:
        for criterion in self.criteria:
            if criterion.id == criterion_id:
                return criterion
        raise GradingError(
            "grading.error.rubric_unknown", criterion=criterion_id, assignment=self.assignment
        )


class _Reader:
    """Reads one rubric file, naming the file and the place of the first problem."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, code: str, **values: Any) -> GradingError:
        return GradingError(f"grading.rubric.{code}", path=self.path, where=where, **values)

    def text(self, raw: Any, where: str) -> Bilingual:
        if not isinstance(raw, Mapping) or any(
            not isinstance(raw.get(lang), str) or not raw[lang].strip() for lang in LANGS
        ):
            raise self.fail(where, "texts")
        return Bilingual(zh=str(raw["zh"]).strip(), en=str(raw["en"]).strip())

    def ident(self, raw: Any, where: str) -> str:
        if not isinstance(raw, str) or not ID.match(raw):
            raise self.fail(where, "id", value=repr(raw))
        return raw

    def level(self, raw: Any, where: str) -> Level:
        if not isinstance(raw, Mapping):
            raise self.fail(where, "not_mapping")
        points = raw.get("points")
        if isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
            raise self.fail(where, "points", value=repr(points))
        return Level(
            points=float(points),
            label=self.text(raw.get("label"), f"{where}.label"),
            descriptor=self.text(raw.get("descriptor"), f"{where}.descriptor"),
        )

    def criterion(self, raw: Any, where: str) -> Criterion:
        if not isinstance(raw, Mapping):
            raise self.fail(where, "not_mapping")
        cid = self.ident(raw.get("id"), f"{where}.id")
        levels_raw = raw.get("levels")
        if not isinstance(levels_raw, list) or len(levels_raw) < 2:
            raise self.fail(f"{where}.levels", "levels_few")
        levels = tuple(self.level(lv, f"{where}.levels[{k}]") for k, lv in enumerate(levels_raw))
        points = [lv.points for lv in levels]
        if points != sorted(set(points)):
            raise self.fail(f"{where}.levels", "levels_order")
        cell = raw.get("cell")
        if not isinstance(cell, str) or not cell:
            raise self.fail(f"{where}.cell", "cell")
        return Criterion(cid, cell, self.text(raw.get("title"), f"{where}.title"), levels)

    def rubric(self, raw: Any) -> Rubric:
        if not isinstance(raw, Mapping):
            raise self.fail("-", "not_mapping")
        assignment = raw.get("assignment")
        if not isinstance(assignment, str) or not assignment:
            raise self.fail("assignment", "missing")
        criteria_raw = raw.get("criteria")
        if not isinstance(criteria_raw, list) or not criteria_raw:
            raise self.fail("criteria", "missing")
        criteria = tuple(self.criterion(c, f"criteria[{k}]") for k, c in enumerate(criteria_raw))
        ids = [c.id for c in criteria]
        if len(set(ids)) != len(ids):
            raise self.fail("criteria", "unique")
        comments = []
        for k, item in enumerate(raw.get("comments") or []):
            where = f"comments[{k}]"
            if not isinstance(item, Mapping):
                raise self.fail(where, "not_mapping")
            comments.append(BankComment(self.ident(item.get("id"), where), self.text(item, where)))
        if len({c.id for c in comments}) != len(comments):
            raise self.fail("comments", "unique")
        return Rubric(assignment, criteria, tuple(comments))


def load_rubric(path: Path) -> Rubric:
    """Read and validate one ``rubric.yml``."""
    reader = _Reader(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise reader.fail("-", "unreadable", detail=" ".join(str(exc).split())[:200]) from None
    return reader.rubric(raw)


def check_against(rubric: Rubric, written: list[GradedCell], path: Path) -> None:
    """Does the rubric score exactly the written cells, with matching points?"""
    reader = _Reader(path)
    cells = {c.grade_id: c for c in written}
    for name in rubric.cells:
        if name not in cells:
            raise reader.fail("criteria", "unknown_cell", cell=name)
    for grade_id, cell in cells.items():
        criteria = rubric.for_cell(grade_id)
        if not criteria:
            raise reader.fail("criteria", "no_criteria", cell=grade_id)
        total = sum(c.max_points for c in criteria)
        if abs(total - cell.points) > 1e-9:
            raise reader.fail(
                "criteria",
                "points_mismatch",
                cell=grade_id,
                total=f"{total:g}",
                points=f"{cell.points:g}",
            )
