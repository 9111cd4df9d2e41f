"""Does every lesson execute cleanly in both languages, on two seeds, with Chinese charts?

Each built notebook runs with nbclient in a temporary folder against a temporary workspace.
Charts in Chinese notebooks must not raise matplotlib's missing-glyph warning.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from shegong.courses import discover
from shegong.datasets.world.pipeline import build
from shegong.lessons import build_courses

LESSON_TIMEOUT = 300  # per cell, seconds: a guard against hangs, not a speed assertion
TIMINGS = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "lesson_times.json"
CASES = [
    (c.id, lesson, lang, seed)
    for c in discover()
    for lesson in c.lessons
    for lang in ("zh", "en")
    for seed in (2022, 7)
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Built notebooks, and a workspace per seed with that world built."""
    root = tmp_path_factory.mktemp("lessons")
    build_courses(root / "build")
    homes = {}
    for seed in (2022, 7):
        home = root / f"home{seed}"
        for messy in (False, True):
            suffix = "-messy" if messy else ""
            build("county", seed, home / "data" / f"county-seed{seed}{suffix}", messy=messy)
        homes[str(seed)] = home
    return {"build": root / "build", **homes}


def _warnings(nb: nbformat.NotebookNode) -> list[str]:
    """Warnings a trainee would see under a cell: missing glyphs, deprecations, layout."""
    found = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            text = output.get("text", "") if output.get("name") == "stderr" else ""
            if "Warning" in text or "missing from font" in text or "Glyph" in text:
                found.append(text[:300])
    return found


@pytest.mark.slow
@pytest.mark.parametrize(("course", "lesson", "lang", "seed"), CASES, ids=lambda x: str(x))
def test_lesson_executes(
    built: dict[str, Path],
    tmp_path: Path,
    course: str,
    lesson: str,
    lang: str,
    seed: int,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Does the lesson run top to bottom with no error and no warning (tofu included)?"""
    path = next((built["build"] / lang / course).glob(f"*-{lesson}.ipynb"))
    nb = nbformat.read(path, as_version=4)
    monkeypatch.setenv("SHEGONG_HOME", str(built[str(seed)]))
    monkeypatch.setenv("SHEGONG_SEED", str(seed))
    # Keep the kernel's inline backend: it draws every figure, so missing glyphs would warn.
    monkeypatch.delenv("MPLBACKEND", raising=False)
    start = time.perf_counter()
    NotebookClient(
        nb,
        timeout=LESSON_TIMEOUT,
        kernel_name="python3",
        resources={"metadata": {"path": str(tmp_path)}},
    ).execute()
    seconds = time.perf_counter() - start
    assert _warnings(nb) == []
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert errors == []
    _record(f"{course}/{lesson}", lang, seed, seconds)


def _record(lesson: str, lang: str, seed: int, seconds: float) -> None:
    """Keep execution times for the course note (benchmarks/results, git-ignored)."""
    TIMINGS.parent.mkdir(exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data[f"{lesson}|{lang}|{seed}"] = round(seconds, 2)
    tmp = TIMINGS.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.replace(TIMINGS)
