"""Simulated trainee notebooks: what tests, demos and the benchmark submit.

``answered(release, source)`` is the release notebook with the master's solutions typed into
the answer cells (markers removed), exactly as a trainee who got everything right would
hand it in; ``with_answers`` replaces chosen answer cells with other text (wrong answers);
``blank`` is the release as handed out. Nothing here is imported by the grading pipeline.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from shegong.grading import cells
from shegong.grading.leaks import BEGINS, ENDS


def solution_text(source: str) -> str:
    """A solution cell's source without its solution markers (what a trainee would type)."""
    lines = [line for line in source.splitlines() if not any(m in line for m in BEGINS + ENDS)]
    return "\n".join(lines)


def answered(release: NotebookNode, source: NotebookNode) -> NotebookNode:
    """The release with every answer and written cell filled in from the source's solution."""
    solutions = {
        gid: solution_text(cell.source)
        for gid, cell in cells.nbgrader_cells(source).items()
        if cells.kind(cell) in ("answer", "written")
    }
    return with_answers(release, solutions)


def with_answers(release: NotebookNode, answers: Mapping[str, str]) -> NotebookNode:
    """The release with the cells named in ``answers`` (grade_id -> source) replaced."""
    out = copy.deepcopy(release)
    for cell in out.cells:
        gid = cells.grade_id(cell)
        if gid is not None and gid in answers:
            cell.source = answers[gid]
    return out


def write_submission(nb: NotebookNode, folder: Path, notebook: str, timestamp: str = "") -> Path:
    """Write ``nb`` as ``folder/<notebook>.ipynb`` (and nbgrader's ``timestamp.txt``)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{notebook}.ipynb"
    nbformat.write(nb, path)
    if timestamp:
        (folder / "timestamp.txt").write_text(timestamp, encoding="utf-8")
    return path
