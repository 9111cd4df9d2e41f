"""Autograde one submission in its own box (runs inside a worker process).

``grade_submission`` is a recipe of four steps:

1. ``stage``: copy the trainee's notebooks into a fresh box (``sandbox.make_box``), checking
   each can be read, renaming a single misnamed notebook, noting missing and extra files;
2. ``inspect_tests``: repair nbgrader markings broken by editing (``repair``: split cells,
   an answer marked as a grade cell), note deleted and edited test cells
   (``findings.tampered_tests``);
3. ``run_nbgrader``: nbgrader's own ``Autograde`` converter on the box, with the sandbox
   configuration (``nbconfig.sandbox_config``): deleted tests restored (``add_missing_cells``),
   the answers run in one sandboxed kernel and the tests in another (``phases``), output
   limits;
4. ``collect``: read the autograded notebooks for timeouts and crashes and move them out of
   the box; ``read_scores`` reads what nbgrader's ``SaveAutoGrades`` and
   ``AssignLatePenalties`` wrote into the box's gradebook; the box is removed.

The worker never touches the workspace's gradebook: the parent process merges results one at
a time (``shegong.grading.merge``). Everything a worker returns is a plain, picklable record.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.api import MissingEntry
from nbgrader.converters import Autograde
from nbgrader.coursedir import CourseDirectory
from nbgrader.utils import capture_log

from shegong.grading import findings, phases, repair
from shegong.grading.config import GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook, quiet_nbgrader
from shegong.grading.model import Note, Status
from shegong.grading.nbconfig import sandbox_config
from shegong.grading.sandbox import Box, RunRoot, end_submission, kernel_env, make_box
from shegong.grading.snapcopy import read_regular

NBGRADER_CORRUPT = (
    "failed to validate",
    "metadata may be corrupted",
    "Inconsistent checksums",
    "SchemaTooOld",
    "SchemaTooNew",
    "ValidationError",
)


@dataclass(frozen=True)
class Job:
    """One submission to autograde."""

    assignment: str
    student: str
    notebooks: tuple[str, ...]
    submitted: Path
    content_hash: str


@dataclass(frozen=True)
class NotebookScores:
    """What nbgrader's ``SaveAutoGrades`` and ``AssignLatePenalties`` wrote for one notebook
    into the box's private gradebook, carried back for the parent to merge."""

    notebook: str
    auto_scores: tuple[tuple[str, float | None], ...]
    auto_comments: tuple[tuple[str, str | None], ...]
    late_penalty: float | None


@dataclass(frozen=True)
class Outcome:
    """What grading one submission found; ``output`` holds the autograded notebooks."""

    job: Job
    status: Status
    notes: tuple[Note, ...]
    output: Path | None
    seconds: float
    scores: tuple[NotebookScores, ...] = ()


@dataclass
class _State:
    job: Job
    box: Box
    notes: list[Note] = field(default_factory=list)
    staged: list[str] = field(default_factory=list)


def stage(state: _State) -> None:
    job, box = state.job, state.box
    # root only: the sanitized notebook nbgrader writes here holds the hidden tests
    (box.course / "autograded").mkdir(mode=0o700, exist_ok=True)
    target = box.step("submitted", job.student, job.assignment)
    files = sorted(p for p in job.submitted.iterdir() if p.is_file())
    notebooks = {p.stem: p for p in files if p.suffix == ".ipynb"}
    expected = set(job.notebooks)
    if len(expected) == 1 and not expected & notebooks.keys() and len(notebooks) == 1:
        (only,) = notebooks.values()
        state.notes.append(Note("renamed", detail=only.name))
        notebooks = {next(iter(expected)): only}
    for name, path in sorted(notebooks.items()):
        if name not in expected:
            state.notes.append(Note("unexpected_file", detail=path.name))
            continue
        nb, problem = findings.read_notebook(path)
        if nb is None:
            state.notes.append(Note("corrupt", cell=name, detail=problem))
            continue
        nbformat.write(nb, target / f"{name}.ipynb")
        state.staged.append(name)
    for name in sorted(expected - notebooks.keys()):
        state.notes.append(Note("missing_notebook", detail=f"{name}.ipynb"))
    for path in files:
        if path.name == "timestamp.txt":
            shutil.copyfile(path, target / path.name)
        elif path.suffix != ".ipynb" and path.name not in ("submission_secret.txt",):
            state.notes.append(Note("ignored_file", detail=path.name))


def inspect_tests(state: _State, options: GradingOptions) -> None:
    """Repair broken nbgrader markings from the release (``repair``), then note deleted and
    edited test cells."""
    job, box = state.job, state.box
    db_url = f"sqlite:///{box.gradebook}"
    for name in state.staged:
        path = box.step("submitted", job.student, job.assignment) / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        known = repair.released_cells(db_url, options.course_id, name, job.assignment)
        repaired = repair.repair(nb, known)
        if repaired:
            state.notes += repaired
            nbformat.write(nb, path)
        state.notes += findings.tampered_tests(nb, db_url, options.course_id, name, job.assignment)


def run_nbgrader(state: _State, run: RunRoot, ctx: GradingContext) -> None:
    job, box = state.job, state.box
    options = ctx.options
    config = sandbox_config(ctx)
    config.CourseDirectory.root = str(box.course)
    config.CourseDirectory.db_url = f"sqlite:///{box.gradebook}"
    config.SandboxExecute.kernel_env = kernel_env(run, box, options)
    # Unix sockets in the box's HOME, not TCP ports: kernels started at the same moment by
    # parallel workers cannot race for a port, and no other user can reach them.
    config.KernelManager.transport = "ipc"
    config.KernelManager.ip = str(box.home / "kernel")
    phases.configure(config, run, box, options)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = job.assignment
    coursedir.student_id = job.student
    app = Autograde(coursedir=coursedir, config=config)
    app.force = True
    app.create_student = True
    with quiet_nbgrader():
        result = capture_log(app)
    for note in phases.read_report(box):
        state.notes.append(Note(note["code"], cell=note["cell"], detail=note["detail"]))
    if not result.get("success"):
        state.notes.append(failure_note(str(result.get("log", "")) + str(result.get("error", ""))))


EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_]\w*\.)*([A-Za-z_]\w*(?:Error|Exception|Entry)):\s*(.+)$")
METADATA_MARKS = ("grade_id", "grade id", "cell metadata", "solution cell", "grade cell", "locked")


def failure_note(log: str) -> Note:
    """Why nbgrader failed, as a note a supervisor can act on: metadata problems are never
    called a kernel crash, and nbgrader's "see the above traceback" is never the reason."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    useful = [
        line
        for line in lines
        if "above traceback" not in line and "error processing" not in line.lower()
    ]
    causes = [match for line in useful if (match := EXCEPTION_LINE.match(line))]
    if causes:  # the first exception in nbgrader's log is the cause, without module path
        reason = f"{causes[0].group(1)}: {causes[0].group(2)}"[:200]
    else:
        errors = [line for line in useful if "Error" in line or "error" in line]
        reason = (errors or useful or ["-"])[-1][:200]
    if any(mark in log for mark in NBGRADER_CORRUPT):
        return Note("nbgrader_failed", detail=reason)
    if any(mark in log for mark in METADATA_MARKS):
        return Note("nbgrader_metadata", detail=reason)
    return Note("kernel_failed", detail=reason)


def read_scores(state: _State, options: GradingOptions) -> tuple[NotebookScores, ...]:
    """The scores nbgrader saved in the box's gradebook (empty if it never got that far)."""
    job, found = state.job, []
    with open_gradebook(f"sqlite:///{state.box.gradebook}", options.course_id) as gb:
        for name in state.staged:
            try:
                notebook = gb.find_submission_notebook(name, job.assignment, job.student)
            except MissingEntry:
                continue
            found.append(
                NotebookScores(
                    notebook=name,
                    auto_scores=tuple((str(g.name), g.auto_score) for g in notebook.grades),
                    auto_comments=tuple((str(c.name), c.auto_comment) for c in notebook.comments),
                    late_penalty=notebook.late_submission_penalty,
                )
            )
    return tuple(found)


MAX_NOTEBOOK_BYTES = 32 * 1024 * 1024  # an autograded notebook (outputs are capped per cell)


def collect(state: _State, run: RunRoot) -> Path | None:
    """Copy the autograded notebooks out of the box, as root, trusting nothing in it.

    Only the staged notebooks and ``timestamp.txt``, only regular files, never through a
    link, each capped in size; anything else found there is left behind with a note
    (``output_skipped``). The copies go to a fresh root-only folder of the run.
    """
    job, box = state.job, state.box
    produced = box.step("autograded", job.student, job.assignment)
    try:
        folder = os.open(produced, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return None
    wanted = {f"{name}.ipynb" for name in state.staged} | {"timestamp.txt"}
    kept: dict[str, bytes] = {}
    try:
        for name in sorted(os.listdir(folder)):
            data = read_regular(folder, name, MAX_NOTEBOOK_BYTES) if name in wanted else None
            if data is None:
                state.notes.append(Note("output_skipped", detail=name[:80]))
                continue
            kept[name] = data
    finally:
        os.close(folder)
    notebooks = sorted(n for n in kept if n.endswith(".ipynb"))
    if not notebooks:
        return None
    for name in notebooks:
        nb = nbformat.reads(kept[name].decode("utf-8", errors="replace"), as_version=4)
        state.notes += findings.execution_notes(nb)
    output = run.path / "out" / f"{job.student}+{job.assignment}"
    shutil.rmtree(output, ignore_errors=True)
    output.mkdir(mode=0o700)
    for name, data in kept.items():
        target = os.open(output / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        with os.fdopen(target, "wb") as handle:
            handle.write(data)
    return output


def grade_submission(job: Job, run: RunRoot, ctx: GradingContext, uid: int | None) -> Outcome:
    """Autograde one submission in a fresh box (the four steps in the module docstring)."""
    started = time.monotonic()
    state = _State(job, make_box(run, job.student, job.assignment, uid))
    scores: tuple[NotebookScores, ...] = ()
    try:
        stage(state)
        if state.staged:
            inspect_tests(state, ctx.options)
            run_nbgrader(state, run, ctx)
        output = collect(state, run)
        if output is not None:
            scores = read_scores(state, ctx.options)
    finally:
        # whatever the submission's code started ends here (the answer kernel's uid)
        end_submission(uid)
        shutil.rmtree(state.box.root, ignore_errors=True)
    if not state.staged and not any(n.code == "corrupt" for n in state.notes):
        state.notes.append(Note("corrupt", detail="no notebook"))
    status = findings.status_of(state.notes)
    seconds = time.monotonic() - started
    return Outcome(job, status, tuple(state.notes), output, seconds, scores)
