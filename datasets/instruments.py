"""Standardised instruments (量表): the model, answer checks and scoring.

One place scores every instrument the platform uses, for one answer set (``score``) and for
a long table of item answers (``score_items``, vectorised). The definitions (items, bands,
sources, cut-off notes) are in ``shegong.datasets.instrument_specs``; ``INSTRUMENTS`` loads them
on first use, so importing this module does no work.

Scoring rule for every instrument: each item's raw answer is checked against its allowed
values, reverse-keyed items become ``min + max - raw``, the total is the sum of the keyed
items that count towards it (SDQ leaves ``prosocial`` out) times ``multiplier`` (WHO-5: 4),
and the band is the one whose inclusive ``low..high`` holds the total.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from shegong.errors import ShegongError
from shegong.messages import text

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

    def score(self, answers: Sequence[Any] | Mapping[int, Any]) -> Score:
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

    def _checked(self, answers: Sequence[Any] | Mapping[int, Any]) -> dict[int, int]:
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

    def _pairs_from_mapping(self, answers: Mapping[int, Any]) -> list[tuple[int, Any]]:
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

    def _checked_value(self, item: Item, value: Any) -> int:
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


def as_int(value: Any) -> int | None:
    """An int for ints and integral floats (numpy too); None for bools, NaN, text, 1.5."""
    if isinstance(value, bool | np.bool_):
        return None
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating) and math.isfinite(value) and value == int(value):
        return int(value)
    return None


def _join(values: Iterable[Any]) -> str:
    """``1, 2, 3`` for messages."""
    return ", ".join(str(v) for v in values)


K = TypeVar("K")
V = TypeVar("V")


class _LazyMapping(Mapping[K, V]):
    """A read-only mapping built by ``loader`` on first use (no work at import time)."""

    def __init__(self, loader: Callable[[], Mapping[K, V]]) -> None:
        self._loader = cache(loader)

    def __getitem__(self, key: K) -> V:
        return self._loader()[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._loader())

    def __len__(self) -> int:
        return len(self._loader())


def _load_instruments() -> Mapping[str, Instrument]:
    from shegong.datasets.instrument_specs import ALL

    return {instrument.id: instrument for instrument in ALL}


def _load_flag_labels() -> Mapping[str, tuple[str, str]]:
    codes = dict.fromkeys(r.code for i in INSTRUMENTS.values() for r in i.flag_rules)
    return {
        c: (text(f"instruments.flag.{c}", "zh"), text(f"instruments.flag.{c}", "en")) for c in codes
    }


INSTRUMENTS: Mapping[str, Instrument] = _LazyMapping(_load_instruments)
FLAG_LABELS: Mapping[str, tuple[str, str]] = _LazyMapping(_load_flag_labels)


def get(instrument_id: str) -> Instrument:
    """The instrument with this id; InstrumentError naming the known ids if there is none."""
    try:
        return INSTRUMENTS[instrument_id]
    except (KeyError, TypeError):
        raise InstrumentError(
            "error.instrument_unknown", instrument=instrument_id, known=_join(INSTRUMENTS)
        ) from None


def score(instrument_id: str, answers: Sequence[Any] | Mapping[int, Any]) -> Score:
    """Score one answer set of the named instrument."""
    return get(instrument_id).score(answers)


def score_items(items: pd.DataFrame) -> pd.DataFrame:
    """Score a long table of item answers, one output row per ``measure_id`` (vectorised).

    Input columns: ``measure_id``, ``instrument``, ``item`` (int), ``answer`` (int).
    Output columns: ``measure_id``, ``instrument``, ``total``, ``band``, ``flags`` (codes joined
    by ``;``, empty when none) and ``sub_<name>`` for every subscale of every instrument (NaN
    where the instrument has no such subscale), rows in order of first appearance.
    Unknown instruments or items, invalid or missing answers, and incomplete or repeated item
    sets raise InstrumentError naming the instrument, the item and the first few measure ids.
    """
    missing = [c for c in BATCH_COLUMNS if c not in items.columns]
    if missing:
        raise InstrumentError(
            "error.instrument_batch_columns", missing=_join(missing), required=_join(BATCH_COLUMNS)
        )
    tables = _tables()
    rows = _Rows.read(items, tables)
    keyed = rows.keyed(tables)
    inst_m = rows.instrument_per_measure()
    rows.check_complete(inst_m, tables)
    counted = np.where(tables.in_total[rows.inst, rows.item], keyed, 0)
    totals = np.rint(rows.sums(counted)).astype(np.int64) * tables.multiplier[inst_m]
    out = pd.DataFrame(
        {
            "measure_id": np.asarray(rows.measures),
            "instrument": np.asarray(tables.ids, dtype=object)[inst_m],
            "total": totals,
            "band": _bands(tables, inst_m, totals),
            "flags": _flags(tables, rows, keyed, inst_m, totals),
        }
    )
    subs = rows.subscale_sums(keyed, inst_m, tables)
    for j, name in enumerate(tables.subscales):
        out[f"sub_{name}"] = subs[:, j]
    return out


@dataclass(frozen=True)
class _Tables:
    """Every instrument as numpy lookup tables indexed [instrument, item no, raw answer]."""

    ids: tuple[str, ...]
    keyed: np.ndarray  # [inst, no, raw] -> keyed score; -1: answer not allowed or no such item
    defined: np.ndarray  # [inst, no] -> the item exists
    in_total: np.ndarray  # [inst, no] -> the item counts towards the total
    sub_index: np.ndarray  # [inst, no] -> index into ``subscales``, or -1
    has_sub: np.ndarray  # [inst, sub] -> the instrument has this subscale
    n_items: np.ndarray  # [inst]
    item_bits: np.ndarray  # [inst] -> sum of 2**no over its items (a set fingerprint)
    multiplier: np.ndarray  # [inst]
    subscales: tuple[str, ...]


@cache
def _tables() -> _Tables:
    """Build the lookup tables once."""
    insts = list(INSTRUMENTS.values())
    subscales = tuple(dict.fromkeys(s for i in insts for s in i.subscale_names()))
    max_no = max(item.no for i in insts for item in i.items)
    max_raw = max(item.values[-1] for i in insts for item in i.items)
    keyed = np.full((len(insts), max_no + 1, max_raw + 1), -1, dtype=np.int64)
    sub_index = np.full((len(insts), max_no + 1), -1, dtype=np.int64)
    in_total = np.zeros((len(insts), max_no + 1), dtype=bool)
    for k, inst in enumerate(insts):
        for item in inst.items:
            keyed[k, item.no, list(item.values)] = [item.keyed(v) for v in item.values]
            in_total[k, item.no] = inst.counts_in_total(item)
            sub_index[k, item.no] = subscales.index(item.subscale) if item.subscale else -1
    return _Tables(
        ids=tuple(i.id for i in insts),
        keyed=keyed,
        defined=np.any(keyed >= 0, axis=2),
        in_total=in_total,
        sub_index=sub_index,
        has_sub=np.array([[s in i.subscale_names() for s in subscales] for i in insts], bool),
        n_items=np.array([len(i.items) for i in insts]),
        item_bits=np.array([sum(1 << item.no for item in i.items) for i in insts], float),
        multiplier=np.array([i.multiplier for i in insts]),
        subscales=subscales,
    )


def _int_array(series: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(values as int64 with -1 where unusable, not-an-integer mask, blank mask)."""
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":
        none = np.zeros(len(series), dtype=bool)
        return series.to_numpy(dtype=np.int64), none, none
    blank = series.isna().to_numpy()
    if pd.api.types.is_string_dtype(series) or pd.api.types.is_bool_dtype(series):
        return np.full(len(series), -1, dtype=np.int64), ~blank, blank
    floats = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        bad = ~blank & ~(np.isfinite(floats) & (floats == np.round(floats)))
    return np.where(bad | blank, -1, np.nan_to_num(floats)).astype(np.int64), bad, blank


@dataclass
class _Rows:
    """The input table as arrays: measure code, instrument index, item no, raw answer."""

    frame: pd.DataFrame
    measures: pd.Index  # distinct measure ids, in order of first appearance
    code: np.ndarray
    inst: np.ndarray
    item: np.ndarray
    raw: np.ndarray
    raw_bad: np.ndarray

    @classmethod
    def read(cls, frame: pd.DataFrame, tables: _Tables) -> _Rows:
        """Encode the columns; blank measure ids, unknown instruments or items raise."""
        code, measures = pd.factorize(frame["measure_id"])
        if (code < 0).any():
            blank = _join(np.flatnonzero(code < 0)[:MAX_LISTED])
            raise InstrumentError("error.instrument_batch_blank", column="measure_id", rows=blank)
        ids = list(tables.ids)
        inst = pd.Index(ids).get_indexer(pd.Index(frame["instrument"])).astype(np.int64)
        item, item_bad, item_blank = _int_array(frame["item"])
        raw, raw_bad, raw_blank = _int_array(frame["answer"])
        rows = cls(frame, pd.Index(measures), code, inst, item, raw, raw_bad)
        rows.fail_if(inst < 0, "error.instrument_batch_unknown", by_item=False, known=_join(ids))
        safe = np.clip(item, 0, tables.defined.shape[1] - 1)
        unknown = item_bad | item_blank | (item != safe) | ~tables.defined[inst, safe]
        rows.fail_if(unknown, "error.instrument_batch_item")
        rows.fail_if(raw_blank, "error.instrument_batch_missing_answer")
        return rows

    def fail_if(self, bad: np.ndarray, msg_id: str, by_item: bool = True, **values: Any) -> None:
        """Raise ``msg_id`` for the first bad row, listing measures with the same problem."""
        if not bad.any():
            return
        first = int(np.flatnonzero(bad)[0])
        same = bad & (self.inst == self.inst[first])
        if by_item:
            same &= self.item == self.item[first]
        raise InstrumentError(
            msg_id, instrument=self.frame["instrument"].iloc[first],
            item=self.frame["item"].iloc[first], measures=self.listed(self.code[same]), **values,
        )  # fmt: skip

    def listed(self, codes: np.ndarray) -> str:
        """The first few distinct measure ids among ``codes``."""
        return _join(self.measures[pd.unique(codes)[:MAX_LISTED]])

    def sums(self, weights: np.ndarray) -> np.ndarray:
        """Per-measure sums of a per-row array (float)."""
        return np.bincount(self.code, weights=weights, minlength=len(self.measures))

    def keyed(self, tables: _Tables) -> np.ndarray:
        """Keyed item scores; answers the item does not allow raise InstrumentError."""
        safe = np.clip(self.raw, 0, tables.keyed.shape[2] - 1)
        keyed = tables.keyed[self.inst, self.item, safe]
        bad = self.raw_bad | (self.raw != safe) | (keyed < 0)
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            item = INSTRUMENTS[tables.ids[self.inst[first]]].item(int(self.item[first]))
            value = repr(self.frame["answer"].iloc[first])
            self.fail_if(
                bad, "error.instrument_batch_answer", value=value, allowed=_join(item.values)
            )
        return keyed

    def instrument_per_measure(self) -> np.ndarray:
        """Instrument index of each measure; a measure with two instruments raises."""
        inst_m = np.empty(len(self.measures), dtype=np.int64)
        inst_m[self.code] = self.inst
        mixed = self.inst != inst_m[self.code]
        if mixed.any():
            code = self.code[np.flatnonzero(mixed)[0]]
            names = pd.unique(self.frame["instrument"].to_numpy()[self.code == code])
            raise InstrumentError(
                "error.instrument_batch_mixed",
                measures=self.measures[code],
                instruments=_join(names),
            )
        return inst_m

    def check_complete(self, inst_m: np.ndarray, tables: _Tables) -> None:
        """Each measure must answer each item of its instrument exactly once."""
        counts = np.bincount(self.code, minlength=len(self.measures))
        bits = self.sums(np.ldexp(1.0, self.item))
        wrong = (counts != tables.n_items[inst_m]) | (bits != tables.item_bits[inst_m])
        if not wrong.any():
            return
        code = int(np.flatnonzero(wrong)[0])
        instrument = INSTRUMENTS[tables.ids[inst_m[code]]]
        seen = pd.Series(self.item[self.code == code]).value_counts()
        missing = sorted({i.no for i in instrument.items} - set(seen.index))
        raise InstrumentError(
            "error.instrument_batch_incomplete", instrument=instrument.id,
            measures=self.listed(np.flatnonzero(wrong & (inst_m == inst_m[code]))),
            missing=_join(missing) or "-", duplicated=_join(sorted(seen.index[seen > 1])) or "-",
        )  # fmt: skip

    def subscale_sums(self, keyed: np.ndarray, inst_m: np.ndarray, tables: _Tables) -> np.ndarray:
        """[measure, subscale] sums of keyed scores, NaN where the instrument lacks the subscale."""
        n_sub, n_m = len(tables.subscales), len(self.measures)
        sub = tables.sub_index[self.inst, self.item]
        has = sub >= 0
        flat = np.bincount(
            self.code[has] * n_sub + sub[has], weights=keyed[has], minlength=n_m * n_sub
        )
        out = flat.astype(np.float64).reshape(n_m, n_sub)
        out[~tables.has_sub[inst_m]] = np.nan
        return out


def _bands(tables: _Tables, inst_m: np.ndarray, totals: np.ndarray) -> np.ndarray:
    """Band code per measure (one searchsorted per instrument, not per row)."""
    out = np.full(len(totals), "", dtype=object)
    for k, inst_id in enumerate(tables.ids):
        here = inst_m == k
        if here.any():
            bands = INSTRUMENTS[inst_id].bands
            pos = np.searchsorted([b.high for b in bands], totals[here], side="left")
            out[here] = np.array([b.code for b in bands], dtype=object)[pos]
    return out


def _flags(
    tables: _Tables, rows: _Rows, keyed: np.ndarray, inst_m: np.ndarray, totals: np.ndarray
) -> np.ndarray:
    """Flag codes per measure joined by ``;`` (one pass per flag rule, not per row)."""
    out = np.full(len(totals), "", dtype=object)
    for k, inst_id in enumerate(tables.ids):
        for rule in INSTRUMENTS[inst_id].flag_rules:
            if rule.item is None:
                fired = (inst_m == k) & (totals >= rule.at_least) & (totals <= rule.at_most)
            else:
                hit = (rows.inst == k) & (rows.item == rule.item)
                hit &= (keyed >= rule.at_least) & (keyed <= rule.at_most)
                fired = np.bincount(rows.code[hit], minlength=len(totals)) > 0
            joined = out[fired] + ";" + rule.code
            out[fired] = np.where(out[fired] == "", rule.code, joined)
    return out


def gas_tscore(
    ratings: Sequence[int], weights: Sequence[float] | None = None, rho: float = 0.3
) -> float:
    """Goal Attainment Scaling T-score (Kiresuk & Sherman 1968).

    ``50 + 10 * sum(w * x) / sqrt((1 - rho) * sum(w**2) + rho * sum(w)**2)`` with ratings
    ``x`` in -2..+2 (0 = expected outcome), weights ``w`` (default 1 each) and the assumed
    correlation between goal scales ``rho`` (conventionally 0.3).
    """
    xs = [_gas_rating(goal, value) for goal, value in enumerate(ratings, start=1)]
    if not xs:
        raise InstrumentError("error.instrument_gas_empty")
    ws = _gas_weights(weights, len(xs))
    if not (isinstance(rho, int | float) and 0 <= rho < 1):
        raise InstrumentError("error.instrument_gas_rho", value=repr(rho))
    return float(
        _gas_t(
            sum(w * x for w, x in zip(ws, xs, strict=True)), sum(w * w for w in ws), sum(ws), rho
        )
    )


def _gas_t(sum_wx: Any, sum_w2: Any, sum_w: Any, rho: float) -> Any:
    """The GAS T-score formula on sums; works on numbers and on numpy arrays alike."""
    return 50 + 10 * sum_wx / np.sqrt((1 - rho) * sum_w2 + rho * sum_w**2)


def gas_tscores(goals: pd.DataFrame, rho: float = 0.3) -> pd.Series:
    """GAS T-scores of many cases at once: ``goals`` has ``case_id``, ``rating`` (-2..+2)
    and optional ``weight``; returns one T-score per case_id (same formula as gas_tscore)."""
    ratings = goals["rating"].to_numpy()
    if not np.isin(ratings, (-2, -1, 0, 1, 2)).all():
        bad = ratings[~np.isin(ratings, (-2, -1, 0, 1, 2))][0]
        raise InstrumentError("error.instrument_gas_rating", goal="—", value=repr(bad))
    weight = goals["weight"] if "weight" in goals else pd.Series(1.0, index=goals.index)
    sums = (
        pd.DataFrame(
            {
                "case_id": goals["case_id"],
                "wx": weight * goals["rating"],
                "w2": weight**2,
                "w": weight,
            }
        )
        .groupby("case_id", sort=True)
        .sum()
    )
    return pd.Series(
        _gas_t(sums["wx"].to_numpy(), sums["w2"].to_numpy(), sums["w"].to_numpy(), rho),
        index=sums.index,
        name="gas_tscore",
    )


def _gas_rating(goal: int, value: Any) -> int:
    """One GAS rating as an int in -2..+2, else InstrumentError."""
    number = as_int(value)
    if number is None or not -2 <= number <= 2:
        raise InstrumentError("error.instrument_gas_rating", goal=goal, value=repr(value))
    return number


def _gas_weights(weights: Sequence[float] | None, count: int) -> list[float]:
    """Positive finite weights, one per goal (all 1 when none are given)."""
    if weights is None:
        return [1.0] * count
    ws = list(weights)
    if len(ws) != count:
        raise InstrumentError("error.instrument_gas_weight_count", expected=count, got=len(ws))
    for goal, w in enumerate(ws, start=1):
        ok = isinstance(w, int | float | np.number) and not isinstance(w, bool)
        if not (ok and math.isfinite(w) and w > 0):
            raise InstrumentError("error.instrument_gas_weight", goal=goal, value=repr(w))
    return [float(w) for w in ws]
