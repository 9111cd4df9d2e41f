"""The status of every submission: a table in ``grading.db`` and a CSV a supervisor opens.

Each status and each note has an explanation in the catalogue (``grading.status.<status>``,
``grading.note.<code>``), so nothing reaches a supervisor as a bare 0: a corrupt notebook
says it is corrupt and why, a restored test names the cell, a timeout names the cell.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import and_, delete, insert, select
from sqlalchemy.engine import Connection, Engine

from shegong.exports import to_csv_excel
from shegong.grading import store
from shegong.grading.config import CoursePaths
from shegong.grading.model import Note, Status
from shegong.messages import Lang, catalogue, text


@dataclass(frozen=True)
class StatusRow:
    assignment: str
    student: str
    status: Status
    notes: tuple[Note, ...]
    auto_score: float
    auto_max: float
    seconds: float
    content_hash: str
    updated_at: str


def _notes_json(notes: tuple[Note, ...] | list[Note]) -> str:
    return json.dumps([n.__dict__ for n in notes], ensure_ascii=False)


def record(
    paths: CoursePaths,
    assignment: str,
    student: str,
    status: Status,
    notes: tuple[Note, ...] | list[Note] = (),
    *,
    auto_score: float = 0.0,
    auto_max: float = 0.0,
    seconds: float = 0.0,
    content_hash: str = "",
    engine: Engine | None = None,
) -> None:
    """Write (or replace) the status of one submission (committed at once).

    ``engine`` lets a caller that records many statuses reuse one engine.
    """
    key = and_(
        store.submission_status.c.assignment == assignment,
        store.submission_status.c.student == student,
    )
    context = engine.begin() if engine is not None else store.connect(paths.grading_db)
    with context as db:
        db.execute(delete(store.submission_status).where(key))
        db.execute(
            insert(store.submission_status).values(
                assignment=assignment,
                student=student,
                status=str(status),
                notes=_notes_json(notes),
                auto_score=auto_score,
                auto_max=auto_max,
                seconds=seconds,
                content_hash=content_hash,
                updated_at=store.now(),
            )
        )


def rows(paths: CoursePaths, assignment: str | None = None) -> list[StatusRow]:
    """Every recorded status (of one assignment), by assignment and student."""
    table = store.submission_status
    query = select(table).order_by(table.c.assignment, table.c.student)
    if assignment is not None:
        query = query.where(table.c.assignment == assignment)
    with store.connect(paths.grading_db) as db:
        found = db.execute(query).mappings().all()
        intake = _intake_notes(db)
    return [
        StatusRow(
            assignment=r["assignment"],
            student=r["student"],
            status=Status(r["status"]),
            notes=_with(
                tuple(Note(**n) for n in json.loads(r["notes"])),
                intake.get((r["assignment"], r["student"]), ()),
            ),
            auto_score=float(r["auto_score"]),
            auto_max=float(r["auto_max"]),
            seconds=float(r["seconds"]),
            content_hash=r["content_hash"],
            updated_at=r["updated_at"],
        )
        for r in found
    ]


def _intake_notes(db: Connection) -> dict[tuple[str, str], tuple[Note, ...]]:
    """The notes of each (assignment, trainee)'s newest accepted receipt (what was left out)."""
    table = store.receipts
    query = select(table.c.assignment, table.c.trainee, table.c.notes).where(table.c.accepted)
    newest: dict[tuple[str, str], tuple[Note, ...]] = {}
    for assignment, trainee, notes in db.execute(query.order_by(table.c.id)):
        newest[(assignment, trainee)] = tuple(Note(**n) for n in json.loads(notes or "[]"))
    return newest


def _with(notes: tuple[Note, ...], more: tuple[Note, ...]) -> tuple[Note, ...]:
    return notes + tuple(n for n in more if n not in notes)


def explain_note(note: Note, lang: Lang) -> str:
    """One note as a sentence in ``lang``."""
    detail = note.detail or "-"
    if note.code == "rejected":  # ``cell`` holds the intake reason code
        detail = text(f"grading.intake.{note.cell}", lang, detail=detail)
    if note.code == "interference":  # ``detail`` lists what the checker saw, by code
        sign = "；" if lang == "zh" else "; "
        known = catalogue()
        detail = sign.join(
            text(f"grading.interference.{c}", lang) if f"grading.interference.{c}" in known else c
            for c in note.detail.split(", ")
        )
    return text(f"grading.note.{note.code}", lang, cell=note.cell or "-", detail=detail)


def explain_status(status: Status, lang: Lang) -> str:
    return text(f"grading.status.{status}", lang)


def write_csv(paths: CoursePaths) -> Path:
    """``course/status.csv``: every status with its explanation in Chinese and English."""
    import pandas as pd  # heavy: only when the CSV is written (the panel reads rows)

    table = pd.DataFrame(
        [
            {
                "assignment": r.assignment,
                "student": r.student,
                "status": str(r.status),
                "status_zh": explain_status(r.status, "zh"),
                "status_en": explain_status(r.status, "en"),
                "notes_zh": "；".join(explain_note(n, "zh") for n in r.notes),
                "notes_en": "; ".join(explain_note(n, "en") for n in r.notes),
                "auto_score": r.auto_score,
                "auto_max": r.auto_max,
                "seconds": round(r.seconds, 1),
                "updated_at": r.updated_at,
            }
            for r in rows(paths)
        ],
        columns=[
            "assignment",
            "student",
            "status",
            "status_zh",
            "status_en",
            "notes_zh",
            "notes_en",
            "auto_score",
            "auto_max",
            "seconds",
            "updated_at",
        ],
    )
    return to_csv_excel(table, paths.status_csv)
