"""Row helpers shared by the write modules: fresh ids, changed-fields-only updates and
diffing child collections."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Mapping
from typing import Any, NamedTuple, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .choices import RecordStatus
from .database import CHINA_TIME
from .models import Base, Person
from .validation import ConflictError, LockedError, NotFoundError, ValidationError


def new_id() -> str:
    """A fresh record id (uuid4, 32 hex digits)."""
    return uuid.uuid4().hex


Child = TypeVar("Child", bound=Base)
Key = TypeVar("Key", bound=Hashable)


def sync_children(
    session: Session,
    children: list[Child],
    wanted: Mapping[Key, Mapping[str, Any]],
    key: Callable[[Child], Key],
    make: Callable[[Key], Child],
) -> None:
    """Make a child collection equal ``wanted`` ({key: {attribute: value}}) with few writes.

    Rows whose key is gone are deleted explicitly (so the audit trail sees the delete), rows
    that stay are updated in place only where a value differs, new keys become new rows.
    """
    existing = {key(child): child for child in children}
    for k, child in existing.items():
        if k not in wanted:
            children.remove(child)
            if sa.inspect(child).persistent:
                session.delete(child)
    for k, values in wanted.items():
        found = existing.get(k)
        if found is None:
            child = make(k)
            children.append(child)
        else:
            child = found
        assign_changed(child, values)


def assign_changed(row: Base, values: Mapping[str, Any]) -> None:
    """Set only the attributes whose value differs, so an unchanged save writes (and audits)
    nothing."""
    for name, value in values.items():
        if getattr(row, name) != value:
            setattr(row, name, value)


Row = TypeVar("Row", bound=Base)


def fetch(session: Session, model: type[Row], record_id: str, kind: str) -> Row:
    """The row with this primary key, or NotFoundError naming the kind of record."""
    row = session.get(model, record_id)
    if row is None:
        raise NotFoundError("error.records_not_found", kind=kind, record=record_id)
    return row


def editable(row: Row, record_id: str, kind: str) -> Row:
    """The row itself while it is a draft; LockedError once it has been submitted."""
    status = row.status  # type: ignore[attr-defined]
    if status != RecordStatus.DRAFT:
        raise LockedError("error.records_locked", kind=kind, record=record_id, status=status)
    return row


def same_rubric(row: Any, record_id: str, rubric_id: str, rubric_version: str) -> None:
    """Refuse to mix rubric versions within one record."""
    if (row.rubric_id, row.rubric_version) != (rubric_id, rubric_version):
        raise ValidationError(
            "error.records_rubric_mismatch",
            record=record_id,
            stored=f"{row.rubric_id} {row.rubric_version}",
            given=f"{rubric_id} {rubric_version}",
        )


class Saved(NamedTuple):
    """What a draft save returns: the record's id and its version now (put it in the next
    draft's ``version``)."""

    record_id: str
    version: int


def check_version(session: Session, row: Any, seen: int | None, kind: str, record_id: str) -> None:
    """ConflictError unless the stored record is the version the page saw (None: no record).

    The record is noted in ``session.info["versioned"]``: if another writer commits between
    this check and the UPDATE (PostgreSQL), the UPDATE's version condition fails and the store
    reports the same ConflictError from it (``RecordsStore.transaction``).
    """
    if row is not None:
        session.info["versioned"] = (type(row), kind, record_id, seen)
    if row is None or row.version == seen:
        return
    raise conflict(session, row, seen, kind, record_id)


def conflict(session: Session, row: Any, seen: int | None, kind: str, record_id: str) -> Exception:
    """The ConflictError naming who saved ``row`` last and when."""
    saved_by = row.updated_by or ""
    person = session.get(Person, saved_by) if saved_by else None
    return ConflictError(
        "error.records_conflict",
        kind=kind,
        record=record_id,
        seen=0 if seen is None else seen,
        stored=row.version,
        saved_by=f"{person.display_name} ({saved_by})" if person else saved_by or "?",
        saved_by_id=saved_by,
        # the time a station worker reads on the wall: China time
        saved_at=row.updated_at.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M:%S"),
    )


def changed(session: Session) -> bool:
    """Whether the transaction changed anything: flushed changes (the audit hook notes them)
    or pending new, deleted or modified rows."""
    return bool(
        session.info.get("changed")
        or session.new
        or session.deleted
        or any(session.is_modified(obj) for obj in session.dirty)
    )


def bump(session: Session, row: Any) -> int:
    """Give a new or changed record its next version and the actor as last writer."""
    actor = session.info.get("actor")
    if sa.inspect(row).pending:
        row.version, row.updated_by = 1, actor
    elif changed(session):
        row.version, row.updated_by = row.version + 1, actor
    return int(row.version)
