"""Courses as data: ``courses/<course>/course.yml`` lists the lessons in order.

A lesson is one text-first source, ``courses/<course>/<lesson>.md`` (jupytext MyST), whose
Markdown cells carry ``{"lang": "zh"}`` or ``{"lang": "en"}`` in pairs and whose code cells
are shared by both languages. Nothing else hard-codes the order of lessons.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from shegong.errors import ShegongError
from shegong.paths import CONTENT


class CourseError(ShegongError):
    """A course folder or course.yml that cannot be used."""


@dataclass(frozen=True)
class Course:
    """One course: its id, titles, expected hours and lesson ids in order."""

    id: str
    order: int
    title_zh: str
    title_en: str
    summary_zh: str
    summary_en: str
    hours: float
    lessons: tuple[str, ...]
    folder: Path

    def lesson_path(self, lesson_id: str) -> Path:
        return self.folder / f"{lesson_id}.md"

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    def summary(self, lang: str) -> str:
        return self.summary_zh if lang == "zh" else self.summary_en


def courses_root() -> Path:
    """The ``courses/`` folder of this checkout."""
    return CONTENT.courses


def _require(raw: dict[str, Any], key: str, path: Path) -> Any:
    if key not in raw:
        raise CourseError("error.course_field", path=path, field=key)
    return raw[key]


def load_course(folder: Path) -> Course:
    """Read and check one ``course.yml``: fields present, every lesson file exists."""
    path = folder / "course.yml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise CourseError("error.course_unreadable", path=path, detail=str(exc)[:200]) from None
    if not isinstance(raw, dict):
        raise CourseError("error.course_unreadable", path=path, detail="not a mapping")
    lessons = tuple(str(x) for x in _require(raw, "lessons", path))
    course = Course(
        id=str(_require(raw, "id", path)),
        order=int(_require(raw, "order", path)),
        title_zh=str(_require(raw, "title_zh", path)),
        title_en=str(_require(raw, "title_en", path)),
        summary_zh=str(raw.get("summary_zh", "")),
        summary_en=str(raw.get("summary_en", "")),
        hours=float(_require(raw, "hours", path)),
        lessons=lessons,
        folder=folder,
    )
    if course.id != folder.name:
        raise CourseError("error.course_id_mismatch", path=path, id=course.id, folder=folder.name)
    if len(set(lessons)) != len(lessons):
        raise CourseError("error.course_duplicate_lesson", path=path)
    for lesson in lessons:
        if not course.lesson_path(lesson).is_file():
            raise CourseError("error.course_missing_lesson", path=path, lesson=lesson)
    return course


def discover(root: Path | None = None) -> list[Course]:
    """Every course under ``root`` (default: the checkout's ``courses/``), in course order."""
    root = courses_root() if root is None else root
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if (p / "course.yml").is_file())
    return sorted((load_course(f) for f in folders), key=lambda c: (c.order, c.id))
