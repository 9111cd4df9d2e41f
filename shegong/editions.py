"""Language editions: one source notebook, a Chinese and an English notebook built from it.

Lessons, assignments and apps are all written once and built per language; this module is
the one place that knows how:

- ``keep_language(nb, lang)``: prose cells carry ``metadata.lang`` (``zh`` / ``en``); the
  other language's cells go, untagged cells stay (``prose_pairs`` numbers the kept cells as
  the k-th zh/en pair, so a notebook can later switch language in place).
- ``setup_cell(lang)``: the first, collapsed code cell ``LANG = start("zh")`` that sets the
  language and the Chinese font. ``is_setup(cell)`` recognises it by its one marker
  (``metadata.shegong.setup``), and by the tag older lesson builds used.
- ``set_parameters(nb, lang)``: the ``parameters`` cell (papermill's convention, which the
  apps use) says ``LANG = "<lang>"``.
- ``finish(nb, lang)``: the notebook metadata every edition carries (kernelspec, language).

Lessons also come in two editions (``shegong.lessons`` builds both; the functions below are
pure source transforms, shared with the answer-key lookup in ``shegong.widgets.lessons``):

- the **supervisor edition** is the source as written: exercise cells hold their solution
  between nbgrader's own marker lines ``### BEGIN SOLUTION`` and ``### END SOLUTION``
  (the one way a solution is marked; every exercise cell has them);
- the **trainee edition** keeps each exercise cell's hint comments and replaces each solution
  region by a scaffold, ``name = ...  # 把答案写在这里 / your answer here``, for every name the
  region assigns that a check names; a *key cell* (a cell calling ``check(...)`` with an
  ``expected``) becomes its imports plus one short ``check("name", name, lang=LANG)`` per
  check; a *quiz cell* (``Quiz.from_yaml(spec)``) becomes ``Quiz.from_lesson(k, ...)``
  for the lesson's k-th quiz. The expected values and the quiz keys stay in the lesson
  source, where the short calls look them up (``lesson_keys``), never in the trainee's file.
"""

from __future__ import annotations

import ast
import copy

import nbformat
from nbformat import NotebookNode

from shegong.keycache import LessonKeys
from shegong.messages import Lang

KERNELSPEC = {"name": "python3", "display_name": "Python 3", "language": "python"}
SETUP_SOURCE = 'from shegong.notebook import start\n\nLANG = start("{lang}")'
OLD_SETUP_TAG = "shegong-setup"  # lesson builds before the one marker; still recognised


def keep_language(
    nb: NotebookNode, lang: Lang, *, markdown_only: bool = False, prose_pairs: bool = False
) -> NotebookNode:
    """A copy of ``nb`` with only ``lang``'s tagged cells (and every untagged cell).

    ``markdown_only`` drops only Markdown cells of the other language (lessons share every
    code cell); ``prose_pairs`` marks each kept tagged cell ``shegong.prose = pNN``.
    """
    out = copy.deepcopy(nb)
    kept: list[NotebookNode] = []
    pair = 0
    for cell in out.cells:
        cell_lang = cell.metadata.pop("lang", None)
        if cell_lang is None or (markdown_only and cell.cell_type != "markdown"):
            kept.append(cell)
            continue
        if cell_lang == "zh":
            pair += 1
        if cell_lang == lang:
            if prose_pairs:
                cell.metadata["shegong"] = {"lang": lang, "prose": f"p{pair:02d}"}
            kept.append(cell)
    out.cells = kept
    return out


def setup_cell(lang: Lang) -> NotebookNode:
    """The collapsed first cell that starts an edition in ``lang``."""
    cell = nbformat.v4.new_code_cell(SETUP_SOURCE.format(lang=lang))
    cell.metadata["shegong"] = {"setup": True, "lang": lang}
    cell.metadata["jupyter"] = {"source_hidden": True}  # collapsed: trainees need not read it
    return cell


def is_setup(cell: NotebookNode) -> bool:
    """Whether ``cell`` is an edition's setup cell (the marker, or the older lesson tag)."""
    own = cell.get("metadata", {}).get("shegong")
    if isinstance(own, dict) and own.get("setup"):
        return True
    return OLD_SETUP_TAG in cell.get("metadata", {}).get("tags", [])


def with_setup(nb: NotebookNode, lang: Lang) -> NotebookNode:
    """``nb`` with the setup cell first."""
    nb.cells = [setup_cell(lang), *nb.cells]
    return nb


def set_parameters(nb: NotebookNode, lang: Lang) -> bool:
    """Point every ``parameters`` cell at ``lang``; False when there is none."""
    found = False
    for cell in nb.cells:
        if cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", []):
            cell.source = f"LANG = {lang!r}"
            found = True
    return found


def finish(nb: NotebookNode) -> NotebookNode:
    """The metadata every edition carries: no jupytext header, the kernel, Python."""
    nb.metadata.pop("jupytext", None)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    return nb


def number_cells(nb: NotebookNode) -> NotebookNode:
    """Stable cell ids ``c000``, ``c001``, ... (built notebooks diff cleanly)."""
    for k, cell in enumerate(nb.cells):
        cell["id"] = f"c{k:03d}"
    return nb


SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
SCAFFOLD = "{name} = ...  # 把答案写在这里 / your answer here"
CHECKS = ("check", "check_frame")


def _calls(source: str) -> list[tuple[ast.stmt, ast.Call]]:
    """Top-level statements that are a bare call, with the call."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [
        (s, s.value) for s in tree.body if isinstance(s, ast.Expr) and isinstance(s.value, ast.Call)
    ]


def _key_label(call: ast.Call) -> str | None:
    """The label of ``check("label", value, expected=...)`` (None for any other call)."""
    func = call.func
    if not (isinstance(func, ast.Name) and func.id in CHECKS):
        return None
    if not any(k.arg == "expected" for k in call.keywords) and len(call.args) < 3:
        return None
    first = call.args[0] if call.args else None
    return first.value if isinstance(first, ast.Constant) and isinstance(first.value, str) else None


def key_labels(source: str, answers: set[str] | None = None) -> list[str]:
    """The labels a cell checks against an ``expected`` value, in order.

    With ``answers`` (the names the lesson's solutions assign), only the checks of an
    exercise's answer count; a check that only demonstrates (``expected=True``) stays put.
    """
    labels = [label for _s, c in _calls(source) if (label := _key_label(c)) is not None]
    return labels if answers is None else [label for label in labels if label in answers]


def is_quiz(source: str) -> bool:
    """Whether a cell builds a quiz from its YAML spec (``Quiz.from_yaml(...)``)."""
    return _quiz_call(source) is not None


def _quiz_call(source: str) -> ast.Call | None:
    for _s, call in _calls(source):
        func = call.func
        on_quiz = isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name)
        if on_quiz and func.attr == "from_yaml" and func.value.id == "Quiz":  # type: ignore[attr-defined]
            return call
    return None


def quiz_spec(source: str) -> str:
    """The YAML text of a quiz cell's ``Quiz.from_yaml`` (its first argument)."""
    call = _quiz_call(source)
    if call is None or not call.args or not isinstance(call.args[0], ast.Constant):
        raise ValueError("not a quiz cell: Quiz.from_yaml with YAML text first")
    return str(call.args[0].value)


def _imports(source: str) -> list[str]:
    """The cell's top-level import statements, as written."""
    tree = ast.parse(source)
    return [
        ast.get_source_segment(source, s) or ""
        for s in tree.body
        if isinstance(s, ast.Import | ast.ImportFrom)
    ]


def key_code(source: str, label: str) -> str:
    """A key cell's code for one label: the cell without the other labels' checks."""
    lines = source.splitlines()
    for stmt, call in _calls(source):
        other = _key_label(call)
        if other is not None and other != label:
            end = stmt.end_lineno or stmt.lineno
            for k in range(stmt.lineno - 1, end):
                lines[k] = ""
    return "\n".join(lines)


def solution_regions(source: str) -> list[str]:
    """The code between each ``### BEGIN SOLUTION`` and ``### END SOLUTION`` line."""
    regions: list[str] = []
    current: list[str] | None = None
    for line in source.splitlines():
        mark = line.strip()
        if mark == SOLUTION_BEGIN:
            current = []
        elif mark == SOLUTION_END and current is not None:
            regions.append("\n".join(current))
            current = None
        elif current is not None:
            current.append(line)
    return regions


def assigned(code: str) -> list[str]:
    """Names a block of code assigns at its top level, in order."""
    names: list[str] = []
    for stmt in ast.parse(code).body:
        targets = stmt.targets if isinstance(stmt, ast.Assign) else []
        if isinstance(stmt, ast.AnnAssign | ast.AugAssign):
            targets = [stmt.target]
        for target in targets:
            for node in ast.walk(target):
                if isinstance(node, ast.Name) and node.id not in names:
                    names.append(node.id)
    return names


def scaffold(source: str, answers: set[str]) -> str:
    """An exercise cell with each solution region replaced by its answers' scaffold lines."""
    out: list[str] = []
    region: list[str] | None = None
    for line in source.splitlines():
        mark = line.strip()
        if mark == SOLUTION_BEGIN:
            region = []
        elif mark == SOLUTION_END and region is not None:
            names = [n for n in assigned("\n".join(region)) if n in answers]
            out += [SCAFFOLD.format(name=n) for n in names]
            region = None
        elif region is not None:
            region.append(line)
        else:
            out.append(line)
    return "\n".join(out)


def short_check(source: str, answers: set[str]) -> str:
    """A key cell as the trainee sees it: its imports, then one short check per answer."""
    calls = [f'check("{label}", {label}, lang=LANG)' for label in key_labels(source, answers)]
    imports = _imports(source)
    return "\n\n".join(p for p in ["\n".join(imports), "\n".join(calls)] if p)


def short_quiz(source: str, number: int) -> str:
    """A quiz cell as the trainee sees it: its imports, then the lesson's k-th quiz."""
    imports = "\n".join(_imports(source))
    call = f"Quiz.from_lesson({number}, lang=LANG)"
    return f"{imports}\n\n{call}" if imports else call


def lesson_keys(nb: NotebookNode) -> LessonKeys:
    """The answer keys of a lesson source (its key cells and quiz cells)."""
    keys = LessonKeys()
    code = [c.source for c in nb.cells if c.cell_type == "code"]
    answers = {
        n for source in code for region in solution_regions(source) for n in assigned(region)
    }
    for source in code:
        for label in key_labels(source, answers):
            keys.checks[label] = key_code(source, label)
        if is_quiz(source):
            keys.quizzes.append(quiz_spec(source))
    return keys


def trainee_edition(nb: NotebookNode) -> NotebookNode:
    """A copy of a lesson with no solution, no expected value and no quiz key in it."""
    out = copy.deepcopy(nb)
    answers = lesson_keys(nb).answers
    quizzes = 0
    for cell in out.cells:
        if cell.cell_type != "code":
            continue
        if solution_regions(cell.source):
            cell.source = scaffold(cell.source, answers)
        elif key_labels(cell.source, answers):
            cell.source = short_check(cell.source, answers)
        elif is_quiz(cell.source):
            quizzes += 1
            cell.source = short_quiz(cell.source, quizzes)
    return out
