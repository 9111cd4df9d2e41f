"""Repair a submission's nbgrader markings from the release, so honest work is graded.

Editing a notebook in JupyterLab can break nbgrader's cell metadata without any intent:
"split cell" copies an answer cell's metadata into both halves (two cells with one
``grade_id``, or a half with nbgrader metadata and no ``grade_id``), and a misclick marks
an answer cell as a grade cell. nbgrader then refuses the whole notebook and correct work
scored 0 as if the kernel had crashed.

The box's stripped gradebook knows every cell of the release (``grade_id``, type, whether
it is a solution, grade or locked cell, its points), so ``repair``:

1. merges consecutive parts of a split answer cell back into one cell (the code runs as
   the trainee wrote it, in order; ``repaired_split``);
2. for a ``grade_id`` seen again later, keeps the first: a later answer cell loses its
   markings (its code still runs), a later copy of a locked or test cell is dropped (the
   first is restored from the release by nbgrader anyway) (``repaired_metadata``);
3. removes markings from cells the release does not know (no ``grade_id``, or an unknown
   one), their code still runs (``repaired_unknown``);
4. restores the release's markings on cells whose flags or points changed
   (``repaired_metadata``, naming what changed).

Nothing here can raise a score above what the cells' code earns: tests are never added or
edited (nbgrader restores them from the release), points come from the release.
"""

from __future__ import annotations

from dataclasses import dataclass

from nbformat import NotebookNode

from shegong.grading import cells
from shegong.grading.gradebook import open_gradebook
from shegong.grading.model import Note

FLAGS = ("grade", "solution", "locked")


@dataclass(frozen=True)
class ReleasedCell:
    """What the release's gradebook says about one cell."""

    grade: bool
    solution: bool
    locked: bool
    points: float | None


def released_cells(db_url: str, course_id: str, notebook: str, assignment: str) -> dict:
    """Every nbgrader cell of the release, by ``grade_id`` (from the box's gradebook)."""
    with open_gradebook(db_url, course_id) as gb:
        record = gb.find_notebook(notebook, assignment)
        grade = {str(c.name): float(c.max_score) for c in record.grade_cells}
        solutions = {str(c.name) for c in record.solution_cells}
        locked = {str(c.name) for c in record.source_cells if c.locked}
        names = {str(c.name) for c in record.source_cells} | set(grade) | solutions
    return {
        name: ReleasedCell(name in grade, name in solutions, name in locked, grade.get(name))
        for name in names
    }


def _is_part(cell: NotebookNode, previous: NotebookNode | None, known: dict) -> bool:
    """Is ``cell`` the second half of a split of the answer cell ``previous``?"""
    meta = cells.nbgrader(cell)
    if previous is None or not meta or cell.get("cell_type") != previous.get("cell_type"):
        return False
    gid = cells.grade_id(previous)
    if gid not in known or not known[gid].solution:
        return False
    own = meta.get("grade_id")
    return own == gid or (own is None and bool(meta.get("solution") or meta.get("grade")))


def _strip(cell: NotebookNode) -> None:
    cell.metadata.pop("nbgrader", None)


def _merge_splits(nb: NotebookNode, known: dict) -> list[Note]:
    kept: list[NotebookNode] = []
    parts: dict[str, int] = {}
    for cell in nb.cells:
        previous = kept[-1] if kept else None
        if previous is not None and _is_part(cell, previous, known):
            joiner = "\n" if cell.get("cell_type") == "code" else "\n\n"
            previous.source = previous.source.rstrip("\n") + joiner + cell.source
            gid = str(cells.grade_id(previous))
            parts[gid] = parts.get(gid, 1) + 1
            continue
        kept.append(cell)
    nb.cells = kept
    return [Note("repaired_split", cell=gid, detail=str(n)) for gid, n in parts.items()]


def _markings(cell: NotebookNode, release: ReleasedCell) -> list[str]:
    meta = cells.nbgrader(cell)
    changed = [flag for flag in FLAGS if bool(meta.get(flag)) != getattr(release, flag)]
    if release.grade and float(meta.get("points", -1) or 0) != release.points:
        changed.append("points")
    return changed


def _restore(cell: NotebookNode, gid: str, release: ReleasedCell) -> None:
    meta = {flag: getattr(release, flag) for flag in FLAGS}
    meta.update(grade_id=gid, schema_version=3)
    if release.grade:
        meta["points"] = release.points
    cell.metadata["nbgrader"] = meta


def repair(nb: NotebookNode, known: dict) -> list[Note]:
    """Repair ``nb`` in place from the release's cells ``known``; a note per repair."""
    notes = _merge_splits(nb, known)
    seen: set[str] = set()
    kept: list[NotebookNode] = []
    for number, cell in enumerate(nb.cells, start=1):
        meta = cells.nbgrader(cell)
        gid = cells.grade_id(cell)
        if not meta:
            kept.append(cell)
            continue
        if gid is None or gid not in known:
            if gid is not None or any(meta.get(flag) for flag in FLAGS):
                notes.append(Note("repaired_unknown", cell=str(number), detail=gid or "grade_id"))
            _strip(cell)
            kept.append(cell)
            continue
        release = known[gid]
        if gid in seen:
            notes.append(Note("repaired_metadata", cell=gid, detail="duplicate"))
            if release.solution and not release.locked:
                _strip(cell)
                kept.append(cell)
            continue
        seen.add(gid)
        changed = _markings(cell, release)
        if changed:
            notes.append(Note("repaired_metadata", cell=gid, detail=", ".join(changed)))
            _restore(cell, gid, release)
        kept.append(cell)
    nb.cells = kept
    return notes
