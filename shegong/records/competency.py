"""Trainee competency assessments 能力评估 (brief §4, §7.3): drafts and submit.

An ``AssessmentDraft`` rates one trainee on the competency rubric: a level 1-5, the evidence
for it and, optionally, the trainee's self-rating, per competency. ``submit`` needs every
competency rated (with evidence when the rubric requires it) and locks the record.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from shegong.evaluation.rubrics import CompetencyRubric
from shegong.evaluation.scoring import ScoringError, check_competency_ratings

from . import validation as check
from .models import (
    CompetencyAssessment,
    CompetencyRating,
    RecordStatus,
    Role,
)
from .rows import assign_changed, fetch, new_id, sync_children
from .rows import editable as editable_row
from .rows import same_rubric as same_rubric_row
from .supervision import person

KIND = "assessment"
TEXT_LIMIT = 4000


@dataclass(frozen=True)
class CompetencyRatingDraft:
    level: int | None = None
    evidence: str = ""
    self_level: int | None = None


@dataclass(frozen=True)
class AssessmentDraft:
    trainee_id: str
    assessor_id: str
    assessed_on: dt.date | None = None
    ratings: Mapping[str, CompetencyRatingDraft] = field(default_factory=dict)
    comment: str = ""
    assessment_id: str = field(default_factory=new_id)


@dataclass(frozen=True)
class AssessmentRecord:
    draft: AssessmentDraft
    rubric_id: str
    rubric_version: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None


def get(session: Session, assessment_id: str) -> CompetencyAssessment:
    return fetch(session, CompetencyAssessment, assessment_id, KIND)


def editable(row: CompetencyAssessment) -> CompetencyAssessment:
    return editable_row(row, row.assessment_id, KIND)


def same_rubric(row: CompetencyAssessment, rubric: CompetencyRubric) -> None:
    same_rubric_row(row, row.assessment_id, rubric.id, rubric.version)


def save_draft(
    session: Session, draft: AssessmentDraft, rubric: CompetencyRubric, today: dt.date
) -> str:
    assessment_id = check.record_id(draft.assessment_id, "assessment_id")
    row = session.get(CompetencyAssessment, assessment_id)
    if row is not None:
        editable(row)
        same_rubric(row, rubric)
    person(session, draft.trainee_id, "trainee_id", [Role.TRAINEE])
    person(session, draft.assessor_id, "assessor_id", [Role.SUPERVISOR, Role.EVALUATOR])
    check_competency_ratings(rubric, {k: r.level for k, r in draft.ratings.items()})
    check_competency_ratings(rubric, {k: r.self_level for k, r in draft.ratings.items()}, "self")
    values = {
        "trainee_id": draft.trainee_id,
        "assessor_id": draft.assessor_id,
        "assessed_on": check.not_future(draft.assessed_on, "assessed_on", today),
        "comment": check.short_text(draft.comment, "comment", TEXT_LIMIT),
    }
    ratings = {
        competency: {
            "level": rating.level,
            "self_level": rating.self_level,
            "evidence": check.short_text(rating.evidence, "evidence", TEXT_LIMIT),
        }
        for competency, rating in draft.ratings.items()
        if rating.level is not None or rating.self_level is not None or rating.evidence.strip()
    }
    if row is None:
        row = CompetencyAssessment(
            assessment_id=assessment_id, rubric_id=rubric.id, rubric_version=rubric.version
        )
        session.add(row)
    assign_changed(row, values)
    sync_children(
        session,
        row.ratings,
        ratings,
        lambda c: c.competency_id,
        lambda k: CompetencyRating(competency_id=k),
    )
    return assessment_id


def submit(
    session: Session, assessment_id: str, rubric: CompetencyRubric, now: dt.datetime
) -> None:
    row = editable(get(session, assessment_id))
    same_rubric(row, rubric)
    check.require(["assessed_on"] if row.assessed_on is None else [], KIND, assessment_id)
    rated = {r.competency_id: r for r in row.ratings if r.level is not None}
    missing = [c.id for c in rubric.competencies if c.id not in rated]
    if missing:
        raise ScoringError(
            "error.evaluation_missing_competencies", count=len(missing), items=", ".join(missing)
        )
    if rubric.evidence_required:
        bare = [c.id for c in rubric.competencies if not rated[c.id].evidence]
        if bare:
            raise ScoringError(
                "error.evaluation_missing_evidence", count=len(bare), items=", ".join(bare)
            )
    row.status = RecordStatus.SUBMITTED
    row.submitted_at = now


def load(session: Session, assessment_id: str) -> AssessmentRecord:
    row = get(session, assessment_id)
    draft = AssessmentDraft(
        assessment_id=row.assessment_id,
        trainee_id=row.trainee_id,
        assessor_id=row.assessor_id,
        assessed_on=row.assessed_on,
        ratings={
            r.competency_id: CompetencyRatingDraft(r.level, r.evidence, r.self_level)
            for r in row.ratings
        },
        comment=row.comment,
    )
    return AssessmentRecord(
        draft,
        row.rubric_id,
        row.rubric_version,
        row.status,
        row.created_at,
        row.updated_at,
        row.submitted_at,
    )


def delete_draft(session: Session, assessment_id: str) -> None:
    session.delete(editable(get(session, assessment_id)))
