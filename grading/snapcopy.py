"""Root's copy of the snapshot files the answer kernel wrote (``shegong.grading.phases``).

Threat model: the folder and every file in it were written by trainee code running as the
answer kernel's uid, and processes of that uid may still be trying to change them. Root
must not be tricked into reading or writing anything else, or into using unbounded memory:

- the folder is opened with ``O_NOFOLLOW | O_DIRECTORY`` and files by descriptor relative to
  it (``dir_fd``), each with ``O_NOFOLLOW | O_NONBLOCK``: a symlink (to ``gradebook.db`` or
  another trainee's work) is refused, a FIFO cannot block the grader;
- only regular files with snapshot names (``<n>.json``, ``<n>.seen``, ``<n>-<k>.parquet``),
  at most ``MAX_FILES``, each capped (``snapshot.MAX_FILE_BYTES``) and all together capped
  (``MAX_TOTAL_BYTES``), read with a bound even if the file grows after ``fstat``;
- the copies are new files (``O_EXCL``) in a fresh root-owned folder, readable by the
  checker kernel, writable by nobody else;
- root parses none of it except the tiny ``.seen`` lists (capped, pattern-checked codes);
  the checker kernel parses the rest, with ``json`` and ``pyarrow`` only.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
from pathlib import Path

from shegong.grading.snapshot import MAX_FILE_BYTES

SNAP_NAME = re.compile(r"^[0-9]{1,4}(-[0-9]{1,2}\.parquet|\.json|\.seen)$")
MAX_FILES = 2000
MAX_TOTAL_BYTES = 256 * 1024 * 1024
SEEN_BYTES = 4096


def transfer(source: Path, target: Path, reader_gid: int | None = None) -> set[str]:
    """Copy the snapshot files in ``source`` (written by trainee code) into ``target``.

    Only regular files with snapshot names, never through a link (``O_NOFOLLOW`` on the
    folder and each file, read by descriptor), each and all together capped in size.
    Returns the names copied. ``target`` is created root-owned; as root with ``reader_gid``
    (the checker kernel's group) only that group may read it, so no other sandbox kernel can
    read this trainee's values; otherwise it is readable by all.
    """
    private = reader_gid is not None and os.geteuid() == 0
    target.mkdir(mode=0o750 if private else 0o755, parents=True, exist_ok=False)
    if private:
        os.chown(target, 0, reader_gid)  # type: ignore[arg-type]
    copied: set[str] = set()
    try:
        folder = os.open(source, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW)
    except OSError:
        return copied
    total = 0
    try:
        for name in sorted(os.listdir(folder))[:MAX_FILES]:
            if not SNAP_NAME.match(name):
                continue
            data = _read_capped(folder, name, MAX_TOTAL_BYTES - total)
            if data is None:
                continue
            total += len(data)
            out = os.open(
                target / name,
                os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW,
                0o640 if private else 0o644,
            )
            if private:
                os.fchown(out, 0, reader_gid)  # type: ignore[arg-type]
            with os.fdopen(out, "wb") as handle:
                handle.write(data)
            copied.add(name)
    finally:
        os.close(folder)
    return copied


def _read_capped(folder: int, name: str, budget: int) -> bytes | None:
    return read_regular(folder, name, min(MAX_FILE_BYTES, budget))


def read_regular(folder: int, name: str, cap: int) -> bytes | None:
    """The bytes of ``name`` in the folder ``folder`` (a descriptor) if it is a regular file
    of at most ``cap`` bytes; never through a link (``O_NOFOLLOW``), never a FIFO/device.
    What root reads of the sandbox's files (snapshots, autograded notebooks) goes through here."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK, dir_fd=folder)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > cap:
            return None
        data = handle.read(cap + 1)
    return data if len(data) <= cap else None


def seen_signs(folder: Path, names: set[str]) -> list[str]:
    """The interference codes the snapshot calls noted (``snapshot.interference``), each
    file read capped and every code checked against a plain pattern."""
    found: set[str] = set()
    for name in sorted(n for n in names if n.endswith(".seen")):
        raw = (folder / name).read_bytes()[:SEEN_BYTES]
        with contextlib.suppress(ValueError, UnicodeDecodeError):
            value = json.loads(raw.decode("utf-8"))
            if isinstance(value, list):
                found.update(str(v)[:40] for v in value if re.fullmatch(r"[a-z_]{1,40}", str(v)))
    return sorted(found)
