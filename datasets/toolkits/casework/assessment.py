"""Casework stage 2 and 5: answers, item comparison, safety follow-ups, ecomap, reliable change."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from shegong.datasets.instruments import INSTRUMENTS
from shegong.datasets.toolkits.casework.labels import CaseworkError, _need
from shegong.datasets.toolkits.outcomes import reliable_change
from shegong.messages import Lang, catalogue, text

RCI_CUT = 1.96  # |RCI| above this is unlikely (p < .05) to be measurement noise alone


@dataclass(frozen=True)
class Reliability:
    """A published reliability for the RCI, with its source; values not yet re-checked."""

    value: float
    kind: str  # "test_retest" or "alpha" (internal consistency)
    source: str
    tag: str = "[K]"


# Each value names its paper; not yet re-checked against the papers: verify before reporting.
RELIABILITY: dict[str, Reliability] = {
    "phq9": Reliability(0.84, "test_retest", "Kroenke, Spitzer & Williams 2001, J Gen Intern "
                        "Med 16(9):606-613 (48-hour retest)"),
    "gad7": Reliability(0.83, "test_retest", "Spitzer, Kroenke, Williams & Löwe 2006, Arch "
                        "Intern Med 166(10):1092-1097 (retest ICC)"),
    "ssrs": Reliability(0.92, "test_retest", "肖水源 1994, 临床精神医学杂志 4(2):98-100 "
                        "(two-month retest of the total)"),
    "rses": Reliability(0.85, "test_retest", "Silber & Tippett 1965, Psychol Rep 16:1017-1071 "
                        "(two-week retest)"),
    "ucla3": Reliability(0.72, "alpha", "Hughes, Waite, Hawkley & Cacioppo 2004, Res Aging "
                         "26(6):655-672 (Cronbach's alpha)"),
    "sdq": Reliability(0.80, "alpha", "Goodman 2001, J Am Acad Child Adolesc Psychiatry "
                       "40(11):1337-1345 (self-report total difficulties)"),
    "apgar": Reliability(0.83, "test_retest", "Smilkstein, Ashworth & Montano 1982, J Fam "
                         "Pract 15(2):303-311 (two-week retest)"),
}  # fmt: skip


def answers_of(items: pd.DataFrame, measure_id: str) -> dict[int, int]:
    """Item number -> raw answer of one measure (for ``score`` or ``InstrumentForm``)."""
    _need(items, "case_measure_items", ["measure_id", "item", "answer"])
    rows = items[items["measure_id"] == measure_id]
    if rows.empty:
        raise CaseworkError("error.casework_unknown_measure", measure=measure_id)
    return {int(i): int(a) for i, a in zip(rows["item"], rows["answer"], strict=True)}


def compare_items(
    items: pd.DataFrame, pre_id: str, post_id: str, lang: Lang = "zh"
) -> pd.DataFrame:
    """Two measures of one instrument item by item: ``item``, ``label``, raw ``pre`` and
    ``post`` answers and ``change`` in keyed item scores (post - pre, after reverse keying)."""
    _need(items, "case_measure_items", ["measure_id", "instrument", "item", "answer"])
    names = []
    for mid in (pre_id, post_id):
        found = items.loc[items["measure_id"] == mid, "instrument"]
        if found.empty:
            raise CaseworkError("error.casework_unknown_measure", measure=mid)
        names.append(str(found.iloc[0]))
    if names[0] != names[1]:
        raise CaseworkError(
            "error.casework_instruments_differ", pre=pre_id, post=post_id,
            first=names[0], second=names[1],
        )  # fmt: skip
    inst = INSTRUMENTS[names[0]]
    pre, post = answers_of(items, pre_id), answers_of(items, post_id)
    return pd.DataFrame(
        {
            "item": [i.no for i in inst.items],
            "label": [i.zh if lang == "zh" else i.en for i in inst.items],
            "pre": [pre[i.no] for i in inst.items],
            "post": [post[i.no] for i in inst.items],
            "change": [i.keyed(post[i.no]) - i.keyed(pre[i.no]) for i in inst.items],
        }
    )


def safety_followups(
    measures: pd.DataFrame,
    cases: pd.DataFrame,
    ledger: pd.DataFrame,
    flag: str = "self_harm",
    within_days: int = 1,
) -> pd.DataFrame:
    """Measures carrying ``flag`` and the first contact recorded for the case on or after
    the measure date: ``next_contact_on``, ``days_to_contact`` and ``followed_up`` (a contact
    within ``within_days`` days). A follow-up that was made but not written down is missing."""
    _need(measures, "case_measures", ["measure_id", "case_id", "measured_on", "flags"])
    _need(ledger, "ledger", ["case_id", "contact_on"])
    hit = measures[measures["flags"].str.split(";").map(lambda codes: flag in codes)]
    hit = hit.merge(cases[["case_id", "station_id", "worker_id"]], on="case_id", how="left")
    contacts = hit[["measure_id", "case_id", "measured_on"]].merge(
        ledger.loc[ledger["case_id"].notna(), ["case_id", "contact_on"]], on="case_id"
    )
    contacts = contacts[contacts["contact_on"] >= contacts["measured_on"]]
    first = contacts.groupby("measure_id")["contact_on"].min().rename("next_contact_on")
    out = hit.merge(first, left_on="measure_id", right_index=True, how="left")
    out["days_to_contact"] = (out["next_contact_on"] - out["measured_on"]).dt.days
    out["followed_up"] = out["days_to_contact"].le(within_days).fillna(False).astype(bool)
    return out.reset_index(drop=True)


def safety_flag_name(code: str, lang: Lang = "zh") -> str:
    """A short name of a measure's safety flag (the code itself if it has none)."""
    msg_id = f"casework.safety.{code}"
    return text(msg_id, lang) if msg_id in catalogue() else code


def ecomap_summary(ties: pd.DataFrame) -> pd.DataFrame:
    """One row per case: ``ties`` and counts by strength, direction and tie type, plus
    ``informal_strong`` (strong family or community ties, the client's own assets)."""
    _need(ties, "case_ties", ["case_id", "strength", "direction", "tie_type"])
    parts: list[pd.Series | pd.DataFrame] = [ties.groupby("case_id").size().rename("ties")]
    for column, codes in (
        ("strength", ("strong", "moderate", "weak", "stressful")),
        ("direction", ("to_client", "from_client", "mutual")),
        ("tie_type", ("family", "community", "service")),
    ):
        parts.append(pd.crosstab(ties["case_id"], ties[column]).reindex(columns=codes))
    informal = (ties["strength"] == "strong") & ties["tie_type"].isin(["family", "community"])
    parts.append(informal.groupby(ties["case_id"]).sum().rename("informal_strong"))
    return pd.concat(parts, axis=1).fillna(0).astype(int)


def reliable_change_table(
    pairs: pd.DataFrame,
    reliability: Mapping[str, Reliability | float] | None = None,
    sd: Mapping[str, float] | None = None,
) -> pd.DataFrame:
    """Add the reliable change index to ``paired_scores`` output, signed so that positive is
    better: ``sd_pre`` (given, or the SD of the pre scores of that instrument in ``pairs``),
    ``reliability``, ``rci``, ``min_change`` (the smallest change that counts as reliable) and
    ``verdict``: improved, no_reliable_change or deteriorated (|RCI| > 1.96, Jacobson & Truax
    1991). Instruments without a reliability are left out; none at all is an error."""
    _need(pairs, "pairs", ["instrument", "pre", "post", "improvement"])
    table = RELIABILITY if reliability is None else reliability
    known = {k: (v.value if isinstance(v, Reliability) else float(v)) for k, v in table.items()}
    out = pairs[pairs["instrument"].isin(known)].copy()
    if out.empty:
        raise CaseworkError(
            "error.casework_no_reliability",
            instruments=", ".join(sorted(pairs["instrument"].unique())),
            known=", ".join(known),
        )
    spread = out.groupby("instrument")["pre"].std()
    out["sd_pre"] = out["instrument"].map(lambda i: (sd or {}).get(i, spread.get(i)))
    out["reliability"] = out["instrument"].map(known)
    out["rci"] = np.nan
    for inst, rows in out.groupby("instrument"):
        name, sd_pre = str(inst), float(rows["sd_pre"].iloc[0])
        if not sd_pre > 0:  # one pair has no spread: no RCI without a given SD
            continue
        raw = reliable_change(rows["pre"].to_numpy(), rows["post"].to_numpy(), sd_pre, known[name])
        out.loc[rows.index, "rci"] = raw * (-1.0 if INSTRUMENTS[name].higher_is_worse else 1.0)
    out["min_change"] = RCI_CUT * np.sqrt(2) * out["sd_pre"] * np.sqrt(1 - out["reliability"])
    out["verdict"] = np.select(
        [out["rci"] > RCI_CUT, out["rci"] < -RCI_CUT, out["rci"].notna()],
        ["improved", "deteriorated", "no_reliable_change"],
        "no_sd",
    )
    return out.reset_index(drop=True)
