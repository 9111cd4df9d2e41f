"""Check an assignment before handing it in: nbgrader's validator, said in plain words.

``check`` runs nbgrader's own ``Validator`` on each of the trainee's notebooks (it executes
the notebook with the visible tests, as the Assignment List's Validate button does) and says
per question what is wrong, in both languages (catalogue ``trainee.check.*``):

- unanswered: an answer cell still holds what was handed out;
- failed: a check's own two-line message (``shegong.grading.checks``), Chinese and English;
- error: the cell could not run, with the error's name only (never a traceback);
- changed: a check cell was edited (nbgrader's checksum), or a cell's type was changed.

Questions are named by the ``## heading`` above them in the trainee's notebook.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat
from nbformat import NotebookNode

from shegong.grading import cells, findings
from shegong.grading.nbconfig import nbgrader_config
from shegong.grading.trainee import Desk, fetched_notebooks, original
from shegong.messages import LANGS, text
from shegong.text import Bilingual

ERROR_LINE = re.compile(r"^([A-Za-z_][\w.]*): ")
CHECK_CELL_TIMEOUT = 180  # seconds a cell may run while checking (grading has its own)
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


@dataclass(frozen=True)
class CheckLine:
    """One thing the trainee should look at: which question, what kind, what to do."""

    question: str  # the heading above the cell, in the notebook's language
    verdict: str  # unanswered, failed, error, changed, unreadable, not_run
    message: Bilingual


@dataclass(frozen=True)
class CheckReport:
    assignment: str
    lines: tuple[CheckLine, ...]
    passed: int  # visible checks that passed

    @property
    def ok(self) -> bool:
        return not self.lines


def _say(msg_id: str, **values: Any) -> Bilingual:
    zh, en = (text(msg_id, lang, **values) for lang in LANGS)
    return Bilingual(zh, en)


def headings(nb: NotebookNode) -> dict[int, str]:
    """Cell index -> the last ``## heading`` above it (the question it belongs to)."""
    current, found = "", {}
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    current = line[3:].strip()
        found[index] = current
    return found


def plain_error(raw: str) -> tuple[str, Bilingual]:
    """A failed cell's error as (verdict, message): a check's two lines, or the error's name."""
    lines = [ANSI.sub("", line).rstrip() for line in raw.splitlines()]
    for k, line in enumerate(lines):
        if line.startswith("AssertionError: "):
            zh = line.removeprefix("AssertionError: ").strip()
            en = lines[k + 1].strip() if k + 1 < len(lines) and lines[k + 1].strip() else zh
            return "failed", Bilingual(
                text("trainee.check.failed", "zh", detail=zh),
                text("trainee.check.failed", "en", detail=en),
            )
    names = [m.group(1) for line in lines if (m := ERROR_LINE.match(line))]
    if names:
        return "error", _say("trainee.check.error", ename=names[-1].rsplit(".", 1)[-1])
    return "failed", _say("trainee.check.partial")


def _unanswered(nb: NotebookNode, handed_out: NotebookNode | None) -> list[int]:
    """Indexes of answer cells whose text is still what was handed out."""
    if handed_out is None:
        return []
    before = {cells.grade_id(c): c.source.strip() for c in handed_out.cells if cells.grade_id(c)}
    return [
        k
        for k, cell in enumerate(nb.cells)
        if cells.nbgrader(cell).get("solution")
        and cells.grade_id(cell) in before
        and cell.source.strip() == before[cells.grade_id(cell)]
    ]


def _tests(nb: NotebookNode) -> list[int]:
    """Indexes of the autograded check cells."""
    return [
        k
        for k, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        and cells.nbgrader(cell).get("grade")
        and not cells.nbgrader(cell).get("solution")
    ]


def _validate(desk: Desk, path: Path) -> dict[str, list[dict[str, str]]]:
    from nbgrader.validator import Validator  # heavy (nbconvert): only when checking

    config = nbgrader_config(desk.ctx)
    # A station laptop is slow and a trainee's check is not a grading run: a generous bound
    # per cell, so a slow machine reads "not passed" only when an answer really is wrong.
    config.Execute.timeout = max(desk.ctx.options.cell_timeout, CHECK_CELL_TIMEOUT)
    validator = Validator(config=config)
    return dict(validator.validate(str(path)))


def check_notebook(desk: Desk, assignment: str, path: Path) -> tuple[list[CheckLine], int]:
    """The problems of one notebook, in cell order, and how many visible checks passed."""
    nb, _problem = findings.read_notebook(path)
    if nb is None:
        return [CheckLine(path.name, "unreadable", _say("trainee.check.unreadable"))], 0
    titles = headings(nb)
    handed = original(desk, assignment, path.name)
    handed_nb = nbformat.read(handed, as_version=4) if handed is not None else None
    found: list[tuple[int, CheckLine]] = [
        (k, CheckLine(titles[k], "unanswered", _say("trainee.check.unanswered")))
        for k in _unanswered(nb, handed_nb)
    ]
    try:
        results = _validate(desk, path)
    except Exception as exc:  # a kernel that cannot start or a cell that never ends
        line = CheckLine(
            path.name, "not_run", _say("trainee.check.not_run", ename=type(exc).__name__)
        )
        return [line for _, line in found] + [line], 0
    by_source = {cell.source.strip(): k for k, cell in enumerate(nb.cells)}
    for kind, verdict_id in (("type_changed", "type_changed"), ("changed", "changed")):
        for item in results.get(kind, []):
            k = by_source.get(item.get("source", ""), len(nb.cells))
            found.append(
                (k, CheckLine(titles.get(k, ""), "changed", _say(f"trainee.check.{verdict_id}")))
            )
    failed_tests = 0
    unanswered = {line.question for _, line in found if line.verdict == "unanswered"}
    for item in results.get("failed", []):
        k = by_source.get(item.get("source", ""), len(nb.cells))
        failed_tests += k in _tests(nb)
        if titles.get(k, "") in unanswered:
            continue  # already said: the answer is not written yet
        verdict, message = plain_error(item.get("raw_error", ""))
        found.append((k, CheckLine(titles.get(k, ""), verdict, message)))
    passed = 0 if results.get("type_changed") else len(_tests(nb)) - failed_tests
    return [line for _, line in sorted(found, key=lambda pair: pair[0])], max(passed, 0)


def check(desk: Desk, assignment: str) -> CheckReport:
    """Validate the trainee's notebooks of ``assignment`` (fetched first: TraineeError)."""
    lines: list[CheckLine] = []
    passed = 0
    for path in fetched_notebooks(desk, assignment):
        found, ok = check_notebook(desk, assignment, path)
        lines += found
        passed += ok
    return CheckReport(assignment, tuple(lines), passed)
