"""Row helpers shared by the write modules: fresh ids and diffing child collections."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Hashable, Mapping
from typing import Any, TypeVar

import sqlalchemy as sa
from sqlalchemy.orm import Session

from .models import Base


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
        for attr, value in values.items():
            if getattr(child, attr) != value:
                setattr(child, attr, value)
