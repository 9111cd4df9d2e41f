"""Poor-practice defects for the messy world: the good practice of ``good_practice.py``, broken.

The clean world follows each rule; ``messy.inject`` calls these to break a few records of
each, every change one manifest row (as the other defects):

- ``missing_follow_up``: a flagged measure's same-day or next-day contact is not in the
  ledger (the ledger row is removed; the manifest's ``row`` is its position in the clean
  ledger, ``original`` the flagged measure's id);
- ``instrument_age_misfit``: an SDQ self-report given to a child under 11 (a new measure,
  id ``M9…``, with its items, copied from another child's SDQ);
- ``member_age_misfit``: a preschool child listed as a member of a Rosenberg (RSES) group
  in place of an admitted member (members, attendance and measures);
- ``implausible_referral``: an elder "referred by a school" (source and case note);
- ``closure_goal_mismatch``: a case closed as "goals met" although its goals fell short.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np
import pandas as pd

from shegong.datasets.world.cases import REFERRAL_ZH
from shegong.datasets.world.good_practice import FOLLOW_UP_DAYS, age_on

PRACTICE_KINDS = (
    "missing_follow_up",
    "instrument_age_misfit",
    "member_age_misfit",
    "implausible_referral",
    "closure_goal_mismatch",
)
Tables = dict[str, pd.DataFrame]


class Manifest(Protocol):
    def add(
        self,
        table: str,
        rows: np.ndarray,
        key: pd.Series | np.ndarray,
        column: str,
        kind: str,
        original: object,
        injected: object,
    ) -> None: ...


def _some(rng: np.random.Generator, n: int, share: float, minimum: int = 3) -> np.ndarray:
    k = min(n, max(minimum, round(n * share)))
    return np.sort(rng.choice(n, size=k, replace=False))


def as_days(series: pd.Series) -> np.ndarray:
    return pd.to_datetime(series).to_numpy().astype("datetime64[D]")


def _born(tables: Tables, resident: pd.Series) -> np.ndarray:
    birth = tables["residents"].set_index("resident_id")["birth_date"]
    return as_days(resident.map(birth))


def drop_follow_ups(rng: np.random.Generator, m: Manifest, clean: Tables) -> pd.DataFrame:
    """The ledger without the follow-up contacts of about two thirds of the flagged case
    measures (every contact of the case within the follow-up window goes)."""
    ledger = clean["ledger"]
    measures = clean["case_measures"]
    flagged = measures[measures["flags"].fillna("").ne("")]
    flagged = flagged.iloc[_some(rng, len(flagged), 0.67)]
    near = flagged[["measure_id", "case_id", "measured_on"]].merge(
        ledger[["entry_id", "case_id", "contact_on"]].reset_index(names="row"), on="case_id"
    )
    days = (near["contact_on"] - near["measured_on"]).dt.days
    near = near[days.between(0, FOLLOW_UP_DAYS)].drop_duplicates("row").sort_values("row")
    m.add(
        "ledger",
        near["row"].to_numpy(),
        near["entry_id"],
        "*",
        "missing_follow_up",
        near["measure_id"].to_numpy(),
        "",
    )
    keep = np.ones(len(ledger), dtype=bool)
    keep[near["row"].to_numpy()] = False
    return ledger[keep].reset_index(drop=True)


def young_sdq(
    rng: np.random.Generator,
    m: Manifest,
    clean: Tables,
    measures: pd.DataFrame,
    items: pd.DataFrame,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``case_measures`` and ``case_measure_items`` with SDQ self-reports of children under
    11 at assessment, each a copy of a random real SDQ measure."""
    cases = clean["cases"]
    child = cases[(cases["client_group"] == "child") & cases["assessment_on"].notna()]
    age = age_on(_born(clean, child["resident_id"]), as_days(child["assessment_on"]))
    young = child[age < 11]
    sdq = clean["case_measures"][clean["case_measures"]["instrument"] == "sdq"]
    if young.empty or sdq.empty:
        return measures, items
    young = young.iloc[_some(rng, len(young), 0.1)]
    source = sdq.iloc[rng.integers(0, len(sdq), len(young))]
    new_id = np.array([f"M9{k:07d}" for k in range(1, len(young) + 1)], dtype=object)
    added = source.assign(
        measure_id=new_id,
        case_id=young["case_id"].to_numpy(),
        timepoint="pre",
        measured_on=young["assessment_on"].to_numpy(),
    )
    copied = clean["case_measure_items"].merge(
        pd.DataFrame({"measure_id": source["measure_id"].to_numpy(), "new": new_id}),
        on="measure_id",
    )
    copied = copied.assign(measure_id=copied.pop("new")).sort_values(["measure_id", "item"])
    out = pd.concat([measures, added], ignore_index=True)
    rows = np.arange(len(measures), len(out))
    m.add("case_measures", rows, new_id, "instrument", "instrument_age_misfit", "", "sdq")
    return out, pd.concat([items, copied], ignore_index=True)


def preschoolers_in_rses(rng: np.random.Generator, m: Manifest, out: Tables, clean: Tables) -> None:
    """In a few RSES groups, one admitted member's records name a preschool child of the
    station (under 6 on the first session, in no group) instead (changes ``out`` in place)."""
    groups = clean["groups"]
    rses = groups[groups["outcome_instrument"] == "rses"]
    res = clean["residents"]
    in_groups = set(clean["group_members"]["resident_id"])
    free = res[~res["resident_id"].isin(in_groups)]
    free = free.assign(born=as_days(free["birth_date"]))
    members = out["group_members"].copy()
    attendance = out["group_attendance"].copy()
    measures = out["group_measures"].copy()
    session_group = clean["group_sessions"].set_index("session_id")["group_id"]
    for row in rses.iloc[_some(rng, len(rses), 0.3, minimum=2)].itertuples():
        first = as_days(pd.Series([row.first_session_on]))[0]
        young = free[(free["station_id"] == row.station_id)]
        young = young[age_on(young["born"].to_numpy(), np.full(len(young), first)) < 6]
        admitted = members.index[
            (members["group_id"] == row.group_id) & (members["screening"] == "admitted")
        ]
        if young.empty or admitted.empty:
            continue
        child = str(young["resident_id"].iloc[rng.integers(0, len(young))])
        free = free[free["resident_id"] != child]
        old = str(members.at[admitted[0], "resident_id"])
        at_rows = np.flatnonzero(
            (attendance["resident_id"] == old).to_numpy()
            & (attendance["session_id"].map(session_group) == row.group_id).to_numpy()
        )
        m_rows = np.flatnonzero(
            (measures["group_id"] == row.group_id).to_numpy()
            & (measures["resident_id"] == old).to_numpy()
        )
        spots = (
            ("group_members", members, np.array([members.index.get_loc(admitted[0])]), "group_id"),
            ("group_attendance", attendance, at_rows, "session_id"),
            ("group_measures", measures, m_rows, "measure_id"),
        )
        for table, frame, rows, key in spots:
            m.add(
                table,
                rows,
                frame[key].iloc[rows],
                "resident_id",
                "member_age_misfit",
                old,
                child,
            )
            frame.loc[frame.index[rows], "resident_id"] = child
    out.update(group_members=members, group_attendance=attendance, group_measures=measures)


def school_referred_elders(
    rng: np.random.Generator, m: Manifest, cases: pd.DataFrame
) -> pd.DataFrame:
    """A few elders' cases with "school" as the referral source (in the note too)."""
    cases = cases.copy()
    elders = np.flatnonzero((cases["client_group"] == "elder").to_numpy())
    rows = elders[_some(rng, elders.size, 0.04)]
    was = cases["referral_source"].iloc[rows].to_numpy()
    notes = cases["notes_zh"].iloc[rows].to_numpy()
    typed = np.array(
        [n.replace(REFERRAL_ZH[w], REFERRAL_ZH["school"]) for n, w in zip(notes, was, strict=True)],
        dtype=object,
    )
    key = cases["case_id"].iloc[rows]
    m.add("cases", rows, key, "referral_source", "implausible_referral", was, "school")
    m.add("cases", rows, key, "notes_zh", "implausible_referral", notes, typed)
    cases.loc[cases.index[rows], "referral_source"] = "school"
    cases.loc[cases.index[rows], "notes_zh"] = typed
    return cases


def goals_met_in_name(rng: np.random.Generator, m: Manifest, cases: pd.DataFrame) -> pd.DataFrame:
    """A few closed cases whose goals fell short (GAS T under 50) marked "goals met"."""
    cases = cases.copy()
    short = np.flatnonzero(
        (cases["gas_tscore"] < 50).to_numpy()
        & cases["closure_reason"].notna().to_numpy()
        & (cases["closure_reason"] != "goals_met").to_numpy()
    )
    rows = short[_some(rng, short.size, 0.25)]
    m.add(
        "cases",
        rows,
        cases["case_id"].iloc[rows],
        "closure_reason",
        "closure_goal_mismatch",
        cases["closure_reason"].iloc[rows].to_numpy(),
        "goals_met",
    )
    cases.loc[cases.index[rows], "closure_reason"] = "goals_met"
    return cases
