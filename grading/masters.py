"""Assignment masters: ``assignments/<id>/<id>.py`` (jupytext py:percent) and ``rubric.yml``.

A master is one text-first notebook with nbgrader cell metadata written on the cell marker
(``# %% nbgrader={...}``), solution regions (``### BEGIN SOLUTION``) and hidden tests
(``### BEGIN HIDDEN TESTS``), and prose cells in pairs tagged ``lang="zh"`` then
``lang="en"``. Its header carries ``shegong: {id, order, title_zh, title_en}`` and, where the
assignment has safety minimums, ``safety_gates`` (test cells a pass needs at full marks) and
``pass_percent`` (default 60; see ``shegong.grading.gates``). Nothing else
lists the assignments: ``discover`` finds every folder with a master.

``validate`` checks what nbgrader would only notice late (or never): nbgrader's own metadata
schema, unique ASCII grade ids, a solution region in every answer, hidden-test markers in
pairs, locked tests, prose in zh/en pairs, language-neutral graded cells, and a rubric that
scores exactly the written answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
from nbformat import NotebookNode

from shegong.grading import cells
from shegong.grading.config import GradingError
from shegong.grading.model import AssignmentInfo, GradedCell
from shegong.grading.rubric import Rubric, check_against, load_rubric
from shegong.paths import CONTENT

GRADE_ID = re.compile(r"^[a-z][a-z0-9_]*$")
HAN = re.compile(r"[\u4e00-\u9fff]")
MARKERS = (("BEGIN SOLUTION", "END SOLUTION"), ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS"))


def assignments_root() -> Path:
    """The ``assignments/`` folder of this checkout."""
    return CONTENT.assignments


def read_master(path: Path) -> NotebookNode:
    """The master as a notebook (jupytext py:percent)."""
    try:
        return jupytext.read(path, fmt="py:percent")
    except Exception as exc:  # jupytext raises many kinds for a broken source
        raise GradingError(
            "grading.error.master_unreadable", path=path, detail=str(exc)[:200]
        ) from None


def info(folder: Path) -> AssignmentInfo:
    """The assignment in ``folder`` (its master is ``<folder name>.py``)."""
    master = folder / f"{folder.name}.py"
    if not master.is_file():
        raise GradingError("grading.error.master_missing", path=master)
    meta = read_master(master).metadata.get("shegong", {})
    for key in ("id", "title_zh", "title_en"):
        if not meta.get(key):
            raise GradingError("grading.error.master_header", path=master, field=key)
    if meta["id"] != folder.name:
        raise GradingError(
            "grading.error.master_id", path=master, id=meta["id"], folder=folder.name
        )
    return AssignmentInfo(
        id=str(meta["id"]),
        notebook=folder.name,
        order=int(meta.get("order", 99)),
        title_zh=str(meta["title_zh"]),
        title_en=str(meta["title_en"]),
        folder=folder,
        safety_gates=tuple(str(g) for g in meta.get("safety_gates", ())),
        pass_percent=float(meta.get("pass_percent", 60)),
    )


def discover(root: Path | None = None) -> list[AssignmentInfo]:
    """Every assignment under ``root`` (default: the checkout's ``assignments/``), in order."""
    root = assignments_root() if root is None else root
    if not root.is_dir():
        return []
    folders = [p for p in sorted(root.iterdir()) if p.is_dir() and (p / f"{p.name}.py").is_file()]
    return sorted((info(f) for f in folders), key=lambda a: (a.order, a.id))


def find(assignment_id: str, root: Path | None = None) -> AssignmentInfo:
    """The assignment with this id; GradingError listing the known ids otherwise."""
    known = discover(root)
    for item in known:
        if item.id == assignment_id:
            return item
    raise GradingError(
        "grading.error.unknown_assignment",
        assignment=assignment_id,
        known=", ".join(a.id for a in known),
    )


def chosen(assignment_ids: list[str]) -> list[AssignmentInfo]:
    """The named assignments, or every one when none is named."""
    return [find(a) for a in assignment_ids] if assignment_ids else discover()


def _check_markers(source: str, where: str, path: Path) -> None:
    for begin, end in MARKERS:
        depth = 0
        for line in source.splitlines():
            if begin in line:
                depth += 1
            elif end in line:
                depth -= 1
            if depth not in (0, 1):
                raise GradingError(
                    "grading.error.master_markers", path=path, cell=where, marker=begin
                )
        if depth:
            raise GradingError("grading.error.master_markers", path=path, cell=where, marker=begin)


def _check_nbgrader_schema(nb: NotebookNode, path: Path) -> None:
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError  # heavy: on check

    try:
        MetadataValidator().validate_nb(nb)
    except ValidationError as exc:
        detail = (str(exc).strip().splitlines() or ["-"])[0][:200]
        raise GradingError("grading.error.master_nbgrader", path=path, detail=detail) from None


def _check_prose_pairs(nb: NotebookNode, path: Path) -> None:
    prose = [c for c in nb.cells if cells.kind(c) == "prose"]
    for k, cell in enumerate(prose):
        if cell.cell_type != "markdown":
            raise GradingError("grading.error.master_lang_code", path=path, index=k)
        expected = "zh" if k % 2 == 0 else "en"
        if cells.lang(cell) != expected:
            raise GradingError(
                "grading.error.master_pairs",
                path=path,
                index=k,
                lang=cells.lang(cell),
                expected=expected,
            )
    if len(prose) % 2:
        raise GradingError(
            "grading.error.master_pairs", path=path, index=len(prose), lang="-", expected="en"
        )


def _check_cell(cell: NotebookNode, index: int, path: Path) -> None:
    kind = cells.kind(cell)
    gid = cells.grade_id(cell)
    where = gid or f"#{index}"
    if gid is not None and not GRADE_ID.match(gid):
        raise GradingError("grading.error.master_grade_id", path=path, grade_id=gid)
    _check_markers(cell.source, where, path)
    if kind in ("answer", "written") and "BEGIN SOLUTION" not in cell.source:
        raise GradingError("grading.error.master_no_solution", path=path, cell=where)
    if kind == "test" and not cells.nbgrader(cell).get("locked"):
        raise GradingError("grading.error.master_unlocked", path=path, cell=where)
    if "BEGIN HIDDEN TESTS" in cell.source and kind != "test":
        raise GradingError("grading.error.master_hidden", path=path, cell=where)
    if kind in ("given", "answer", "test", "written") and cells.lang(cell) is not None:
        raise GradingError("grading.error.master_lang_graded", path=path, cell=where)
    if kind == "written" and not HAN.search(cell.source.split("BEGIN SOLUTION")[0]):
        # the scaffold before the solution stays in both editions: it must be bilingual
        raise GradingError("grading.error.master_scaffold", path=path, cell=where)


def validate(assignment: AssignmentInfo, nb: NotebookNode | None = None) -> Rubric:
    """Check a master and its rubric; returns the rubric. GradingError names the problem."""
    path = assignment.master
    nb = read_master(path) if nb is None else nb
    _check_nbgrader_schema(nb, path)
    ids = [gid for c in nb.cells if (gid := cells.grade_id(c))]
    duplicates = sorted({g for g in ids if ids.count(g) > 1})
    if duplicates:
        raise GradingError("grading.error.master_duplicate", path=path, ids=", ".join(duplicates))
    for index, cell in enumerate(nb.cells):
        _check_cell(cell, index, path)
    _check_prose_pairs(nb, path)
    graded = cells.graded_cells(nb)
    if not any(c.kind == "test" for c in graded) or sum(c.points for c in graded) <= 0:
        raise GradingError("grading.error.master_no_points", path=path)
    if not assignment.rubric_path.is_file():
        raise GradingError("grading.error.rubric_missing", path=assignment.rubric_path)
    rubric = load_rubric(assignment.rubric_path)
    if rubric.assignment != assignment.id:
        raise GradingError(
            "grading.rubric.missing",
            path=assignment.rubric_path,
            where=f"assignment: {assignment.id}",
        )
    tests = {c.grade_id for c in graded if c.kind == "test"}
    for gate in assignment.safety_gates:
        if gate not in tests:
            raise GradingError("grading.error.master_gate", path=path, gate=gate)
    written: list[GradedCell] = [c for c in graded if c.kind == "written"]
    check_against(rubric, written, assignment.rubric_path)
    return rubric


def load_assignment_rubric(assignment: AssignmentInfo) -> Rubric:
    """The validated rubric of an assignment (validates the master too)."""
    return validate(assignment)
