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

The layout is the pydantic models below (``RubricFile``); the shared ``shegong.validation``
names the file and the place of the first problem. A written cell's score is the sum of the
chosen level points of its criteria, so the top levels of a cell's criteria must add up to the
cell's nbgrader points (``check_against``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from shegong.grading.config import GradingError
from shegong.grading.model import GradedCell
from shegong.messages import LANGS
from shegong.text import Bilingual
from shegong.validation import Problem, fail, read_yaml, validate

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


def _fail(path: Path, where: str, code: str, **values: object) -> GradingError:
    return GradingError(f"grading.rubric.{code}", path=path, where=where, **values)


def _text(raw: object) -> Bilingual:
    if not isinstance(raw, Mapping) or any(
        not isinstance(raw.get(lang), str) or not raw[lang].strip() for lang in LANGS
    ):
        fail("texts")
    return Bilingual(zh=str(raw["zh"]).strip(), en=str(raw["en"]).strip())


def _ident(raw: object) -> str:
    if not isinstance(raw, str) or not ID.match(raw):
        fail("id", value=repr(raw))
    return raw


def _points(raw: object) -> float:
    if isinstance(raw, bool) or not isinstance(raw, int | float) or raw < 0:
        fail("points", value=repr(raw))
    return float(raw)


def _cell(raw: object) -> str:
    if not isinstance(raw, str) or not raw:
        fail("cell")
    return raw


def _named(raw: object) -> str:
    if not isinstance(raw, str) or not raw:
        fail("missing")
    return raw


def _mapping(raw: object) -> object:
    if not isinstance(raw, Mapping):
        fail("not_mapping")
    return raw


def _some_levels(raw: object) -> object:
    if not isinstance(raw, list) or len(raw) < 2:
        fail("levels_few")
    return raw


def _some_criteria(raw: object) -> object:
    if not isinstance(raw, list) or not raw:
        fail("missing")
    return raw


Text = Annotated[Bilingual, BeforeValidator(_text)]
Ident = Annotated[str, BeforeValidator(_ident)]


class _Node(BaseModel):
    """A node of ``rubric.yml``; keys beyond the layout are ignored, as they always were."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _is_mapping(cls, data: object) -> object:
        return _mapping(data)


class LevelSpec(_Node):
    points: Annotated[float, BeforeValidator(_points)]
    label: Text
    descriptor: Text


class CriterionSpec(_Node):
    id: Ident
    levels: Annotated[list[LevelSpec], BeforeValidator(_some_levels)]
    cell: Annotated[str, BeforeValidator(_cell)]
    title: Text

    @model_validator(mode="after")
    def _rising(self) -> CriterionSpec:
        points = [lv.points for lv in self.levels]
        if points != sorted(set(points)):
            fail("levels_order", ("levels",))
        return self


class CommentSpec(_Node):
    """A bank comment: ``{id, zh, en}``."""

    id: Ident
    zh: str
    en: str

    @model_validator(mode="before")
    @classmethod
    def _texts(cls, data: object) -> object:
        _text(_mapping(data))
        return data

    @property
    def text(self) -> Bilingual:
        return Bilingual(zh=self.zh.strip(), en=self.en.strip())


class RubricFile(_Node):
    """The layout of ``rubric.yml`` (see the module docstring)."""

    assignment: Annotated[str, BeforeValidator(_named)]
    criteria: Annotated[list[CriterionSpec], BeforeValidator(_some_criteria)]
    comments: Annotated[list[CommentSpec], BeforeValidator(lambda raw: raw or [])] = []

    @model_validator(mode="after")
    def _unique(self) -> RubricFile:
        for name, items in (("criteria", self.criteria), ("comments", self.comments)):
            if len({item.id for item in items}) != len(items):
                fail("unique", (name,))
        return self


CODES = {"texts", "id", "points", "levels_few", "levels_order", "cell", "missing", "unique"}
MISSING = {"id": "id", "points": "points", "levels": "levels_few", "cell": "cell"}


def _problem(path: Path, problem: Problem) -> GradingError:
    """The grading catalogue's message for the first problem of ``path``."""
    values = dict(problem.values)
    where, code = problem.path, problem.code
    if code == "missing":
        key = str(values.pop("key"))
        code = MISSING.get(key, "texts" if where else "missing")
        where = f"{where}.{key}" if where else key
        if code in ("id", "points"):
            values["value"] = repr(None)
    elif code in ("read", "yaml"):
        line = values.pop("line", None)
        detail = values.get("detail")
        values = {"detail": detail if line is None else f"line {line}: {detail}"}
        code = "unreadable"
    elif code not in CODES:
        code = "not_mapping"
    return _fail(path, where or "-", code, **values)


def load_rubric(path: Path) -> Rubric:
    """Read and validate one ``rubric.yml``."""

    def make(problem: Problem) -> GradingError:
        return _problem(path, problem)

    raw = validate(RubricFile, read_yaml(path, make), make)
    criteria = tuple(
        Criterion(
            c.id,
            c.cell,
            c.title,
            tuple(Level(lv.points, lv.label, lv.descriptor) for lv in c.levels),
        )
        for c in raw.criteria
    )
    comments = tuple(BankComment(c.id, c.text) for c in raw.comments)
    return Rubric(raw.assignment, criteria, comments)


def check_against(rubric: Rubric, written: list[GradedCell], path: Path) -> None:
    """Does the rubric score exactly the written cells, with matching points?"""
    cells = {c.grade_id: c for c in written}
    for name in rubric.cells:
        if name not in cells:
            raise _fail(path, "criteria", "unknown_cell", cell=name)
    for grade_id, cell in cells.items():
        criteria = rubric.for_cell(grade_id)
        if not criteria:
            raise _fail(path, "criteria", "no_criteria", cell=grade_id)
        total = sum(c.max_points for c in criteria)
        if abs(total - cell.points) > 1e-9:
            raise _fail(
                path,
                "criteria",
                "points_mismatch",
                cell=grade_id,
                total=f"{total:g}",
                points=f"{cell.points:g}",
            )
