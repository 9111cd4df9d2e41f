"""Casework codes in the reader's words, pseudonyms, and the shared constants."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd

from shegong.datasets.card import card
from shegong.datasets.instruments import Instrument
from shegong.errors import ShegongError
from shegong.messages import Lang

PERIOD_END = pd.Timestamp("2022-10-31")  # last day of the simulated records


FOLLOW_UP_DAYS = (30, 90)  # follow-up visits after closure: the course's suggestion, not a standard


SEP = {"zh": "、", "en": ", "}  # list separator per language


class CaseworkError(ShegongError):
    """Case tables or ids the casework helpers cannot use."""


def _need(frame: pd.DataFrame, table: str, columns: Iterable[str]) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CaseworkError("error.casework_columns", table=table, missing=", ".join(missing))


def code_label(table: str, column: str, code: Any, lang: Lang = "zh") -> str:
    """The data card's name of a code, e.g. ``code_label("cases", "stage", "intake")`` -> 接案."""
    if code is None or (not isinstance(code, str) and pd.isna(code)):
        return ""
    label = card().tables[table].column(column).choices.get(str(code))
    if label is None:
        return str(code)
    zh, _, en = label.partition(" / ")
    return zh if lang == "zh" or not en else en


def with_labels(
    frame: pd.DataFrame, table: str, columns: Sequence[str], lang: Lang = "zh"
) -> pd.DataFrame:
    """A copy of ``frame`` with the codes in ``columns`` replaced by their names."""
    out = frame.copy()
    for column in columns:
        out[column] = out[column].map(lambda c, col=column: code_label(table, col, c, lang))
    return out


def pseudonym(note: str) -> str:
    """The client's pseudonym from a case note (``廖某，92岁……`` -> ``廖某``)."""
    return str(note).split("，", 1)[0]


def _name(inst: Instrument, lang: Lang) -> str:
    return inst.name_zh if lang == "zh" else inst.name_en


def _band(inst: Instrument, total: float, lang: Lang) -> str:
    band = inst.band_for(total)
    return band.zh if lang == "zh" else band.en


def _day(value: Any) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"
