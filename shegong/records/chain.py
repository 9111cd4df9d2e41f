"""The audit trail's hash chain: each row seals the one before it.

Threat model: someone with write access to the database file (plain ``sqlite3``, a copied
file, a PostgreSQL superuser) rewrites, deletes or inserts audit rows to hide who changed a
record. Every audit row stores ``prev_hash`` (the ``row_hash`` of the row before it, by
``audit_id``; ``GENESIS`` for the first) and ``row_hash`` = sha256 over ``prev_hash`` and the
row's canonical content (JSON of its fields in a fixed order). ``verify`` recomputes the chain
and names the first row that does not fit: an edited row fails its own hash, a deleted or
inserted row breaks the link of the row after it. What the chain cannot show: the last rows
cut off the end (compare ``rows``/``last_hash`` with a copy kept elsewhere), or a forger who
recomputes every later hash; the append-only triggers and grants (migration 0002) stop the
apps' own connection from doing either.

The format is part of the stored data: change it only with a migration that re-chains.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

GENESIS = "0" * 64
FIELDS = ("at", "actor", "action", "table_name", "row_id", "field", "old_value", "new_value")


def _text(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=dt.UTC)
        return value.astimezone(dt.UTC).isoformat(timespec="microseconds")
    return value


def canonical(row: Mapping[Any, Any]) -> str:
    """The row's content as the chain hashes it (JSON, fixed field order, UTC ISO times)."""
    return json.dumps([_text(row[f]) for f in FIELDS], ensure_ascii=False, separators=(",", ":"))


def row_hash(prev_hash: str, row: Mapping[Any, Any]) -> str:
    return hashlib.sha256((prev_hash + canonical(row)).encode("utf-8")).hexdigest()


def seal(prev_hash: str, rows: Iterable[dict[str, Any]]) -> str:
    """Set ``prev_hash``/``row_hash`` on each new row in order; returns the last hash."""
    for row in rows:
        row["prev_hash"] = prev_hash
        row["row_hash"] = prev_hash = row_hash(prev_hash, row)
    return prev_hash


class AuditCheck(NamedTuple):
    """What ``verify`` found: ``ok``, how many rows, the first bad ``audit_id`` (or None)."""

    ok: bool
    rows: int
    first_bad: int | None
    last_hash: str


def verify(rows: Iterable[Mapping[Any, Any]]) -> AuditCheck:
    """Check rows (in ``audit_id`` order, with ``audit_id``, the FIELDS and both hashes)."""
    prev = GENESIS
    count = 0
    for row in rows:
        count += 1
        if row["prev_hash"] != prev or row["row_hash"] != row_hash(prev, row):
            return AuditCheck(False, count, int(row["audit_id"]), prev)
        prev = row["row_hash"]
    return AuditCheck(True, count, None, prev)
