"""Does every lesson execute cleanly in both languages, on two seeds, with Chinese charts?

Each built notebook runs with nbclient in a temporary folder against a temporary workspace.
Charts in Chinese notebooks must not raise matplotlib's missing-glyph warning.

Both editions run, in both languages and on both seeds, at no more cost than one edition
did: the supervisor edition in (zh, 2022) and (en, 7), where every check must say right;
the trainee edition in (en, 2022) and (zh, 7), where every exercise's check must say "not
answered yet" and no cell may fail (nothing later depends on a trainee's answer).
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
from shegong.lessons import build_courses, supervisor_root

LESSON_TIMEOUT = 300  # per cell, seconds: a guard against hangs, not a speed assertion
TIMINGS = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "lesson_times.json"
RUNS = {
    ("supervisor", "zh", 2022),
    ("supervisor", "en", 7),
    ("trainee", "en", 2022),
    ("trainee", "zh", 7),
}
CASES = [
    (c.id, lesson, lang, seed, edition)
    for c in discover()
    for lesson in c.lessons
    for lang in ("zh", "en")
    for seed in (2022, 7)
    for edition in ("supervisor", "trainee")
    if (edition, lang, seed) in RUNS
]
NOT_ANSWERED = {"zh": "还没有作答", "en": "not answered yet"}


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


def _checks(nb: nbformat.NotebookNode) -> list[str]:
    """The plain text of every check's feedback shown, in order (``Feedback(ok=..., ...)``)."""
    shown = []
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            plain = output.get("data", {}).get("text/plain", "")
            if plain.startswith("Feedback("):
                shown.append(plain)
    return shown


def _bare_booleans(nb: nbformat.NotebookNode) -> list[str]:
    return [
        c.source
        for c in nb.cells
        for o in c.get("outputs", [])
        if o.get("output_type") == "execute_result"
        and o.get("data", {}).get("text/plain") in ("True", "False")
        and "check(" in c.source
    ]


@pytest.mark.slow
@pytest.mark.parametrize(
    ("course", "lesson", "lang", "seed", "edition"), CASES, ids=lambda x: str(x)
)
def test_lesson_executes(
    built: dict[str, Path],
    tmp_path: Path,
    course: str,
    lesson: str,
    lang: str,
    seed: int,
    edition: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Does the lesson run top to bottom with no error and no warning (tofu included)?

    Supervisor edition: every check says right. Trainee edition: every exercise's check
    says "not answered yet", and no cell fails for want of an answer.
    """
    root = built["build"] if edition == "trainee" else supervisor_root(built["build"])
    path = next((root / lang / course).glob(f"*-{lesson}.ipynb"))
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
    checks = _checks(nb)
    assert _bare_booleans(nb) == [], "a check leaves no bare True/False under its message"
    if edition == "supervisor":
        assert checks and all(c.startswith("Feedback(ok=True") for c in checks), checks
    else:
        answered = [c for c in checks if NOT_ANSWERED[lang] not in c]
        exercises = sum(c.source.count(", lang=LANG)") for c in nb.cells if _short(c.source))
        assert len(checks) - len(answered) == exercises > 0
        assert all(c.startswith("Feedback(ok=True") for c in answered), answered
    _record(f"{course}/{lesson}/{edition}", lang, seed, seconds)


def _short(source: str) -> bool:
    """Whether a trainee cell holds short checks (``check("x", x, lang=LANG)``)."""
    return any(line.startswith("check(") and "expected" not in line for line in source.splitlines())


def _record(lesson: str, lang: str, seed: int, seconds: float) -> None:
    """Keep execution times for the course note (benchmarks/results, git-ignored)."""
    TIMINGS.parent.mkdir(exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.exists() else {}
    data[f"{lesson}|{lang}|{seed}"] = round(seconds, 2)
    tmp = TIMINGS.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True))
    tmp.replace(TIMINGS)
