"""Build a simulated world and write it to the workspace: parquet, Excel-safe CSV, data card.

The pipeline is a named, ordered list of steps (``STEPS``); each is a function of the world.
Output folder: ``workspace/data/<scale>-seed<N>[-messy]/`` with one ``<table>.parquet`` and
one ``<table>.csv`` (UTF-8 with BOM, split into parts above Excel's row limit) per table,
``DATA_CARD.md``, ``data_card.json`` and ``meta.json`` (row counts and content hashes).
"""

from __future__ import annotations

import codecs
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from shegong import __version__
from shegong.datasets.card import card, write_card
from shegong.datasets.schemas import conform, validate_world
from shegong.datasets.world.cases import build_cases
from shegong.datasets.world.context import World
from shegong.datasets.world.geography import build_geography
from shegong.datasets.world.goals import build_goals
from shegong.datasets.world.groups import build_groups
from shegong.datasets.world.messy import inject
from shegong.datasets.world.residents import build_residents
from shegong.datasets.world.scale import slice_to_scale
from shegong.datasets.world.services import build_services
from shegong.datasets.world.staff import build_staff
from shegong.datasets.world.stations import build_stations
from shegong.datasets.world.survey import build_survey
from shegong.datasets.world.ties import build_ties
from shegong.messages import label
from shegong.progress import Reporter, SilentReporter
from shegong.settings import SCALES

STEPS: tuple[tuple[str, Callable[[World], None]], ...] = (
    ("geography", build_geography),
    ("stations", build_stations),
    ("scale", slice_to_scale),
    ("staff", build_staff),
    ("residents", build_residents),
    ("cases", build_cases),
    ("ties", build_ties),
    ("goals", build_goals),
    ("groups", build_groups),
    ("services", build_services),
    ("survey", build_survey),
)
EXCEL_MAX_ROWS = 1_048_575  # Excel's sheet limit, less the header row


@dataclass(frozen=True)
class BuildResult:
    """Where a build went and what it holds."""

    path: Path
    counts: dict[str, int]
    hashes: dict[str, str]

    @property
    def rows(self) -> int:
        return sum(self.counts.values())


def progress_total(messy: bool) -> int:
    """How many progress steps a build reports."""
    return len(STEPS) + 2 + (1 if messy else 0)


def generate(scale: str, seed: int, reporter: Reporter | None = None) -> dict[str, pd.DataFrame]:
    """Run every step and return the tables, conformed to the card and validated."""
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}")
    reporter = reporter or SilentReporter()
    world = World(scale=scale, seed=seed)
    for name, step in STEPS:
        reporter.step(label(f"data.step.{name}"))
        step(world)
    reporter.step(label("data.step.validate"))
    tables = {name: conform(world[name], spec) for name, spec in card().tables.items()}
    validate_world(tables)
    return tables


def write_csv(frame: pd.DataFrame, path: Path) -> list[Path]:
    """UTF-8 with BOM (Chinese Excel reads it), ISO dates; split above Excel's row limit."""
    parts = (
        [frame]
        if len(frame) <= EXCEL_MAX_ROWS
        else [frame.iloc[i : i + EXCEL_MAX_ROWS] for i in range(0, len(frame), EXCEL_MAX_ROWS)]
    )
    paths = (
        [path]
        if len(parts) == 1
        else [path.with_name(f"{path.stem}.part{k + 1}.csv") for k in range(len(parts))]
    )
    options = pacsv.WriteOptions(quoting_style="needed", eol="\r\n")
    for part, target in zip(parts, paths, strict=True):
        table = pa.Table.from_pandas(part, preserve_index=False)
        # Dates as plain days (2021-05-03), not timestamps, so Excel shows dates.
        for k, field in enumerate(table.schema):
            if pa.types.is_timestamp(field.type):
                table = table.set_column(k, field.name, table.column(k).cast(pa.date32()))
        with target.open("wb") as handle:
            handle.write(codecs.BOM_UTF8)
            pacsv.write_csv(table, handle, options)
    return paths


def _digest(paths: list[Path]) -> str:
    sha = hashlib.sha256()
    for path in paths:
        sha.update(path.read_bytes())
    return sha.hexdigest()


def write_tables(
    tables: dict[str, pd.DataFrame], folder: Path, meta: dict[str, object]
) -> BuildResult:
    """Write every table (parquet + CSV), the card and ``meta.json`` into a fresh folder."""
    staging = folder.with_name(folder.name + ".partial")
    if staging.exists():
        shutil.rmtree(staging)
    staging.mkdir(parents=True)
    hashes: dict[str, str] = {}
    for name, frame in tables.items():
        frame.to_parquet(staging / f"{name}.parquet", index=False)
        hashes[name] = _digest(write_csv(frame, staging / f"{name}.csv"))
    counts = {name: len(frame) for name, frame in tables.items()}
    write_card(staging, meta, counts)
    (staging / "meta.json").write_text(
        json.dumps(
            {**meta, "row_counts": counts, "csv_sha256": hashes}, ensure_ascii=False, indent=1
        ),
        encoding="utf-8",
    )
    # Swap in whole: a reader never sees half a build, and a failed build leaves the old one.
    if folder.exists():
        shutil.rmtree(folder)
    staging.rename(folder)
    return BuildResult(path=folder, counts=counts, hashes=hashes)


def build(
    scale: str, seed: int, folder: Path, *, messy: bool = False, reporter: Reporter | None = None
) -> BuildResult:
    """Generate, validate and write one world (optionally with injected defects)."""
    reporter = reporter or SilentReporter()
    tables = generate(scale, seed, reporter)
    meta: dict[str, object] = {"scale": scale, "seed": seed, "messy": messy, "version": __version__}
    manifest = None
    if messy:
        reporter.step(label("data.step.messy"))
        tables, manifest = inject(tables, seed)
    reporter.step(label("data.step.write"))
    result = write_tables(tables, folder, meta)
    if manifest is not None:
        manifest.to_csv(folder / "messy_manifest.csv", index=False, encoding="utf-8-sig")
        (folder / "messy_manifest.json").write_text(
            manifest.to_json(orient="records", force_ascii=False, indent=1), encoding="utf-8"
        )
    return result
