"""A test helper: a draft as a page that saw the latest saved version would send it."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

from shegong.records import RecordsStore, models

Draft = TypeVar("Draft")
_IDS = (
    ("session_id", models.SupervisionSession),
    ("evaluation_id", models.Evaluation),
    ("assessment_id", models.CompetencyAssessment),
)


def latest(store: RecordsStore, draft: Draft) -> Draft:
    """``draft`` with ``version`` set to the stored record's (None when there is none)."""
    for field, model in _IDS:
        record_id: Any = getattr(draft, field, None)
        if record_id is not None:
            with store.reading() as session:
                row = session.get(model, record_id)
                version = None if row is None else row.version
            return dataclasses.replace(draft, version=version)  # type: ignore[type-var]
    raise TypeError(f"not a draft: {draft!r}")
