"""Vectorised scoring of long item tables (``score_items``): no per-row Python loops.

Every instrument's items are laid out in lookup tables once; a table of millions of item
answers is then checked, keyed, summed, banded and flagged with numpy and pandas group sums.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from shegong.datasets.instruments.model import (
    BATCH_COLUMNS,
    MAX_LISTED,
    InstrumentError,
    _join,
)
from shegong.datasets.instruments.registry import INSTRUMENTS


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

    def fail_if(self, bad: np.ndarray, msg_id: str, by_item: bool = True, **values: object) -> None:
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
