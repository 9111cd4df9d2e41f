"""The records schema: SQLAlchemy 2 typed declarative models.

One table per noun of the supervision, evaluation and assessment workflows (brief §3.4,
§4, §7), plus the audit trail. Choices (``choices.py``) are stored as short strings
with a CHECK constraint (no native enum types, so SQLite and PostgreSQL behave alike).
Constraint names follow one naming convention, so migrations can name what they drop.
Timestamps are UTC, stored naive on SQLite and as ``timestamptz`` on PostgreSQL, and
always read back as timezone-aware UTC datetimes.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

from .choices import (
    ActionStatus,
    AuditAction,
    Choice,
    DiscussedKind,
    RecordStatus,
    RiskFlag,
    Role,
    SessionMode,
    SupervisionFunction,
)

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
ID = 36  # record ids: uuid4 hex (32) or any ASCII id up to 36 characters
REF = 64  # person ids, rubric ids, indicator ids, case pseudonyms


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class UTCDateTime(sa.types.TypeDecorator[dt.datetime]):
    """A timezone-aware UTC datetime on every dialect (SQLite stores it naive, in UTC)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: dt.datetime | None, dialect: sa.Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime; records store timezone-aware UTC datetimes")
        value = value.astimezone(dt.UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC)


def _choice(kind: type[Choice], name: str, *allowed: Choice) -> sa.Enum:
    """A string column limited to ``allowed`` (default: every member) by a CHECK constraint."""
    members = allowed or tuple(kind)
    return sa.Enum(
        *[m.value for m in members],
        name=name,
        native_enum=False,
        create_constraint=True,
        length=32,
        validate_strings=True,
    )


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dt.datetime: UTCDateTime}


class Stamped:
    """Creation and last-change times of a row (not audited field by field)."""

    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


# --- people ---------------------------------------------------------------------------


class Person(Stamped, Base):
    """Someone who uses the platform; ``person_id`` is their Jupyter(Hub) user name."""

    __tablename__ = "people"
    person_id: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    display_name: Mapped[str] = mapped_column(sa.String(100))
    role: Mapped[str] = mapped_column(_choice(Role, "role"))
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


class Versioned:
    """A record the pages edit: ``version`` goes up by one on every save that changes it.

    A save names the version its page last saw; the store refuses it when the stored one is
    newer (``ConflictError``). The UPDATE also says ``WHERE version = <seen>`` (SQLAlchemy's
    ``version_id_col``), so a writer that slips in between read and write is caught too.
    ``updated_by`` is who saved last, for the conflict message.
    """

    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str | None] = mapped_column(sa.String(REF))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:
        table: sa.Table = cls.__table__  # type: ignore[attr-defined]
        return {"version_id_col": table.c.version, "version_id_generator": False}


# --- supervision (brief §3.4) ----------------------------------------------------------


class SupervisionSession(Versioned, Stamped, Base):
    __tablename__ = "supervision_sessions"
    __table_args__ = (sa.CheckConstraint("duration_min BETWEEN 1 AND 480", name="duration_range"),)
    session_id: Mapped[str] = mapped_column(sa.String(ID), primary_key=True)
    supervisor_id: Mapped[str] = mapped_column(sa.ForeignKey("people.person_id"), index=True)
    session_date: Mapped[dt.date | None] = mapped_column(sa.Date, index=True)
    mode: Mapped[str | None] = mapped_column(_choice(SessionMode, "mode"))
    duration_min: Mapped[int | None]
    issues: Mapped[str] = mapped_column(sa.Text, default="")
    guidance: Mapped[str] = mapped_column(sa.Text, default="")
    status: Mapped[str] = mapped_column(
        _choice(RecordStatus, "status", RecordStatus.DRAFT, RecordStatus.SUBMITTED),
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
        _choice(SupervisionFunction, "function"), primary_key=True
    )
    session: Mapped[SupervisionSession] = relationship(back_populates="functions")


class DiscussedItem(SessionChild, Base):
    """A case or group discussed, by pseudonym or id (never a real name)."""

    __tablename__ = "session_discussed"
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(_choice(DiscussedKind, "kind"), primary_key=True)
    ref: Mapped[str] = mapped_column(sa.String(REF), primary_key=True)
    session: Mapped[SupervisionSession] = relationship(back_populates="discussed")


class SessionRisk(SessionChild, Base):
    __tablename__ = "session_risks"
    session_id: Mapped[str] = mapped_column(
        sa.ForeignKey("supervision_sessions.session_id", ondelete="CASCADE"), primary_key=True
    )
    flag: Mapped[str] = mapped_column(_choice(RiskFlag, "flag"), primary_key=True)
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
        _choice(ActionStatus, "action_status"), default=ActionStatus.OPEN
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
    status: Mapped[str] = mapped_column(_choice(RecordStatus, "status"), default=RecordStatus.DRAFT)
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
        _choice(RecordStatus, "status", RecordStatus.DRAFT, RecordStatus.SUBMITTED),
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
    action: Mapped[str] = mapped_column(_choice(AuditAction, "action"))
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
