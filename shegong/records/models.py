"""The records schema: SQLAlchemy 2 typed declarative models.

One table per noun of the supervision, evaluation and assessment workflows (brief §3.4,
§4, §7), plus the audit trail. The base, the column types (UTC times, choices as checked
strings) and the ``Stamped``/``Versioned`` mixins are in ``schema.py``.
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .choices import (
    ActionStatus,
    AuditAction,
    DiscussedKind,
    RecordStatus,
    RiskFlag,
    Role,
    SessionMode,
    SupervisionFunction,
)
from .schema import ID, REF, Base, Stamped, Versioned, choice_column, utcnow

# --- people ---------------------------------------------------------------------------


class Person(Stamped, Base):
    """Someone who uses the platform; ``person_id`` is their Jupyter(Hub) user name."""

    __tablename__ = "people"
    person_id: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(choice_column(Role, "role"))
    station_id: Mapped[str | None] = mapped_column(sa.String(32))
    agency_id: Mapped[str | None] = mapped_column(sa.String(32))
    started_on: Mapped[dt.date | None] = mapped_column(sa.Date)  # new worker < 12 months
    active: Mapped[bool] = mapped_column(default=True)
    lead: Mapped[bool] = mapped_column(default=False)  # a lead evaluator 评估组长 moderates


class Station(Base):
    """A station the programme knows; records may only be about these (``station_id``)."""

    __tablename__ = "stations"
    station_id: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    agency_id: Mapped[str | None] = mapped_column(sa.String(32))


# --- supervision (brief §3.4) ----------------------------------------------------------


class SupervisionSession(Versioned, Stamped, Base):
    __tablename__ = "supervision_sessions"
    __table_args__ = (sa.CheckConstraint("duration_min BETWEEN 1 AND 480", name="duration_range"),)
    session_id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    supervisor_id: Mapped[str] = mapped_column(sa.ForeignKey("people.person_id"), index=True)
    session_date: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    mode: Mapped[str | None] = mapped_column(choice_column(SessionMode, "mode"))
    duration_min: Mapped[int | None]
    issues: Mapped[str] = mapped_column(sa.Text, default="")
    guidance: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(
        choice_column(RecordStatus, "status", RecordStatus.DRAFT, RecordStatus.SUBMITTED),
        default=RecordStatus.DRAFT,
    )
    submitted_at: Mapped[dt.datetime | None]

    supervisees: Mapped[list[SessionSupervisee]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    functions: Mapped[list[SessionFunction]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    discussed: Mapped[list[DiscussedItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    risks: Mapped[list[SessionRisk]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )
    actions: Mapped[list[ActionItem]] = relationship(
        back_populates="session", cascade="all, delete-orphan"
    )


class SessionChild:
    """A row that belongs to one supervision session and is locked with it."""

    session: SupervisionSession


class SessionSupervisee(SessionChild, Base):
    """A supervisee of a session, and when they acknowledged the record (who = person_id)."""

    __tablename__ = "session_supervisees"
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    person_id: Mapped[str] = mapped_column(
        sa.ForeignKey("people.person_id"), primary_key=True, index=True
    )
    acknowledged_at: Mapped[dt.datetime | None]
    session: Mapped[SupervisionSession] = relationship(back_populates="supervisees")


class SessionFunction(SessionChild, Base):
    __tablename__ = "session_functions"
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    function: Mapped[str] = mapped_column(
        choice_column(SupervisionFunction, "function"), primary_key=True
    )
    session: Mapped[SupervisionSession] = relationship(back_populates="functions")


class DiscussedItem(SessionChild, Base):
    """A case or group discussed, by pseudonym or id (never a real name)."""

    __tablename__ = "session_discussed"
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(choice_column(DiscussedKind, "kind"), primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    session: Mapped[SupervisionSession] = relationship(back_populates="discussed")


class SessionRisk(SessionChild, Base):
    __tablename__ = "session_risks"
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    flag: Mapped[str] = mapped_column(choice_column(RiskFlag, "flag"), primary_key=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    session: Mapped[SupervisionSession] = relationship(back_populates="risks")


class ActionItem(SessionChild, Stamped, Base):
    """An agreed action; ``carried_from_id`` links a carried-forward copy to the earlier item."""

    __tablename__ = "action_items"
    item_id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(sa.Text, default="")
    owner_id: Mapped[str | None] = mapped_column(sa.ForeignKey("people.person_id"))
    due_date: Mapped[dt.date | None] = mapped_column(sa.Date)
    status: Mapped[str] = mapped_column(
        choice_column(ActionStatus, "action_status"), default=ActionStatus.OPEN
    )
    carried_from_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("action_items.item_id"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)  # order on the form
    session: Mapped[SupervisionSession] = relationship(back_populates="actions")


# --- station evaluation (brief §7.2) ---------------------------------------------------


class Moderation(Stamped, Base):
    """The lead evaluator's final score for one station, rubric and period, with a reason."""

    __tablename__ = "moderations"
    __table_args__ = (sa.CheckConstraint("final_total BETWEEN 0 AND 100", name="total_range"),)
    moderation_id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    station_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    rubric_id: Mapped[str] = mapped_column(sa.String(REF))
    rubric_version: Mapped[str] = mapped_column(sa.String(32))
    period: Mapped[str] = mapped_column(sa.String(32), default="")
    lead_id: Mapped[str] = mapped_column(sa.ForeignKey("people.person_id"))
    final_total: Mapped[float] = mapped_column(sa.Float)
    final_grade: Mapped[str] = mapped_column(sa.String(32))
    vetoed: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(sa.Text)


class Evaluation(Versioned, Stamped, Base):
    """One evaluator's rubric form for one station and round; totals are stored on submit."""

    __tablename__ = "evaluations"
    __table_args__ = (
        sa.UniqueConstraint(
            "station_id",
            "evaluator_id",
            "rubric_id",
            "rubric_version",
            "period",
            name="uq_evaluations_one_per_round",
        ),
    )
    evaluation_id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    station_id: Mapped[str] = mapped_column(sa.String(32), index=True)
    evaluator_id: Mapped[str] = mapped_column(sa.ForeignKey("people.person_id"), index=True)
    rubric_id: Mapped[str] = mapped_column(sa.String(REF))
    rubric_version: Mapped[str] = mapped_column(sa.String(32))
    period: Mapped[str] = mapped_column(sa.String(32), default="")
    visited_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(
        choice_column(RecordStatus, "status"), default=RecordStatus.DRAFT
    )
    total: Mapped[float | None] = mapped_column(sa.Float)
    grade: Mapped[str | None] = mapped_column(sa.String(32))
    vetoed: Mapped[bool | None]
    moderation_id: Mapped[str | None] = mapped_column(
        sa.ForeignKey("moderations.moderation_id"), index=True
    )
    submitted_at: Mapped[dt.datetime | None]

    ratings: Mapped[list[EvaluationRating]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )
    vetoes: Mapped[list[EvaluationVeto]] = relationship(
        back_populates="evaluation", cascade="all, delete-orphan"
    )


class EvaluationChild:
    evaluation: Evaluation


class EvaluationRating(EvaluationChild, Base):
    """The level an evaluator gave one indicator, with the evidence seen."""

    __tablename__ = "evaluation_ratings"
    evaluation_id: Mapped[str] = mapped_column(
        sa.ForeignKey("evaluations.evaluation_id", ondelete="CASCADE"), primary_key=True
    )
    indicator_id: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    level: Mapped[int | None]
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    evaluation: Mapped[Evaluation] = relationship(back_populates="ratings")


class EvaluationVeto(EvaluationChild, Base):
    """A veto item 一票否决 the evaluator found, with what they saw."""

    __tablename__ = "evaluation_vetoes"
    evaluation_id: Mapped[str] = mapped_column(
        sa.ForeignKey("evaluations.evaluation_id", ondelete="CASCADE"), primary_key=True
    )
    veto_id: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    note: Mapped[str] = mapped_column(sa.Text, default="")
    evaluation: Mapped[Evaluation] = relationship(back_populates="vetoes")


# --- trainee competency (brief §4, §7.3) -----------------------------------------------


class CompetencyAssessment(Versioned, Stamped, Base):
    __tablename__ = "competency_assessments"
    assessment_id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    trainee_id: Mapped[str] = mapped_column(sa.ForeignKey("people.person_id"), index=True)
    assessor_id: Mapped[str] = mapped_column(sa.ForeignKey("people.person_id"))
    assessed_on: Mapped[dt.date | None] = mapped_column(sa.Date)
    rubric_id: Mapped[str] = mapped_column(sa.String(REF))
    rubric_version: Mapped[str] = mapped_column(sa.String(32))
    comment: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(
        choice_column(RecordStatus, "status", RecordStatus.DRAFT, RecordStatus.SUBMITTED),
        default=RecordStatus.DRAFT,
    )
    submitted_at: Mapped[dt.datetime | None]
    ratings: Mapped[list[CompetencyRating]] = relationship(
        back_populates="assessment", cascade="all, delete-orphan"
    )


class CompetencyRating(Base):
    __tablename__ = "competency_ratings"
    __table_args__ = (
        sa.CheckConstraint("level BETWEEN 1 AND 5", name="level_range"),
        sa.CheckConstraint("self_level BETWEEN 1 AND 5", name="self_level_range"),
    )
    assessment_id: Mapped[str] = mapped_column(
        sa.ForeignKey("competency_assessments.assessment_id", ondelete="CASCADE"),
        primary_key=True,
    )
    competency_id: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    level: Mapped[int | None]
    self_level: Mapped[int | None]
    evidence: Mapped[str] = mapped_column(sa.Text, default="")
    assessment: Mapped[CompetencyAssessment] = relationship(back_populates="ratings")


# --- audit trail ---------------------------------------------------------------------


class AuditEntry(Base):
    """One changed field: who, when (UTC), which row, old and new value as text."""

    __tablename__ = "audit_log"
    __table_args__ = (sa.Index("ix_audit_log_table_row", "table_name", "row_id"),)
    audit_id: Mapped[int] = mapped_column(sa.Integer, primary_key=True, autoincrement=True)
    at: Mapped[dt.datetime] = mapped_column(index=True)
    actor: Mapped[str] = mapped_column(sa.String(REF))
    action: Mapped[str] = mapped_column(choice_column(AuditAction, "action"))
    table_name: Mapped[str] = mapped_column(sa.String(64))
    row_id: Mapped[str] = mapped_column(sa.String(200))
    field: Mapped[str | None] = mapped_column(sa.String(64))
    old_value: Mapped[str | None] = mapped_column(sa.Text)
    new_value: Mapped[str | None] = mapped_column(sa.Text)
    prev_hash: Mapped[str] = mapped_column(sa.String(64))  # row_hash of the row before
    row_hash: Mapped[str] = mapped_column(sa.String(64))  # sha256(prev_hash + this row)


def lock_owner(obj: object) -> SupervisionSession | Evaluation | CompetencyAssessment | None:
    """The record whose status locks ``obj`` (itself for a parent record)."""
    if isinstance(obj, SupervisionSession | Evaluation | CompetencyAssessment):
        return obj
    if isinstance(obj, SessionChild):
        return obj.session
    if isinstance(obj, EvaluationChild):
        return obj.evaluation
    if isinstance(obj, CompetencyRating):
        return obj.assessment
    return None


__all__ = [
    "ActionItem",
    "ActionStatus",
    "AuditAction",
    "AuditEntry",
    "Base",
    "CompetencyAssessment",
    "CompetencyRating",
    "DiscussedItem",
    "DiscussedKind",
    "Evaluation",
    "EvaluationRating",
    "EvaluationVeto",
    "Moderation",
    "Person",
    "RecordStatus",
    "RiskFlag",
    "Role",
    "SessionFunction",
    "SessionMode",
    "SessionRisk",
    "SessionSupervisee",
    "Station",
    "SupervisionFunction",
    "SupervisionSession",
    "lock_owner",
    "utcnow",
]
