"""Helpers shared by the grading tests (imported by conftest and the test modules)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import NotebookNode

from shegong.grading.config import CoursePaths, GradingOptions, load_options
from shegong.settings import Settings
from shegong.settings import load as load_settings

TIMESTAMP = "2025-03-01 08:00:00.000000 UTC"


@dataclass(frozen=True)
class Course:
    """A workspace with every assignment released and the trainees enrolled."""

    settings: Settings
    options: GradingOptions
    paths: CoursePaths

    def release_nb(self, assignment: str) -> NotebookNode:
        path = self.paths.step("release") / assignment / f"{assignment}.ipynb"
        return nbformat.read(path, as_version=4)

    def source_nb(self, assignment: str) -> NotebookNode:
        path = self.paths.step("source") / assignment / f"{assignment}.ipynb"
        return nbformat.read(path, as_version=4)

    def handout(self, lang: str, assignment: str) -> Path:
        return self.paths.handouts / lang / assignment / f"{assignment}.ipynb"

    def submitted(self, student: str, assignment: str) -> Path:
        return self.paths.step("submitted") / student / assignment


def course_at(home: Path, options: GradingOptions | None = None) -> Course:
    settings = load_settings({"home": home}, environ={}, cwd=home)
    options = options or load_options(environ={})
    return Course(settings, options, CoursePaths.of(settings))
