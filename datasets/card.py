"""The data card: every table and column documented in Chinese and English (``card.yml``).

The card is the one source for column types, ranges, codes and links; the schema checks and
the Markdown/JSON cards written next to the data are both made from it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict

from shegong.errors import DataError, Labels
from shegong.messages import bilingual
from shegong.validation import KIND_LABELS, Problem, parse_yaml, validate

TYPES = ("str", "int", "float", "bool", "date")
CARD_FILE = "datasets/card.yml"


@dataclass(frozen=True)
class ColumnCard:
    """One documented column."""

    name: str
    type: str
    zh: str
    en: str
    nullable: bool = False
    unique: bool = False
    min: float | None = None
    max: float | None = None
    unit: str = ""
    ref: str | None = None
    multi: bool = False
    choices: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class TableCard:
    """One documented table."""

    name: str
    zh: str
    en: str
    grain_zh: str
    grain_en: str
    key: tuple[str, ...]
    about_zh: str
    about_en: str
    columns: tuple[ColumnCard, ...]

    def column(self, name: str) -> ColumnCard:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]


@dataclass(frozen=True)
class Card:
    """The whole data card."""

    tables: dict[str, TableCard]
    calibration: tuple[dict[str, str], ...]
    assumptions: tuple[dict[str, str], ...]


class CardError(DataError):
    """A data card that cannot be used, naming the file and the path of the bad node."""

    labels: ClassVar[Labels] = {"kind": KIND_LABELS}


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnSpec(_Node):
    """A column as written in ``card.yml`` (its name is its key)."""

    type: Literal["str", "int", "float", "bool", "date"]
    zh: str
    en: str
    nullable: bool = False
    unique: bool = False
    min: float | None = None
    max: float | None = None
    unit: str = ""
    ref: str | None = None
    multi: bool = False
    choices: dict[str, str] = {}


class TableSpec(_Node):
    """A table as written in ``card.yml`` (its name is its key)."""

    zh: str
    en: str
    grain_zh: str
    grain_en: str
    key: str | list[str]
    about_zh: str = ""
    about_en: str = ""
    columns: dict[str, ColumnSpec]


class Calibration(_Node):
    """A figure of the source article and how the simulation meets it."""

    figure: str
    zh: str
    en: str
    how_zh: str
    how_en: str


class Assumption(_Node):
    """A simulation assumption, in Chinese and English."""

    zh: str
    en: str


class CardFile(_Node):
    """The layout of ``card.yml``."""

    tables: dict[str, TableSpec]
    calibration: list[Calibration] = []
    assumptions: list[Assumption] = []


def _table(name: str, spec: TableSpec) -> TableCard:
    return TableCard(
        name=name,
        zh=spec.zh,
        en=spec.en,
        grain_zh=spec.grain_zh,
        grain_en=spec.grain_en,
        key=tuple(spec.key) if isinstance(spec.key, list) else (spec.key,),
        about_zh=spec.about_zh,
        about_en=spec.about_en,
        columns=tuple(ColumnCard(name=column, **dict(c)) for column, c in spec.columns.items()),
    )


def parse_card(source: str, file: str = CARD_FILE) -> Card:
    """A data card from YAML text; ``DataError`` naming ``file`` and the bad node."""

    def make(problem: Problem) -> CardError:
        return CardError(
            f"error.data_card_{problem.code}", file=file, path=problem.path or "/", **problem.values
        )

    raw = validate(CardFile, parse_yaml(source, make), make)
    return Card(
        tables={name: _table(name, spec) for name, spec in raw.tables.items()},
        calibration=tuple(dict(e) for e in raw.calibration),
        assumptions=tuple(dict(a) for a in raw.assumptions),
    )


@cache
def card() -> Card:
    """The data card, read once from the package."""
    text = resources.files("shegong.datasets").joinpath("card.yml").read_text(encoding="utf-8")
    return parse_card(text)


def _range(column: ColumnCard) -> str:
    if column.min is None and column.max is None:
        return ""
    low = "" if column.min is None else f"{column.min:g}"
    high = "" if column.max is None else f"{column.max:g}"
    return f"{low}–{high}"


def render_markdown(meta: Mapping[str, object], counts: dict[str, int]) -> str:
    """The card as Markdown (Chinese first, then English), with this build's row counts."""
    c = card()
    lines = [
        "# 仿真站点数据卡 / Simulated station data card",
        "",
        "> 全部为模拟数据：县以下地名、人名、机构名均为虚构。",
        "> All records are simulated: names of people, agencies and places below county "
        "level are invented.",
        "",
        f"- 规模 scale: `{meta['scale']}` · 种子 seed: `{meta['seed']}` · "
        f"缺陷注入 messy: `{meta['messy']}`",
        f"- 生成器版本 generator: shegong {meta['version']}",
        "",
        "## 校准 / Calibration",
        "",
        "| 指标 figure | 中文 | English |",
        "| --- | --- | --- |",
    ]
    lines += [f"| `{e['figure']}` | {e['how_zh']} | {e['how_en']} |" for e in c.calibration]
    if meta.get("messy"):
        lines += [
            "",
            "## 缺陷版本 / The messy version",
            "",
            bilingual("data.messy_card", sep="\n\n"),
        ]
    lines += ["", "## 模拟假设 / Assumptions", ""]
    lines += [f"- {a['zh']} / {a['en']}" for a in c.assumptions]
    for table in c.tables.values():
        lines += [
            "",
            f"## `{table.name}`: {table.zh} / {table.en}",
            "",
            f"{table.grain_zh}（{counts.get(table.name, 0):,} 行）/ {table.grain_en} "
            f"({counts.get(table.name, 0):,} rows). 主键 key: "
            + ", ".join(f"`{k}`" for k in table.key),
            "",
            table.about_zh,
            "",
            table.about_en,
            "",
            "| 列 column | 类型 type | 中文 | English | 单位 unit | 范围 range | 说明 notes |",
            "| --- | --- | --- | --- | --- | --- | --- |",
        ]
        for col in table.columns:
            notes = []
            if col.ref:
                notes.append(f"→ `{col.ref}`")
            if col.nullable:
                notes.append("可为空 nullable")
            if col.choices:
                notes.append("; ".join(f"`{k}` {v}" for k, v in col.choices.items()))
            lines.append(
                f"| `{col.name}` | {col.type} | {col.zh} | {col.en} | {col.unit} | "
                f"{_range(col)} | {'<br>'.join(notes)} |"
            )
    return "\n".join(lines) + "\n"


def write_card(folder: Path, meta: Mapping[str, object], counts: dict[str, int]) -> None:
    """Write ``DATA_CARD.md`` and ``data_card.json`` into ``folder``."""
    (folder / "DATA_CARD.md").write_text(render_markdown(meta, counts), encoding="utf-8")
    c = card()
    payload = {
        "meta": meta,
        "row_counts": counts,
        "tables": {name: asdict(t) for name, t in c.tables.items()},
        "calibration": list(c.calibration),
        "assumptions": list(c.assumptions),
    }
    (folder / "data_card.json").write_text(
        json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8"
    )
