"""Evaluation: rubrics as data, station scores and competency profiles, rater agreement.

Pure functions over rubric dataclasses and plain mappings or data frames; nothing here
touches the database (``shegong.records`` stores what these compute).
"""

from .agreement import AgreementError, AgreementReport, icc_2_1, station_agreement, weighted_kappa
from .model import Bilingual
from .reader import EvaluationError, RubricError
from .rubrics import (
    COMPETENCY_RUBRIC,
    STATION_RUBRIC,
    Competency,
    CompetencyRubric,
    Dimension,
    GradeBand,
    Indicator,
    StationRubric,
    Veto,
    load_competency_rubric,
    load_station_rubric,
)
from .scoring import (
    ScoringError,
    StationScore,
    cohort_expectation,
    competency_profile,
    competency_timeline,
    grade_for,
    minimums_missed,
    score_station,
)

__all__ = [
    "COMPETENCY_RUBRIC",
    "STATION_RUBRIC",
    "AgreementError",
    "AgreementReport",
    "Bilingual",
    "Competency",
    "CompetencyRubric",
    "Dimension",
    "EvaluationError",
    "GradeBand",
    "Indicator",
    "RubricError",
    "ScoringError",
    "StationRubric",
    "StationScore",
    "Veto",
    "cohort_expectation",
    "competency_profile",
    "competency_timeline",
    "grade_for",
    "icc_2_1",
    "load_competency_rubric",
    "load_station_rubric",
    "minimums_missed",
    "score_station",
    "station_agreement",
    "weighted_kappa",
]
