"""The layouts of the two rubric files, as pydantic models (see each file's top comment).

Field types check each node; the ``after`` validators check what spans nodes (sums, levels
matching the scale, references to tags and groups, ids used once), in the order a person
reads the file. ``rubrics.py`` turns a validated file into the frozen model of ``model.py``.
"""

from __future__ import annotations

import itertools
from typing import Annotated

from pydantic import BeforeValidator, Field, model_validator

from shegong.trace import Exam, Programme, Standards
from shegong.validation import Loc, Strict, fail

from .reader import (
    EnText,
    Ident,
    Label,
    NonEmpty,
    Share,
    Text,
    ZhText,
    exact_levels,
    integer,
    number,
    total,
    unique,
)

Points = Annotated[float, BeforeValidator(number(0.0001, 100))]
Level = Annotated[int, BeforeValidator(integer(0, 10))]


def rising_shares(shares: dict[int, float], where: Loc) -> None:
    """Higher levels earn strictly more, and the top level earns all the points."""
    ordered = [shares[level] for level in sorted(shares)]
    if any(b <= a for a, b in itertools.pairwise(ordered)):
        fail("share_order", where)
    if abs(ordered[-1] - 1) > 1e-9:
        fail("top_share", where, share=ordered[-1])


class Header(Strict):
    id: Ident
    version: Text
    title: Label


# --- station rubric ------------------------------------------------------------------


class ScaleEntry(Strict):
    level: Level
    share: Share
    zh: ZhText
    en: EnText


class LevelEntry(Strict):
    zh: ZhText
    en: EnText
    share: Share | None = None


class IndicatorEntry(Strict):
    id: Ident
    name: Label
    points: Points
    evidence: Label
    levels: dict[int | str, LevelEntry]
    tags: list[str] = Field(default_factory=list)
    standards: Standards = Field(default_factory=list)  # codes of courses/trace.yml
    programme: Programme = Field(default_factory=list)  # 五化 / 六项服务 / 五社联动 words


class DimensionEntry(Strict):
    id: Ident
    name: Label
    weight: Points
    indicators: Annotated[list[IndicatorEntry], NonEmpty]


class VetoEntry(Strict):
    id: Ident
    name: Label
    description: Label


class GradeEntry(Strict):
    id: Ident
    min: Annotated[float, BeforeValidator(number(0, 100))]
    zh: ZhText
    en: EnText


class StationFile(Header):
    scale: Annotated[list[ScaleEntry], NonEmpty]
    tags: Annotated[dict[Ident, Label], NonEmpty]
    dimensions: Annotated[list[DimensionEntry], NonEmpty]
    vetoes: Annotated[list[VetoEntry], NonEmpty]
    grades: Annotated[list[GradeEntry], NonEmpty]
    veto_grade: Ident
    source: Label | None = None
    evidence_required: bool = False

    @model_validator(mode="after")
    def _consistent(self) -> StationFile:
        unique((str(lv.level), ("scale", i)) for i, lv in enumerate(self.scale))
        defaults = {lv.level: lv.share for lv in self.scale}
        rising_shares(defaults, ("scale",))
        for i, dim in enumerate(self.dimensions):
            for j, ind in enumerate(dim.indicators):
                here: Loc = ("dimensions", i, "indicators", j)
                exact_levels(ind.levels, defaults, (*here, "levels"))
                shares = {
                    int(k): defaults[int(k)] if v.share is None else v.share
                    for k, v in ind.levels.items()
                }
                rising_shares(shares, (*here, "levels"))
                for k, tag in enumerate(ind.tags):
                    if tag not in self.tags:
                        fail(
                            "reference",
                            (*here, "tags", k),
                            value=tag,
                            choices=", ".join(sorted(self.tags)),
                        )
            total(
                (ind.points for ind in dim.indicators), dim.weight, ("dimensions", i, "indicators")
            )
        total((d.weight for d in self.dimensions), 100, ("dimensions",))
        unique(
            [(d.id, ("dimensions", i, "id")) for i, d in enumerate(self.dimensions)]
            + [
                (ind.id, ("dimensions", i, "indicators", j, "id"))
                for i, d in enumerate(self.dimensions)
                for j, ind in enumerate(d.indicators)
            ]
        )
        used = {t for d in self.dimensions for ind in d.indicators for t in ind.tags}
        for tag in self.tags:
            if tag not in used:
                fail("unused", ("tags", tag), value=tag)
        unique((v.id, ("vetoes", i, "id")) for i, v in enumerate(self.vetoes))
        self._check_grades()
        return self

    def _check_grades(self) -> None:
        """Bands from the highest down, each below the one before, the last at 0."""
        grades = self.grades
        unique((g.id, ("grades", i, "id")) for i, g in enumerate(grades))
        for i in range(1, len(grades)):
            if grades[i].min >= grades[i - 1].min:
                fail("band_order", ("grades", i, "min"))
        if grades[-1].min != 0:
            fail("band_floor", ("grades", len(grades) - 1, "min"))
        if self.veto_grade not in {g.id for g in grades}:
            fail(
                "reference",
                ("veto_grade",),
                value=self.veto_grade,
                choices=", ".join(g.id for g in grades),
            )


# --- competency rubric ---------------------------------------------------------------


class CompetencyLevelEntry(Strict):
    level: Level
    zh: ZhText
    en: EnText


class CompetencyEntry(Strict):
    id: Ident
    group: Ident
    name: Label
    description: Label
    anchors: dict[int | str, Label]
    evidence: Label
    number: Annotated[int, BeforeValidator(integer(1, 99))] | None = None
    source: Label | None = None
    minimum: Label | None = None  # a safety minimum: below the expected level it is not met
    standards: Standards = Field(default_factory=list)  # codes of courses/trace.yml
    exam: Exam = Field(default_factory=list)  # "<exam subject>：<chapter topic>"


class ExpectedEntry(Strict):
    level: Annotated[int, BeforeValidator(integer(0, 10))]
    share: Annotated[float, BeforeValidator(number(0.0001, 1))]
    note: Label


class CompetencyFile(Header):
    levels: Annotated[list[CompetencyLevelEntry], NonEmpty]
    expected: ExpectedEntry
    groups: Annotated[dict[Ident, Label], NonEmpty]
    competencies: Annotated[list[CompetencyEntry], NonEmpty]
    source: Label | None = None
    evidence_required: bool = True

    @model_validator(mode="after")
    def _consistent(self) -> CompetencyFile:
        unique((str(lv.level), ("levels", i)) for i, lv in enumerate(self.levels))
        numbers = sorted(lv.level for lv in self.levels)
        wanted = list(range(1, len(numbers) + 1))
        if numbers != wanted:
            fail(
                "levels",
                ("levels",),
                levels=", ".join(map(str, numbers)),
                expected=", ".join(map(str, wanted)),
            )
        for i, item in enumerate(self.competencies):
            if item.group not in self.groups:
                fail(
                    "reference",
                    ("competencies", i, "group"),
                    value=item.group,
                    choices=", ".join(sorted(self.groups)),
                )
            exact_levels(item.anchors, numbers, ("competencies", i, "anchors"))
        unique((c.id, ("competencies", i, "id")) for i, c in enumerate(self.competencies))
        for group in self.groups:
            if group not in {c.group for c in self.competencies}:
                fail("unused", ("groups", group), value=group)
        if not numbers[0] <= self.expected.level <= numbers[-1]:
            fail(
                "range",
                ("expected", "level"),
                value=self.expected.level,
                low=numbers[0],
                high=numbers[-1],
            )
        return self
