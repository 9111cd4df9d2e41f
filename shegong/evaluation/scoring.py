"""Scores from rubric ratings: the weighted station score and the trainee competency profile.

Station score (brief §7.2): each indicator earns ``points × share(level)``; the total is the
sum over indicators, 0-100, rounded half up to 2 decimals before banding (89.995 is 90.00).
The grade is the first band (highest first) whose ``min`` the total reaches; any veto item
一票否决 gives the rubric's ``veto_grade`` (不合格) whatever the total. ``per-dimension`` tables
are ready for a radar chart (one row per dimension, ``percent`` of its weight).

Competency profile (brief §4.1, §7.3): from the submitted ratings of a trainee, the latest
level per competency, the change since the first and the previous assessment, and against the
programme's expected level; for a cohort, the share of trainees at the expected level.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from shegong.messages import Lang

from .model import Bilingual
from .reader import EvaluationError
from .rubrics import CompetencyRubric, GradeBand, StationRubric

DECIMALS = 2
HISTORY_COLUMNS = (
    "assessment_id",
    "trainee_id",
    "assessor_id",
    "assessed_on",
    "submitted_at",
    "competency_id",
    "level",
    "self_level",
)


def round_score(value: float) -> float:
    """Round half up to 2 decimals as written (89.995 -> 90.0, 59.995 -> 60.0).

    Python's ``round`` works on the binary value and sends 59.995 down but 89.995 up.
    """
    return float(Decimal(repr(float(value))).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


class ScoringError(EvaluationError):
    """Ratings that do not fit the rubric, or are incomplete where completeness is needed."""


@dataclass(frozen=True)
class IndicatorScore:
    indicator_id: str
    dimension_id: str
    level: int | None
    points: float
    max_points: float


@dataclass(frozen=True)
class DimensionScore:
    dimension_id: str
    name: Bilingual
    points: float
    max_points: float

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.max_points, DECIMALS)


@dataclass(frozen=True)
class StationScore:
    """A station's score under one rubric; ``missing`` lists unrated indicators (drafts)."""

    rubric_id: str
    rubric_version: str
    total: float
    grade: GradeBand
    vetoes: tuple[str, ...]
    dimensions: tuple[DimensionScore, ...]
    indicators: tuple[IndicatorScore, ...]
    missing: tuple[str, ...] = ()

    @property
    def vetoed(self) -> bool:
        return bool(self.vetoes)

    @property
    def complete(self) -> bool:
        return not self.missing

    def dimension_table(self, lang: Lang = "zh") -> pd.DataFrame:
        """One row per dimension: id, label, points, max_points, percent (radar-chart ready)."""
        return pd.DataFrame(
            {
                "dimension_id": [d.dimension_id for d in self.dimensions],
                "label": [d.name.get(lang) for d in self.dimensions],
                "points": [round(d.points, DECIMALS) for d in self.dimensions],
                "max_points": [d.max_points for d in self.dimensions],
                "percent": [d.percent for d in self.dimensions],
            }
        )


def check_station_ratings(
    rubric: StationRubric, levels: Mapping[str, int | None], vetoes: Iterable[str] = ()
) -> None:
    """ScoringError for an indicator or veto the rubric lacks, or a level it does not define."""
    for indicator_id, level in levels.items():
        try:
            indicator = rubric.indicator(indicator_id)
        except KeyError:
            raise ScoringError(
                "error.evaluation_unknown_indicator", indicator=indicator_id, rubric=rubric.id
            ) from None
        if level is not None and (
            isinstance(level, bool)
            or not isinstance(level, int)
            or level not in indicator.level_numbers
        ):
            raise ScoringError(
                "error.evaluation_bad_level",
                item=indicator_id,
                level=level,
                levels=", ".join(map(str, sorted(indicator.level_numbers))),
            )
    for veto in vetoes:
        if veto not in rubric.veto_ids:
            raise ScoringError(
                "error.evaluation_unknown_veto",
                veto=veto,
                choices=", ".join(rubric.veto_ids),
            )


def grade_for(rubric: StationRubric, total: float, vetoed: bool = False) -> GradeBand:
    """The band of a 0-100 total; any veto gives the rubric's veto grade."""
    if vetoed:
        return rubric.grade(rubric.veto_grade)
    rounded = round_score(total)
    for band in rubric.grades:
        if rounded >= band.min_score:
            return band
    return rubric.grades[-1]


def score_station(
    rubric: StationRubric,
    levels: Mapping[str, int | None],
    vetoes: Iterable[str] = (),
    *,
    allow_missing: bool = False,
) -> StationScore:
    """The weighted total, grade and per-dimension table of one evaluation.

    ``levels`` maps indicator id to the level given (None or absent: not rated yet). Unless
    ``allow_missing`` (a running total for a draft), every indicator must be rated, and
    ScoringError names those that are not.
    """
    veto_ids = tuple(dict.fromkeys(vetoes))
    check_station_ratings(rubric, levels, veto_ids)
    missing = tuple(i.id for i in rubric.indicators if levels.get(i.id) is None)
    if missing and not allow_missing:
        raise ScoringError(
            "error.evaluation_missing_indicators", count=len(missing), items=", ".join(missing)
        )
    indicator_scores: list[IndicatorScore] = []
    dimension_scores: list[DimensionScore] = []
    for dimension in rubric.dimensions:
        earned = 0.0
        for indicator in dimension.indicators:
            level = levels.get(indicator.id)
            points = 0.0 if level is None else indicator.points * indicator.level(level).share
            earned += points
            indicator_scores.append(
                IndicatorScore(indicator.id, dimension.id, level, points, indicator.points)
            )
        dimension_scores.append(
            DimensionScore(dimension.id, dimension.name, earned, dimension.weight)
        )
    total = round_score(sum(d.points for d in dimension_scores))
    return StationScore(
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        total=total,
        grade=grade_for(rubric, total, bool(veto_ids)),
        vetoes=veto_ids,
        dimensions=tuple(dimension_scores),
        indicators=tuple(indicator_scores),
        missing=missing,
    )


# --- competency ----------------------------------------------------------------------


def check_competency_ratings(
    rubric: CompetencyRubric, levels: Mapping[str, int | None], field: str = "level"
) -> None:
    """ScoringError for a competency the rubric lacks or a level outside its scale."""
    for competency_id, level in levels.items():
        try:
            rubric.competency(competency_id)
        except KeyError:
            raise ScoringError(
                "error.evaluation_unknown_competency",
                competency=competency_id,
                rubric=rubric.id,
            ) from None
        if level is not None and (
            isinstance(level, bool)
            or not isinstance(level, int)
            or level not in rubric.level_numbers
        ):
            raise ScoringError(
                "error.evaluation_bad_level",
                item=f"{competency_id}.{field}",
                level=level,
                levels=", ".join(map(str, rubric.level_numbers)),
            )


def _latest_first(history: pd.DataFrame) -> pd.DataFrame:
    return history.sort_values(["assessed_on", "submitted_at"], ascending=False, kind="stable")


def competency_profile(
    rubric: CompetencyRubric, history: pd.DataFrame, trainee_id: str, lang: Lang = "zh"
) -> pd.DataFrame:
    """One row per competency of the rubric for one trainee (radar-chart ready).

    Columns: competency_id, number, group, label, assessments, first_level, previous_level,
    latest_level, change (latest - first), change_since_previous, latest_on, self_level (of the
    latest assessment), at_expected (latest >= the expected level), minimum_met (for a
    competency with a safety minimum: at the expected level; None for the others). Unrated
    competencies have empty levels, ``at_expected`` False and any minimum not met.
    """
    own = _latest_first(history[history["trainee_id"] == trainee_id])
    rows = []
    for competency in rubric.competencies:
        ratings = own[(own["competency_id"] == competency.id) & own["level"].notna()]
        levels = [int(v) for v in ratings["level"]]
        latest = levels[0] if levels else None
        previous = levels[1] if len(levels) > 1 else None
        first = levels[-1] if levels else None
        self_level = ratings["self_level"].iloc[0] if levels else None
        rows.append(
            {
                "competency_id": competency.id,
                "number": competency.number,
                "group": competency.group,
                "label": competency.name.get(lang),
                "assessments": len(levels),
                "first_level": first,
                "previous_level": previous,
                "latest_level": latest,
                "change": None if latest is None or first is None else latest - first,
                "change_since_previous": None
                if previous is None or latest is None
                else latest - previous,
                "latest_on": ratings["assessed_on"].iloc[0] if levels else None,
                "self_level": None if pd.isna(self_level) else int(self_level),
                "at_expected": latest is not None and latest >= rubric.expected.level,
                "minimum_met": None
                if competency.minimum is None
                else latest is not None and latest >= rubric.expected.level,
            }
        )
    frame = pd.DataFrame(rows)
    for column in (
        "first_level",
        "previous_level",
        "latest_level",
        "change",
        "change_since_previous",
        "self_level",
    ):
        frame[column] = frame[column].astype("Int64")
    return frame


def minimums_missed(
    rubric: CompetencyRubric, history: pd.DataFrame, trainee_id: str
) -> tuple[str, ...]:
    """The ids of the safety minimums a trainee has not met (latest rating below the expected
    level, or never rated): empty means every minimum is met."""
    profile = competency_profile(rubric, history, trainee_id)
    missed = profile[profile["minimum_met"].eq(False)]
    return tuple(str(c) for c in missed["competency_id"])


def competency_timeline(history: pd.DataFrame, trainee_id: str) -> pd.DataFrame:
    """Levels over time for one trainee: one row per assessment date, one column per competency."""
    own = history[history["trainee_id"] == trainee_id].sort_values(["assessed_on", "submitted_at"])
    if own.empty:
        return pd.DataFrame()
    table = own.pivot_table(
        index="assessed_on", columns="competency_id", values="level", aggfunc="last"
    )
    return table.astype("Int64")


def cohort_expectation(
    rubric: CompetencyRubric, history: pd.DataFrame, lang: Lang = "zh"
) -> pd.DataFrame:
    """Per competency: trainees rated, how many are at the expected level (latest rating), the
    share, the programme's target share and whether it is met (brief §7.3: e.g. ≥ 80 % at ≥ 3).
    """
    latest = _latest_first(history[history["level"].notna()]).drop_duplicates(
        ["trainee_id", "competency_id"]
    )
    rows = []
    for competency in rubric.competencies:
        levels = latest.loc[latest["competency_id"] == competency.id, "level"]
        at_level = int((levels >= rubric.expected.level).sum())
        share = at_level / len(levels) if len(levels) else None
        rows.append(
            {
                "competency_id": competency.id,
                "label": competency.name.get(lang),
                "trainees": len(levels),
                "at_expected": at_level,
                "share": None if share is None else round(share, 4),
                "target_share": rubric.expected.share,
                "met": share is not None and share >= rubric.expected.share,
            }
        )
    return pd.DataFrame(rows)
