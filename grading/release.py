"""Build and release an assignment: a recipe of small named steps, in this order.

``RELEASE_STEPS`` is the order (a test checks it is respected):

1. ``validate_master``: the master and its rubric are sound (``masters.validate``).
2. ``write_source``: the Chinese edition becomes nbgrader's ``source/<id>/<id>.ipynb``.
3. ``generate``: nbgrader's own ``generate_assignment`` writes ``release/`` and records the
   cells (with hidden tests and checksums) in the gradebook.
4. ``write_handouts``: both language editions of the release, ``handouts/<lang>/<id>/``;
   the English one is the release with its prose swapped, so its graded cells are identical.
5. ``check_no_solutions``: no solution line and no hidden test line of the master reaches
   ``release/`` or ``handouts/`` (``leaks.find_leaks``); a leak stops the release.
6. ``publish``: nbgrader's exchange ``release_assignment`` copies the release to the local
   exchange (the hub path); offline stations get the handouts on a USB stick or by zip.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat

from shegong.grading import exchange, language, masters
from shegong.grading.config import GradingError
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.leaks import find_leaks
from shegong.grading.model import AssignmentInfo
from shegong.grading.nbconfig import nbgrader_config, write_nbgrader_config
from shegong.messages import LANGS
from shegong.progress import Reporter, SilentReporter


def nbgrader_api(ctx: GradingContext) -> object:
    """nbgrader's own API object, configured for this workspace."""
    from nbgrader.apps import NbGraderAPI  # heavy (nbgrader's apps): only when releasing

    ctx.paths.ensure()
    with open_gradebook(ctx.db_url, ctx.course_id):
        pass  # create it complete (see shegong.grading.gradebook)
    return NbGraderAPI(config=nbgrader_config(ctx))


def _checked(result: dict[str, object] | None, step: str, assignment: str) -> None:
    if result is None or not result.get("success"):
        log = str((result or {}).get("error") or (result or {}).get("log") or "")
        raise GradingError(
            "grading.error.nbgrader_step",
            step=step,
            assignment=assignment,
            detail=log.strip().splitlines()[-1][:300] if log.strip() else "-",
        )


@dataclass
class Release:
    """What releasing one assignment produced."""

    assignment: AssignmentInfo
    source: Path | None = None
    release: Path | None = None
    handouts: dict[str, Path] | None = None
    published: bool = False


def validate_master(rel: Release, ctx: GradingContext) -> None:
    masters.validate(rel.assignment)


def write_source(rel: Release, ctx: GradingContext) -> None:
    info = rel.assignment
    master = masters.read_master(info.master)
    target = ctx.paths.step("source") / info.id / f"{info.notebook}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(language.edition(master, "zh"), target)
    rel.source = target


def generate(rel: Release, ctx: GradingContext) -> None:
    api = nbgrader_api(ctx)
    result = api.generate_assignment(rel.assignment.id, force=True, create=True)  # type: ignore[attr-defined]
    _checked(result, "generate_assignment", rel.assignment.id)
    rel.release = ctx.paths.step("release") / rel.assignment.id / f"{rel.assignment.notebook}.ipynb"


def write_handouts(rel: Release, ctx: GradingContext) -> None:
    info = rel.assignment
    assert rel.release is not None  # generate ran first (RELEASE_STEPS order)
    released = nbformat.read(rel.release, as_version=4)
    master = masters.read_master(info.master)
    rel.handouts = {}
    for lang in LANGS:
        folder = ctx.paths.handouts / lang / info.id
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        target = folder / f"{info.notebook}.ipynb"
        edition = (
            released if lang == "zh" else language.switch(released, language.edition(master, lang))
        )
        nbformat.write(edition, target)
        rel.handouts[lang] = target


def check_no_solutions(rel: Release, ctx: GradingContext) -> None:
    info = rel.assignment
    folders = [ctx.paths.step("release") / info.id] + [
        ctx.paths.handouts / lang / info.id for lang in LANGS
    ]
    leaks = find_leaks(masters.read_master(info.master), folders)
    if leaks:
        for folder in folders:
            shutil.rmtree(folder, ignore_errors=True)
        first = leaks[0]
        raise GradingError(
            "grading.error.leak",
            assignment=info.id,
            path=first.path,
            line=first.line[:80],
            count=len(leaks),
        )


def publish(rel: Release, ctx: GradingContext) -> None:
    exchange.release(ctx, rel.assignment.id)
    rel.published = True


Step = Callable[[Release, GradingContext], None]
RELEASE_STEPS: tuple[Step, ...] = (
    validate_master,
    write_source,
    generate,
    write_handouts,
    check_no_solutions,
    publish,
)


def release_assignment(
    assignment: AssignmentInfo,
    ctx: GradingContext,
    *,
    exchange: bool = True,
    reporter: Reporter | None = None,
) -> Release:
    """Run the release steps for one assignment (``exchange=False`` skips ``publish``)."""
    reporter = reporter or SilentReporter()
    ctx.paths.ensure()
    write_nbgrader_config(ctx)
    rel = Release(assignment)
    for step in RELEASE_STEPS:
        if step is publish and not exchange:
            continue
        reporter.step(f"{assignment.id}: {step.__name__}")
        step(rel, ctx)
    return rel


def set_due(ctx: GradingContext, assignment: str, due: dt.datetime) -> None:
    """Record the due date in nbgrader's gradebook (intake rejects later zips)."""
    if due.tzinfo is not None:
        due = due.astimezone(dt.UTC).replace(tzinfo=None)  # nbgrader stores naive UTC
    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        gb.update_or_create_assignment(assignment, duedate=due)


def step_count(assignments: int, *, exchange: bool = True) -> int:
    """How many steps ``release_all`` reports (for a progress bar)."""
    return assignments * (len(RELEASE_STEPS) - (0 if exchange else 1))


def release_all(
    ctx: GradingContext,
    assignments: list[AssignmentInfo],
    *,
    due: dt.datetime | None = None,
    exchange: bool = True,
    reporter: Reporter | None = None,
) -> list[Release]:
    """Release each assignment in turn (and record its due date when given)."""
    done = []
    for assignment in assignments:
        done.append(release_assignment(assignment, ctx, exchange=exchange, reporter=reporter))
        if due is not None:
            set_due(ctx, assignment.id, due)
    return done
