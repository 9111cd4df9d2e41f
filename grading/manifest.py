"""The manifest inside a submission zip, and the receipt code made from it.

``manifest.json`` names the trainee, the assignment, when it was packed (the trainee's
clock, with its UTC offset), the tool version and, for each file, its SHA-256 and size.
The *receipt code* is the first 40 bits of the SHA-256 of the canonical manifest, written as
eight Crockford base-32 characters in two groups (``7K2Q-M9XD``): short enough to photograph
or read over the phone, and it changes if any byte of any file changes. The trainee keeps
it; intake shows it; the supervisor and the trainee compare the two.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from pathlib import Path
from typing import Any

from shegong.grading.config import GradingError
from shegong.grading.model import Manifest, ManifestFile

MANIFEST_NAME = "manifest.json"
FILES_PREFIX = "files/"
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
RECEIPT_BITS = 40


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def file_entry(path: Path, name: str | None = None) -> ManifestFile:
    data = path.read_bytes()
    return ManifestFile(name=name or path.name, sha256=sha256_bytes(data), size=len(data))


def canonical(manifest: Manifest) -> bytes:
    """The manifest as canonical JSON bytes (sorted keys, no spaces, UTF-8)."""
    raw = dataclasses.asdict(manifest)
    return json.dumps(raw, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def content_sha256(manifest: Manifest) -> str:
    return sha256_bytes(canonical(manifest))


def receipt_of(data: bytes) -> str:
    """Eight Crockford base-32 characters from the hash of ``data``, as ``XXXX-XXXX``."""
    number = int(sha256_bytes(data), 16) >> (256 - RECEIPT_BITS)
    chars = "".join(CROCKFORD[(number >> shift) & 31] for shift in range(35, -1, -5))
    return f"{chars[:4]}-{chars[4:]}"


def receipt_code(manifest: Manifest) -> str:
    """The receipt of the canonical manifest (what ``pack`` shows and names the zip with)."""
    return receipt_of(canonical(manifest))


def _encodable(value: Any) -> bool:
    try:
        value.encode("utf-8")  # JSON may carry lone surrogates ("\ud800"); UTF-8 cannot
    except UnicodeEncodeError:
        return False
    return True


def _field(raw: dict[str, Any], name: str, kind: type, where: str = "") -> Any:
    value = raw.get(name)
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is not bool):
        raise GradingError("grading.error.manifest_field", field=where + name)
    if isinstance(value, str) and not _encodable(value):
        raise GradingError("grading.error.manifest_field", field=where + name)
    return value


def _optional(raw: dict[str, Any], name: str, kind: type, default: Any) -> Any:
    return _field(raw, name, kind) if name in raw else default


def parse(data: bytes) -> Manifest:
    """A manifest from its JSON bytes; GradingError naming the first bad field.

    Every field must have its type (``"seed": "abc"`` names ``seed``); JSON nested deeper than
    Python's recursion limit is refused as ``grading.error.manifest_nested``.
    """
    try:
        raw = json.loads(data.decode("utf-8"))
    except RecursionError:
        raise GradingError("grading.error.manifest_nested", field=MANIFEST_NAME) from None
    except (UnicodeDecodeError, ValueError):
        raise GradingError("grading.error.manifest_field", field=MANIFEST_NAME) from None
    if not isinstance(raw, dict):
        raise GradingError("grading.error.manifest_field", field=MANIFEST_NAME)
    files = []
    for index, item in enumerate(_field(raw, "files", list)):
        where = f"files[{index}]."
        if not isinstance(item, dict):
            raise GradingError("grading.error.manifest_field", field=f"files[{index}]")
        files.append(
            ManifestFile(
                name=_field(item, "name", str, where),
                sha256=_field(item, "sha256", str, where),
                size=_field(item, "size", int, where),
            )
        )
    return Manifest(
        trainee=_field(raw, "trainee", str),
        assignment=_field(raw, "assignment", str),
        course=_field(raw, "course", str),
        packed_at=_field(raw, "packed_at", str),
        files=tuple(files),
        lang=_optional(raw, "lang", str, "zh"),
        scale=_optional(raw, "scale", str, "county"),
        seed=_optional(raw, "seed", int, 2022),
        tool=_optional(raw, "tool", str, "shegong"),
        version=_optional(raw, "version", int, 1),
    )
