"""The records schema's foundations: the declarative base, column types and row mixins.

``Base`` carries one constraint naming convention (so migrations can name what they drop) and
maps ``datetime`` to ``UTCDateTime``: UTC, stored naive on SQLite and as ``timestamptz`` on
PostgreSQL, always read back timezone-aware. ``choice_column`` stores a choice
(``choices.py``) as a short string with a CHECK constraint (no native enum types, so SQLite
and PostgreSQL behave alike). ``Stamped`` rows keep their creation and change times;
``Versioned`` rows are the records pages edit, with a version for conflicts.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, ClassVar

import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from .choices import Choice

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


def choice_column(kind: type[Choice], name: str, *allowed: Choice) -> sa.Enum:
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
