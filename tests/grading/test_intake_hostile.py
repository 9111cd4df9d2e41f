"""Hostile and odd zips from stations: does intake give every one a row with a reason in both
languages, go on with the batch, decide in bounded memory, and never extract what it ignores?"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import nbformat.v3
import pytest
from grading_support import Course

from shegong.cli import main
from shegong.grading import inbox, intake, manifest, pack, safezip, simulate, status, store, worker
from shegong.grading.config import GradingError
from shegong.grading.model import Status
from shegong.grading.release import set_due
from shegong.grading.sandbox import Box
from shegong.messages import text

ASSIGNMENT = "casework"
TZ = dt.timezone(dt.timedelta(hours=8))
ON_TIME = dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ)
HAN = "\u4e00-\u9fff"
GBK_DISK_NAME = os.fsdecode("张三-作业".encode("gbk") + b".zip")


@pytest.fixture
def course(clone: Callable[..., Course]) -> Course:
    course = clone("hostile")
    set_due(course.paths, course.options, ASSIGNMENT, dt.datetime(2025, 3, 31, 23, 59, tzinfo=TZ))
    return course


def _notebook_bytes(course: Course, folder: Path) -> Path:
    nb = simulate.answered(course.release_nb(ASSIGNMENT), course.source_nb(ASSIGNMENT))
    return simulate.write_submission(nb, folder, ASSIGNMENT)


def _pack(course: Course, tmp: Path, trainee: str) -> pack.Packed:
    path = _notebook_bytes(course, tmp / "work" / trainee)
    return pack.pack([path], trainee, ASSIGNMENT, tmp / "packed" / trainee, packed_at=ON_TIME)


def _manifest_for(trainee: str, files: dict[str, bytes], **changes: object) -> bytes:
    entries = tuple(
        manifest.ManifestFile(n, manifest.sha256_bytes(d), len(d)) for n, d in files.items()
    )
    made = manifest.Manifest(trainee, ASSIGNMENT, "shegong", ON_TIME.isoformat(), entries)
    raw = json.loads(manifest.canonical(made))
    raw.update(changes)
    return json.dumps(raw, ensure_ascii=False).encode()


def _zip(target: Path, members: dict[str, bytes], gbk_names: bool = False) -> Path:
    """A deflated zip; ``gbk_names``: names as GBK bytes without the UTF-8 flag, the way a
    Chinese Windows zip tool writes them (zipfile itself would write UTF-8, so an ASCII
    stand-in of the same length is written and its bytes replaced)."""
    swaps: dict[bytes, bytes] = {}
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            raw = name.encode("gbk") if gbk_names else name.encode()
            stand_in = "".join(c if c.isascii() else "~" * len(c.encode("gbk")) for c in name)
            stand_in = stand_in if gbk_names else name
            swaps[stand_in.encode()] = raw
            archive.writestr(stand_in, data)
    data = target.read_bytes()
    for stand_in, raw in swaps.items():
        if stand_in != raw:
            data = data.replace(stand_in, raw)
    target.write_bytes(data)
    return target


def _headers(data: bytearray, member: str) -> list[int]:
    """Offsets of the local and central headers of ``member`` (for forging fields)."""
    found = []
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo(member)
        found.append(info.header_offset)
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        length = struct.unpack_from("<H", data, at + 28)[0]
        if data[at + 46 : at + 46 + length] == member.encode():
            found.append(at)
        at = data.find(b"PK\x01\x02", at + 4)
    return found


def _forge(path: Path, member: str, *, flag: int = 0, method: int | None = None,
           size: int | None = None) -> Path:  # fmt: skip
    """Set the flag bits, compression method or uncompressed size in both headers."""
    data = bytearray(path.read_bytes())
    local, central = _headers(data, member)
    for at, shift in ((local, 0), (central, 2)):
        flags = struct.unpack_from("<H", data, at + 6 + shift)[0]
        struct.pack_into("<H", data, at + 6 + shift, flags | flag)
        if method is not None:
            struct.pack_into("<H", data, at + 8 + shift, method)
        if size is not None:
            struct.pack_into("<I", data, at + 22 + shift, size)
    path.write_bytes(bytes(data))
    return path


def _bomb(target: Path, trainee: str, inflated: int) -> Path:
    """A zip whose notebook inflates to ``inflated`` bytes of zeros but whose headers say 1000."""
    notebook = "files/casework.ipynb"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", _manifest_for(trainee, {"casework.ipynb": b"{}"}))
        with archive.open(notebook, "w") as stream:
            block = bytes(2**20)
            for _ in range(inflated // 2**20):
                stream.write(block)
    return _forge(target, notebook, size=1000)


def _hostile(course: Course, folder: Path, tmp: Path) -> dict[str, str]:
    """One zip per hostile class in ``folder``; returns file name -> expected reason."""
    folder.mkdir(parents=True)
    expected: dict[str, str] = {}

    def put(name: str, source: Path, reason: str) -> Path:
        target = folder / name
        target.write_bytes(source.read_bytes())
        expected[name] = reason
        return target

    good = _pack(course, tmp, "W000031")
    put(good.path.name, good.path, "accepted")
    notebook = (tmp / "work" / "W000031" / "casework.ipynb").read_bytes()
    files = {"casework.ipynb": notebook}

    def members(trainee: str, **changes: object) -> dict[str, bytes]:
        return {"manifest.json": _manifest_for(trainee, files, **changes),
                "files/casework.ipynb": notebook}  # fmt: skip

    aes = _forge(_zip(tmp / "aes.zip", members("W000032")), "files/casework.ipynb", method=99)
    put("aes.zip", aes, "encrypted")
    locked = _forge(_zip(tmp / "pw.zip", members("W000033")), "files/casework.ipynb", flag=1)
    put("password.zip", locked, "encrypted")
    bz = tmp / "bzip2.zip"
    with zipfile.ZipFile(bz, "w", compression=zipfile.ZIP_BZIP2) as archive:
        for name, data in members("W000034").items():
            archive.writestr(name, data)
    put("bzip2.zip", bz, "unsupported_compression")
    put("seed.zip", _zip(tmp / "seed.zip", members("W000035", seed="abc")), "manifest_field")
    lone = members("W000050")
    lone["manifest.json"] = lone["manifest.json"].replace(b'"W000050"', b'"\\ud800"')
    put("surrogate.zip", _zip(tmp / "surrogate.zip", lone), "manifest_field")
    deep = b"[" * 200_000 + b"]" * 200_000
    put("deep-manifest.zip", _zip(tmp / "dm.zip", {"manifest.json": deep}), "too_deep")
    deep_files = {"casework.ipynb": deep}
    deep_nb = {"manifest.json": _manifest_for("W000036", deep_files), "files/casework.ipynb": deep}
    put("deep-notebook.zip", _zip(tmp / "dn.zip", deep_nb), "too_deep")
    long_name = "a" * 270 + ".ipynb"  # 276 bytes: too long for any file system
    long_files = {long_name: notebook}
    long_zip = {
        "manifest.json": _manifest_for("W000037", long_files),
        f"files/{long_name}": notebook,
    }
    put("long-name.zip", _zip(tmp / "ln.zip", long_zip), "long_name")
    put("bomb.zip", _bomb(tmp / "bomb.zip", "W000038", 64 * 2**20), "zip_bomb")
    chinese = {"作业.ipynb": notebook}
    gbk = {"manifest.json": _manifest_for("W000039", chinese), "files/作业.ipynb": notebook}
    put("gbk-members.zip", _zip(tmp / "gbk.zip", gbk, gbk_names=True), "accepted")
    evil = members("W000040") | {"../../evil.py": b"import os", "/etc/passwd": b"x"}
    put("extras.zip", _zip(tmp / "extras.zip", evil), "accepted")
    other = _pack(course, tmp, "W000041")
    edited = json.loads(manifest.canonical(other.manifest))
    edited["trainee"] = "W000042"
    swapped = {"manifest.json": json.dumps(edited).encode(), "files/casework.ipynb": notebook}
    put(other.path.name, _zip(tmp / "swap.zip", swapped), "identity_mismatch")
    put("submission (1).zip", _pack(course, tmp, "W000043").path, "accepted")
    renamed = _pack(course, tmp, "W000044")
    put(renamed.path.name.replace(".zip", " (1).zip"), renamed.path, "accepted")
    put(GBK_DISK_NAME, _pack(course, tmp, "W000045").path, "accepted")
    put("SHOUTING.ZIP", _pack(course, tmp, "W000049").path, "accepted")  # a Windows tool
    v3 = tmp / "v3" / "casework.ipynb"
    v3.parent.mkdir()
    cell = nbformat.v3.new_code_cell(input="answer = 42")
    sheet = nbformat.v3.new_worksheet(cells=[cell])
    v3.write_text(nbformat.v3.writes_json(nbformat.v3.new_notebook(worksheets=[sheet])), "utf-8")
    old = pack.pack([v3], "W000046", ASSIGNMENT, tmp / "packed-v3", packed_at=ON_TIME)
    put("nbformat3.zip", old.path, "accepted")
    (folder / "not-a-zip.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    expected["not-a-zip.zip"] = "bad_zip"
    return expected


def test_one_batch_of_hostile_zips_gives_every_file_a_row(course: Course, tmp_path: Path) -> None:
    """Does one batch of every hostile class decide each zip with its own reason, accept the
    good ones among them, and store a receipt row for each (GBK file name included)?"""
    expected = _hostile(course, tmp_path / "inbox", tmp_path)
    zips = sorted((tmp_path / "inbox").iterdir())
    decisions = {d.file: d for d in intake.intake(zips, course.paths, course.options)}
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
    gbk = course.submitted("W000039", ASSIGNMENT)
    assert (gbk / "作业.ipynb").read_bytes() == (
        tmp_path / "work" / "W000031" / "casework.ipynb"
    ).read_bytes()
    assert decisions["nbformat3.zip"].converted == ("casework.ipynb (nbformat 3)",)
    flagged = {r.student: r for r in status.rows(course.paths, ASSIGNMENT)}["W000042"]
    assert flagged.status is Status.REJECTED
    assert "W000041 → W000042" in status.explain_note(flagged.notes[0], "zh")


def test_ignored_members_are_shown_and_never_extracted(course: Course, tmp_path: Path) -> None:
    """Are ``../../evil.py`` and an absolute name listed as ignored, in both languages, and
    is nothing but the declared notebook written anywhere?"""
    good = _pack(course, tmp_path, "W000047")
    target = tmp_path / "deep" / "er" / "extras.zip"
    target.parent.mkdir(parents=True)
    with zipfile.ZipFile(good.path) as src, zipfile.ZipFile(target, "w") as dst:
        for name in src.namelist():
            dst.writestr(name, src.read(name))
        dst.writestr("../../evil.py", b"import os")
        dst.writestr("/tmp/evil.py", b"import os")
    (decision,) = intake.intake([target], course.paths, course.options)
    assert decision.accepted and decision.ignored == ("../../evil.py", "/tmp/evil.py")
    assert not list(tmp_path.rglob("evil.py")) and not list(course.settings.home.rglob("evil.py"))
    assert sorted(p.name for p in course.submitted("W000047", ASSIGNMENT).iterdir()) == [
        "casework.ipynb",
        "timestamp.txt",
    ]
    names = ", ".join(decision.ignored)
    assert text("grading.intake.ignored", "zh", names=names).startswith("已忽略")
    assert text("grading.intake.ignored", "en", names=names).startswith("ignored")


def test_a_refused_zip_lists_what_it_ignored_in_the_status_table(
    course: Course,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Does a refused zip of a trainee show its reason and its ignored members as notes, and
    does ``shegong grade status`` print a name that looks like terminal markup as it is?"""
    notebook = _notebook_bytes(course, tmp_path / "nb").read_bytes()
    members = {
        "manifest.json": _manifest_for("W000048", {"casework.ipynb": notebook}),
        "files/casework.ipynb": notebook,
        "../../evil.py": b"x",
        "[/evil].py": b"x",
    }
    zipped = _forge(_zip(tmp_path / "locked.zip", members), "files/casework.ipynb", flag=1)
    intake.intake([zipped], course.paths, course.options)
    (row,) = [r for r in status.rows(course.paths, ASSIGNMENT) if r.student == "W000048"]
    assert row.status is Status.REJECTED
    zh = "；".join(status.explain_note(n, "zh") for n in row.notes)
    en = "; ".join(status.explain_note(n, "en") for n in row.notes)
    assert "密码" in zh and "../../evil.py" in zh and "未解压" in zh
    assert "password" in en and "../../evil.py" in en and "not extracted" in en
    monkeypatch.setenv("COLUMNS", "400")
    assert main(["grade", "status", ASSIGNMENT, "--home", str(course.settings.home)]) == 0
    assert "[/evil].py" in capsys.readouterr().out


def test_an_edited_manifest_is_refused_and_flagged_naming_both_ids(
    course: Course, tmp_path: Path
) -> None:
    """Is a zip named for W000051 whose manifest says W000052 refused, and is the flag in the
    status table of W000052 (kept beside an earlier graded result), naming both ids?"""
    packed = _pack(course, tmp_path, "W000051")
    edited = json.loads(manifest.canonical(packed.manifest))
    edited["trainee"] = "W000052"
    with zipfile.ZipFile(packed.path) as src:
        body = src.read("files/casework.ipynb")
    target = tmp_path / "renamed" / packed.path.name
    target.parent.mkdir()
    _zip(target, {"manifest.json": json.dumps(edited).encode(), "files/casework.ipynb": body})
    status.record(course.paths, ASSIGNMENT, "W000052", Status.GRADED, auto_score=3, auto_max=5)
    (decision,) = intake.intake([target], course.paths, course.options)
    assert (decision.accepted, decision.reason) == (False, "identity_mismatch")
    assert "W000051 → W000052" in decision.detail
    assert not course.submitted("W000052", ASSIGNMENT).exists()
    (row,) = [r for r in status.rows(course.paths, ASSIGNMENT) if r.student == "W000052"]
    assert row.status is Status.GRADED and row.auto_score == 3
    zh = status.explain_note(row.notes[-1], "zh")
    en = status.explain_note(row.notes[-1], "en")
    assert "W000051" in zh and "W000052" in zh and "回执码" in zh
    assert "W000051" in en and "W000052" in en and "receipt" in en


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
    raw = json.loads(_manifest_for("W000011", {"casework.ipynb": b"{}"}))
    raw[field] = value
    with pytest.raises(GradingError) as caught:
        manifest.parse(json.dumps(raw).encode())
    assert caught.value.values["field"] == named
    assert named in caught.value.message("zh") and named in caught.value.message("en")


def test_names_renamed_by_chat_apps_are_not_flagged() -> None:
    """Do ``<name> (1).zip``, ``copy-<name>`` and names off the pattern agree with the
    manifest, while another trainee or receipt in the name does not?"""
    made = manifest.Manifest("W000011", ASSIGNMENT, "shegong", ON_TIME.isoformat(), ())
    receipt = manifest.receipt_code(made)
    for name in (f"casework+W000011+{receipt} (1).zip", f"copy-casework+W000011+{receipt}.zip",
                 "submission (1).zip", "张三的作业.zip", "casework+W000011.zip"):  # fmt: skip
        assert intake.name_mismatch(name, made) == "", name
    assert intake.name_mismatch(f"casework+W000012+{receipt}.zip", made) == "W000012 → W000011"
    assert "→ " + receipt in intake.name_mismatch("casework+W000011+0000-0000.zip", made)
    written = manifest.receipt_of(b'{"an": "older manifest layout"}')
    assert intake.name_mismatch(f"casework+W000011+{written}.zip", made, written) == ""


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
    liar = _forge(honest, "big.ipynb", size=10)
    archive, members = safezip.open_zip(liar)
    with archive, pytest.raises(safezip.ZipProblem) as caught:
        safezip.read_member(archive, members["big.ipynb"], "big.ipynb", 2**20)
    assert caught.value.reason == "zip_bomb"


CHILD = """
import json, resource, sys, tracemalloc
from pathlib import Path
from shegong.grading import intake
from shegong.grading.config import CoursePaths, load_options
from shegong.settings import load
home, bomb, good, cap = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), int(sys.argv[4])
intake.MAX_BYTES = cap
settings = load({"home": home}, environ={}, cwd=home)
course = intake._course(CoursePaths.of(settings), load_options(environ={}))
assert intake.decide(good, course)[0].accepted  # imports and caches warmed up
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
tracemalloc.start()
decision, _ = intake.decide(bomb, course)
peak = tracemalloc.get_traced_memory()[1]
tracemalloc.stop()
grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) * 1024
print(json.dumps({"reason": decision.reason, "peak": peak, "grown": grown}))
"""


def test_a_lying_header_is_stopped_in_bounded_memory(course: Course, tmp_path: Path) -> None:
    """Does a member inflating to 8x the cap while its headers say 1000 bytes get the bomb
    rejection, with the decision's peak memory (traced and resident) under 3x the cap?"""
    cap = 8 * 2**20
    bomb = _bomb(tmp_path / "bomb.zip", "W000053", 8 * cap)
    assert bomb.stat().st_size < cap // 8
    good = _pack(course, tmp_path, "W000054")
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
    course: Course, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does a check that raises something unforeseen refuse that zip as unreadable, while
    the next zip is still decided and accepted?"""
    first, second = _pack(course, tmp_path, "W000055"), _pack(course, tmp_path, "W000056")

    def broken(item: intake._Zip, found: intake._Course) -> None:
        if item.manifest is not None and item.manifest.trainee == "W000055":
            raise KeyError("surprise")

    monkeypatch.setattr(intake, "CHECKS", (*intake.CHECKS[:2], broken, *intake.CHECKS[2:]))
    third = _pack(course, tmp_path, "W000058")
    real_accept = inbox.accept

    def full_disk(manifest: manifest.Manifest, *args: object) -> None:
        if manifest.trainee == "W000058":
            raise OSError(28, "No space left on device")
        real_accept(manifest, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(inbox, "accept", full_disk)
    zips = [first.path, second.path, third.path]
    decisions = intake.intake(zips, course.paths, course.options)
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
    course: Course,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Does ``shegong grade intake <folder>`` exit 0 with every file, its reason and the
    ignored members in the table, even with the hostile zips among the good ones?"""
    expected = _hostile(course, tmp_path / "inbox", tmp_path)
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
    course: Course, tmp_path: Path
) -> None:
    """Is a valid nbformat-3 notebook read (converted to 4) rather than called "not a
    notebook", and does autograde's staging write it as nbformat 4?"""
    v3 = tmp_path / "submitted" / "casework.ipynb"
    v3.parent.mkdir()
    cell = nbformat.v3.new_code_cell(input="answer = 42")
    sheet = nbformat.v3.new_worksheet(cells=[cell])
    v3.write_text(nbformat.v3.writes_json(nbformat.v3.new_notebook(worksheets=[sheet])), "utf-8")
    box = Box(tmp_path / "box", None)
    box.step("submitted", "W000057", ASSIGNMENT).mkdir(parents=True)
    job = worker.Job(ASSIGNMENT, "W000057", ("casework",), v3.parent, "")
    state = worker._State(job, box)
    worker.stage(state)
    assert state.staged == ["casework"] and not state.notes
    staged = nbformat.read(box.step("submitted", "W000057", ASSIGNMENT) / "casework.ipynb", 4)
    assert staged.nbformat == 4 and staged.cells[0].source == "answer = 42"


def test_pack_refuses_an_unknown_trainee_or_assignment_naming_the_valid_ones(
    course: Course, tmp_path: Path
) -> None:
    """Does packing for a mistyped trainee id or assignment stop at once, in both languages,
    naming the valid ones the workspace knows, before any zip is written?"""
    path = _notebook_bytes(course, tmp_path / "nb")
    trainees, assignments = pack.known_in_workspace(course.settings, course.options)
    assert "W000011" in trainees and ASSIGNMENT in assignments
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
    assert "roster" in str(caught.value) and "W000011" in str(caught.value)
    with pytest.raises(GradingError) as caught:
        pack.pack(
            [path],
            "W000011",
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
