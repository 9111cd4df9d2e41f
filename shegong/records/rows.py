"""Row helpers shared by the write modules: fresh ids, changed-fields-only updates and
diffing child collections."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .choices import RecordStatus
from .models import Base
from .validation import LockedError, NotFoundError, ValidationError


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
