"""The map in docs/architecture.md holds: which part may import which, and no hidden cycles.

The library is read as source (``ast``), so these tests need no imports of it and name the
file and line of every import that breaks a rule.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDERS = {
    "shegong": "shegong",
    "datasets": "shegong.datasets",
    "widgets": "shegong.widgets",
    "grading": "shegong.grading",
}
# A part of the library, by the longest module prefix that names it; the rest of
# ``shegong`` is the base (messages, errors, text, paths, settings, ...) or an entry point.
PARTS = {
    "shegong.datasets": "datasets",
    "shegong.widgets": "widgets",
    "shegong.grading": "grading",
    "shegong.records": "records",
    "shegong.evaluation": "evaluation",
    "shegong.exports": "exports",
    "shegong.cli": "entry",
    "shegong.__main__": "entry",
    "shegong.demo": "entry",
    "shegong.apps": "entry",
    "shegong.lab": "entry",
    "shegong.lessons": "entry",
    "shegong.courses": "entry",
    "shegong.nocode": "entry",  # counts courses and assignment masters (grading)
    "shegong.voila_config": "entry",
    "shegong.hub": "entry",  # `shegong hub`: the shared deployment's command
}
BASE = {"base"}
# What each part may import (besides itself). docs/architecture.md shows the same table.
ALLOWED = {
    "base": BASE,
    "datasets": BASE,
    "exports": BASE | {"datasets"},
    "evaluation": BASE,
    "records": BASE | {"datasets", "evaluation"},
    "grading": BASE | {"datasets", "exports", "evaluation", "records"},
    "widgets": BASE | {"datasets", "exports", "evaluation", "records", "grading"},
    "entry": BASE | {"datasets", "exports", "evaluation", "records", "grading", "entry"},
}
MODULE_LINES = 400


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported shegong module
    path: Path
    line: int
    in_function: bool
    type_only: bool = False


def module_name(path: Path) -> str:
    rel = path.relative_to(ROOT)
    parts = list(rel.with_suffix("").parts[1:])
    if parts and parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join([FOLDERS[rel.parts[0]], *parts])


def library_files() -> Iterator[Path]:
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def part_of(module: str) -> str:
    best = max((p for p in PARTS if module == p or module.startswith(p + ".")), key=len, default="")
    return PARTS[best] if best else "base"


def _functions(tree: ast.AST) -> set[int]:
    """Ids of import nodes that sit inside a function body."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            inside |= {id(n) for n in ast.walk(node) if isinstance(n, ast.Import | ast.ImportFrom)}
    return inside


def _type_checking(tree: ast.AST) -> set[int]:
    """Ids of import nodes under ``if TYPE_CHECKING:`` (never run)."""
    return {
        id(n)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test).endswith("TYPE_CHECKING")
        for n in ast.walk(node)
        if isinstance(n, ast.Import | ast.ImportFrom)
    }


def imports(path: Path) -> Iterator[Import]:
    source = module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"))
    inside, typing_only = _functions(tree), _type_checking(tree)
    package = source if path.name == "__init__.py" else source.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module or ""
            # ``from pkg import sub`` imports the submodule when there is one
            targets = [module]
            targets += [
                f"{module}.{a.name}" for a in node.names if _is_module(f"{module}.{a.name}")
            ]
        else:
            continue
        for target in targets:
            if target == "shegong" or target.startswith("shegong."):
                yield Import(
                    source, target, path, node.lineno, id(node) in inside, id(node) in typing_only
                )


def _is_module(name: str) -> bool:
    return name in MODULES


MODULES = {module_name(p) for p in library_files()}
ALL_IMPORTS = [imp for path in library_files() for imp in imports(path)]


def _where(imp: Import) -> str:
    return f"{imp.path.relative_to(ROOT)}:{imp.line} ({imp.source} -> {imp.target})"


def test_every_module_is_in_a_known_part() -> None:
    assert MODULES, "no library modules found"
    assert {part_of(m) for m in MODULES} <= set(ALLOWED)


def test_parts_import_only_what_the_map_allows() -> None:
    broken = [
        _where(imp)
        for imp in ALL_IMPORTS
        if (src := part_of(imp.source)) != (dst := part_of(imp.target)) and dst not in ALLOWED[src]
    ]
    assert broken == [], "imports the architecture map forbids:\n" + "\n".join(broken)


def test_nothing_outside_the_widgets_and_the_apps_imports_widgets() -> None:
    """The core, datasets, records and grading run without ipywidgets' page code."""
    broken = [
        _where(imp)
        for imp in ALL_IMPORTS
        if part_of(imp.target) == "widgets" and part_of(imp.source) != "widgets"
    ]
    assert broken == []


def _module_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in ALL_IMPORTS:
        if (
            not (imp.in_function or imp.type_only)
            and imp.target in MODULES
            and imp.target != imp.source
        ):
            graph[imp.source].add(imp.target)
    return graph


def _reaches(graph: dict[str, set[str]], start: str, goal: str) -> bool:
    seen, todo = set(), [start]
    while todo:
        node = todo.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            todo.extend(graph.get(node, ()))
    return False


def test_no_function_level_import_hides_an_import_cycle() -> None:
    """An import inside a function must not be there to dodge a cycle: at module level it
    would have to be possible. (Lazy imports of heavy libraries are outside ``shegong``.)"""
    graph = _module_graph()
    hidden = [
        _where(imp)
        for imp in ALL_IMPORTS
        if imp.in_function
        and imp.target in MODULES
        and imp.target != imp.source
        and not imp.source.startswith(imp.target + ".")  # a package's own parent
        and _reaches(graph, imp.target, imp.source)
    ]
    assert hidden == [], "function-level imports that hide a cycle:\n" + "\n".join(hidden)


@pytest.mark.parametrize("path", list(library_files()), ids=lambda p: str(p.relative_to(ROOT)))
def test_library_modules_stay_small(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MODULE_LINES, f"{path.relative_to(ROOT)} has {lines} lines; split it"


def test_the_rule_catches_a_forbidden_import(tmp_path: Path) -> None:
    """The checker itself sees a datasets module importing the widgets."""
    fake = Import(
        "shegong.datasets.world.cases", "shegong.widgets.lessons.quiz", tmp_path, 1, False
    )
    assert part_of(fake.target) not in ALLOWED[part_of(fake.source)]
    assert part_of("shegong.records.store") == "records"
    assert part_of("shegong.messages") == "base"


def test_the_map_names_every_package_folder() -> None:
    """docs/architecture.md lists each package folder of the library (zh and en sections)."""
    doc = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    zh, _, en = doc.partition("## English")
    folders = sorted(
        {
            p.parent.name
            for p in library_files()
            if p.name == "__init__.py" and p.parent != ROOT / p.relative_to(ROOT).parts[0]
        }
    )
    assert folders, "no package folders found"
    for section in (zh, en):
        missing = [name for name in folders if f"{name}/" not in section]
        assert missing == [], f"docs/architecture.md does not name: {missing}"
