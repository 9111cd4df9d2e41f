"""Can trainee code read, rewrite or fool the tests, and is honest work never 0 by accident?

One small batch of data-basics submissions the project writes itself, graded by
``shegong.grading.autograde`` (two kernels per notebook, ``shegong.grading.phases``):

- cheats with blank answers: an input transformer that turns every later cell into
  ``pass``; ``shegong.grading.checks`` patched to no-ops and swapped in ``sys.modules``;
- spies: a ``pre_run_cell`` hook and a file-system scan that print anything that looks
  like a test; a value crafted to make a hidden test raise;
- honest work nbgrader used to score 0: a JupyterLab split answer cell (duplicate ids and
  grade ids, or a half without a grade id) and an answer cell marked as a grade cell;
- a correct solution and the blank release, the two ends of the scale.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from grading_support import TIMESTAMP, release_nb, source_nb, submitted

from shegong.grading import cells, feedback, simulate, status
from shegong.grading.autograde import autograde
from shegong.grading.config import GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.model import Status

ASSIGNMENT = "data-basics"
AUTO_MAX = 16.0

TRANSFORMER = """
def _blank(lines):
    return ["pass\\n"]

get_ipython().input_transformers_post.append(_blank)
"""
CHECKS_PATCH = """
import sys, types
import shegong.grading.checks as _checks

for _name in ("expect", "expect_close", "expect_defined", "expect_type", "expect_columns"):
    setattr(_checks, _name, lambda *args, **kwargs: None)
_fake = types.ModuleType("shegong.grading.checks")
for _name in _checks.__all__:
    setattr(_fake, _name, lambda *args, **kwargs: None)
sys.modules["shegong.grading.checks"] = _fake
"""
SPY_HOOK = """
def _spy(info):
    print("SPY-CELL", info.raw_cell)

get_ipython().events.register("pre_run_cell", _spy)
"""
SPY_FILES = """
import os
_box = os.path.dirname(os.path.dirname(os.getcwd()))
for _top in ("/tmp", "/var/tmp", os.path.expanduser("~"), _box, "/var/lib/shegong"):
    for _dir, _subs, _files in os.walk(_top):
        for _f in _files:
            try:
                with open(os.path.join(_dir, _f), "rb") as _h:
                    _data = _h.read(2_000_000)
            except OSError:
                continue
            if b"HIDDEN TESTS" in _data or b"expect(" in _data:
                print("SPY-FILE", os.path.join(_dir, _f), _data.decode("utf-8", "replace"))
"""


@dataclass(frozen=True)
class Batch:
    course: GradingContext
    results: dict[str, tuple[Status, float, tuple[str, ...]]]
    hidden: list[str]
    isolation: str  # the sandbox level the batch ran at (``sandbox.isolation``)


def _hidden_lines(course: GradingContext) -> list[str]:
    """Distinctive lines of the hidden tests in the assignment's source."""
    found = []
    for cell in source_nb(course, ASSIGNMENT).cells:
        for block in re.findall(
            r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", cell.source, re.S
        ):
            found += [line.strip() for line in block.splitlines() if len(line.strip()) > 20]
    assert found
    return found


def _split(nb: nbformat.NotebookNode, grade_id: str, *, keep_id: bool) -> nbformat.NotebookNode:
    """The answer cell ``grade_id`` split in two the way JupyterLab does (metadata copied)."""
    out = copy.deepcopy(nb)
    for index, cell in enumerate(out.cells):
        if cells.grade_id(cell) == grade_id:
            lines = cell.source.splitlines(keepends=True)
            first, second = copy.deepcopy(cell), copy.deepcopy(cell)
            first.source, second.source = "".join(lines[:-1]), lines[-1]
            if not keep_id:  # a new cell id, but no grade id
                del second.metadata["nbgrader"]["grade_id"]
                second["id"] = f"{cell['id']}-2"
            out.cells[index : index + 1] = [first, second]
            return out
    raise AssertionError(grade_id)


def _submissions(course: GradingContext) -> dict[str, nbformat.NotebookNode]:
    release = release_nb(course, ASSIGNMENT)
    solved = simulate.answered(release, source_nb(course, ASSIGNMENT))
    answers = cells.nbgrader_cells(solved)
    by_service = answers["by_service"].source
    marked = copy.deepcopy(solved)
    meta = cells.nbgrader_cells(marked)["top_station"].metadata["nbgrader"]
    meta.update(grade=True, points=0)
    split_long = {"by_service": "_tmp = ledger.groupby('service')\n" + by_service}
    return {
        "solved": solved,
        "blank": release,
        "transformer": simulate.with_answers(release, {"by_service": TRANSFORMER}),
        "checks_patch": simulate.with_answers(release, {"by_service": CHECKS_PATCH}),
        "spy": simulate.with_answers(solved, {"by_service": SPY_HOOK + SPY_FILES + by_service}),
        "crafted": simulate.with_answers(
            solved, {"chart": "from matplotlib.figure import Figure\nfig = Figure()\n"}
        ),
        "split": _split(simulate.with_answers(solved, split_long), "by_service", keep_id=True),
        "split_noid": _split(
            simulate.with_answers(solved, split_long), "by_service", keep_id=False
        ),
        "marked_grade": marked,
    }


@pytest.fixture(scope="module")
def batch(clone: Callable[..., GradingContext]) -> Batch:
    # own sandbox uids: another module grading at the same moment must not share them
    options = GradingOptions(cell_timeout=30, notebook_timeout=300, sandbox_uid=62400)
    course = clone("integrity", options)
    for trainee, nb in _submissions(course).items():
        folder = submitted(course, trainee, ASSIGNMENT)
        folder.mkdir(parents=True)
        (folder / "timestamp.txt").write_text(TIMESTAMP, encoding="utf-8")
        # as JupyterLab saves it: duplicate cell ids are written as they are
        (folder / f"{ASSIGNMENT}.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    report = autograde(course, ASSIGNMENT)
    results = {
        r.student: (r.status, r.auto_score, tuple(n.code for n in r.notes)) for r in report.results
    }
    return Batch(course, results, _hidden_lines(course), report.isolation)


def _autograded(batch: Batch, trainee: str) -> nbformat.NotebookNode:
    path = batch.course.paths.step("autograded") / trainee / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(path, as_version=4)


def _pages(batch: Batch, trainee: str) -> str:
    written = feedback.write(batch.course, ASSIGNMENT, trainee)
    return "".join(path.read_text(encoding="utf-8") for path in written.values())


def test_a_correct_solution_scores_full_marks_and_is_trusted(batch: Batch) -> None:
    """Does the ordinary solution still score everything, with no notes?"""
    assert batch.results["solved"] == (Status.GRADED, AUTO_MAX, ())


def test_the_blank_release_scores_the_minimum(batch: Batch) -> None:
    """Does the untouched release score nothing and stay an ordinary graded run?"""
    assert batch.results["blank"] == (Status.GRADED, 0.0, ())


def test_an_input_transformer_cannot_blank_the_tests(batch: Batch) -> None:
    """Does rewriting later cells to ``pass`` score what blank scores, flagged as tampered?"""
    state, score, notes = batch.results["transformer"]
    assert score == batch.results["blank"][1]
    assert state is Status.TAMPERED
    assert set(notes) == {"tampered_missing"}


def test_patched_checks_score_what_blank_scores_and_are_flagged(batch: Batch) -> None:
    """Do no-op checks (patched and swapped in sys.modules) gain nothing, and show?"""
    state, score, notes = batch.results["checks_patch"]
    assert score == batch.results["blank"][1]
    assert state is Status.SUSPICIOUS and "interference" in notes
    row = next(
        r for r in status.rows(batch.course.paths, ASSIGNMENT) if r.student == "checks_patch"
    )
    assert "评分检查函数" in status.explain_note(row.notes[0], "zh")
    assert "replaced or patched the grading checks" in status.explain_note(row.notes[0], "en")


LIBRARY = [Path(__file__).resolve().parents[2] / part for part in ("shegong", "grading")]


def _without_the_library(printed: str) -> str:
    """The spy's output without the files of the installed library, which every kernel may
    read (it imports the checks; their docstrings show what a test looks like). Where the
    checkout sits under /tmp the jail binds it back in, and the spy's walk of /tmp finds it."""
    blocks = re.split(r"(?=SPY-FILE |SPY-CELL )", printed)
    library = tuple(f"SPY-FILE {folder}/" for folder in LIBRARY)
    return "".join(b for b in blocks if not b.startswith(library))


def test_no_hidden_test_reaches_trainee_code(batch: Batch) -> None:
    """Do the hook and the file scan see no hidden test, in outputs or on feedback pages?"""
    nb = _autograded(batch, "spy")
    printed = _without_the_library("".join(
        str(o.get("text", "")) for c in nb.cells if not c.metadata.get("nbgrader", {}).get("grade")
        for o in c.get("outputs", [])
    ))  # fmt: skip
    assert "SPY-CELL" in printed  # the hook ran
    pages = _pages(batch, "spy")
    for line in batch.hidden:
        assert line not in printed and line not in pages
    if batch.isolation != "same_user":
        # with its own uid and namespaces the spy reads no test code at all; as the grader's
        # own user (no root) it can read other files of the grader's (e.g. other tests'
        # temporary notebooks), which the isolation message says, but never this run's tests
        assert "expect(" not in printed and "expect_defined(" not in printed
    state, score, notes = batch.results["spy"]
    assert score == AUTO_MAX and state is Status.SUSPICIOUS and "interference" in notes


def test_a_hidden_test_made_to_raise_shows_no_source_on_the_feedback_page(batch: Batch) -> None:
    """Does a crafted value that breaks a hidden test give only a plain message?"""
    nb = _autograded(batch, "crafted")
    errors = [o for o in cells.nbgrader_cells(nb)["chart_bars"].outputs if o.output_type == "error"]
    assert errors and errors[0].ename == "IndexError"  # the supervisor's copy keeps it all
    pages = _pages(batch, "crafted")
    for line in batch.hidden:
        assert line not in pages
    assert "IndexError" in pages and "无法在你的答案上运行" in pages
    assert batch.results["crafted"][1] == AUTO_MAX - 4


@pytest.mark.parametrize("trainee", ["split", "split_noid"])
def test_a_split_answer_cell_is_repaired_and_scores(batch: Batch, trainee: str) -> None:
    """Does a JupyterLab split of a correct answer score full marks, with a repair note?"""
    state, score, notes = batch.results[trainee]
    assert (state, score) == (Status.REPAIRED, AUTO_MAX)
    assert "repaired_split" in notes


def test_an_answer_cell_marked_as_a_grade_cell_is_repaired(batch: Batch) -> None:
    """Is the answer cell's release metadata restored so the correct work scores?"""
    state, score, notes = batch.results["marked_grade"]
    assert (state, score) == (Status.REPAIRED, AUTO_MAX)
    assert "repaired_metadata" in notes


def test_every_flagged_case_is_explained_in_both_languages(batch: Batch) -> None:
    """Does the status table give a plain reason in Chinese and English for each case?"""
    csv = batch.course.paths.status_csv.read_text(encoding="utf-8-sig")
    for trainee in ("transformer", "checks_patch", "split", "marked_grade"):
        line = next(row for row in csv.splitlines() if f",{trainee}," in row)
        assert re.search(r"[\u4e00-\u9fff]", line) and "kernel crashed" not in line
        assert "traceback" not in line
