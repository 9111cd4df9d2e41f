"""Group outcomes: paired pre/post change with intervals, follow-up, file check, reports."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import optimize, stats

from shegong.datasets.instruments import INSTRUMENTS
from shegong.datasets.toolkits.groupwork.sessions import _group_row, member_attendance
from shegong.datasets.toolkits.groupwork.stages import STAGES, GroupworkError, labels, stage_label
from shegong.datasets.toolkits.outcomes import OutcomeError, paired_scores, paired_test
from shegong.messages import Lang, text


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
    """What an evaluator would look for in each group's file: a plan dated
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
