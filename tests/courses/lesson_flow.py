"""Which names a lesson's cells need and define (a static read of the code, for the tests).

A trainee edition drops the solutions and the check cells' key code; ``missing_in_trainee``
names every cell that would then use a name nothing the trainee runs has defined, and every
key whose code uses a name the trainee's notebook does not define before it.
"""

from __future__ import annotations

import ast
import builtins
import re

from nbformat import NotebookNode

from shegong import editions

KERNEL_NAMES = {"LANG", "LESSON", "display", "get_ipython"}
AT_NAME = re.compile(r"@([A-Za-z_]\w*)")


def defined(code: str) -> set[str]:
    """Names a piece of code binds: assignments, imports, functions, arguments, loops."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store | ast.Del):
            names.add(node.id)
        elif isinstance(node, ast.alias):
            names.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.add(node.name)
        elif isinstance(node, ast.arg):
            names.add(node.arg)
    return names


def used(code: str) -> set[str]:
    """Names a piece of code reads (``@name`` inside pandas query strings included)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Load):
            names.add(node.id)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            names.update(AT_NAME.findall(node.value))
    return names - set(dir(builtins)) - KERNEL_NAMES


def missing_in_trainee(source: NotebookNode, trainee: NotebookNode) -> list[str]:
    """Problems: ``cell k uses x`` / ``key y uses x`` for names the trainee never defines."""
    keys = editions.lesson_keys(source)
    problems: list[str] = []
    have: set[str] = set()
    code = [c for c in trainee.cells if c.cell_type == "code" and not editions.is_setup(c)]
    for k, cell in enumerate(code):
        for label in editions.key_labels(_original(source, k), keys.answers):
            key = keys.checks[label]
            for name in sorted(used(key) - defined(key) - have - {label}):
                problems.append(f"key {label} uses {name}")
        for name in sorted(used(cell.source) - defined(cell.source) - have):
            problems.append(f"cell {k} uses {name}")
        if not editions.key_labels(_original(source, k), keys.answers):
            for name in sorted(used(cell.source) & keys.answers - scaffolded(cell.source)):
                problems.append(f"cell {k} uses the trainee's answer {name}")
        have |= defined(cell.source)
    return problems


def scaffolded(code: str) -> set[str]:
    """The answers an exercise cell leaves for the trainee (``name = ...``)."""
    return {line.split(" = ")[0] for line in code.splitlines() if " = ...  # " in line}


def _original(source: NotebookNode, k: int) -> str:
    return [c.source for c in source.cells if c.cell_type == "code"][k]
