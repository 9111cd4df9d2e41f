"""The whole casework process: stage durations, caseloads and one case's timeline."""

from __future__ import annotations

from typing import Any

import pandas as pd

from shegong.datasets.instruments import INSTRUMENTS
from shegong.datasets.toolkits.casework.intake import open_on
from shegong.datasets.toolkits.casework.labels import CaseworkError, _band, _name, _need, code_label
from shegong.datasets.world.cases import STAGE_DATE_COLUMNS, STAGES
from shegong.messages import Lang, text


def stage_durations(cases: pd.DataFrame, as_of: Any = None) -> pd.DataFrame:
    """Days each case spent in each stage before the next one it reached, and ``total_days``
    from intake to closure; indexed by ``case_id``. Open cases count their current stage and
    total up to ``as_of`` when it is given (else NaN)."""
    _need(cases, "cases", ["case_id", *STAGE_DATE_COLUMNS])
    dates = cases.set_index("case_id")[list(STAGE_DATE_COLUMNS)]
    following = dates.shift(-1, axis=1).bfill(axis=1)
    if as_of is not None:
        following = following.where(dates.isna() | following.notna(), pd.Timestamp(as_of))
    out = pd.DataFrame(
        {s: (following[f"{s}_on"] - dates[f"{s}_on"]).dt.days for s in STAGES[:-1]},
        index=dates.index,
    )
    end = dates["closure_on"] if as_of is None else dates["closure_on"].fillna(pd.Timestamp(as_of))
    out["total_days"] = (end - dates["intake_on"]).dt.days
    return out


def caseload(cases: pd.DataFrame, on: Any, workers: pd.DataFrame | None = None) -> pd.DataFrame:
    """Open cases per worker on day ``on``: ``open_cases`` and ``high_risk`` (risk_level high).

    With ``workers``, every worker of a station that holds cases and was hired by ``on``
    is listed, so workers with no open case show 0.
    """
    _need(cases, "cases", ["worker_id", "risk_level", "intake_on", "closure_on"])
    now = cases[open_on(cases, on)]
    out = now.groupby("worker_id").agg(
        open_cases=("risk_level", "size"), high_risk=("risk_level", lambda r: (r == "high").sum())
    )
    if workers is not None:
        _need(workers, "workers", ["worker_id", "station_id", "hired_on"])
        here = workers["station_id"].isin(cases["station_id"])
        staff = workers.loc[here & (workers["hired_on"] <= pd.Timestamp(on)), "worker_id"]
        out = out.reindex(sorted(set(staff) | set(out.index)), fill_value=0)
    return out.astype(int).rename_axis("worker_id")


def case_timeline(
    case_id: str,
    cases: pd.DataFrame,
    ledger: pd.DataFrame | None = None,
    measures: pd.DataFrame | None = None,
    lang: Lang = "zh",
) -> pd.DataFrame:
    """Everything dated in one case, in order: ``date``, ``event`` (stage, contact or
    measure) and ``detail`` in ``lang``. On a shared day stages come first, then contacts."""
    case = _case_row(cases, case_id)
    rows = []
    for s in STAGES:
        if pd.notna(case[f"{s}_on"]):
            stage = code_label("cases", "stage", s, lang)
            rows.append(
                (case[f"{s}_on"], 0, "stage", text("casework.event.stage", lang, stage=stage))
            )
    if ledger is not None:
        for _, r in ledger[ledger["case_id"] == case_id].iterrows():
            contact = code_label("ledger", "contact", r["contact"], lang)
            service = code_label("ledger", "service", r["service"], lang)
            rows.append((r["contact_on"], 1, "contact", f"{contact} · {service}"))
    if measures is not None:
        for _, m in measures[measures["case_id"] == case_id].iterrows():
            inst = INSTRUMENTS[str(m["instrument"])]
            detail = text(
                "casework.event.measure",
                lang,
                timepoint=code_label("case_measures", "timepoint", m["timepoint"], lang),
                instrument=_name(inst, lang),
                total=int(m["total"]),
                band=_band(inst, m["total"], lang),
            )
            rows.append((m["measured_on"], 2, "measure", detail))
    out = pd.DataFrame(rows, columns=["date", "order", "event", "detail"])
    out = out.sort_values(["date", "order"], kind="stable").drop(columns="order")
    return out.reset_index(drop=True)


def _case_row(cases: pd.DataFrame, case_id: str) -> pd.Series:
    found = cases[cases["case_id"] == case_id]
    if found.empty:
        raise CaseworkError("error.casework_unknown_case", case=case_id)
    return found.iloc[0]
