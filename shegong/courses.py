"""Courses as data: ``courses/<course>/course.yml`` lists the lessons in order.

A lesson is one text-first source, ``courses/<course>/<lesson>.md`` (jupytext MyST), whose
Markdown cells carry ``{"lang": "zh"}`` or ``{"lang": "en"}`` in pairs and whose code cells
are shared by both languages. Nothing else hard-codes the order of lessons.

A lesson's front matter (``shegong:``) carries its id, titles, minutes and the four
traceability lists of ``shegong.trace`` (standards, programme, competency, exam); every
lesson is checked when its course is loaded, and a mistake names the file and the field.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from pydantic import BaseModel, ConfigDict, Field, field_validator

from shegong.errors import Labels, ShegongError
from shegong.evaluation import load_competency_rubric
from shegong.messages import LANGS, Lang, catalogue, text
from shegong.paths import CONTENT
from shegong.text import Bilingual
from shegong.trace import Exam, Programme, Standards, vocabulary
from shegong.validation import (
    KIND_LABELS,
    Problem,
    Strict,
    fail,
    parse_yaml,
    read_yaml,
    validate,
)

if TYPE_CHECKING:
    import pandas as pd


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
    meta: tuple[LessonMeta, ...] = ()

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


@functools.cache
def competencies() -> dict[str, Bilingual]:
    """The competency rubric's ids and names, in its order: what ``competency`` may name."""
    return {c.id: c.name for c in load_competency_rubric().competencies}


def competency_ids() -> tuple[str, ...]:
    return tuple(competencies())


class LessonMeta(Strict):
    """A lesson's ``shegong:`` front matter: id, titles, minutes and the four trace lists."""

    id: str
    title_zh: str
    title_en: str
    minutes: int
    standards: Standards
    programme: Programme = Field(default_factory=list)
    competency: list[str]
    exam: Exam = Field(default_factory=list)

    @field_validator("standards")
    @classmethod
    def _some_standard(cls, value: list[str]) -> list[str]:
        if not value:
            fail("no_standard")
        return value

    @field_validator("competency")
    @classmethod
    def _known_competency(cls, value: list[str]) -> list[str]:
        if not value:
            fail("no_competency")
        known = competency_ids()
        for i, entry in enumerate(value):
            if entry not in known:
                fail("competency", (i,), value=entry, choices=" ".join(known))
        return value

    def title(self, lang: str) -> str:
        return self.title_en if lang == "en" else self.title_zh


class FrontMatter(Strict):
    """The parts of a lesson's front matter this module reads (jupytext keeps the rest)."""

    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    shegong: LessonMeta


LESSON_CODES = {"missing": "field", "read": "unreadable", "yaml": "unreadable"}


def _lesson_error(path: Path) -> Callable[[Problem], CourseError]:
    """How a problem of a lesson's front matter reads: ``error.lesson_<code>``, file and field."""

    def make(problem: Problem) -> CourseError:
        values = dict(problem.values)
        if "key" in values:
            values["field"] = values.pop("key")
        if problem.code in ("yaml", "read"):
            values = {"detail": f"line {values.get('line', '?')}: {values.get('detail', '')}"}
        code = LESSON_CODES.get(problem.code, problem.code)
        if f"error.lesson_{code}" not in catalogue():
            code, values = "value", {"detail": ", ".join(f"{k}={v}" for k, v in values.items())}
        return CourseError(f"error.lesson_{code}", path=path, where=problem.path or "/", **values)

    return make


def front_matter(text: str) -> str:
    """The YAML between a lesson's opening ``---`` lines ("" when there is none)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return ""
    for end, line in enumerate(lines[1:], 1):
        if line.strip() == "---":
            return "\n".join(lines[1:end])
    return ""


def load_lesson_meta(path: Path, lesson: str | None = None) -> LessonMeta:
    """Read and check a lesson's ``shegong:`` front matter; ``lesson`` is the id it must carry."""
    make = _lesson_error(path)
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CourseError(
            "error.lesson_unreadable", path=path, detail=type(error).__name__
        ) from None
    data = parse_yaml(front_matter(raw), make)
    if not isinstance(data, dict):
        raise make(Problem("missing", "", {"key": "shegong"}))
    meta = validate(FrontMatter, data, make).shegong
    if lesson is not None and meta.id != lesson:
        raise CourseError("error.lesson_id", path=path, id=meta.id, lesson=lesson)
    return meta


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
    meta = tuple(load_lesson_meta(course.lesson_path(lesson), lesson) for lesson in lessons)
    return dataclasses.replace(course, meta=meta)


def discover(root: Path | None = None) -> list[Course]:
    """Every course under ``root`` (default: the checkout's ``courses/``), in course order."""
    root = courses_root() if root is None else root
    if not root.is_dir():
        return []
    folders = sorted(p for p in root.iterdir() if (p / "course.yml").is_file())
    return sorted((load_course(f) for f in folders), key=lambda c: (c.order, c.id))


# --- coverage matrix: lessons x standards, lessons x competencies ----------------------

MARK = "●"


def cited_standards(meta: LessonMeta) -> set[str]:
    """The standard codes (and law titles) a lesson cites, without clauses."""
    words = vocabulary()
    return {code for entry in meta.standards if (code := words.standard(entry))}


@dataclass(frozen=True)
class Coverage:
    """Which lesson names which standard and competency, and what no lesson covers."""

    lessons: tuple[tuple[Course, LessonMeta], ...]
    standards: tuple[str, ...]  # trace.yml's codes in order, then laws and codes cited beside
    competencies: dict[str, Bilingual]

    def cited(self, meta: LessonMeta) -> set[str]:
        return cited_standards(meta)

    def untaught(self) -> list[str]:
        """Competencies the rubric assesses that no lesson names."""
        taught = {c for _, meta in self.lessons for c in meta.competency}
        return [c for c in self.competencies if c not in taught]

    def uncited(self) -> list[str]:
        """Standards of ``trace.yml`` that no lesson cites."""
        cited = {code for _, meta in self.lessons for code in self.cited(meta)}
        return [s for s in vocabulary().standards if s not in cited]


def coverage(courses: list[Course] | None = None) -> Coverage:
    """The coverage of ``courses`` (default: every course of the checkout)."""
    courses = discover() if courses is None else courses
    lessons = tuple((c, m) for c in courses for m in c.meta)
    known = list(vocabulary().standards)
    extra = sorted({s for _, m in lessons for s in cited_standards(m)} - set(known))
    return Coverage(lessons, (*known, *extra), competencies())


def standard_label(code: str, lang: Lang) -> str:
    """``MZ/T 094-2017 社会工作方法 个案工作`` (a law in 《》 is its own label)."""
    title = vocabulary().label(code, lang)
    return code if title == code else f"{code} {title}"


def matrix_tables(cov: Coverage, lang: Lang) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Lessons x standards and lessons x competencies, one row per lesson and a count row."""
    import pandas as pd

    heads = [text("course.matrix.course", lang), text("course.matrix.lesson", lang)]

    def table(columns: list[str], has: Callable[[LessonMeta, str], bool]) -> pd.DataFrame:
        rows: list[list[object]] = [
            [course.title(lang), meta.title(lang), *(MARK if has(meta, c) else "" for c in columns)]
            for course, meta in cov.lessons
        ]
        counts = [sum(has(meta, c) for _, meta in cov.lessons) for c in columns]
        rows.append([text("course.matrix.total", lang), "", *counts])
        return pd.DataFrame(rows, columns=heads + columns)

    standards = table(list(cov.standards), lambda meta, code: code in cov.cited(meta))
    skills = table(list(cov.competencies), lambda meta, cid: cid in meta.competency)
    return standards, skills


def _markdown_table(frame: pd.DataFrame) -> list[str]:
    def row(values: list[object]) -> str:
        return "| " + " | ".join(str(v).replace("|", "/") for v in values) + " |"

    lines = [row(list(frame.columns)), row(["---"] * frame.shape[1])]
    return lines + [row(list(r)) for r in frame.itertuples(index=False)]


def matrix_markdown(cov: Coverage, lang: Lang) -> str:
    """The matrix as a Markdown page: the gaps first, then both tables with their legends."""
    sep = "、" if lang == "zh" else "; "
    left, right = ("（", "）") if lang == "zh" else (" (", ")")
    untaught = [f"{c}{left}{cov.competencies[c].get(lang)}{right}" for c in cov.untaught()]
    uncited = [standard_label(s, lang) for s in cov.uncited()]
    none = text("course.matrix.no_gap", lang)
    standards, skills = matrix_tables(cov, lang)
    lines = [f"# {text('course.matrix.title', lang)}", "", text("course.matrix.intro", lang), ""]
    lines += [f"## {text('course.matrix.gaps', lang)}", ""]
    lines += [f"- {text('course.matrix.untaught', lang, items=sep.join(untaught) or none)}"]
    lines += [f"- {text('course.matrix.uncited', lang, items=sep.join(uncited) or none)}", ""]
    lines += [f"## {text('course.matrix.standards', lang)}", "", *_markdown_table(standards), ""]
    lines += [f"- {standard_label(s, lang)}" for s in cov.standards] + [""]
    lines += [f"## {text('course.matrix.competencies', lang)}", "", *_markdown_table(skills), ""]
    lines += [f"- {c}: {name.get(lang)}" for c, name in cov.competencies.items()] + [""]
    return "\n".join(lines)


def write_matrix(folder: Path, courses: list[Course] | None = None) -> list[Path]:
    """The coverage matrix in ``folder``, zh and en: a Markdown page and two CSV tables each."""
    from shegong.exports import to_csv_excel

    cov = coverage(courses)
    folder.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    for lang in LANGS:
        page = folder / f"coverage-{lang}.md"
        page.write_text(matrix_markdown(cov, lang), encoding="utf-8")
        standards, skills = matrix_tables(cov, lang)
        written += [
            page,
            to_csv_excel(standards, folder / f"coverage-standards-{lang}.csv"),
            to_csv_excel(skills, folder / f"coverage-competencies-{lang}.csv"),
        ]
    return written
