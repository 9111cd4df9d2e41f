"""Standardised instruments (量表): the model, answer checks and scoring.

One place scores every instrument the platform uses, for one answer set (``score``) and for
a long table of item answers (``score_items``, vectorised). The definitions (items, bands,
sources, cut-off notes) are data, ``specs.yml`` (read by ``specs.py``); ``INSTRUMENTS``
(``registry.py``) loads them on first use, so importing this module does no work.

Scoring rule for every instrument: each item's raw answer is checked against its allowed
values, reverse-keyed items become ``min + max - raw``, the total is the sum of the keyed
items that count towards it (SDQ leaves ``prosocial`` out) times ``multiplier`` (WHO-5: 4),
and the band is the one whose inclusive ``low..high`` holds the total.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from shegong.datasets.instruments.batch import score_items
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
    as_int,
)
from shegong.datasets.instruments.registry import FLAG_LABELS, INSTRUMENTS, get

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


def score(instrument_id: str, answers: Sequence[object] | Mapping[int, object]) -> Score:
    """Score one answer set of the named instrument."""
    return get(instrument_id).score(answers)
