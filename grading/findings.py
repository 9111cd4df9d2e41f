"""What happened to a submission, read from the notebooks themselves (before and after).

Plain nbgrader 0.9.6 leaves supervisors guessing: a deleted test cell silently scores 0
(without ``add_missing_cells``) or is silently put back (with it), every submission of an
assignment with hidden tests logs a "checksum has changed" warning (the released cell never
had the hidden lines), and a notebook that cannot be read shows up as a plain 0. So:

- ``read_notebook`` says *why* a file is not a notebook (broken JSON, not UTF-8, invalid);
- ``tampered_tests`` compares each locked cell with what the trainee actually received
  (the gradebook's source with hidden tests removed by nbgrader's own ``ClearHiddenTests``),
  so only real edits and deletions are reported, never the hidden tests;
- ``execution_notes`` reads the autograded notebook for timeouts, cells not run, memory
  errors and truncated output.
"""

from __future__ import annotations

import copy
import json
import warnings
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from shegong.grading import cells
from shegong.grading.gradebook import open_gradebook
from shegong.grading.model import Note, Status, worst

RESTORED_MARK = "was missing from the submission"
TRUNCATED_MARK = "output too long"


def read_notebook(path: Path) -> tuple[NotebookNode | None, str]:
    """The notebook at ``path`` and ``""``, or ``None`` and the reason it cannot be used."""
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return None, "not UTF-8"
    except OSError as exc:
        return None, str(exc)[:120]
    try:
        raw = json.loads(text)
    except RecursionError:
        return None, "JSON nested too deeply"
    except ValueError as exc:
        return None, f"broken JSON: {str(exc)[:100]}"
    if not isinstance(raw, dict) or not ("cells" in raw or "worksheets" in raw):
        return None, "not a notebook"  # nbformat 4 has cells, 3 worksheets (converted below)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            nb = nbformat.reads(text, as_version=4)
            nbformat.validate(nb)
    except Exception as exc:  # nbformat raises several kinds for invalid notebooks
        return None, f"invalid notebook: {str(exc).splitlines()[0][:100]}"
    return nb, ""


def _released(source_cell: Any, grade: dict[str, float], solutions: set[str]) -> NotebookNode:
    """The cell as nbgrader released it: gradebook source minus the hidden tests."""
    from nbgrader.preprocessors import ClearHiddenTests  # heavy: pack (a station) never needs it

    name = str(source_cell.name)
    meta: dict[str, object] = {
        "grade": name in grade,
        "grade_id": name,
        "locked": bool(source_cell.locked),
        "solution": name in solutions,
        "schema_version": 3,
    }
    if name in grade:
        meta["points"] = grade[name]
    cell = NotebookNode(
        cell_type=str(source_cell.cell_type),
        source=str(source_cell.source),
        metadata=NotebookNode(nbgrader=NotebookNode(meta)),
    )
    ClearHiddenTests()._remove_hidden_test_region(cell)
    return cell


def tampered_tests(
    nb: NotebookNode, db_url: str, course_id: str, notebook: str, assignment: str
) -> list[Note]:
    """Deleted or edited locked cells of ``nb`` (test cells and given code)."""
    from nbgrader.utils import compute_checksum  # heavy: pack (a station) never needs it

    with open_gradebook(db_url, course_id) as gb:
        record = gb.find_notebook(notebook, assignment)
        grade = {c.name: float(c.max_score) for c in record.grade_cells}
        solutions = {c.name for c in record.solution_cells}
        sources = {c.name: c for c in record.source_cells}
        released = {
            name: _released(cell, grade, solutions) for name, cell in sources.items() if cell.locked
        }
    present = cells.nbgrader_cells(nb)
    notes = [Note("test_deleted", cell=name) for name in grade if name not in present]
    for name, cell in present.items():
        if name in released and compute_checksum(copy.deepcopy(cell)) != compute_checksum(
            released[name]
        ):
            notes.append(Note("test_edited", cell=name))
    return notes


def _cell_name(cell: NotebookNode, index: int) -> str:
    return cells.grade_id(cell) or str(cell.get("id") or f"#{index}")


def execution_notes(nb: NotebookNode) -> list[Note]:
    """Timeouts, cells not run, memory errors and truncated output in an autograded notebook."""
    # nbgrader's and nbclient's preprocessors: pack (a station) reads notebooks without them
    from shegong.grading.preprocessors import NOT_RUN, TIMEOUT

    notes: list[Note] = []
    stopped = ""
    for index, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        name = _cell_name(cell, index)
        for output in cell.get("outputs", []):
            kind = output.get("output_type")
            if kind == "error" and output.get("ename") == TIMEOUT:
                notes.append(Note("cell_timeout", cell=name))
            elif kind == "error" and output.get("ename") == NOT_RUN and not stopped:
                stopped = str((output.get("traceback") or [""])[0]).split(": ")[-1]
                notes.append(Note(f"stopped_{stopped}", cell=name))
            elif kind == "error" and output.get("ename") == "MemoryError":
                notes.append(Note("memory_error", cell=name))
            elif kind == "stream" and TRUNCATED_MARK in str(output.get("text", "")):
                notes.append(Note("output_truncated", cell=name))
    return notes


STATUS_OF_NOTE = {
    "corrupt": Status.CORRUPT,
    "nbgrader_failed": Status.CORRUPT,
    "kernel_failed": Status.KERNEL_DIED,
    "stopped_kernel_died": Status.KERNEL_DIED,
    "stopped_unresponsive": Status.TIMED_OUT,
    "stopped_notebook_timeout": Status.TIMED_OUT,
    "cell_timeout": Status.TIMED_OUT,
    "test_deleted": Status.CELLS_RESTORED,
    "test_edited": Status.CELLS_RESTORED,
    "nbgrader_metadata": Status.CORRUPT,
    "tampered_missing": Status.TAMPERED,
    "tampered_failed": Status.TAMPERED,
    "tampered_unreadable": Status.TAMPERED,
    "interference": Status.SUSPICIOUS,
    "repaired_split": Status.REPAIRED,
    "repaired_metadata": Status.REPAIRED,
    "repaired_unknown": Status.REPAIRED,
}


def status_of(notes: list[Note]) -> Status:
    """The submission's status: the most serious status any note implies."""
    return worst([STATUS_OF_NOTE[n.code] for n in notes if n.code in STATUS_OF_NOTE])
