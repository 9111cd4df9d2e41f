"""Build lesson sources into Chinese and English notebooks in ``workspace/build/courses``.

Each lesson is split by language: code cells are shared, Markdown cells keep those tagged
with the language (untagged cells go to both). A first code cell sets the language and the
Chinese font. An index notebook per language lists every course and lesson in order.

Two editions of each lesson (see ``shegong.editions``): the **trainee edition** in ``out``
(what the index links to: exercise cells with a scaffold, short checks and quizzes whose keys
stay in the lesson source) and the **supervisor edition**, the lesson with its solutions, in
``supervisor_root(out)`` (``build/courses-supervisor/<lang>/...`` beside ``build/courses``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from shegong import editions, keycache, nocode
from shegong.courses import Course, CourseError, discover
from shegong.messages import LANGS, Lang, label, text
from shegong.progress import Reporter, SilentReporter


@dataclass(frozen=True)
class BuiltLesson:
    course: str
    lesson: str
    lang: Lang
    path: Path


def read_lesson(path: Path) -> NotebookNode:
    """The lesson source as a notebook (jupytext MyST)."""
    try:
        return jupytext.read(path)
    except Exception as exc:  # jupytext raises many kinds for a broken source
        raise CourseError("error.lesson_unreadable", path=path, detail=str(exc)[:200]) from None


def prose_cells(nb: NotebookNode, lang: Lang) -> list[NotebookNode]:
    """The Markdown cells of one language, in order."""
    return [c for c in nb.cells if c.cell_type == "markdown" and c.metadata.get("lang") == lang]


EDITIONS = ("trainee", "supervisor")
SUPERVISOR_SUFFIX = "-supervisor"


def for_language(
    nb: NotebookNode, lang: Lang, edition: str = "supervisor", lesson: str = ""
) -> NotebookNode:
    """A copy of the lesson with only ``lang`` prose, the shared code and the setup cell.

    ``edition="trainee"`` takes out the solutions and keys; ``lesson`` (``course/lesson``)
    goes into the setup cell as ``LESSON``, where the short checks find their keys.
    """
    out = editions.keep_language(nb, lang, markdown_only=True)
    if edition == "trainee":
        out = editions.trainee_edition(out)
    out = editions.with_setup(out, lang)
    if lesson:
        out.cells[0].source += f'\nLESSON = "{lesson}"'
    out.metadata.setdefault("shegong", {})["edition"] = edition
    return editions.number_cells(editions.finish(out))


def supervisor_root(out: Path) -> Path:
    """Where the supervisor edition of a build in ``out`` goes: beside it, ``-supervisor``."""
    return out.with_name(out.name + SUPERVISOR_SUFFIX)


def lesson_file(course: Course, lesson: str) -> str:
    return f"{course.lessons.index(lesson) + 1:02d}-{lesson}.ipynb"


# The trainee's 我的作业 page, served by Voila in the same Jupyter server as the lessons
# (`shegong lab` / `shegong demo`: build/apps beside build/courses). A server-absolute link,
# so JupyterLab opens it in a new browser tab instead of as a notebook file.
MY_ASSIGNMENTS = "/voila/render/build/apps/{lang}/my_assignments.ipynb"


def _index(
    courses: list[Course],
    lang: Lang,
    supervisor: str = "",
    counts: dict[str, nocode.CourseCount] | None = None,
) -> NotebookNode:
    lines = [f"# {text('course.index_title', lang)}", "", text("course.index_intro", lang), ""]
    link = MY_ASSIGNMENTS.format(lang=lang)
    lines += [f"> {text('course.index_my_assignments', lang, url=link)}", ""]
    if supervisor:
        lines += [f"> {text('course.index_editions', lang, folder=supervisor)}", ""]
    for course in courses:
        lines += [
            f"## {course.title(lang)}",
            "",
            course.summary(lang),
            "",
            text("course.index_hours", lang, hours=f"{course.hours:g}"),
            "",
        ]
        if counts and course.id in counts:
            lines += [nocode.index_line(counts[course.id], lang), ""]
        for k, lesson in enumerate(course.lessons, 1):
            title = (
                read_lesson(course.lesson_path(lesson))
                .metadata.get("shegong", {})
                .get(f"title_{lang}", lesson)
            )
            lines.append(f"{k}. [{title}]({course.id}/{lesson_file(course, lesson)})")
        lines.append("")
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("\n".join(lines))]
    nb.cells[0]["id"] = "index"
    nb.metadata["kernelspec"] = dict(
        editions.KERNELSPEC
    )  # no "choose a kernel" dialog when it opens
    return nb


def build_courses(
    out: Path, courses: list[Course] | None = None, reporter: Reporter | None = None
) -> list[BuiltLesson]:
    """Write every lesson in both languages and both editions, and the indexes.

    Returns the trainee edition's notebooks (in ``out``); the supervisor edition is written
    the same way under ``supervisor_root(out)``.
    """
    reporter = reporter or SilentReporter()
    courses = discover() if courses is None else courses
    roots = {"trainee": out, "supervisor": supervisor_root(out)}
    built: list[BuiltLesson] = []
    for course in courses:
        for lesson in course.lessons:
            reporter.step(label("course.building", lesson=f"{course.id}/{lesson}"))
            source = read_lesson(course.lesson_path(lesson))
            keycache.store(course.lesson_path(lesson).read_bytes(), editions.lesson_keys(source))
            for lang in LANGS:
                for edition, root in roots.items():
                    path = root / lang / course.id / lesson_file(course, lesson)
                    path.parent.mkdir(parents=True, exist_ok=True)
                    nb = for_language(source, lang, edition, f"{course.id}/{lesson}")
                    nbformat.write(nb, path)
                    if edition == "trainee":
                        built.append(BuiltLesson(course.id, lesson, lang, path))
    counts = {count.course.id: count for count in nocode.count_all(courses)}
    for lang in LANGS:
        for edition, root in roots.items():
            (root / lang).mkdir(parents=True, exist_ok=True)
            note = f"{roots['supervisor'].name}/{lang}" if edition == "trainee" else ""
            nbformat.write(_index(courses, lang, note, counts), root / lang / "index.ipynb")
    return built


def lesson_count(courses: list[Course] | None = None) -> int:
    courses = discover() if courses is None else courses
    return sum(len(c.lessons) for c in courses)
