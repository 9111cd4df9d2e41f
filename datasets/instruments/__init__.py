"""Standardised instruments (量表): the model, answer checks and scoring.

One place scores every instrument the platform uses, for one answer set (``score``) and for
a long table of item answers (``score_items``, vectorised). The definitions (items, bands,
sources, cut-off notes) are in ``shegong.datasets.instruments.specs``; ``INSTRUMENTS`` loads them
on first use, so importing this module does no work.

Scoring rule for every instrument: each item's raw answer is checked against its allowed
values, reverse-keyed items become ``min + max - raw``, the total is the sum of the keyed
items that count towards it (SDQ leaves ``prosocial`` out) times ``multiplier`` (WHO-5: 4),
and the band is the one whose inclusive ``low..high`` holds the total.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from functools import cache
from typing import Any, TypeVar

import pandas as pd

from shegong.datasets.instruments.gas import gas_tscore, gas_tscores
from shegong.datasets.instruments.model import (
    BATCH_COLUMNS,
    POPULATIONS,
    Band,
    FlagRule,
    Instrument,
    InstrumentError,
    Item,
    Score,
    _join,
    as_int,
)
from shegong.messages import text

__all__ = [
    "BATCH_COLUMNS",
    "FLAG_LABELS",
    "INSTRUMENTS",
    "POPULATIONS",
    "Band",
    "FlagRule",
    "Instrument",
    "InstrumentError",
    "Item",
    "Score",
    "as_int",
    "gas_tscore",
    "gas_tscores",
    "get",
    "score",
    "score_items",
]

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
    from shegong.datasets.instruments.specs import ALL

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
    """Score a long table of item answers, one row per ``measure_id`` (vectorised); see
    ``shegong.datasets.instruments.batch.score_items`` for the columns and the checks."""
    from shegong.datasets.instruments.batch import score_items as score_table

    return score_table(items)
