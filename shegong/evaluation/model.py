"""The rubric model: frozen dataclasses that ``rubrics.py`` builds from YAML.

Apps read labels with ``.get(lang)`` on any ``Bilingual`` and look items up by id
(``rubric.indicator(id)``, ``rubric.competency(id)``, ``rubric.grade(id)``).
"""

from __future__ import annotations

from dataclasses import dataclass

from shegong.text import Bilingual


@dataclass(frozen=True)
class Tag:
    """A named id: a five-features/six-services tag, a competency group or a level label."""

    id: str
    name: Bilingual


@dataclass(frozen=True)
class ScaleLevel:
    """A level of the station scale and the default share of an indicator's points."""

    level: int
    label: Bilingual
    share: float


@dataclass(frozen=True)
class IndicatorLevel:
    level: int
    label: Bilingual
    share: float
    descriptor: Bilingual


@dataclass(frozen=True)
class Indicator:
    id: str
    dimension_id: str
    name: Bilingual
    points: float
    evidence: Bilingual  # what to look at: 台账, 档案, 访谈 ...
    levels: tuple[IndicatorLevel, ...]  # highest level first
    tags: tuple[str, ...] = ()

    @property
    def level_numbers(self) -> tuple[int, ...]:
        return tuple(lv.level for lv in self.levels)

    def level(self, number: int) -> IndicatorLevel:
        for lv in self.levels:
            if lv.level == number:
                return lv
        raise KeyError(number)


@dataclass(frozen=True)
class Dimension:
    id: str
    name: Bilingual
    weight: float
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Veto:
    id: str
    name: Bilingual
    description: Bilingual


@dataclass(frozen=True)
class GradeBand:
    id: str
    label: Bilingual
    min_score: float


@dataclass(frozen=True)
class StationRubric:
    id: str
    version: str
    title: Bilingual
    scale: tuple[ScaleLevel, ...]  # highest level first
    tags: tuple[Tag, ...]
    dimensions: tuple[Dimension, ...]
    vetoes: tuple[Veto, ...]
    grades: tuple[GradeBand, ...]  # highest band first; the last starts at 0
    veto_grade: str
    evidence_required: bool = False
    source: Bilingual | None = None

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(i for d in self.dimensions for i in d.indicators)

    def indicator(self, indicator_id: str) -> Indicator:
        for indicator in self.indicators:
            if indicator.id == indicator_id:
                return indicator
        raise KeyError(indicator_id)

    def grade(self, grade_id: str) -> GradeBand:
        for band in self.grades:
            if band.id == grade_id:
                return band
        raise KeyError(grade_id)

    @property
    def veto_ids(self) -> tuple[str, ...]:
        return tuple(v.id for v in self.vetoes)


@dataclass(frozen=True)
class Anchor:
    level: int
    text: Bilingual


@dataclass(frozen=True)
class Competency:
    id: str
    group: str
    name: Bilingual
    description: Bilingual
    anchors: tuple[Anchor, ...]  # lowest level first
    evidence: Bilingual  # what a rating must rest on
    number: int | None = None  # CSWE 2022 competency number
    source: Bilingual | None = None
    # A safety minimum 安全底线 (e.g. risk seen and reported the same day): a trainee below
    # the expected level here has not met it, whatever the other competencies say.
    minimum: Bilingual | None = None

    def anchor(self, level: int) -> Bilingual:
        for anchor in self.anchors:
            if anchor.level == level:
                return anchor.text
        raise KeyError(level)


@dataclass(frozen=True)
class Expectation:
    """The expected level of achievement: ``share`` of trainees at ``level`` or above."""

    level: int
    share: float
    note: Bilingual


@dataclass(frozen=True)
class CompetencyRubric:
    id: str
    version: str
    title: Bilingual
    levels: tuple[ScaleLevel, ...]  # lowest first; ``share`` is unused (0)
    groups: tuple[Tag, ...]
    competencies: tuple[Competency, ...]
    expected: Expectation
    evidence_required: bool = True
    source: Bilingual | None = None

    @property
    def level_numbers(self) -> tuple[int, ...]:
        return tuple(lv.level for lv in self.levels)

    def level_label(self, level: int) -> Bilingual:
        for lv in self.levels:
            if lv.level == level:
                return lv.label
        raise KeyError(level)

    @property
    def minimums(self) -> tuple[Competency, ...]:
        """The competencies that carry a safety minimum."""
        return tuple(c for c in self.competencies if c.minimum is not None)

    def competency(self, competency_id: str) -> Competency:
        for competency in self.competencies:
            if competency.id == competency_id:
                return competency
        raise KeyError(competency_id)
