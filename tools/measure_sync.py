"""How long one draft save takes with SQLite ``synchronous=NORMAL`` and ``FULL``.

Usage: ``.venv/bin/python tools/measure_sync.py [saves] [folder]`` (default 200 saves, in a
temporary folder under the current directory, so on the real disk, not a RAM disk). Each
save changes the session's text (a real write, audited and version-bumped), like autosave.
Prints the median and 90th percentile per mode; the numbers go into the README's "power
cut" row and /work/notes/issue10-api.md.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import statistics
import sys
import tempfile
import time
from pathlib import Path

from shegong.records import RecordsStore, SessionDraft, database


def measure(mode: str, folder: Path, saves: int) -> list[float]:
    database.SYNCHRONOUS = mode
    with RecordsStore(folder / f"{mode}.db", today=lambda: dt.date(2025, 6, 15)) as store:
        store.save_person("system", "sup", "王督导", "supervisor")
        store.save_person("system", "t1", "李社工", "trainee")
        draft = SessionDraft("sup", dt.date(2025, 6, 2), "individual", 60, ("t1",))
        version = store.save_session_draft("sup", draft).version
        times = []
        for number in range(saves):
            changed = dataclasses.replace(draft, version=version, issues=f"第 {number} 次修改")
            start = time.perf_counter()
            version = store.save_session_draft("sup", changed).version
            times.append(time.perf_counter() - start)
    return times


def main() -> None:
    saves = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    base = Path(sys.argv[2]) if len(sys.argv) > 2 else Path.cwd()
    with tempfile.TemporaryDirectory(dir=base, prefix=".measure-sync-") as tmp:
        for mode in ("NORMAL", "FULL", "NORMAL", "FULL"):
            times = sorted(measure(mode, Path(tmp), saves))
            median = statistics.median(times) * 1000
            p90 = times[int(0.9 * len(times))] * 1000
            print(f"synchronous={mode:<6} saves={saves} median={median:.2f} ms p90={p90:.2f} ms")


if __name__ == "__main__":
    main()
