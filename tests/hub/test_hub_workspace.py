"""Is the operator's workspace closed to other accounts where it holds answers or others' work?

Threat: on the hub every trainee has a Unix account on the same machine. The operator's
workspace (``shegong hub --home``) holds the supervisor edition of the lessons (every answer),
the demo course's sources with solutions, exports, databases and the roster. Other accounts
must be able to pass through it (each user server reads the hub's settings folder inside it)
but not list it or read those parts. Lessons reach people as copies in their own homes.
"""

from __future__ import annotations

import stat
from pathlib import Path

from shegong.hub.content import PRIVATE, close_workspace
from shegong.paths import Workspace


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_answers_and_others_work_become_root_only_and_the_rest_stays_reachable(
    tmp_path: Path,
) -> None:
    workspace = Workspace(tmp_path / "workspace")
    answers = workspace.build / "courses-supervisor" / "zh" / "casework" / "01-intake.ipynb"
    trainee_edition = workspace.build / "courses" / "zh" / "casework" / "01-intake.ipynb"
    settings = workspace.root / "hub" / "jupyter-config" / "nbgrader_config.py"
    for path in (answers, trainee_edition, settings, workspace.course / "source" / "a.py"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")
    for name in ("records.db", "gradebook.db", "people.yml"):
        (workspace.root / name).write_text("x", encoding="utf-8")
    for path in (workspace.root, *workspace.root.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)  # what root's umask 022 leaves

    closed = close_workspace(workspace)

    assert _mode(workspace.root) == 0o711  # passable, not listable
    assert _mode(workspace.build / "courses-supervisor") == 0o700
    assert _mode(workspace.course) == 0o700
    for name in ("records.db", "gradebook.db", "people.yml"):
        assert _mode(workspace.root / name) == 0o600
    assert _mode(settings.parent) == 0o755 and _mode(settings) == 0o644
    assert _mode(workspace.build) == 0o755
    assert {p.relative_to(workspace.root).as_posix() for p in closed} <= set(PRIVATE)
    assert workspace.build / "courses-supervisor" in closed


def test_closing_twice_or_with_parts_missing_is_quiet(tmp_path: Path) -> None:
    workspace = Workspace(tmp_path / "empty")
    workspace.root.mkdir()
    assert close_workspace(workspace) == []
    assert close_workspace(workspace) == []
    assert _mode(workspace.root) == 0o711
