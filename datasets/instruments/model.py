"""The instrument model: items, bands, flag rules, scores and answer checks.

``shegong.datasets.instruments`` is the public face (registry and scoring); the definitions
are data (``specs.yml``, read by ``specs.py``), vectorised table scoring is in ``batch``,
goal attainment scaling in ``gas``.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from shegong.errors import ShegongError

POPULATIONS = ("elder", "child", "adult", "caregiver", "all")
MAX_LISTED = 5  # how many measure ids an error message names
BATCH_COLUMNS = ("measure_id", "instrument", "item", "answer")


class InstrumentError(ShegongError):
    """An instrument id, item number or answer that cannot be scored."""


@dataclass(frozen=True)
class Item:
    """One item as printed on the form, with its allowed raw answers."""

    no: int
    zh: str
    en: str
    values: tuple[int, ...]
    value_labels_zh: tuple[str, ...]
    value_labels_en: tuple[str, ...]
    reverse: bool = False
    subscale: str | None = None

    def __post_init__(self) -> None:
        if list(self.values) != sorted(set(self.values)) or not self.values:
            raise ValueError(f"item {self.no}: values must be unique and ascending")
        if not len(self.values) == len(self.value_labels_zh) == len(self.value_labels_en):
            raise ValueError(f"item {self.no}: one zh and one en label per value")

    def keyed(self, raw: int) -> int:
        """The item score of a valid raw answer, after reverse keying."""
        return self.values[0] + self.values[-1] - raw if self.reverse else raw

    def label(self) -> str:
        """``中文 / English`` label for messages."""
        return f"{self.zh} / {self.en}"


@dataclass(frozen=True)
class Band:
    """A named total-score range, inclusive at both ends."""

    code: str
    zh: str
    en: str
    low: float
    high: float

    def contains(self, total: float) -> bool:
        """Is ``total`` inside this band?"""
        return self.low <= total <= self.high


@dataclass(frozen=True)
class FlagRule:
    """A safety flag raised when one item's keyed score (or the total) is in a range."""

    code: str
    item: int | None = None  # None: the rule reads the total
    at_least: float = -math.inf
    at_most: float = math.inf

    def fires(self, value: float) -> bool:
        """Does ``value`` raise the flag?"""
        return self.at_least <= value <= self.at_most


@dataclass(frozen=True)
class Score:
    """The result of scoring one answer set."""

    instrument: str
    total: int | float
    band: str
    band_zh: str
    band_en: str
    flags: tuple[str, ...]
    subscales: Mapping[str, int]


@dataclass(frozen=True)
class Instrument:
    """A standardised instrument: items, bands, scoring extras and where the rule comes from.

    ``items`` are sorted by ``no``; a sequence of answers is read in that order.
    """

    id: str
    name_zh: str
    name_en: str
    population: str
    items: tuple[Item, ...]
    bands: tuple[Band, ...]
    higher_is_worse: bool
    source: str
    cutoff_note_zh: str
    cutoff_note_en: str
    verified: bool
    multiplier: int = 1
    total_excludes: tuple[str, ...] = ()
    flag_rules: tuple[FlagRule, ...] = ()

    def __post_init__(self) -> None:
        numbers = [item.no for item in self.items]
        if numbers != sorted(set(numbers)) or numbers[0] < 1:
            raise ValueError(f"{self.id}: item numbers must be unique, ascending and >= 1")
        if self.population not in POPULATIONS:
            raise ValueError(f"{self.id}: population {self.population!r} not in {POPULATIONS}")
        _check_bands(self)

    def item(self, no: int) -> Item:
        """The item numbered ``no`` (KeyError if there is none)."""
        for item in self.items:
            if item.no == no:
                return item
        raise KeyError(no)

    def counts_in_total(self, item: Item) -> bool:
        """Does this item add to the total (SDQ prosocial items do not)?"""
        return item.subscale not in self.total_excludes

    def min_total(self) -> int:
        """Lowest possible total."""
        return self.multiplier * sum(i.values[0] for i in self.items if self.counts_in_total(i))

    def max_total(self) -> int:
        """Highest possible total."""
        return self.multiplier * sum(i.values[-1] for i in self.items if self.counts_in_total(i))

    def subscale_names(self) -> tuple[str, ...]:
        """Subscale names in order of first appearance."""
        return tuple(dict.fromkeys(i.subscale for i in self.items if i.subscale))

    def band_for(self, total: float) -> Band:
        """The band holding ``total``."""
        for band in self.bands:
            if band.contains(total):
                return band
        raise ValueError(f"{self.id}: total {total} is in no band")

    def score(self, answers: Sequence[object] | Mapping[int, object]) -> Score:
        """Score one answer set: a sequence in item order, or a mapping item no -> answer."""
        keyed = {no: self.item(no).keyed(raw) for no, raw in self._checked(answers).items()}
        counted = (keyed[i.no] for i in self.items if self.counts_in_total(i))
        total = self.multiplier * sum(counted)
        band = self.band_for(total)
        flags = tuple(r.code for r in self.flag_rules if r.fires(_rule_value(r, keyed, total)))
        return Score(self.id, total, band.code, band.zh, band.en, flags, self._subscales(keyed))

    def _subscales(self, keyed: Mapping[int, int]) -> dict[str, int]:
        """Sum of keyed item scores per subscale."""
        sums = dict.fromkeys(self.subscale_names(), 0)
        for item in self.items:
            if item.subscale:
                sums[item.subscale] += keyed[item.no]
        return sums

    def _checked(self, answers: Sequence[object] | Mapping[int, object]) -> dict[int, int]:
        """Item no -> valid raw answer; InstrumentError on any bad count, item or value."""
        if isinstance(answers, Mapping):
            pairs = self._pairs_from_mapping(answers)
        else:
            given = list(answers)
            if len(given) != len(self.items):
                raise InstrumentError(
                    "error.instrument_count", instrument=self.id, expected=len(self.items),
                    got=len(given),
                )  # fmt: skip
            pairs = [(item.no, value) for item, value in zip(self.items, given, strict=True)]
        return {no: self._checked_value(self.item(no), value) for no, value in pairs}

    def _pairs_from_mapping(self, answers: Mapping[int, object]) -> list[tuple[int, object]]:
        """(item no, answer) pairs of a mapping, after checking the item numbers."""
        known = {item.no for item in self.items}
        for no in answers:
            if no not in known or isinstance(no, bool):
                raise InstrumentError(
                    "error.instrument_item", instrument=self.id, item=no, known=_join(known)
                )
        missing = sorted(known - set(answers))
        if missing:
            raise InstrumentError(
                "error.instrument_missing", instrument=self.id, items=_join(missing)
            )
        return [(item.no, answers[item.no]) for item in self.items]

    def _checked_value(self, item: Item, value: object) -> int:
        """The answer as an int if the item allows it, else InstrumentError."""
        number = as_int(value)
        if number is None or number not in item.values:
            raise InstrumentError(
                "error.instrument_answer", instrument=self.id, item=item.no, label=item.label(),
                value=repr(value), allowed=_join(item.values),
            )  # fmt: skip
        return number


def _check_bands(instrument: Instrument) -> None:
    """Bands must cover min..max total without gaps or overlaps (a definition error if not)."""
    bands = sorted(instrument.bands, key=lambda b: b.low)
    if list(bands) != list(instrument.bands):
        raise ValueError(f"{instrument.id}: list bands from low to high")
    if bands[0].low > instrument.min_total() or bands[-1].high < instrument.max_total():
        raise ValueError(f"{instrument.id}: bands do not reach the ends of the total range")
    for lower, upper in itertools.pairwise(bands):
        if lower.high >= lower.low and upper.low == lower.high + 1:
            continue
        raise ValueError(f"{instrument.id}: bands {lower.code} and {upper.code} leave a gap")


def _rule_value(rule: FlagRule, keyed: Mapping[int, int], total: float) -> float:
    """What a flag rule reads: one item's keyed score, or the total."""
    return total if rule.item is None else keyed[rule.item]


def as_int(value: object) -> int | None:
    """An int for ints and integral floats (numpy too); None for bools, NaN, text, 1.5."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating) and math.isfinite(value) and value == int(value):
        return int(value)
    return None


def _join(values: Iterable[object]) -> str:
    """``1, 2, 3`` for messages."""
    return ", ".join(str(v) for v in values)
