"""The one object that says "this course": settings, grading options and course folders.

nbgrader passes one ``CourseDirectory`` to everything; shegong passes one ``GradingContext``.
The CLI builds it once per command (``shegong.grading.cli.context_from``), notebooks and apps
with ``GradingContext.open(settings, options)``, and every library step that needs more than
the folders takes it. It is frozen and picklable, so worker processes receive it as is.
"""

from __future__ import annotations

from dataclasses import dataclass

from shegong.grading.config import CoursePaths, GradingOptions
from shegong.settings import Settings


@dataclass(frozen=True)
class GradingContext:
    """One course in one workspace: who configured it (settings, options) and where it is."""

    settings: Settings
    options: GradingOptions
    paths: CoursePaths

    @classmethod
    def open(
        cls, settings: Settings, options: GradingOptions, *, ensure: bool = True
    ) -> GradingContext:
        """The context of ``settings``' workspace; ``ensure`` creates the course folders.

        ``ensure=False`` is for the trainee's side (``pack``), which must not create a
        course in a station's workspace.
        """
        paths = CoursePaths.of(settings)
        if ensure:
            paths.ensure()
        return cls(settings, options, paths)

    @property
    def course_id(self) -> str:
        return self.options.course_id

    @property
    def db_url(self) -> str:
        """nbgrader's gradebook URL."""
        return self.paths.db_url
