"""Are lessons, apps and assignments split into zh/en editions the one same way?"""

from __future__ import annotations

import nbformat
from nbformat import NotebookNode

from shegong import editions
from shegong.grading import cells, language
from shegong.lessons import for_language


def _source() -> NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.metadata["jupytext"] = {"formats": "md:myst"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 第一课", metadata={"lang": "zh"}),
        nbformat.v4.new_markdown_cell("# Lesson one", metadata={"lang": "en"}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("二", metadata={"lang": "zh"}),
        nbformat.v4.new_markdown_cell("two", metadata={"lang": "en"}),
        nbformat.v4.new_markdown_cell("shared"),
    ]
    return nb


def test_an_edition_keeps_its_own_prose_and_every_shared_cell() -> None:
    source = _source()
    kept = editions.keep_language(source, "en", prose_pairs=True)
    assert [c.source for c in kept.cells] == ["# Lesson one", "x = 1", "two", "shared"]
    assert [c.metadata.get("shegong", {}).get("prose") for c in kept.cells] == [
        "p01",
        None,
        "p02",
        None,
    ]
    assert all("lang" not in c.metadata for c in kept.cells)
    assert source.cells[1].metadata["lang"] == "en"  # the source is unchanged


def test_lessons_and_assignments_get_the_same_setup_cell_and_metadata() -> None:
    lesson = for_language(_source(), "zh")
    assignment = language.edition(_source(), "zh")
    for nb in (lesson, assignment):
        setup = nb.cells[0]
        assert editions.is_setup(setup) and cells.kind(setup) == "setup"
        assert setup.source == 'from shegong.notebook import start\n\nLANG = start("zh")'
        assert setup.metadata == editions.setup_cell("zh").metadata
        assert nb.metadata["kernelspec"] == editions.KERNELSPEC
        assert "jupytext" not in nb.metadata
        assert sum(editions.is_setup(c) for c in nb.cells) == 1
    assert [c.source for c in lesson.cells[1:]] == ["# 第一课", "x = 1", "二", "shared"]
    assert [c.id for c in lesson.cells] == ["c000", "c001", "c002", "c003", "c004"]


def test_a_lesson_built_with_the_old_setup_tag_is_still_recognised() -> None:
    old = for_language(_source(), "zh")
    old.cells[0].metadata = {"tags": [editions.OLD_SETUP_TAG]}
    assert editions.is_setup(old.cells[0]) and cells.kind(old.cells[0]) == "setup"
    assert not editions.is_setup(old.cells[1])


def test_the_parameters_cell_names_the_language() -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell('LANG = "zh"', metadata={"tags": ["parameters"]})]
    assert editions.set_parameters(nb, "en") and nb.cells[0].source == "LANG = 'en'"
    assert not editions.set_parameters(nbformat.v4.new_notebook(), "en")
