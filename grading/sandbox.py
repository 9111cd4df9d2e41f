"""Where a submission's code runs: a private copy in a fresh folder, as a stranger if we can.

One grading run makes a *run folder* in the system temporary directory (``RunRoot``):

- ``template.db``: a copy of the gradebook with every student removed (``strip_students``);
  it holds the assignment's cells, hidden tests and checksums and nothing about anyone;
- ``data/<scale>-seed<N>/``: the generated world, hard-linked (or copied) read-only, so
  ``load("ledger")`` in the kernel reads the same data the trainee had;
- ``mpl/``: matplotlib's font cache, so every kernel does not rebuild it;
- ``owner.pid``: the grader's process id; the next run removes folders whose grader was
  killed (``sweep_stale_runs``), so no copy of anyone's work stays behind in ``/tmp``.

Each submission gets a *box* inside it (``make_box``): its own course folder with only this
trainee's notebook, its own copy of ``template.db`` and its own ``HOME``. nbgrader's
``Autograde`` runs against the box, never against the workspace.

Privileges: when the grader runs as root and an interpreter exists that an unprivileged user
can run (``kernel_interpreter``), each worker's kernels run as their own uid
(``GradingOptions.sandbox_uid`` + worker slot), the box's gradebook and submission are
root-only, and ``harden_workspace`` makes the workspace's course folder and gradebooks
root-only. Student code then cannot read or write the gradebook, the masters or another
trainee's work. Without root (or without such an interpreter) the kernel runs as the
grader's own user: it still sees only the box through its working folder and environment,
but a determined program that knows absolute paths could reach files the grader can reach.
``isolation()`` says which case applies, and ``shegong grade autograde`` prints it.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import stat
import sys
import sysconfig
import tempfile
from dataclasses import dataclass
from pathlib import Path

from shegong.grading.config import SANDBOX_KERNEL, CoursePaths, GradingOptions
from shegong.grading.gradebook import open_gradebook
from shegong.settings import Settings

KERNEL_SCRIPT = Path(__file__).with_name("kernel.py")
FSIZE_MB = 64


def _others_can(path: Path, need: int) -> bool:
    """Can a user who is neither owner nor in the group use ``path`` (and reach it)?"""
    try:
        real = path.resolve()
    except OSError:
        return False
    for parent in [*reversed(real.parents)]:
        if not os.stat(parent).st_mode & stat.S_IXOTH:
            return False
    try:
        return bool(os.stat(real).st_mode & need)
    except OSError:
        return False


def _venv_site() -> Path:
    return Path(sysconfig.get_paths()["purelib"])


@dataclass(frozen=True)
class Interpreter:
    """How the sandbox kernel is started, and whether it may drop to another uid."""

    argv: tuple[str, ...]
    site: str  # site-packages a foreign interpreter adds (empty for our own)
    can_drop: bool


def _usable_by_others(python: Path, stdlib: Path) -> bool:
    return (
        _others_can(python, stat.S_IXOTH)
        and _others_can(stdlib, stat.S_IROTH)
        and _others_can(_venv_site(), stat.S_IROTH)
        and _others_can(KERNEL_SCRIPT, stat.S_IROTH)
    )


def kernel_interpreter() -> Interpreter:
    """Our interpreter if others can run it; else a same-version system Python; else ours.

    A virtualenv whose base Python lives under ``/root`` (pyenv) cannot be run by another
    user. A system Python of the same ``major.minor`` can run the same wheels: it is started
    with ``-S`` (no system site-packages) and adds our virtualenv's site-packages itself.
    """
    own = Path(sys.executable)
    if os.geteuid() != 0:
        return Interpreter((str(own), "-m", "shegong.grading.kernel"), "", False)
    if _usable_by_others(own, Path(sysconfig.get_paths()["stdlib"])):
        return Interpreter((str(own), "-m", "shegong.grading.kernel"), "", True)
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    for folder in ("/usr/bin", "/usr/local/bin"):
        python = Path(folder) / f"python{version}"
        stdlib = Path("/usr/lib") / f"python{version}"
        if folder == "/usr/local/bin":
            stdlib = Path("/usr/local/lib") / f"python{version}"
        if python.exists() and _usable_by_others(python, stdlib):
            argv = (str(python), "-S", str(KERNEL_SCRIPT))
            return Interpreter(argv, str(_venv_site()), True)
    return Interpreter((str(own), "-m", "shegong.grading.kernel"), "", False)


def isolation(interpreter: Interpreter) -> str:
    """``uid`` (kernels run as their own unprivileged users) or ``same_user``."""
    return "uid" if interpreter.can_drop else "same_user"


def install_kernelspec(paths: CoursePaths, interpreter: Interpreter) -> Path:
    """Write the ``shegong-sandbox`` kernelspec under the workspace; returns its Jupyter dir.

    Put the returned folder on ``JUPYTER_PATH`` so jupyter_client finds the kernelspec.
    """
    jupyter = paths.sandbox_home / "jupyter"
    folder = jupyter / "kernels" / SANDBOX_KERNEL
    folder.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [
            *interpreter.argv,
            "-f",
            "{connection_file}",
            "--HistoryManager.hist_file=:memory:",
            "--log-level=ERROR",
        ],
        "display_name": "shegong sandbox (Python 3)",
        "language": "python",
        "env": {"SHEGONG_SANDBOX_SITE": interpreter.site} if interpreter.site else {},
        "metadata": {"debugger": False},
    }
    (folder / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return jupyter


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
        import matplotlib
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


@dataclass(frozen=True)
class RunRoot:
    """The folder one grading run shares between its workers (see the module docstring)."""

    path: Path
    template: Path
    mpl: Path | None
    scale: str
    seed: int

    @classmethod
    def create(cls, paths: CoursePaths, settings: Settings, options: GradingOptions) -> RunRoot:
        from shegong.datasets import load

        load("workers", settings.scale, settings.seed, home=settings.home)  # build if missing
        sweep_stale_runs()
        root = Path(tempfile.mkdtemp(prefix=RUN_PREFIX))
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
        return cls(root, template, mpl, settings.scale, settings.seed)

    def cleanup(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)


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
    a process that no longer exists are removed. Returns what was removed.
    """
    removed = []
    for run in Path(folder or tempfile.gettempdir()).glob(f"{RUN_PREFIX}*"):
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
        return self.root / "home"

    def step(self, name: str, student: str, assignment: str) -> Path:
        return self.course / name / student / assignment


def make_box(run: RunRoot, student: str, assignment: str, uid: int | None) -> Box:
    """A fresh box with the stripped gradebook, an empty source folder and a private HOME."""
    box = Box(Path(tempfile.mkdtemp(prefix="box-", dir=run.path / "boxes")), uid)
    box.root.chmod(0o711)
    box.course.mkdir(mode=0o711)
    (box.course / "source" / assignment).mkdir(parents=True)
    submitted = box.step("submitted", student, assignment)
    submitted.mkdir(parents=True, mode=0o700)
    shutil.copyfile(run.template, box.gradebook)
    box.gradebook.chmod(0o600)
    box.home.mkdir(mode=0o700)
    (box.home / "tmp").mkdir()
    if run.mpl is not None:
        shutil.copytree(run.mpl, box.home / "mpl")
    if uid is not None:
        for dirpath, _, filenames in os.walk(box.home):
            os.chown(dirpath, uid, uid)
            for name in filenames:
                os.chown(os.path.join(dirpath, name), uid, uid)
    return box


def kernel_env(run: RunRoot, box: Box, options: GradingOptions) -> dict[str, str]:
    """The whole environment of a sandbox kernel: nothing inherited but ``PATH`` and locale."""
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
    }
    if box.uid is not None:
        env["SHEGONG_SANDBOX_UID"] = str(box.uid)
    return env
