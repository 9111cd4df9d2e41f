"""Courses as data: ``courses/<course>/course.yml`` lists the lessons in order.

A lesson is one text-first source, ``courses/<course>/<lesson>.md`` (jupytext MyST), whose
Markdown cells carry ``{"lang": "zh"}`` or ``{"lang": "en"}`` in pairs and whose code cells
are shared by both languages. Nothing else hard-codes the order of lessons.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from pydantic import BaseModel, ConfigDict

from shegong.errors import Labels, ShegongError
from shegong.paths import CONTENT
from shegong.text import Bilingual
from shegong.validation import KIND_LABELS, Problem, read_yaml, validate


class CourseError(ShegongError):
    """A course folder or course.yml that cannot be used."""

    labels: ClassVar[Labels] = {"kind": KIND_LABELS}


@dataclass(frozen=True)
class Course:
    """One course: its id, titles, expected hours and lesson ids in order."""

    id: str
    order: int
    titles: Bilingual
    summaries: Bilingual
    hours: float
    lessons: tuple[str, ...]
    folder: Path

    def lesson_path(self, lesson_id: str) -> Path:
        return self.folder / f"{lesson_id}.md"

    def title(self, lang: str) -> str:
        return self.titles.get(lang)

    def summary(self, lang: str) -> str:
        return self.summaries.get(lang)


def courses_root() -> Path:
    """The ``courses/`` folder of this checkout."""
    return CONTENT.courses


class CourseFile(BaseModel):
    """The layout of ``course.yml`` (numbers may be written as text, as YAML allows)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    order: int
    title_zh: str
    title_en: str
    summary_zh: str = ""
    summary_en: str = ""
    hours: float
    lessons: list[str]


CODES = {"missing": "field", "unknown": "unknown", "type": "type", "read": "unreadable"}
CODES["yaml"] = "unreadable"


def _error(path: Path) -> Callable[[Problem], CourseError]:
    """How a problem of ``path`` reads: ``error.course_<code>`` naming the file and node."""

    def make(problem: Problem) -> CourseError:
        values = dict(problem.values)
        if "key" in values:
            values["field"] = values.pop("key")
        if problem.code == "yaml":
            values = {"detail": f"line {values['line']}: {values['detail']}"}
        code = CODES.get(problem.code, "value")
        return CourseError(f"error.course_{code}", path=path, where=problem.path or "/", **values)

    return make


def load_course(folder: Path) -> Course:
    """Read and check one ``course.yml``: fields present, every lesson file exists."""
    path = folder / "course.yml"
    make = _error(path)
    raw = read_yaml(path, make)
    if not isinstance(raw, dict):
        raise CourseError("error.course_unreadable", path=path, detail="not a mapping")
    node = validate(CourseFile, raw, make)
    lessons = tuple(node.lessons)
    course = Course(
        id=node.id,
        order=node.order,
        titles=Bilingual(node.title_zh, node.title_en),
        summaries=Bilingual(node.summary_zh, node.summary_en),
        hours=node.hours,
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
