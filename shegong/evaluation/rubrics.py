"""Rubrics as data: load a rubric YAML file and validate it into frozen dataclasses.

Two kinds of rubric live in ``voila_apps/rubrics/``:

- ``station_evaluation.yml`` 站点评估 (brief §7.2): dimensions whose weights sum to 100;
  indicators whose points sum to their dimension's weight; a level scale giving the share of
  an indicator's points each level earns (an indicator may override shares, e.g. the
  output-ratio bands of brief §7.1); veto items 一票否决; configurable grade bands.
- ``competency.yml`` 能力评估 (brief §4, §7.3): competencies with a behavioural anchor for
  every level, the evidence a rating needs, and the programme's expected level of achievement.

Every label is ``{zh, en}``; the layouts are the pydantic models of ``schema.py``. A mistake
raises ``RubricError`` naming the file and the path of the bad node
(``dimensions[1].indicators[0].levels.4.zh``), in Chinese and English. The layout of each
file is described in a comment at its top.
"""

from __future__ import annotations

from pathlib import Path

from shegong.paths import CONTENT

from .model import (
    Anchor,
    Bilingual,
    Competency,
    CompetencyRubric,
    Dimension,
    Expectation,
    GradeBand,
    Indicator,
    IndicatorLevel,
    ScaleLevel,
    StationRubric,
    Tag,
    Veto,
)
from .reader import EvaluationError, RubricError, load
from .schema import CompetencyFile, IndicatorEntry, StationFile

__all__ = [
    "Anchor",
    "Bilingual",
    "Competency",
    "CompetencyRubric",
    "Dimension",
    "EvaluationError",
    "Expectation",
    "GradeBand",
    "Indicator",
    "IndicatorLevel",
    "RubricError",
    "ScaleLevel",
    "StationRubric",
    "Tag",
    "Veto",
    "load_competency_rubric",
    "load_station_rubric",
]

RUBRIC_DIR = CONTENT.rubrics
STATION_RUBRIC = RUBRIC_DIR / "station_evaluation.yml"
COMPETENCY_RUBRIC = RUBRIC_DIR / "competency.yml"


def load_station_rubric(path: Path | str | None = None) -> StationRubric:
    """The station evaluation rubric (default ``voila_apps/rubrics/station_evaluation.yml``)."""
    return _station(load(Path(path) if path is not None else STATION_RUBRIC, StationFile))


def load_competency_rubric(path: Path | str | None = None) -> CompetencyRubric:
    """The trainee competency rubric (default ``voila_apps/rubrics/competency.yml``)."""
    return _competency(load(Path(path) if path is not None else COMPETENCY_RUBRIC, CompetencyFile))


def _station(top: StationFile) -> StationRubric:
    scale = tuple(
        sorted(
            (ScaleLevel(lv.level, Bilingual(lv.zh, lv.en), lv.share) for lv in top.scale),
            key=lambda s: -s.level,
        )
    )
    dimensions = tuple(
        Dimension(
            dim.id,
            dim.name.text,
            dim.weight,
            tuple(_indicator(ind, dim.id, scale) for ind in dim.indicators),
        )
        for dim in top.dimensions
    )
    return StationRubric(
        top.id,
        top.version,
        top.title.text,
        scale,
        tuple(Tag(k, v.text) for k, v in top.tags.items()),
        dimensions,
        tuple(Veto(v.id, v.name.text, v.description.text) for v in top.vetoes),
        tuple(GradeBand(g.id, Bilingual(g.zh, g.en), g.min) for g in top.grades),
        top.veto_grade,
        top.evidence_required,
        None if top.source is None else top.source.text,
    )


def _indicator(node: IndicatorEntry, dimension: str, scale: tuple[ScaleLevel, ...]) -> Indicator:
    levels = []
    for lv in scale:
        entry = node.levels[lv.level]
        share = lv.share if entry.share is None else entry.share
        levels.append(IndicatorLevel(lv.level, lv.label, share, Bilingual(entry.zh, entry.en)))
    return Indicator(
        id=node.id,
        dimension_id=dimension,
        name=node.name.text,
        points=node.points,
        evidence=node.evidence.text,
        levels=tuple(levels),
        tags=tuple(node.tags),
    )


def _competency(top: CompetencyFile) -> CompetencyRubric:
    levels = tuple(
        sorted(
            (ScaleLevel(lv.level, Bilingual(lv.zh, lv.en), 0.0) for lv in top.levels),
            key=lambda s: s.level,
        )
    )
    competencies = tuple(
        Competency(
            id=c.id,
            group=c.group,
            name=c.name.text,
            description=c.description.text,
            anchors=tuple(Anchor(lv.level, c.anchors[lv.level].text) for lv in levels),
            evidence=c.evidence.text,
            number=c.number,
            source=None if c.source is None else c.source.text,
            minimum=None if c.minimum is None else c.minimum.text,
        )
        for c in top.competencies
    )
    expected = Expectation(top.expected.level, top.expected.share, top.expected.note.text)
    return CompetencyRubric(
        top.id,
        top.version,
        top.title.text,
        levels,
        tuple(Tag(k, v.text) for k, v in top.groups.items()),
        competencies,
        expected,
        top.evidence_required,
        None if top.source is None else top.source.text,
    )
