"""The one place that reads raw cell metadata: nbgrader's and shegong's.

An assignment notebook has these kinds of cells (``kind``):

- ``prose``: Markdown in one language (``lang`` in the master, ``shegong.lang`` once built);
  the zh and en prose cells come in pairs and are swapped between language editions.
- ``given``: code or Markdown the trainee runs but may not change (nbgrader ``locked``).
- ``answer``: an autograded answer cell (nbgrader ``solution``, not ``grade``).
- ``test``: a test cell (nbgrader ``grade``, ``locked``); its points are autograded.
- ``written``: a manually graded answer (nbgrader ``solution`` and ``grade``), scored with
  the assignment's rubric.
- ``setup``: the language-specific first code cell the build adds (``LANG = start(...)``).
- ``code`` / ``markdown``: anything else (shared by both languages).
"""

from __future__ import annotations

from typing import Any

from nbformat import NotebookNode

from shegong.editions import is_setup
from shegong.grading.model import CellKind, GradedCell


def nbgrader(cell: NotebookNode) -> dict[str, Any]:
    """The cell's nbgrader metadata (empty when it has none)."""
    meta = cell.get("metadata", {}).get("nbgrader", {})
    return dict(meta) if isinstance(meta, dict) else {}


def grade_id(cell: NotebookNode) -> str | None:
    """The nbgrader ``grade_id``, if the cell has one."""
    value = nbgrader(cell).get("grade_id")
    return str(value) if value is not None else None


def points(cell: NotebookNode) -> float:
    """The points of a graded cell (0 for others)."""
    meta = nbgrader(cell)
    return float(meta.get("points", 0) or 0) if meta.get("grade") else 0.0


def lang(cell: NotebookNode) -> str | None:
    """The language of a prose cell: ``lang`` in a master, ``shegong.lang`` once built."""
    metadata = cell.get("metadata", {})
    own = metadata.get("shegong", {})
    if isinstance(own, dict) and own.get("lang"):
        return str(own["lang"])
    value = metadata.get("lang")
    return str(value) if value else None


def prose_key(cell: NotebookNode) -> str | None:
    """The key that pairs a prose cell with its translation in the other edition."""
    own = cell.get("metadata", {}).get("shegong", {})
    return str(own["prose"]) if isinstance(own, dict) and own.get("prose") else None


def kind(cell: NotebookNode) -> CellKind:
    """What role the cell plays in an assignment (see the module docstring)."""
    if is_setup(cell):
        return "setup"
    meta = nbgrader(cell)
    if meta.get("grade") and meta.get("solution"):
        return "written"
    if meta.get("grade"):
        return "test"
    if meta.get("solution"):
        return "answer"
    if meta.get("locked"):
        return "given"
    if lang(cell) is not None:
        return "prose"
    return "code" if cell.get("cell_type") == "code" else "markdown"


def graded_cells(nb: NotebookNode) -> list[GradedCell]:
    """The graded cells (tests and written answers) in notebook order."""
    found = []
    for cell in nb.cells:
        cell_kind = kind(cell)
        if cell_kind in ("test", "written"):
            found.append(
                GradedCell(
                    grade_id=grade_id(cell) or "",
                    kind=cell_kind,
                    points=points(cell),
                    cell_type=str(cell.cell_type),
                )
            )
    return found


def nbgrader_cells(nb: NotebookNode) -> dict[str, NotebookNode]:
    """Every cell with a ``grade_id``, by id."""
    return {gid: cell for cell in nb.cells if (gid := grade_id(cell))}
