"""How much of each course a trainee can do without writing code: practice and points.

Two shares per course, both read from the sources (nothing is declared by hand):

**Practice** (the lessons of ``courses/<course>/``): every practice item of every lesson.

- a *quiz question*: each question of a ``Quiz.from_yaml`` spec. Needs no code (the trainee
  clicks an option or types a number into the quiz).
- an *exercise answer*: each name a solution region (``### BEGIN SOLUTION``) assigns and a
  check (``check``/``check_frame`` with an ``expected``) names. Needs no code when every
  assignment of that name in the solutions is a literal (``ast.literal_eval`` reads it:
  ``"b"``, ``12``, ``True``, ``["a", "c"]``): the trainee types a letter, a word or a number
  between the quotes or after ``=``. Needs code otherwise (``ledger.groupby(...)`` and any
  other expression that calls, indexes or combines names).
- a *written answer*: a solution region that assigns only text literals and whose names no
  check names (the model answer of a short text the trainee writes). Needs no code.

**Assessment points** (the nbgrader master ``assignments/<course>/<course>.py``, the
assignment whose id is the course's id): the points of every graded cell
(``shegong.grading.cells``).

- a *written* answer: a manually graded Markdown cell, scored with the rubric. No code.
- a *choice*: an autograded test whose answer cells are all fill-in cells. An answer cell
  (nbgrader ``solution``) is a fill-in cell when, outside its solution region, it gives each
  of its answer names a literal placeholder (``next_step = ""``, ``self_harm_flag = None``)
  and has nothing else but comments: the trainee only replaces the placeholder (the
  assignment text says so: "只需在引号里填写答案"). No code.
- *code*: every other graded cell: a test of an answer cell marked "在这里写代码 / YOUR CODE
  HERE" (the trainee writes the statements), or a manually graded code cell.

A test's answer cells are those whose solution assigns a name the test reads (as a name
or as the text of ``expect_defined("name")``); a test that reads none belongs to the
nearest answer cell above it.
"""

from __future__ import annotations

import ast
import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import jupytext
import yaml
from nbformat import NotebookNode

from shegong import editions
from shegong.courses import Course, CourseError, discover
from shegong.grading import cells
from shegong.grading.masters import assignments_root, read_master
from shegong.messages import LANGS, Lang, text

PRACTICE_KINDS = ("quiz", "fill_in", "written", "code")
POINT_KINDS = ("choice", "written", "code")
NO_CODE_PRACTICE = frozenset({"quiz", "fill_in", "written"})
NO_CODE_POINTS = frozenset({"choice", "written"})
WORD = re.compile(r"[A-Za-z_]\w*")


@dataclass(frozen=True)
class Share:
    """A part of a whole: ``no_code`` of ``total`` (items, or points)."""

    no_code: float
    total: float

    @property
    def percent(self) -> float | None:
        return 100 * self.no_code / self.total if self.total else None

    def shown(self) -> str:
        """``3/10 (30%)``; ``-`` when there is nothing to count."""
        if not self.total:
            return "-"
        return f"{self.no_code:g}/{self.total:g} ({self.percent:.0f}%)"


@dataclass(frozen=True)
class CourseCount:
    """One course: its practice items and its assignment's points, by kind."""

    course: Course
    practice: Counter[str] = field(default_factory=Counter)
    points: dict[str, float] = field(default_factory=dict)
    assignment: str | None = None

    @property
    def practice_share(self) -> Share:
        return _share(self.practice, NO_CODE_PRACTICE)

    @property
    def points_share(self) -> Share:
        return _share(self.points, NO_CODE_POINTS)


def _share(counts: Mapping[str, float], no_code: frozenset[str]) -> Share:
    return Share(sum(v for k, v in counts.items() if k in no_code), sum(counts.values()))


def _is_literal(node: ast.expr) -> bool:
    try:
        ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return False
    return True


def _assignments(code: str) -> list[tuple[str, ast.expr | None]]:
    """``(name, value)`` for each top-level assignment to a plain name; value None when the
    statement is not a plain ``name = value`` (a loop, an ``if``, an augmented assignment)."""
    found: list[tuple[str, ast.expr | None]] = []
    for stmt in ast.parse(code).body:
        if isinstance(stmt, ast.Assign) and all(isinstance(t, ast.Name) for t in stmt.targets):
            found += [(t.id, stmt.value) for t in stmt.targets]  # type: ignore[attr-defined]
        elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
            found.append((stmt.target.id, stmt.value))
        else:
            found += [(name, None) for name in editions.assigned(ast.unparse(stmt))]
    return found


def _literal_names(code: str) -> dict[str, bool]:
    """For each name ``code`` assigns: whether every assignment of it is a literal."""
    out: dict[str, bool] = {}
    for name, value in _assignments(code):
        out[name] = out.get(name, True) and value is not None and _is_literal(value)
    return out


def _text_only(code: str) -> bool:
    values = [v for _n, v in _assignments(code)]
    return bool(values) and all(
        isinstance(v, ast.Constant) and isinstance(v.value, str) for v in values
    )


def lesson_practice(nb: NotebookNode) -> Counter[str]:
    """The practice items of one lesson source, by kind (see the module docstring)."""
    counts: Counter[str] = Counter()
    keys = editions.lesson_keys(nb)
    literal: dict[str, bool] = {}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if editions.is_quiz(cell.source):
            spec = yaml.safe_load(editions.quiz_spec(cell.source))
            counts["quiz"] += len(spec) if isinstance(spec, list) else 1
        for region in editions.solution_regions(cell.source):
            names = _literal_names(region)
            if names and not set(names) & keys.answers and _text_only(region):
                counts["written"] += 1
            for name, is_literal in names.items():
                literal[name] = literal.get(name, True) and is_literal
    for label in keys.checks:
        counts["fill_in" if literal.get(label, False) else "code"] += 1
    return counts


def _outside_solution(source: str) -> str:
    """The code of an answer cell outside its solution region(s)."""
    kept, inside = [], False
    for line in source.splitlines():
        mark = line.strip()
        if mark == editions.SOLUTION_BEGIN:
            inside = True
        elif mark == editions.SOLUTION_END:
            inside = False
        elif not inside:
            kept.append(line)
    return "\n".join(kept)


def _stored(code: str) -> set[str]:
    """Every name ``code`` assigns with a statement, at any depth (inside ``if`` and loops
    too; not a comprehension's own loop variable)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AnnAssign | ast.AugAssign | ast.For):
            targets = [node.target]
        else:
            continue
        names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
    return names


def is_fill_in(source: str) -> bool:
    """Whether an answer cell only asks for values in place of literal placeholders: outside
    its solution it is nothing but ``name = <literal>`` lines (and comments), for names its
    solution assigns."""
    answers = {n for r in editions.solution_regions(source) for n in _stored(r)}
    given = _outside_solution(source)
    try:
        statements = ast.parse(given).body
    except SyntaxError:
        return False
    placeholders = _literal_names(given)
    only_assignments = all(isinstance(s, ast.Assign | ast.AnnAssign) for s in statements)
    return (
        bool(statements)
        and only_assignments
        and all(placeholders.values())
        and set(placeholders) <= answers
    )


def _read(source: str) -> set[str]:
    """Names a test reads: its identifiers and the words of its string constants."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(WORD.findall(source))
    words: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            words.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            words.update(WORD.findall(node.value))
    return words


def assignment_points(nb: NotebookNode) -> dict[str, float]:
    """The points of one assignment master, by kind (see the module docstring)."""
    counts: dict[str, float] = dict.fromkeys(POINT_KINDS, 0.0)
    answers: list[tuple[set[str], bool]] = []  # (names its solution assigns, fill-in?)
    for cell in nb.cells:
        kind = cells.kind(cell)
        if kind == "answer":
            regions = editions.solution_regions(cell.source)
            names = {n for r in regions for n in _stored(r)}
            answers.append((names, is_fill_in(cell.source)))
        elif kind == "written":
            written = "written" if cell.cell_type == "markdown" else "code"
            counts[written] += cells.points(cell)
        elif kind == "test":
            read = _read(cell.source)
            tested = [fill for names, fill in answers if names & read] or [
                fill for _names, fill in answers[-1:]
            ]
            choice = bool(tested) and all(tested)
            counts["choice" if choice else "code"] += cells.points(cell)
    return counts


def _read_lesson(path: Path) -> NotebookNode:
    try:
        return jupytext.read(path)
    except Exception as exc:  # jupytext raises many kinds for a broken source
        raise CourseError("error.lesson_unreadable", path=path, detail=str(exc)[:200]) from None


def count_course(course: Course, assignments: Path | None = None) -> CourseCount:
    """The practice items and assessment points of one course."""
    practice: Counter[str] = Counter()
    for lesson in course.lessons:
        practice.update(lesson_practice(_read_lesson(course.lesson_path(lesson))))
    master = (assignments or assignments_root()) / course.id / f"{course.id}.py"
    if not master.is_file():
        return CourseCount(course, practice)
    return CourseCount(course, practice, assignment_points(read_master(master)), course.id)


def count_all(
    courses: list[Course] | None = None, assignments: Path | None = None
) -> list[CourseCount]:
    """Every course, in course order."""
    return [count_course(c, assignments) for c in (discover() if courses is None else courses)]


def _pct(share: Share) -> str:
    return "-" if share.percent is None else f"{share.percent:.0f}%"


def _share_text(key: str, share: Share, lang: Lang) -> str:
    return text(
        key,
        lang,
        no_code=f"{share.no_code:g}",
        total=f"{share.total:g}",
        percent=_pct(share),
    )


def index_line(count: CourseCount, lang: Lang) -> str:
    """The course index's line for one course: its no-code shares in words."""
    part = _share_text("nocode.index_practice", count.practice_share, lang)
    if count.assignment is None or not count.points_share.total:
        rest = text("nocode.index_no_assignment", lang)
    else:
        rest = _share_text("nocode.index_points", count.points_share, lang)
    return text("nocode.index_line", lang, practice=part, points=rest)


def table(counts: list[CourseCount]) -> str:
    """A bilingual Markdown table: one row per course (what ``shegong courses nocode`` prints)."""
    heads = [
        " / ".join(text(f"nocode.col.{col}", lang) for lang in LANGS)
        for col in ("course", "practice", "kinds", "points", "point_kinds")
    ]
    rows = ["| " + " | ".join(heads) + " |", "|" + " --- |" * len(heads)]
    for count in counts:
        kinds = ", ".join(
            f"{_kind_label('practice', k)} {count.practice[k]:g}"
            for k in PRACTICE_KINDS
            if count.practice[k]
        )
        point_kinds = ", ".join(
            f"{_kind_label('points', k)} {count.points.get(k, 0):g}"
            for k in POINT_KINDS
            if count.points.get(k)
        )
        title = f"{count.course.title('zh')} / {count.course.title('en')}"
        cols = [title, count.practice_share.shown(), kinds or "-"]
        cols += [count.points_share.shown(), point_kinds or "-"]
        rows.append("| " + " | ".join(cols) + " |")
    return "\n".join(rows)


def _kind_label(part: str, kind: str) -> str:
    return " / ".join(text(f"nocode.{part}.{kind}", lang) for lang in LANGS)
