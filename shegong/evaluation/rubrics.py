"""Rubrics as data: load a rubric YAML file and validate it into frozen dataclasses.

Two kinds of rubric live in ``voila_apps/rubrics/``:

- ``station_evaluation.yml`` 站点评估 (brief §7.2): dimensions whose weights sum to 100;
  indicators whose points sum to their dimension's weight; a level scale giving the share of
  an indicator's points each level earns (an indicator may override shares, e.g. the
  output-ratio bands of brief §7.1); veto items 一票否决; configurable grade bands.
- ``competency.yml`` 能力评估 (brief §4, §7.3): competencies with a behavioural anchor for
  every level, the evidence a rating needs, and the programme's expected level of achievement.

Every label is ``{zh, en}``. A mistake raises ``RubricError`` naming the file and the path of
the bad node (``dimensions[1].indicators[0].levels.4.zh``), in Chinese and English. The
layout of each file is described in a comment at its top.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

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
from .reader import EvaluationError, Reader, RubricError, at, index, read_yaml

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
    reader, data = read_yaml(Path(path) if path is not None else STATION_RUBRIC)
    return _station(reader, data)


def load_competency_rubric(path: Path | str | None = None) -> CompetencyRubric:
    """The trainee competency rubric (default ``voila_apps/rubrics/competency.yml``)."""
    reader, data = read_yaml(Path(path) if path is not None else COMPETENCY_RUBRIC)
    return _competency(reader, data)


# --- station rubric ------------------------------------------------------------------


def _header(r: Reader, top: dict[str, Any]) -> tuple[str, str, Bilingual, Bilingual | None]:
    source = top.get("source")
    return (
        r.ident(top["id"], "id"),
        r.string(top["version"], "version"),
        r.bilingual(top["title"], "title"),
        None if source is None else r.bilingual(source, "source"),
    )


def _scale(r: Reader, value: Any, path: str, *, shares: bool) -> tuple[ScaleLevel, ...]:
    levels: list[ScaleLevel] = []
    for i, raw in enumerate(r.items(value, path)):
        p = index(path, i)
        keys = ("level", "share", "zh", "en") if shares else ("level", "zh", "en")
        node = r.mapping(raw, p, keys)
        share = r.number(node["share"], at(p, "share"), 0, 1) if shares else 0.0
        label = r.bilingual({"zh": node["zh"], "en": node["en"]}, p)
        levels.append(ScaleLevel(r.integer(node["level"], at(p, "level"), 0, 10), label, share))
    r.unique((str(lv.level), index(path, i)) for i, lv in enumerate(levels))
    return tuple(levels)


def _rising_shares(r: Reader, shares: dict[int, float], path: str) -> None:
    """Higher levels earn strictly more, and the top level earns all the points."""
    ordered = [shares[level] for level in sorted(shares)]
    if any(b <= a for a, b in itertools.pairwise(ordered)):
        r.fail("error.evaluation_rubric_share_order", path)
    if abs(ordered[-1] - 1) > 1e-9:
        r.fail("error.evaluation_rubric_top_share", path, share=ordered[-1])


def _indicator(
    r: Reader, raw: Any, p: str, dimension: str, scale: tuple[ScaleLevel, ...], tags: set[str]
) -> Indicator:
    node = r.mapping(raw, p, ("id", "name", "points", "evidence", "levels"), ("tags",))
    levels_path = at(p, "levels")
    by_level = r.levels(node["levels"], levels_path, [lv.level for lv in scale])
    levels: list[IndicatorLevel] = []
    for lv in scale:
        lp = at(levels_path, lv.level)
        entry = r.mapping(by_level[lv.level], lp, ("zh", "en"), ("share",))
        share = (
            lv.share if "share" not in entry else r.number(entry["share"], at(lp, "share"), 0, 1)
        )
        descriptor = r.bilingual({"zh": entry["zh"], "en": entry["en"]}, lp)
        levels.append(IndicatorLevel(lv.level, lv.label, share, descriptor))
    _rising_shares(r, {lv.level: lv.share for lv in levels}, levels_path)
    own_tags = node.get("tags", [])
    if not isinstance(own_tags, list):
        r.fail("error.evaluation_rubric_type", at(p, "tags"), kind="list")
    for j, tag in enumerate(own_tags):
        if tag not in tags:
            r.fail(
                "error.evaluation_rubric_reference",
                index(at(p, "tags"), j),
                value=tag,
                choices=", ".join(sorted(tags)),
            )
    return Indicator(
        id=r.ident(node["id"], at(p, "id")),
        dimension_id=dimension,
        name=r.bilingual(node["name"], at(p, "name")),
        points=r.number(node["points"], at(p, "points"), 0.0001, 100),
        evidence=r.bilingual(node["evidence"], at(p, "evidence")),
        levels=tuple(levels),
        tags=tuple(own_tags),
    )


def _station(r: Reader, data: Any) -> StationRubric:
    required = ("id", "version", "title", "scale", "tags", "dimensions", "vetoes", "grades")
    top = r.mapping(data, "", (*required, "veto_grade"), ("source", "evidence_required"))
    rubric_id, version, title, source = _header(r, top)
    scale = tuple(sorted(_scale(r, top["scale"], "scale", shares=True), key=lambda s: -s.level))
    _rising_shares(r, {lv.level: lv.share for lv in scale}, "scale")
    raw_tags = r.dictionary(top["tags"], "tags")
    tags = tuple(
        Tag(r.ident(k, at("tags", k)), r.bilingual(v, at("tags", k))) for k, v in raw_tags.items()
    )
    tag_ids = {t.id for t in tags}

    dimensions: list[Dimension] = []
    for i, raw in enumerate(r.items(top["dimensions"], "dimensions")):
        p = index("dimensions", i)
        node = r.mapping(raw, p, ("id", "name", "weight", "indicators"))
        dim_id = r.ident(node["id"], at(p, "id"))
        weight = r.number(node["weight"], at(p, "weight"), 0.0001, 100)
        ip = at(p, "indicators")
        indicators = tuple(
            _indicator(r, item, index(ip, j), dim_id, scale, tag_ids)
            for j, item in enumerate(r.items(node["indicators"], ip))
        )
        r.total((ind.points for ind in indicators), weight, ip)
        dimensions.append(
            Dimension(dim_id, r.bilingual(node["name"], at(p, "name")), weight, indicators)
        )
    r.total((d.weight for d in dimensions), 100, "dimensions")
    r.unique(
        [(d.id, at(index("dimensions", i), "id")) for i, d in enumerate(dimensions)]
        + [
            (ind.id, at(index(at(index("dimensions", i), "indicators"), j), "id"))
            for i, d in enumerate(dimensions)
            for j, ind in enumerate(d.indicators)
        ]
    )
    used = {t for d in dimensions for ind in d.indicators for t in ind.tags}
    for tag in tags:
        if tag.id not in used:
            r.fail("error.evaluation_rubric_unused", at("tags", tag.id), value=tag.id)

    vetoes = _vetoes(r, top["vetoes"])
    grades = _grades(r, top["grades"])
    veto_grade = r.ident(top["veto_grade"], "veto_grade")
    if veto_grade not in {g.id for g in grades}:
        r.fail(
            "error.evaluation_rubric_reference",
            "veto_grade",
            value=veto_grade,
            choices=", ".join(g.id for g in grades),
        )
    evidence = r.boolean(top.get("evidence_required", False), "evidence_required")
    return StationRubric(
        rubric_id,
        version,
        title,
        scale,
        tags,
        tuple(dimensions),
        vetoes,
        grades,
        veto_grade,
        evidence,
        source,
    )


def _vetoes(r: Reader, value: Any) -> tuple[Veto, ...]:
    vetoes = []
    for i, raw in enumerate(r.items(value, "vetoes")):
        p = index("vetoes", i)
        node = r.mapping(raw, p, ("id", "name", "description"))
        vetoes.append(
            Veto(
                r.ident(node["id"], at(p, "id")),
                r.bilingual(node["name"], at(p, "name")),
                r.bilingual(node["description"], at(p, "description")),
            )
        )
    r.unique((v.id, at(index("vetoes", i), "id")) for i, v in enumerate(vetoes))
    return tuple(vetoes)


def _grades(r: Reader, value: Any) -> tuple[GradeBand, ...]:
    """Bands from the highest down, each starting strictly below the one before, the last at 0."""
    grades = []
    for i, raw in enumerate(r.items(value, "grades")):
        p = index("grades", i)
        node = r.mapping(raw, p, ("id", "min", "zh", "en"))
        grades.append(
            GradeBand(
                r.ident(node["id"], at(p, "id")),
                r.bilingual({"zh": node["zh"], "en": node["en"]}, p),
                r.number(node["min"], at(p, "min"), 0, 100),
            )
        )
    r.unique((g.id, at(index("grades", i), "id")) for i, g in enumerate(grades))
    for i in range(1, len(grades)):
        if grades[i].min_score >= grades[i - 1].min_score:
            r.fail("error.evaluation_rubric_band_order", at(index("grades", i), "min"))
    if grades[-1].min_score != 0:
        r.fail("error.evaluation_rubric_band_floor", at(index("grades", len(grades) - 1), "min"))
    return tuple(grades)


# --- competency rubric ---------------------------------------------------------------


def _competency_item(
    r: Reader, raw: Any, p: str, levels: tuple[ScaleLevel, ...], groups: set[str]
) -> Competency:
    node = r.mapping(
        raw, p, ("id", "group", "name", "description", "anchors", "evidence"), ("number", "source")
    )
    group = r.ident(node["group"], at(p, "group"))
    if group not in groups:
        r.fail(
            "error.evaluation_rubric_reference",
            at(p, "group"),
            value=group,
            choices=", ".join(sorted(groups)),
        )
    ap = at(p, "anchors")
    by_level = r.levels(node["anchors"], ap, [lv.level for lv in levels])
    anchors = tuple(
        Anchor(lv.level, r.bilingual(by_level[lv.level], at(ap, lv.level))) for lv in levels
    )
    number = node.get("number")
    source = node.get("source")
    return Competency(
        id=r.ident(node["id"], at(p, "id")),
        group=group,
        name=r.bilingual(node["name"], at(p, "name")),
        description=r.bilingual(node["description"], at(p, "description")),
        anchors=anchors,
        evidence=r.bilingual(node["evidence"], at(p, "evidence")),
        number=None if number is None else r.integer(number, at(p, "number"), 1, 99),
        source=None if source is None else r.bilingual(source, at(p, "source")),
    )


def _competency(r: Reader, data: Any) -> CompetencyRubric:
    required = ("id", "version", "title", "levels", "expected", "groups", "competencies")
    top = r.mapping(data, "", required, ("source", "evidence_required"))
    rubric_id, version, title, source = _header(r, top)
    levels = tuple(sorted(_scale(r, top["levels"], "levels", shares=False), key=lambda s: s.level))
    numbers = [lv.level for lv in levels]
    if numbers != list(range(1, len(numbers) + 1)):
        r.fail(
            "error.evaluation_rubric_levels",
            "levels",
            levels=", ".join(map(str, numbers)),
            expected=", ".join(map(str, range(1, len(numbers) + 1))),
        )
    raw_groups = r.dictionary(top["groups"], "groups")
    groups = tuple(
        Tag(r.ident(k, at("groups", k)), r.bilingual(v, at("groups", k)))
        for k, v in raw_groups.items()
    )
    group_ids = {g.id for g in groups}
    competencies = tuple(
        _competency_item(r, raw, index("competencies", i), levels, group_ids)
        for i, raw in enumerate(r.items(top["competencies"], "competencies"))
    )
    r.unique((c.id, at(index("competencies", i), "id")) for i, c in enumerate(competencies))
    for group in groups:
        if group.id not in {c.group for c in competencies}:
            r.fail("error.evaluation_rubric_unused", at("groups", group.id), value=group.id)
    node = r.mapping(top["expected"], "expected", ("level", "share", "note"))
    expected = Expectation(
        r.integer(node["level"], "expected.level", numbers[0], numbers[-1]),
        r.number(node["share"], "expected.share", 0.0001, 1),
        r.bilingual(node["note"], "expected.note"),
    )
    evidence = r.boolean(top.get("evidence_required", True), "evidence_required")
    return CompetencyRubric(
        rubric_id, version, title, levels, groups, competencies, expected, evidence, source
    )
