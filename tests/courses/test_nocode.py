"""Is the no-code share of each course counted the way ``shegong.nocode`` defines it?

A small synthetic course (two lessons and an assignment master) holds one of each kind:
quiz questions, a fill-in exercise, a computed exercise, a written answer; a choice, a code
answer, a written answer. The real courses are counted too, and each assignment's own
statement of its points ("代码题 6 分，选择题 8 分，书面题 6 分") must agree with the count.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from shegong.cli import main
from shegong.courses import load_course
from shegong.grading.masters import discover as assignments
from shegong.grading.masters import read_master
from shegong.messages import text
from shegong.nocode import (
    NO_CODE_PRACTICE,
    Share,
    assignment_points,
    count_all,
    count_course,
    index_line,
    is_fill_in,
    table,
)


def _cell(
    grade_id: str, *, grade: bool, solution: bool, points: int = 0, markdown: bool = False
) -> str:
    """A py:percent cell marker with nbgrader's metadata."""
    meta = {"grade": grade, "grade_id": grade_id, "locked": not solution}
    meta |= {"schema_version": 3, "solution": solution} | ({"points": points} if grade else {})
    return f"# %% {'[markdown] ' if markdown else ''}nbgrader={json.dumps(meta)}"


def header(lesson: str) -> str:
    """Front matter a course loader accepts (the traceability fields included)."""
    return (
        "---\nkernelspec:\n  display_name: Python 3\n  name: python3\nshegong:\n"
        f"  id: {lesson}\n  title_zh: 课\n  title_en: Lesson\n  minutes: 30\n"
        '  standards: ["MZ/T 094-2017"]\n  programme: []\n  competency: [m_casework]\n'
        "  exam: []\n---\n\n"
    )


QUIZ = '''
```{code-cell} ipython3
from shegong.widgets import Quiz

Quiz.from_yaml("""
- id: one
  prompt: {zh: 一, en: one}
  options:
    - {id: a, text: {zh: 甲, en: a}, correct: true}
    - {id: b, text: {zh: 乙, en: b}}
- id: two
  kind: numeric
  prompt: {zh: 二, en: two}
  answer: 3
""", lang=LANG)
```
'''
FILL_IN = """
```{code-cell} ipython3
# 在引号里填字母 / a letter between the quotes
### BEGIN SOLUTION
best = "b"
### END SOLUTION
```

```{code-cell} ipython3
from shegong.widgets import check

check("best", best, expected="b", lang=LANG)
```
"""
COMPUTED = """
```{code-cell} ipython3
# 在这里写你的代码 / write your code here
### BEGIN SOLUTION
rows = [1, 2, 3]
total = sum(rows)
### END SOLUTION
```

```{code-cell} ipython3
from shegong.widgets import check

check("total", total, expected=6, lang=LANG)
```
"""
WRITTEN = '''
```{code-cell} ipython3
# 用一两句话写下你的开场白 / your opening in a sentence or two
### BEGIN SOLUTION
opening = """您好，我是镇上社工站的社工。"""
### END SOLUTION
```
'''
MASTER = f"""# ---
# jupyter:
#   shegong:
#     id: demo
#     title_zh: 演示作业
#     title_en: Demo assignment
# ---

{_cell("step", grade=False, solution=True)}
# 可选 / choices: "a", "b"
step = ""
### BEGIN SOLUTION
step = "a" if True else "b"
### END SOLUTION

{_cell("step_test", grade=True, solution=False, points=3)}
from shegong.grading.checks import expect_choice, expect_defined

expect_choice(expect_defined("step"), ("a", "b"), "step")

{_cell("count", grade=False, solution=True)}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
count = len([x for x in "ab"])
### END SOLUTION

{_cell("count_test", grade=True, solution=False, points=5)}
assert count == 2

{_cell("note", grade=True, solution=True, points=2, markdown=True)}
# **答 / Answer:**
#
# ### BEGIN SOLUTION
# 写得清楚。
# ### END SOLUTION
"""


@pytest.fixture
def demo(tmp_path: Path) -> tuple[Path, Path]:
    """A course ``demo`` of two lessons, and an ``assignments/demo`` master beside it."""
    course = tmp_path / "courses" / "demo"
    course.mkdir(parents=True)
    (course / "course.yml").write_text(
        "id: demo\norder: 9\ntitle_zh: 演示\ntitle_en: Demo\nhours: 1\nlessons: [one, two]\n",
        encoding="utf-8",
    )
    (course / "one.md").write_text(header("one") + QUIZ + FILL_IN, encoding="utf-8")
    (course / "two.md").write_text(header("two") + COMPUTED + WRITTEN, encoding="utf-8")
    master = tmp_path / "assignments" / "demo"
    master.mkdir(parents=True)
    (master / "demo.py").write_text(MASTER, encoding="utf-8")
    return course, tmp_path / "assignments"


def test_each_kind_of_practice_and_of_points_is_counted(demo: tuple[Path, Path]) -> None:
    """Quiz questions, fill-in and written answers need no code; computing does."""
    folder, root = demo
    count = count_course(load_course(folder), root)
    assert dict(count.practice) == {"quiz": 2, "fill_in": 1, "code": 1, "written": 1}
    assert count.practice_share == Share(4, 5)
    assert count.points == {"choice": 3.0, "code": 5.0, "written": 2.0}
    assert count.points_share == Share(5, 10)
    assert count.assignment == "demo"


def test_a_course_without_an_assignment_has_no_points(demo: tuple[Path, Path]) -> None:
    """Does a course with no master of its id count its practice and no points?"""
    folder, _root = demo
    count = count_course(load_course(folder), folder.parent / "nowhere")
    assert count.assignment is None and count.points_share.total == 0
    assert text("nocode.index_no_assignment", "zh") in index_line(count, "zh")
    assert "4/5" in index_line(count, "zh") and "80%" in index_line(count, "en")


@pytest.mark.parametrize(
    ("source", "fill"),
    [
        ('# 可选\nstep = ""\n### BEGIN SOLUTION\nstep = "a"\n### END SOLUTION', True),
        ("flag = None\n### BEGIN SOLUTION\nflag = bool(x > 0)\n### END SOLUTION", True),
        ("# YOUR CODE HERE\n### BEGIN SOLUTION\nflag = x > 0\n### END SOLUTION", False),
        ("flag = compute()\n### BEGIN SOLUTION\nflag = True\n### END SOLUTION", False),
        ('other = ""\n### BEGIN SOLUTION\nflag = True\n### END SOLUTION', False),
    ],
)
def test_a_fill_in_cell_only_replaces_literal_placeholders(source: str, fill: bool) -> None:
    """Is an answer cell a choice only when the trainee replaces a literal placeholder?"""
    assert is_fill_in(source) is fill


def test_the_table_names_every_course_in_both_languages(demo: tuple[Path, Path]) -> None:
    """Does the printed table have a bilingual head and one row per course with its shares?"""
    folder, root = demo
    shown = table([count_course(load_course(folder), root)])
    head, _rule, row = shown.splitlines()
    assert "课程 / course" in head and "不用代码的练习 / practice without code" in head
    assert row.startswith("| 演示 / Demo | 4/5 (80%) |") and "5/10 (50%)" in row
    assert "测验题 / quiz 2" in row and "代码 / code 5" in row


def test_every_method_course_is_counted_and_the_command_prints_it(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Does `shegong courses nocode` print a row for every course of the checkout?"""
    counts = count_all()
    assert main(["courses", "nocode"]) == 0
    out = capsys.readouterr().out
    assert "不写代码" in out and "needs no code" in out
    for count in counts:
        assert f"| {count.course.title('zh')} / {count.course.title('en')} |" in out
        assert count.practice_share.total > 0
        assert set(count.practice) <= {*NO_CODE_PRACTICE, "code"}


STATED = re.compile(r"代码题 (\d+) 分，选择题 (\d+) 分，书面题 (\d+) 分")


@pytest.mark.parametrize("assignment", assignments(), ids=lambda a: a.id)
def test_an_assignment_states_its_points_as_counted(assignment: object) -> None:
    """Does the split an assignment tells the trainee match what the count finds?"""
    nb = read_master(assignment.master)  # type: ignore[attr-defined]
    stated = next((m for c in nb.cells if (m := STATED.search(c.source))), None)
    if stated is None:
        pytest.skip("this assignment does not state its split")
    points = assignment_points(nb)
    found = (points["code"], points["choice"], points["written"])
    assert found == tuple(float(g) for g in stated.groups())
