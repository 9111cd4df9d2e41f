"""What intake does with each decision: the accepted files, the receipt row, the status flag.

``accept`` writes an accepted zip's notebooks as nbgrader's ``submitted/<trainee>/<assignment>/``
(a fresh folder renamed into place); ``log`` keeps every decision in ``grading.db``;
``show_in_status`` puts a refused zip of the trainee it names into the status table, with
the members intake ignored (never replacing a result already there; an identity mismatch is
added to that result's notes as a flag); ``file_away`` keeps a copy of the zip in ``inbox/``.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from sqlalchemy import insert

from shegong.grading import status, store
from shegong.grading.config import CoursePaths
from shegong.grading.manifest import content_sha256
from shegong.grading.model import IntakeDecision, Manifest, Note, Status

# reasons recorded in the status table (when the trainee has no status yet)
SHOWN_IN_STATUS = (
    "late",
    "checksum",
    "corrupt_notebook",
    "unknown_trainee",
    "encrypted",
    "unsupported_compression",
    "zip_bomb",
    "too_deep",
    "long_name",
)


def accept(manifest: Manifest, payload: dict[str, bytes], packed: str, paths: CoursePaths) -> None:
    """Write the files as nbgrader's submitted/<trainee>/<assignment>/ (replacing older)."""
    target = paths.step("submitted") / manifest.trainee / manifest.assignment
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".intake-", dir=target.parent))
    for name, data in payload.items():
        (staging / name).write_bytes(data)
    (staging / "timestamp.txt").write_text(packed, encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def log(paths: CoursePaths, decision: IntakeDecision, manifest: Manifest | None) -> None:
    """The decision as a row of ``receipts`` in ``grading.db``."""
    sha = content_sha256(manifest) if manifest else ""
    with store.connect(paths.grading_db) as db:
        db.execute(
            insert(store.receipts).values(
                file=decision.file,
                received_at=store.now(),
                receipt=decision.receipt,
                content_sha256=sha,
                trainee=decision.trainee,
                assignment=decision.assignment,
                accepted=decision.accepted,
                reason=decision.reason,
                notes=json.dumps([n.__dict__ for n in member_notes(decision)], ensure_ascii=False),
            )
        )


def _existing(paths: CoursePaths, assignment: str, student: str) -> status.StatusRow | None:
    return next((r for r in status.rows(paths, assignment) if r.student == student), None)


def member_notes(decision: IntakeDecision) -> list[Note]:
    """The zip's members intake did not extract, as notes (kept with the receipt)."""
    return [Note("ignored_member", detail=name) for name in decision.ignored]


def _notes(decision: IntakeDecision) -> list[Note]:
    return [Note("rejected", cell=decision.reason, detail=decision.detail), *member_notes(decision)]


def show_in_status(paths: CoursePaths, decision: IntakeDecision) -> None:
    """A refused zip of a known trainee in the status table; a flag is added, never lost."""
    if not (decision.trainee and decision.assignment) or decision.accepted:
        return
    flag = decision.reason == "identity_mismatch"
    if not flag and decision.reason not in SHOWN_IN_STATUS:
        return
    existing = _existing(paths, decision.assignment, decision.trainee)
    if existing is None:
        status.record(
            paths, decision.assignment, decision.trainee, Status.REJECTED, _notes(decision)
        )
    elif flag:  # keep the graded result; add the flag to its notes
        added = [n for n in _notes(decision)[:1] if n not in existing.notes]
        status.record(
            paths, existing.assignment, existing.student, existing.status,
            existing.notes + tuple(added), auto_score=existing.auto_score,
            auto_max=existing.auto_max, seconds=existing.seconds,
            content_hash=existing.content_hash,
        )  # fmt: skip


def file_away(path: Path, paths: CoursePaths, accepted: bool) -> None:
    folder = paths.inbox / ("accepted" if accepted else "rejected")
    folder.mkdir(parents=True, exist_ok=True)
    if path.resolve().parent != folder.resolve():
        shutil.copyfile(path, folder / path.name)


def gather(items: list[Path]) -> list[Path]:
    """The zips to take in: each file as given, each folder's ``*.zip`` files (any case of
    ``.ZIP``: Windows tools write either), in name order per folder."""
    found: list[Path] = []
    for item in items:
        path = item.resolve()
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() == ".zip")
        else:
            found.append(path)
    return found
