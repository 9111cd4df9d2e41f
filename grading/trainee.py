"""The trainee's side of one course: what was released to me, get it, hand it in, read feedback.

This is what the 我的作业 / My assignments page calls (``shegong.widgets.apps.my_assignments``);
it runs in the trainee's own server, so every step acts as them. One ``Desk`` is one trainee
in one workspace's course, with the folder their assignments are fetched into
(``<workspace>/trainees/<trainee>/`` unless the caller gives one: on a hub, their home).

- ``assignments``: released to the trainee, from nbgrader's exchange (``outbound/``) and from
  the course's ``release/`` and ``handouts/<lang>/`` (what an offline station receives on a
  USB stick), each with its state: 可领取 available, 已领取 fetched, 已提交 submitted,
  已评分·有反馈 returned.
- ``fetch``: nbgrader's exchange ``fetch_assignment`` when the exchange holds it, else a copy
  of the handout in the trainee's language; a fetched folder is never overwritten.
- ``submit``: nbgrader's exchange ``submit`` when the exchange is reachable; otherwise, and
  for ``pack_offline``, the offline zip with its receipt code (``shegong.grading.pack``),
  written into ``<folder>/offline-zips/``.
- ``received``: the trainee's online hand-ins (nbgrader's own cache of them, and the
  exchange's ``inbound/`` where it can be listed: on a shared exchange it is 0733), their
  offline zips, and what the supervisor has collected; ``feedback_page``: the slim feedback page
  written for them (``shegong.grading.feedback``), or one fetched from the exchange.

The check (nbgrader's validator, in plain words) is ``shegong.grading.trainee_check``.
Wrong ids are refused at once, naming the valid ones (``TraineeError``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from collections.abc import Collection
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from shegong.errors import ShegongError
from shegong.grading import exchange
from shegong.grading.config import IGNORE, GradingError
from shegong.grading.context import GradingContext
from shegong.grading.masters import discover
from shegong.grading.model import AssignmentInfo
from shegong.grading.nbconfig import exchange_root, student_folder
from shegong.grading.pack import Packed, known_in_workspace, pack
from shegong.messages import Lang
from shegong.text import Bilingual

ZIP_FOLDER = "offline-zips"
SHOWN_IDS = 12  # how many valid ids an error lists


class TraineeError(ShegongError):
    """A trainee's step that cannot be done: a wrong id, nothing to hand in, no exchange."""


class State(StrEnum):
    AVAILABLE = "available"  # 可领取
    FETCHED = "fetched"  # 已领取
    SUBMITTED = "submitted"  # 已提交
    RETURNED = "returned"  # 已评分·有反馈


@dataclass(frozen=True)
class Receipt:
    """One hand-in the trainee can point to: online (exchange) or an offline zip."""

    kind: str  # "online", "offline" or "collected"
    when: str  # nbgrader's timestamp, or the zip's time
    receipt: str = ""  # the offline zip's receipt code
    path: Path | None = None


@dataclass(frozen=True)
class Assignment:
    """One released assignment as the trainee sees it."""

    id: str
    title: Bilingual
    state: State
    received: tuple[Receipt, ...]
    feedback: Path | None


@dataclass(frozen=True)
class Handed:
    """What ``submit`` or ``pack_offline`` did: online, or a zip with its receipt."""

    online: bool
    assignment: str
    packed: Packed | None = None


@dataclass(frozen=True)
class Desk:
    """One trainee in one course, and the folder their assignments are fetched into."""

    ctx: GradingContext
    trainee: str
    home: Path
    lang: Lang = "zh"

    @property
    def course_exchange(self) -> Path:
        return exchange_root(self.ctx) / self.ctx.course_id

    def folder(self, assignment: str) -> Path:
        return student_folder(self.ctx, self.home, assignment)


def listed(ids: Collection[str]) -> str:
    ordered = sorted(ids)
    more = len(ordered) - SHOWN_IDS
    return ", ".join(ordered[:SHOWN_IDS]) + (f", … (+{more})" if more > 0 else "")


def default_home(ctx: GradingContext, trainee: str) -> Path:
    return ctx.paths.workspace.root / "trainees" / trainee


def open_desk(
    ctx: GradingContext,
    trainee: str,
    home: Path | None = None,
    *,
    lang: Lang = "zh",
    trainees: Collection[str] | None = None,
) -> Desk:
    """The trainee's desk; TraineeError naming valid ids if ``trainee`` is not known.

    ``trainees``: the valid ids (default: the workspace's gradebook or data world, as
    ``shegong grade pack`` uses); when nothing is known, any id is taken.
    """
    known = known_in_workspace(ctx)[0] if trainees is None else frozenset(trainees)
    if known and trainee not in known:
        raise TraineeError("trainee.error.unknown_trainee", trainee=trainee, known=listed(known))
    if not trainee or "+" in trainee or "/" in trainee:
        raise TraineeError("trainee.error.unknown_trainee", trainee=trainee, known=listed(known))
    return Desk(ctx, trainee, home or default_home(ctx, trainee), lang)


# --- where an assignment comes from -------------------------------------------------------


def _sources(desk: Desk, assignment: str) -> list[Path]:
    """Folders holding the released notebooks, the exchange first."""
    paths = desk.ctx.paths
    other: Lang = "en" if desk.lang == "zh" else "zh"
    return [
        desk.course_exchange / "outbound" / assignment,
        paths.handouts / desk.lang / assignment,
        paths.step("release") / assignment,
        paths.handouts / other / assignment,
    ]


def released_ids(desk: Desk) -> list[str]:
    """Assignments released to the trainee, in the course's order."""
    paths = desk.ctx.paths
    roots = [desk.course_exchange / "outbound", paths.step("release"), *paths.handouts.glob("*")]
    found = {
        p.name
        for root in roots
        if root.is_dir()
        for p in root.iterdir()
        if p.is_dir() and any(p.glob("*.ipynb"))
    }
    order = {a.id: (a.order, a.id) for a in _masters()}
    return sorted(found, key=lambda a: order.get(a, (999, a)))


@cache
def _masters() -> tuple[AssignmentInfo, ...]:
    """The course's assignments (for their order and titles); read once per process."""
    try:
        return tuple(discover())
    except GradingError:
        return ()


def title(assignment: str) -> Bilingual:
    for info in _masters():
        if info.id == assignment:
            return Bilingual(info.title_zh, info.title_en)
    return Bilingual(assignment, assignment)


def check_assignment(desk: Desk, assignment: str) -> None:
    """TraineeError naming the released assignments if ``assignment`` is not one."""
    known = released_ids(desk)
    if assignment not in known:
        raise TraineeError(
            "trainee.error.unknown_assignment", assignment=assignment, known=listed(known)
        )


def original(desk: Desk, assignment: str, name: str) -> Path | None:
    """The released notebook ``name`` as handed out (to see what the trainee changed)."""
    for folder in _sources(desk, assignment):
        if (folder / name).is_file():
            return folder / name
    return None


def online(desk: Desk) -> bool:
    """True when nbgrader's exchange can take a submission (its ``inbound/`` is writable)."""
    inbound = desk.course_exchange / "inbound"
    return inbound.is_dir() and os.access(inbound, os.W_OK | os.X_OK)


# --- the steps -------------------------------------------------------------------------------


def fetch(desk: Desk, assignment: str) -> Path:
    """Get the assignment into the trainee's folder (kept as is when already there)."""
    check_assignment(desk, assignment)
    target = desk.folder(assignment)
    if notebooks(desk, assignment):
        return target
    desk.home.mkdir(parents=True, exist_ok=True)
    if (desk.course_exchange / "outbound" / assignment).is_dir():
        if target.is_dir() and not any(target.iterdir()):
            target.rmdir()  # nbgrader refuses an existing folder, even an empty one
        return exchange.fetch(desk.ctx, assignment, desk.trainee, desk.home)
    source = next(f for f in _sources(desk, assignment) if f.is_dir() and any(f.glob("*.ipynb")))
    shutil.copytree(source, target, dirs_exist_ok=True, ignore=shutil.ignore_patterns(*IGNORE))
    return target


def notebooks(desk: Desk, assignment: str) -> list[Path]:
    """The trainee's notebooks of this assignment (none before it is fetched)."""
    return sorted(desk.folder(assignment).glob("*.ipynb"))


def fetched_notebooks(desk: Desk, assignment: str) -> list[Path]:
    """The trainee's notebooks; TraineeError if the assignment is unknown or not fetched."""
    check_assignment(desk, assignment)
    found = notebooks(desk, assignment)
    if not found:
        raise TraineeError("trainee.error.not_fetched", assignment=assignment)
    return found


def pack_offline(desk: Desk, assignment: str) -> Handed:
    """The offline zip with its receipt code, in ``<folder>/offline-zips/``."""
    found = fetched_notebooks(desk, assignment)
    packed = pack(
        found,
        desk.trainee,
        assignment,
        desk.home / ZIP_FOLDER,
        course=desk.ctx.course_id,
        scale=desk.ctx.settings.scale,
        seed=desk.ctx.settings.seed,
    )
    return Handed(False, assignment, packed)


def submit(desk: Desk, assignment: str) -> Handed:
    """Hand in through nbgrader's exchange when it is reachable, else as an offline zip."""
    fetched_notebooks(desk, assignment)
    if not online(desk):
        return pack_offline(desk, assignment)
    exchange.submit(desk.ctx, assignment, desk.trainee, desk.home)
    return Handed(True, assignment)


# --- what came of it ----------------------------------------------------------------------


def _stamp(path: Path) -> str:
    when = dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
    return when.strftime("%Y-%m-%d %H:%M")


def _nbgrader_time(raw: str) -> str:
    """nbgrader's ``2026-03-02 01:00:00.000000 UTC`` in this machine's time (``09:00`` in
    Sichuan), as the offline zips' times are; unreadable text is shown as it is."""
    try:
        when = dt.datetime.strptime(raw.strip().removesuffix(" UTC")[:19], "%Y-%m-%d %H:%M:%S")
    except ValueError:
        return raw.strip()[:16]
    return when.replace(tzinfo=dt.UTC).astimezone().strftime("%Y-%m-%d %H:%M")


def received(desk: Desk, assignment: str) -> tuple[Receipt, ...]:
    """The trainee's hand-ins of ``assignment``, oldest first."""
    found: list[Receipt] = []
    seen: set[str] = set()
    # nbgrader's cache first (the trainee's own record; a shared inbound/ is 0733), then
    # inbound/ where it can be listed (the same hand-in, by its time, is listed once)
    for folder in (
        exchange.cache_folder(desk.ctx) / desk.ctx.course_id,
        desk.course_exchange / "inbound",
    ):
        try:
            entries = sorted(folder.glob(f"{desk.trainee}+{assignment}+*"))
        except OSError:
            continue
        for path in entries:
            parts = path.name.split("+")
            ours = len(parts) >= 3 and parts[0] == desk.trainee and parts[1] == assignment
            if ours and parts[2] not in seen:
                seen.add(parts[2])
                found.append(Receipt("online", _nbgrader_time(parts[2]), path=path))
    for path in (desk.home / ZIP_FOLDER).glob(f"{assignment}+{desk.trainee}+*.zip"):
        code = path.stem.split("+")[-1]
        found.append(Receipt("offline", _stamp(path), code, path))
    collected = desk.ctx.paths.step("submitted") / desk.trainee / assignment
    if collected.is_dir() and not found:
        stamp = collected / "timestamp.txt"
        when = _nbgrader_time(stamp.read_text()) if stamp.is_file() else _stamp(collected)
        found.append(Receipt("collected", when, path=collected))
    return tuple(sorted(found, key=lambda r: r.when))


def feedback_page(desk: Desk, assignment: str) -> Path | None:
    """The feedback page returned to the trainee, in their language when there is one."""
    folder = desk.ctx.paths.step("feedback") / desk.trainee / assignment
    candidates = [
        *sorted((folder / "bilingual").glob(f"*.{desk.lang}.html")),
        *sorted(folder.glob("*.html")),
        *sorted((desk.folder(assignment) / "feedback").glob("*/*.html"), reverse=True),
    ]
    return candidates[0] if candidates else None


def state_of(fetched: bool, hand_ins: tuple[Receipt, ...], feedback: Path | None) -> State:
    if feedback is not None:
        return State.RETURNED
    if hand_ins:
        return State.SUBMITTED
    return State.FETCHED if fetched else State.AVAILABLE


def assignments(desk: Desk) -> list[Assignment]:
    """Every assignment released to the trainee, with its state."""
    shown = []
    for assignment in released_ids(desk):
        hand_ins = received(desk, assignment)
        page = feedback_page(desk, assignment)
        state = state_of(bool(notebooks(desk, assignment)), hand_ins, page)
        shown.append(Assignment(assignment, title(assignment), state, hand_ins, page))
    return shown
