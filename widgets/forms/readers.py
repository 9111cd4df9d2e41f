"""Reading what a person typed into a form: strictly, with the records' own rules.

The ``read_*`` functions raise ``FieldError`` (a bilingual ``ShegongError`` whose
``values["field"]`` names the field) instead of guessing: a number field that says "abc" is an
error, not a zero. Where the records store has a rule for a value (a date not in the future,
the length of a text, of a case reference), the form calls that rule (``records_rule``), so
the page and the store refuse the same values with the same message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from shegong.errors import Labels, ShegongError, label
from shegong.messages import Lang
from shegong.records import validation as check
from shegong.records.validation import RecordsError
from shegong.widgets.forms.numbers import decimal_number, whole_number

T = TypeVar("T")
FIELD_PREFIXES = ("apps.field.", "records.field.")


class FieldError(ShegongError):
    """A value typed into a form that cannot be used; ``values["field"]`` names the field."""

    labels: ClassVar[Labels] = {"field": FIELD_PREFIXES}


def field_label(field_id: str, lang: Lang) -> str:
    """The reader's name of a field: ``apps.field.<id>``, else ``records.field.<id>``, else id."""
    return label(field_id, FIELD_PREFIXES, lang)


def read_int(raw: str, field_id: str, low: int, high: int, *, required: bool = False) -> int | None:
    """A whole number typed as text, within ``low``-``high`` (empty: None unless required).

    ASCII digits only; full-width ``０-９`` are converted (``widgets.numbers``); ``4_0``
    or other scripts' digits are refused.
    """
    value = (raw or "").strip()
    if not value:
        if required:
            raise FieldError("error.apps_required", field=field_id)
        return None
    number = whole_number(value)
    if number is None:
        raise FieldError("error.apps_not_whole_number", field=field_id, value=value)
    if not low <= number <= high:
        raise FieldError("error.apps_range", field=field_id, value=number, low=low, high=high)
    return number


def read_number(
    raw: str, field_id: str, low: float, high: float, *, required: bool = False
) -> float | None:
    """A decimal number typed as text, within ``low``-``high`` (ASCII or full-width digits)."""
    value = (raw or "").strip()
    if not value:
        if required:
            raise FieldError("error.apps_required", field=field_id)
        return None
    number = decimal_number(value)
    if number is None:
        raise FieldError("error.apps_not_a_number", field=field_id, value=value)
    if not low <= number <= high:
        raise FieldError("error.apps_range", field=field_id, value=value, low=low, high=high)
    return number


def records_rule(check: Callable[[], T]) -> T:
    """``check()``, one of the records' own rules, its RecordsError as this form's FieldError.

    The form and the store check a value with the same function and say the same message;
    only the error's type changes, so a form collects it like its own readers' errors.
    """
    try:
        return check()
    except RecordsError as error:
        raise FieldError(error.msg_id, **error.values) from None


def read_past_date(
    value: dt.date | None, field_id: str, today: dt.date, *, required: bool = False
) -> dt.date | None:
    """A date that is not after ``today`` (a visit, session or assessment already happened)."""
    if value is None:
        if required:
            raise FieldError("error.apps_required", field=field_id)
        return None
    return records_rule(lambda: check.not_future(value, field_id, today))


def read_text(raw: str, field_id: str) -> str:
    """A record's free text without surrounding spaces, within the records' length limit."""
    return records_rule(lambda: check.short_text(raw or "", field_id))


def read_reference(raw: str, field_id: str) -> str:
    """A case or group reference within the records' length limit."""
    return records_rule(lambda: check.reference(raw, field_id))


def require(value: Any, field_id: str) -> Any:
    """The value, or FieldError "required" when it is empty."""
    if value is None or (isinstance(value, str | tuple | list | dict | set) and not value):
        raise FieldError("error.apps_required", field=field_id)
    if isinstance(value, str) and not value.strip():
        raise FieldError("error.apps_required", field=field_id)
    return value


def split_refs(raw: str) -> tuple[str, ...]:
    """Case or group references typed as a list: commas (also Chinese ones) or new lines."""
    parts = raw.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
    return tuple(dict.fromkeys(p.strip() for p in parts if p.strip()))
