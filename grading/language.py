"""Language editions of one assignment: Chinese (default) and English from one master.

``edition(master, lang)`` keeps the prose of one language and every shared cell, and adds
the setup cell (``LANG = start("zh")``), exactly like the lesson build. The graded cells
(answers, tests, written answers, given code) are shared, byte for byte, so the gradebook
built from the Chinese edition grades an English submission identically; a test proves it.

Each prose cell carries ``shegong.prose`` (``p01``, ``p02``, ...: the k-th zh/en pair), so
``switch_language`` can turn a trainee's notebook into the other language in place without
touching a single answer.
"""

from __future__ import annotations

import copy
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from shegong import editions
from shegong.grading import cells
from shegong.grading.config import GradingError
from shegong.messages import LANGS, Lang


def _cell_id(cell: NotebookNode, index: int) -> str:
    key = cells.prose_key(cell) or cells.grade_id(cell)
    if key:
        return key.replace("_", "-")
    return f"c{index:03d}"


def edition(master: NotebookNode, lang: Lang) -> NotebookNode:
    """The ``lang`` edition of a master notebook (a new notebook; the master is unchanged)."""
    if lang not in LANGS:
        raise GradingError("grading.error.lang", lang=lang, choices=", ".join(LANGS))
    out = editions.with_setup(editions.keep_language(master, lang, prose_pairs=True), lang)
    for index, cell in enumerate(out.cells):
        cell["id"] = "setup" if index == 0 else _cell_id(cell, index)
    editions.finish(out)
    out.metadata.setdefault("shegong", {})["lang"] = lang
    nbformat.validate(out)
    return out


def notebook_lang(nb: NotebookNode) -> Lang:
    """The language of an edition (zh when unknown)."""
    value = nb.metadata.get("shegong", {}).get("lang", "zh")
    return "en" if value == "en" else "zh"


def switch(nb: NotebookNode, target: NotebookNode) -> NotebookNode:
    """``nb`` with its prose and setup cells taken from ``target`` (another edition).

    Answers, tests and every other cell of ``nb`` stay exactly as they are; prose cells are
    matched by their ``shegong.prose`` key.
    """
    replacement = {key: cell for cell in target.cells if (key := cells.prose_key(cell)) is not None}
    target_setup = next((c for c in target.cells if cells.kind(c) == "setup"), None)
    out = copy.deepcopy(nb)
    for index, cell in enumerate(out.cells):
        key = cells.prose_key(cell)
        if key in replacement:
            out.cells[index] = copy.deepcopy(replacement[key])
        elif cells.kind(cell) == "setup" and target_setup is not None:
            out.cells[index] = copy.deepcopy(target_setup)
    out.metadata.setdefault("shegong", {})["lang"] = notebook_lang(target)
    return out


def switch_language(path: Path, target_edition: Path) -> Path:
    """Rewrite the notebook at ``path`` in the language of ``target_edition``, keeping answers."""
    nb = nbformat.read(path, as_version=4)
    target = nbformat.read(target_edition, as_version=4)
    nbformat.write(switch(nb, target), path)
    return path
