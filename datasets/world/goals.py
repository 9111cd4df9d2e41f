"""Case goals and goal attainment 目标达成 (GAS, Kiresuk & Sherman 1968; brief §5.3).

Every case that reached 计划 planning has 1-3 measurable goals written for its presenting
need. At 评估 evaluation each goal is rated -2 (much less than expected) to +2 (much more);
0 is the expected outcome. A case's GAS T-score (50 = goals met as expected) is computed by
the scoring module's ``gas_tscores``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.instruments import gas_tscores
from shegong.datasets.world.context import World

# need -> (goal code, Chinese goal text) [A]: measurable within the case's time frame.
GOALS: dict[str, tuple[tuple[str, str], ...]] = {
    "loneliness": (
        ("join_activity", "每周至少参加 1 次村（社区）集体活动"),
        ("family_calls", "与在外子女每周通话或视频 2 次以上"),
        ("buddy_visits", "结对志愿者每两周上门探访 1 次"),
    ),
    "daily_living": (
        ("bathing_help", "在助浴服务协助下每周洗澡 1 次"),
        ("home_adaptation", "完成居家适老化改造申请"),
        ("meal_service", "接入村老年食堂或送餐服务"),
    ),
    "mental_health": (
        ("phq_below_10", "三个月内抑郁量表得分降到 10 分以下"),
        ("sleep_routine", "建立规律作息，每周至少 5 天按时睡眠"),
        ("referral_followup", "完成卫生院心理门诊转介并复诊 1 次"),
    ),
    "financial_hardship": (
        ("benefit_applied", "协助完成低保或临时救助申请"),
        ("debt_plan", "与家人共同制定医疗欠费偿还计划"),
        ("income_source", "增加 1 项稳定收入来源"),
    ),
    "study_behaviour": (
        ("homework_club", "每周参加课后辅导 3 次"),
        ("attendance", "一学期无旷课"),
        ("teacher_contact", "班主任与监护人每月沟通 1 次"),
    ),
    "family_relations": (
        ("family_meeting", "召开 1 次家庭会议并形成照顾分工"),
        ("conflict_down", "家庭冲突次数减半"),
        ("parent_calls", "父母每周与孩子视频通话 2 次以上"),
    ),
    "emotional": (
        ("feelings_words", "能用语言表达 3 种情绪并说出应对办法"),
        ("peer_friend", "在校结交至少 1 位稳定朋友"),
        ("sdq_normal", "长处和困难问卷总分回到正常范围"),
    ),
    "safety_guardianship": (
        ("guardian_confirmed", "落实并登记有效监护人"),
        ("safety_plan", "与监护人制定假期安全计划"),
        ("weekly_check", "村儿童主任每周探视 1 次"),
    ),
    "disability_support": (
        ("rehab_sessions", "每月参加康复训练 4 次"),
        ("assistive_device", "申请并配置辅助器具"),
        ("subsidy", "领取残疾人两项补贴"),
    ),
    "employment": (
        ("skills_course", "完成 1 期职业技能培训"),
        ("job_referral", "获得 1 次就业岗位推荐并参加面试"),
        ("ecommerce_start", "开设网店或加入合作社销售渠道"),
    ),
    "caregiver_burden": (
        ("respite", "每月获得 2 天喘息服务"),
        ("care_skills", "学会 3 项照护技巧"),
        ("support_group", "参加照顾者支持小组 4 次"),
    ),
}


def build_goals(world: World) -> None:
    """Add ``case_goals`` and the ``gas_tscore`` of every evaluated case."""
    rng = world.rng("goals")
    cases = world["cases"]
    planned = cases[cases["planning_on"].notna()]
    k = rng.integers(1, 4, len(planned))
    rep = np.repeat(np.arange(len(planned)), k)
    goal_no = np.arange(rep.size) - np.repeat(np.cumsum(k) - k, k) + 1
    need = planned["presenting_need"].to_numpy()[rep]
    start = rng.integers(0, 3, len(planned))[rep]  # each case's goals are distinct
    code = np.empty(rep.size, dtype=object)
    text = np.empty(rep.size, dtype=object)
    for key, options in GOALS.items():
        mask = need == key
        pick = (start[mask] + goal_no[mask] - 1) % len(options)
        code[mask] = np.array([o[0] for o in options])[pick]
        text[mask] = np.array([o[1] for o in options])[pick]
    evaluated = planned["evaluation_on"].notna().to_numpy()[rep]
    # Closure agrees with the ratings (good_practice.py): a case closed with its goals met has every
    # goal at the expected level or better; one referred on after evaluation has its goals
    # below expectations (at least one under, none above); transfers, moves and open cases
    # vary [A].
    reason = planned["closure_reason"].to_numpy()[rep]
    rating = np.clip(np.round(rng.normal(0.0, 0.8, rep.size)), -2, 2).astype(np.int64)
    met = reason == "goals_met"
    rating[met] = rng.choice([0, 1, 2], int(met.sum()), p=[0.45, 0.37, 0.18])
    below = reason == "referred"
    rating[below] = rng.choice([-2, -1, 0], int(below.sum()), p=[0.2, 0.5, 0.3])
    # A referred case whose goals all came out at 0 has its first goal one below.
    if rep.size:
        case_min = np.minimum.reduceat(np.where(below, rating, 9), np.cumsum(k) - k)
        rating[below & (goal_no == 1) & (np.repeat(case_min, k) == 0)] = -1
    goals = pd.DataFrame(
        {
            "case_id": planned["case_id"].to_numpy()[rep],
            "goal_no": goal_no,
            "goal_code": code,
            "goal_zh": text,
            "weight": rng.choice([1, 1, 1, 2], rep.size),
            "rating": pd.Series(rating, dtype="Int64").where(pd.Series(evaluated), pd.NA),
        }
    )
    rated = goals[goals["rating"].notna()].astype({"rating": np.int64})
    tscore = gas_tscores(rated)
    world.add("case_goals", goals)
    world.add("cases", cases.assign(gas_tscore=cases["case_id"].map(tscore).round(1)))
