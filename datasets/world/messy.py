"""Realistic defects for teaching data cleaning, with a manifest of exactly what was injected.

Hand-kept station records go wrong in known ways. ``inject`` copies clean tables and adds:
duplicate ledger rows and double-registered residents, missing values, hand-typed village
names with variant spellings, out-of-range instrument answers, case dates out of order and
dates typed in mixed formats; and poor practice (``messy_practice``): missing safety
follow-ups, instruments and groups that do not fit the client's age, implausible referral
sources and closures that contradict the goal ratings. Every change is one manifest row:
table, row position, key, column, kind, original value and injected value.
"""

from __future__ import annotations

import zlib

import numpy as np
import pandas as pd

from shegong.datasets.world import messy_practice as practice

KINDS = (
    "duplicate_row",
    "duplicate_person",
    "missing_value",
    "village_name_variant",
    "out_of_range_answer",
    "date_out_of_order",
    "mixed_date_format",
    *practice.PRACTICE_KINDS,
)


def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(np.random.SeedSequence([seed, zlib.crc32(b"messy")]))


def _pick(rng: np.random.Generator, n: int, share: float, minimum: int = 3) -> np.ndarray:
    k = min(n, max(minimum, round(n * share)))
    return np.sort(rng.choice(n, size=k, replace=False))


class _Manifest:
    def __init__(self) -> None:
        self.rows: list[pd.DataFrame] = []

    def add(
        self,
        table: str,
        rows: np.ndarray,
        key: pd.Series | np.ndarray,
        column: str,
        kind: str,
        original: object,
        injected: object,
    ) -> None:
        self.rows.append(
            pd.DataFrame(
                {
                    "table": table,
                    "row": rows,
                    "key": np.asarray(key, dtype=object),
                    "column": column,
                    "kind": kind,
                    "original": pd.Series(original, dtype=object).astype(str).to_numpy()
                    if not np.isscalar(original)
                    else str(original),
                    "injected": pd.Series(injected, dtype=object).astype(str).to_numpy()
                    if not np.isscalar(injected)
                    else str(injected),
                }
            )
        )

    def frame(self) -> pd.DataFrame:
        return pd.concat(self.rows, ignore_index=True)


def _as_text_dates(series: pd.Series) -> pd.Series:
    return series.dt.strftime("%Y-%m-%d").astype(object).where(series.notna(), None)


def _date_formats(rng: np.random.Generator, m: _Manifest, ledger: pd.DataFrame) -> pd.DataFrame:
    text = _as_text_dates(ledger["contact_on"])
    rows = _pick(rng, len(ledger), 0.04)
    when = ledger["contact_on"].iloc[rows]
    style = rng.integers(0, 3, rows.size)
    typed = np.select(
        [style == 0, style == 1],
        [
            when.dt.year.astype(str)
            + "/"
            + when.dt.month.astype(str)
            + "/"
            + when.dt.day.astype(str),
            when.dt.year.astype(str)
            + "年"
            + when.dt.month.astype(str)
            + "月"
            + when.dt.day.astype(str)
            + "日",
        ],
        when.dt.strftime("%Y%m%d"),
    )
    m.add(
        "ledger",
        rows,
        ledger["entry_id"].iloc[rows],
        "contact_on",
        "mixed_date_format",
        text.iloc[rows].to_numpy(),
        typed,
    )
    text.iloc[rows] = typed
    return ledger.assign(contact_on=text)


def _duplicates(rng: np.random.Generator, m: _Manifest, ledger: pd.DataFrame) -> pd.DataFrame:
    rows = _pick(rng, len(ledger), 0.01)
    copies = ledger.iloc[rows]
    out = pd.concat([ledger, copies], ignore_index=True)
    new_rows = np.arange(len(ledger), len(out))
    m.add("ledger", new_rows, copies["entry_id"], "*", "duplicate_row", "", rows.astype(str))
    return out


def _residents(
    rng: np.random.Generator, m: _Manifest, res: pd.DataFrame, villages: pd.DataFrame
) -> pd.DataFrame:
    # Hand-typed village names, as a station spreadsheet has them, with variant spellings.
    names = res["village_id"].map(villages.set_index("village_id")["name_zh"])
    res = res.assign(village_name=names.to_numpy())
    rows = _pick(rng, len(res), 0.06)
    clean = names.iloc[rows].to_numpy().astype(str)
    style = rng.integers(0, 4, rows.size)
    stem = np.array([s[:-2] if s.endswith("社区") else s[:-1] for s in clean])
    variant = np.select(
        [style == 0, style == 1, style == 2],
        [np.char.add(clean, "委会"), np.char.add(stem, " "), np.char.add(" ", clean)],
        stem,
    )
    m.add(
        "residents",
        rows,
        res["resident_id"].iloc[rows],
        "village_name",
        "village_name_variant",
        clean,
        variant,
    )
    res.loc[res.index[rows], "village_name"] = variant
    # Missing sex and birth dates.
    for column in ("sex", "birth_date"):
        rows = _pick(rng, len(res), 0.02)
        original = res[column].iloc[rows]
        m.add(
            "residents",
            rows,
            res["resident_id"].iloc[rows],
            column,
            "missing_value",
            original.astype(str).to_numpy(),
            "",
        )
        res[column] = res[column].astype(object)
        res.loc[res.index[rows], column] = None
    # The same person registered twice under a new id.
    rows = _pick(rng, len(res), 0.005)
    copies = res.iloc[rows].copy()
    copies["resident_id"] = copies["resident_id"].str.replace("R", "R9", regex=False)
    out = pd.concat([res, copies], ignore_index=True)
    m.add(
        "residents",
        np.arange(len(res), len(out)),
        copies["resident_id"],
        "resident_id",
        "duplicate_person",
        res["resident_id"].iloc[rows].to_numpy(),
        copies["resident_id"].to_numpy(),
    )
    return out


def _answers(rng: np.random.Generator, m: _Manifest, items: pd.DataFrame) -> pd.DataFrame:
    rows = _pick(rng, len(items), 0.005)
    typo = rng.choice([9, 11, 33, -1, 99], rows.size)
    m.add(
        "case_measure_items",
        rows,
        items["measure_id"].iloc[rows] + "#" + items["item"].iloc[rows].astype(str),
        "answer",
        "out_of_range_answer",
        items["answer"].iloc[rows].to_numpy(),
        typo,
    )
    items = items.copy()
    items.loc[items.index[rows], "answer"] = typo
    return items


def _case_dates(rng: np.random.Generator, m: _Manifest, cases: pd.DataFrame) -> pd.DataFrame:
    cases = cases.copy()
    assessed = np.flatnonzero(cases["assessment_on"].notna().to_numpy())
    rows = assessed[_pick(rng, assessed.size, 0.02)]
    original = cases["assessment_on"].iloc[rows]
    wrong = cases["intake_on"].iloc[rows] - pd.to_timedelta(
        rng.integers(3, 40, rows.size), unit="D"
    )
    m.add(
        "cases",
        rows,
        cases["case_id"].iloc[rows],
        "assessment_on",
        "date_out_of_order",
        original.dt.strftime("%Y-%m-%d").to_numpy(),
        wrong.dt.strftime("%Y-%m-%d").to_numpy(),
    )
    cases.loc[cases.index[rows], "assessment_on"] = wrong.to_numpy()
    rows = _pick(rng, len(cases), 0.03)
    m.add(
        "cases",
        rows,
        cases["case_id"].iloc[rows],
        "risk_level",
        "missing_value",
        cases["risk_level"].iloc[rows].to_numpy(),
        "",
    )
    cases["risk_level"] = cases["risk_level"].astype(object)
    cases.loc[cases.index[rows], "risk_level"] = None
    return cases


def inject(
    tables: dict[str, pd.DataFrame], seed: int
) -> tuple[dict[str, pd.DataFrame], pd.DataFrame]:
    """Copies of ``tables`` with defects, and the manifest of every defect injected."""
    rng = _rng(seed)
    m = _Manifest()
    out = dict(tables)
    out["residents"] = _residents(rng, m, tables["residents"], tables["villages"])
    cases = _case_dates(rng, m, tables["cases"])
    cases = practice.school_referred_elders(rng, m, cases)
    out["cases"] = practice.goals_met_in_name(rng, m, cases)
    out["case_measures"], out["case_measure_items"] = practice.young_sdq(
        rng, m, tables, tables["case_measures"], _answers(rng, m, tables["case_measure_items"])
    )
    # Follow-ups go before anything else touches the ledger (its rows then keep their place);
    # dates are reformatted next, so a duplicated row copies its original exactly, typos
    # included.
    ledger = practice.drop_follow_ups(rng, m, tables)
    out["ledger"] = _duplicates(rng, m, _date_formats(rng, m, ledger))
    practice.preschoolers_in_rses(rng, m, out, tables)
    return out, m.frame()
