"""Does any solution or hidden test of a master reach what trainees receive?

The secret lines of a master are the lines inside ``BEGIN SOLUTION``/``END SOLUTION`` and
``BEGIN HIDDEN TESTS``/``END HIDDEN TESTS`` regions, less those that also appear, even as
part of a line, outside any region (a hint in the prose may show
``import matplotlib.pyplot as plt``; that is no secret) and less very short ones.
``find_leaks`` looks for every secret line in the sources and outputs of every notebook (and
the text of every other file) under the given folders.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from nbformat import NotebookNode

BEGINS = ("BEGIN SOLUTION", "BEGIN HIDDEN TESTS")
ENDS = ("END SOLUTION", "END HIDDEN TESTS")
MIN_LENGTH = 6


@dataclass(frozen=True)
class Leak:
    path: Path
    line: str


def _strip(line: str) -> str:
    line = line.strip()
    return line[1:].strip() if line.startswith("#") and not line.startswith("##") else line


def secret_lines(master: NotebookNode) -> set[str]:
    """Lines only found inside solution and hidden-test regions of the master."""
    inside: set[str] = set()
    outside: set[str] = set()
    for cell in master.cells:
        depth = 0
        for raw in cell.source.splitlines():
            if any(mark in raw for mark in BEGINS):
                depth += 1
                continue
            if any(mark in raw for mark in ENDS):
                depth -= 1
                continue
            line = _strip(raw)
            (inside if depth > 0 else outside).add(line)
    public = "\n".join(outside)
    return {line for line in inside if len(line) >= MIN_LENGTH and line not in public}


def _notebook_text(path: Path) -> str:
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return path.read_bytes().decode("utf-8", "replace")
    parts: list[str] = []
    for cell in nb.get("cells", []):
        source = cell.get("source", "")
        parts.append("".join(source) if isinstance(source, list) else str(source))
        for output in cell.get("outputs", []):
            parts.append(json.dumps(output, ensure_ascii=False))
    parts.append(json.dumps(nb.get("metadata", {}), ensure_ascii=False))
    return "\n".join(parts)


def find_leaks(master: NotebookNode, folders: Iterable[Path]) -> list[Leak]:
    """Every (file, secret line) pair where a secret line of ``master`` shows up."""
    secrets = secret_lines(master)
    leaks: list[Leak] = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            if path.suffix == ".ipynb":
                body = _notebook_text(path)
            else:
                body = path.read_bytes().decode("utf-8", "replace")
            leaks.extend(Leak(path, line) for line in sorted(secrets) if line in body)
    return leaks
