"""Grading options and the course folders.

Options are declared once below with their help ids (catalogue ``grading.option.*``). Their
order of precedence: defaults < the ``[grade]`` table of ``shegong.toml`` (or of
``[tool.shegong]`` in ``pyproject.toml``) < environment ``SHEGONG_GRADE_<NAME>`` < CLI flags.

nbgrader's configuration made from these options and folders is in
``shegong.grading.nbconfig``.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shegong.errors import ShegongError
from shegong.options import Source, layered, option
from shegong.paths import Workspace
from shegong.settings import Settings

SANDBOX_KERNEL = "shegong-sandbox"
CODE_STUB = ""  # masters write their own prompt line above each solution region
TEXT_STUB = "（在此作答 / write your answer here）"
IGNORE = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", ".*"]


class GradingError(ShegongError):
    """A grading step that cannot go on: a bad master, rubric, submission or option."""


def _default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1)


SOURCE = Source(
    env_prefix="SHEGONG_GRADE_",
    section="grade",
    unknown=lambda name, choices: GradingError(
        "grading.error.option_unknown", name=name, choices=choices
    ),
    bad_value=lambda name, value, _kind: GradingError(
        "grading.error.option", name=name, value=value
    ),
)


@dataclass(frozen=True)
class GradingOptions:
    """Options of the grading pipeline (help texts: catalogue ``grading.option.<name>``)."""

    course_id: str = option("shegong", "grading.option.course_id", group="course")
    workers: int = option(0, "grading.option.workers", group="autograde")  # 0: one per core
    cell_timeout: int = option(30, "grading.option.cell_timeout", group="autograde")
    notebook_timeout: int = option(600, "grading.option.notebook_timeout", group="autograde")
    memory_mb: int = option(2048, "grading.option.memory_mb", group="autograde")
    max_output_kb: int = option(64, "grading.option.max_output_kb")
    sandbox_uid: int = option(61000, "grading.option.sandbox_uid")
    # Root with no uid to drop to runs trainee code as root: refused unless this is set.
    allow_root_kernels: bool = option(False, "grading.option.allow_root_kernels", group="autograde")
    # the shared deployment's exchange (`shegong hub`: /srv/nbgrader/exchange), kept apart by
    # course; empty: the workspace's own exchange/ (one course, one machine)
    exchange_root: str = option("", "grading.option.exchange_root")

    def __post_init__(self) -> None:
        for name in ("cell_timeout", "notebook_timeout", "memory_mb", "max_output_kb"):
            if getattr(self, name) <= 0:
                raise GradingError("grading.error.option", name=name, value=getattr(self, name))
        if self.workers < 0:
            raise GradingError("grading.error.option", name="workers", value=self.workers)

    @property
    def worker_count(self) -> int:
        """How many grading processes run at once."""
        return self.workers or _default_workers()


def load_options(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    cwd: Path | None = None,
) -> GradingOptions:
    """Options from defaults, the settings file's ``[grade]`` table, ``SHEGONG_GRADE_*``
    variables and overrides (CLI flags), in that order."""
    environ = os.environ if environ is None else environ
    typed = layered(GradingOptions, SOURCE, overrides, environ, Path.cwd() if cwd is None else cwd)
    return GradingOptions(**typed)


@dataclass(frozen=True)
class CoursePaths:
    """The nbgrader course folders and shegong's grading files in one workspace."""

    workspace: Workspace

    @classmethod
    def of(cls, settings: Settings) -> CoursePaths:
        return cls(Workspace(settings.home))

    @property
    def course(self) -> Path:
        return self.workspace.course

    @property
    def gradebook(self) -> Path:
        return self.workspace.gradebook

    @property
    def db_url(self) -> str:
        return f"sqlite:///{self.gradebook}"

    def step(self, name: str) -> Path:
        """An nbgrader step folder: source, release, submitted, autograded, feedback."""
        return self.course / name

    @property
    def handouts(self) -> Path:
        """Language editions of each release: ``handouts/<lang>/<assignment>/``."""
        return self.course / "handouts"

    def handout(self, lang: str, assignment: str, name: str) -> Path:
        """One notebook of a language edition: ``handouts/<lang>/<assignment>/<name>``."""
        return self.handouts / lang / assignment / name

    @property
    def exchange(self) -> Path:
        """The local nbgrader exchange root (hub path without a hub)."""
        return self.workspace.root / "exchange"

    @property
    def inbox(self) -> Path:
        """Where intake files away the zips it has seen (accepted and rejected)."""
        return self.course / "inbox"

    @property
    def grading_db(self) -> Path:
        """shegong's own grading records: statuses, rubric choices, comment bank, receipts."""
        return self.workspace.root / "grading.db"

    @property
    def status_csv(self) -> Path:
        return self.course / "status.csv"

    @property
    def sandbox_home(self) -> Path:
        """Kernelspec and caches for the sandboxed kernels."""
        return self.workspace.root / "grading"

    @property
    def nbgrader_config(self) -> Path:
        return self.course / "nbgrader_config.py"

    def ensure(self) -> CoursePaths:
        self.workspace.ensure()
        for name in ("source", "release", "submitted", "autograded", "feedback"):
            self.step(name).mkdir(parents=True, exist_ok=True)
        for folder in (self.handouts, self.exchange, self.inbox, self.sandbox_home):
            folder.mkdir(parents=True, exist_ok=True)
        return self
