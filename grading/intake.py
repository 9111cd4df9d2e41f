"""The supervisor's side of offline submissions: verify each zip, accept it or say why not.

``intake`` takes zips (from a USB stick, a chat download, an e-mail folder) and decides each
one with ``CHECKS``, a named sequence; the first check that fails is the reason:

1. ``readable``: a zip whose entries pass their CRC checks and stay under the size limit;
2. ``has_manifest``: ``manifest.json`` present and well formed (``manifest.parse``);
3. ``same_course``: made for this course;
4. ``safe_names``: every declared file is a plain ``*.ipynb`` name (no folders, no ``..``);
5. ``checksums``: every declared file present with the declared size and SHA-256;
6. ``known_trainee``: the trainee is enrolled (``shegong grade roster``);
7. ``known_assignment``: the assignment has been released;
8. ``not_duplicate``: this exact content (receipt) was not accepted before;
9. ``on_time``: packed before the due date recorded in the gradebook;
10. ``newest``: not older than the submission already received from this trainee;
11. ``notebooks_readable``: every notebook opens (JSON, UTF-8, valid nbformat).

An accepted zip becomes nbgrader's ``submitted/<trainee>/<assignment>/`` (with
``timestamp.txt`` from the packing time), the same layout ``nbgrader collect`` and
``nbgrader zip_collect`` produce, so autograde does not care how a submission came.
Entries the manifest does not declare (including names that are not valid UTF-8) are not
extracted; each is listed in the decision. Every decision is kept in ``grading.db``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import and_, insert, select

from shegong.grading import findings, status, store
from shegong.grading.config import CoursePaths, GradingError, GradingOptions
from shegong.grading.gradebook import open_gradebook
from shegong.grading.manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    content_sha256,
    parse,
    receipt_code,
    sha256_bytes,
)
from shegong.grading.model import IntakeDecision, Manifest, Note, Status

MAX_BYTES = 50 * 1024 * 1024


class Rejected(Exception):
    """A check failed; ``reason`` is a catalogue code ``grading.intake.<reason>``."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


@dataclass
class _Zip:
    path: Path
    archive: zipfile.ZipFile | None = None
    manifest: Manifest | None = None
    payload: dict[str, bytes] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Course:
    paths: CoursePaths
    options: GradingOptions
    students: frozenset[str]
    duedates: dict[str, dt.datetime | None]
    accepted: frozenset[str]


def readable(item: _Zip, course: _Course) -> None:
    try:
        item.archive = zipfile.ZipFile(item.path)
        bad = item.archive.testzip()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise Rejected("bad_zip", str(exc)[:80]) from None
    if bad is not None:
        raise Rejected("bad_zip", repr(bad)[:80])
    if sum(info.file_size for info in item.archive.infolist()) > MAX_BYTES:
        raise Rejected("too_large")


def has_manifest(item: _Zip, course: _Course) -> None:
    assert item.archive is not None
    try:
        raw = item.archive.read(MANIFEST_NAME)
    except KeyError:
        raise Rejected("no_manifest") from None
    try:
        item.manifest = parse(raw)
    except GradingError as error:
        raise Rejected("bad_manifest", str(error.values.get("field", ""))) from None
    declared = {FILES_PREFIX + f.name for f in item.manifest.files} | {MANIFEST_NAME}
    for info in item.archive.infolist():
        if info.filename not in declared and not info.is_dir():
            item.notes.append(f"ignored:{info.filename!r}"[:120])


def same_course(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if item.manifest.course != course.options.course_id:
        raise Rejected("wrong_course", item.manifest.course)


def safe_names(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    for entry in item.manifest.files:
        name = entry.name
        if "/" in name or "\\" in name or name.startswith(".") or not name.endswith(".ipynb"):
            raise Rejected("unsafe_name", name[:80])


def checksums(item: _Zip, course: _Course) -> None:
    assert item.archive is not None and item.manifest is not None
    if not item.manifest.files:
        raise Rejected("bad_manifest", "files")
    for entry in item.manifest.files:
        try:
            data = item.archive.read(FILES_PREFIX + entry.name)
        except KeyError:
            raise Rejected("checksum", entry.name) from None
        if len(data) != entry.size or sha256_bytes(data) != entry.sha256:
            raise Rejected("checksum", entry.name)
        item.payload[entry.name] = data


def known_trainee(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if item.manifest.trainee not in course.students:
        raise Rejected("unknown_trainee", item.manifest.trainee)


def known_assignment(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if item.manifest.assignment not in course.duedates:
        raise Rejected("unknown_assignment", item.manifest.assignment)


def not_duplicate(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if content_sha256(item.manifest) in course.accepted:
        raise Rejected("duplicate", receipt_code(item.manifest))


def _packed_utc(manifest: Manifest) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(manifest.packed_at)
    except ValueError:
        raise Rejected("bad_manifest", "packed_at") from None
    if stamp.tzinfo is None:
        raise Rejected("bad_manifest", "packed_at")
    return stamp.astimezone(dt.UTC).replace(tzinfo=None)


def on_time(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    due = course.duedates.get(item.manifest.assignment)
    packed = _packed_utc(item.manifest)
    if due is not None and packed > due:
        raise Rejected("late", f"{item.manifest.packed_at} > {due.isoformat()} UTC")


def newest(item: _Zip, course: _Course) -> None:
    from nbgrader.coursedir import CourseDirectory

    assert item.manifest is not None
    folder = course.paths.step("submitted") / item.manifest.trainee / item.manifest.assignment
    existing = CourseDirectory().get_existing_timestamp(str(folder)) if folder.exists() else None
    if existing is not None and _packed_utc(item.manifest) < existing.replace(tzinfo=None):
        raise Rejected("older", str(existing))


def notebooks_readable(item: _Zip, course: _Course) -> None:
    for name, data in item.payload.items():
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(data)
            nb, problem = findings.read_notebook(path)
        if nb is None:
            raise Rejected("corrupt_notebook", f"{name}: {problem}")


Check = Callable[[_Zip, _Course], None]
CHECKS: tuple[Check, ...] = (
    readable,
    has_manifest,
    same_course,
    safe_names,
    checksums,
    known_trainee,
    known_assignment,
    not_duplicate,
    on_time,
    newest,
    notebooks_readable,
)


def _course(paths: CoursePaths, options: GradingOptions) -> _Course:
    with open_gradebook(paths.db_url, options.course_id) as gb:
        students = frozenset(s.id for s in gb.students)
        duedates = {a.name: a.duedate for a in gb.assignments}
    table = store.receipts
    with store.connect(paths.grading_db) as db:
        accepted = frozenset(
            r[0] for r in db.execute(select(table.c.content_sha256).where(table.c.accepted))
        )
    return _Course(paths, options, students, duedates, accepted)


def _accept(item: _Zip, paths: CoursePaths) -> None:
    """Write the files as nbgrader's submitted/<trainee>/<assignment>/ (replacing older)."""
    assert item.manifest is not None
    manifest = item.manifest
    target = paths.step("submitted") / manifest.trainee / manifest.assignment
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".intake-", dir=target.parent))
    for name, data in item.payload.items():
        (staging / name).write_bytes(data)
    packed = _packed_utc(manifest).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
    (staging / "timestamp.txt").write_text(packed, encoding="utf-8")
    if target.exists():
        shutil.rmtree(target)
    staging.rename(target)


def decide(path: Path, course: _Course) -> tuple[IntakeDecision, _Zip]:
    """Run the checks on one zip (nothing is written)."""
    item = _Zip(path)
    try:
        for check in CHECKS:
            check(item, course)
        reason, detail = "accepted", ""
    except Rejected as rejection:
        reason, detail = rejection.reason, rejection.detail
    finally:
        if item.archive is not None:
            item.archive.close()
    manifest = item.manifest
    notes = tuple(item.notes) + ((detail,) if detail else ())
    decision = IntakeDecision(
        file=path.name,
        accepted=reason == "accepted",
        reason=reason,
        trainee=manifest.trainee if manifest else "",
        assignment=manifest.assignment if manifest else "",
        receipt=receipt_code(manifest) if manifest else "",
        notes=notes,
    )
    return decision, item


def _log(paths: CoursePaths, decision: IntakeDecision, item: _Zip) -> None:
    sha = content_sha256(item.manifest) if item.manifest else ""
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
            )
        )


def _has_status(paths: CoursePaths, assignment: str, student: str) -> bool:
    table = store.submission_status
    key = and_(table.c.assignment == assignment, table.c.student == student)
    with store.connect(paths.grading_db) as db:
        return db.execute(select(table.c.status).where(key)).first() is not None


def _file_away(path: Path, paths: CoursePaths, accepted: bool) -> None:
    folder = paths.inbox / ("accepted" if accepted else "rejected")
    folder.mkdir(parents=True, exist_ok=True)
    if path.resolve().parent != folder.resolve():
        shutil.copyfile(path, folder / path.name)


def intake(zips: list[Path], paths: CoursePaths, options: GradingOptions) -> list[IntakeDecision]:
    """Decide every zip, accept the good ones into ``submitted/``; one decision per file."""
    paths.ensure()
    decisions = []
    for path in sorted(zips, key=lambda p: p.name):
        course = _course(paths, options)  # refreshed: an earlier zip may make this a duplicate
        decision, item = decide(path, course)
        if decision.accepted:
            _accept(item, paths)
        elif (
            decision.trainee
            and decision.assignment
            and decision.reason
            in (
                "late",
                "checksum",
                "corrupt_notebook",
                "unknown_trainee",
            )
            and not _has_status(paths, decision.assignment, decision.trainee)
        ):
            note = Note(
                "rejected",
                cell=decision.reason,
                detail=decision.notes[-1] if decision.notes else "",
            )
            status.record(paths, decision.assignment, decision.trainee, Status.REJECTED, [note])
        _log(paths, decision, item)
        _file_away(path, paths, decision.accepted)
        decisions.append(decision)
    return decisions
