"""``RecordsStore``: the one door to the records database, for apps, CLI and tests.

- Where: a SQLite file (default ``Workspace(settings.home).records``) or any SQLAlchemy URL,
  e.g. ``postgresql+psycopg://user@host/shegong``. The code is dialect-neutral; only SQLite
  gets connection tuning (``database.py``: WAL, busy timeout, foreign keys, ``BEGIN
  IMMEDIATE`` for writes, so two writers queue instead of failing with "database is locked").
- Schema: Alembic migrations in ``migrations/`` run to ``head`` when the store opens.
- Writes: every method that changes data runs in one short transaction (``transaction``) that
  commits whole or rolls back whole, and writes its audit rows (hash-chained, ``chain.py``)
  inside it. The acting person is checked by ``rules`` in the same transaction. A driver
  error on a write (disk full, lock past the busy timeout, read-only or damaged file, server
  gone) becomes ``SaveFailed`` with a bilingual reason; a stale version ``ConflictError``.
- Versions: drafts carry the version their page saw; saves return ``Saved(id, version)``.
- Durability: SQLite runs WAL with ``synchronous=FULL``: a commit returns only after the WAL
  is on disk, so what a page reports as saved survives a power cut, not only a crashed
  process (NORMAL). Measured on the 2-core test machine with ``tools/measure_sync.py``
  (median time of one draft save): see /work/notes/issue10-api.md and the README table.
- Opening never recreates a database that existed: an empty or non-SQLite file is
  ``DatabaseDamaged`` and is left untouched.
- Locks: a submitted or moderated record cannot change; this is checked before every flush,
  whatever code made the change, not only by the methods below.
- Reads: queries return frozen records or DataFrames, never live ORM objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.pool import StaticPool

from shegong.evaluation.rubrics import CompetencyRubric, StationRubric
from shegong.evaluation.scoring import StationScore
from shegong.paths import Workspace
from shegong.settings import Settings

from . import audit, chain, competency, evaluations, queries, rules, supervision
from .database import (
    BUSY_TIMEOUT_MS,
    WRITE,
    check_sqlite_file,
    china_today,
    database_url,
    guard_locks,
    save_failure,
    tune_sqlite,
    upgrade,
)
from .models import Role, utcnow
from .people import PeopleStore
from .rows import Saved, conflict
from .validation import (
    DatabaseDamaged,
    NotFoundError,
    RecordsError,
    SaveFailed,
    StoreError,
    person_id,
)

ASSESSORS = (Role.SUPERVISOR, Role.EVALUATOR)


class RecordsStore(PeopleStore):
    """Supervision logs, station evaluations, competency assessments and their audit trail.

    ``target`` is a SQLite file path or a SQLAlchemy URL. ``today`` gives the date against
    which "in the future" is judged (default: today in China); ``clock`` gives UTC timestamps.
    Every write method takes the ``actor`` (the signed-in user's person id): the rule book
    (``rules``) checks in the same transaction that this person may do it, and the audit trail
    records them. Read methods that take ``actor=`` refuse or filter what it may not see.
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
        check_sqlite_file(self.url)
        if self.engine.dialect.name == "sqlite":
            tune_sqlite(self.engine, busy_timeout_ms)
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        event.listen(self._sessions, "before_flush", guard_locks)
        audit.install(self._sessions)
        if migrate:
            try:
                upgrade(self.engine)
            except sa.exc.DatabaseError as error:
                if self.engine.dialect.name == "sqlite" and save_failure(error) == "damaged":
                    raise DatabaseDamaged(
                        "error.records_damaged", path=self.url.database, detail=str(error.orig)
                    ) from None
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
        """A write transaction: commits when the block ends, rolls back whole on any error.

        Driver errors become ``SaveFailed`` (what happened, what to do); a concurrent writer
        caught by the version check of the UPDATE becomes ``ConflictError``; a second
        evaluation of the same round that slipped past the check, ``DuplicateEvaluationError``.
        """
        person_id(actor, "actor")
        info: dict[str, Any] = {}
        try:
            with self._sessions.begin() as session:
                info = session.info
                session.info.update(actor=actor, now=self.clock())
                session.connection(execution_options={WRITE: True})
                yield session
        except RecordsError:
            raise
        except StaleDataError:
            raise self._conflict_after_race(info) from None
        except sa.exc.IntegrityError as error:
            if "round" in info:
                raise self._duplicate_after_race(info["round"], error) from None
            raise SaveFailed(
                "error.records_save_failed", reason="other", detail=str(error.orig)[:300]
            ) from None
        except sa.exc.DBAPIError as error:
            raise SaveFailed(
                "error.records_save_failed",
                reason=save_failure(error),
                detail=str(error.orig)[:300],
            ) from None

    def _conflict_after_race(self, info: dict[str, Any]) -> Exception:
        """The ConflictError for an UPDATE whose version condition failed (a racing writer)."""
        model, kind, record_id, seen = info["versioned"]
        with self.reading() as session:
            row = session.get(model, record_id)
            if row is None:
                return NotFoundError("error.records_not_found", kind=kind, record=record_id)
            return conflict(session, row, seen, kind, record_id)

    def _duplicate_after_race(
        self, round_: dict[str, Any], error: sa.exc.IntegrityError
    ) -> RecordsError:
        """The DuplicateEvaluationError for a UNIQUE violation (two new evaluations at once)."""
        with self.reading() as session:
            other = evaluations.existing_in_round(session, **round_)
            if other is not None:
                return evaluations.duplicate(other)
        return SaveFailed("error.records_save_failed", reason="other", detail=str(error.orig))

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only session; anything changed in it is rolled back."""
        with self._sessions() as session:
            try:
                yield session
            finally:
                session.rollback()

    # --- supervision -----------------------------------------------------------------

    def save_session_draft(self, actor: str, draft: supervision.SessionDraft) -> Saved:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, [Role.SUPERVISOR, Role.TRAINEE])
            return supervision.save_draft(session, draft, self.today(), who)

    def submit_session(self, actor: str, session_id: str, *, version: int | None = None) -> None:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, [Role.SUPERVISOR, Role.TRAINEE])
            supervision.submit(session, session_id, session.info["now"], who, version)

    def acknowledge_session(self, actor: str, session_id: str) -> None:
        """The signed-in supervisee (``actor``) confirms a submitted session record."""
        with self.transaction(actor) as session:
            rules.acting(session, actor, [Role.TRAINEE])
            supervision.acknowledge(session, session_id, actor, session.info["now"])

    def load_session(self, session_id: str) -> supervision.SessionRecord:
        with self.reading() as session:
            return supervision.load(session, session_id)

    def delete_session_draft(self, actor: str, session_id: str) -> None:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, [Role.SUPERVISOR, Role.TRAINEE])
            supervision.LIFE.delete_draft(session, session_id, who)

    def supervision_history(self, trainee_id: str, *, actor: str | None = None) -> pd.DataFrame:
        """The trainee's sessions; with ``actor``, PermissionDenied unless they may see them."""
        with self.reading() as session:
            if actor is not None:
                rules.check_sees(session, actor, trainee_id)
            return queries.supervision_history(session, trainee_id)

    def supervision_hours(
        self,
        trainee_id: str,
        requirement: queries.HoursRequirement | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        *,
        actor: str | None = None,
    ) -> pd.DataFrame:
        with self.reading() as session:
            if actor is not None:
                rules.check_sees(session, actor, trainee_id)
            return queries.supervision_hours(
                session, trainee_id, self.today(), requirement, start, end
            )

    def open_action_items(self, trainee_id: str, *, actor: str | None = None) -> pd.DataFrame:
        with self.reading() as session:
            if actor is not None:
                rules.check_sees(session, actor, trainee_id)
            return queries.open_action_items(session, trainee_id, self.today())

    # --- station evaluation ------------------------------------------------------------

    def save_evaluation_draft(
        self, actor: str, draft: evaluations.EvaluationDraft, rubric: StationRubric
    ) -> Saved:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, [Role.EVALUATOR])
            return evaluations.save_draft(session, draft, rubric, self.today(), who)

    def submit_evaluation(
        self,
        actor: str,
        evaluation_id: str,
        rubric: StationRubric,
        *,
        version: int | None = None,
    ) -> StationScore:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, [Role.EVALUATOR])
            now = session.info["now"]
            return evaluations.submit(session, evaluation_id, rubric, now, who, version)

    def load_evaluation(self, evaluation_id: str) -> evaluations.EvaluationRecord:
        with self.reading() as session:
            return evaluations.load(session, evaluation_id)

    def evaluation_score(self, evaluation_id: str, rubric: StationRubric) -> StationScore:
        """The running score of a draft (unrated indicators count 0) or the submitted score."""
        with self.reading() as session:
            row = evaluations.LIFE.get(session, evaluation_id)
            evaluations.LIFE.same_rubric(row, rubric)
            return evaluations.score(row, rubric, allow_missing=True)

    def delete_evaluation_draft(self, actor: str, evaluation_id: str) -> None:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, [Role.EVALUATOR])
            evaluations.LIFE.delete_draft(session, evaluation_id, who)

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
            rules.acting(session, actor, [Role.EVALUATOR])
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
    ) -> Saved:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, ASSESSORS)
            return competency.save_draft(session, draft, rubric, self.today(), who)

    def submit_assessment(
        self,
        actor: str,
        assessment_id: str,
        rubric: CompetencyRubric,
        *,
        version: int | None = None,
    ) -> None:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, ASSESSORS)
            now = session.info["now"]
            competency.submit(session, assessment_id, rubric, now, who, version)

    def load_assessment(self, assessment_id: str) -> competency.AssessmentRecord:
        with self.reading() as session:
            return competency.load(session, assessment_id)

    def delete_assessment_draft(self, actor: str, assessment_id: str) -> None:
        with self.transaction(actor) as session:
            who = rules.acting(session, actor, ASSESSORS)
            competency.LIFE.delete_draft(session, assessment_id, who)

    def latest_assessment_draft(self, trainee_id: str, assessor_id: str) -> str | None:
        with self.reading() as session:
            return queries.latest_assessment_draft(session, trainee_id, assessor_id)

    def competency_history(
        self, trainee_ids: Sequence[str] | None = None, *, actor: str | None = None
    ) -> pd.DataFrame:
        """Submitted ratings; with ``actor``, only of the trainees they may see."""
        with self.reading() as session:
            if actor is not None:
                visible = rules.visible_ids(session, actor)
                trainee_ids = sorted(
                    visible if trainee_ids is None else visible.intersection(trainee_ids)
                )
            return queries.competency_history(session, trainee_ids)

    # --- audit -----------------------------------------------------------------------

    def audit_trail(self, table: str | None = None, row_id: str | None = None) -> pd.DataFrame:
        with self.reading() as session:
            return audit.trail(session, table, row_id)

    def verify_audit(self) -> chain.AuditCheck:
        """Recompute the audit trail's hash chain: ``ok``, ``rows``, the ``first_bad`` row."""
        with self.reading() as session:
            return audit.check(session)
