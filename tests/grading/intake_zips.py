"""Hostile zips for intake tests, built the way the outside corpus builds them: forged
headers (flags, methods, sizes), GBK member names, bombs, and one batch of every class."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import struct
import zipfile
from pathlib import Path

import nbformat.v3
from grading_support import release_nb, source_nb

from shegong.grading import manifest, pack, simulate
from shegong.grading.context import GradingContext

ASSIGNMENT = "casework"
TZ = dt.timezone(dt.timedelta(hours=8))
ON_TIME = dt.datetime(2025, 3, 1, 9, 0, tzinfo=TZ)
GBK_DISK_NAME = os.fsdecode("张三-作业".encode("gbk") + b".zip")


def v3_notebook(path: Path) -> Path:
    """A valid nbformat-3 notebook (worksheets, ``input``) at ``path``."""
    cell = nbformat.v3.new_code_cell(input="answer = 42")
    sheet = nbformat.v3.new_worksheet(cells=[cell])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.v3.writes_json(nbformat.v3.new_notebook(worksheets=[sheet])), "utf-8")
    return path


def answered_notebook(course: GradingContext, folder: Path) -> Path:
    nb = simulate.answered(release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT))
    return simulate.write_submission(nb, folder, ASSIGNMENT)


def pack_for(course: GradingContext, tmp: Path, trainee: str) -> pack.Packed:
    path = answered_notebook(course, tmp / "work" / trainee)
    return pack.pack([path], trainee, ASSIGNMENT, tmp / "packed" / trainee, packed_at=ON_TIME)


def manifest_for(trainee: str, files: dict[str, bytes], **changes: object) -> bytes:
    entries = tuple(
        manifest.ManifestFile(n, manifest.sha256_bytes(d), len(d)) for n, d in files.items()
    )
    made = manifest.Manifest(trainee, ASSIGNMENT, "shegong", ON_TIME.isoformat(), entries)
    raw = json.loads(manifest.canonical(made))
    raw.update(changes)
    return json.dumps(raw, ensure_ascii=False).encode()


def make_zip(target: Path, members: dict[str, bytes], gbk_names: bool = False) -> Path:
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


def forge(path: Path, member: str, *, flag: int = 0, method: int | None = None,
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


def lying_bomb(target: Path, trainee: str, inflated: int) -> Path:
    """A zip whose notebook inflates to ``inflated`` bytes of zeros but whose headers say 1000."""
    notebook = "files/casework.ipynb"
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("manifest.json", manifest_for(trainee, {"casework.ipynb": b"{}"}))
        with archive.open(notebook, "w") as stream:
            block = bytes(2**20)
            for _ in range(inflated // 2**20):
                stream.write(block)
    return forge(target, notebook, size=1000)


def hostile_batch(course: GradingContext, folder: Path, tmp: Path) -> dict[str, str]:
    """One zip per hostile class in ``folder``; returns file name -> expected reason."""
    folder.mkdir(parents=True)
    expected: dict[str, str] = {}

    def put(name: str, source: Path, reason: str) -> Path:
        target = folder / name
        target.write_bytes(source.read_bytes())
        expected[name] = reason
        return target

    good = pack_for(course, tmp, "w000031")
    put(good.path.name, good.path, "accepted")
    notebook = (tmp / "work" / "w000031" / "casework.ipynb").read_bytes()
    files = {"casework.ipynb": notebook}

    def members(trainee: str, **changes: object) -> dict[str, bytes]:
        return {"manifest.json": manifest_for(trainee, files, **changes),
                "files/casework.ipynb": notebook}  # fmt: skip

    aes = forge(make_zip(tmp / "aes.zip", members("w000032")), "files/casework.ipynb", method=99)
    put("aes.zip", aes, "encrypted")
    locked = forge(make_zip(tmp / "pw.zip", members("w000033")), "files/casework.ipynb", flag=1)
    put("password.zip", locked, "encrypted")
    bz = tmp / "bzip2.zip"
    with zipfile.ZipFile(bz, "w", compression=zipfile.ZIP_BZIP2) as archive:
        for name, data in members("w000034").items():
            archive.writestr(name, data)
    put("bzip2.zip", bz, "unsupported_compression")
    put("seed.zip", make_zip(tmp / "seed.zip", members("w000035", seed="abc")), "manifest_field")
    lone = members("w000050")
    lone["manifest.json"] = lone["manifest.json"].replace(b'"w000050"', b'"\\ud800"')
    put("surrogate.zip", make_zip(tmp / "surrogate.zip", lone), "manifest_field")
    deep = b"[" * 200_000 + b"]" * 200_000
    put("deep-manifest.zip", make_zip(tmp / "dm.zip", {"manifest.json": deep}), "too_deep")
    deep_files = {"casework.ipynb": deep}
    deep_nb = {"manifest.json": manifest_for("w000036", deep_files), "files/casework.ipynb": deep}
    put("deep-notebook.zip", make_zip(tmp / "dn.zip", deep_nb), "too_deep")
    long_name = "a" * 270 + ".ipynb"  # 276 bytes: too long for any file system
    long_files = {long_name: notebook}
    long_zip = {
        "manifest.json": manifest_for("w000037", long_files),
        f"files/{long_name}": notebook,
    }
    put("long-name.zip", make_zip(tmp / "ln.zip", long_zip), "long_name")
    put("bomb.zip", lying_bomb(tmp / "bomb.zip", "w000038", 64 * 2**20), "zip_bomb")
    chinese = {"作业.ipynb": notebook}
    gbk = {"manifest.json": manifest_for("w000039", chinese), "files/作业.ipynb": notebook}
    put("gbk-members.zip", make_zip(tmp / "gbk.zip", gbk, gbk_names=True), "accepted")
    evil = members("w000040") | {"../../evil.py": b"import os", "/etc/passwd": b"x"}
    put("extras.zip", make_zip(tmp / "extras.zip", evil), "accepted")
    other = pack_for(course, tmp, "w000041")
    edited = json.loads(manifest.canonical(other.manifest))
    edited["trainee"] = "w000042"
    swapped = {"manifest.json": json.dumps(edited).encode(), "files/casework.ipynb": notebook}
    put(other.path.name, make_zip(tmp / "swap.zip", swapped), "identity_mismatch")
    put("submission (1).zip", pack_for(course, tmp, "w000043").path, "accepted")
    renamed = pack_for(course, tmp, "w000044")
    put(renamed.path.name.replace(".zip", " (1).zip"), renamed.path, "accepted")
    put(GBK_DISK_NAME, pack_for(course, tmp, "w000045").path, "accepted")
    put("SHOUTING.ZIP", pack_for(course, tmp, "w000049").path, "accepted")  # a Windows tool
    v3 = v3_notebook(tmp / "v3" / "casework.ipynb")
    old = pack.pack([v3], "w000046", ASSIGNMENT, tmp / "packed-v3", packed_at=ON_TIME)
    put("nbformat3.zip", old.path, "accepted")
    (folder / "not-a-zip.zip").write_bytes(b"PK\x03\x04 this is not a zip")
    expected["not-a-zip.zip"] = "bad_zip"
    return expected
