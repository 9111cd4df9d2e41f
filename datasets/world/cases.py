"""Casework 个案: cases through the six stages of MZ/T 094-2017, with measures, goals and ties.

Stages (brief §2.2): 接案 intake, 预估 assessment, 计划 planning, 介入 intervention,
评估 evaluation, 结案 closure. Each case carries the date it reached each stage, in order; a case
still open at the end of the period stops at its current stage. Clients get the instruments
their group would get (brief §5, [A]): measured before (at assessment) and after (at evaluation).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import as_day, or_none, to_date, uniform_days
from shegong.datasets.world.good_practice import SCHOOL_AGE, age_on, fits_age
from shegong.datasets.world.measures import measure_frames
from shegong.datasets.world.names import codes

STAGES = ("intake", "assessment", "planning", "intervention", "evaluation", "closure")
STAGE_DATE_COLUMNS = tuple(f"{s}_on" for s in STAGES)
# Instruments each client group gets (brief §5 [A]); two are drawn per case among those that
# fit the client's age at assessment (practice.AGE_FIT): a child under 11 gets no SDQ
# self-report and no Rosenberg scale, only the Family APGAR, which the caregiver answers.
BATTERY = {
    "elder": ("barthel", "gds15", "ucla3", "ssrs", "phq9"),
    "child": ("sdq", "rses", "apgar"),
    "disabled": ("phq9", "ssrs", "k10"),
    "woman": ("phq9", "gad7", "ssrs"),
    "adult": ("k10", "ssrs", "who5"),
}
NEEDS = {
    "elder": ("loneliness", "daily_living", "mental_health", "financial_hardship"),
    "child": ("study_behaviour", "family_relations", "emotional", "safety_guardianship"),
    "disabled": ("disability_support", "employment", "mental_health", "financial_hardship"),
    "woman": ("family_relations", "mental_health", "employment", "caregiver_burden"),
    "adult": ("financial_hardship", "mental_health", "family_relations", "employment"),
}
NEED_ZH = {
    "loneliness": "孤独与社会隔离",
    "daily_living": "日常生活照料",
    "mental_health": "情绪困扰",
    "financial_hardship": "经济困难",
    "study_behaviour": "学业与行为问题",
    "family_relations": "家庭关系紧张",
    "emotional": "情绪与心理适应",
    "safety_guardianship": "监护与安全",
    "disability_support": "康复与无障碍支持",
    "employment": "就业与生计",
    "caregiver_burden": "照顾负担重",
}
REFERRALS = (
    "outreach_visit",
    "village_committee",
    "civil_affairs",
    "self_or_family",
    "school",
    "health_centre",
)
REFERRAL_ZH = {
    "outreach_visit": "走访发现",
    "village_committee": "村（居）委会转介",
    "civil_affairs": "乡镇民政办转介",
    "self_or_family": "本人或家属求助",
    "school": "学校转介",
    "health_centre": "卫生院转介",
}
CLOSURE_REASONS = ("goals_met", "referred", "transferred", "client_withdrew", "died_or_moved")
GROUP_ZH = {
    "elder": "老人",
    "child": "儿童",
    "disabled": "残疾人",
    "woman": "留守妇女",
    "adult": "困难群众",
}


def client_group(residents: pd.DataFrame) -> np.ndarray:
    """The casework client group of each resident."""
    age = residents["age"].to_numpy()
    return np.select(
        [
            age >= 60,
            age < 16,
            residents["disability_category"].notna().to_numpy(),
            residents["left_behind_woman"].to_numpy(),
        ],
        ["elder", "child", "disabled", "woman"],
        "adult",
    )


def _service_start(world: World, worker: np.ndarray) -> np.ndarray:
    """The day each worker can start serving: hired, and their station open."""
    workers = world["workers"].set_index("worker_id")
    opened = world["stations"].set_index("station_id")["opened_on"]
    hired = as_day(workers.loc[worker, "hired_on"])
    station_open = as_day(workers.loc[worker, "station_id"].map(opened))
    return np.maximum(hired, station_open)


def _case_counts(world: World, rng: np.random.Generator) -> pd.Series:
    workers = world["workers"]
    st = world["stations"].set_index("station_id")
    casework = workers[workers["station_id"].map(st["level"]).isin(["township_station"])]
    first_day = _service_start(world, casework["worker_id"].to_numpy()) + np.timedelta64(14, "D")
    months = np.maximum((np.datetime64(cal.PERIOD_END) - first_day).astype(np.int64), 0) / 30.4
    rate = cal.RATES.new_cases_per_worker_month * np.where(
        casework["employment"] == "full_time", 1.0, 0.4
    )
    return pd.Series(rng.poisson(np.maximum(months, 0) * rate), index=casework["worker_id"])


def _pick_clients(rng: np.random.Generator, world: World, workers: np.ndarray) -> np.ndarray:
    """One roster resident of the worker's station per case, vulnerable people more likely."""
    res = world["residents"]
    weight = (
        1.0
        + 2.0 * res["lives_alone"]
        + 1.5 * res["left_behind_child"]
        + 1.0 * res["tekun"]
        + 0.8 * res["dibao"]
        + 1.0 * res["disability_grade"].fillna(9).lt(3)
    ).to_numpy(float)
    station_of_worker = world["workers"].set_index("worker_id")["station_id"]
    case_station = station_of_worker.loc[workers].to_numpy()
    res_station = res["station_id"].to_numpy()
    order = np.argsort(res_station, kind="stable")
    sorted_station = res_station[order]
    cum = np.cumsum(weight[order])
    start = np.searchsorted(sorted_station, case_station, side="left")
    end = np.searchsorted(sorted_station, case_station, side="right")
    base = np.where(start > 0, cum[np.maximum(start - 1, 0)], 0.0)
    target = base + rng.random(case_station.size) * (cum[end - 1] - base)
    pos = np.clip(np.searchsorted(cum, target, side="right"), start, end - 1)
    return res["resident_id"].to_numpy()[order[pos]]


def _stage_dates(rng: np.random.Generator, intake: np.ndarray) -> dict[str, np.ndarray]:
    n = intake.size
    gaps = {
        "assessment_on": rng.integers(2, 15, n),
        "planning_on": rng.integers(5, 21, n),
        "intervention_on": rng.integers(1, 11, n),
        "evaluation_on": rng.integers(30, 151, n),
        "closure_on": rng.integers(3, 21, n),
    }
    dates = {"intake_on": intake}
    current = intake
    for column, gap in gaps.items():
        current = current + gap.astype("timedelta64[D]")
        dates[column] = current
    return dates


def _cases(world: World, rng: np.random.Generator) -> pd.DataFrame:
    counts = _case_counts(world, rng)
    worker = np.repeat(counts.index.to_numpy(), counts.to_numpy())
    n = worker.size
    hired = _service_start(world, worker)
    intake = uniform_days(
        rng, hired + np.timedelta64(14, "D"), np.full(n, np.datetime64(cal.PERIOD_END))
    )
    order = np.lexsort((intake, worker))
    worker, intake = worker[order], intake[order]
    resident = _pick_clients(rng, world, worker)
    res = world["residents"].set_index("resident_id").loc[resident]
    group = client_group(res)
    dates = _stage_dates(rng, intake)
    end = np.datetime64(cal.PERIOD_END)
    # 12 % are referred on at intake and never opened (brief §2.2 stage 1: accept or refer).
    referred_at_intake = (rng.random(n) < 0.12) & (intake + np.timedelta64(3, "D") <= end)
    withdrew_after = np.where(rng.random(n) < 0.08, rng.integers(2, 4, n), 99)
    stage_index = np.zeros(n, dtype=np.int64)
    for k, column in enumerate(STAGE_DATE_COLUMNS[1:], start=1):
        reached = (dates[column] <= end) & ~referred_at_intake & (k <= withdrew_after)
        stage_index = np.where(reached & (stage_index == k - 1), k, stage_index)
    for k, column in enumerate(STAGE_DATE_COLUMNS[1:], start=1):
        dates[column] = np.where(stage_index >= k, dates[column], np.datetime64("NaT"))
    # Closure: at intake for referrals; after withdrawal; or the full path.
    closed_early = referred_at_intake | (
        (withdrew_after < 99)
        & (stage_index == withdrew_after)
        & (dates["intake_on"] + np.timedelta64(60, "D") <= end)
    )
    closure_on = np.where(
        referred_at_intake,
        intake + np.timedelta64(3, "D"),
        np.where(closed_early, intake + np.timedelta64(45, "D"), dates["closure_on"]),
    )
    dates["closure_on"] = np.where(
        closed_early | (stage_index == 5), closure_on, np.datetime64("NaT")
    )
    reason = np.where(
        referred_at_intake,
        "referred",
        np.where(
            closed_early,
            "client_withdrew",
            rng.choice(
                ("goals_met", "goals_met", "goals_met", "transferred", "referred", "died_or_moved"),
                n,
            ),
        ),
    )
    closed = ~np.isnat(dates["closure_on"])
    stage = np.where(closed, "closure", np.array(STAGES)[stage_index])
    need = _need(rng, group)
    risk = rng.choice(("low", "medium", "high"), n, p=(0.55, 0.33, 0.12))
    frame = pd.DataFrame(
        {
            "case_id": codes("K", n, 6),
            "station_id": world["workers"]
            .set_index("worker_id")
            .loc[worker, "station_id"]
            .to_numpy(),
            "worker_id": worker,
            "resident_id": resident,
            "client_group": group,
            "referral_source": _referrals(rng, group, age_on(as_day(res["birth_date"]), intake)),
            "presenting_need": need,
            "risk_level": risk,
            **{column: to_date(dates[column]) for column in STAGE_DATE_COLUMNS},
            "stage": stage,
            "closure_reason": or_none(closed, reason),
        }
    )
    frame["notes_zh"] = _notes(frame, res)
    return frame


# Who refers each client group [A]: schools only refer school-age children (6 or older at
# intake); health centres mostly elders, disabled people and young children.
_REFERRAL_P = {
    "child": (0.30, 0.20, 0.10, 0.15, 0.25, 0.00),
    "child_under_6": (0.30, 0.20, 0.10, 0.28, 0.00, 0.12),
    "elder": (0.38, 0.25, 0.15, 0.14, 0.00, 0.08),
    "disabled": (0.30, 0.20, 0.25, 0.13, 0.00, 0.12),
    "woman": (0.34, 0.28, 0.12, 0.22, 0.00, 0.04),
    "adult": (0.30, 0.25, 0.25, 0.17, 0.00, 0.03),
}


def _referrals(rng: np.random.Generator, group: np.ndarray, age: np.ndarray) -> np.ndarray:
    key = np.where((group == "child") & (age < SCHOOL_AGE), "child_under_6", group)
    out = np.empty(group.size, dtype=object)
    for g, p in _REFERRAL_P.items():
        mask = key == g
        out[mask] = rng.choice(REFERRALS, int(mask.sum()), p=p)
    return out


def _need(rng: np.random.Generator, group: np.ndarray) -> np.ndarray:
    need = np.empty(group.size, dtype=object)
    for g, options in NEEDS.items():
        mask = group == g
        need[mask] = rng.choice(options, int(mask.sum()))
    return need


def _notes(cases: pd.DataFrame, res: pd.DataFrame) -> np.ndarray:
    """A short Chinese case note; the client appears by pseudonym (surname + 某)."""
    alias = res["name_zh"].str[0].to_numpy() + "某"
    # Age at intake, as the worker wrote it then.
    born = pd.to_datetime(res["birth_date"]).to_numpy().astype("datetime64[D]")
    intake = pd.to_datetime(cases["intake_on"]).to_numpy().astype("datetime64[D]")
    age = ((intake - born).astype(np.int64) // 365.25).astype(np.int64).astype(str)
    lives = np.where(res["lives_alone"].to_numpy(), "独居，", "")
    left = np.select(
        [
            res["left_behind_elder"].to_numpy(),
            res["left_behind_child"].to_numpy(),
            res["left_behind_woman"].to_numpy(),
        ],
        ["留守老人，", "留守儿童，", "留守妇女，"],
        "",
    )
    support = np.select(
        [res["tekun"].to_numpy(), res["dibao"].to_numpy(), res["dibao_edge"].to_numpy()],
        ["特困供养对象。", "低保对象。", "低保边缘家庭。"],
        "",
    )
    need = cases["presenting_need"].map(NEED_ZH).to_numpy()
    source = cases["referral_source"].map(REFERRAL_ZH).to_numpy()
    risk = cases["risk_level"].map({"low": "低", "medium": "中", "high": "高"}).to_numpy()
    text = (
        pd.Series(alias)
        + "，"
        + age
        + "岁，"
        + lives
        + left
        + support
        + "经"
        + source
        + "接案，主要需求为"
        + need
        + "，风险等级"
        + risk
        + "。"
    )
    return text.to_numpy(dtype=object)


def _measure_plan(
    rng: np.random.Generator, cases: pd.DataFrame, residents: pd.DataFrame
) -> pd.DataFrame:
    assessed = cases[cases["assessment_on"].notna()]
    born = as_day(assessed["resident_id"].map(residents.set_index("resident_id")["birth_date"]))
    age = age_on(born, as_day(assessed["assessment_on"]))
    group = assessed["client_group"].to_numpy()
    parts = []
    for name, battery in BATTERY.items():
        mask = group == name
        if not mask.any():
            continue
        options = np.array(battery)
        fit = np.column_stack([fits_age(np.full(int(mask.sum()), i), age[mask]) for i in battery])
        # Random order among the instruments that fit; those that do not fit sort last.
        pick = np.where(fit, rng.random(fit.shape), 2.0).argsort(axis=1)
        for k in range(min(2, len(battery))):
            chosen = np.take_along_axis(fit, pick[:, k : k + 1], axis=1)[:, 0]
            parts.append(
                pd.DataFrame(
                    {
                        "case_id": assessed["case_id"].to_numpy()[mask][chosen],
                        "instrument": options[pick[chosen, k]],
                    }
                )
            )
    plan = pd.concat(parts, ignore_index=True)
    info = cases.set_index("case_id")
    severity = np.clip(
        rng.beta(2.6, 3.4, len(plan))
        + plan["case_id"]
        .map(info["risk_level"])
        .map({"low": -0.1, "medium": 0.0, "high": 0.15})
        .to_numpy(),
        0.02,
        0.98,
    )
    pre = plan.assign(
        timepoint="pre", measured_on=plan["case_id"].map(info["assessment_on"]), severity=severity
    )
    evaluated = plan["case_id"].map(info["evaluation_on"]).notna().to_numpy()
    # Most clients improve a little; some do not; a few get worse [A].
    change = rng.normal(0.12, 0.12, len(plan))
    post = plan[evaluated].assign(
        timepoint="post",
        measured_on=plan.loc[evaluated, "case_id"].map(info["evaluation_on"]),
        severity=np.clip(severity[evaluated] - change[evaluated], 0.01, 0.99),
    )
    both = pd.concat([pre, post], ignore_index=True)
    return both.sort_values(
        ["case_id", "instrument", "timepoint"],
        key=lambda s: s.map({"pre": 0, "post": 1}) if s.name == "timepoint" else s,
        kind="stable",
    )


def build_cases(world: World) -> None:
    """Add cases, their measures (and item answers), goals and ecomap ties."""
    rng = world.rng("cases")
    cases = _cases(world, rng)
    measures, items = measure_frames(rng, _measure_plan(rng, cases, world["residents"]))
    world.add("cases", cases)
    world.add("case_measures", measures)
    world.add("case_measure_items", items)
