"""Offline submissions: does a trainee's zip carry a manifest and a receipt, and does intake
accept good zips and refuse the rest, one reason per file?"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from grading_support import handout, release_nb, source_nb, submitted

from shegong.grading import intake, manifest, pack, simulate, status, store
from shegong.grading.config import GradingError
from shegong.grading.context import GradingContext
from shegong.grading.model import Status
from shegong.grading.release import set_due

ASSIGNMENT = "casework"
TZ = dt.timezone(dt.timedelta(hours=8))
ON_TIME = dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ)


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    course = clone("offline")
    set_due(course, ASSIGNMENT, dt.datetime(2025, 3, 31, 23, 59, tzinfo=TZ))
    return course


def _notebook(course: GradingContext, folder: Path, solved: bool = True) -> Path:
    release = release_nb(course, ASSIGNMENT)
    nb = simulate.answered(release, source_nb(course, ASSIGNMENT)) if solved else release
    return simulate.write_submission(nb, folder, ASSIGNMENT)


def _pack(
    course: GradingContext, tmp: Path, trainee: str, when: dt.datetime = ON_TIME
) -> pack.Packed:
    path = _notebook(course, tmp / trainee)
    return pack.pack([path], trainee, ASSIGNMENT, tmp / "out", packed_at=when)


def _decide(course: GradingContext, *zips: Path) -> list[tuple[str, bool, str]]:
    decisions = intake.intake(list(zips), course)
    return [(d.file, d.accepted, d.reason) for d in decisions]


def test_pack_writes_a_manifest_and_a_short_receipt(course: GradingContext, tmp_path: Path) -> None:
    """Does the zip hold manifest.json and files/, and is the receipt the manifest's hash?"""
    packed = _pack(course, tmp_path, "w000011")
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}", packed.receipt)
    with zipfile.ZipFile(packed.path) as archive:
        assert sorted(archive.namelist()) == ["files/casework.ipynb", "manifest.json"]
        parsed = manifest.parse(archive.read("manifest.json"))
    assert parsed == packed.manifest and manifest.receipt_code(parsed) == packed.receipt
    assert parsed.files[0].sha256 == manifest.sha256_bytes(
        (tmp_path / "w000011" / "casework.ipynb").read_bytes()
    )
    assert packed.path.name == f"casework+w000011+{packed.receipt}.zip"


def test_pack_refuses_a_broken_notebook_before_the_trainee_travels(tmp_path: Path) -> None:
    """Does packing a damaged notebook fail at the station, saying why, in both languages?"""
    broken = tmp_path / "casework.ipynb"
    broken.write_text('{"cells": [', encoding="utf-8")
    with pytest.raises(GradingError) as caught:
        pack.pack([broken], "w000011", ASSIGNMENT, tmp_path)
    assert "已损坏" in str(caught.value) and "damaged" in str(caught.value)


def test_a_good_zip_lands_in_nbgraders_submitted_layout(
    course: GradingContext, tmp_path: Path
) -> None:
    """Is an accepted zip unpacked to submitted/<trainee>/<assignment>/ with its timestamp?"""
    packed = _pack(course, tmp_path, "w000012")
    assert _decide(course, packed.path) == [(packed.path.name, True, "accepted")]
    folder = submitted(course, "w000012", ASSIGNMENT)
    assert (folder / "casework.ipynb").read_bytes() == (
        tmp_path / "w000012" / "casework.ipynb"
    ).read_bytes()
    assert (folder / "timestamp.txt").read_text(
        encoding="utf-8"
    ) == "2025-03-01 01:00:00.000000 UTC"
    assert (course.paths.inbox / "accepted" / packed.path.name).exists()


def _tampered(packed: pack.Packed, tmp: Path) -> Path:
    target = tmp / f"tampered-{packed.path.name}"
    with zipfile.ZipFile(packed.path) as src, zipfile.ZipFile(target, "w") as dst:
        dst.writestr("manifest.json", src.read("manifest.json"))
        body = src.read("files/casework.ipynb").replace(b'"low"', b'"LOW"', 1)
        dst.writestr("files/casework.ipynb", body + b" ")
    return target


def _stand_in(name: str) -> str:
    return "".join(c if c.isascii() else "~" * len(c.encode("gbk")) for c in name)


def _gbk_names(target: Path, names: list[str]) -> None:
    """Rewrite members written under ``_stand_in`` names with the names' GBK bytes and no
    UTF-8 flag, as a Chinese Windows zip tool writes them (zipfile itself writes UTF-8)."""
    data = target.read_bytes()
    for name in names:
        data = data.replace(_stand_in(name).encode(), name.encode("gbk"))
    target.write_bytes(data)


def _hand_made(tmp: Path, name: str, members: dict[str, bytes], raw_names: bool = False) -> Path:
    target = tmp / name
    with zipfile.ZipFile(target, "w") as archive:
        for member, data in members.items():
            archive.writestr(_stand_in(member) if raw_names else member, data)
    if raw_names:
        _gbk_names(target, list(members))
    return target


def test_every_bad_zip_gets_its_own_reason(course: GradingContext, tmp_path: Path) -> None:
    """Corrupt, tampered, duplicate, unknown trainee, late, older, unmanifested, wrong
    course, unsafe names: is each refused with its reason, and the good one accepted?"""
    good = _pack(course, tmp_path, "w000013")
    duplicate_copy = tmp_path / f"copy-{good.path.name}"
    duplicate_copy.write_bytes(good.path.read_bytes())
    unknown = _pack(course, tmp_path, "w999999")
    late = _pack(course, tmp_path / "late", "w000014", dt.datetime(2025, 4, 2, 9, 0, tzinfo=TZ))
    newer = _pack(course, tmp_path / "newer", "w000015", dt.datetime(2025, 3, 5, 9, 0, tzinfo=TZ))
    older = _pack(course, tmp_path / "older", "w000015", dt.datetime(2025, 3, 2, 9, 0, tzinfo=TZ))
    corrupt = tmp_path / "broken.zip"
    corrupt.write_bytes(good.path.read_bytes()[: len(good.path.read_bytes()) // 2])
    other_course = json.loads(manifest.canonical(good.manifest))
    other_course["course"] = "another"
    notebook = (tmp_path / "w000013" / "casework.ipynb").read_bytes()
    wrong_course = _hand_made(
        tmp_path,
        "wrong-course.zip",
        {
            "manifest.json": json.dumps(other_course).encode(),
            "files/casework.ipynb": notebook,
        },
    )
    unsafe_manifest = json.loads(manifest.canonical(good.manifest))
    unsafe_manifest["files"][0]["name"] = "../../evil.ipynb"
    unsafe = _hand_made(
        tmp_path, "unsafe.zip", {"manifest.json": json.dumps(unsafe_manifest).encode()}
    )
    gbk = _hand_made(tmp_path, "gbk-names.zip", {"作业二.ipynb": notebook}, raw_names=True)
    decisions = {
        file: (accepted, reason)
        for file, accepted, reason in _decide(
            course,
            good.path,
            duplicate_copy,
            unknown.path,
            late.path,
            newer.path,
            corrupt,
            _tampered(good, tmp_path),
            wrong_course,
            unsafe,
            gbk,
        )
    }
    assert decisions[good.path.name] == (True, "accepted")
    assert decisions[duplicate_copy.name] == (False, "duplicate")
    assert decisions[unknown.path.name] == (False, "unknown_trainee")
    assert decisions[late.path.name] == (False, "late")
    assert decisions[newer.path.name] == (True, "accepted")
    assert decisions["broken.zip"] == (False, "bad_zip")
    assert decisions[f"tampered-{good.path.name}"] == (False, "checksum")
    assert decisions["wrong-course.zip"] == (False, "wrong_course")
    assert decisions["unsafe.zip"] == (False, "unsafe_name")
    assert decisions["gbk-names.zip"] == (False, "no_manifest")
    assert _decide(course, older.path) == [(older.path.name, False, "older")]
    assert not (course.paths.step("submitted") / "w999999").exists()


def test_undeclared_entries_are_listed_not_extracted(
    course: GradingContext, tmp_path: Path
) -> None:
    """Does a zip with an extra entry under a GBK name get accepted without it, the entry
    listed by its decoded name?"""
    packed = _pack(course, tmp_path, "w000016")
    with zipfile.ZipFile(packed.path, "a") as archive:
        archive.writestr(_stand_in("备注.txt"), b"notes")
    _gbk_names(packed.path, ["备注.txt"])
    decisions = intake.intake([packed.path], course)
    assert decisions[0].accepted and decisions[0].ignored == ("备注.txt",)
    assert sorted(p.name for p in submitted(course, "w000016", ASSIGNMENT).iterdir()) == [
        "casework.ipynb",
        "timestamp.txt",
    ]


def test_every_decision_is_kept_and_rejections_are_explained(
    course: GradingContext, tmp_path: Path
) -> None:
    """Are decisions logged in grading.db, and does a refused trainee show as rejected?"""
    late = _pack(course, tmp_path, "w000017", dt.datetime(2025, 4, 9, tzinfo=TZ))
    intake.intake([late.path], course)
    with store.connect(course.paths.grading_db) as db:
        rows = db.execute(store.receipts.select()).mappings().all()
    assert any(r["receipt"] == late.receipt and r["reason"] == "late" for r in rows)
    found = [r for r in status.rows(course.paths, ASSIGNMENT) if r.student == "w000017"]
    assert found[0].status is Status.REJECTED
    assert "超过截止时间" in status.explain_note(found[0].notes[0], "zh")
    assert "late" in status.explain_note(found[0].notes[0], "en")


def test_a_submission_in_english_is_packed_as_such(course: GradingContext, tmp_path: Path) -> None:
    """Does the manifest record the language of the edition the trainee worked in?"""
    english = nbformat.read(handout(course, "en", ASSIGNMENT), as_version=4)
    path = simulate.write_submission(english, tmp_path / "en", ASSIGNMENT)
    assert pack.pack([path], "w000018", ASSIGNMENT, tmp_path).manifest.lang == "en"
