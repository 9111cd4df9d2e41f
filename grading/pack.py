"""The trainee's side of an offline submission: one zip with a manifest and a receipt code.

``pack`` checks every notebook can be read *before* the trainee travels (a broken file is
refused here, with the reason, not discovered in Chengdu a week later), writes
``<assignment>+<trainee>+<receipt>.zip`` holding ``manifest.json`` and ``files/<name>``, and
returns the receipt code to photograph. File names inside the zip are the assignment's
ASCII notebook names, so the zip opens the same on any system.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

from shegong.grading import findings
from shegong.grading.config import GradingError
from shegong.grading.language import notebook_lang
from shegong.grading.manifest import (
    FILES_PREFIX,
    MANIFEST_NAME,
    canonical,
    file_entry,
    receipt_code,
)
from shegong.grading.model import Manifest


@dataclass(frozen=True)
class Packed:
    path: Path
    receipt: str
    manifest: Manifest


def pack(
    notebooks: list[Path],
    trainee: str,
    assignment: str,
    out_dir: Path,
    *,
    course: str = "shegong",
    scale: str = "county",
    seed: int = 2022,
    packed_at: dt.datetime | None = None,
) -> Packed:
    """Zip the trainee's notebooks of one assignment with a manifest; returns the receipt."""
    if not notebooks:
        raise GradingError("grading.error.pack_empty", assignment=assignment)
    lang = "zh"
    for path in notebooks:
        nb, problem = findings.read_notebook(path)
        if nb is None:
            raise GradingError("grading.error.pack_unreadable", path=path, detail=problem)
        lang = notebook_lang(nb)
    stamp = (packed_at or dt.datetime.now().astimezone()).isoformat(timespec="seconds")
    manifest = Manifest(
        trainee=trainee,
        assignment=assignment,
        course=course,
        packed_at=stamp,
        files=tuple(file_entry(p) for p in sorted(notebooks)),
        lang=lang,
        scale=scale,
        seed=seed,
    )
    receipt = receipt_code(manifest)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{assignment}+{trainee}+{receipt}.zip"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(MANIFEST_NAME, canonical(manifest))
        for path in sorted(notebooks):
            archive.write(path, FILES_PREFIX + path.name)
    return Packed(target, receipt, manifest)
