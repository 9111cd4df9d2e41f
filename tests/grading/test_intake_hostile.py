"""Hostile and odd zips from stations: does intake give every one a row with a reason in both
languages, go on with the batch, decide in bounded memory, and never extract what it ignores?"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from grading_support import submitted
from intake_zips import (
    ASSIGNMENT,
    GBK_DISK_NAME,
    ON_TIME,
    TZ,
    answered_notebook,
    forge,
    hostile_batch,
    lying_bomb,
    make_zip,
    manifest_for,
    pack_for,
    v3_notebook,
)

from shegong.cli import main
from shegong.grading import inbox, intake, manifest, pack, safezip, status, store, worker
from shegong.grading.config import GradingError
from shegong.grading.context import GradingContext
from shegong.grading.model import Note, Status
from shegong.grading.release import set_due
from shegong.grading.sandbox import Box
from shegong.messages import text

HAN = "\u4e00-\u9fff"


@pytest.fixture
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    course = clone("hostile")
    set_due(course, ASSIGNMENT, dt.datetime(2025, 3, 31, 23, 59, tzinfo=TZ))
    return course


def test_one_batch_of_hostile_zips_gives_every_file_a_row(
    course: GradingContext, tmp_path: Path
) -> None:
    """Does one batch of every hostile class decide each zip with its own reason, accept the
    good ones among them, and store a receipt row for each (GBK file name included)?"""
    expected = hostile_batch(course, tmp_path / "inbox", tmp_path)
    zips = sorted((tmp_path / "inbox").iterdir())
    decisions = {d.file: d for d in intake.intake(zips, course)}
    shown = {
        name.replace(GBK_DISK_NAME, "张三-作业.zip"): reason for name, reason in expected.items()
    }
    assert {file: d.reason for file, d in decisions.items()} == shown
    with store.connect(course.paths.grading_db) as db:
        logged = {r["file"]: r["reason"] for r in db.execute(store.receipts.select()).mappings()}
    assert logged == shown
    assert decisions["aes.zip"].detail == "casework.ipynb: AES"
    assert decisions["password.zip"].detail == "casework.ipynb"
    assert decisions["bzip2.zip"].detail == "manifest.json: 12 bzip2"
    assert decisions["seed.zip"].detail == "seed"
    assert decisions["surrogate.zip"].detail == "trainee"
    assert decisions["deep-manifest.zip"].detail == "manifest.json"
    assert decisions["deep-notebook.zip"].detail == "casework.ipynb"
    gbk = submitted(course, "w000039", ASSIGNMENT)
    assert (gbk / "作业.ipynb").read_bytes() == (
        tmp_path / "work" / "w000031" / "casework.ipynb"
    ).read_bytes()
    assert decisions["nbformat3.zip"].converted == ("casework.ipynb (nbformat 3)",)
    flagged = {r.student: r for r in status.rows(course.paths, ASSIGNMENT)}["w000042"]
    assert flagged.status is Status.REJECTED
    assert "w000041 → w000042" in status.explain_note(flagged.notes[0], "zh")


def test_ignored_members_are_shown_and_never_extracted(
    course: GradingContext, tmp_path: Path
) -> None:
    """Are ``../../evil.py`` and an absolute name listed as ignored, in both languages, and
    is nothing but the declared notebook written anywhere?"""
    good = pack_for(course, tmp_path, "w000047")
    target = tmp_path / "deep" / "er" / "extras.zip"
    target.parent.mkdir(parents=True)
    with zipfile.ZipFile(good.path) as src, zipfile.ZipFile(target, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("../../evil.py", b"import os")
        dst.writestr("/tmp/evil.py", b"import os")
    (decision,) = intake.intake([target], course)
    assert decision.accepted and decision.ignored == ("../../evil.py", "/tmp/evil.py")
    assert not list(tmp_path.rglob("evil.py")) and not list(course.settings.home.rglob("evil.py"))
    assert sorted(p.name for p in submitted(course, "w000047", ASSIGNMENT).iterdir()) == [
        "casework.ipynb",
        "timestamp.txt",
    ]
    names = ", ".join(decision.ignored)
    assert text("grading.intake.ignored", "zh", names=names).startswith("已忽略")
    assert text("grading.intake.ignored", "en", names=names).startswith("ignored")
    # graded later, the accepted submission's status still says what the zip held back
    status.record(course.paths, ASSIGNMENT, "w000047", Status.GRADED, auto_score=2, auto_max=4)
    (row,) = [r for r in status.rows(course.paths, ASSIGNMENT) if r.student == "w000047"]
    assert row.notes == (
        Note("ignored_member", detail="../../evil.py"),
        Note("ignored_member", detail="/tmp/evil.py"),
    )
    assert "../../evil.py" in status.explain_note(row.notes[0], "zh")


def test_a_refused_zip_lists_what_it_ignored_in_the_status_table(
    course: GradingContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Does a refused zip of a trainee show its reason and its ignored members as notes, and
    does ``shegong grade status`` print a name that looks like terminal markup as it is?"""
    notebook = answered_notebook(course, tmp_path / "nb").read_bytes()
    members = {
        "manifest.json": manifest_for("w000048", {"casework.ipynb": notebook}),
        "files/casework.ipynb": notebook,
        "../../evil.py": b"x",
        "[/evil].py": b"x",
    }
    zipped = forge(make_zip(tmp_path / "locked.zip", members), "files/casework.ipynb", flag=1)
    intake.intake([zipped], course)
    (row,) = [r for r in status.rows(course.paths, ASSIGNMENT) if r.student == "w000048"]
    assert row.status is Status.REJECTED
    zh = "；".join(status.explain_note(n, "zh") for n in row.notes)
    en = "; ".join(status.explain_note(n, "en") for n in row.notes)
    assert "密码" in zh and "../../evil.py" in zh and "未解压" in zh
    assert "password" in en and "../../evil.py" in en and "not extracted" in en
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["grade", "status", ASSIGNMENT, "--home", str(course.settings.home)]) == 0
    assert "[/evil].py" in capsys.readouterr().out


def test_an_edited_manifest_is_refused_and_flagged_naming_both_ids(
    course: GradingContext, tmp_path: Path
) -> None:
    """Is a zip named for w000051 whose manifest says w000052 refused, and is the flag in the
    status table of w000052 (kept beside an earlier graded result), naming both ids?"""
    packed = pack_for(course, tmp_path, "w000051")
    edited = json.loads(manifest.canonical(packed.manifest))
    edited["trainee"] = "w000052"
    with zipfile.ZipFile(packed.path) as src:
        body = src.read("files/casework.ipynb")
    target = tmp_path / "renamed" / packed.path.name
    target.parent.mkdir()
    make_zip(target, {"manifest.json": json.dumps(edited).encode(), "files/casework.ipynb": body})
    status.record(course.paths, ASSIGNMENT, "w000052", Status.GRADED, auto_score=3, auto_max=5)
    (decision,) = intake.intake([target], course)
    assert (decision.accepted, decision.reason) == (False, "identity_mismatch")
    assert "w000051 → w000052" in decision.detail
    assert not submitted(course, "w000052", ASSIGNMENT).exists()
    (row,) = [r for r in status.rows(course.paths, ASSIGNMENT) if r.student == "w000052"]
    assert row.status is Status.GRADED and row.auto_score == 3
    zh = status.explain_note(row.notes[-1], "zh")
    en = status.explain_note(row.notes[-1], "en")
    assert "w000051" in zh and "w000052" in zh and "回执码" in zh
    assert "w000051" in en and "w000052" in en and "receipt" in en


@pytest.mark.parametrize(
    ("field", "value", "named"),
    [
        ("seed", "abc", "seed"),
        ("seed", True, "seed"),
        ("version", 1.5, "version"),
        ("lang", ["zh"], "lang"),
        ("tool", None, "tool"),
        ("trainee", 11, "trainee"),
        ("packed_at", {}, "packed_at"),
        ("files", "casework.ipynb", "files"),
        ("files", [{"name": "casework.ipynb", "sha256": "0", "size": "12"}], "files[0].size"),
        ("files", ["casework.ipynb"], "files[0]"),
    ],
)
def test_a_manifest_field_of_the_wrong_type_is_refused_by_name(
    field: str, value: object, named: str
) -> None:
    """Does every manifest field of the wrong type raise the bilingual error naming it,
    rather than a TypeError or ValueError from inside parsing?"""
    raw = json.loads(manifest_for("w000011", {"casework.ipynb": b"{}"}))
    raw[field] = value
    with pytest.raises(GradingError) as caught:
        manifest.parse(json.dumps(raw).encode())
    assert caught.value.values["field"] == named
    assert named in caught.value.message("zh") and named in caught.value.message("en")


def test_names_renamed_by_chat_apps_are_not_flagged() -> None:
    """Do ``<name> (1).zip``, ``copy-<name>`` and names off the pattern agree with the
    manifest, while another trainee or receipt in the name does not?"""
    made = manifest.Manifest("w000011", ASSIGNMENT, "shegong", ON_TIME.isoformat(), ())
    receipt = manifest.receipt_code(made)
    for name in (f"casework+w000011+{receipt} (1).zip", f"copy-casework+w000011+{receipt}.zip",
                 "submission (1).zip", "张三的作业.zip", "casework+w000011.zip"):  # fmt: skip
        assert intake.name_mismatch(name, made) == "", name
    assert intake.name_mismatch(f"casework+w000012+{receipt}.zip", made) == "w000012 → w000011"
    assert "→ " + receipt in intake.name_mismatch("casework+w000011+0000-0000.zip", made)
    written = manifest.receipt_of(b'{"an": "older manifest layout"}')
    assert intake.name_mismatch(f"casework+w000011+{written}.zip", made, written) == ""


def test_gbk_member_names_are_decoded() -> None:
    """Is a member name stored as GBK bytes without the UTF-8 flag read as Chinese, and an
    undecodable one left as zipfile read it?"""
    info = zipfile.ZipInfo("files/作业二.ipynb".encode("gbk").decode("cp437"))
    assert safezip.member_name(info) == "files/作业二.ipynb"
    flagged = zipfile.ZipInfo("files/作业.ipynb")
    flagged.flag_bits |= safezip.UTF8_FLAG
    assert safezip.member_name(flagged) == "files/作业.ipynb"
    junk = zipfile.ZipInfo(b"\xff\xfe.txt".decode("cp437"))
    assert safezip.member_name(junk) == b"\xff\xfe.txt".decode("cp437")


def test_zip_file_names_on_disk_are_stored_printable() -> None:
    """Is a file name in GBK bytes shown in Chinese, and one in no known encoding shown with
    replacement characters (so its receipt row can always be stored)?"""
    assert intake.display_name(Path(GBK_DISK_NAME)) == "张三-作业.zip"
    odd = intake.display_name(Path(os.fsdecode(b"\xff\xfe\xfd.zip")))
    assert odd == "\ufffd\ufffd\ufffd.zip" and odd.encode("utf-8")


def test_a_zip_with_a_huge_directory_is_refused_before_it_is_listed(tmp_path: Path) -> None:
    """Is a zip whose central directory is over the cap refused from its end record?"""
    target = tmp_path / "many.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for index in range(25_000):
            archive.writestr(f"{index:020d}.txt", b"")
    with pytest.raises(safezip.ZipProblem) as caught:
        safezip.open_zip(target)
    assert caught.value.reason == "too_many_entries"


def test_a_member_over_the_cap_is_refused_without_reading_it(tmp_path: Path) -> None:
    """Is a member whose honest header says more than the cap refused as too large, and one
    whose stream is longer than its header stopped as a bomb within a chunk of the header?"""
    honest = tmp_path / "honest.zip"
    with zipfile.ZipFile(honest, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("big.ipynb", bytes(3 * 2**20))
    archive, members = safezip.open_zip(honest)
    with archive:
        with pytest.raises(safezip.ZipProblem) as caught:
            safezip.read_member(archive, members["big.ipynb"], "big.ipynb", 2**20)
        assert caught.value.reason == "too_large"
        data = safezip.read_member(archive, members["big.ipynb"], "big.ipynb", 4 * 2**20)
        assert data == bytes(3 * 2**20)
    liar = forge(honest, "big.ipynb", size=10)
    archive, members = safezip.open_zip(liar)
    with archive, pytest.raises(safezip.ZipProblem) as caught:
        safezip.read_member(archive, members["big.ipynb"], "big.ipynb", 2**20)
    assert caught.value.reason == "zip_bomb"


CHILD = """
import json, resource, sys, tracemalloc
from pathlib import Path
from shegong.grading import intake
from shegong.grading.config import load_options
from shegong.grading.context import GradingContext
from shegong.settings import load
home, bomb, good, cap = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
intake.MAX_BYTES = cap
settings = load({"home": home}, environ={}, cwd=home)
course = intake._course(GradingContext.open(settings, load_options(environ={}), ensure=False))
assert intake.decide(good, course)[0].accepted  # imports and caches warmed up
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
decision, _ = intake.decide(bomb, course)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
print(json.dumps({"reason": decision.reason, "peak": peak, "grown": grown}))
"""


def test_a_lying_header_is_stopped_in_bounded_memory(
    course: GradingContext, tmp_path: Path
) -> None:
    """Does a member inflating to 8x the cap while its headers say 1000 bytes get the bomb
    rejection, with the decision's peak memory (traced and resident) under 3x the cap?"""
    cap = 8 * 2**20
    bomb = lying_bomb(tmp_path / "bomb.zip", "w000053", 8 * cap)
    assert bomb.stat().st_size < cap // 8
    good = pack_for(course, tmp_path, "w000054")
    run = subprocess.run(
        [
            sys.executable,
            "-c",
            CHILD,
            str(course.settings.home),
            str(bomb),
            str(good.path),
            str(cap),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(run.stdout)
    assert measured["reason"] == "zip_bomb"
    assert measured["peak"] < 3 * cap
    assert measured["grown"] < 3 * cap


def test_an_unexpected_failure_is_one_rejection_and_the_batch_goes_on(
    course: GradingContext, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does a check that raises something unforeseen refuse that zip as unreadable, while
    the next zip is still decided and accepted?"""
    first, second = pack_for(course, tmp_path, "w000055"), pack_for(course, tmp_path, "w000056")

    def broken(item: intake._Zip, found: intake._Course) -> None:
        if item.manifest is not None and item.manifest.trainee == "w000055":
            raise KeyError("surprise")

    monkeypatch.setattr(intake, "CHECKS", (*intake.CHECKS[:2], broken, *intake.CHECKS[2:]))
    third = pack_for(course, tmp_path, "w000058")
    real_accept = inbox.accept

    def full_disk(manifest: manifest.Manifest, *args: object) -> None:
        if manifest.trainee == "w000058":
            raise OSError(28, "No space left on device")
        real_accept(manifest, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(inbox, "accept", full_disk)
    zips = [first.path, second.path, third.path]
    decisions = intake.intake(zips, course)
    assert [(d.reason, d.detail) for d in decisions] == [
        ("unreadable", "KeyError"),
        ("accepted", ""),
        ("unreadable", "OSError"),
    ]
    with store.connect(course.paths.grading_db) as db:
        logged = [r["reason"] for r in db.execute(store.receipts.select()).mappings()]
    assert logged == ["unreadable", "accepted", "unreadable"]
    assert "无法读取" in text("grading.intake.unreadable", "zh", detail="KeyError")


def test_the_cli_prints_a_row_for_every_file_and_exits_0(
    course: GradingContext,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Does ``shegong grade intake <folder>`` exit 0 with every file, its reason and the
    ignored members in the table, even with the hostile zips among the good ones?"""
    expected = hostile_batch(course, tmp_path / "inbox", tmp_path)
    monkeypatch.setenv("COLUMNS", "400")
    home = str(course.settings.home)
    assert main(["grade", "intake", str(tmp_path / "inbox"), "--home", home, "--lang", "zh"]) == 0
    out = capsys.readouterr().out
    for name in expected:
        shown = "张三-作业.zip" if name == GBK_DISK_NAME else name
        assert shown[:40] in out, name
    assert "已忽略（未解压）：../../evil.py, /etc/passwd" in out
    assert "已收件" in out and "设了密码" in out and "压缩炸弹" in out


def test_every_intake_reason_reads_in_chinese_and_english() -> None:
    """Has every reason intake can give (and the ignored/converted lines) a Chinese and an
    English text, the English without Chinese?"""
    for reason in (*intake.REASONS, "ignored", "converted"):
        zh = text(f"grading.intake.{reason}", "zh", detail="d", names="n")
        en = text(f"grading.intake.{reason}", "en", detail="d", names="n")
        assert any(HAN[0] <= c <= HAN[-1] for c in zh), reason
        assert not any(HAN[0] <= c <= HAN[-1] for c in en), reason
    source = Path(safezip.__file__).read_text(encoding="utf-8")
    reasons_in_code = set(re.findall(r'ZipProblem\("(\w+)"', source))
    assert reasons_in_code <= set(intake.REASONS)
    assert set(inbox.SHOWN_IN_STATUS) <= set(intake.REASONS)


def test_nbformat_3_is_accepted_by_intake_and_staged_for_autograde(
    course: GradingContext, tmp_path: Path
) -> None:
    """Is a valid nbformat-3 notebook read (converted to 4) rather than called "not a
    notebook", and does autograde's staging write it as nbformat 4?"""
    v3 = v3_notebook(tmp_path / "submitted" / "casework.ipynb")
    box = Box(tmp_path / "box", None)
    box.step("submitted", "w000057", ASSIGNMENT).mkdir(parents=True)
    job = worker.Job(ASSIGNMENT, "w000057", ("casework",), v3.parent, "")
    state = worker._State(job, box)
    worker.stage(state)
    assert state.staged == ["casework"] and not state.notes
    staged = nbformat.read(box.step("submitted", "w000057", ASSIGNMENT) / "casework.ipynb", 4)
    assert staged.nbformat == 4 and staged.cells[0].source == "answer = 42"


def test_pack_refuses_an_unknown_trainee_or_assignment_naming_the_valid_ones(
    course: GradingContext, tmp_path: Path
) -> None:
    """Does packing for a mistyped trainee id or assignment stop at once, in both languages,
    naming the valid ones the workspace knows, before any zip is written?"""
    path = answered_notebook(course, tmp_path / "nb")
    trainees, assignments = pack.known_in_workspace(course)
    assert "w000011" in trainees and ASSIGNMENT in assignments
    with pytest.raises(GradingError) as caught:
        pack.pack(
            [path],
            "W99999",
            ASSIGNMENT,
            tmp_path / "out",
            trainees=trainees,
            assignments=assignments,
        )
    assert "W99999" in str(caught.value) and "名单" in str(caught.value)
    assert "roster" in str(caught.value) and "w000011" in str(caught.value)
    with pytest.raises(GradingError) as caught:
        pack.pack(
            [path],
            "w000011",
            "casework2",
            tmp_path / "out",
            trainees=trainees,
            assignments=assignments,
        )
    assert "casework, " in str(caught.value) or ", casework" in str(caught.value)
    assert "没有发放" in str(caught.value) and "not been released" in str(caught.value)
    assert not (tmp_path / "out").exists()
    home = str(course.settings.home)
    argv = [
        "grade",
        "pack",
        str(path),
        "--trainee",
        "W99999",
        "--assignment",
        ASSIGNMENT,
        "--home",
        home,
    ]
    assert main([*argv, "--out", str(tmp_path / "cli")]) == 2
    assert not (tmp_path / "cli").exists()
