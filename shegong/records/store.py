"""``RecordsStore``: the one door to the records database, for apps, CLI and tests.

- Where: a SQLite file (default ``Workspace(settings.home).records``) or any SQLAlchemy URL,
  e.g. ``postgresql+psycopg://user@host/shegong``. The code is dialect-neutral; only SQLite
  gets connection tuning (``database.py``: WAL, busy timeout, foreign keys, ``BEGIN
  IMMEDIATE`` for writes, so two writers queue instead of failing with "database is locked").
- Schema: Alembic migrations in ``migrations/`` run to ``head`` when the store opens.
- Writes: every method that changes data runs in one short transaction (``transaction``) that
  commits whole or rolls back whole, and writes its audit rows inside it.
- Locks: a submitted or moderated record cannot change; this is checked before every flush,
  whatever code made the change, not only by the methods below.
- Reads: queries return frozen records or DataFrames, never live ORM objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import StaticPool

from shegong.evaluation.rubrics import CompetencyRubric, StationRubric
from shegong.evaluation.scoring import StationScore
from shegong.paths import Workspace
from shegong.settings import Settings

from . import audit, competency, evaluations, queries, supervision
from .database import (
    BUSY_TIMEOUT_MS,
    WRITE,
    china_today,
    database_url,
    guard_locks,
    tune_sqlite,
    upgrade,
)
from .models import Person, Role, utcnow
from .rows import assign_changed
from .validation import StoreError, is_date, person_id, short_text
from .validation import choice as check_choice


@dataclass(frozen=True)
class PersonRecord:
    """A person as apps see them (read-only)."""

    person_id: str
    display_name: str
    role: str
    station_id: str | None
    agency_id: str | None
    started_on: dt.date | None
    active: bool


class RecordsStore:
    """Supervision logs, station evaluations, competency assessments and their audit trail.

    ``target`` is a SQLite file path or a SQLAlchemy URL. ``today`` gives the date against
    which "in the future" is judged (default: today in China); ``clock`` gives UTC timestamps.
    Every write method takes the ``actor`` (the signed-in user's person id) for the audit trail.
    """

    def __init__(
        self,
        target: str | Path,
        *,
        migrate: bool = True,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
        today: Callable[[], dt.date] = china_today,
        clock: Callable[[], dt.datetime] = utcnow,
    ) -> None:
        self.url = database_url(target)
        self.today = today
        self.clock = clock
        options: dict[str, Any] = {}
        if self.url.get_backend_name() == "sqlite" and self.url.database in (None, "", ":memory:"):
            options = {"poolclass": StaticPool, "connect_args": {"check_same_thread": False}}
        try:
            self.engine = sa.create_engine(self.url, **options)
        except ImportError as error:
            raise StoreError(
                "error.records_driver", driver=self.url.drivername, detail=error.name or str(error)
            ) from None
        if self.engine.dialect.name == "sqlite":
            tune_sqlite(self.engine, busy_timeout_ms)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", guard_locks)
        audit.install(self._sessions)
        if migrate:
            try:
                upgrade(self.engine)
            except sa.exc.OperationalError as error:
                raise StoreError(
                    "error.records_open", url=self.safe_url, detail=str(error.orig)
                ) from None

    @classmethod
    def for_settings(cls, settings: Settings, **kwargs: Any) -> RecordsStore:
        """The workspace's store: ``<home>/records.db``."""
        return cls(Workspace(settings.home).records, **kwargs)

    @property
    def safe_url(self) -> str:
        return self.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> RecordsStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self, actor: str) -> Iterator[Session]:
        """A write transaction: commits when the block ends, rolls back whole on any error."""
        person_id(actor, "actor")
        with self._sessions.begin() as session:
            session.info.update(actor=actor, now=self.clock())
            session.connection(execution_options={WRITE: True})
            yield session

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; anything changed in it is rolled back."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    # --- people ----------------------------------------------------------------------

    def save_person(
        self,
        actor: str,
        person: str,
        display_name: str,
        role: str,
        *,
        station_id: str | None = None,
        agency_id: str | None = None,
        started_on: dt.date | None = None,
        active: bool = True,
    ) -> None:
        """Create or update a person (a user of the platform) by id."""
        values = {
            "display_name": short_text(display_name, "display_name", 100),
            "role": check_choice(role, Role, "role"),
            "station_id": station_id or None,
            "agency_id": agency_id or None,
            "started_on": is_date(started_on, "started_on"),
            "active": bool(active),
        }
        with self.transaction(actor) as session:
            row = session.get(Person, person_id(person, "person_id"))
            if row is None:
                row = Person(person_id=person)
                session.add(row)
            assign_changed(row, values)

    def people(self, role: str | None = None, active_only: bool = True) -> list[PersonRecord]:
        query = sa.select(Person).order_by(Person.person_id)
        if role is not None:
            query = query.where(Person.role == role)
        if active_only:
            query = query.where(Person.active.is_(True))
        with self.reading() as session:
            return [
                PersonRecord(
                    p.person_id,
                    p.display_name,
                    p.role,
                    p.station_id,
                    p.agency_id,
                    p.started_on,
                    p.active,
                )
                for p in session.scalars(query)
            ]

    def person(self, person: str) -> PersonRecord | None:
        """One person (e.g. the signed-in user, to pick their role's app), or None."""
        with self.reading() as session:
            p = session.get(Person, person)
            if p is None:
                return None
            return PersonRecord(
                p.person_id,
                p.display_name,
                p.role,
                p.station_id,
                p.agency_id,
                p.started_on,
                p.active,
            )

    # --- supervision -----------------------------------------------------------------

    def save_session_draft(self, actor: str, draft: supervision.SessionDraft) -> str:
        with self.transaction(actor) as session:
            return supervision.save_draft(session, draft, self.today())

    def submit_session(self, actor: str, session_id: str) -> None:
        with self.transaction(actor) as session:
            supervision.submit(session, session_id, session.info["now"])

    def acknowledge_session(self, actor: str, session_id: str) -> None:
        """The signed-in supervisee (``actor``) confirms a submitted session record."""
        with self.transaction(actor) as session:
            supervision.acknowledge(session, session_id, actor, session.info["now"])

    def load_session(self, session_id: str) -> supervision.SessionRecord:
        with self.reading() as session:
            return supervision.load(session, session_id)

    def delete_session_draft(self, actor: str, session_id: str) -> None:
        with self.transaction(actor) as session:
            supervision.delete_draft(session, session_id)

    def supervision_history(self, trainee_id: str) -> pd.DataFrame:
        with self.reading() as session:
            return queries.supervision_history(session, trainee_id)

    def supervision_hours(
        self,
        trainee_id: str,
        requirement: queries.HoursRequirement | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
    ) -> pd.DataFrame:
        with self.reading() as session:
            return queries.supervision_hours(
                session, trainee_id, self.today(), requirement, start, end
            )

    def open_action_items(self, trainee_id: str) -> pd.DataFrame:
        with self.reading() as session:
            return queries.open_action_items(session, trainee_id, self.today())

    # --- station evaluation ------------------------------------------------------------

    def save_evaluation_draft(
        self, actor: str, draft: evaluations.EvaluationDraft, rubric: StationRubric
    ) -> str:
        with self.transaction(actor) as session:
            return evaluations.save_draft(session, draft, rubric, self.today())

    def submit_evaluation(
        self, actor: str, evaluation_id: str, rubric: StationRubric
    ) -> StationScore:
        with self.transaction(actor) as session:
            return evaluations.submit(session, evaluation_id, rubric, session.info["now"])

    def load_evaluation(self, evaluation_id: str) -> evaluations.EvaluationRecord:
        with self.reading() as session:
            return evaluations.load(session, evaluation_id)

    def evaluation_score(self, evaluation_id: str, rubric: StationRubric) -> StationScore:
        """The running score of a draft (unrated indicators count 0) or the submitted score."""
        with self.reading() as session:
            row = evaluations.get(session, evaluation_id)
            evaluations.same_rubric(row, rubric)
            return evaluations.score(row, rubric, allow_missing=True)

    def delete_evaluation_draft(self, actor: str, evaluation_id: str) -> None:
        with self.transaction(actor) as session:
            evaluations.delete_draft(session, evaluation_id)

    def moderate(
        self,
        actor: str,
        station_id: str,
        rubric: StationRubric,
        final_total: float,
        reason: str,
        *,
        period: str = "",
        vetoed: bool = False,
    ) -> str:
        """The lead evaluator (``actor``) sets the station's final score with a reason."""
        with self.transaction(actor) as session:
            return evaluations.moderate(
                session,
                lead_id=actor,
                station_id=station_id,
                rubric=rubric,
                period=period,
                final_total=final_total,
                reason=reason,
                vetoed=vetoed,
            )

    def station_evaluations(self, station_id: str | None = None) -> pd.DataFrame:
        with self.reading() as session:
            return queries.station_evaluations(session, station_id)

    def station_results(self) -> pd.DataFrame:
        with self.reading() as session:
            return queries.station_results(session)

    def submitted_ratings(
        self, station_id: str, rubric: StationRubric, period: str = ""
    ) -> dict[str, dict[str, int]]:
        with self.reading() as session:
            return queries.submitted_ratings(session, station_id, rubric.id, rubric.version, period)

    # --- competency ------------------------------------------------------------------

    def save_assessment_draft(
        self, actor: str, draft: competency.AssessmentDraft, rubric: CompetencyRubric
    ) -> str:
        with self.transaction(actor) as session:
            return competency.save_draft(session, draft, rubric, self.today())

    def submit_assessment(self, actor: str, assessment_id: str, rubric: CompetencyRubric) -> None:
        with self.transaction(actor) as session:
            competency.submit(session, assessment_id, rubric, session.info["now"])

    def load_assessment(self, assessment_id: str) -> competency.AssessmentRecord:
        with self.reading() as session:
            return competency.load(session, assessment_id)

    def delete_assessment_draft(self, actor: str, assessment_id: str) -> None:
        with self.transaction(actor) as session:
            competency.delete_draft(session, assessment_id)

    def competency_history(self, trainee_ids: Sequence[str] | None = None) -> pd.DataFrame:
        with self.reading() as session:
            return queries.competency_history(session, trainee_ids)

    # --- audit -----------------------------------------------------------------------

    def audit_trail(self, table: str | None = None, row_id: str | None = None) -> pd.DataFrame:
        with self.reading() as session:
            return audit.trail(session, table, row_id)
