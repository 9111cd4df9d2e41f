"""The registry of instruments: ``INSTRUMENTS`` (id -> ``Instrument``), flag labels, ``get``.

Both mappings are built on first use from ``specs.yml``, so importing does no work.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from functools import cache
from typing import TypeVar

from shegong.datasets.instruments.model import Instrument, InstrumentError, _join
from shegong.datasets.instruments.specs import load_instruments
from shegong.messages import text

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
    return {instrument.id: instrument for instrument in load_instruments()}


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
