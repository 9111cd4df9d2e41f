"""The trainee's side of an offline submission: one zip with a manifest and a receipt code.

``pack`` checks every notebook can be read *before* the trainee travels (a broken file is
refused here, with the reason, not discovered in Chengdu a week later), writes
``<assignment>+<trainee>+<receipt>.zip`` holding ``manifest.json`` and ``files/<name>``, and
returns the receipt code to photograph. File names inside the zip are the assignment's
ASCII notebook names, so the zip opens the same on any system.

A wrong trainee id or assignment name is refused at once, naming the valid ones, when the
workspace knows them (``known_in_workspace``: the gradebook's students or the simulated
world's trainees; the assignments released into ``release/`` or ``handouts/<lang>/``), so a
typo is fixed at the station rather than rejected at intake.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from shegong.grading import findings
from shegong.grading.config import GradingError
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.language import notebook_lang
from shegong.grading.manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    canonical,
    file_entry,
    receipt_code,
)
from shegong.grading.model import Manifest

SHOWN_IDS = 12  # how many valid trainee ids an error lists


@dataclass(frozen=True)
class Packed:
    path: Path
    receipt: str
    manifest: Manifest


def pack(
    notebooks: list[Path],
    trainee: str,
    assignment: str,
    out_dir: Path,
    *,
    course: str = "shegong",
    scale: str = "county",
    seed: int = 2022,
    packed_at: dt.datetime | None = None,
    trainees: Collection[str] | None = None,
    assignments: Collection[str] | None = None,
) -> Packed:
    """Zip the trainee's notebooks of one assignment with a manifest; returns the receipt.

    ``trainees`` and ``assignments``, when given (not empty), are the valid ids: anything
    else is refused before a file is read (``check_known``).
    """
    check_known(trainee, assignment, trainees, assignments)
    if not notebooks:
        raise GradingError("grading.error.pack_empty", assignment=assignment)
    lang = "zh"
    for path in notebooks:
        nb, problem = findings.read_notebook(path)
        if nb is None:
            raise GradingError("grading.error.pack_unreadable", path=path, detail=problem)
        lang = notebook_lang(nb)
    stamp = (packed_at or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    manifest = Manifest(
        trainee=trainee,
        assignment=assignment,
        course=course,
        packed_at=stamp,
        files=tuple(file_entry(p) for p in sorted(notebooks)),
        lang=lang,
        scale=scale,
        seed=seed,
    )
    receipt = receipt_code(manifest)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{assignment}+{trainee}+{receipt}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_NAME, canonical(manifest))
        for path in sorted(notebooks):
            archive.write(path, FILES_PREFIX + path.name)
    return Packed(target, receipt, manifest)


def _listed(ids: Collection[str]) -> str:
    ordered = sorted(ids)
    more = len(ordered) - SHOWN_IDS
    return ", ".join(ordered[:SHOWN_IDS]) + (f", … (+{more})" if more > 0 else "")


def check_known(
    trainee: str,
    assignment: str,
    trainees: Collection[str] | None,
    assignments: Collection[str] | None,
) -> None:
    """GradingError naming the valid ids if ``trainee`` or ``assignment`` is not known."""
    if assignments and assignment not in assignments:
        raise GradingError(
            "grading.error.pack_unknown_assignment",
            assignment=assignment,
            known=_listed(assignments),
        )
    if trainees and trainee not in trainees:
        raise GradingError(
            "grading.error.pack_unknown_trainee", trainee=trainee, known=_listed(trainees)
        )


def known_in_workspace(ctx: GradingContext) -> tuple[frozenset[str], frozenset[str]]:
    """The trainee ids and released assignments this workspace knows (empty if none)."""
    from shegong.grading.roster import trainees  # pandas and the data world: only if needed

    settings, paths = ctx.settings, ctx.paths
    people: set[str] = set()
    if paths.gradebook.is_file():
        with open_gradebook(ctx.db_url, ctx.course_id) as gb:
            people |= {s.id for s in gb.students}
    world = paths.workspace.data_dir(settings.scale, settings.seed)
    if not people and (world / "workers.parquet").is_file():
        people |= set(trainees(settings)["worker_id"].astype(str))
    folders = [paths.step("release"), *paths.handouts.glob("*")]
    released = {
        p.name for folder in folders if folder.is_dir() for p in folder.iterdir() if p.is_dir()
    }
    return frozenset(people), frozenset(released)


def pack_in_workspace(
    ctx: GradingContext, notebooks: list[Path], trainee: str, assignment: str, out_dir: Path
) -> Packed:
    """``pack`` with this workspace's course, data world and known ids (the CLI's way)."""
    trainees, assignments = known_in_workspace(ctx)
    return pack(
        notebooks,
        trainee,
        assignment,
        out_dir,
        course=ctx.course_id,
        scale=ctx.settings.scale,
        seed=ctx.settings.seed,
        trainees=trainees,
        assignments=assignments,
    )
