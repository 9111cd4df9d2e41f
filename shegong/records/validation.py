"""Errors and field checks of the records store, each a bilingual message naming the field.

Values that name a field, a record kind, a status, a role or a risk flag stay stable ASCII
ids in ``error.values`` (an app can highlight the widget of ``error.values["field"]``); the
message shows them in the reader's language: ``field`` becomes the label of
``records.field.<id>`` and ``field_id`` keeps the id, so a Chinese reader sees
“督导日期”（session_date）. ``fields`` and ``roles`` are lists shown the same way.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection, Iterable
from typing import ClassVar

from shegong.errors import Labels, ShegongError

from .choices import Choice

RECORD_ID = re.compile(r"[A-Za-z0-9_-]{1,36}")
PERSON_ID = re.compile(r"[A-Za-z0-9_.@-]{1,64}")
# The longest free text of any record (a comment, evidence, guidance, a note), in characters.
TEXT_LIMIT = 4000
# The longest case or group reference a supervision session names (a pseudonym or an id).
REF_LIMIT = 64


class RecordsError(ShegongError):
    """A record that cannot be saved as asked; nothing of the save is written."""

    labels: ClassVar[Labels] = {
        "field": ("records.field.",),
        "kind": ("records.kind.",),
        "status": ("records.status.",),
        "role": ("records.role.",),
        "flag": ("records.risk.",),
        "reason": ("records.save_failure.",),
        "fields": ("records.field.",),
        "roles": ("records.role.",),
    }


class ValidationError(RecordsError):
    """A field has a value that makes no sense (future date, unknown choice, out of range)."""


class IncompleteError(RecordsError):
    """A record lacks what it needs before it can be submitted."""


class NotFoundError(RecordsError):
    """No record or person with that id."""


class LockedError(RecordsError):
    """The record is submitted (or moderated) and can no longer change."""


class StoreError(RecordsError):
    """The database cannot be opened or reached."""


class ConflictError(RecordsError):
    """The record changed since this page loaded it (another tab or person saved it).

    ``values``: kind, record, seen (the page's version, None for "new"), stored, saved_by,
    saved_at (China time, ``YYYY-MM-DD HH:MM:SS``). Nothing of the refused save is written.
    """


class DuplicateEvaluationError(ConflictError):
    """This evaluator already has an evaluation of this station in this round: ``existing``."""


class SaveFailed(StoreError):
    """The database refused the write (disk full, locked, read-only, damaged); nothing written.

    ``values["reason"]`` is one of ``SAVE_FAILURES``; ``retryable`` says whether saving
    again later may work without anyone doing anything.
    """

    @property
    def retryable(self) -> bool:
        return self.values.get("reason") in ("locked", "unreachable")


class DatabaseDamaged(StoreError):
    """An existing database file is empty or not a database; it is kept as it is."""


class PermissionDenied(RecordsError):
    """The acting person may not do this (``shegong.records.rules``)."""


def record_id(value: str, field: str) -> str:
    if not isinstance(value, str) or not RECORD_ID.fullmatch(value):
        raise ValidationError("error.records_bad_id", field=field, value=value)
    return value


def person_id(value: str, field: str) -> str:
    if not isinstance(value, str) or not PERSON_ID.fullmatch(value):
        raise ValidationError("error.records_bad_id", field=field, value=value)
    return value


# No record of the programme is older than this (the earliest plausible date, not 1900).
EARLIEST_DATE = dt.date(2000, 1, 1)


def not_future(value: dt.date | None, field: str, today: dt.date) -> dt.date | None:
    """The date, unless it is after ``today`` (a session cannot be tomorrow) or before 2000."""
    if value is None:
        return None
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise ValidationError("error.records_not_a_date", field=field, value=value)
    if value < EARLIEST_DATE:
        raise ValidationError(
            "error.records_too_early", field=field, value=value.isoformat(), earliest=EARLIEST_DATE
        )
    if value > today:
        raise ValidationError(
            "error.records_future_date", field=field, value=value.isoformat(), today=today
        )
    return value


def is_date(value: dt.date | None, field: str) -> dt.date | None:
    if value is not None and (not isinstance(value, dt.date) or isinstance(value, dt.datetime)):
        raise ValidationError("error.records_not_a_date", field=field, value=value)
    return value


def choice(value: str | None, kind: type[Choice], field: str) -> str | None:
    """The value of one member of ``kind`` (None passes: drafts may leave it open)."""
    if value is None:
        return None
    allowed = [m.value for m in kind]
    if value not in allowed:
        raise ValidationError(
            "error.records_choice", field=field, value=value, choices=", ".join(allowed)
        )
    return str(value)


def choices(values: Iterable[str], kind: type[Choice], field: str) -> list[str]:
    """Distinct members of ``kind`` in their declared order."""
    given = list(values)
    for value in given:
        choice(value, kind, field)
    return [m.value for m in kind if m.value in given]


def in_range(value: int | None, field: str, low: int, high: int) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError("error.records_range", field=field, value=value, low=low, high=high)
    return value


def short_text(value: str, field: str, limit: int = TEXT_LIMIT) -> str:
    """The text without surrounding spaces, at most ``limit`` characters (a record's text)."""
    if not isinstance(value, str):
        raise ValidationError("error.records_not_text", field=field, value=value)
    value = value.strip()
    if len(value) > limit:
        raise ValidationError("error.records_too_long", field=field, limit=limit, count=len(value))
    return value


def reference(value: str, field: str) -> str:
    """A case or group reference (pseudonym or id), at most ``REF_LIMIT`` characters."""
    if not isinstance(value, str):
        raise ValidationError("error.records_not_text", field=field, value=value)
    value = value.strip()
    if len(value) > REF_LIMIT:
        raise ValidationError(
            "error.records_ref_too_long", field=field, ref=value[:20], limit=REF_LIMIT
        )
    return value


def require(missing: Collection[str], kind: str, record: str) -> None:
    """IncompleteError listing every missing field at once (nothing if none are missing)."""
    if missing:
        raise IncompleteError(
            "error.records_incomplete", kind=kind, record=record, fields=tuple(missing)
        )
