"""Where a submission's code runs: a private copy in a fresh folder, as a stranger if we can.

One grading run makes a *run folder* (``RunRoot``): as root in ``/var/lib/shegong/grade-runs``
(mode 0711; ``/tmp`` is replaced inside the kernels' namespaces, and a root-only place keeps
the run out of every other user's reach), otherwise in the system temporary directory:

- ``template.db``: a copy of the gradebook with every student removed (``strip_students``);
  it holds the assignment's cells, hidden tests and checksums and nothing about anyone;
- ``data/<scale>-seed<N>/``: the generated world, hard-linked (or copied) read-only, so
  ``load("ledger")`` in the kernel reads the same data the trainee had;
- ``mpl/``: matplotlib's font cache, so every kernel does not rebuild it;
- ``owner.pid``: the grader's process id; the next run removes folders whose grader was
  killed (``sweep_stale_runs``, both places), so no copy of anyone's work stays behind.

Each submission gets a *box* inside it (``make_box``): its own course folder (root-only)
with only this trainee's notebook and its own copy of ``template.db``. nbgrader's
``Autograde`` runs against the box, never against the workspace. Every kernel gets a fresh
*room* in the box right before it starts (``prepare_kernel``): ``home``, ``work`` (its
working folder) and ``tmp``, owned by the kernel's uid. Root never writes into a room after
the kernel started, and never reads a folder the kernel can write except through
``worker.collect``'s link-refusing copy, so a link planted there leads nowhere.

Threat model: the kernel runs the trainee's code, which may try to read or write the
gradebook, the masters, other trainees' work, ``/tmp``; leave processes behind; or reach
the network. Levels (``isolation``), strongest first:

- ``namespaces``: root, a Python others can run (``kernel_interpreter``), and util-linux
  ``unshare`` works: each kernel runs as its own uid (``GradingOptions.sandbox_uid`` + worker
  slot; the checker kernel + ``CHECKER_OFFSET``) in its own mount, PID, network, IPC and UTS
  namespaces (``shegong.grading.jail``): everything outside the system folders hidden but
  the packages, the venv and its own box (``launch.hidden_paths``: so the workspace, the
  masters, other checkouts and other boxes too), private ``/tmp``, everything else
  read-only, no network, and every process it started dies with it; ``harden_workspace``
  makes the course folder and gradebooks root-only;
- ``uid``: root without namespaces: the uid, root-only files and the kill of every process
  of the uid after each submission (``shegong.grading.processes``), but world-readable
  files (the masters) and world-writable folders (``/tmp``) stay reachable;
- ``same_user``: not root: the kernel runs as the grader's own user; it sees only the box
  through its working folder and environment, but a program that knows absolute paths
  could reach files the grader can reach, and its processes can outlive it.

``isolation()`` says which case applies, and ``shegong grade autograde`` prints it.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import sqlite3
import stat
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shegong.grading.config import CoursePaths, GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.jail import Plan
from shegong.grading.launch import ROOT_RUNS, hidden_paths, kept_in_tmp
from shegong.grading.launch import Interpreter as Interpreter
from shegong.grading.launch import install_kernelspec as install_kernelspec
from shegong.grading.launch import isolation as isolation
from shegong.grading.launch import kernel_interpreter as kernel_interpreter
from shegong.grading.processes import clear_uids
from shegong.grading.rooms import ENV_MPL

FSIZE_MB = 64
CHECKER_OFFSET = 100  # the checker kernel's uid is the answer kernel's + 100


def harden_workspace(paths: CoursePaths) -> None:
    """As root: make the course folder and the gradebooks readable by root only."""
    if os.geteuid() != 0:
        return
    for path in (paths.course, paths.gradebook, paths.grading_db):
        if path.exists():
            path.chmod(0o700 if path.is_dir() else 0o600)


def strip_students(source: Path, target: Path, course_id: str) -> None:
    """Copy the gradebook to ``target`` and remove every student (and their submissions)."""
    shutil.copyfile(source, target)
    with open_gradebook(f"sqlite:///{target}", course_id) as gb:
        for student in list(gb.students):
            gb.remove_student(student.id)
    connection = sqlite3.connect(target)
    try:
        connection.execute("VACUUM")  # deleted rows must not linger in free pages
    finally:
        connection.close()
    target.chmod(0o600)


def _snapshot_world(world: Path, target: Path) -> None:
    target.mkdir(parents=True, exist_ok=True)
    target.chmod(0o755)
    for source in world.iterdir():
        if not source.is_file() or source.suffix not in (".parquet", ".json"):
            continue
        dest = target / source.name
        readable = bool(source.stat().st_mode & stat.S_IROTH)
        try:
            if not readable:
                raise OSError("not readable by others")
            os.link(source, dest)
        except OSError:
            shutil.copyfile(source, dest)
            dest.chmod(0o644)


def _font_cache(target: Path) -> Path | None:
    """A copy of matplotlib's font list (with the CJK fonts) for the kernels to start from."""
    try:
        import matplotlib  # heavy: only when a run starts
        from matplotlib import font_manager  # noqa: F401  (builds the cache if missing)

        cachedir = Path(matplotlib.get_cachedir())
    except (ImportError, OSError):
        return None
    target.mkdir(parents=True, exist_ok=True)
    for item in cachedir.glob("fontlist-*.json"):
        shutil.copyfile(item, target / item.name)
    target.chmod(0o755)
    return target


RUN_PREFIX = "shegong-grade-"
OWNER_FILE = "owner.pid"


def runs_folder() -> Path:
    """Where run folders go: root-only ``ROOT_RUNS`` as root, else the temporary directory."""
    if os.geteuid() != 0:
        return Path(tempfile.gettempdir())
    ROOT_RUNS.mkdir(parents=True, exist_ok=True)
    ROOT_RUNS.chmod(0o711)
    return ROOT_RUNS


@dataclass(frozen=True)
class RunRoot:
    """The folder one grading run shares between its workers (see the module docstring)."""

    path: Path
    template: Path
    mpl: Path | None
    scale: str
    seed: int
    hide: tuple[str, ...] = field(default=())  # hidden from kernels (``hidden_paths``)

    @classmethod
    def create(cls, ctx: GradingContext) -> RunRoot:
        from shegong.datasets import load  # pandas and the world's builder: only for a run

        paths, settings, options = ctx.paths, ctx.settings, ctx.options
        load("workers", settings.scale, settings.seed, home=settings.home)  # build if missing
        sweep_stale_runs()
        _lock_uids(options.sandbox_uid)
        try:
            root = Path(tempfile.mkdtemp(prefix=RUN_PREFIX, dir=runs_folder()))
            root.chmod(0o711)
            (root / OWNER_FILE).write_text(str(os.getpid()), encoding="ascii")
            (root / "boxes").mkdir(mode=0o711)
            (root / "out").mkdir(mode=0o700)
            template = root / "template.db"
            strip_students(paths.gradebook, template, options.course_id)
            world = paths.workspace.data_dir(settings.scale, settings.seed)
            (root / "data").mkdir(mode=0o755)
            _snapshot_world(world, root / "data" / world.name)
            mpl = _font_cache(root / "mpl")
            hide = hidden_paths(paths, root) if os.geteuid() == 0 else ()
            return cls(root, template, mpl, settings.scale, settings.seed, hide)
        except BaseException:
            _unlock_uids()
            raise

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)
        _unlock_uids()


_UID_LOCKS: list[int] = []  # descriptors of the locks this process holds


def _lock_uids(base: int) -> None:
    """As root: wait until no other grading run uses the sandbox uids from ``base`` on.

    Each submission ends with a kill of every process of its uids, so two runs with the same
    uids at once would kill each other's kernels; the second run waits for the first
    (the lock ends with the process, however it ends)."""
    if os.geteuid() != 0:
        return
    fd = os.open(runs_folder() / f"uids-{base}.lock", os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
    fcntl.flock(fd, fcntl.LOCK_EX)
    _UID_LOCKS.append(fd)


def _unlock_uids() -> None:
    while _UID_LOCKS:
        os.close(_UID_LOCKS.pop())  # closing the descriptor releases the lock


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's live process
        return True
    return True


def sweep_stale_runs(folder: Path | None = None) -> list[Path]:
    """Remove run folders left by a grader that was killed (its process is gone).

    A run folder holds copies of submissions and the gradebook's hidden tests; a normal run
    removes its own at the end, a killed one cannot. Only folders whose ``owner.pid`` names
    a process that no longer exists are removed, in ``folder`` or else in both places runs
    go (``ROOT_RUNS`` and the temporary directory). Returns what was removed.
    """
    places = [folder] if folder is not None else [Path(tempfile.gettempdir()), ROOT_RUNS]
    removed = []
    for place in places:
        for run in sorted(place.glob(f"{RUN_PREFIX}*")):
            try:
                pid = int((run / OWNER_FILE).read_text(encoding="ascii").strip())
            except (OSError, ValueError):
                continue  # not ours to judge (no owner recorded)
            if not _alive(pid):
                shutil.rmtree(run, ignore_errors=True)
                removed.append(run)
    return removed


@dataclass(frozen=True)
class Box:
    """One submission's private folder inside a run (see the module docstring)."""

    root: Path
    uid: int | None

    @property
    def course(self) -> Path:
        return self.root / "course"

    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def home(self) -> Path:
        """Not created: each kernel gets its own ``home`` in a fresh room (``prepare_kernel``)."""
        return self.root / "home"

    def step(self, name: str, student: str, assignment: str) -> Path:
        return self.course / name / student / assignment


def make_box(run: RunRoot, student: str, assignment: str, uid: int | None) -> Box:
    """A fresh box with the stripped gradebook and a root-only course folder."""
    box = Box(Path(tempfile.mkdtemp(prefix="box-", dir=run.path / "boxes")), uid)
    box.root.chmod(0o711)
    box.course.mkdir(mode=0o700)  # submitted/, autograded/: root reads and writes only
    (box.course / "source" / assignment).mkdir(parents=True)
    submitted = box.step("submitted", student, assignment)
    submitted.mkdir(parents=True, mode=0o700)
    shutil.copyfile(run.template, box.gradebook)
    box.gradebook.chmod(0o600)
    return box


def sandbox_uids(uid: int | None) -> tuple[int, ...]:
    """The uids a box's kernels run as: the answer kernel's and the checker's."""
    return () if uid is None else (uid, uid + CHECKER_OFFSET)


_BOX_UID = -2  # kernel_env's default: the box's own uid


def kernel_env(
    run: RunRoot, box: Box, options: GradingOptions, uid: int | None = _BOX_UID
) -> dict[str, str]:
    """The whole base environment of a sandbox kernel: nothing inherited but ``PATH``.

    ``uid`` is the box's uid unless given (the checker kernel: ``box.uid + CHECKER_OFFSET``).
    ``prepare_kernel`` adds the room (``HOME`` and the rest) right before each start.
    """
    uid = box.uid if uid == _BOX_UID else uid
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "LANG": "C.UTF-8",
        "LC_ALL": "C.UTF-8",
        "HOME": str(box.home),
        "TMPDIR": str(box.home / "tmp"),
        "IPYTHONDIR": str(box.home / ".ipython"),
        "MPLCONFIGDIR": str(box.home / "mpl"),
        "SHEGONG_HOME": str(run.path),
        "SHEGONG_SCALE": run.scale,
        "SHEGONG_SEED": str(run.seed),
        "PYTHONWARNINGS": "ignore",  # a warning on stderr would make nbgrader score a test 0
        "PYTHONDONTWRITEBYTECODE": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "MALLOC_ARENA_MAX": "2",
        "ARROW_DEFAULT_MEMORY_POOL": "system",  # jemalloc reserves address space up front
        "SHEGONG_SANDBOX_MEM_MB": str(options.memory_mb),
        "SHEGONG_SANDBOX_FSIZE_MB": str(FSIZE_MB),
        ENV_MPL: str(run.mpl or ""),
    }
    # the namespace plan but for the room (kernel.py reads it, then removes SHEGONG_SANDBOX_*)
    plan = Plan(run.hide, str(run.path / "boxes"), str(box.root), "", kept_in_tmp())
    env.update({k: v for k, v in plan.env().items() if v})
    if uid is not None:
        env["SHEGONG_SANDBOX_UID"] = str(uid)
    return env


def end_submission(uid: int | None) -> list[int]:
    """After a submission: kill every process of its answer kernel's uid (the trainee's
    code); returns survivors. The checker kernel (our code only, kept by the worker for the
    next submission) is ended with the run (``clear_slots``)."""
    return clear_uids([uid]) if uid is not None and os.geteuid() == 0 else []


def clear_slots(base_uid: int, slots: Iterable[int]) -> list[int]:
    """Kill every process of the sandbox uids of these worker slots (end of a run)."""
    if os.geteuid() != 0:
        return []
    left: list[int] = []
    for slot in slots:
        left += clear_uids(sandbox_uids(base_uid + slot))
    return left
