"""The audit trail: every created, changed or deleted field, written in the same transaction.

``install(factory)`` hooks a SQLAlchemy ``sessionmaker``: after each flush, the rows it
inserted, updated and deleted are turned into ``audit_log`` rows, one per field: creates
list the fields that have a non-empty value, deletes the non-empty values that were there,
updates only the fields whose value really changed. They are inserted on the flush's own connection,
so a rolled-back save leaves no audit rows either. Who and when come from ``session.info``
(``actor``, ``now``), which ``RecordsStore.transaction`` sets; a flush without an actor is a
programming error. Row ids of composite keys are the key values joined by ``/``.

Each new row is chained to the one before it by a hash (``chain``) in the same transaction;
on PostgreSQL an advisory lock makes concurrent writers take turns at the end of the chain
(SQLite's ``BEGIN IMMEDIATE`` already does). ``check`` verifies the whole chain.
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import pandas as pd
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.attributes import History

from . import chain
from .models import AuditAction, AuditEntry, Base, utcnow

# Stamps, and the version bookkeeping (who saved last is the audit row's actor anyway).
UNAUDITED_FIELDS = frozenset({"created_at", "updated_at", "version", "updated_by"})
# PostgreSQL advisory lock key held while appending to the chain ("SGAUDT").
CHAIN_LOCK = 0x5347_4155_4454


def as_text(value: Any) -> str | None:
    """A stored value as the text the trail keeps (ISO dates, ``true``/``false``)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _row_id(obj: Base) -> str:
    mapper = sa.inspect(obj).mapper
    return "/".join(str(v) for v in mapper.primary_key_from_instance(obj))


def _fields(obj: Base) -> list[str]:
    return [
        attr.key for attr in sa.inspect(obj).mapper.column_attrs if attr.key not in UNAUDITED_FIELDS
    ]


def _changes(obj: Base, action: AuditAction) -> list[tuple[str, str | None, str | None]]:
    """(field, old, new) for each field the action touched."""
    state = sa.inspect(obj)
    out: list[tuple[str, str | None, str | None]] = []
    for key in _fields(obj):
        if action is AuditAction.CREATE:
            new = as_text(getattr(obj, key))
            if new:
                out.append((key, None, new))
        elif action is AuditAction.DELETE:
            old = as_text(getattr(obj, key))
            if old:
                out.append((key, old, None))
        else:
            history: History = state.attrs[key].history
            if not history.has_changes():
                continue
            old = as_text(history.deleted[0]) if history.deleted else None
            new = as_text(history.added[0]) if history.added else None
            if old != new:
                out.append((key, old, new))
    return out


def _after_flush(session: Session, _context: Any) -> None:
    actions = (
        (AuditAction.CREATE, session.new),
        (AuditAction.UPDATE, session.dirty),
        (AuditAction.DELETE, session.deleted),
    )
    rows: list[dict[str, Any]] = []
    for action, objects in actions:
        for obj in objects:
            if isinstance(obj, AuditEntry) or not isinstance(obj, Base):
                continue
            for field, old, new in _changes(obj, action):
                rows.append(
                    {
                        "action": action.value,
                        "table_name": obj.__tablename__,
                        "row_id": _row_id(obj),
                        "field": field,
                        "old_value": old,
                        "new_value": new,
                    }
                )
    if not rows:
        return
    session.info["changed"] = True  # rows.bump: this transaction really changed something
    actor = session.info.get("actor")
    if not actor:
        raise RuntimeError("records changed outside RecordsStore.transaction(actor)")
    at = session.info.get("now") or utcnow()
    for row in rows:
        row.update(actor=actor, at=at)
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(CHAIN_LOCK)))
    last = connection.execute(
        sa.select(AuditEntry.row_hash).order_by(AuditEntry.audit_id.desc()).limit(1)
    ).scalar()
    chain.seal(last or chain.GENESIS, rows)
    connection.execute(sa.insert(AuditEntry), rows)


def install(factory: sessionmaker[Session]) -> None:
    """Write audit rows for every flush of sessions made by ``factory``."""
    event.listen(factory, "after_flush", _after_flush)


def check(session: Session) -> chain.AuditCheck:
    """Recompute the hash chain over every audit row (oldest first)."""
    columns = [AuditEntry.audit_id, *(getattr(AuditEntry, f) for f in chain.FIELDS)]
    query = sa.select(*columns, AuditEntry.prev_hash, AuditEntry.row_hash).order_by(
        AuditEntry.audit_id
    )
    return chain.verify(session.execute(query.execution_options(yield_per=1000)).mappings())


def trail(session: Session, table: str | None = None, row_id: str | None = None) -> pd.DataFrame:
    """The audit rows, oldest first, optionally of one table and one row (or row prefix/)."""
    query = sa.select(AuditEntry).order_by(AuditEntry.audit_id)
    if table is not None:
        query = query.where(AuditEntry.table_name == table)
    if row_id is not None:
        query = query.where(
            sa.or_(
                AuditEntry.row_id == row_id,
                AuditEntry.row_id.startswith(f"{row_id}/", autoescape=True),
            )
        )
    columns = [
        "audit_id",
        "at",
        "actor",
        "action",
        "table_name",
        "row_id",
        "field",
        "old_value",
        "new_value",
    ]
    records = [{c: getattr(e, c) for c in columns} for e in session.scalars(query)]
    return pd.DataFrame.from_records(records, columns=columns)
