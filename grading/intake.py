"""The supervisor's side of offline submissions: verify each zip, accept it or say why not.

``intake`` takes zips (from a USB stick, a chat download, an e-mail folder) and decides each
one with ``CHECKS``, a named sequence; the first check that fails is the reason:

1. ``readable``: a zip (on disk at most ``MAX_BYTES``) with a small central directory, no two
   entries of one name, and members declaring at most ``MAX_BYTES`` in all (``safezip``);
2. ``has_manifest``: ``manifest.json`` present, read capped, every field of its type
   (``manifest.parse``); the entries it does not declare are listed as ignored;
3. ``same_course``: made for this course;
4. ``safe_names``: every declared file is a plain ``*.ipynb`` name (no folders, no ``..``, no
   control characters, at most ``MAX_NAME_BYTES`` bytes);
5. ``checksums``: every declared file read streamed and capped (not encrypted, stored or
   deflate, no bigger than its header says) with the declared size and SHA-256;
6. ``known_trainee``: the trainee is enrolled (``shegong grade roster``);
7. ``known_assignment``: the assignment has been released;
8. ``not_duplicate``: this exact content (receipt) was not accepted before;
9. ``matches_file_name``: a zip named the way ``pack`` names it
   (``<assignment>+<trainee>+<receipt>.zip``, chat-app suffixes allowed) names the trainee,
   assignment and receipt the manifest gives; otherwise it is refused and flagged to the
   supervisor in the status table, naming both (a name that does not follow the pattern,
   ``submission (1).zip``, is not compared);
10. ``on_time``: packed before the due date recorded in the gradebook;
11. ``newest``: not older than the submission already received from this trainee;
12. ``notebooks_readable``: every notebook opens (JSON nested at most Python's recursion
    limit, UTF-8, valid nbformat; nbformat 3 is converted and the conversion noted).

Threat model (a zip is untrusted input from a trainee's station; one test per threat in
``tests/grading/test_intake_hostile.py``), what a hostile zip may try and what holds:

- *stop the batch*, so later zips are never looked at: encrypted members (the password flag,
  7-Zip's AES method 99), unsupported methods, wrong JSON types in the manifest, JSON nested
  200,000 deep, a 276-byte name, a zip file name on disk that is not UTF-8. Each has its own
  reason; any other exception while deciding or accepting one zip becomes that zip's
  ``unreadable`` row; every decision is stored in ``grading.db`` under a printable file name
  (GBK decoded, else with replacement characters) and the batch goes on.
- *exhaust memory*: headers lying about sizes, huge honest sizes, a huge central directory.
  Members are read streamed and capped (``safezip``): deciding a zip holds at most
  ``MAX_BYTES`` of member data plus one chunk, whatever its headers say (parsing the declared
  notebooks' JSON then costs a multiple of their size, itself within ``MAX_BYTES``).
- *write outside* ``submitted/``: ``../`` and absolute names, undeclared extras. Only the
  declared plain ``*.ipynb`` names are ever written, into a fresh folder renamed into place;
  every other entry is listed as ignored (``已忽略 / ignored``) in the decision and the CLI
  table, and for a refused zip in the status table too.
- *pass as another trainee* with an edited manifest: the name ``pack`` gave the zip is
  compared with the manifest (``matches_file_name``) and a mismatch is refused and flagged
  to the supervisor. A zip renamed off the pattern cannot be compared: the receipt code the
  trainee photographed stays the check.
- *mislead the supervisor's screen*: names with control characters or terminal markup are
  shown with control characters replaced, as plain text.

An accepted zip becomes nbgrader's ``submitted/<trainee>/<assignment>/`` (with
``timestamp.txt`` from the packing time), the same layout ``nbgrader collect`` and
``nbgrader zip_collect`` produce, so autograde does not care how a submission came.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import re
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from sqlalchemy import select

from shegong.grading import findings, inbox, store
from shegong.grading.config import CoursePaths, GradingError, GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    content_sha256,
    parse,
    receipt_code,
    receipt_of,
    sha256_bytes,
)
from shegong.grading.model import IntakeDecision, Manifest
from shegong.grading.safezip import ZipProblem, open_zip, read_member, shorten

MAX_BYTES = 50 * 1024 * 1024  # a zip on disk, and all its members inflated together
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_NAME_BYTES = 200  # a file name must fit the file system (255) with room to spare
MAX_LISTED = 20  # ignored members listed by name (then a count)
RECEIPT = r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}"
PACKED_NAME = re.compile(rf"^(?P<assignment>.+)\+(?P<trainee>[^+]+)\+(?P<receipt>{RECEIPT})")
# fmt: off
REASONS = (  # every grading.intake.<reason> a decision can carry
    "accepted", "bad_zip", "too_large", "too_many_entries", "encrypted",
    "unsupported_compression", "zip_bomb", "no_manifest", "bad_manifest", "manifest_field",
    "too_deep", "wrong_course", "unsafe_name", "long_name", "checksum", "unknown_trainee",
    "unknown_assignment", "duplicate", "identity_mismatch", "late", "older",
    "corrupt_notebook", "unreadable",
)
# fmt: on
Rejected = ZipProblem  # a check failed; ``reason`` is a catalogue code grading.intake.<reason>


@dataclass
class _Zip:
    path: Path
    archive: zipfile.ZipFile | None = None
    members: dict[str, zipfile.ZipInfo] = field(default_factory=dict)
    manifest: Manifest | None = None
    payload: dict[str, bytes] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)
    converted: list[str] = field(default_factory=list)
    written_receipt: str = ""


@dataclass(frozen=True)
class _Course:
    paths: CoursePaths
    options: GradingOptions
    students: frozenset[str]
    duedates: dict[str, dt.datetime | None]
    accepted: frozenset[str]


def display_name(path: Path) -> str:
    """The file name as text for tables and ``grading.db``: UTF-8, else GBK, else replaced."""
    raw = os.fsencode(path.name)
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", errors="replace")


def readable(item: _Zip, course: _Course) -> None:
    size = item.path.stat().st_size
    if size > MAX_BYTES:
        raise Rejected("too_large", f"{item.path.suffix or 'zip'} {size / 2**20:.0f} MB")
    item.archive, item.members = open_zip(item.path)
    inflated = sum(info.file_size for info in item.members.values())
    if inflated > MAX_BYTES:
        raise Rejected("too_large", f"Σ {inflated / 2**20:.0f} MB")


def has_manifest(item: _Zip, course: _Course) -> None:
    assert item.archive is not None
    info = item.members.get(MANIFEST_NAME)
    if info is None:
        raise Rejected("no_manifest")
    raw = read_member(item.archive, info, MANIFEST_NAME, MAX_MANIFEST_BYTES)
    item.written_receipt = receipt_of(raw)
    try:
        item.manifest = parse(raw)
    except GradingError as error:
        where = str(error.values.get("field", ""))
        if error.msg_id == "grading.error.manifest_nested":
            raise Rejected("too_deep", MANIFEST_NAME) from None
        if where == MANIFEST_NAME:
            raise Rejected("bad_manifest", "JSON") from None
        raise Rejected("manifest_field", shorten(where)) from None
    declared = {FILES_PREFIX + f.name for f in item.manifest.files} | {MANIFEST_NAME}
    ignored = [shorten(name) for name in sorted(item.members) if name not in declared]
    more = len(ignored) - MAX_LISTED
    item.ignored = ignored[:MAX_LISTED] + ([f"… (+{more})"] if more > 0 else [])


def same_course(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if item.manifest.course != course.options.course_id:
        raise Rejected("wrong_course", shorten(item.manifest.course))


def safe_names(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    for entry in item.manifest.files:
        name = entry.name
        control = any(unicodedata.category(c).startswith("C") for c in name)
        if "/" in name or "\\" in name or name.startswith(".") or control:
            raise Rejected("unsafe_name", shorten(name))
        if not name.endswith(".ipynb"):
            raise Rejected("unsafe_name", shorten(name))
        if len(name.encode("utf-8", errors="replace")) > MAX_NAME_BYTES:
            raise Rejected("long_name", shorten(name, 40))


def checksums(item: _Zip, course: _Course) -> None:
    assert item.archive is not None and item.manifest is not None
    if not item.manifest.files:
        raise Rejected("manifest_field", "files")
    budget = MAX_BYTES
    for entry in item.manifest.files:
        info = item.members.get(FILES_PREFIX + entry.name)
        if info is None:
            raise Rejected("checksum", shorten(entry.name))
        data = read_member(item.archive, info, entry.name, budget)
        budget -= len(data)
        if len(data) != entry.size or sha256_bytes(data) != entry.sha256:
            raise Rejected("checksum", shorten(entry.name))
        item.payload[entry.name] = data


def known_trainee(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if item.manifest.trainee not in course.students:
        raise Rejected("unknown_trainee", shorten(item.manifest.trainee))


def known_assignment(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if item.manifest.assignment not in course.duedates:
        raise Rejected("unknown_assignment", shorten(item.manifest.assignment))


def not_duplicate(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    if content_sha256(item.manifest) in course.accepted:
        raise Rejected("duplicate", receipt_code(item.manifest))


def name_mismatch(file_name: str, manifest: Manifest, written: str = "") -> str:
    """``""`` if the zip's name agrees with its manifest, else each difference as ``a → b``.

    The name's assignment is compared by its end, so a copy saved as ``copy-<name>`` or
    ``<name> (1).zip`` still agrees; a name that does not follow the pattern is not compared.
    ``written`` is the receipt of the manifest's bytes as found (equal to the recomputed one
    for any manifest ``pack`` wrote), so a manifest from another shegong version agrees too.
    """
    match = PACKED_NAME.match(file_name)
    if match is None:
        return ""
    named = match.group("assignment")
    pairs = [
        ("" if named.endswith(manifest.assignment) else named, manifest.assignment),
        (match.group("trainee"), manifest.trainee),
        (
            "" if match.group("receipt") == written else match.group("receipt"),
            receipt_code(manifest),
        ),
    ]
    return ", ".join(f"{a} → {b}" for a, b in pairs if a and a != b)


def matches_file_name(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    mismatch = name_mismatch(display_name(item.path), item.manifest, item.written_receipt)
    if mismatch:
        raise Rejected("identity_mismatch", mismatch)


def _packed_utc(manifest: Manifest) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(manifest.packed_at)
    except ValueError:
        raise Rejected("manifest_field", "packed_at") from None
    if stamp.tzinfo is None:
        raise Rejected("manifest_field", "packed_at")
    return stamp.astimezone(dt.UTC).replace(tzinfo=None)


def on_time(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    due = course.duedates.get(item.manifest.assignment)
    packed = _packed_utc(item.manifest)
    if due is not None and packed > due:
        raise Rejected("late", f"{item.manifest.packed_at} > {due.isoformat()} UTC")


def newest(item: _Zip, course: _Course) -> None:
    assert item.manifest is not None
    folder = course.paths.step("submitted") / item.manifest.trainee / item.manifest.assignment
    existing = CourseDirectory().get_existing_timestamp(str(folder)) if folder.exists() else None
    if existing is not None and _packed_utc(item.manifest) < existing.replace(tzinfo=None):
        raise Rejected("older", str(existing))


def notebooks_readable(item: _Zip, course: _Course) -> None:
    for name, data in item.payload.items():
        try:
            version = json.loads(data).get("nbformat")
        except RecursionError:
            raise Rejected("too_deep", shorten(name)) from None
        except (ValueError, AttributeError):
            version = None  # read_notebook says what is wrong
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "notebook.ipynb"
            path.write_bytes(data)
            nb, problem = findings.read_notebook(path)
        if nb is None:
            raise Rejected("corrupt_notebook", f"{shorten(name)}: {problem}")
        if version != nb.nbformat:
            item.converted.append(f"{shorten(name)} (nbformat {version})")


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
    matches_file_name,
    on_time,
    newest,
    notebooks_readable,
)


def _course(ctx: GradingContext) -> _Course:
    paths = ctx.paths
    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        students = frozenset(s.id for s in gb.students)
        duedates = {a.name: a.duedate for a in gb.assignments}
    table = store.receipts
    with store.connect(paths.grading_db) as db:
        accepted = frozenset(
            r[0] for r in db.execute(select(table.c.content_sha256).where(table.c.accepted))
        )
    return _Course(paths, ctx.options, students, duedates, accepted)


def _decision(path: Path, item: _Zip, reason: str, detail: str) -> IntakeDecision:
    manifest = item.manifest
    notes = tuple(f"ignored: {name}" for name in item.ignored)
    notes += tuple(f"converted: {name}" for name in item.converted)
    return IntakeDecision(
        file=display_name(path),
        accepted=reason == "accepted",
        reason=reason,
        trainee=shorten(manifest.trainee, 64) if manifest else "",
        assignment=shorten(manifest.assignment, 64) if manifest else "",
        receipt=receipt_code(manifest) if manifest else "",
        notes=notes + ((detail,) if detail else ()),
        detail=detail,
        ignored=tuple(item.ignored),
        converted=tuple(item.converted),
    )


def decide(path: Path, course: _Course) -> tuple[IntakeDecision, _Zip]:
    """Run the checks on one zip (nothing is written); never raises for a bad zip."""
    item = _Zip(path)
    try:
        for check in CHECKS:
            check(item, course)
        reason, detail = "accepted", ""
    except ZipProblem as rejection:
        reason, detail = rejection.reason, rejection.detail
    except Exception as exc:  # hostile input must never stop the batch
        reason, detail = "unreadable", type(exc).__name__
    finally:
        if item.archive is not None:
            item.archive.close()
    try:
        decision = _decision(path, item, reason, detail)
    except Exception as exc:  # a manifest intake cannot even describe
        decision = IntakeDecision(
            display_name(path), False, "unreadable", detail=type(exc).__name__
        )
        item.manifest = None
    return decision, item


def _one(path: Path, ctx: GradingContext) -> IntakeDecision:
    paths = ctx.paths
    course = _course(ctx)  # refreshed: an earlier zip may make this a duplicate
    decision, item = decide(path, course)
    try:
        if decision.accepted:
            assert item.manifest is not None
            packed = _packed_utc(item.manifest).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
            inbox.accept(item.manifest, item.payload, packed, paths)
        inbox.show_in_status(paths, decision)
    except Exception as exc:  # a zip that breaks accepting is refused, the batch goes on
        detail = type(exc).__name__
        decision = dataclasses.replace(
            decision, accepted=False, reason="unreadable", detail=detail,
            notes=(*decision.notes, detail),
        )  # fmt: skip
    inbox.log(paths, decision, item.manifest)
    with contextlib.suppress(OSError):  # the decision is stored; the inbox copy is a convenience
        inbox.file_away(path, paths, decision.accepted)
    return decision


def intake(zips: list[Path], ctx: GradingContext) -> list[IntakeDecision]:
    """Decide every zip, accept the good ones into ``submitted/``; one decision per file."""
    ctx.paths.ensure()
    return [_one(path, ctx) for path in sorted(zips, key=lambda p: p.name)]
