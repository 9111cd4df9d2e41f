"""Does a trainee edition hold practice, not answers, and does the supervisor edition keep them?

Every lesson is built; each trainee-edition notebook is scanned for every solution line,
every line of the checks' key code and every quiz key (``correct:`` / a numeric ``answer:``),
the way ``grading/leaks.py`` scans what trainees receive of an assignment: a secret line is
one found only in those places of the source, at least 6 characters long.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from lesson_flow import missing_in_trainee

from shegong import editions
from shegong.courses import discover
from shegong.lessons import build_courses, read_lesson, supervisor_root

LESSONS = [(c.id, lesson) for c in discover() for lesson in c.lessons]
MIN_LENGTH = 6
# The hint an exercise cell opens with: write code, or (a choice) only fill in the quotes.
HINTS = (
    "# 在这里写你的代码 / write your code here",
    "# 在引号里填字母 / type the letter between quotes",
)


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("editions") / "courses"
    build_courses(out)
    return out


def _source(course: str, lesson: str) -> nbformat.NotebookNode:
    return read_lesson(next(c for c in discover() if c.id == course).lesson_path(lesson))


def secret_lines(source: nbformat.NotebookNode) -> set[str]:
    """Lines of solutions, key code and quiz keys that appear nowhere public in the source."""
    secret: list[str] = []
    public: list[str] = []
    keys = editions.lesson_keys(source)
    for cell in source.cells:
        lines = cell.source.splitlines()
        if cell.cell_type != "code":
            public += lines
            continue
        regions = {line for r in editions.solution_regions(cell.source) for line in r.splitlines()}
        if regions:
            secret += regions
            public += [line for line in lines if line not in regions]
        elif editions.key_labels(cell.source, keys.answers):
            imports = editions.short_check(cell.source, keys.answers).splitlines()
            secret += [line for line in lines if line not in imports]
            public += imports
        elif editions.is_quiz(cell.source):
            secret += [line for line in lines if "correct:" in line or "answer:" in line]
        else:
            public += lines
    seen = "\n".join(line.strip() for line in public)
    marks = (editions.SOLUTION_BEGIN, editions.SOLUTION_END)
    found = {line.strip() for line in secret if line.strip() not in marks}
    return {line for line in found if len(line) >= MIN_LENGTH and line not in seen}


def _text(path: Path) -> str:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return "\n".join("".join(c["source"]) for c in nb["cells"]) + json.dumps(nb["metadata"])


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=lambda x: str(x))
def test_no_solution_or_key_reaches_the_trainee_edition(
    build: Path, course: str, lesson: str
) -> None:
    """Is every solution line, key line and quiz key absent from both trainee notebooks?"""
    source = _source(course, lesson)
    secrets = secret_lines(source)
    answers = editions.lesson_keys(source).answers
    assert secrets, "a lesson with practice has secrets to keep"
    supervisor = _text(next((supervisor_root(build) / "zh" / course).glob(f"*-{lesson}.ipynb")))
    assert sorted(s for s in secrets if s not in supervisor) == [], "the scan can see them"
    for lang in ("zh", "en"):
        text = _text(next((build / lang / course).glob(f"*-{lesson}.ipynb")))
        leaks = sorted(line for line in secrets if line in text)
        assert leaks == [], f"{course}/{lesson} ({lang}) shows: {leaks}"
        for marker in ("correct:", "BEGIN SOLUTION", "Quiz.from_yaml"):
            assert marker not in text, f"{course}/{lesson} ({lang}) shows {marker}"
        for line in text.splitlines():
            checked = [a for a in answers if line.startswith(f'check("{a}"')]
            assert not checked or "expected" not in line, f"{course}/{lesson}: {line}"


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=lambda x: str(x))
def test_every_exercise_has_a_scaffold_and_a_short_check(
    build: Path, course: str, lesson: str
) -> None:
    """Does each exercise keep its hint, scaffold each checked answer, and check it briefly?"""
    source = _source(course, lesson)
    answers = editions.lesson_keys(source).answers
    nb = nbformat.read(next((build / "zh" / course).glob(f"*-{lesson}.ipynb")), as_version=4)
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    exercises = [c for c in source.cells if editions.solution_regions(c.source)]
    assert exercises, f"{course}/{lesson} marks its solutions"
    for cell in exercises:
        names = [n for r in editions.solution_regions(cell.source) for n in editions.assigned(r)]
        assert set(names) & answers, f"an exercise of {course}/{lesson} answers no check"
    for name in answers:
        assert editions.SCAFFOLD.format(name=name) in code, name
        assert f'check("{name}", {name}, lang=LANG)' in code, name
    assert sum(code.count(hint) for hint in HINTS) == len(exercises)
    assert f'LESSON = "{course}/{lesson}"' in nb.cells[0].source


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=lambda x: str(x))
def test_the_trainee_edition_needs_nothing_it_lacks(course: str, lesson: str) -> None:
    """Does no later cell or key use a name only a solution or a key defined?"""
    source = _source(course, lesson)
    assert missing_in_trainee(source, editions.trainee_edition(source)) == []


def test_supervisor_edition_keeps_the_solutions(build: Path) -> None:
    """Is the supervisor edition beside the build, with the solutions and the full checks?"""
    root = supervisor_root(build)
    assert root.name == "courses-supervisor"
    path = next((root / "zh" / "casework").glob("*-intake-screening.ipynb"))
    text = _text(path)
    assert "### BEGIN SOLUTION" in text and "expected=expected" in text and "correct: true" in text
    assert json.loads(path.read_text(encoding="utf-8"))["metadata"]["shegong"]["edition"] == (
        "supervisor"
    )


def test_index_links_the_trainee_edition_and_names_the_supervisor_one(build: Path) -> None:
    """Does each trainee index tell trainers where the supervisor edition is?"""
    zh = _text(build / "zh" / "index.ipynb")
    en = _text(build / "en" / "index.ipynb")
    assert "督导版" in zh and "courses-supervisor/zh" in zh
    assert "supervisor edition" in en and "courses-supervisor/en" in en
    assert "casework/01-intake-screening.ipynb" in zh


def test_counts_of_what_was_converted(build: Path) -> None:
    """Are all 60 exercises and all 25 quizzes (101 keyed options) taken out of sight?"""
    sources = [_source(c, lesson) for c, lesson in LESSONS]
    exercises = sum(len(editions.solution_regions(c.source)) for s in sources for c in s.cells)
    quizzes = [q for s in sources for q in editions.lesson_keys(s).quizzes]
    assert exercises >= 60 and len(quizzes) >= len(LESSONS)
    assert sum(q.count("correct: true") for q in quizzes) >= 101
