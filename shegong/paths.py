"""Where things live: the source tree's content (``CONTENT``) and the workspace (``Workspace``).

``CONTENT`` is the one map of the checked-in content the library reads (courses, assignment
masters, Voila app sources, rubrics, the Voila template); nothing computes these from
``__file__`` elsewhere. ``Workspace`` is the runtime layout (DESIGN.md "Where state lives").
Nothing here writes to the source tree.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Content:
    """The checked-in content folders under the project root."""

    root: Path

    @property
    def courses(self) -> Path:
        return self.root / "courses"

    @property
    def assignments(self) -> Path:
        return self.root / "assignments"

    @property
    def apps(self) -> Path:
        return self.root / "voila_apps"

    @property
    def rubrics(self) -> Path:
        return self.apps / "rubrics"

    @property
    def templates(self) -> Path:
        return self.apps / "templates"


CONTENT = Content(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Workspace:
    """Named folders and files under one workspace root."""

    root: Path

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def build(self) -> Path:
        return self.root / "build"

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def exports(self) -> Path:
        return self.root / "exports"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def records(self) -> Path:
        return self.root / "records.db"

    def data_dir(self, scale: str, seed: int, messy: bool = False) -> Path:
        """Folder for one generated world: ``data/<scale>-seed<N>[-messy]``."""
        suffix = "-messy" if messy else ""
        return self.data / f"{scale}-seed{seed}{suffix}"

    def ensure(self) -> Workspace:
        for folder in (self.root, self.data, self.build, self.course, self.exports):
            folder.mkdir(parents=True, exist_ok=True)
        return self
