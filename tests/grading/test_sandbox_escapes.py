"""Can trainee code escape the grading sandbox: write through links as root, smuggle files
into autograded/, leave processes behind, use /tmp, read the masters or the workspace, or
reach the network?

One small batch of data-basics submissions the project writes itself, graded by
``shegong.grading.autograde`` with one worker (so every kernel runs as the same uid, one
after the other):

- ``links``: replaces every file of its working folder (and its notebook, wherever it can
  find it) with links to a root-only canary file and to the gradebook, and plants links to
  the gradebook, another trainee's notebook and ``submitted/`` for root to copy;
- ``procs``: sleepers in new sessions, a double-forked daemon and a fork bomb up to the
  process limit, all meant to outlive the submission;
- ``snoop``: writes to ``/tmp``, ``/var/tmp`` and ``/dev/shm``; reads the masters, the
  workspace's gradebook and ``records.db`` and another trainee's notebook; connects to a
  TCP listener the test opens on 127.0.0.1; it prints what it could read;
- ``z_normal``: a correct solution (with a secret in a comment), graded after the others on
  the same worker and uid: it must score full marks.

These need root and a Python the sandbox uid can run; without them they skip and say so.
The sandbox uids here are their own (``UID``), so no other test's kernels are killed.
"""

from __future__ import annotations

import os
import secrets
import socket
import sqlite3
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from grading_support import TIMESTAMP, release_nb, source_nb, submitted

from shegong.grading import cells, masters, simulate
from shegong.grading.autograde import Report, autograde
from shegong.grading.config import GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.model import Status
from shegong.grading.processes import uid_processes
from shegong.grading.sandbox import CHECKER_OFFSET

ASSIGNMENT = "data-basics"
AUTO_MAX = 16.0
UID = 63000
SECRET = "NEIGHBOUR-SECRET-5b1e9a"
TOKEN = secrets.token_hex(6)
EVIDENCE = "EVIDENCE"
LINKS = """
import glob, os
_here = os.getcwd()
_box = os.path.dirname(os.path.dirname(_here))
_mine = os.path.join(_box, "course", "autograded", "links", "data-basics", "data-basics.ipynb")
for _i, _path in enumerate(sorted(glob.glob(os.path.join(_here, "*"))) + [_mine]):
    try:
        os.remove(_path)
        os.symlink({canary!r} if _i % 2 == 0 else {gradebook!r}, _path)
        print("EVIDENCE swapped", _path)
    except OSError as _e:
        print("EVIDENCE swap-denied", type(_e).__name__)
for _name, _target in [("data-basics.ipynb", {canary!r}), ("gradebook.db", {gradebook!r}),
                       ("neighbour.ipynb", {victim!r}), ("submitted", {submitted!r})]:
    try:
        os.symlink(_target, os.path.join(_here, _name))
    except OSError as _e:
        print("EVIDENCE link-denied", _name, type(_e).__name__)
import json
try:
    _conn = json.load(open(os.path.expanduser("~/connection.json")))
except OSError as _e:
    _conn = {{}}
    print("EVIDENCE no-connection-file", type(_e).__name__)
for _key in ("shell_port", "iopub_port", "control_port", "hb_port"):
    if not _conn:
        break
    _socket = "{{}}-{{}}".format(_conn["ip"], _conn[_key])
    try:
        os.remove(_socket)
        os.symlink({canary!r}, _socket)
        print("EVIDENCE socket-swapped", _key)
    except OSError as _e:
        print("EVIDENCE socket-denied", _key, type(_e).__name__)
"""
PROCS = """
import os, subprocess, time
_sleepers = [subprocess.Popen(["sleep", "3600"], start_new_session=True) for _ in range(3)]
_first = os.fork()
if _first == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(3600)
    os._exit(0)
os.waitpid(_first, 0)
_forked = 0
try:
    while _forked < 5000:
        if os.fork() == 0:
            os.setsid()
            time.sleep(3600)
            os._exit(0)
        _forked += 1
except OSError as _e:
    print("EVIDENCE fork bomb stopped after", _forked, type(_e).__name__)
"""
SNOOP = """
import os, socket
for _label, _path in [("master", {master!r}), ("gradebook", {gradebook!r}),
                      ("records", {records!r}), ("neighbour", {victim!r})]:
    try:
        with open(_path, "rb") as _f:
            print("EVIDENCE READ", _label, _f.read(400))
    except OSError as _e:
        print("EVIDENCE DENIED", _label, type(_e).__name__)
for _folder in ("/tmp", "/var/tmp", "/dev/shm"):
    try:
        with open(os.path.join(_folder, {token!r}), "w") as _f:
            _f.write("left behind")
        print("EVIDENCE WROTE", _folder)
    except OSError as _e:
        print("EVIDENCE DENIED", _folder, type(_e).__name__)
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2).close()
    print("EVIDENCE READ tcp connected")
except OSError as _e:
    print("EVIDENCE DENIED tcp", type(_e).__name__)
"""


@dataclass(frozen=True)
class Batch:
    course: GradingContext
    report: Report
    results: dict[str, tuple[Status, float, tuple[str, ...]]]
    canary: Path
    canary_bytes: bytes
    listener: socket.socket


def _fits() -> str:
    """Why these tests cannot run here ("" if they can)."""
    from shegong.grading.sandbox import kernel_interpreter

    if os.geteuid() != 0:
        return "needs root: kernels run as the grader's own user here (see sandbox docs)"
    if not kernel_interpreter().can_drop:
        return "no Python here that an unprivileged sandbox uid can run (see kernel_interpreter)"
    return ""


def _evidence(course: GradingContext, trainee: str) -> str:
    """What the trainee's hostile answer cell printed (its outputs in the graded notebook)."""
    path = course.paths.step("autograded") / trainee / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cell = cells.nbgrader_cells(nbformat.read(path, as_version=4))["top_station"]
    return "".join(str(o.get("text", "")) for o in cell.get("outputs", []))


def _submissions(
    course: GradingContext, canary: Path, port: int
) -> dict[str, nbformat.NotebookNode]:
    release = release_nb(course, ASSIGNMENT)
    solved = simulate.answered(release, source_nb(course, ASSIGNMENT))
    top = cells.nbgrader_cells(solved)["top_station"].source
    where = {
        "canary": str(canary),
        "gradebook": str(course.paths.gradebook),
        "victim": str(submitted(course, "z_normal", ASSIGNMENT) / f"{ASSIGNMENT}.ipynb"),
        "submitted": str(course.paths.step("submitted")),
        "master": str(masters.assignments_root() / ASSIGNMENT / f"{ASSIGNMENT}.py"),
        "records": str(course.paths.workspace.records),
        "token": TOKEN,
        "port": port,
    }

    def hostile(code: str) -> nbformat.NotebookNode:
        return simulate.with_answers(solved, {"top_station": code.format(**where) + top})

    return {
        "links": hostile(LINKS),
        "procs": hostile(PROCS),
        "snoop": hostile(SNOOP),
        "z_normal": simulate.with_answers(solved, {"top_station": f"{top}\n# {SECRET}"}),
    }


@pytest.fixture(scope="module")
def batch(
    clone: Callable[..., GradingContext], tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Batch]:
    reason = _fits()
    if reason:
        pytest.skip(reason)
    options = GradingOptions(
        workers=1, cell_timeout=20, notebook_timeout=240, memory_mb=2048, sandbox_uid=UID
    )
    course = clone("escapes", options)
    canary = tmp_path_factory.mktemp("canary") / "root-only.txt"
    canary_bytes = secrets.token_bytes(64)
    canary.write_bytes(canary_bytes)
    canary.chmod(0o600)
    records = course.paths.workspace.records
    if not records.exists():
        records.write_text(f"records {SECRET}", encoding="utf-8")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.setblocking(False)
    port = listener.getsockname()[1]
    for trainee, nb in _submissions(course, canary, port).items():
        simulate.write_submission(nb, submitted(course, trainee, ASSIGNMENT), ASSIGNMENT, TIMESTAMP)
    report = autograde(course, ASSIGNMENT)
    results = {
        r.student: (r.status, r.auto_score, tuple(n.code for n in r.notes)) for r in report.results
    }
    yield Batch(course, report, results, canary, canary_bytes, listener)
    listener.close()
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        Path(folder, TOKEN).unlink(missing_ok=True)


def _namespaces(batch: Batch) -> None:
    if batch.report.isolation != "namespaces":
        pytest.skip(f"isolation here is {batch.report.isolation!r}, not namespaces (unshare)")


def test_the_isolation_level_says_namespaces_where_they_work(batch: Batch) -> None:
    """Is the level reported the one that applies (root, unshare and mounts work here)?"""
    from shegong.grading.launch import namespaces_work
    from shegong.grading.sandbox import kernel_interpreter

    works = namespaces_work(kernel_interpreter())
    assert batch.report.isolation == ("namespaces" if works else "uid")


def test_the_next_submission_on_the_same_uid_scores_full_marks(batch: Batch) -> None:
    """After sleepers, a daemon and a fork bomb on this uid, does the next kernel start
    normally and the correct solution score full marks?"""
    assert batch.results["z_normal"][:2] == (Status.GRADED, AUTO_MAX)
    assert "fork bomb stopped" in _evidence(batch.course, "procs")


def test_no_process_of_the_sandbox_uids_is_alive_after_the_batch(batch: Batch) -> None:
    """Are the setsid sleepers, the double-forked daemon and the fork bomb all gone?"""
    assert uid_processes(UID) == [] and uid_processes(UID + CHECKER_OFFSET) == []


def test_writing_through_planted_links_changes_no_root_file(batch: Batch) -> None:
    """Are the root-only canary and the gradebook unchanged, though the kernel's folder was
    filled with links to them?"""
    assert batch.canary.read_bytes() == batch.canary_bytes
    connection = sqlite3.connect(batch.course.paths.gradebook)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        graded = connection.execute(
            "SELECT count(*) FROM submitted_assignment JOIN student"
            " ON student.id = submitted_assignment.student_id WHERE student.id = 'z_normal'"
        ).fetchone()
    finally:
        connection.close()
    assert graded == (1,)
    assert "EVIDENCE" in _evidence(batch.course, "links")


def test_the_kernel_cannot_swap_its_own_sockets_for_links(batch: Batch) -> None:
    """Can trainee code replace its kernel's ipc sockets with links (for root's client to
    follow on a reconnect)? Its socket folder is root's once the kernel is ready."""
    shown = _evidence(batch.course, "links")
    if "no-connection-file" in shown:
        pytest.skip("kernels run as the grader's user here: no private connection file")
    assert "socket-swapped" not in shown
    for key in ("shell_port", "iopub_port", "control_port", "hb_port"):
        assert f"EVIDENCE socket-denied {key} PermissionError" in shown, key


def test_autograded_holds_only_each_trainees_own_files(batch: Batch) -> None:
    """Is nothing but the trainee's own notebook (and timestamp) under autograded/, no link,
    no gradebook, no neighbour's notebook, no submitted/ folder?"""
    root = batch.course.paths.step("autograded")
    for trainee in batch.results:
        folder = root / trainee / ASSIGNMENT
        found = {p.relative_to(folder).as_posix() for p in folder.rglob("*")}
        assert found <= {f"{ASSIGNMENT}.ipynb", "timestamp.txt"}, trainee
        assert not any(p.is_symlink() for p in folder.rglob("*"))
    ours = (root / "links" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text(encoding="utf-8")
    assert SECRET not in ours


def test_the_kernel_reads_no_master_no_workspace_and_no_neighbour(batch: Batch) -> None:
    """Does the snooping cell's printed evidence show every read denied, no secret bytes?"""
    _namespaces(batch)
    shown = _evidence(batch.course, "snoop")
    for label in ("master", "gradebook", "records", "neighbour", "tcp"):
        assert f"EVIDENCE DENIED {label}" in shown, label
    assert "EVIDENCE READ" not in shown
    assert SECRET not in shown and "SQLite format 3" not in shown
    assert "# %%" not in shown  # the master is py:percent


def test_nothing_reaches_the_listener_on_127_0_0_1(batch: Batch) -> None:
    """Did no connection from a kernel arrive at the test's TCP listener?"""
    _namespaces(batch)
    with pytest.raises(BlockingIOError):
        batch.listener.accept()


def test_tmp_writes_stay_in_the_kernels_own_tmp(batch: Batch) -> None:
    """Did the writes to /tmp, /var/tmp and /dev/shm land in the box's private tmp (gone
    with the box), leaving nothing in the machine's shared folders?"""
    _namespaces(batch)
    assert "EVIDENCE WROTE /tmp" in _evidence(batch.course, "snoop")
    for folder in ("/tmp", "/var/tmp", "/dev/shm"):
        assert not Path(folder, TOKEN).exists(), folder


# --- the pieces on their own (no kernel) -------------------------------------------------


def _needs_root() -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root: only root can change to a sandbox uid and kill its processes")


def test_collect_copies_regular_files_only_and_notes_the_rest(tmp_path: Path) -> None:
    """Does the root-side copy out of the box skip a link to a root-only file, a FIFO and
    files nbgrader never wrote, copying only the real notebook, with a note for each?"""
    from shegong.grading.sandbox import Box
    from shegong.grading.worker import Job, _State, collect

    secret = tmp_path / "root-only.db"
    secret.write_text(SECRET, encoding="utf-8")
    box = Box(tmp_path / "box", None)
    produced = box.step("autograded", "t1", ASSIGNMENT)
    produced.mkdir(parents=True)
    nbformat.write(nbformat.v4.new_notebook(), produced / "one.ipynb")
    (produced / "two.ipynb").symlink_to(secret)
    os.mkfifo(produced / "pipe.ipynb")
    (produced / "gradebook.db").write_text(SECRET, encoding="utf-8")
    job = Job(ASSIGNMENT, "t1", ("one", "two", "pipe"), tmp_path, "hash")
    state = _State(job, box, staged=["one", "two", "pipe"])
    run = type("Run", (), {"path": tmp_path / "run"})()
    (tmp_path / "run" / "out").mkdir(parents=True)
    output = collect(state, run)  # type: ignore[arg-type]
    assert output is not None
    assert sorted(p.name for p in output.iterdir()) == ["one.ipynb"]
    skipped = sorted(n.detail for n in state.notes if n.code == "output_skipped")
    assert skipped == ["gradebook.db", "pipe.ipynb", "two.ipynb"]


def test_kill_uid_ends_setsid_sleepers_and_double_forked_daemons() -> None:
    """Are processes of a sandbox uid that left the session (and their parent) all ended?"""
    import subprocess

    from shegong.grading.processes import clear_uids

    _needs_root()
    uid = UID + 7
    daemon = "sleep 600 & (setsid sleep 600 &) ; exit 0"
    subprocess.run(["sh", "-c", daemon], user=uid, group=uid, extra_groups=[], check=True)
    sleeper = subprocess.Popen(["sleep", "600"], user=uid, group=uid, start_new_session=True)
    assert len(uid_processes(uid)) >= 3
    assert clear_uids([uid]) == []
    assert uid_processes(uid) == []
    assert sleeper.wait() == -9


def test_a_kernel_start_clears_leftovers_of_its_uid_first(tmp_path: Path) -> None:
    """Before a kernel starts, is a leftover process of its uid ended, and is the kernel's
    room fresh and its own (home, work, tmp owned by the uid, the room by root)?"""
    import subprocess

    from shegong.grading.jail import ENV_BOX
    from shegong.grading.rooms import prepare_kernel, seal

    _needs_root()
    uid = UID + 8
    leftover = subprocess.Popen(["sleep", "600"], user=uid, group=uid, start_new_session=True)
    box = tmp_path / "box"
    box.mkdir()
    start = prepare_kernel({ENV_BOX: str(box), "SHEGONG_SANDBOX_UID": str(uid)}, "a")
    assert leftover.wait() == -9 and uid_processes(uid) == []
    again = prepare_kernel({ENV_BOX: str(box), "SHEGONG_SANDBOX_UID": str(uid)}, "a")
    assert (start.room.name, again.room.name) == ("a1", "a2")
    assert start.room.stat().st_uid == 0 and start.cwd == start.room / "work"
    for folder in ("home", "work", "tmp", "sock"):
        info = (start.room / folder).stat()
        assert (info.st_uid, info.st_mode & 0o777) == (uid, 0o700)
    assert start.env["HOME"] == str(start.room / "home")
    assert start.ip == str(start.room / "sock" / "k")
    seal(start.room)  # once the kernel is ready: root's, so no socket can be swapped
    info = (start.room / "sock").stat()
    assert (info.st_uid, info.st_mode & 0o777) == (0, 0o700)


def test_run_folders_are_swept_in_both_places(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a killed grader's run folder removed from the root-only place and from /tmp?"""
    import subprocess
    import sys
    import tempfile

    from shegong.grading import sandbox

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    places = (tmp_path / "var-lib", tmp_path / "tmp")
    monkeypatch.setattr(sandbox, "ROOT_RUNS", places[0])
    monkeypatch.setattr(tempfile, "tempdir", str(places[1]))
    stale = [place / f"{sandbox.RUN_PREFIX}x" for place in places]
    for folder in stale:
        folder.mkdir(parents=True)
        (folder / sandbox.OWNER_FILE).write_text(gone, encoding="ascii")
    assert sorted(sandbox.sweep_stale_runs()) == sorted(stale)
    assert not any(folder.exists() for folder in stale)


def test_the_kernels_hide_the_workspace_and_source_tree_but_not_the_packages(
    clone: Callable[..., GradingContext],
) -> None:
    """Does the hidden list cover the workspace, masters and tests and everything outside the
    system folders, and leave the package folders and the virtualenv the kernel imports from?"""
    import sysconfig

    from shegong.grading.launch import KERNEL_SCRIPT, SYSTEM, hidden_paths

    course = clone("hidden")
    hide = hidden_paths(course.paths)
    for top in Path("/").iterdir():  # other checkouts, homes, /var, /run: hidden (or around us)
        if top.name not in SYSTEM and top.is_dir() and not top.is_symlink():
            assert str(top) in hide or any(h.startswith(f"{top}/") for h in hide), top
    source = KERNEL_SCRIPT.resolve().parent.parent
    assert str(course.paths.workspace.root.resolve()) in hide
    assert str(source / "assignments") in hide and str(source / "tests") in hide
    for kept in (KERNEL_SCRIPT.parent, Path(sysconfig.get_paths()["purelib"]), source / "shegong"):
        assert not any(kept.resolve() == Path(h) or Path(h) in kept.resolve().parents for h in hide)


def test_the_isolation_level_names_only_what_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    """Is the level "uid" (not "namespaces") where unshare is missing, "same_user" without a
    uid to drop to, and does each level have its message in both languages?"""
    from shegong.grading import launch
    from shegong.messages import bilingual

    plain = launch.Interpreter(("python",), "", True)
    assert launch.isolation(plain) == "uid"
    assert launch.isolation(launch.Interpreter(("python",), "", False)) == "same_user"
    assert (
        launch.isolation(launch.Interpreter(("unshare", "python"), "", True, True)) == "namespaces"
    )
    monkeypatch.setattr(launch.shutil, "which", lambda name: None)
    assert not launch.kernel_interpreter().namespaces
    assert not launch.namespaces_work(plain)
    for level in ("namespaces", "uid", "same_user"):
        text = bilingual(f"grading.cli.isolation.{level}")
        assert "隔离" in text and "Isolation" in text


def test_a_second_run_with_the_same_uids_waits_for_the_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """While one run holds its sandbox uids, can another process take them? (It must wait:
    each run kills every process of its uids after each submission.)"""
    import subprocess
    import sys

    from shegong.grading import sandbox

    _needs_root()
    monkeypatch.setattr(sandbox, "ROOT_RUNS", tmp_path)
    probe = (
        "import fcntl, os, sys\n"
        "fd = os.open(sys.argv[1], os.O_RDWR)\n"
        "try:\n    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)\nexcept BlockingIOError:\n"
        "    print('busy')\nelse:\n    print('free')\n"
    )
    lock = tmp_path / f"uids-{UID}.lock"
    sandbox._lock_uids(UID)
    try:
        held = subprocess.run([sys.executable, "-c", probe, str(lock)],
                              capture_output=True, text=True, check=True)  # fmt: skip
    finally:
        sandbox._unlock_uids()
    after = subprocess.run([sys.executable, "-c", probe, str(lock)],
                           capture_output=True, text=True, check=True)  # fmt: skip
    assert (held.stdout.strip(), after.stdout.strip()) == ("busy", "free")


def test_a_run_folder_inside_the_workspace_stays_visible(tmp_path: Path) -> None:
    """If the run folder lies inside the workspace, is the rest of the workspace hidden and
    the run (the kernel's own box and data) still reachable?"""
    from shegong.grading.config import CoursePaths
    from shegong.grading.launch import hidden_paths
    from shegong.paths import Workspace

    workspace = tmp_path / "ws"
    run = workspace / "runs" / "r1"
    run.mkdir(parents=True)
    (workspace / "course").mkdir()
    (workspace / "gradebook.db").write_text("db", encoding="utf-8")
    (workspace / "runs" / "r0").mkdir()
    hide = hidden_paths(CoursePaths(Workspace(workspace)), run)
    real = workspace.resolve()
    wanted = {str(real / "course"), str(real / "gradebook.db"), str(real / "runs" / "r0")}
    assert wanted <= set(hide)
    assert not any(Path(h) == run.resolve() or Path(h) in run.resolve().parents for h in hide)


def test_without_namespaces_leftover_processes_are_still_killed(
    clone: Callable[..., GradingContext],
) -> None:
    """With the uid level only (no unshare), do the setsid sleepers, the daemon and the fork
    bomb still end with their submission, so the next one on the same uid scores full marks?"""
    from shegong.grading import autograde as autograde_module
    from shegong.grading import launch

    reason = _fits()
    if reason:
        pytest.skip(reason)
    if not launch._plain_interpreter().can_drop:
        pytest.skip("the uid level needs a Python other users can run outside the namespaces")
    uid = UID + 400
    options = GradingOptions(
        workers=1, cell_timeout=20, notebook_timeout=240, memory_mb=2048, sandbox_uid=uid
    )
    course = clone("escapes_uid", options)
    subs = _submissions(course, course.paths.gradebook, 9)
    for trainee in ("procs", "z_normal"):
        simulate.write_submission(
            subs[trainee], submitted(course, trainee, ASSIGNMENT), ASSIGNMENT, TIMESTAMP
        )
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(autograde_module, "kernel_interpreter", launch._plain_interpreter)
        report = autograde(course, ASSIGNMENT)
    results = {r.student: (r.status, r.auto_score) for r in report.results}
    assert report.isolation == "uid"
    assert results["z_normal"] == (Status.GRADED, AUTO_MAX)
    assert "fork bomb stopped" in _evidence(course, "procs")
    assert uid_processes(uid) == [] and uid_processes(uid + CHECKER_OFFSET) == []
