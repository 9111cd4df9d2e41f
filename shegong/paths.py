"""The workspace layout (DESIGN.md "Where state lives"). Nothing here writes to the source tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


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
