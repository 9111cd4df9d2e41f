"""Reading rubric YAML: typed access to parsed nodes that fails with the file and node path.

``RubricError`` names the file and the path of the bad node, written the way a person would
point at it in the file: ``dimensions[1].indicators[0].levels.4.zh``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, ClassVar, NoReturn

import yaml

from shegong.errors import Labels, ShegongError

from .model import Bilingual

IDENT = re.compile(r"[a-z][a-z0-9_]{0,63}")
HAN = re.compile(r"[\u3400-\u9fff]")
TOLERANCE = 1e-6


class EvaluationError(ShegongError):
    """Base of evaluation errors; a ``kind`` of value is shown in the reader's language."""

    labels: ClassVar[Labels] = {"kind": ("evaluation.kind.",)}


class RubricError(EvaluationError):
    """A rubric file that cannot be used, naming the file and the path of the bad node."""


def at(path: str, key: object) -> str:
    """The path of ``key`` inside the mapping at ``path``."""
    return f"{path}.{key}" if path else str(key)


def index(path: str, i: int) -> str:
    """The path of item ``i`` of the list at ``path``."""
    return f"{path}[{i}]"


class Reader:
    """Checks nodes of one parsed file; every failure names the file and the node's path."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, msg_id: str, path: str, **values: Any) -> NoReturn:
        raise RubricError(msg_id, file=self.file, path=path or "/", **values)

    def mapping(
        self, value: Any, path: str, required: Sequence[str], optional: Sequence[str] = ()
    ) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail("error.evaluation_rubric_type", path, kind="mapping")
        known = [*required, *optional]
        for key in value:
            if key not in known:
                self.fail(
                    "error.evaluation_rubric_unknown",
                    at(path, key),
                    key=key,
                    choices=", ".join(known),
                )
        for key in required:
            if key not in value:
                self.fail("error.evaluation_rubric_missing", path, key=key)
        return value

    def dictionary(self, value: Any, path: str) -> dict[Any, Any]:
        """A non-empty mapping with keys of the file's choosing (ids of tags, groups)."""
        if not isinstance(value, dict):
            self.fail("error.evaluation_rubric_type", path, kind="mapping")
        if not value:
            self.fail("error.evaluation_rubric_empty", path)
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail("error.evaluation_rubric_type", path, kind="list")
        if not value:
            self.fail("error.evaluation_rubric_empty", path)
        return value

    def string(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail("error.evaluation_rubric_type", path, kind="string")
        return value.strip()

    def ident(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not IDENT.fullmatch(value):
            self.fail("error.evaluation_rubric_id", path, value=value)
        return value

    def bilingual(self, value: Any, path: str) -> Bilingual:
        entry = self.mapping(value, path, ("zh", "en"))
        zh = self.string(entry["zh"], at(path, "zh"))
        en = self.string(entry["en"], at(path, "en"))
        if not HAN.search(zh):
            self.fail("error.evaluation_rubric_zh", at(path, "zh"))
        if HAN.search(en):
            self.fail("error.evaluation_rubric_en", at(path, "en"))
        return Bilingual(zh, en)

    def number(self, value: Any, path: str, low: float, high: float) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float) or math.isnan(value):
            self.fail("error.evaluation_rubric_type", path, kind="number")
        if not low <= value <= high:
            self.fail("error.evaluation_rubric_range", path, value=value, low=low, high=high)
        return float(value)

    def integer(self, value: Any, path: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail("error.evaluation_rubric_type", path, kind="integer")
        if not low <= value <= high:
            self.fail("error.evaluation_rubric_range", path, value=value, low=low, high=high)
        return value

    def boolean(self, value: Any, path: str) -> bool:
        if not isinstance(value, bool):
            self.fail("error.evaluation_rubric_type", path, kind="boolean")
        return value

    def unique(self, ids: Iterable[tuple[str, str]]) -> None:
        """Each (id, path) once; the second use of an id is the error."""
        seen: set[str] = set()
        for ident, path in ids:
            if ident in seen:
                self.fail("error.evaluation_rubric_duplicate", path, value=ident)
            seen.add(ident)

    def total(self, values: Iterable[float], expected: float, path: str) -> None:
        total = sum(values)
        if abs(total - expected) > TOLERANCE:
            self.fail(
                "error.evaluation_rubric_sum",
                path,
                total=f"{total:g}",
                expected=f"{expected:g}",
            )

    def levels(self, value: Any, path: str, expected: Sequence[int]) -> dict[int, Any]:
        """A mapping keyed by exactly the level numbers ``expected`` (YAML integers)."""
        if not isinstance(value, dict):
            self.fail("error.evaluation_rubric_type", path, kind="mapping")
        keys = list(value)
        numeric = all(isinstance(k, int) and not isinstance(k, bool) for k in keys)
        if not numeric or sorted(keys) != sorted(expected):
            self.fail(
                "error.evaluation_rubric_levels",
                path,
                levels=", ".join(map(str, keys)),
                expected=", ".join(map(str, sorted(expected))),
            )
        return value


def read_yaml(path: Path) -> tuple[Reader, Any]:
    """The parsed file and a reader that names it in errors."""
    reader = Reader(str(path))
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reader.fail("error.evaluation_rubric_read", "", detail=type(error).__name__)
    try:
        return reader, yaml.safe_load(raw)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else "?"
        problem = getattr(error, "problem", None) or type(error).__name__
        reader.fail("error.evaluation_rubric_yaml", "", line=line, detail=problem)
