"""nbgrader preprocessors for the sandboxed autograde, and the two stages they run in.

Only two steps are new; the rest are nbgrader's own, in nbgrader's own order:

- ``SandboxExecute`` (subclass of nbgrader's ``Execute``): the kernel gets a private
  environment (``kernel_env``); a cell that times out is interrupted and, if the kernel
  stays busy, the kernel is killed; a dead kernel or an exhausted notebook time budget
  stops execution, and every code cell not run gets an error output (``ShegongNotRun``),
  so its test scores 0 with a reason instead of nbgrader's silent full marks for a cell
  with no output (``utils.determine_grade``) or a crashed run with no scores at all.
- ``LimitOutputBytes``: nbgrader's ``LimitOutput`` counts lines; one 10 MB line passes it.
  This caps each cell's outputs in kilobytes so megabytes of output never reach the
  gradebook, the feedback or the supervisor's browser.

``SANITIZE`` and ``AUTOGRADE`` are the two stages of nbgrader's ``Autograde`` converter
(``Autograde.sanitize_preprocessors`` / ``autograde_preprocessors``) with these swapped in.
"""

from __future__ import annotations

import contextlib
import time
from queue import Empty
from typing import Any

from jupyter_core.utils import ensure_async
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbclient.util import run_sync
from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbformat import NotebookNode
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearOutput,
    DeduplicateIds,
    Execute,
    IgnorePattern,
    LimitOutput,
    NbGraderPreprocessor,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)
from traitlets import Dict, Integer, Unicode

from shegong.grading.jail import ENV_BOX
from shegong.grading.rooms import prepare_kernel, seal
from shegong.messages import bilingual

NOT_RUN = "ShegongNotRun"
TIMEOUT = "CellTimeoutError"
GRACE_SECONDS = 5


def _error(ename: str, evalue: str) -> NotebookNode:
    return NotebookNode(
        output_type="error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"]
    )


class SandboxExecute(Execute):
    """nbgrader's ``Execute`` with a private kernel environment and bounded failure."""

    kernel_env = Dict(
        {}, help="Environment variables of the kernel process (replaces the inherited one)."
    ).tag(config=True)
    notebook_timeout = Integer(
        600, help="Seconds one notebook may run in all; later cells are not run."
    ).tag(config=True)
    room = Unicode("a", help="Name of the kernel's rooms in the box (a: answer, c: checker).")
    stop_reason = Unicode("")
    kernel_cwd = Unicode("", help="Working folder of the kernel last started (its room's).")

    _prepared: Any = None
    _room: Any = None  # the room of the kernel last started (its sockets sealed when ready)

    def prepare_room(self) -> str:
        """Make the room of the next kernel start now (``rooms.prepare_kernel``); returns
        its working folder (``kernel_cwd``), for callers that must name it before the start."""
        self._prepared = prepare_kernel(dict(self.kernel_env), self.room)
        self.kernel_cwd = str(self._prepared.cwd)
        return self.kernel_cwd

    async def async_start_new_kernel(self, **kwargs: Any) -> None:
        """Start the kernel in a fresh room of the box (``rooms.prepare_kernel``): its own
        working folder, never the notebook's folder that root writes the results into."""
        if ENV_BOX in self.kernel_env:
            if self._prepared is None:
                self.prepare_room()
            start, self._prepared = self._prepared, None
            kwargs["env"] = start.env
            kwargs["cwd"] = str(start.cwd)
            self._room = start.room
            self.kernel_cwd = str(start.cwd)
            if self.km is not None:
                self.km.transport = "ipc"
                self.km.ip = start.ip
        elif self.kernel_env:
            kwargs.setdefault("env", dict(self.kernel_env))
        await super().async_start_new_kernel(**kwargs)

    # nbclient binds the sync wrapper to the base class's coroutine; bind it to ours.
    start_new_kernel = run_sync(async_start_new_kernel)

    async def async_start_new_kernel_client(self) -> Any:
        """The client, once the kernel is ready; then its socket folder is sealed
        (``rooms.seal``), before the first cell of the trainee runs."""
        kc = await super().async_start_new_kernel_client()
        if self._room is not None:
            seal(self._room)
        return kc

    start_new_kernel_client = run_sync(async_start_new_kernel_client)

    def preprocess(self, nb: NotebookNode, resources: Any = None, km: Any = None) -> Any:
        self.stop_reason = ""
        self._started = time.monotonic()
        try:
            return super().preprocess(nb, resources, km)
        except DeadKernelError:  # died before the first cell (e.g. while starting)
            self.stop_reason = "kernel_died"
            for index, cell in enumerate(nb.cells):
                self._mark_not_run(cell, index)
            return nb, resources

    def _mark_not_run(self, cell: NotebookNode, index: int) -> None:
        """An error output saying why the cell did not run (its first traceback line ends
        with the reason code, which ``findings.execution_notes`` reads)."""
        if cell.cell_type == "code":
            output = _error(NOT_RUN, bilingual(f"grading.not_run.{self.stop_reason}"))
            output["traceback"] = [f"{NOT_RUN}: {self.stop_reason}", output["evalue"]]
            cell.outputs = [*cell.get("outputs", []), output]

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if not self.stop_reason and time.monotonic() - self._started > self.notebook_timeout:
            self.stop_reason = "notebook_timeout"
            self._kill()
        if self.stop_reason:
            self._mark_not_run(cell, index)
            return cell, resources
        try:
            return super().preprocess_cell(cell, resources, index)
        except DeadKernelError:
            self.stop_reason = "kernel_died"
            self._mark_not_run(cell, index)
        except CellTimeoutError:  # the reply came but its output never finished (IOPub)
            cell.outputs = [*cell.get("outputs", []), _error(TIMEOUT, "IOPub")]
            if not run_sync(self._async_responsive)():
                self.stop_reason = "unresponsive"
                self._kill()
        return cell, resources

    def _kill(self) -> None:
        if self.km is not None:
            with contextlib.suppress(RuntimeError):  # already gone
                run_sync(self.km.shutdown_kernel)(now=True)

    async def on_cell_executed(self, **kwargs: Any) -> None:
        """nbgrader's hook, plus: after a timeout, is the kernel still answering?"""
        super().on_cell_executed(**kwargs)
        reply = kwargs["execute_reply"]
        if reply["content"].get("ename") != TIMEOUT:
            return
        if not await self._async_responsive():
            self.stop_reason = "unresponsive"
            if self.km is not None:
                await ensure_async(self.km.shutdown_kernel(now=True))

    async def _async_responsive(self) -> bool:
        """Does the kernel answer a kernel_info request within the grace period?"""
        assert self.kc is not None
        msg_id = self.kc.kernel_info()
        deadline = time.monotonic() + GRACE_SECONDS
        while (left := deadline - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=min(left, 0.5)))
            except (TimeoutError, Empty):
                if not await ensure_async(self.kc.is_alive()):
                    return False
                continue
            if msg["parent_header"].get("msg_id") == msg_id:
                return True
        return False


class LimitOutputBytes(NbGraderPreprocessor):
    """Cap each code cell's outputs at ``max_kb`` kilobytes, with a note where they were cut."""

    max_kb = Integer(64, help="Kilobytes of output kept per cell.").tag(config=True)

    def preprocess_cell(self, cell: NotebookNode, resources: Any, index: int) -> Any:
        if cell.cell_type != "code":
            return cell, resources
        budget = self.max_kb * 1024
        kept: list[NotebookNode] = []
        cut = False
        for output in cell.get("outputs", []):
            size = _size(output)
            if size <= budget:
                kept.append(output)
                budget -= size
                continue
            cut = True
            if output.get("output_type") == "stream" and budget > 0:
                output["text"] = str(output.get("text", ""))[: budget // 4]
                kept.append(output)
            budget = 0
        if cut:
            note = bilingual("grading.output_truncated", kb=self.max_kb)
            kept.append(NotebookNode(output_type="stream", name="stdout", text=f"\n[{note}]\n"))
            cell.outputs = kept
        return cell, resources


def _size(output: NotebookNode) -> int:
    if output.get("output_type") == "stream":
        return len(str(output.get("text", "")).encode("utf-8"))
    data = output.get("data", {})
    total = sum(len(str(v).encode("utf-8")) for v in data.values())
    if output.get("output_type") == "error":
        total += sum(len(line) for line in output.get("traceback", []))
    return total


SANITIZE: list[type] = [
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
AUTOGRADE: list[type] = [
    SandboxExecute,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    LimitOutputBytes,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
