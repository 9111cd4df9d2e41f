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

from . import rules
from . import validation as check
from .lifecycle import Lifecycle
from .models import (
    CompetencyAssessment,
    CompetencyRating,
    Person,
    Role,
)
from .rows import Saved, assign_changed, bump, new_id, sync_children
from .supervision import person

KIND = "assessment"
LIFE = Lifecycle(CompetencyAssessment, KIND, "assessment_id", "assessor_id")


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
    version: int | None = None  # the version the page last saw; None: a new assessment


@dataclass(frozen=True)
class AssessmentRecord:
    draft: AssessmentDraft
    rubric_id: str
    rubric_version: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    version: int = 0


def save_draft(
    session: Session,
    draft: AssessmentDraft,
    rubric: CompetencyRubric,
    today: dt.date,
    actor: Person,
) -> Saved:
    """Create or update the actor's own draft about a trainee they may see."""
    assessment_id, row = LIFE.open_draft(session, draft.assessment_id, draft.version, actor, rubric)
    trainee = person(session, draft.trainee_id, "trainee_id", [Role.TRAINEE])
    person(session, draft.assessor_id, "assessor_id", [Role.SUPERVISOR, Role.EVALUATOR])
    rules.as_self(actor, draft.assessor_id, "assessor_id")
    rules.about_trainee(actor, trainee)
    check_competency_ratings(rubric, {k: r.level for k, r in draft.ratings.items()})
    check_competency_ratings(rubric, {k: r.self_level for k, r in draft.ratings.items()}, "self")
    values = {
        "trainee_id": draft.trainee_id,
        "assessor_id": draft.assessor_id,
        "assessed_on": check.not_future(draft.assessed_on, "assessed_on", today),
        "comment": check.short_text(draft.comment, "comment"),
    }
    ratings = {
        competency: {
            "level": rating.level,
            "self_level": rating.self_level,
            "evidence": check.short_text(rating.evidence, "evidence"),
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
    return Saved(assessment_id, bump(session, row))


def submit(
    session: Session,
    assessment_id: str,
    rubric: CompetencyRubric,
    now: dt.datetime,
    actor: Person,
    version: int | None = None,
) -> None:
    row = LIFE.open_for_submit(session, assessment_id, actor, version, rubric)
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
    LIFE.lock(session, row, now)


def load(session: Session, assessment_id: str) -> AssessmentRecord:
    row = LIFE.get(session, assessment_id)
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
        version=row.version,
    )
    return AssessmentRecord(
        draft,
        row.rubric_id,
        row.rubric_version,
        row.status,
        row.created_at,
        row.updated_at,
        row.submitted_at,
        row.version,
    )
