"""Reading a zip a trainee sent without trusting it: decoded names, streamed and capped reads.

Intake (``shegong.grading.intake``) opens every zip through ``open_zip`` and reads each
member it needs through ``read_member``; each refusal is a ``ZipProblem`` whose ``reason``
is an intake reason (``grading.intake.<reason>``). What a hostile zip may try, and what holds:

- a central directory far larger than any submission (millions of tiny entries, so that
  merely listing them costs gigabytes): the end record is read first and a directory over
  ``MAX_DIRECTORY_BYTES``, or a ZIP64 one, is refused before ``zipfile`` parses it;
- names that are not what they seem: member names written by Chinese Windows tools in GBK
  without the UTF-8 flag (``zipfile`` shows them as cp437 mojibake) are decoded (UTF-8,
  then GBK); two entries with one name are refused (a viewer and intake would disagree on
  which one counts);
- members ``zipfile`` cannot read: the password flag and 7-Zip's AES (method 99) are refused
  as encrypted, any method but stored and deflate as unsupported, before a byte is read;
- headers that lie about sizes (a 1 MB zip inflating to gigabytes): a member is inflated in
  ``CHUNK``-byte steps (``zipfile`` bounds each step's output), and reading stops as soon as
  it passes the size its header declares, which is itself capped; so deciding a member holds
  at most its cap plus one chunk in memory, whatever the zip says;
- damaged data (bad CRC, truncated streams, broken deflate): refused as a damaged zip.
"""

from __future__ import annotations

import copy
import struct
import unicodedata
import zipfile
import zlib
from pathlib import Path

CHUNK = 64 * 1024
MAX_DIRECTORY_BYTES = 1024 * 1024  # ~20,000 entries; a submission has a handful
UTF8_FLAG = 0x800
ENCRYPTED_FLAG = 0x1
AES_METHOD = 99
METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED)
METHOD_NAMES = {9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd", 95: "xz", 98: "ppmd"}
_END = struct.Struct("<4sHHHHIIH")  # end of central directory record
_ZIP64_LOCATOR = b"PK\x06\x07"
_DAMAGED = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError, zlib.error)


class ZipProblem(Exception):
    """Why a zip (or one member) cannot be used; ``reason`` is an intake reason code."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.detail = detail


def shorten(name: str, limit: int = 80) -> str:
    """A name for a table cell: control characters replaced, at most ``limit`` characters."""
    name = "".join("\ufffd" if unicodedata.category(c).startswith("C") else c for c in name)
    return name if len(name) <= limit else name[: limit - 1] + "…"


def member_name(info: zipfile.ZipInfo) -> str:
    """The member's real name: as flagged UTF-8, else UTF-8 or GBK bytes, else cp437."""
    if info.flag_bits & UTF8_FLAG:
        return info.filename
    try:
        raw = info.orig_filename.encode("cp437")
    except UnicodeEncodeError:  # zipfile was told another encoding
        return info.filename
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding).split("\0", 1)[0]
        except UnicodeDecodeError:
            continue
    return info.filename


def _check_directory(path: Path) -> None:
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - (_END.size + 0xFFFF)))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END.size:
        raise ZipProblem("bad_zip", "no end of central directory")
    _, _, _, _, entries, directory, _, _ = _END.unpack_from(tail, at)
    zip64 = at >= 20 and tail[at - 20 : at - 16] == _ZIP64_LOCATOR
    if zip64 or entries == 0xFFFF or directory > MAX_DIRECTORY_BYTES:
        raise ZipProblem("too_many_entries", f"{entries}")


def open_zip(path: Path) -> tuple[zipfile.ZipFile, dict[str, zipfile.ZipInfo]]:
    """The open zip and its members by decoded name (directories left out)."""
    try:
        _check_directory(path)
        archive = zipfile.ZipFile(path)
    except ZipProblem:
        raise
    except (*_DAMAGED, struct.error, NotImplementedError) as exc:
        raise ZipProblem("bad_zip", f"{type(exc).__name__}: {str(exc)[:60]}") from None
    members: dict[str, zipfile.ZipInfo] = {}
    for info in archive.infolist():
        if info.is_dir():
            continue
        name = member_name(info)
        if name in members:
            archive.close()
            raise ZipProblem("bad_zip", f"two entries named {shorten(name, 60)}")
        members[name] = info
    return archive, members


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, cap: int) -> bytes:
    """The member's bytes, inflated in chunks; never more than ``cap`` plus one chunk held."""
    shown = shorten(name, 60)
    if info.compress_type == AES_METHOD:
        raise ZipProblem("encrypted", f"{shown}: AES")
    if info.flag_bits & ENCRYPTED_FLAG:
        raise ZipProblem("encrypted", shown)
    if info.compress_type not in METHODS:
        method = METHOD_NAMES.get(info.compress_type, "")
        raise ZipProblem(
            "unsupported_compression", f"{shown}: {info.compress_type} {method}".strip()
        )
    if info.file_size > cap:
        raise ZipProblem("too_large", shown)
    probe = copy.copy(info)
    probe.file_size = cap + CHUNK  # zipfile stops at the declared size; read past it to see a lie
    chunks: list[bytes] = []
    total = 0
    try:
        with archive.open(probe) as stream:
            while chunk := stream.read(CHUNK):
                total += len(chunk)
                if total > info.file_size:
                    raise ZipProblem("zip_bomb", shown)
                chunks.append(chunk)
    except _DAMAGED as exc:
        raise ZipProblem("bad_zip", f"{shown}: {str(exc)[:60]}") from None
    if total != info.file_size:
        raise ZipProblem("bad_zip", f"{shown}: {total} of {info.file_size} bytes")
    return b"".join(chunks)
