"""The one life of a record a page edits: draft -> submitted, with versions and conflicts.

Supervision sessions, station evaluations and competency assessments live the same way:

1. ``open_draft``: a save names the record's id and the version its page last saw. A new id
   makes a new draft; an existing record must still be a draft (``LockedError``), be the
   actor's own (``rules.as_self``), keep its rubric version (``records_rubric_mismatch``) and
   be the version the page saw (``ConflictError``).
2. ``open_for_submit``: the same checks on a stored draft before its completeness rules.
3. ``lock``: status ``submitted``, the submit time, and the next version.
4. ``delete_draft``: only the owner's own draft can be thrown away.

Each kind declares its ``Lifecycle`` (the model, the kind's id, the id and owner columns) and
keeps only what is its own: the fields it checks and what makes it complete.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from sqlalchemy.orm import Session

from . import rules
from . import validation as check
from .choices import RecordStatus
from .models import CompetencyAssessment, Evaluation, Person, SupervisionSession
from .rows import bump, check_version, fetch
from .rows import editable as editable_row
from .rows import same_rubric as same_rubric_row

# The records with a draft life (a constrained type: each has status, version, submitted_at).
Record = TypeVar("Record", SupervisionSession, Evaluation, CompetencyAssessment)


class Rubric(Protocol):
    """What a record keeps of the rubric it was filled on."""

    @property
    def id(self) -> str: ...

    @property
    def version(self) -> str: ...


@dataclass(frozen=True)
class Lifecycle(Generic[Record]):
    """The draft life of one kind of record (see the module docstring)."""

    model: type[Record]
    kind: str  # records.kind.<kind>: how messages name the record
    id_field: str  # the primary key column, e.g. ``assessment_id``
    owner_field: str  # who writes it, e.g. ``assessor_id``

    def get(self, session: Session, record_id: str) -> Record:
        """The stored record, or NotFoundError naming the kind."""
        return fetch(session, self.model, record_id, self.kind)

    def record_id(self, row: Record) -> str:
        return str(getattr(row, self.id_field))

    def editable(self, row: Record) -> Record:
        """The record while it is a draft; LockedError once submitted."""
        return editable_row(row, self.record_id(row), self.kind)

    def same_rubric(self, row: Record, rubric: Rubric | None) -> None:
        """Refuse to mix rubric versions within one record (no rubric: nothing to compare)."""
        if rubric is not None:
            same_rubric_row(row, self.record_id(row), rubric.id, rubric.version)

    def _owned_draft(self, row: Record, actor: Person, rubric: Rubric | None) -> Record:
        self.editable(row)
        self.same_rubric(row, rubric)
        rules.as_self(actor, getattr(row, self.owner_field), self.owner_field)
        return row

    def open_draft(
        self,
        session: Session,
        record_id: str,
        seen: int | None,
        actor: Person,
        rubric: Rubric | None = None,
    ) -> tuple[str, Record | None]:
        """The checked id and the stored draft (None for a new record) a save may change."""
        record_id = check.record_id(record_id, self.id_field)
        row = session.get(self.model, record_id)
        if row is not None:
            self._owned_draft(row, actor, rubric)
        check_version(session, row, seen, self.kind, record_id)
        return record_id, row

    def open_for_submit(
        self,
        session: Session,
        record_id: str,
        actor: Person,
        version: int | None,
        rubric: Rubric | None = None,
    ) -> Record:
        """The actor's stored draft, at the version the page saw (None: not compared)."""
        row = self._owned_draft(self.get(session, record_id), actor, rubric)
        if version is not None:
            check_version(session, row, version, self.kind, record_id)
        return row

    def lock(self, session: Session, row: Record, now: dt.datetime) -> None:
        """Submitted: the record is locked, stamped with ``now`` and given its next version."""
        row.status = RecordStatus.SUBMITTED
        row.submitted_at = now
        bump(session, row)

    def delete_draft(self, session: Session, record_id: str, actor: Person) -> None:
        """Throw away the actor's own draft (a submitted record stays)."""
        row = self.editable(self.get(session, record_id))
        rules.as_self(actor, getattr(row, self.owner_field), self.owner_field)
        session.delete(row)
