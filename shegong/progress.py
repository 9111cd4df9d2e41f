"""Progress display for long work (data builds, grading a cohort, exports)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Protocol

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Reporter(Protocol):
    """What long-running library functions call; the CLI shows it, tests may record it."""

    def step(self, label: str) -> None: ...


class SilentReporter:
    """Reports nothing: the default for library calls from notebooks and tests."""

    def step(self, label: str) -> None:
        return None


class RecordingReporter:
    """Keeps the labels, so tests can check what progress a function reported."""

    def __init__(self) -> None:
        self.labels: list[str] = []

    def step(self, label: str) -> None:
        self.labels.append(label)


class _RichReporter:
    def __init__(self, progress: Progress, task: TaskID) -> None:
        self._progress = progress
        self._task = task

    def step(self, label: str) -> None:
        self._progress.update(self._task, advance=1, description=label)


@contextmanager
def rich_progress(title: str, total: int) -> Iterator[Reporter]:
    """A progress bar with count, elapsed time and ETA on the terminal (stderr)."""
    progress = Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    )
    with progress:
        task = progress.add_task(title, total=total)
        yield _RichReporter(progress, task)
