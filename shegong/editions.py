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
"""

from __future__ import annotations

import copy

import nbformat
from nbformat import NotebookNode

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
