"""Execute a submission in two kernels, so trainee code never sees, rewrites or fools a test.

nbgrader's ``Autograde`` stays the driver; ``TwoPhaseExecute`` takes the place of its
execute step (``preprocessors.AUTOGRADE``) and hands ``SaveAutoGrades`` the same notebook
it always gets: every cell with its outputs.

- Phase A, the *answer kernel* (the trainee's uid): the notebook runs with every autograded
  test cell's source replaced by one ``snapshot.save`` call that saves the values that test
  reads (``names_read``: the names it loads and the ``expect_defined("...")`` arguments).
  The answer kernel never receives any test source, and its working folder holds no file
  with it (the sanitized notebook stays in the root-only ``course/autograded``).
- Between: as root, ``transfer`` copies the snapshot files (regular files only, never
  through a link, names and sizes capped) into a root-owned folder the checker can read.
- Phase B, the *checker kernel* (answer uid + 100, a process that never runs trainee code):
  its namespace is reset, then for each test cell in order a loader cell puts its snapshot
  into the namespace and the ORIGINAL test cell runs; its outputs become the test cell's
  outputs. Each worker keeps its checker from one submission to the next (``checker``;
  started afresh when it died, timed out or served ``CHECKER_USES`` submissions), in its own
  box among the run's boxes, so the answer kernels' namespaces hide it; the snapshot copies
  sit in a folder with a random name that only the checker's group may read, removed after
  each submission. (Starting a checker per submission cost a third of the throughput.)
  ``shegong.grading.checks`` there is the installed package, untouched by trainee code.

Threat model (trainee code in phase A is hostile; the checker runs only our code and the
original tests):

- reading the tests (files, ``pre_run_cell`` hooks, the messages the kernel receives): the
  answer kernel gets only snapshot calls; the tests exist only in root-only files and in
  messages to the checker kernel, another uid;
- rewriting the tests (input transformers, AST transformers, patching or swapping
  ``shegong.grading.checks``): the tests run in the checker, which ran no trainee code;
- forging or suppressing snapshots: each snapshot cell carries a fresh random nonce; a
  snapshot that is missing, fails, or does not load (wrong nonce, broken file) scores its
  test 0 with ``ShegongTampered`` and the submission gets the ``tampered`` status; a
  snapshot can only ever carry values, which the trainee could have set honestly;
- planting links or huge files for root to copy: ``transfer`` refuses both;
- the kernel dying or stopping in phase A: the tests it never reached keep the reason
  (``ShegongNotRun``), as before, and are not called tampering.

Hooks seen in phase A (``snapshot.interference``) become an ``interference`` note (status
``suspicious``); scores never rest on phase A.
"""

from __future__ import annotations

import ast
import builtins
import contextlib
import copy
import json
import os
import re
import secrets
import shutil
from pathlib import Path
from typing import Any

from jupyter_client.client import KernelClient
from jupyter_client.manager import AsyncKernelManager
from nbclient.util import run_sync
from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Dict, Unicode
from traitlets.config import Config

from shegong.grading import cells, checker, preprocessors
from shegong.grading.config import GradingOptions
from shegong.grading.preprocessors import NOT_RUN, TIMEOUT, SandboxExecute
from shegong.grading.processes import clear_uids
from shegong.grading.sandbox import Box, RunRoot
from shegong.grading.snapcopy import seen_signs, transfer
from shegong.messages import bilingual

TAMPERED = "ShegongTampered"
# before each submission's tests: the previous trainee's values leave the checker's namespace
RESET = "get_ipython().reset(new_session=False)"
SNAP_FOLDER = ".snap"
_BUILTINS = set(dir(builtins))
# what the checks load in the checker kernel (no names bound in its namespace)
WARM_UP = (
    "[__import__(_m) for _m in ('pandas', 'pyarrow.parquet', 'matplotlib.figure',"
    " 'shegong.grading.checks', 'shegong.grading.snapshot', 'shegong.datasets')]"
)


def is_test(cell: NotebookNode) -> bool:
    """An autograded test cell (nbgrader ``grade``, not ``solution``, code)."""
    return cell.get("cell_type") == "code" and cells.kind(cell) == "test"


def names_read(source: str) -> list[str]:
    """The notebook names a test cell reads: names it loads without binding them itself,
    and the string arguments of ``expect_defined(...)``."""
    wanted = set(re.findall(r"expect_defined\(\s*['\"]([A-Za-z_][A-Za-z0-9_]*)['\"]", source))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return sorted(wanted)
    loaded: set[str] = set()
    bound: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (loaded if isinstance(node.ctx, ast.Load) else bound).add(node.id)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in node.names)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
    return sorted((loaded - bound - _BUILTINS) | wanted)


def _call(function: str, index: int, names: list[str], nonce: str, folder: str) -> str:
    module = f"__import__('shegong.grading.snapshot', fromlist=[{function!r}])"
    return f"{module}.{function}({index}, {names!r}, {nonce!r}, {folder!r})"


def tampered_output(reason: str) -> NotebookNode:
    """The error output of a test that could not be checked because its snapshot failed
    (the first traceback line ends with the reason code, as for ``ShegongNotRun``)."""
    evalue = bilingual("grading.tampered.cell")
    return NotebookNode(
        output_type="error",
        ename=TAMPERED,
        evalue=evalue,
        traceback=[f"{TAMPERED}: {reason}", evalue],
    )


def _end_processes(uid: str) -> None:
    """Kill every process of the answer kernel's uid before root reads what it wrote."""
    if uid.isdigit() and os.geteuid() == 0:
        clear_uids([int(uid)])


def _stop_output(cell: NotebookNode) -> NotebookNode | None:
    """The phase-A output that explains why a snapshot cell did not save (not run, timeout)."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error" and output.get("ename") in (NOT_RUN, TIMEOUT):
            return output
    return None


def _failed(cell: NotebookNode) -> bool:
    return any(o.get("output_type") == "error" for o in cell.get("outputs", []))


class TwoPhaseExecute(NbGraderPreprocessor):
    """nbgrader's execute step as two kernels (see the module docstring)."""

    answer_dir = Unicode("", help="Working folder of the answer kernel.").tag(config=True)
    answer_env = Dict({}, help="Environment of the answer kernel.").tag(config=True)
    checker_dir = Unicode("", help="Working folder of the checker kernel.").tag(config=True)
    checker_env = Dict({}, help="Environment of the checker kernel.").tag(config=True)
    checker_ip = Unicode("", help="ipc socket path of the checker kernel.").tag(config=True)
    snapshot_root = Unicode("", help="Root-owned folder the snapshots are copied to.").tag(
        config=True
    )
    report_path = Unicode("", help="JSON-lines file for the notes of each notebook.").tag(
        config=True
    )

    def _client(self, env: dict[str, str], ip: str, room: str) -> SandboxExecute:
        config = copy.deepcopy(self.config)
        if ip:
            config.KernelManager.ip = ip
        client = SandboxExecute(config=config)
        if env:
            client.kernel_env = dict(env)
        if client.has_trait("room"):
            client.set_trait("room", room)
        return client

    _warm: KernelClient | None = None

    def _stop_warm_up(self) -> None:
        if self._warm is not None:
            with contextlib.suppress(Exception):
                self._warm.stop_channels()
            self._warm = None

    def _prestart(
        self, client: SandboxExecute, cwd: str, warm: bool = False
    ) -> AsyncKernelManager | None:
        """Start a kernel now (the checker boots while phase A runs); None if it fails.

        ``warm``: also send it, silently and without waiting, the imports the checks need,
        so they load while phase A runs (the kernel answers phase B's requests after it).
        """
        client.resources = {"metadata": {"path": cwd}}
        try:
            client.km = client.create_kernel_manager()
            run_sync(client.async_start_new_kernel)(cwd=cwd)
        except Exception:  # phase B then starts its own and reports death
            self._shutdown(client)
            client.km = None
            return None
        if warm:
            self._warm = client.km.client()
            self._warm.start_channels()
            self._warm.execute(WARM_UP, silent=True, store_history=False)
        return client.km

    def _checker_kernel(self) -> AsyncKernelManager | None:
        """The worker's checker kernel: kept from earlier submissions (``checker.reuse``) or
        started now, warm, and kept. None if it cannot start (phase B then reports it).

        It runs only our code and the original tests on snapshot values (data, never code),
        so keeping it is safe; its namespace is reset before each submission (``RESET``).
        """
        key = self.checker_ip or self.checker_dir
        km = checker.reuse(key)
        if km is not None:
            self._stop_warm_up()
            return km
        starter = self._client(self.checker_env, self.checker_ip, "c")
        km = self._prestart(starter, self.checker_dir, warm=True)
        if km is not None:
            checker.keep(key, km)
        return km

    def _shutdown(self, client: SandboxExecute) -> None:
        if client.kc is not None:
            with contextlib.suppress(Exception):
                client.kc.stop_channels()
        if client.km is not None:
            with contextlib.suppress(Exception):
                run_sync(client.km.shutdown_kernel)(now=True)

    def preprocess(self, nb: NotebookNode, resources: Any) -> Any:
        name = str(resources.get("unique_key") or "notebook")
        tests = [i for i, cell in enumerate(nb.cells) if is_test(cell)]
        reads = {i: names_read(nb.cells[i].source) for i in tests}
        nonces = {i: secrets.token_hex(16) for i in tests}
        notes: list[dict[str, str]] = []
        checker_km = self._checker_kernel()
        checker = self._client(self.checker_env, self.checker_ip, "c")
        target: Path | None = None
        try:
            copied, target = self._phase_a(nb, resources, tests, reads, nonces)
            seen = seen_signs(target, copied)
            if seen:
                notes.append({"code": "interference", "cell": "", "detail": ", ".join(seen)})
            self._phase_b(nb, resources, checker, checker_km, tests, reads, nonces, target, copied)
        finally:
            if checker.kc is not None:  # the kernel stays for the next submission
                with contextlib.suppress(Exception):
                    checker.kc.stop_channels()
            self._stop_warm_up()
            if target is not None:  # this submission's values leave with it
                shutil.rmtree(target, ignore_errors=True)
        for index in tests:
            for output in nb.cells[index].get("outputs", []):
                if output.get("ename") == TAMPERED:
                    reason = str(output["traceback"][0]).split(": ")[-1]
                    gid = cells.grade_id(nb.cells[index]) or f"#{index}"
                    notes.append({"code": f"tampered_{reason}", "cell": gid, "detail": ""})
        if self.report_path:
            with open(self.report_path, "a", encoding="utf-8") as report:
                report.write(json.dumps({"notebook": name, "notes": notes}) + "\n")
        return nb, resources

    def _phase_a(
        self,
        nb: NotebookNode,
        resources: Any,
        tests: list[int],
        reads: dict[int, list[str]],
        nonces: dict[int, str],
    ) -> tuple[set[str], Path]:
        answer = self._client(self.answer_env, "", "a")
        km = self._prestart(answer, self.answer_dir)
        # the kernel's own working folder (the sandbox may give it a fresh room)
        work = Path(str(getattr(answer, "kernel_cwd", "") or self.answer_dir))
        folder = work / SNAP_FOLDER
        answer_nb = copy.deepcopy(nb)
        for index in tests:
            answer_nb.cells[index].source = _call(
                "save", index, reads[index], nonces[index], str(folder)
            )
        metadata = {**resources.get("metadata", {}), "path": str(work)}
        try:
            answer.preprocess(answer_nb, {**resources, "metadata": metadata}, km=km)
        finally:
            self._shutdown(answer)
            _end_processes(self.answer_env.get("SHEGONG_SANDBOX_UID", ""))
        for index, cell in enumerate(answer_nb.cells):
            if index not in tests and cell.cell_type == "code":
                nb.cells[index].outputs = cell.get("outputs", [])
                nb.cells[index].execution_count = cell.get("execution_count")
        self._answer_cells = answer_nb.cells
        target = Path(self.snapshot_root) / secrets.token_hex(16)  # not guessable by others
        raw = self.checker_env.get("SHEGONG_SANDBOX_UID", "")
        return transfer(folder, target, int(raw) if raw.isdigit() else None), target

    def _phase_b(
        self,
        nb: NotebookNode,
        resources: Any,
        checker: SandboxExecute,
        km: AsyncKernelManager | None,
        tests: list[int],
        reads: dict[int, list[str]],
        nonces: dict[int, str],
        target: Path,
        copied: set[str],
    ) -> None:
        plan: list[int] = []
        for index in tests:
            ran = self._answer_cells[index]
            stopped = _stop_output(ran)
            if stopped is not None:
                nb.cells[index].outputs = [stopped]
            elif _failed(ran):
                nb.cells[index].outputs = [tampered_output("failed")]
            elif f"{index}.json" not in copied:
                nb.cells[index].outputs = [tampered_output("missing")]
            else:
                plan.append(index)
        if not plan:
            return
        checker_nb = NotebookNode(
            cells=[
                NotebookNode(
                    cell_type="code", source=RESET, metadata={}, outputs=[], execution_count=None
                )
            ],
            metadata=copy.deepcopy(nb.metadata),
            nbformat=4,
            nbformat_minor=5,
        )
        for index in plan:
            loader = _call("load", index, reads[index], nonces[index], str(target))
            checker_nb.cells.append(
                NotebookNode(
                    cell_type="code", source=loader, metadata={}, outputs=[], execution_count=None
                )
            )
            test = copy.deepcopy(nb.cells[index])
            test.outputs = []
            checker_nb.cells.append(test)
        metadata = {**resources.get("metadata", {}), "path": self.checker_dir}
        checker.preprocess(checker_nb, {**resources, "metadata": metadata}, km=km)
        for k, index in enumerate(plan):
            loader_cell, test_cell = checker_nb.cells[1 + 2 * k], checker_nb.cells[2 + 2 * k]
            if _failed(loader_cell) and _stop_output(loader_cell) is None:
                nb.cells[index].outputs = [tampered_output("unreadable")]
            else:
                nb.cells[index].outputs = test_cell.get("outputs", [])
                nb.cells[index].execution_count = test_cell.get("execution_count")


AUTOGRADE: list[type] = [
    TwoPhaseExecute if step is SandboxExecute else step for step in preprocessors.AUTOGRADE
]


REPORT = "phases.jsonl"


def configure(config: Config, run: RunRoot, box: Box, options: GradingOptions) -> None:
    """Set up ``TwoPhaseExecute`` for one box: folders, the checker's environment, sockets."""
    answer = box.root / "answer"
    answer.mkdir(mode=0o700)
    kept = checker.checker_box(run, box)
    env = checker.checker_env(run, kept, options)
    config.TwoPhaseExecute.answer_env = dict(config.SandboxExecute.kernel_env)
    config.TwoPhaseExecute.answer_dir = str(answer)
    config.TwoPhaseExecute.checker_dir = str(kept.root / "checker")
    config.TwoPhaseExecute.checker_env = env
    config.TwoPhaseExecute.checker_ip = str(Path(env["HOME"]) / "kernel")
    config.TwoPhaseExecute.snapshot_root = str(kept.root / "snapshots")
    config.TwoPhaseExecute.report_path = str(box.root / REPORT)


def read_report(box: Box) -> list[dict[str, str]]:
    """The notes ``TwoPhaseExecute`` left for each notebook of the box (root-owned file)."""
    path = box.root / REPORT
    if not path.exists():
        return []
    notes = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        notes += [dict(n, notebook=record["notebook"]) for n in record["notes"]]
    return notes
