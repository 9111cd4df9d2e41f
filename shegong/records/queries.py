"""Read-side queries the apps need, each returning a plain pandas DataFrame (or mapping).

Column names are stable ASCII ids; apps label them from the catalogue. Hours and results count
submitted records only; drafts appear in histories with their status.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import sqlalchemy as sa
from sqlalchemy.orm import Session, aliased

from shegong.evaluation.scoring import HISTORY_COLUMNS

from .models import (
    ActionItem,
    ActionStatus,
    CompetencyAssessment,
    CompetencyRating,
    Evaluation,
    EvaluationRating,
    Moderation,
    Person,
    RecordStatus,
    SessionMode,
    SessionSupervisee,
    SupervisionSession,
)

DONE = (RecordStatus.SUBMITTED, RecordStatus.MODERATED)


@dataclass(frozen=True)
class HoursRequirement:
    """Supervision a supervisee should receive each month (brief §3.3 [A]; configurable).

    New workers (started less than ``new_worker_months`` ago, or start date unknown) need
    ``new_worker_minutes``, others ``experienced_minutes``. Sessions in ``modes`` count.
    Online and on-site sessions count by default: they are how Chengdu agencies supervise
    township stations (brief §3.2); peer supervision does not, as no supervisor leads it.
    """

    new_worker_minutes: int = 120
    experienced_minutes: int = 60
    new_worker_months: int = 12
    modes: tuple[str, ...] = (
        SessionMode.INDIVIDUAL,
        SessionMode.GROUP,
        SessionMode.ONSITE,
        SessionMode.ONLINE,
    )

    def minutes_for(self, started_on: dt.date | None, month: pd.Period) -> int:
        if started_on is None:
            return self.new_worker_minutes
        experienced_from = pd.Period(started_on, "M") + self.new_worker_months
        return self.experienced_minutes if month >= experienced_from else self.new_worker_minutes


def supervision_history(session: Session, trainee_id: str) -> pd.DataFrame:
    """Every session the trainee took part in, newest first, drafts included."""
    supervisor = aliased(Person)
    query = (
        sa.select(
            SupervisionSession.session_id,
            SupervisionSession.session_date,
            SupervisionSession.mode,
            SupervisionSession.duration_min,
            SupervisionSession.supervisor_id,
            supervisor.display_name.label("supervisor_name"),
            SupervisionSession.status,
            SessionSupervisee.acknowledged_at,
        )
        .join(SessionSupervisee, SessionSupervisee.session_id == SupervisionSession.session_id)
        .join(supervisor, supervisor.person_id == SupervisionSession.supervisor_id)
        .where(SessionSupervisee.person_id == trainee_id)
        .order_by(SupervisionSession.session_date.desc(), SupervisionSession.created_at.desc())
    )
    frame = pd.DataFrame(
        session.execute(query).mappings().all(), columns=list(query.selected_columns.keys())
    )
    rows = {
        s.session_id: s
        for s in session.scalars(
            sa.select(SupervisionSession).where(
                SupervisionSession.session_id.in_(frame["session_id"].tolist())
            )
        )
    }
    frame["functions"] = [
        ",".join(sorted(f.function for f in rows[i].functions)) for i in frame["session_id"]
    ]
    frame["risks"] = [",".join(sorted(r.flag for r in rows[i].risks)) for i in frame["session_id"]]
    return frame


def supervision_hours(
    session: Session,
    trainee_id: str,
    today: dt.date,
    requirement: HoursRequirement | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> pd.DataFrame:
    """Minutes of submitted supervision per month against the requirement.

    Months run from ``start`` (default: the trainee's start date or first session) to ``end``
    (default: today); months without sessions show 0. Columns: month (``YYYY-MM``), sessions,
    minutes, hours, required_minutes, met.
    """
    requirement = requirement or HoursRequirement()
    trainee = session.get(Person, trainee_id)
    started_on = trainee.started_on if trainee is not None else None
    query = (
        sa.select(SupervisionSession.session_date, SupervisionSession.duration_min)
        .join(SessionSupervisee, SessionSupervisee.session_id == SupervisionSession.session_id)
        .where(
            SessionSupervisee.person_id == trainee_id,
            SupervisionSession.status == RecordStatus.SUBMITTED,
            SupervisionSession.mode.in_([str(m) for m in requirement.modes]),
        )
    )
    sessions = pd.DataFrame(session.execute(query).all(), columns=["session_date", "duration_min"])
    first = start or started_on or (min(sessions["session_date"]) if len(sessions) else today)
    months = pd.period_range(pd.Period(first, "M"), pd.Period(end or today, "M"), freq="M")
    month = [pd.Period(d, "M") for d in sessions["session_date"]]
    sessions["month"] = pd.Series(month, index=sessions.index, dtype="period[M]")
    per_month = sessions.groupby("month")["duration_min"].agg(["count", "sum"])
    counts = per_month["count"].reindex(months, fill_value=0)
    minutes = per_month["sum"].reindex(months, fill_value=0)
    required = [requirement.minutes_for(started_on, m) for m in months]
    return pd.DataFrame(
        {
            "month": [str(m) for m in months],
            "sessions": counts.to_numpy(dtype=int),
            "minutes": minutes.to_numpy(dtype=int),
            "hours": (minutes.to_numpy(dtype=float) / 60).round(2),
            "required_minutes": required,
            "met": minutes.to_numpy(dtype=int) >= required,
        }
    )


def open_action_items(session: Session, trainee_id: str, today: dt.date) -> pd.DataFrame:
    """Open actions from the trainee's submitted sessions not yet carried into a later session."""
    carried = aliased(ActionItem)
    query = (
        sa.select(
            ActionItem.item_id,
            ActionItem.session_id,
            SupervisionSession.session_date,
            ActionItem.description,
            ActionItem.owner_id,
            ActionItem.due_date,
        )
        .join(SupervisionSession, SupervisionSession.session_id == ActionItem.session_id)
        .join(SessionSupervisee, SessionSupervisee.session_id == SupervisionSession.session_id)
        .where(
            SessionSupervisee.person_id == trainee_id,
            SupervisionSession.status == RecordStatus.SUBMITTED,
            ActionItem.status == ActionStatus.OPEN,
            ~sa.exists().where(carried.carried_from_id == ActionItem.item_id),
        )
        .order_by(SupervisionSession.session_date, ActionItem.position)
    )
    frame = pd.DataFrame(session.execute(query).all(), columns=list(query.selected_columns.keys()))
    frame["overdue"] = [d is not None and d < today for d in frame["due_date"]]
    return frame


EVALUATION_COLUMNS = [
    "evaluation_id",
    "station_id",
    "period",
    "evaluator_id",
    "status",
    "visited_on",
    "total",
    "grade",
    "vetoed",
    "rubric_id",
    "rubric_version",
    "submitted_at",
    "moderation_id",
    "final_total",
    "final_grade",
]


def station_evaluations(session: Session, station_id: str | None = None) -> pd.DataFrame:
    """One row per evaluation (drafts too), with the moderated final score where there is one."""
    query = sa.select(
        *(getattr(Evaluation, c) for c in EVALUATION_COLUMNS[:-2]),
        Moderation.final_total,
        Moderation.final_grade,
    ).outerjoin(Moderation, Moderation.moderation_id == Evaluation.moderation_id)
    if station_id is not None:
        query = query.where(Evaluation.station_id == station_id)
    query = query.order_by(Evaluation.station_id, Evaluation.period, Evaluation.created_at)
    return pd.DataFrame(session.execute(query).all(), columns=EVALUATION_COLUMNS)


def station_results(session: Session) -> pd.DataFrame:
    """One row per station, rubric version and period: the evaluators' spread and the result.

    ``final_total``/``final_grade`` are the moderated ones, or the only evaluation's when there
    is one; with several unmoderated evaluations they are empty and ``needs_moderation`` is set.
    """
    done = station_evaluations(session)
    done = done[done["status"].isin([str(s) for s in DONE])]
    keys = ["station_id", "rubric_id", "rubric_version", "period"]
    rows = []
    for key, group in done.groupby(keys, sort=True):
        moderated = group["final_total"].notna()
        single = len(group) == 1
        if moderated.any():
            final_total = group.loc[moderated, "final_total"].iloc[-1]
            final_grade = group.loc[moderated, "final_grade"].iloc[-1]
        elif single:
            final_total, final_grade = group["total"].iloc[0], group["grade"].iloc[0]
        else:
            final_total, final_grade = None, None
        rows.append(
            dict(zip(keys, key, strict=True))
            | {
                "evaluations": len(group),
                "mean_total": round(float(group["total"].mean()), 2),
                "min_total": float(group["total"].min()),
                "max_total": float(group["total"].max()),
                "any_veto": bool(group["vetoed"].fillna(False).astype(bool).any()),
                "final_total": final_total,
                "final_grade": final_grade,
                "needs_moderation": not moderated.any() and not single,
            }
        )
    columns = [
        *keys,
        "evaluations",
        "mean_total",
        "min_total",
        "max_total",
        "any_veto",
        "final_total",
        "final_grade",
        "needs_moderation",
    ]
    return pd.DataFrame(rows, columns=columns)


def submitted_ratings(
    session: Session, station_id: str, rubric_id: str, rubric_version: str, period: str = ""
) -> dict[str, dict[str, int]]:
    """{evaluator: {indicator: level}} of the submitted evaluations, for agreement statistics."""
    query = (
        sa.select(Evaluation.evaluator_id, EvaluationRating.indicator_id, EvaluationRating.level)
        .join(EvaluationRating, EvaluationRating.evaluation_id == Evaluation.evaluation_id)
        .where(
            Evaluation.station_id == station_id,
            Evaluation.rubric_id == rubric_id,
            Evaluation.rubric_version == rubric_version,
            Evaluation.period == period,
            Evaluation.status.in_([str(s) for s in DONE]),
            EvaluationRating.level.is_not(None),
        )
        .order_by(Evaluation.submitted_at)
    )
    ratings: dict[str, dict[str, int]] = {}
    for evaluator, indicator, level in session.execute(query):
        if level is not None:
            ratings.setdefault(evaluator, {})[indicator] = int(level)
    return ratings


def competency_history(session: Session, trainee_ids: Sequence[str] | None = None) -> pd.DataFrame:
    """Submitted competency ratings, one row per assessment and competency, oldest first.

    Columns: ``shegong.evaluation.scoring.HISTORY_COLUMNS`` plus rubric_id, rubric_version and
    evidence; the input of ``competency_profile``, ``competency_timeline`` and
    ``cohort_expectation``.
    """
    query = (
        sa.select(
            CompetencyAssessment.assessment_id,
            CompetencyAssessment.trainee_id,
            CompetencyAssessment.assessor_id,
            CompetencyAssessment.assessed_on,
            CompetencyAssessment.submitted_at,
            CompetencyRating.competency_id,
            CompetencyRating.level,
            CompetencyRating.self_level,
            CompetencyAssessment.rubric_id,
            CompetencyAssessment.rubric_version,
            CompetencyRating.evidence,
        )
        .join(
            CompetencyRating, CompetencyRating.assessment_id == CompetencyAssessment.assessment_id
        )
        .where(CompetencyAssessment.status == RecordStatus.SUBMITTED)
        .order_by(CompetencyAssessment.assessed_on, CompetencyAssessment.submitted_at)
    )
    if trainee_ids is not None:
        query = query.where(CompetencyAssessment.trainee_id.in_(list(trainee_ids)))
    columns = [*HISTORY_COLUMNS, "rubric_id", "rubric_version", "evidence"]
    frame = pd.DataFrame(session.execute(query).all(), columns=columns)
    for column in ("level", "self_level"):
        frame[column] = frame[column].astype("Int64")
    return frame


def latest_assessment_draft(session: Session, trainee_id: str, assessor_id: str) -> str | None:
    """The id of the assessor's newest unsubmitted assessment of the trainee, if any."""
    found = session.scalars(
        sa.select(CompetencyAssessment.assessment_id)
        .where(
            CompetencyAssessment.trainee_id == trainee_id,
            CompetencyAssessment.assessor_id == assessor_id,
            CompetencyAssessment.status == RecordStatus.DRAFT,
        )
        .order_by(CompetencyAssessment.updated_at.desc())
    ).first()
    return None if found is None else str(found)
