"""Case file 个案档案: what the casework course computes from the case tables.

The six stages of MZ/T 094-2017 (接案, 预估, 计划, 介入, 评估, 结案) leave records behind; these
helpers turn the generated tables into what a station worker reads at each stage:

- intake: ``screening_list`` (roster flags such as 低保, 特困, 低保边缘 with screening points);
- assessment: ``answers_of`` and ``compare_items`` (item answers of a measure), and
  ``safety_followups`` (flagged measures and the next recorded contact);
- the client's world: ``ecomap_summary`` (ties per case by strength, direction and type);
- intervention: ``case_timeline`` (stages, contacts and measures of one case, by date) and
  ``caseload`` (open cases per worker on a day); ``stage_durations`` for the whole process;
- evaluation and closure: ``reliable_change_table`` (RCI with cited reliabilities, all [K])
  and ``case_record`` (a closing summary that names the client by pseudonym only).

``code_label`` and ``with_labels`` show codes in Chinese or English using the data card.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from shegong.datasets.card import card
from shegong.datasets.instruments import INSTRUMENTS, Instrument
from shegong.datasets.toolkits.outcomes import reliable_change
from shegong.datasets.world.cases import STAGE_DATE_COLUMNS, STAGES
from shegong.errors import ShegongError
from shegong.messages import Lang, catalogue, text

PERIOD_END = pd.Timestamp("2022-10-31")  # last day of the simulated records
FOLLOW_UP_DAYS = (30, 90)  # follow-up visits after closure [A], not a standard
SEP = {"zh": "、", "en": ", "}  # list separator per language
RCI_CUT = 1.96  # |RCI| above this is unlikely (p < .05) to be measurement noise alone

RESIDENT_FLAGS = (
    "tekun",
    "dibao",
    "dibao_edge",
    "lives_alone",
    "left_behind_child",
    "left_behind_elder",
    "left_behind_woman",
)
# Screening points [A]: a teaching aid for ordering outreach visits, not an eligibility rule.
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


class CaseworkError(ShegongError):
    """Case tables or ids the casework helpers cannot use."""


@dataclass(frozen=True)
class Reliability:
    """A published reliability coefficient for the RCI; every value here is [K], to verify."""

    value: float
    kind: str  # "test_retest" or "alpha" (internal consistency)
    source: str
    tag: str = "[K]"


# [K] background knowledge, not re-checked against the papers: verify before reporting.
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


# ---------------------------------------------------------------- labels
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


# ---------------------------------------------------------------- stage 1: intake
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


# ---------------------------------------------------------------- stage 2: assessment
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


# ---------------------------------------------------------------- stage 2: the client's world
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


# ---------------------------------------------------------------- the whole process
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


def _name(inst: Instrument, lang: Lang) -> str:
    return inst.name_zh if lang == "zh" else inst.name_en


def _band(inst: Instrument, total: float, lang: Lang) -> str:
    band = inst.band_for(total)
    return band.zh if lang == "zh" else band.en


def _day(value: Any) -> str:
    return f"{pd.Timestamp(value):%Y-%m-%d}"


# ---------------------------------------------------------------- stage 5: evaluation
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


# ---------------------------------------------------------------- stage 6: closure
@dataclass(frozen=True)
class CaseRecord:
    """What a closing summary says about one case; ``to_text`` writes it in one language."""

    case: pd.Series
    contacts: pd.Series  # contact code -> count
    measures: pd.DataFrame  # instrument, pre, post (post is NaN before evaluation)
    goals: int
    gas_tscore: float | None
    follow_up: tuple[pd.Timestamp, ...]
    open_flags: tuple[str, ...] = ()  # safety flags on the latest measure of an instrument

    @property
    def pseudonym(self) -> str:
        """The client's pseudonym (surname + 某), as in the case note."""
        return pseudonym(self.case["notes_zh"])

    def to_text(self, lang: Lang = "zh") -> str:
        """The closing summary in ``lang``: pseudonym and ids only, never a name."""
        lines = [
            text("casework.record.title", lang, case=self.case["case_id"]),
            text(
                "casework.record.client",
                lang,
                pseudonym=self.pseudonym,
                group=self._label("client_group", lang),
                source=self._label("referral_source", lang),
                need=self._label("presenting_need", lang),
                risk=self._label("risk_level", lang),
            ),
            text("casework.record.stages", lang, stages=self._stages(lang)),
            self._contacts_text(lang),
            *(self._measure_line(m, lang) for _, m in self.measures.iterrows()),
            *self._flags_text(lang),
            self._goals_text(lang),
            *self._ending(lang),
            text("casework.record.privacy", lang),
        ]
        return "\n".join(lines)

    def _label(self, column: str, lang: Lang) -> str:
        return code_label("cases", column, self.case[column], lang)

    def _stages(self, lang: Lang) -> str:
        reached = [s for s in STAGES if pd.notna(self.case[f"{s}_on"])]
        steps = [
            f"{code_label('cases', 'stage', s, lang)} {_day(self.case[f'{s}_on'])}" for s in reached
        ]
        return " → ".join(steps)

    def _contacts_text(self, lang: Lang) -> str:
        if self.contacts.sum() == 0:
            return text("casework.record.no_contacts", lang)
        parts = [
            f"{code_label('ledger', 'contact', k, lang)} {v}" for k, v in self.contacts.items()
        ]
        detail = SEP[lang].join(parts)
        return text("casework.record.contacts", lang, count=int(self.contacts.sum()), detail=detail)

    def _measure_line(self, m: pd.Series, lang: Lang) -> str:
        inst = INSTRUMENTS[str(m["instrument"])]
        pre = {"instrument": _name(inst, lang), "pre": int(m["pre"])}
        pre["band_pre"] = _band(inst, m["pre"], lang)
        if pd.isna(m["post"]):
            return text("casework.record.measure_pre_only", lang, **pre)
        post = {"post": int(m["post"]), "band_post": _band(inst, m["post"], lang)}
        return text("casework.record.measure", lang, **pre, **post)

    def _flags_text(self, lang: Lang) -> list[str]:
        if not self.open_flags:
            return []
        names = [safety_flag_name(f, lang) for f in self.open_flags]
        return [text("casework.record.open_flags", lang, flags=SEP[lang].join(names))]

    def _goals_text(self, lang: Lang) -> str:
        if self.goals == 0:
            return text("casework.record.no_goals", lang)
        if self.gas_tscore is None:
            return text("casework.record.goals_unrated", lang, count=self.goals)
        tscore = f"{self.gas_tscore:.1f}"
        return text("casework.record.goals", lang, count=self.goals, tscore=tscore)

    def _ending(self, lang: Lang) -> list[str]:
        if pd.isna(self.case["closure_on"]):
            return [text("casework.record.open", lang, stage=self._label("stage", lang))]
        reason = self._label("closure_reason", lang)
        dates = SEP[lang].join(_day(d) for d in self.follow_up)
        days = "/".join(str(d) for d in FOLLOW_UP_DAYS)
        return [
            text(
                "casework.record.closure", lang, date=_day(self.case["closure_on"]), reason=reason
            ),
            text("casework.record.follow_up", lang, dates=dates, days=days),
        ]


def case_record(
    case_id: str,
    cases: pd.DataFrame,
    ledger: pd.DataFrame,
    measures: pd.DataFrame,
    goals: pd.DataFrame,
) -> CaseRecord:
    """Gather one case's closing-summary facts: stages, contacts by type, pre/post scores,
    safety flags still on the latest measure of an instrument, goals with the GAS T-score,
    and follow-up dates ``FOLLOW_UP_DAYS`` after closure [A]."""
    case = _case_row(cases, case_id)
    mine = measures[measures["case_id"] == case_id]
    wide = mine.pivot_table(
        index="instrument", columns="timepoint", values="total", aggfunc="first"
    )
    wide = wide.reindex(columns=["pre", "post"]).dropna(subset=["pre"]).reset_index()
    contacts = ledger.loc[ledger["case_id"] == case_id, "contact"].value_counts()
    latest = mine.sort_values("measured_on").groupby("instrument").tail(1)
    codes = latest["flags"] if "flags" in latest else pd.Series(dtype=str)
    flags = sorted({c for joined in codes.dropna() for c in str(joined).split(";") if c})
    tscore = case.get("gas_tscore")
    closed = pd.notna(case["closure_on"])
    return CaseRecord(
        case=case,
        contacts=contacts,
        measures=wide,
        goals=int((goals["case_id"] == case_id).sum()),
        gas_tscore=float(tscore) if tscore is not None and pd.notna(tscore) else None,
        follow_up=tuple(case["closure_on"] + pd.Timedelta(days=d) for d in FOLLOW_UP_DAYS)
        if closed
        else (),
        open_flags=tuple(flags),
    )
