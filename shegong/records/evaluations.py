"""Station evaluations 站点评估 (brief §7.2): drafts, submit with the score, moderation.

An ``EvaluationDraft`` is one evaluator's rubric form for one station: a level and evidence per
indicator, the veto items found and a comment. Every save checks it against the rubric (ids,
levels) and stores the rubric id and version with the record. ``submit`` requires every
indicator rated, computes the weighted total and grade (``shegong.evaluation.scoring``),
stores them and locks the record. With two or more evaluators, the lead evaluator
``moderate``s: sets the final total with a reason, which moves the evaluations to moderated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import Session

from shegong.evaluation.rubrics import StationRubric
from shegong.evaluation.scoring import (
    ScoringError,
    StationScore,
    check_station_ratings,
    grade_for,
    round_score,
    score_station,
)

from . import rules
from . import validation as check
from .lifecycle import Lifecycle
from .models import (
    Evaluation,
    EvaluationRating,
    EvaluationVeto,
    Moderation,
    Person,
    RecordStatus,
    Role,
)
from .rows import Saved, assign_changed, bump, new_id, sync_children
from .supervision import person
from .validation import DuplicateEvaluationError, NotFoundError, ValidationError

KIND = "evaluation"
LIFE = Lifecycle(Evaluation, KIND, "evaluation_id", "evaluator_id")


@dataclass(frozen=True)
class RatingDraft:
    """The level given to one indicator (None: not yet) and the evidence seen."""

    level: int | None = None
    evidence: str = ""


@dataclass(frozen=True)
class EvaluationDraft:
    station_id: str
    evaluator_id: str
    period: str = ""  # e.g. "2025-mid"; evaluations of one station and period are compared
    visited_on: dt.date | None = None
    ratings: Mapping[str, RatingDraft] = field(default_factory=dict)
    vetoes: Mapping[str, str] = field(default_factory=dict)  # veto id -> what was found
    comment: str = ""
    evaluation_id: str = field(default_factory=new_id)
    version: int | None = None  # the version the page last saw; None: a new evaluation


@dataclass(frozen=True)
class EvaluationRecord:
    draft: EvaluationDraft
    rubric_id: str
    rubric_version: str
    status: str
    total: float | None
    grade: str | None
    vetoed: bool | None
    moderation_id: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    submitted_at: dt.datetime | None
    version: int = 0


def existing_in_round(
    session: Session,
    station_id: str,
    evaluator_id: str,
    rubric_id: str,
    rubric_version: str,
    period: str,
) -> Evaluation | None:
    """The evaluator's evaluation of this station, rubric version and round, if any."""
    return session.scalar(
        sa.select(Evaluation).where(
            Evaluation.station_id == station_id,
            Evaluation.evaluator_id == evaluator_id,
            Evaluation.rubric_id == rubric_id,
            Evaluation.rubric_version == rubric_version,
            Evaluation.period == period,
        )
    )


def duplicate(other: Evaluation) -> DuplicateEvaluationError:
    return DuplicateEvaluationError(
        "error.records_duplicate_evaluation",
        evaluator=other.evaluator_id,
        station=other.station_id,
        period=other.period or "—",
        existing=other.evaluation_id,
        status=other.status,
    )


def save_draft(
    session: Session, draft: EvaluationDraft, rubric: StationRubric, today: dt.date, actor: Person
) -> Saved:
    """Create or update the actor's own draft; one evaluation per station and round."""
    evaluation_id, row = LIFE.open_draft(session, draft.evaluation_id, draft.version, actor, rubric)
    person(session, draft.evaluator_id, "evaluator_id", [Role.EVALUATOR])
    rules.as_self(actor, draft.evaluator_id, "evaluator_id")
    station_id = rules.known_station(session, check.record_id(draft.station_id, "station_id"))
    period = check.short_text(draft.period, "period", 32)
    round_ = {
        "station_id": station_id,
        "evaluator_id": draft.evaluator_id,
        "rubric_id": rubric.id,
        "rubric_version": rubric.version,
        "period": period,
    }
    other = existing_in_round(session, **round_)
    if other is not None and other.evaluation_id != evaluation_id:
        raise duplicate(other)
    session.info["round"] = round_  # a UNIQUE violation at commit is this round's duplicate
    check_station_ratings(rubric, {k: r.level for k, r in draft.ratings.items()}, draft.vetoes)
    values = {
        "station_id": station_id,
        "evaluator_id": draft.evaluator_id,
        "period": period,
        "visited_on": check.not_future(draft.visited_on, "visited_on", today),
        "comment": check.short_text(draft.comment, "comment"),
    }
    ratings = {
        indicator: {
            "level": rating.level,
            "evidence": check.short_text(rating.evidence, "evidence"),
        }
        for indicator, rating in draft.ratings.items()
        if rating.level is not None or rating.evidence.strip()
    }
    vetoes = {
        veto: {"note": check.short_text(note, "veto_note")} for veto, note in draft.vetoes.items()
    }
    if row is None:
        row = Evaluation(
            evaluation_id=evaluation_id, rubric_id=rubric.id, rubric_version=rubric.version
        )
        session.add(row)
    assign_changed(row, values)
    sync_children(
        session,
        row.ratings,
        ratings,
        lambda c: c.indicator_id,
        lambda k: EvaluationRating(indicator_id=k),
    )
    sync_children(
        session, row.vetoes, vetoes, lambda c: c.veto_id, lambda k: EvaluationVeto(veto_id=k)
    )
    return Saved(evaluation_id, bump(session, row))


def score(row: Evaluation, rubric: StationRubric, *, allow_missing: bool) -> StationScore:
    levels = {r.indicator_id: r.level for r in row.ratings}
    return score_station(
        rubric, levels, [v.veto_id for v in row.vetoes], allow_missing=allow_missing
    )


def submit(
    session: Session,
    evaluation_id: str,
    rubric: StationRubric,
    now: dt.datetime,
    actor: Person,
    version: int | None = None,
) -> StationScore:
    """Check completeness, store the total, grade and veto flag, and lock the evaluation."""
    row = LIFE.open_for_submit(session, evaluation_id, actor, version, rubric)
    check.require(["visited_on"] if row.visited_on is None else [], KIND, evaluation_id)
    result = score(row, rubric, allow_missing=False)
    for veto in row.vetoes:
        if not veto.note:
            raise check.IncompleteError("error.records_veto_note", veto=veto.veto_id)
    if rubric.evidence_required:
        bare = [r.indicator_id for r in row.ratings if not r.evidence]
        if bare:
            raise ScoringError(
                "error.evaluation_missing_evidence", count=len(bare), items=", ".join(bare)
            )
    row.total = result.total
    row.grade = result.grade.id
    row.vetoed = result.vetoed
    LIFE.lock(session, row, now)
    return result


def load(session: Session, evaluation_id: str) -> EvaluationRecord:
    row = LIFE.get(session, evaluation_id)
    draft = EvaluationDraft(
        evaluation_id=row.evaluation_id,
        station_id=row.station_id,
        evaluator_id=row.evaluator_id,
        period=row.period,
        visited_on=row.visited_on,
        ratings={r.indicator_id: RatingDraft(r.level, r.evidence) for r in row.ratings},
        vetoes={v.veto_id: v.note for v in row.vetoes},
        comment=row.comment,
        version=row.version,
    )
    return EvaluationRecord(
        draft,
        row.rubric_id,
        row.rubric_version,
        row.status,
        row.total,
        row.grade,
        row.vetoed,
        row.moderation_id,
        row.created_at,
        row.updated_at,
        row.submitted_at,
        row.version,
    )


def moderate(
    session: Session,
    *,
    lead_id: str,
    station_id: str,
    rubric: StationRubric,
    period: str,
    final_total: float,
    reason: str,
    vetoed: bool = False,
) -> str:
    """The lead evaluator's final score for a station; returns the moderation id.

    All submitted (or earlier moderated) evaluations of the station, rubric version and period
    move to ``moderated`` and point to this moderation; a later moderation supersedes it.
    """
    rules.lead(person(session, lead_id, "lead_id", [Role.EVALUATOR]))
    if (
        isinstance(final_total, bool)
        or not isinstance(final_total, int | float)
        or not (0 <= final_total <= 100)
    ):
        raise ValidationError(
            "error.records_range", field="final_total", value=final_total, low=0, high=100
        )
    reason = check.short_text(reason, "reason")
    check.require([] if reason else ["reason"], "moderation", station_id)
    evaluations = session.scalars(
        sa.select(Evaluation).where(
            Evaluation.station_id == station_id,
            Evaluation.rubric_id == rubric.id,
            Evaluation.rubric_version == rubric.version,
            Evaluation.period == period,
            Evaluation.status.in_([RecordStatus.SUBMITTED, RecordStatus.MODERATED]),
        )
    ).all()
    if not evaluations:
        raise NotFoundError("error.records_nothing_to_moderate", station=station_id, period=period)
    total = round_score(final_total)
    moderation = Moderation(
        moderation_id=new_id(),
        station_id=station_id,
        rubric_id=rubric.id,
        rubric_version=rubric.version,
        period=period,
        lead_id=lead_id,
        final_total=total,
        final_grade=grade_for(rubric, total, vetoed).id,
        vetoed=vetoed,
        reason=reason,
    )
    session.add(moderation)
    session.flush()  # the moderation row exists before evaluations point to it
    for evaluation in evaluations:
        evaluation.status = RecordStatus.MODERATED
        evaluation.moderation_id = moderation.moderation_id
        evaluation.version += 1
        evaluation.updated_by = lead_id
    return moderation.moderation_id
