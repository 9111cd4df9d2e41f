"""Are the courses well formed: lessons listed exist, objectives stated, zh/en prose paired?"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shegong.courses import CourseError, discover, load_course
from shegong.lessons import for_language, prose_cells, read_lesson

COURSES = discover()
LESSONS = [(c, lesson) for c in COURSES for lesson in c.lessons]
HAN = re.compile(r"[\u4e00-\u9fff]")


def test_the_four_courses_exist() -> None:
    """Are the four courses of the curriculum there, in teaching order?"""
    assert [c.id for c in COURSES][:1] == ["data-basics"]
    assert {c.id for c in COURSES} <= {
        "data-basics",
        "casework",
        "groupwork",
        "community",
        "practice",
    }


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=lambda x: getattr(x, "id", x))
def test_lesson_prose_pairs_up(course: object, lesson: str) -> None:
    """Does every Chinese prose cell have an English twin at the same place, same headings?"""
    nb = read_lesson(course.lesson_path(lesson))  # type: ignore[attr-defined]
    tagged = [c.metadata.get("lang") for c in nb.cells if c.cell_type == "markdown"]
    assert None not in tagged, "every prose cell is tagged zh or en"
    assert tagged == ["zh", "en"] * (len(tagged) // 2), "zh and en cells alternate in pairs"
    zh, en = prose_cells(nb, "zh"), prose_cells(nb, "en")
    for a, b in zip(zh, en, strict=True):
        assert HAN.search(a.source), a.source[:60]
        assert not HAN.search(re.sub(r"`[^`]*`", "", b.source)), b.source[:60]
        heads_a = re.findall(r"^(#+) ", a.source, flags=re.M)
        heads_b = re.findall(r"^(#+) ", b.source, flags=re.M)
        assert heads_a == heads_b, (a.source[:40], b.source[:40])


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=lambda x: getattr(x, "id", x))
def test_lesson_states_objectives_and_metadata(course: object, lesson: str) -> None:
    """Does each lesson open with learning objectives and carry its id, titles and minutes?"""
    nb = read_lesson(course.lesson_path(lesson))  # type: ignore[attr-defined]
    meta = nb.metadata["shegong"]
    assert meta["id"] == lesson
    assert meta["title_zh"] and meta["title_en"] and 20 <= meta["minutes"] <= 180
    assert "学习目标" in prose_cells(nb, "zh")[0].source
    assert "Learning objectives" in prose_cells(nb, "en")[0].source


@pytest.mark.parametrize(("course", "lesson"), LESSONS, ids=lambda x: getattr(x, "id", x))
def test_lesson_has_practice_with_feedback(course: object, lesson: str) -> None:
    """Does each lesson have self-check practice (a check or a quiz) and shared code cells?"""
    nb = read_lesson(course.lesson_path(lesson))  # type: ignore[attr-defined]
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "check(" in code or "Quiz" in code
    zh = for_language(nb, "zh")
    en = for_language(nb, "en")
    assert [c.source for c in zh.cells if c.cell_type == "code"][1:] == [
        c.source for c in en.cells if c.cell_type == "code"
    ][1:]


def test_missing_lesson_file_is_reported(tmp_path: Path) -> None:
    """Does a course.yml naming a lesson with no file fail with the lesson named?"""
    folder = tmp_path / "demo"
    folder.mkdir()
    (folder / "course.yml").write_text(
        "id: demo\norder: 9\ntitle_zh: 演示\ntitle_en: Demo\nhours: 1\nlessons: [ghost]\n",
        encoding="utf-8",
    )
    with pytest.raises(CourseError) as info:
        load_course(folder)
    assert "ghost" in str(info.value) and "没有对应" in str(info.value)


def test_course_hours_are_real_courses() -> None:
    """Are the method courses real courses: 5-7 lessons and 6-10 hours each?"""
    for course in COURSES:
        if course.id == "data-basics":
            continue
        assert 5 <= len(course.lessons) <= 7, course.id
        assert 6 <= course.hours <= 10, course.id
