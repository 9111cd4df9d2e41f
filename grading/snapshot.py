"""The answer's values, saved by the answer kernel and loaded by the checker kernel.

Grading runs in two kernels (``shegong.grading.phases``). The *answer kernel* runs the
trainee's notebook with every test cell replaced by one call to ``save``; the *checker
kernel* (another uid, a fresh process that never ran trainee code) calls ``load`` and then
runs the original test cell. This module is the only thing passed between them.

Threat model: everything in a snapshot folder was written by, or could have been replaced
by, trainee code. So:

- only safe formats: JSON for ``None``/``bool``/``int``/``float``/``str`` and lists, tuples,
  sets and dicts of them (numpy scalars converted), Parquet (pyarrow) for ``DataFrame``,
  ``Series`` and ``ndarray``, and a plain description of a matplotlib ``Figure``
  (``snapshot_figure``: titles, labels, ticks, limits, bars, wedges, lines, points, texts,
  legend) that ``load`` redraws; never pickle, never code;
- anything else (or too big, too deep) is saved as a *placeholder*: in the checker it is an
  ``Unsupported`` object named after the original type, so a check says "fig should be a
  Figure, but is Axes" instead of running trainee objects;
- caps on depth, items, string and frame sizes when saving, and on file sizes when loading
  (the root-side copy in ``phases.transfer`` caps and refuses links too);
- each snapshot carries the per-run nonce of its cell; ``load`` refuses a snapshot with the
  wrong nonce or cell, or one it cannot parse (``SnapshotError``: the cell scores 0 and the
  submission is flagged), and file names it opens must match ``<n>-<k>.parquet``.

``save`` also notes obvious interference it can see in the answer kernel (input
transformers, AST transformers, ``pre_run_cell`` hooks, a replaced ``shegong.grading.checks``)
for the supervisor; scores never rest on it. Importing this module is cheap (no pandas).
"""

from __future__ import annotations

import json
import math
import re
import sys
import warnings
from pathlib import Path
from typing import Any

from shegong.grading import snapshot_figure

VERSION = 1
MAX_DEPTH = 12
MAX_ITEMS = 200_000
MAX_STR = 1_000_000
MAX_FRAMES = 8
MAX_FRAME_BYTES = 32 * 1024 * 1024
MAX_JSON_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 48 * 1024 * 1024
FRAME_NAME = re.compile(r"^[0-9]{1,4}-[0-9]{1,2}\.parquet$")
OWN_MODULES = ("IPython", "ipykernel", "matplotlib", "matplotlib_inline", "comm", "ipywidgets")


class SnapshotError(Exception):
    """A snapshot that is missing, unreadable, too large or not from this run's cell."""


class Unsupported:
    """Stands in for a value that could not be saved safely (its type name is kept)."""

    def __init__(self, type_name: str, why: str) -> None:
        self.type_name = type_name
        self.why = why

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def _placeholder_class(type_name: str) -> type:
    clean = re.sub(r"\W", "_", type_name)[:60] or "object"
    if clean[0].isdigit():
        clean = f"_{clean}"
    return type(clean, (Unsupported,), {})


# --- saving (in the answer kernel) ---------------------------------------------------------


class _Encoder:
    def __init__(self, folder: Path, index: int) -> None:
        self.folder = folder
        self.index = index
        self.items = 0
        self.frames = 0

    def unsupported(self, value: Any, why: str) -> dict[str, str]:
        return {"unsupported": type(value).__name__[:60], "why": why}

    def encode(self, value: Any, depth: int = 0) -> Any:
        self.items += 1
        if self.items > MAX_ITEMS:
            return self.unsupported(value, "too_large")
        if depth > MAX_DEPTH:
            return self.unsupported(value, "too_deep")
        if value is None or type(value) in (bool, int):
            return value
        if type(value) is float:
            return value if math.isfinite(value) else {"float": repr(value)}
        if type(value) is str:
            return value if len(value) <= MAX_STR else self.unsupported(value, "too_large")
        if type(value) in (list, tuple, set, frozenset):
            items = sorted(value, key=repr) if isinstance(value, (set, frozenset)) else value
            tag = "list" if type(value) is list else "tuple" if type(value) is tuple else "set"
            if len(items) > MAX_ITEMS:
                return self.unsupported(value, "too_large")
            return {tag: [self.encode(v, depth + 1) for v in items]}
        if type(value) is dict:
            if len(value) > MAX_ITEMS:
                return self.unsupported(value, "too_large")
            pairs = [
                [self.encode(k, depth + 1), self.encode(v, depth + 1)] for k, v in value.items()
            ]
            return {"dict": pairs}
        return self.special(value, depth)

    def special(self, value: Any, depth: int) -> Any:
        numpy = sys.modules.get("numpy")
        pandas = sys.modules.get("pandas")
        figure = sys.modules.get("matplotlib.figure")
        if numpy is not None and isinstance(value, numpy.generic):
            item = value.item()
            if isinstance(item, numpy.generic):
                return self.unsupported(value, "type")
            return self.encode(item, depth)
        if pandas is not None and isinstance(value, (pandas.DataFrame, pandas.Series)):
            return self.frame(value, pandas)
        if numpy is not None and isinstance(value, numpy.ndarray):
            return self.array(value, numpy)
        if figure is not None and isinstance(value, figure.Figure):
            return {"figure": snapshot_figure.describe(value)}
        return self.unsupported(value, "type")

    def _file(self) -> tuple[str, Path] | None:
        if self.frames >= MAX_FRAMES:
            return None
        self.frames += 1
        name = f"{self.index}-{self.frames}.parquet"
        return name, self.folder / name

    def frame(self, value: Any, pandas: Any) -> Any:
        import pyarrow as pa
        import pyarrow.parquet as pq

        usage = value.memory_usage(deep=True)  # a Series for a DataFrame, an int for a Series
        if int(usage.sum() if hasattr(usage, "sum") else usage) > MAX_FRAME_BYTES:
            return self.unsupported(value, "too_large")
        spot = self._file()
        if spot is None:
            return self.unsupported(value, "too_large")
        kind = "DataFrame" if isinstance(value, pandas.DataFrame) else "Series"
        meta: dict[str, Any] = {"frame": spot[0], "kind": kind}
        frame = value
        if kind == "Series":
            meta["name"] = self.encode(value.name) if isinstance(value.name, (str, int)) else None
            frame = value.to_frame(name="value")
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                pq.write_table(pa.Table.from_pandas(frame, preserve_index=True), spot[1])
        except Exception:  # object columns pyarrow cannot store
            return self.unsupported(value, "type")
        return meta

    def array(self, value: Any, numpy: Any) -> Any:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if value.ndim == 0:
            return self.encode(value.item())
        if value.dtype.kind not in "biufUb" or value.nbytes > MAX_FRAME_BYTES:
            return self.unsupported(
                value, "type" if value.dtype.kind not in "biufUb" else "too_large"
            )
        spot = self._file()
        if spot is None:
            return self.unsupported(value, "too_large")
        pq.write_table(pa.table({"value": numpy.ascontiguousarray(value).reshape(-1)}), spot[1])
        return {"frame": spot[0], "kind": "ndarray", "shape": list(value.shape)}


def interference() -> list[str]:
    """Signs that trainee code hooked into how later cells run or how checks work."""
    found: list[str] = []
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    if shell is not None:
        from IPython.core.inputtransformer2 import TransformerManager

        fresh = TransformerManager()
        manager = shell.input_transformer_manager
        if (
            shell.input_transformers_post
            or len(manager.cleanup_transforms) != len(fresh.cleanup_transforms)
            or len(manager.line_transforms) != len(fresh.line_transforms)
            or len(manager.token_transformers) != len(fresh.token_transformers)
        ):
            found.append("input_transformer")
        if shell.ast_transformers:
            found.append("ast_transformer")
        for event in ("pre_run_cell", "pre_execute", "post_run_cell", "post_execute"):
            for callback in shell.events.callbacks.get(event, []):
                module = str(getattr(callback, "__module__", "") or "")
                if not module.startswith(OWN_MODULES):
                    found.append(f"{event}_hook")
                    break
    checks = sys.modules.get("shegong.grading.checks")
    if checks is not None:
        own = str(getattr(checks, "__file__", "") or "")
        for name in ("expect", "expect_close", "expect_defined", "expect_choice"):
            code = getattr(getattr(checks, name, None), "__code__", None)
            if code is None or code.co_filename != own:
                found.append("checks_replaced")
                break
    return found


def save(index: int, names: list[str], nonce: str, folder: str) -> None:
    """Save the caller's values of ``names`` for test cell ``index`` (answer kernel)."""
    namespace = sys._getframe(1).f_globals
    target = Path(folder)
    target.mkdir(mode=0o700, exist_ok=True)
    encoder = _Encoder(target, index)
    values = {}
    for name in names:
        if name in namespace:
            try:
                values[name] = encoder.encode(namespace[name])
            except Exception:  # a hostile object must not stop the snapshot
                values[name] = encoder.unsupported(namespace[name], "type")
    record = {"version": VERSION, "index": index, "nonce": nonce, "values": values}
    (target / f"{index}.seen").write_text(json.dumps(interference()), encoding="utf-8")
    text = json.dumps(record, ensure_ascii=False, allow_nan=False)
    if len(text) > MAX_JSON_BYTES:
        too_big = {n: {"unsupported": "object", "why": "too_large"} for n in values}
        text = json.dumps({**record, "values": too_big}, ensure_ascii=False)
    (target / f"{index}.json").write_text(text, encoding="utf-8")


# --- loading (in the checker kernel) -------------------------------------------------------


def _read(path: Path) -> bytes:
    with open(path, "rb") as handle:
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SnapshotError(f"{path.name}: too large")
    return data


class _Decoder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def decode(self, value: Any, depth: int = 0) -> Any:
        if depth > MAX_DEPTH + 2:
            raise SnapshotError("too deep")
        if value is None or type(value) in (bool, int, float, str):
            return value
        if type(value) is not dict or len(value) not in (1, 2, 3):
            raise SnapshotError("unknown value")
        if "list" in value:
            return [self.decode(v, depth + 1) for v in value["list"]]
        if "tuple" in value:
            return tuple(self.decode(v, depth + 1) for v in value["tuple"])
        if "set" in value:
            return {self.decode(v, depth + 1) for v in value["set"]}
        if "dict" in value:
            return {self.decode(k, depth + 1): self.decode(v, depth + 1) for k, v in value["dict"]}
        if "float" in value:
            return float({"nan": "nan", "inf": "inf", "-inf": "-inf"}[str(value["float"])])
        if "unsupported" in value:
            return _placeholder_class(str(value["unsupported"]))(
                str(value["unsupported"]), str(value.get("why", "type"))
            )
        if "frame" in value:
            return self.frame(value)
        if "figure" in value:
            return snapshot_figure.draw(value["figure"])
        raise SnapshotError("unknown value")

    def frame(self, value: dict[str, Any]) -> Any:
        import io

        import pyarrow.parquet as pq

        name = str(value["frame"])
        if not FRAME_NAME.match(name):
            raise SnapshotError("bad file name")
        table = pq.read_table(io.BytesIO(_read(self.folder / name)))
        if value.get("kind") == "ndarray":
            shape = tuple(int(n) for n in value["shape"])
            return table.column("value").to_numpy(zero_copy_only=False).reshape(shape)
        frame = table.to_pandas()
        if value.get("kind") == "Series":
            series = frame["value"]
            series.name = self.decode(value.get("name"))
            return series
        return frame


def load(index: int, names: list[str], nonce: str, folder: str) -> None:
    """Put the saved values of test cell ``index`` into the caller's namespace (checker).

    Names the answer did not define are removed, so ``expect_defined`` says so.
    Raises ``SnapshotError`` for a snapshot that is missing, unreadable or not this cell's.
    """
    namespace = sys._getframe(1).f_globals
    root = Path(folder)
    try:
        record = json.loads(_read(root / f"{index}.json").decode("utf-8"))
    except (OSError, ValueError, RecursionError) as exc:
        raise SnapshotError(type(exc).__name__) from None
    if not isinstance(record, dict) or record.get("nonce") != nonce:
        raise SnapshotError("nonce")
    if record.get("index") != index or not isinstance(record.get("values"), dict):
        raise SnapshotError("cell")
    decoder = _Decoder(root)
    try:
        values = {n: decoder.decode(v) for n, v in record["values"].items() if n in names}
    except SnapshotError:
        raise
    except Exception as exc:  # pyarrow and numpy raise many kinds
        raise SnapshotError(type(exc).__name__) from None
    for name in names:
        namespace.pop(name, None)
    namespace.update(values)
