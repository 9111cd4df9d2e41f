"""Autograde a cohort in parallel, safely, resumably, with a status per submission.

``autograde`` is the recipe:

1. ``prepare``: course folders, the sandbox kernelspec under the workspace, root-only
   permissions on the course and gradebooks (when root);
2. ``find_jobs``: one job per ``submitted/<student>/<assignment>/`` with a content hash;
3. ``pending``: leave out submissions already graded with the same content (resume after an
   interruption just by running again; ``force`` regrades everything);
4. a run folder (``sandbox.RunRoot``) and a pool of worker processes, one per core by
   default; each worker grades a submission in its own box (``worker.grade_submission``);
5. as each result arrives, the parent (the only writer) merges it into the gradebook
   (``merge.merge``), records its status (``status.record``) and reports progress;
6. ``status.csv`` is written.

If the run is interrupted, submissions merged so far keep their status and are skipped next
time; the rest are graded again. A worker process that dies is replaced and its submission
retried once, then recorded as ``kernel_died``.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from nbgrader.api import MissingEntry
from sqlalchemy.engine import Engine

from shegong.grading import status, store
from shegong.grading.config import CoursePaths, GradingError, GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.launch import closed_folder
from shegong.grading.merge import merge
from shegong.grading.model import Note, Status, SubmissionResult
from shegong.grading.sandbox import (
    Interpreter,
    RunRoot,
    clear_slots,
    harden_workspace,
    install_kernelspec,
    isolation,
    kernel_interpreter,
)
from shegong.grading.worker import Job, Outcome, grade_submission
from shegong.messages import label
from shegong.progress import Reporter, SilentReporter

if TYPE_CHECKING:
    from multiprocessing.queues import Queue

    from nbgrader.api import Gradebook

_SLOT: int | None = None  # this worker process's slot (set once by _init_worker)


@dataclass(frozen=True)
class Report:
    """What one autograde run did."""

    results: tuple[SubmissionResult, ...]
    skipped: int
    isolation: str


def content_hash(folder: Path) -> str:
    """SHA-256 over the names and bytes of every file in a submission folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode("utf-8") + b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()


def refuse_root_kernels(interpreter: Interpreter, options: GradingOptions) -> None:
    """Root with no uid to drop to would run trainee code as root: refuse, saying why.

    Threat: a grader started as root in a checkout other users cannot enter (a 0700
    ``mktemp -d``) falls to ``same_user``, where a hostile submission owns the machine.
    ``allow_root_kernels`` is for trusted test runs only.
    """
    if os.geteuid() != 0 or interpreter.can_drop or options.allow_root_kernels:
        return
    folder = closed_folder()
    raise GradingError("grading.error.root_kernels", folder=folder or sys.executable)


def prepare(paths: CoursePaths, options: GradingOptions) -> tuple[Interpreter, Path]:
    paths.ensure()
    interpreter = kernel_interpreter()
    refuse_root_kernels(interpreter, options)
    jupyter = install_kernelspec(paths, interpreter)
    harden_workspace(paths)
    return interpreter, jupyter


def expected_notebooks(ctx: GradingContext, assignment: str) -> tuple[str, ...]:
    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        try:
            record = gb.find_assignment(assignment)
        except MissingEntry:
            raise GradingError("grading.error.not_released", assignment=assignment) from None
        return tuple(sorted(nb.name for nb in record.notebooks))


def find_jobs(
    ctx: GradingContext, assignment: str, students: Iterable[str] | None = None
) -> list[Job]:
    paths = ctx.paths
    notebooks = expected_notebooks(ctx, assignment)
    wanted = set(students) if students is not None else None
    jobs = []
    for folder in sorted(paths.step("submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        if folder.is_dir() and (wanted is None or student in wanted):
            jobs.append(Job(assignment, student, notebooks, folder, content_hash(folder)))
    return jobs


def pending(jobs: list[Job], paths: CoursePaths, force: bool) -> list[Job]:
    if force:
        return jobs
    done = {(r.assignment, r.student): r.content_hash for r in status.rows(paths)}
    return [j for j in jobs if done.get((j.assignment, j.student)) != j.content_hash]


def _init_worker(slots: Queue[int], jupyter: str) -> None:
    global _SLOT
    _SLOT = int(slots.get())
    os.environ["JUPYTER_PATH"] = jupyter + os.pathsep + os.environ.get("JUPYTER_PATH", "")


def _work(job: Job, run: RunRoot, ctx: GradingContext, drop: bool) -> Outcome:
    uid = ctx.options.sandbox_uid + (_SLOT or 0) if drop else None
    try:
        return grade_submission(job, run, ctx, uid)
    except Exception as exc:  # a bug or an environment failure must not stop the batch
        note = Note("kernel_failed", detail=f"{type(exc).__name__}: {str(exc)[:160]}")
        return Outcome(job, Status.KERNEL_DIED, (note,), None, 0.0)


@dataclass
class _Writer:
    """The parent's single writer: one gradebook session and one records engine per run."""

    paths: CoursePaths
    gb: Gradebook
    records: Engine
    reporter: Reporter

    def finish(self, outcome: Outcome) -> SubmissionResult:
        """Merge one outcome, record its status, report progress (in that order)."""
        score, maximum = merge(outcome, self.paths, self.gb)
        job = outcome.job
        status.record(
            self.paths, job.assignment, job.student, outcome.status, outcome.notes,
            auto_score=score, auto_max=maximum, seconds=outcome.seconds,
            content_hash=job.content_hash, engine=self.records,
        )  # fmt: skip
        self.reporter.step(
            label("grading.progress_item", student=job.student, status=str(outcome.status))
        )
        return SubmissionResult(
            job.assignment, job.student, outcome.status, outcome.notes, score, maximum,
            outcome.seconds, job.content_hash,
        )  # fmt: skip


def _run_pool(
    todo: list[Job],
    run: RunRoot,
    ctx: GradingContext,
    interpreter: Interpreter,
    jupyter: Path,
    writer: _Writer,
) -> tuple[list[SubmissionResult], list[Job]]:
    """Grade ``todo``; returns the results and the jobs a broken pool left unfinished."""
    context = multiprocessing.get_context("spawn")
    slots: Queue[int] = context.Queue()
    workers = min(ctx.options.worker_count, len(todo))
    for slot in range(workers):
        slots.put(slot)
    results: list[SubmissionResult] = []
    unfinished: list[Job] = []
    pool = ProcessPoolExecutor(
        workers, mp_context=context, initializer=_init_worker, initargs=(slots, str(jupyter))
    )
    try:
        futures: dict[Future[Outcome], Job] = {
            pool.submit(_work, job, run, ctx, interpreter.can_drop): job for job in todo
        }
        for future in as_completed(futures):
            try:
                outcome = future.result()
            except BrokenProcessPool:
                unfinished.append(futures[future])
                continue
            results.append(writer.finish(outcome))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        slots.close()
        slots.join_thread()
    return results, unfinished


def autograde(
    ctx: GradingContext,
    assignment: str,
    *,
    students: Iterable[str] | None = None,
    force: bool = False,
    reporter: Reporter | None = None,
) -> Report:
    """Autograde every (pending) submission of ``assignment``; see the module docstring."""
    paths, options = ctx.paths, ctx.options
    interpreter, jupyter = prepare(paths, options)
    jobs = find_jobs(ctx, assignment, students)
    todo = pending(jobs, paths, force)
    results: list[SubmissionResult] = []
    if todo:
        run = RunRoot.create(ctx)
        records = store.engine_for(paths.grading_db)
        try:
            with open_gradebook(paths.db_url, options.course_id) as gb:
                writer = _Writer(paths, gb, records, reporter or SilentReporter())
                for _attempt in range(2):
                    done, todo = _run_pool(todo, run, ctx, interpreter, jupyter, writer)
                    results += done
                    if not todo:
                        break
                for job in todo:  # its worker process died twice
                    note = Note("kernel_failed", detail="worker")
                    results.append(
                        writer.finish(Outcome(job, Status.KERNEL_DIED, (note,), None, 0.0))
                    )
        finally:
            records.dispose()
            if interpreter.can_drop:  # a worker that died mid-submission left its uid's processes
                clear_slots(options.sandbox_uid, range(options.worker_count))
            run.cleanup()
    status.write_csv(paths)
    return Report(tuple(results), len(jobs) - len(results), isolation(interpreter))


def pending_count(ctx: GradingContext, assignment: str, force: bool) -> int:
    """How many submissions ``autograde`` would grade (for the progress bar)."""
    return len(pending(find_jobs(ctx, assignment), ctx.paths, force))
