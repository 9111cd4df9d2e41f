"""Are the assignment masters sound, and do both language editions grade identically?"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import jupytext
import pytest

from shegong.grading import cells, language, leaks, masters
from shegong.grading.config import GradingError
from shegong.grading.rubric import load_rubric

ASSIGNMENTS = ("data-basics", "casework", "groupwork", "community", "practice", "fields")


def test_one_assignment_per_course_and_data_basics() -> None:
    """Are the assignments of data basics, the three method courses, practice skills and the
    field areas all there, in the courses' order?"""
    found = [a.id for a in masters.discover()]
    assert found == list(ASSIGNMENTS)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_master_and_rubric_validate(assignment_id: str) -> None:
    """Does every master pass validation, with a rubric scoring exactly its written answers?"""
    info = masters.find(assignment_id)
    rubric = masters.validate(info)
    nb = masters.read_master(info.master)
    graded = cells.graded_cells(nb)
    kinds = {cells.kind(c) for c in nb.cells}
    assert {"answer", "test", "written", "given", "prose"} <= kinds
    assert sum(c.points for c in graded) == 20
    written = [c for c in graded if c.kind == "written"]
    assert set(rubric.cells) == {c.grade_id for c in written}


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_each_mixes_code_choice_and_written_answers(assignment_id: str) -> None:
    """Has each assignment a choice a non-programmer fills in (a quoted value or a literal)?"""
    nb = masters.read_master(masters.find(assignment_id).master)
    choices = [
        c
        for c in nb.cells
        if cells.kind(c) == "answer"
        and re.search(r"^\w+ = (\"\"|None)$", c.source.split("### BEGIN")[0], re.M)
    ]
    assert choices, "no choice stored in a named variable"
    assert all("input(" not in c.source for c in nb.cells)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_nbgrader_metadata_survives_the_jupytext_round_trip(assignment_id: str) -> None:
    """Does py:percent text -> notebook -> text -> notebook keep every nbgrader field?"""
    path = masters.find(assignment_id).master
    first = jupytext.read(path, fmt="py:percent")
    again = jupytext.reads(jupytext.writes(first, fmt="py:percent"), fmt="py:percent")
    assert len(first.cells) == len(again.cells)
    for one, two in zip(first.cells, again.cells, strict=True):
        assert one.cell_type == two.cell_type
        assert one.source == two.source
        assert one.metadata.get("nbgrader") == two.metadata.get("nbgrader")
        assert one.metadata.get("lang") == two.metadata.get("lang")
    assert any(cells.nbgrader(c).get("points") for c in again.cells)


@pytest.mark.parametrize("assignment_id", ASSIGNMENTS)
def test_language_editions_share_every_graded_cell(assignment_id: str) -> None:
    """Are answer, test, written and given cells byte-identical in zh and en editions?"""
    master = masters.read_master(masters.find(assignment_id).master)
    zh, en = language.edition(master, "zh"), language.edition(master, "en")
    graded = ("answer", "test", "written", "given")
    zh_cells = [(c.source, dict(c.metadata)) for c in zh.cells if cells.kind(c) in graded]
    en_cells = [(c.source, dict(c.metadata)) for c in en.cells if cells.kind(c) in graded]
    assert zh_cells == en_cells
    zh_prose = [c.source for c in zh.cells if cells.kind(c) == "prose"]
    en_prose = [c.source for c in en.cells if cells.kind(c) == "prose"]
    assert len(zh_prose) == len(en_prose) and zh_prose != en_prose
    assert language.notebook_lang(en) == "en" and 'start("en")' in en.cells[0].source


def test_switching_language_keeps_the_answers() -> None:
    """Does switch() swap prose and setup but leave a trainee's answers untouched?"""
    master = masters.read_master(masters.find("casework").master)
    zh, en = language.edition(master, "zh"), language.edition(master, "en")
    zh.cells[
        [cells.grade_id(c) for c in zh.cells].index("risk_level")
    ].source = 'risk_level = "high"'
    switched = language.switch(zh, en)
    assert language.notebook_lang(switched) == "en"
    by_id = cells.nbgrader_cells(switched)
    assert by_id["risk_level"].source == 'risk_level = "high"'
    prose = [c.source for c in switched.cells if cells.kind(c) == "prose"]
    assert prose == [c.source for c in en.cells if cells.kind(c) == "prose"]


def _copy_assignment(tmp_path: Path, assignment_id: str) -> Path:
    folder = tmp_path / assignment_id
    shutil.copytree(masters.find(assignment_id).folder, folder)
    return folder


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda s: s.replace('"grade_id": "risk_level_test"', '"grade_id": "risk_level"'),
            "risk_level",
        ),
        (
            lambda s: s.replace("### END SOLUTION\n\n# %% nbgrader", "\n# %% nbgrader", 1),
            "unpaired",
        ),
        (
            lambda s: s.replace(
                '"grade_id": "phq9_band_test", "locked": true',
                '"grade_id": "phq9_band_test", "locked": false',
            ),
            "locked",
        ),
        (
            lambda s: s.replace('# %% [markdown] lang="en"', '# %% [markdown] lang="zh"', 1),
            "zh, en",
        ),
        (lambda s: s.replace('"points": 6,', '"points": 5,'), "add up"),
        (lambda s: s.replace('"grade_id": "plan"', '"grade_id": "Plan!"'), "Plan!"),
    ],
    ids=[
        "duplicate-id",
        "unpaired-marker",
        "unlocked-test",
        "prose-pairs",
        "rubric-points",
        "bad-id",
    ],
)
def test_broken_masters_are_refused_with_a_bilingual_reason(
    tmp_path: Path, edit: object, message: str
) -> None:
    """Does validation name the problem in Chinese and English, before nbgrader fails later?"""
    folder = _copy_assignment(tmp_path, "casework")
    master = folder / "casework.py"
    master.write_text(edit(master.read_text(encoding="utf-8")), encoding="utf-8")  # type: ignore[operator]
    with pytest.raises(GradingError) as caught:
        masters.validate(masters.info(folder))
    zh, en = str(caught.value).split("\n")
    assert re.search(r"[\u4e00-\u9fff]", zh)
    assert message.lower() in en.lower()


def test_rubric_problems_name_file_and_place(tmp_path: Path) -> None:
    """Does a rubric with one level, or without English, say which file and where?"""
    path = tmp_path / "rubric.yml"
    path.write_text(
        "assignment: x\ncriteria:\n  - id: a\n    cell: c\n    title: {zh: 甲, en: A}\n"
        "    levels:\n      - {points: 0, label: {zh: 无, en: none}, descriptor: {zh: 无}}\n"
        "      - {points: 1, label: {zh: 有, en: some}, descriptor: {zh: 有, en: some}}\n",
        encoding="utf-8",
    )
    with pytest.raises(GradingError) as caught:
        load_rubric(path)
    assert "criteria[0].levels[0].descriptor" in str(caught.value)
    assert str(path) in str(caught.value)


def test_secret_lines_are_solutions_and_hidden_tests_only() -> None:
    """Are solution and hidden-test lines secret, but hints also shown in prose not?"""
    master = masters.read_master(masters.find("data-basics").master)
    secrets = leaks.secret_lines(master)
    assert 'top_station = station_table.iloc[0]["name_zh"]' in secrets
    assert any('_load("ledger")' in line for line in secrets)
    assert "import matplotlib.pyplot as plt" not in secrets


def test_a_leaked_solution_is_found(tmp_path: Path) -> None:
    """Would a release that still contains a solution line be caught?"""
    master = masters.read_master(masters.find("community").master)
    release = language.edition(master, "zh")  # never cleared: full of solutions
    import nbformat

    nbformat.write(release, tmp_path / "community.ipynb")
    found = leaks.find_leaks(master, [tmp_path])
    assert any('linkage_party = "charity"' in leak.line for leak in found)
