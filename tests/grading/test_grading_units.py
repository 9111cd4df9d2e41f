"""Small pieces of the grading pipeline, without kernels: options, checks, manifests,
notebook reading, output limits, statuses, the kernel launcher's limits, the release order."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import NotebookNode

from shegong.grading import checks, findings, intake, manifest, release, status
from shegong.grading.autograde import content_hash
from shegong.grading.config import CoursePaths, GradingError, load_options
from shegong.grading.context import GradingContext
from shegong.grading.model import Manifest, ManifestFile, Note, Status, worst
from shegong.grading.nbconfig import write_nbgrader_config
from shegong.grading.preprocessors import LimitOutputBytes
from shegong.messages import catalogue
from shegong.paths import Workspace
from shegong.settings import load as load_settings

HAN = re.compile(r"[\u4e00-\u9fff]")


def test_options_come_from_defaults_environment_and_flags() -> None:
    """Do flags beat SHEGONG_GRADE_* variables, which beat the defaults?"""
    assert load_options(environ={}).cell_timeout == 30
    env = {"SHEGONG_GRADE_CELL_TIMEOUT": "12", "SHEGONG_GRADE_WORKERS": "3"}
    options = load_options({"cell_timeout": 5}, environ=env)
    assert (options.cell_timeout, options.workers, options.worker_count) == (5, 3, 3)


def test_options_come_from_the_settings_file_grade_table(tmp_path: Path) -> None:
    """Does ``[grade]`` in shegong.toml set options (below the environment), leave the core
    settings loading alone, and name an unknown option in both languages?"""
    from shegong.settings import load

    (tmp_path / "shegong.toml").write_text(
        'lang = "en"\n[grade]\ncell_timeout = 7\nmemory_mb = 1024\n', encoding="utf-8"
    )
    options = load_options(environ={}, cwd=tmp_path)
    assert (options.cell_timeout, options.memory_mb) == (7, 1024)
    env = {"SHEGONG_GRADE_CELL_TIMEOUT": "9"}
    assert load_options(environ=env, cwd=tmp_path).cell_timeout == 9
    assert load(environ={}, cwd=tmp_path).lang == "en"
    (tmp_path / "shegong.toml").write_text("[grade]\ncel_timeout = 7\n", encoding="utf-8")
    with pytest.raises(GradingError) as caught:
        load_options(environ={}, cwd=tmp_path)
    zh, en = str(caught.value).split("\n")
    assert "cel_timeout" in zh and HAN.search(zh) and "cell_timeout" in en


@pytest.mark.parametrize(
    "env", [{"SHEGONG_GRADE_MEMORY_MB": "lots"}, {"SHEGONG_GRADE_CELL_TIMEOUT": "0"}]
)
def test_bad_options_are_bilingual_errors(env: dict[str, str]) -> None:
    """Is a bad option value refused, naming the option in both languages?"""
    with pytest.raises(GradingError) as caught:
        load_options(environ=env)
    zh, en = str(caught.value).split("\n")
    assert HAN.search(zh) and "grading option" in en


def test_generated_nbgrader_config_is_what_plain_nbgrader_reads(tmp_path: Path) -> None:
    """Does course/nbgrader_config.py carry the course, gradebook, exchange and stubs?"""
    from traitlets.config import Config

    paths = CoursePaths(Workspace(tmp_path))
    settings = load_settings({"home": tmp_path}, environ={}, cwd=tmp_path)
    path = write_nbgrader_config(GradingContext(settings, load_options(environ={}), paths))
    config = Config()
    exec(path.read_text(encoding="utf-8"), {"get_config": lambda: config})
    assert config.CourseDirectory.root == str(paths.course)
    assert config.CourseDirectory.db_url == f"sqlite:///{tmp_path / 'gradebook.db'}"
    assert config.Exchange.root == str(tmp_path / "exchange")
    assert "在此作答" in config.ClearSolutions.text_stub


def test_release_steps_run_in_their_named_order() -> None:
    """Is generate before the handouts, and the leak check before publishing?"""
    names = [step.__name__ for step in release.RELEASE_STEPS]
    assert names == [
        "validate_master",
        "write_source",
        "generate",
        "write_handouts",
        "check_no_solutions",
        "publish",
    ]


def test_checks_fail_with_two_lines_chinese_then_english() -> None:
    """Does each check helper explain a failure in Chinese, then English?"""
    failures = [
        lambda: checks.expect_choice("maybe", ("yes", "no"), "well_known"),
        lambda: checks.expect_close("abc", 3.0, "mean"),
        lambda: checks.expect_close(2.5, 3.0, "mean"),
        lambda: checks.expect_columns([], ["a"], "table"),
        lambda: checks.expect_mapping_close({"a": 1}, {"a": 1, "b": 2}, "counts"),
        lambda: checks.expect_mapping_close({"a": 1}, {"a": 2}, "counts"),
        lambda: checks.expect_type(3, str, "name"),
    ]
    for failure in failures:
        with pytest.raises(AssertionError) as caught:
            failure()
        zh, en = str(caught.value).split("\n")
        assert HAN.search(zh) and not HAN.search(en)
    checks.expect_choice(" yes ", ("yes", "no"), "well_known")
    checks.expect_mapping_close({"a": 1.0, "b": 2}, {"b": 2, "a": 1}, "counts")


def test_expect_defined_reads_the_notebook_namespace() -> None:
    """Does expect_defined return a variable of the calling cell, or explain it is missing?"""
    namespace: dict[str, object] = {"checks": checks, "risk_level": "high"}
    exec("value = checks.expect_defined('risk_level')", namespace)
    assert namespace["value"] == "high"
    with pytest.raises(AssertionError, match="missing_one"):
        exec("checks.expect_defined('missing_one')", {"checks": checks})


def _manifest() -> Manifest:
    return Manifest(
        "w000011",
        "casework",
        "shegong",
        "2025-03-01T09:00:00+08:00",
        (ManifestFile("casework.ipynb", "ab" * 32, 10),),
    )


def test_receipt_codes_are_short_and_change_with_any_byte() -> None:
    """Is the receipt 8 Crockford characters that change when the content changes?"""
    one = manifest.receipt_code(_manifest())
    other = manifest.receipt_code(
        Manifest(**{**_manifest().__dict__, "packed_at": "2025-03-01T09:00:01+08:00"})
    )
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", one) and not set("ILOU") & set(one)
    assert one != other and manifest.parse(manifest.canonical(_manifest())) == _manifest()


@pytest.mark.parametrize(
    "data", [b"not json", b"[]", b'{"trainee": "W1"}', b'{"trainee": 1, "assignment": "a"}']
)
def test_a_bad_manifest_names_its_field(data: bytes) -> None:
    """Does a damaged manifest raise a bilingual error naming the first bad field?"""
    with pytest.raises(GradingError) as caught:
        manifest.parse(data)
    assert "manifest" in str(caught.value)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"\xff\xfe broken", "not UTF-8"),
        (b'{"cells": [', "broken JSON"),
        (b"[1, 2]", "not a notebook"),
        (
            b'{"cells": [{"cell_type": "code"}], "metadata": {}, '
            b'"nbformat": 4, "nbformat_minor": 5}',
            "invalid notebook",
        ),
    ],
)
def test_unreadable_notebooks_say_why(tmp_path: Path, body: bytes, reason: str) -> None:
    """Does read_notebook tell broken bytes, broken JSON and invalid notebooks apart?"""
    path = tmp_path / "x.ipynb"
    path.write_bytes(body)
    nb, problem = findings.read_notebook(path)
    assert nb is None and problem.startswith(reason)


def test_output_is_cut_by_size_not_only_by_lines() -> None:
    """Does one 5 MB line get cut to the limit, with a note, and small output stay whole?"""
    cell = nbformat.v4.new_code_cell("print('x' * 5_000_000)")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="x" * 5_000_000)]
    small = nbformat.v4.new_code_cell("1")
    small.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok\n")]
    limiter = LimitOutputBytes(max_kb=8)
    cut, _ = limiter.preprocess_cell(cell, {}, 0)
    kept, _ = limiter.preprocess_cell(small, {}, 1)
    assert sum(len(o.get("text", "")) for o in cut.outputs) < 10_000
    assert "output too long" in cut.outputs[-1]["text"]
    assert kept.outputs[0]["text"] == "ok\n"


def test_execution_notes_read_timeouts_and_crashes() -> None:
    """Are timeouts, not-run cells and memory errors in an autograded notebook found?"""
    nb = nbformat.v4.new_notebook()
    timed = nbformat.v4.new_code_cell("while True: pass")
    timed.outputs = [
        nbformat.v4.new_output("error", ename="CellTimeoutError", evalue="", traceback=[])
    ]
    dead = nbformat.v4.new_code_cell("x")
    dead.outputs = [
        NotebookNode(
            output_type="error",
            ename="ShegongNotRun",
            evalue="a\nb",
            traceback=["ShegongNotRun: kernel_died", "a"],
        )
    ]
    memory = nbformat.v4.new_code_cell("y")
    memory.outputs = [nbformat.v4.new_output("error", ename="MemoryError", evalue="", traceback=[])]
    nb.cells = [timed, dead, memory]
    codes = [n.code for n in findings.execution_notes(nb)]
    assert codes == ["cell_timeout", "stopped_kernel_died", "memory_error"]
    assert findings.status_of(findings.execution_notes(nb)) is Status.KERNEL_DIED


def test_the_most_serious_status_wins() -> None:
    """Is a crash more serious than a timeout, which is more serious than restored cells?"""
    assert worst([Status.CELLS_RESTORED, Status.TIMED_OUT]) is Status.TIMED_OUT
    assert worst([Status.TIMED_OUT, Status.KERNEL_DIED]) is Status.KERNEL_DIED
    assert worst([]) is Status.GRADED


def _codes_in(module: Path, pattern: str) -> set[str]:
    return set(re.findall(pattern, module.read_text(encoding="utf-8")))


def test_every_status_note_and_intake_reason_is_explained_in_both_languages() -> None:
    """Has every status, note code and intake reason a zh and an en explanation?"""
    known = catalogue()
    for state in Status:
        assert f"grading.status.{state}" in known
    folder = Path(findings.__file__).parent
    notes = _codes_in(folder / "worker.py", r'Note\("(\w+)"') | set(findings.STATUS_OF_NOTE)
    notes |= {"memory_error", "output_truncated", "cell_timeout", "rejected"}
    for code in notes:
        assert f"grading.note.{code}" in known, code
        note = Note(code, cell="late" if code == "rejected" else "c", detail="d")
        text = status.explain_note(note, "en")
        assert not HAN.search(text)
    reasons = _codes_in(Path(intake.__file__), r'Rejected\("(\w+)"') | {"accepted"}
    for reason in reasons:
        assert f"grading.intake.{reason}" in known, reason


def test_content_hash_changes_with_any_file(tmp_path: Path) -> None:
    """Does the content hash (used to resume) change when a byte of a submission changes?"""
    (tmp_path / "a.ipynb").write_text("{}", encoding="utf-8")
    first = content_hash(tmp_path)
    assert content_hash(tmp_path) == first
    (tmp_path / "a.ipynb").write_text("{ }", encoding="utf-8")
    assert content_hash(tmp_path) != first


def test_the_kernel_launcher_sets_a_memory_limit() -> None:
    """Does the sandbox launcher cap the address space before the kernel starts?"""
    code = (
        "import resource\nfrom shegong.grading.kernel import apply_limits\n"
        "apply_limits({'SHEGONG_SANDBOX_MEM_MB': '700', 'SHEGONG_SANDBOX_FSIZE_MB': '5'})\n"
        "print(resource.getrlimit(resource.RLIMIT_AS)[0] // 2**20,"
        " resource.getrlimit(resource.RLIMIT_FSIZE)[0] // 2**20)\n"
        "try:\n    bytearray(2 * 2**30)\nexcept MemoryError:\n    print('MemoryError')\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["700", "5", "MemoryError"]


def test_cohort_means_count_fully_graded_submissions_only() -> None:
    """Is a damaged file or an answer still waiting for its rubric grade kept out of the
    station's mean (and counted in its own column) instead of pulling it towards 0?"""
    import pandas as pd

    from shegong.grading.export import cohort_summary, readable

    place = {"assignment": "casework", "station_id": "S1", "station_name": "新井乡社会工作服务站"}
    scores = pd.DataFrame(
        [
            {**place, "worker_id": "W1", "percent": 95.0, "waiting": 0, "status": "graded"},
            {**place, "worker_id": "W2", "percent": 75.0, "waiting": 0, "status": "cells_restored"},
            {**place, "worker_id": "W3", "percent": 70.0, "waiting": 1, "status": "graded"},
            {**place, "worker_id": "W4", "percent": 0.0, "waiting": 0, "status": "corrupt"},
            {**place, "worker_id": "W5", "percent": 0.0, "waiting": 0, "status": "timed_out"},
        ]
    )
    (row,) = cohort_summary(scores).to_dict("records")
    assert (row["trainees"], row["complete"], row["waiting"], row["not_gradable"]) == (5, 2, 1, 2)
    assert row["mean_percent"] == 85.0 and row["median_percent"] == 85.0
    shown = readable(scores)
    assert list(shown["评分状态 / grading status"])[3] == "文件损坏，无法评分"
    assert "得分率（%） / score (%)" in shown.columns


def test_run_folders_of_a_killed_grader_are_swept(tmp_path: Path) -> None:
    """Is a run folder whose grader process is gone removed, and a live one kept?"""
    from shegong.grading.sandbox import OWNER_FILE, RUN_PREFIX, sweep_stale_runs

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)  # fmt: skip
    stale, live, foreign = (tmp_path / f"{RUN_PREFIX}{n}" for n in ("a", "b", "c"))
    for folder, owner in ((stale, gone.stdout.strip()), (live, str(os.getpid()))):
        (folder / "boxes").mkdir(parents=True)
        (folder / OWNER_FILE).write_text(owner, encoding="ascii")
    foreign.mkdir()  # no owner recorded: left alone
    assert sweep_stale_runs(tmp_path) == [stale]
    assert not stale.exists() and live.exists() and foreign.exists()
