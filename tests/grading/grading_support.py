"""Helpers shared by the grading tests (imported by conftest and the test modules).

A test's course is the library's own ``GradingContext``; these only read its folders.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat import NotebookNode

from shegong.grading.config import GradingOptions, load_options
from shegong.grading.context import GradingContext
from shegong.settings import load as load_settings

TIMESTAMP = "2025-03-01 08:00:00.000000 UTC"


def course_at(home: Path, options: GradingOptions | None = None) -> GradingContext:
    """The context of the workspace at ``home`` (no settings file, no environment)."""
    settings = load_settings({"home": home}, environ={}, cwd=home)
    return GradingContext.open(settings, options or load_options(environ={}), ensure=False)


def release_nb(course: GradingContext, assignment: str) -> NotebookNode:
    path = course.paths.step("release") / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4)


def source_nb(course: GradingContext, assignment: str) -> NotebookNode:
    path = course.paths.step("source") / assignment / f"{assignment}.ipynb"
    return nbformat.read(path, as_version=4)


def handout(course: GradingContext, lang: str, assignment: str) -> Path:
    return course.paths.handout(lang, assignment, f"{assignment}.ipynb")


def submitted(course: GradingContext, student: str, assignment: str) -> Path:
    return course.paths.step("submitted") / student / assignment
