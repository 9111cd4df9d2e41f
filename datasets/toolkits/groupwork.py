"""Group work 小组工作 analysis for the group-work course: candidates, attendance, outcomes.

The tables are the generated ``groups``, ``group_members``, ``group_sessions``,
``group_attendance`` and ``group_measures`` (and ``residents``, ``cases``, ``case_measures``
to find candidates). Definitions follow MZ/T 095-2017's five stages and the practice
conventions of brief §6.2:

- attendance rate = sessions attended / sessions planned;
- completer = attended at least 75 % of the planned sessions of a finished group;
- dropout = attended nothing after session 2, in a group that has held session 3.

Every function takes tables and returns a new table (or text); nothing is loaded or changed.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from scipy import optimize, stats

from shegong.datasets.card import card
from shegong.datasets.instruments import INSTRUMENTS
from shegong.datasets.toolkits.outcomes import OutcomeError, paired_scores, paired_test
from shegong.datasets.world.groups import TARGETS
from shegong.errors import ShegongError
from shegong.messages import Lang, text

STAGES = ("preparation", "formation", "transition", "maturity", "termination")
COMPLETER_SHARE = 0.75
DROPOUT_BEFORE = 3
# Default age bands of each target group [A]: the worker's choice, not a standard.
AGES = {
    "elder_loneliness": (60, 120),
    "child_social_skills": (8, 15),
    "women_support": (16, 120),
    "disability_mutual_aid": (16, 59),
}
# Case-measure bands that suit a group, or call for individual service first [A].
SUITS = {
    "ucla3": {"lonely"},
    "rses": {"lower", "middle"},
    "phq9": {"mild", "moderate"},
    "ssrs": {"low", "medium"},
}
INDIVIDUAL_FIRST = {"phq9": {"moderately_severe", "severe"}}
NEED_ORDER = ("suits_group", "not_measured", "low_need", "individual_first")


class GroupworkError(ShegongError):
    """A target, group or session the group-work helpers cannot use."""


def labels(table: str, column: str, lang: Lang = "zh") -> dict[str, str]:
    """Display names of a coded column from the data card, e.g. ``admitted`` -> 入组."""
    choices = card().tables[table].column(column).choices
    side = 0 if lang == "zh" else 1
    return {code: [*name.split(" / ", 1), name][side] for code, name in choices.items()}


def stage_label(stage: str, lang: Lang = "zh") -> str:
    """The name of a group stage (MZ/T 095-2017), e.g. ``transition`` -> 转折期."""
    return text(f"groupwork.stage.{stage}", lang)


def stage_of(session_no: int, planned: int) -> str:
    """The stage of session ``session_no`` of ``planned``: 1 formation, the last termination,
    up to ceil(planned / 3) + 1 transition, the rest maturity (the data card's rule)."""
    if session_no == 1:
        return "formation"
    if session_no == planned:
        return "termination"
    return "transition" if session_no <= math.ceil(planned / 3) + 1 else "maturity"


def _target(target: str) -> tuple[str, str]:
    if target not in TARGETS:
        raise GroupworkError(
            "error.groupwork_unknown_target", target=target, choices=", ".join(TARGETS)
        )
    return TARGETS[target][1], TARGETS[target][2]


def eligible(
    residents: pd.DataFrame, target: str, ages: tuple[int, int] | None = None
) -> pd.Series:
    """Which roster residents share the need of a target group (roster flags and age band)."""
    _target(target)
    low, high = ages or AGES[target]
    in_band = residents["age"].between(low, high)
    flag = {
        "elder_loneliness": residents["left_behind_elder"] | residents["lives_alone"],
        "child_social_skills": residents["left_behind_child"],
        "women_support": residents["left_behind_woman"],
        "disability_mutual_aid": residents["disability_category"].notna(),
    }[target]
    return (in_band & flag).rename("eligible")


def latest_measures(
    cases: pd.DataFrame, case_measures: pd.DataFrame, instrument: str
) -> pd.DataFrame:
    """Each resident's latest case measure on ``instrument``: total, band, flags, date."""
    found = case_measures[case_measures["instrument"] == instrument].merge(
        cases[["case_id", "resident_id"]], on="case_id"
    )
    found = found.sort_values(["resident_id", "measured_on"]).drop_duplicates(
        "resident_id", keep="last"
    )
    return found[["resident_id", "total", "band", "flags", "measured_on"]].reset_index(drop=True)


def _need(instrument: str, band: pd.Series, flags: pd.Series) -> pd.Series:
    need = np.select(
        [
            band.isna(),
            band.isin(INDIVIDUAL_FIRST.get(instrument, set()))
            | flags.fillna("").str.contains("self_harm"),
            band.isin(SUITS[instrument]),
        ],
        ["not_measured", "individual_first", "suits_group"],
        "low_need",
    )
    return pd.Series(need, index=band.index)


def find_candidates(
    residents: pd.DataFrame,
    target: str,
    cases: pd.DataFrame | None = None,
    case_measures: pd.DataFrame | None = None,
    ages: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Roster residents eligible for a target group, with their latest case score if any.

    ``need`` reads the latest case measure on the group's outcome instrument: ``suits_group``,
    ``individual_first`` (e.g. PHQ-9 15+ or a self-harm flag: casework and safety first),
    ``low_need`` or ``not_measured``; rows are sorted in that order, then station and village.
    """
    instrument, _ = _target(target)
    keep = [
        "resident_id",
        "station_id",
        "village_id",
        "age",
        "sex",
        "lives_alone",
        "left_behind_elder",
        "left_behind_child",
        "left_behind_woman",
        "disability_category",
    ]
    found = residents.loc[eligible(residents, target, ages), keep].reset_index(drop=True)
    found["instrument"] = instrument
    scores = pd.DataFrame(columns=["resident_id", "total", "band", "flags"])
    if cases is not None and case_measures is not None:
        scores = latest_measures(cases, case_measures, instrument)
    scores = scores.rename(
        columns={"total": "screen_total", "band": "screen_band", "flags": "screen_flags"}
    )
    found = found.merge(
        scores[["resident_id", "screen_total", "screen_band", "screen_flags"]],
        on="resident_id",
        how="left",
    )
    found["need"] = _need(instrument, found["screen_band"], found["screen_flags"])
    order = found["need"].map({n: k for k, n in enumerate(NEED_ORDER)})
    found = found.assign(_o=order).sort_values(["_o", "station_id", "village_id", "resident_id"])
    return found.drop(columns="_o").reset_index(drop=True)


def village_reach(
    candidates: pd.DataFrame, villages: pd.DataFrame, group_size: int = 8
) -> pd.DataFrame:
    """Candidates per village, most first, and whether one village alone can fill a group."""
    counts = candidates.groupby(["station_id", "village_id"]).size().rename("candidates")
    info = villages.set_index("village_id")[["name_zh", "type", "outmigration_share"]]
    out = counts.reset_index().join(info, on="village_id")
    out["enough_alone"] = out["candidates"] >= group_size
    return out.sort_values(["candidates", "village_id"], ascending=[False, True]).reset_index(
        drop=True
    )


def screening_summary(members: pd.DataFrame) -> pd.DataFrame:
    """Per group: candidates, admitted, share admitted and the count of each screen-out reason."""
    out = members.groupby("group_id").agg(
        candidates=("resident_id", "size"),
        admitted=("screening", lambda s: int((s == "admitted").sum())),
    )
    out["admitted_share"] = out["admitted"] / out["candidates"]
    reasons = pd.crosstab(members["group_id"], members["screen_out_reason"])
    out = out.join(reasons)
    out[reasons.columns] = out[reasons.columns].fillna(0).astype(int)
    return out.reset_index()


def session_plan(groups: pd.DataFrame, group_id: str) -> pd.DataFrame:
    """The planned sessions of one group: number, date and stage (for the group plan)."""
    row = _group_row(groups, group_id)
    n = int(row["planned_sessions"])
    no = np.arange(1, n + 1)
    dates = pd.Timestamp(row["first_session_on"]) + pd.to_timedelta(
        (no - 1) * int(row["interval_days"]), "D"
    )
    return pd.DataFrame(
        {"session_no": no, "planned_on": dates, "stage": [stage_of(int(k), n) for k in no]}
    )


def _group_row(groups: pd.DataFrame, group_id: str) -> pd.Series:
    rows = groups[groups["group_id"] == group_id]
    if rows.empty:
        raise GroupworkError("error.groupwork_unknown_group", group_id=group_id)
    return rows.iloc[0]


def session_overview(
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    engagement_drop: float = 0.8,
    attendance_floor: float = 0.6,
) -> pd.DataFrame:
    """One row per session held: members present, attendance share and engagement, with flags
    for sessions worth a closer look: engagement ``engagement_drop`` or more below the group's
    own mean, or attendance share below ``attendance_floor``."""
    counts = attendance.groupby("session_id")["attended"].agg(present="sum", members="size")
    out = sessions.join(counts, on="session_id")
    out["attendance_share"] = out["present"] / out["members"]
    out["group_engagement"] = out.groupby("group_id")["engagement"].transform("mean")
    out["low_engagement"] = out["engagement"] <= out["group_engagement"] - engagement_drop
    out["low_attendance"] = out["attendance_share"] < attendance_floor
    return out.sort_values(["group_id", "session_no"]).reset_index(drop=True)


def member_attendance(
    members: pd.DataFrame, groups: pd.DataFrame, sessions: pd.DataFrame, attendance: pd.DataFrame
) -> pd.DataFrame:
    """One row per admitted member: sessions planned, held and attended, attendance rate
    (attended / planned), the last session attended, ``finished`` (every planned session
    held), ``completer``, ``dropout`` and ``status`` (completer, partial, dropout, ongoing)."""
    admitted = members.loc[members["screening"] == "admitted", ["group_id", "resident_id"]]
    att = attendance.merge(sessions[["session_id", "group_id", "session_no"]], on="session_id")
    present = att[att["attended"]]
    per = present.groupby(["group_id", "resident_id"])["session_no"].agg(
        attended="size", last_attended="max"
    )
    out = admitted.join(per, on=["group_id", "resident_id"])
    out[["attended", "last_attended"]] = out[["attended", "last_attended"]].fillna(0).astype(int)
    out["planned"] = (
        out["group_id"].map(groups.set_index("group_id")["planned_sessions"]).astype(int)
    )
    held = sessions.groupby("group_id")["session_no"].max()
    out["held"] = out["group_id"].map(held).fillna(0).astype(int)
    out["rate"] = out["attended"] / out["planned"]
    out["finished"] = out["held"] >= out["planned"]
    out["completer"] = out["finished"] & (out["rate"] >= COMPLETER_SHARE)
    out["dropout"] = (out["held"] >= DROPOUT_BEFORE) & (out["last_attended"] < DROPOUT_BEFORE)
    out["status"] = np.select(
        [out["dropout"], ~out["finished"], out["completer"]],
        ["dropout", "ongoing", "completer"],
        "partial",
    )
    return out.reset_index(drop=True)


def attendance_trend(overview: pd.DataFrame, threshold: float = 0.2) -> pd.DataFrame:
    """Per group with 4+ sessions held: mean attendance share of the first two and of the last
    two sessions held, the change, and ``falling`` when it fell by ``threshold`` or more."""
    k = overview.groupby("group_id")["session_no"]
    rank_last = k.rank(ascending=False)
    out = pd.DataFrame(
        {
            "sessions_held": k.size(),
            "first_two": overview[overview["session_no"] <= 2]
            .groupby("group_id")["attendance_share"]
            .mean(),
            "last_two": overview[rank_last <= 2].groupby("group_id")["attendance_share"].mean(),
        }
    )
    out = out[out["sessions_held"] >= 4].copy()
    out["change"] = out["last_two"] - out["first_two"]
    out["falling"] = out["change"] <= -threshold
    return out.reset_index().sort_values("change").reset_index(drop=True)


def dz_interval(dz: float, n: int, level: float = 0.95) -> tuple[float, float]:
    """Confidence interval of Cohen's d_z from ``n`` pairs, by inverting the noncentral t
    distribution of t = d_z * sqrt(n) (exact under normal differences)."""
    if n < 2 or not math.isfinite(dz):
        return (math.nan, math.nan)
    t, df, tail = dz * math.sqrt(n), n - 1, (1 - level) / 2

    def ncp_for(prob: float) -> float:
        def gap(ncp: float) -> float:
            return float(stats.nct.cdf(t, df, ncp)) - prob

        low, high = t - 10.0, t + 10.0
        while gap(low) < 0:
            low -= 10.0
        while gap(high) > 0:
            high += 10.0
        return float(optimize.brentq(gap, low, high, xtol=1e-10))

    return (ncp_for(1 - tail) / math.sqrt(n), ncp_for(tail) / math.sqrt(n))


def group_outcomes(measures: pd.DataFrame, min_pairs: int = 3) -> pd.DataFrame:
    """Per group with ``min_pairs`` or more pre/post pairs: the paired test (t and Wilcoxon),
    the mean improvement with its 95 % CI, and d_z with its 95 % CI."""
    pairs = pairs_or_empty(measures)
    rows = []
    for (gid, inst), d in pairs.groupby(["group_id", "instrument"]):
        if len(d) < min_pairs:
            continue
        r = paired_test(
            d["pre"].tolist(), d["post"].tolist(), INSTRUMENTS[str(inst)].higher_is_worse
        )
        dz_low, dz_high = dz_interval(r.effect_dz, r.n)
        rows.append(
            {
                "group_id": gid,
                "instrument": inst,
                "n": r.n,
                "mean_pre": r.mean_pre,
                "mean_post": r.mean_post,
                "mean_improvement": r.mean_improvement,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "dz": r.effect_dz,
                "dz_low": dz_low,
                "dz_high": dz_high,
                "p_t": r.p_t,
                "p_wilcoxon": r.p_wilcoxon,
            }
        )
    return pd.DataFrame(rows)


def pairs_or_empty(measures: pd.DataFrame) -> pd.DataFrame:
    """``paired_scores`` by group member, or an empty table of the same columns if no pairs."""
    try:
        return paired_scores(measures, ["group_id", "resident_id"])
    except OutcomeError:
        cols = ["group_id", "resident_id", "instrument", "pre", "post", "change", "improvement"]
        return pd.DataFrame(columns=cols).astype({c: float for c in cols[3:]})


def follow_up(measures: pd.DataFrame) -> pd.DataFrame:
    """Each member's pre-test total and whether they also have a post-test (for attrition)."""
    pre = measures[measures["timepoint"] == "pre"][
        ["group_id", "resident_id", "instrument", "total"]
    ]
    post = measures[measures["timepoint"] == "post"].set_index(["group_id", "resident_id"]).index
    has_post = pd.MultiIndex.from_frame(pre[["group_id", "resident_id"]]).isin(post)
    return pre.rename(columns={"total": "pre"}).assign(has_post=has_post).reset_index(drop=True)


def null_significant(
    pairs: pd.DataFrame, reps: int = 200, alpha: float = 0.05, seed: int = 0
) -> np.ndarray:
    """How many groups look 'significant' (paired t, p < alpha) when nothing changed: each
    group's improvements get random signs ``reps`` times; returns one count per repetition."""
    rng = np.random.default_rng(seed)
    blocks = [d["improvement"].to_numpy(float) for _, d in pairs.groupby("group_id") if len(d) >= 3]
    counts = np.zeros(reps, dtype=int)
    for diff in blocks:
        flipped = diff * rng.choice((-1.0, 1.0), (reps, diff.size))
        sd = flipped.std(axis=1, ddof=1)
        t = np.divide(
            flipped.mean(axis=1) * math.sqrt(diff.size), sd, out=np.zeros(reps), where=sd > 0
        )
        counts += 2 * stats.t.sf(np.abs(t), diff.size - 1) < alpha
    return counts


def group_summary(
    groups: pd.DataFrame,
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    measures: pd.DataFrame,
) -> pd.DataFrame:
    """One row per group: size, sessions held, attendance, completers, dropouts, pre/post pairs,
    mean improvement (positive = better) and mean satisfaction."""
    ma = member_attendance(members, groups, sessions, attendance)
    per = ma.groupby("group_id").agg(
        admitted=("resident_id", "size"),
        attendance_rate=("rate", "mean"),
        completers=("completer", "sum"),
        dropouts=("dropout", "sum"),
    )
    pairs = pairs_or_empty(measures).groupby("group_id")["improvement"]
    out = groups[
        ["group_id", "station_id", "target", "outcome_instrument", "planned_sessions"]
    ].copy()
    out["candidates"] = (
        out["group_id"].map(members.groupby("group_id").size()).fillna(0).astype(int)
    )
    out["sessions_held"] = (
        out["group_id"].map(sessions.groupby("group_id")["session_no"].max()).fillna(0)
    )
    out["sessions_held"] = out["sessions_held"].astype(int)
    out["finished"] = out["sessions_held"] >= out["planned_sessions"]
    out = out.join(per, on="group_id")
    out["pairs"] = out["group_id"].map(pairs.size()).fillna(0).astype(int)
    out["mean_improvement"] = out["group_id"].map(pairs.mean())
    out["satisfaction"] = out["group_id"].map(
        members.groupby("group_id")["satisfaction"].mean().astype(float)
    )
    return out


def file_check(
    groups: pd.DataFrame,
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    measures: pd.DataFrame,
) -> pd.DataFrame:
    """What an evaluator would look for in each group's file (brief §2.2, §6.2): a plan dated
    before session 1, a reason for every candidate not admitted, a record for every session
    held, and the shares of members pre-tested and of completers post-tested and rating
    satisfaction."""
    ma = member_attendance(members, groups, sessions, attendance)
    out = groups[["group_id"]].copy()
    out["plan"] = (groups["planned_on"] < groups["first_session_on"]).to_numpy()
    out_rea = members[members["screening"] == "not_admitted"].groupby("group_id")[
        "screen_out_reason"
    ]
    out["screening_reasons"] = (
        out["group_id"].map(out_rea.apply(lambda s: s.notna().all())).fillna(True)
    )
    recorded = sessions.dropna(subset=["engagement"]).groupby("group_id")["session_no"]
    out["session_records"] = out["group_id"].map(recorded.nunique() == recorded.max()).fillna(False)
    key = ["group_id", "resident_id"]
    tested = {
        tp: measures.loc[measures["timepoint"] == tp, key].drop_duplicates()
        for tp in ("pre", "post")
    }

    def share(who: pd.DataFrame, have: pd.DataFrame) -> pd.Series:
        hit = (
            who.merge(have.assign(_hit=True), on=key, how="left")["_hit"].fillna(False).astype(bool)
        )
        return hit.groupby(who["group_id"].to_numpy()).mean()

    comp = ma[ma["completer"]][key]
    rated = members.dropna(subset=["satisfaction"])[key]
    out["pre_tested"] = out["group_id"].map(share(ma[key], tested["pre"]))
    out["post_tested"] = out["group_id"].map(share(comp, tested["post"]))
    out["satisfaction_rated"] = out["group_id"].map(share(comp, rated))
    return out


def plot_sessions(ax: Axes, overview: pd.DataFrame, group_id: str, lang: Lang = "zh") -> None:
    """Draw one group's sessions on ``ax``: attendance share as bars coloured by stage and
    engagement (1-5) as a line on a second axis."""
    d = overview[overview["group_id"] == group_id]
    if d.empty:
        raise GroupworkError("error.groupwork_unknown_group", group_id=group_id)
    colours = {
        "formation": "#8ecae6",
        "transition": "#f4a261",
        "maturity": "#2a9d8f",
        "termination": "#adb5bd",
    }
    for stage, part in d.groupby("stage", sort=False):
        ax.bar(
            part["session_no"],
            part["attendance_share"],
            color=colours[str(stage)],
            label=stage_label(str(stage), lang),
        )
    ax.set(
        xlabel=text("groupwork.plot.session", lang),
        ylabel=text("groupwork.plot.attendance", lang),
        ylim=(0, 1.05),
        xticks=d["session_no"],
        title=text("groupwork.plot.title", lang, group_id=group_id),
    )
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=4, fontsize=8, frameon=False)
    right = ax.twinx()
    right.plot(d["session_no"], d["engagement"], "o-", color="#1d3557")
    right.set(ylim=(1, 5), ylabel=text("groupwork.plot.engagement", lang))


def session_record(
    overview: pd.DataFrame, groups: pd.DataFrame, session_id: str, lang: Lang = "zh"
) -> str:
    """A session record 每节记录 in Markdown: the facts from the data filled in, and the parts
    only the worker can write (goals, content, dynamics, skills used, incidents, reflection)."""
    rows = overview[overview["session_id"] == session_id]
    if rows.empty:
        raise GroupworkError("error.groupwork_unknown_session", session_id=session_id)
    s = rows.iloc[0]
    g = _group_row(groups, str(s["group_id"]))
    facts = text(
        "groupwork.record.facts",
        lang,
        group=g["title_zh"],
        group_id=g["group_id"],
        no=int(s["session_no"]),
        planned=int(g["planned_sessions"]),
        date=pd.Timestamp(s["held_on"]).date(),
        stage=stage_label(str(s["stage"]), lang),
        present=int(s["present"]),
        members=int(s["members"]),
        engagement=s["engagement"],
        minutes=int(g["session_minutes"]),
    )
    parts = [text("groupwork.record.title", lang), facts]
    parts += [
        text(f"groupwork.record.{k}", lang)
        for k in ("goals", "content", "dynamics", "skills", "incident", "reflection")
    ]
    return "\n\n".join(parts)


def summary_report(
    group_id: str,
    groups: pd.DataFrame,
    members: pd.DataFrame,
    sessions: pd.DataFrame,
    attendance: pd.DataFrame,
    measures: pd.DataFrame,
    lang: Lang = "zh",
) -> str:
    """A group summary report 小组总结报告 in Markdown: basic facts, recruitment, process,
    outcomes with their limits, and the reflection and follow-up the worker writes."""
    g = _group_row(groups, group_id)
    one = {
        name: t[t["group_id"] == group_id]
        for name, t in (("m", members), ("s", sessions), ("me", measures))
    }
    summ = group_summary(
        groups[groups["group_id"] == group_id], one["m"], one["s"], attendance, one["me"]
    ).iloc[0]
    reasons = (
        one["m"]["screen_out_reason"]
        .dropna()
        .map(labels("group_members", "screen_out_reason", lang))
    )
    why = (
        "、".join(f"{k} {v}" for k, v in reasons.value_counts().items())
        if lang == "zh"
        else ", ".join(f"{k} {v}" for k, v in reasons.value_counts().items())
    )
    stage_eng = one["s"].groupby("stage")["engagement"].mean()
    eng = ("；" if lang == "zh" else "; ").join(
        f"{stage_label(st, lang)} {stage_eng[st]:.1f}" for st in STAGES if st in stage_eng.index
    )
    out = group_outcomes(one["me"], min_pairs=2)
    inst = INSTRUMENTS[str(g["outcome_instrument"])]
    parts = [
        text("groupwork.report.title", lang, title=g["title_zh"], group_id=group_id),
        text(
            "groupwork.report.basics",
            lang,
            target=labels("groups", "target", lang)[g["target"]],
            model=labels("groups", "model", lang)[g["model"]],
            planned=int(g["planned_sessions"]),
            held=int(summ["sessions_held"]),
            minutes=int(g["session_minutes"]),
            first=pd.Timestamp(g["first_session_on"]).date(),
            worker=g["worker_id"],
        ),
        text(
            "groupwork.report.recruitment",
            lang,
            candidates=int(summ["candidates"]),
            admitted=int(summ["admitted"]),
            out=int(summ["candidates"] - summ["admitted"]),
            why=why or "-",
        ),
        text(
            "groupwork.report.process",
            lang,
            rate=f"{summ['attendance_rate']:.0%}",
            completers=int(summ["completers"]),
            dropouts=int(summ["dropouts"]),
            admitted=int(summ["admitted"]),
            engagement=eng or "-",
        ),
    ]
    if out.empty:
        parts.append(text("groupwork.report.no_outcome", lang))
    else:
        r = out.iloc[0]
        name = inst.name_zh if lang == "zh" else inst.name_en
        parts.append(
            text(
                "groupwork.report.outcome",
                lang,
                instrument=name,
                n=int(r["n"]),
                pre=f"{r['mean_pre']:.1f}",
                post=f"{r['mean_post']:.1f}",
                imp=f"{r['mean_improvement']:.1f}",
                lo=f"{r['ci_low']:.1f}",
                hi=f"{r['ci_high']:.1f}",
                dz=f"{r['dz']:.2f}",
                dlo=f"{r['dz_low']:.2f}",
                dhi=f"{r['dz_high']:.2f}",
                p=f"{r['p_t']:.3f}",
            )
        )
    sat = one["m"]["satisfaction"].dropna()
    parts.append(
        text(
            "groupwork.report.satisfaction",
            lang,
            n=len(sat),
            mean=f"{sat.astype(float).mean():.1f}" if len(sat) else "-",
        )
    )
    missing = int(summ["admitted"]) - int(summ["pairs"])
    parts.append(text("groupwork.report.limits", lang, n=int(summ["pairs"]), missing=missing))
    parts.append(text("groupwork.report.reflection", lang))
    return "\n\n".join(parts)
