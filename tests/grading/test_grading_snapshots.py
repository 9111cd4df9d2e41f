"""Are the snapshots between the answer kernel and the checker kernel safe to move and read,
and are broken nbgrader markings repaired from the release? (No kernels: fast.)

Threats (``shegong.grading.snapshot``, ``snapcopy``, ``phases``, ``repair``): links and FIFOs
planted for root to copy, oversized files, forged or foreign snapshots, pickles dressed as
Parquet, file names that climb out of the folder, hooks and patched checks in the answer
kernel, failure messages that quote hidden tests, and metadata broken by JupyterLab.
"""

from __future__ import annotations

import json
import math
import os
import pickle
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from nbformat import NotebookNode

from shegong.grading import feedback, phases, repair, snapcopy, snapshot
from shegong.grading.worker import failure_note

NONCE = "0" * 32


def _save(folder: Path, index: int, values: dict[str, object], nonce: str = NONCE) -> None:
    scope: dict[str, object] = dict(values)
    exec(  # the way a snapshot cell calls it: from the notebook's namespace
        f"save({index}, {sorted(values)!r}, {nonce!r}, {str(folder)!r})",
        {**scope, "save": snapshot.save},
    )


def _load(folder: Path, index: int, names: list[str], nonce: str = NONCE) -> dict[str, object]:
    scope: dict[str, object] = {"load": snapshot.load, "stale": 1}
    exec(f"load({index}, {names!r}, {nonce!r}, {str(folder)!r})", scope)
    return {k: v for k, v in scope.items() if k in names}


def test_safe_values_come_back_as_they_were(tmp_path: Path) -> None:
    """Do numbers, text, containers, frames, arrays and numpy scalars survive the trip?"""
    series = pd.Series([3, 5], index=pd.Index(["a", "b"], name="service"), name="times")
    frame = pd.DataFrame({"station": ["x", "y"], "n": [1.5, 2.0]})
    values = {
        "n": np.int64(7),
        "ratio": math.nan,
        "nested": ({1: [True, None]}, "文字"),
        "choices": {"low", "high"},
        "series": series,
        "frame": frame,
        "grid": np.arange(6).reshape(2, 3),
    }
    _save(tmp_path, 3, values)
    got = _load(tmp_path, 3, sorted(values))
    assert got["n"] == 7 and type(got["n"]) is int
    assert math.isnan(float(got["ratio"]))  # type: ignore[arg-type]
    assert got["nested"] == ({1: [True, None]}, "文字") and got["choices"] == {"low", "high"}
    pd.testing.assert_series_equal(got["series"], series)  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(got["frame"], frame)  # type: ignore[arg-type]
    assert np.array_equal(got["grid"], values["grid"])  # type: ignore[arg-type]


def test_a_bar_chart_is_redrawn_for_the_checks(tmp_path: Path) -> None:
    """Does a Figure come back as a Figure with the same title, labels and bar heights?"""
    fig = Figure()
    ax = fig.add_subplot()
    ax.bar(["a", "b"], [4, 9])
    ax.set_title("人次")
    ax.set_ylabel("person-times")
    _save(tmp_path, 1, {"fig": fig})
    got = _load(tmp_path, 1, ["fig"])["fig"]
    assert isinstance(got, Figure)
    assert got.axes[0].get_title() == "人次" and got.axes[0].get_ylabel() == "person-times"
    assert sorted(round(p.get_height()) for p in got.axes[0].patches) == [4, 9]


def test_every_kind_of_chart_a_check_asks_about_is_redrawn(tmp_path: Path) -> None:
    """Horizontal bars with y tick labels and limits, a pie, a histogram, a scatter, labelled
    lines with a legend, text annotations and a suptitle: does each come back readable?"""
    fig = Figure()
    bars, pie, hist, scatter = (fig.add_subplot(2, 2, n) for n in range(1, 5))
    bars.barh(["探访", "救助"], [12, 5])
    bars.set_xlim(0, 20)
    bars.text(12, 0, "12 人次")
    pie.pie([3, 1])
    hist.hist([1, 2, 2, 3, 3, 3], bins=3)
    scatter.scatter([1, 2, 3], [4, 5, 6])
    scatter.plot([1, 3], [4, 6], label="趋势")
    scatter.plot([1, 3], [5, 5], label="平均")
    scatter.legend()
    fig.suptitle("全县概况")
    _save(tmp_path, 3, {"fig": fig})
    got = _load(tmp_path, 3, ["fig"])["fig"]
    assert isinstance(got, Figure)
    assert got._suptitle is not None and got._suptitle.get_text() == "全县概况"
    b, p, h, s = got.axes
    assert [t.get_text() for t in b.get_yticklabels()] == ["探访", "救助"]
    assert sorted(round(r.get_width()) for r in b.patches) == [5, 12]
    assert tuple(b.get_xlim()) == (0.0, 20.0)
    assert [t.get_text() for t in b.texts] == ["12 人次"]
    assert [round(w.theta2 - w.theta1) for w in p.patches] == [270, 90]
    assert [round(r.get_height()) for r in h.patches] == [1, 2, 3]
    assert s.collections[0].get_offsets().tolist() == [[1, 4], [2, 5], [3, 6]]
    assert [line.get_label() for line in s.get_lines()] == ["趋势", "平均"]
    legend = s.get_legend()
    assert legend is not None and [t.get_text() for t in legend.get_texts()] == ["趋势", "平均"]


def test_a_forged_figure_description_is_refused_not_run(tmp_path: Path) -> None:
    """A description rewritten by trainee code with wrong shapes: a SnapshotError, never a
    crash of the checker or an object built from the trainee's data."""
    fig = Figure()
    fig.add_subplot().bar(["a"], [1])
    _save(tmp_path, 5, {"fig": fig})
    record = json.loads((tmp_path / "5.json").read_text(encoding="utf-8"))
    record["values"]["fig"]["figure"]["axes"][0]["wedges"] = [["x"]]
    (tmp_path / "5.json").write_text(json.dumps(record), encoding="utf-8")
    with pytest.raises(snapshot.SnapshotError):
        _load(tmp_path, 5, ["fig"])


def test_other_objects_become_named_placeholders(tmp_path: Path) -> None:
    """Is a module, a function or an Axes saved as a placeholder, never as the object?"""
    fig = Figure()
    values = {"mod": os, "fn": lambda: 1, "ax": fig.add_subplot()}
    _save(tmp_path, 2, values)
    got = _load(tmp_path, 2, sorted(values))
    for name in values:
        assert isinstance(got[name], snapshot.Unsupported)
    assert type(got["ax"]).__name__ == "Axes" and repr(got["mod"]) == "<module>"


def test_a_name_the_answer_never_defined_is_removed(tmp_path: Path) -> None:
    """Does an undefined answer stay undefined in the checker (not left from before)?"""
    _save(tmp_path, 4, {})
    assert _load(tmp_path, 4, ["stale"]) == {}


@pytest.mark.parametrize(
    "forge",
    ["nonce", "cell", "broken", "deep", "climb", "pickle"],
)
def test_a_forged_or_broken_snapshot_is_refused(tmp_path: Path, forge: str) -> None:
    """Is a snapshot with the wrong nonce or cell, broken or deep JSON, a file name that
    climbs out, or a pickle posing as Parquet refused, and the pickle never run?"""
    _save(tmp_path, 5, {"x": 1})
    path = tmp_path / "5.json"
    record = json.loads(path.read_text(encoding="utf-8"))
    marker = tmp_path / "unpickled"
    if forge == "nonce":
        record["nonce"] = "f" * 32
    elif forge == "cell":
        record["index"] = 6
    elif forge == "climb":
        record["values"]["x"] = {"frame": "../5-1.parquet", "kind": "DataFrame"}
    elif forge == "pickle":

        class Boom:
            def __reduce__(self) -> tuple[object, tuple[str]]:
                return (Path.touch, (str(marker),))  # type: ignore[return-value]

        (tmp_path / "5-1.parquet").write_bytes(pickle.dumps(Boom()))
        record["values"]["x"] = {"frame": "5-1.parquet", "kind": "DataFrame"}
    text = json.dumps(record)
    if forge == "broken":
        text = text[:-3]
    elif forge == "deep":
        text = json.dumps({**record, "values": {"x": 0}}).replace('"x": 0', '"x": ' + "[" * 100_000)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(snapshot.SnapshotError):
        _load(tmp_path, 5, ["x"])
    assert not marker.exists()


def test_root_copies_only_regular_snapshot_files(tmp_path: Path) -> None:
    """Are links, FIFOs, foreign names and oversized files left behind by the copy?"""
    source, secret = tmp_path / "snap", tmp_path / "gradebook.db"
    source.mkdir()
    secret.write_text("SECRET", encoding="utf-8")
    (source / "1.json").write_text("{}", encoding="utf-8")
    (source / "2.json").symlink_to(secret)
    os.mkfifo(source / "3.json")
    (source / "notes.txt").write_text("x", encoding="utf-8")
    with open(source / "4-1.parquet", "wb") as big:
        big.truncate(snapshot.MAX_FILE_BYTES + 1)
    copied = snapcopy.transfer(source, tmp_path / "out")
    assert copied == {"1.json"}
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["1.json"]


def test_root_refuses_a_snapshot_folder_that_is_a_link(tmp_path: Path) -> None:
    """Does a snapshot folder replaced by a link to elsewhere yield nothing?"""
    elsewhere = tmp_path / "course"
    elsewhere.mkdir()
    (elsewhere / "1.json").write_text("{}", encoding="utf-8")
    (tmp_path / "snap").symlink_to(elsewhere, target_is_directory=True)
    assert snapcopy.transfer(tmp_path / "snap", tmp_path / "out") == set()


def test_the_snapshot_notes_hooks_and_patched_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Is a patched ``shegong.grading.checks`` (or a swapped module) seen as interference?"""
    import shegong.grading.checks as checks

    assert snapshot.interference() == []
    monkeypatch.setattr(checks, "expect", lambda *args: None)
    assert "checks_replaced" in snapshot.interference()
    monkeypatch.undo()
    monkeypatch.setitem(sys.modules, "shegong.grading.checks", type(sys)("fake"))
    assert "checks_replaced" in snapshot.interference()


def test_a_test_cell_reads_its_expect_defined_names_and_free_names() -> None:
    """Are the names a test reads found, and the names it binds itself left out?"""
    source = (
        "from shegong.grading.checks import expect, expect_defined\n"
        "_fig = expect_defined('fig')\n"
        "expect(len(table) == _n, 'a', 'b')\n"
        "### BEGIN HIDDEN TESTS\n_n = 3\n### END HIDDEN TESTS\n"
    )
    assert phases.names_read(source) == ["fig", "table"]


def _error_cell(ename: str, evalue: str) -> NotebookNode:
    traceback = ["----", "_heights = sorted(round(p.get_height()) for p in _fig.axes[0])"]
    return NotebookNode(
        outputs=[NotebookNode(output_type="error", ename=ename, evalue=evalue, traceback=traceback)]
    )


def test_feedback_shows_only_our_own_messages() -> None:
    """Is any other failure a plain bilingual "could not run", with no source or data?"""
    message = feedback._message(_error_cell("IndexError", "list index out of range"), False)
    assert "IndexError" in message.zh and "无法在你的答案上运行" in message.zh
    assert "could not run on your answer (IndexError)" in message.en
    assert "range" not in message.en and "_heights" not in message.en
    keyed = feedback._message(_error_cell("KeyError", "'hidden_column'"), False)
    assert "hidden_column" not in keyed.zh + keyed.en
    own = feedback._message(_error_cell("AssertionError", "中文说明。\nEnglish text."), False)
    assert (own.zh, own.en) == ("中文说明。", "English text.")


def test_a_metadata_failure_is_never_called_a_kernel_crash() -> None:
    """Does nbgrader's metadata error become a specific reason, not "see the traceback"?"""
    log = (
        "[AutogradeApp | ERROR] Duplicate grade id: by_service\n"
        "[AutogradeApp | ERROR] There was an error processing assignment: /x\n"
        "[AutogradeApp | ERROR] Please see the the above traceback for details.\n"
    )
    note = failure_note(log)
    assert note.code == "nbgrader_metadata" and "Duplicate grade id" in note.detail
    nested = (
        "[ERROR] There was an error processing assignment: /box/course/submitted/t/a\n"
        "[ERROR] Traceback (most recent call last):\n"
        '      File "nbgrader/api.py", line 1846, in find_graded_cell\n'
        "    nbgrader.api.MissingEntry: No such grade cell: a/a/top_station\n"
        "nbgrader.converters.base.NbGraderException: Please see the the above traceback\n"
    )
    note = failure_note(nested)
    assert note.code == "nbgrader_metadata"
    assert note.detail == "MissingEntry: No such grade cell: a/a/top_station"


RELEASE = {
    "answer": repair.ReleasedCell(grade=False, solution=True, locked=False, points=None),
    "answer_test": repair.ReleasedCell(grade=True, solution=False, locked=True, points=3.0),
}


def _cell(source: str, **meta: object) -> NotebookNode:
    metadata = {"nbgrader": dict(meta)} if meta else {}
    return NotebookNode(cell_type="code", source=source, metadata=metadata, outputs=[])


def _answer(source: str, **changes: object) -> NotebookNode:
    meta = {"grade": False, "grade_id": "answer", "locked": False, "solution": True}
    return _cell(source, **{**meta, **changes})


def _test_cell() -> NotebookNode:
    meta = {"grade": True, "grade_id": "answer_test", "locked": True, "solution": False}
    return _cell("check()", **meta, points=3)


@pytest.mark.parametrize("second", ["same id", "no id"])
def test_a_split_answer_is_merged_back(second: str) -> None:
    """Are the halves of a split answer cell one cell again, code in order, noted?"""
    half = _answer("b = a + 1") if second == "same id" else _cell("b = a + 1", solution=True)
    nb = NotebookNode(cells=[_answer("a = 1"), half, _test_cell()])
    notes = repair.repair(nb, RELEASE)
    assert [c.source for c in nb.cells] == ["a = 1\nb = a + 1", "check()"]
    assert [n.code for n in notes] == ["repaired_split"]


def test_an_answer_marked_as_a_grade_cell_gets_the_release_markings() -> None:
    """Is an answer cell marked as graded restored to a plain answer cell?"""
    nb = NotebookNode(cells=[_answer("a = 1", grade=True, points=5), _test_cell()])
    notes = repair.repair(nb, RELEASE)
    assert nb.cells[0].metadata["nbgrader"]["grade"] is False
    assert "points" not in nb.cells[0].metadata["nbgrader"]
    assert [(n.code, n.detail) for n in notes] == [("repaired_metadata", "grade")]


def test_unknown_and_duplicate_markings_are_removed_but_code_still_runs() -> None:
    """Does a cell with an unknown grade id keep its code, and a second test copy go?"""
    nb = NotebookNode(
        cells=[
            _answer("a = 1"),
            _test_cell(),
            _cell("print(a)", grade=True, grade_id="invented", points=99),
            _test_cell(),
        ]
    )
    notes = repair.repair(nb, RELEASE)
    assert [c.source for c in nb.cells] == ["a = 1", "check()", "print(a)"]
    assert "nbgrader" not in nb.cells[2].metadata
    assert [n.code for n in notes] == ["repaired_unknown", "repaired_metadata"]


def test_a_well_formed_notebook_is_left_alone() -> None:
    """Does a notebook with the release's markings get no repair notes?"""
    nb = NotebookNode(cells=[_answer("a = 1"), _cell("x = 2"), _test_cell()])
    assert repair.repair(nb, RELEASE) == [] and len(nb.cells) == 3
