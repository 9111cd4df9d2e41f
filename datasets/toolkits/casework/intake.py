"""Casework stage 1, intake: roster flags, who is open on a day, the screening list."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from shegong.datasets.toolkits.casework.labels import PERIOD_END, SEP, _need
from shegong.messages import Lang, text

RESIDENT_FLAGS = (
    "tekun",
    "dibao",
    "dibao_edge",
    "lives_alone",
    "left_behind_child",
    "left_behind_elder",
    "left_behind_woman",
)


# Screening points, a teaching assumption of the course: an aid for ordering outreach visits,
# not an eligibility rule.
SCREEN_POINTS: dict[str, int] = {
    "tekun": 3,
    "dibao": 2,
    "dibao_edge": 2,
    "lives_alone": 2,
    "left_behind_child": 2,
    "severe_disability": 2,
    "left_behind_elder": 1,
    "left_behind_woman": 1,
    "disability": 1,
    "age_80plus": 1,
}


def roster_flags(residents: pd.DataFrame) -> pd.DataFrame:
    """One boolean column per screening flag (``SCREEN_POINTS`` keys), indexed like residents."""
    _need(residents, "residents", ["age", "disability_grade", *RESIDENT_FLAGS])
    grade = residents["disability_grade"].astype("Float64")
    flags = residents[list(RESIDENT_FLAGS)].astype(bool)
    flags["severe_disability"] = (grade <= 2).fillna(False).astype(bool)
    flags["disability"] = (grade >= 3).fillna(False).astype(bool)
    flags["age_80plus"] = residents["age"] >= 80
    return flags[list(SCREEN_POINTS)]


def open_on(cases: pd.DataFrame, on: Any) -> pd.Series:
    """Which cases are open on day ``on``: taken in by then and not yet closed."""
    day = pd.Timestamp(on)
    return (cases["intake_on"] <= day) & ~(cases["closure_on"] <= day)


def screening_list(
    residents: pd.DataFrame,
    cases: pd.DataFrame | None = None,
    on: Any = PERIOD_END,
    lang: Lang = "zh",
    points: Mapping[str, int] = SCREEN_POINTS,
) -> pd.DataFrame:
    """Roster residents with at least one screening flag, highest screening points first.

    Columns: ``resident_id``, ``station_id``, ``village_id``, ``age``, ``sex``, ``flags``
    (codes joined by ";"), ``flags_text`` (names in ``lang``), ``n_flags``, ``points`` and
    ``open_case`` (the resident has a case open on ``on``; False when ``cases`` is None).
    Names are left out on purpose: a screening list is shared with village cadres.
    """
    flags = roster_flags(residents)
    weights = pd.Series({k: points.get(k, 0) for k in flags.columns})
    codes = flags.apply(lambda row: ";".join(row.index[row.to_numpy()]), axis=1)
    out = residents[["resident_id", "station_id", "village_id", "age", "sex"]].assign(
        flags=codes,
        flags_text=codes.map(lambda c: SEP[lang].join(flag_names(c, lang))),
        n_flags=flags.sum(axis=1),
        points=flags.astype(int).mul(weights).sum(axis=1),
        open_case=False,
    )
    if cases is not None:
        _need(cases, "cases", ["resident_id", "intake_on", "closure_on"])
        open_ids = set(cases.loc[open_on(cases, on), "resident_id"])
        out["open_case"] = out["resident_id"].isin(open_ids)
    out = out[out["n_flags"] > 0]
    order = ["points", "age", "resident_id"]
    return out.sort_values(order, ascending=[False, False, True]).reset_index(drop=True)


def flag_names(codes: str | Iterable[str], lang: Lang = "zh") -> list[str]:
    """Names of screening flag codes, given as a list or joined by ";"."""
    parts = codes.split(";") if isinstance(codes, str) else codes
    return [text(f"casework.flag.{c}", lang) for c in parts if c]
