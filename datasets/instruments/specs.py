"""The standardised instruments as data: ``specs.yml`` read through pydantic models.

The file's top comment describes its layout; ``SpecFile`` below is that layout as a schema.
A mistake in the file raises ``InstrumentError`` naming the file and the path of the bad node
(``phq9.items[8].scale``). A validated file becomes the frozen ``Instrument``/``Item``/
``Band``/``FlagRule`` of ``model.py``, whose own checks (ascending values, bands covering every
total) still run when each instrument is built.

An instrument whose cut-offs were checked against its original publication (PHQ-9: Kroenke,
Spitzer & Williams 2001; GAD-7: Spitzer et al. 2006) is ``verified: true``; every other one
says once, in plain words at the end of its cut-off note, that they are not yet checked.
"""

from __future__ import annotations

import math
from importlib import resources
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from shegong.datasets.instruments.model import Band, FlagRule, Instrument, InstrumentError, Item
from shegong.errors import Labels
from shegong.validation import KIND_LABELS, Problem, Strict, fail, parse_yaml, validate

SPEC_FILE = "datasets/instruments/specs.yml"
UNVERIFIED_ZH = "这些分界值尚未与量表的原始文献核对，也还没有本地常模，解读时以量表原文为准。"
UNVERIFIED_EN = (
    "These cut-offs have not yet been checked against the scale's original publication and "
    "there are no local norms: go by the original when you interpret them."
)


class SpecError(InstrumentError):
    """An instrument file that cannot be used, naming the file and the path of the bad node."""

    labels: ClassVar[Labels] = {"kind": KIND_LABELS}


class Text(Strict):
    zh: str
    en: str


class ScaleSpec(Strict):
    """A response scale: the allowed raw answers, ascending, and a label for each."""

    values: list[int]
    labels: list[Text]

    @model_validator(mode="after")
    def _one_label_per_value(self) -> ScaleSpec:
        if len(self.values) != len(self.labels):
            fail("labels", ("labels",), values=len(self.values), labels=len(self.labels))
        return self


class ItemSpec(Strict):
    zh: str
    en: str
    scale: str | None = None
    reverse: bool = False
    subscale: str | None = None


class BandSpec(Strict):
    code: str
    zh: str
    en: str
    low: float
    high: float


class FlagSpec(Strict):
    code: str
    item: int | None = None
    at_least: float = -math.inf
    at_most: float = math.inf


class InstrumentSpec(Strict):
    name: Text
    population: Literal["elder", "child", "adult", "caregiver", "all"]
    higher_is_worse: bool
    verified: bool
    source: str
    cutoff_note: Text
    multiplier: int = 1
    total_excludes: list[str] = Field(default_factory=list)
    flags: list[FlagSpec] = Field(default_factory=list)
    scales: dict[str, ScaleSpec]
    items: list[ItemSpec]
    bands: list[BandSpec]

    @model_validator(mode="after")
    def _scales_exist(self) -> InstrumentSpec:
        for i, item in enumerate(self.items):
            if item.scale is None and len(self.scales) == 1:
                continue
            if item.scale not in self.scales:
                fail(
                    "reference",
                    ("items", i, "scale"),
                    value=item.scale,
                    choices=", ".join(self.scales),
                )
        for i, flag in enumerate(self.flags):
            if flag.item is not None and not 1 <= flag.item <= len(self.items):
                fail("reference", ("flags", i, "item"), value=flag.item,
                     choices=f"1-{len(self.items)}")  # fmt: skip
        return self


class SpecFile(Strict):
    """The whole file: instrument id -> its definition."""

    instruments: dict[str, InstrumentSpec]


def _item(no: int, spec: ItemSpec, scales: dict[str, ScaleSpec]) -> Item:
    scale = scales[spec.scale] if spec.scale is not None else next(iter(scales.values()))
    return Item(
        no,
        spec.zh,
        spec.en,
        tuple(scale.values),
        tuple(label.zh for label in scale.labels),
        tuple(label.en for label in scale.labels),
        spec.reverse,
        spec.subscale,
    )


def _instrument(instrument_id: str, spec: InstrumentSpec) -> Instrument:
    note_zh, note_en = spec.cutoff_note.zh, spec.cutoff_note.en
    if not spec.verified:
        note_zh, note_en = note_zh + UNVERIFIED_ZH, f"{note_en} {UNVERIFIED_EN}"
    return Instrument(
        id=instrument_id,
        name_zh=spec.name.zh,
        name_en=spec.name.en,
        population=spec.population,
        items=tuple(_item(no, item, spec.scales) for no, item in enumerate(spec.items, 1)),
        bands=tuple(Band(b.code, b.zh, b.en, b.low, b.high) for b in spec.bands),
        higher_is_worse=spec.higher_is_worse,
        source=spec.source,
        cutoff_note_zh=note_zh,
        cutoff_note_en=note_en,
        verified=spec.verified,
        multiplier=spec.multiplier,
        total_excludes=tuple(spec.total_excludes),
        flag_rules=tuple(FlagRule(f.code, f.item, f.at_least, f.at_most) for f in spec.flags),
    )


def parse_instruments(source: str, file: str = SPEC_FILE) -> tuple[Instrument, ...]:
    """The instruments of a YAML text, in file order; ``SpecError`` at the first problem."""

    def make(problem: Problem) -> SpecError:
        path = problem.path.removeprefix("instruments").removeprefix(".")
        return SpecError(
            f"error.instrument_spec_{problem.code}", file=file, path=path or "/", **problem.values
        )

    data = parse_yaml(source, make)
    spec = validate(SpecFile, {"instruments": data}, make)  # paths drop "instruments."
    return tuple(_instrument(key, value) for key, value in spec.instruments.items())


def load_instruments() -> tuple[Instrument, ...]:
    """Every instrument of the shipped ``specs.yml``."""
    folder = resources.files("shegong.datasets.instruments")
    return parse_instruments(folder.joinpath("specs.yml").read_text(encoding="utf-8"))
