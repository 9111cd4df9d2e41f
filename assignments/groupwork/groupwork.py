# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
#   shegong:
#     id: groupwork
#     order: 3
#     title_zh: 作业三 小组工作：出勤、前后测成效与每节记录
#     title_en: "Assignment 3: Group work - attendance, pre/post outcomes and a session record"
# ---

# %% [markdown] lang="zh"
# # 作业三 小组工作：出勤、前后测成效与每节记录
#
# 《社会工作方法 小组工作》（MZ/T 095-2017）把小组分为筹备期、形成期、转折期、成熟期和结束期。评估一个小组，要看组员来没来（出勤）、有没有变化（前后测），还要有每一节的记录。本作业评估模拟数据中第一个已开完全部节次、且至少 3 名组员有前后测的小组。
#
# **怎样作答**：从上到下运行单元格；代码题写在“在这里写代码”处；选择题只需在引号里或等号后填写答案；书面题双击单元格作答。共 20 分：代码题 8 分，选择题 6 分，书面题 6 分。

# %% [markdown] lang="en"
# # Assignment 3: Group work - attendance, pre/post outcomes and a session record
#
# The group work standard (MZ/T 095-2017) divides a group's life into preparation, formation, transition, maturity and termination. Evaluating a group means looking at who came (attendance), whether members changed (pre/post measures), and a record of every session. This assignment evaluates the first group in the simulated data that has held all its sessions and has at least three members measured before and after.
#
# **How to answer**: run the cells from top to bottom; write code where it says "YOUR CODE HERE"; for choice questions only fill in the quotes or the value after `=`; double-click the written question to answer it. 20 points: code 8, choices 6, written 6.

# %% nbgrader={"grade": false, "grade_id": "load_group", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets import load
from shegong.datasets.instruments import INSTRUMENTS
from shegong.datasets.toolkits.outcomes import paired_scores, paired_test

groups = load("groups")
sessions = load("group_sessions")
attendance = load("group_attendance")
group_measures = load("group_measures")

held = sessions.groupby("group_id").size()
complete = groups[groups["group_id"].map(held).fillna(0) == groups["planned_sessions"]]
for candidate in sorted(complete["group_id"]):
    found = group_measures[group_measures["group_id"] == candidate]
    if len(paired_scores(found, ["group_id", "resident_id"])) >= 3:
        group_id = candidate
        break
group = groups.set_index("group_id").loc[group_id]
my_sessions = sessions[sessions["group_id"] == group_id].sort_values("session_no")
my_attendance = attendance[attendance["session_id"].isin(my_sessions["session_id"])]
my_measures = group_measures[group_measures["group_id"] == group_id]
print(group_id, group["title_zh"], group["outcome_instrument"], group["planned_sessions"])
my_sessions[["session_no", "held_on", "stage", "engagement"]]

# %% [markdown] lang="zh"
# ## 第1题（3 分）每位组员的出勤率
#
# 出勤率 = 出席节数 ÷ 计划节数（`group["planned_sessions"]`）。`my_attendance` 每行是一名入组组员在一节中的出勤（`attended` 为 True 表示出席）。算出每位组员的出勤率，存为 `attendance_rate`（Series，索引是 `resident_id`）。
#
# 提示：`my_attendance.groupby("resident_id")["attended"].sum()`。

# %% [markdown] lang="en"
# ## Question 1 (3 points): each member's attendance rate
#
# Attendance rate = sessions attended / sessions planned (`group["planned_sessions"]`). Each row of `my_attendance` is one admitted member at one session (`attended` True means present). Work out every member's attendance rate as `attendance_rate` (a Series indexed by `resident_id`).
#
# Hint: `my_attendance.groupby("resident_id")["attended"].sum()`.

# %% nbgrader={"grade": false, "grade_id": "attendance_rate", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
attendance_rate = my_attendance.groupby("resident_id")["attended"].sum() / group["planned_sessions"]
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "attendance_rate_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined, expect_mapping_close

_rate = expect_defined("attendance_rate")
expect(
    all(0 <= float(v) <= 1 for v in dict(_rate).values()),
    "出勤率应当在 0 到 1 之间：是不是忘了除以计划节数？",
    "Attendance rates lie between 0 and 1: did you divide by the planned sessions?",
)
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.outcomes import paired_scores as _paired

_g, _s, _a, _gm = (
    _load(t) for t in ("groups", "group_sessions", "group_attendance", "group_measures")
)
_full = _g[_g["group_id"].map(_s.groupby("group_id").size()).fillna(0) == _g["planned_sessions"]]
_gid = next(
    g
    for g in sorted(_full["group_id"])
    if len(_paired(_gm[_gm["group_id"] == g], ["group_id", "resident_id"])) >= 3
)
_mine = _a[_a["session_id"].isin(_s.loc[_s["group_id"] == _gid, "session_id"])]
_planned = _g.set_index("group_id").loc[_gid, "planned_sessions"]
_expected = _mine.groupby("resident_id")["attended"].sum() / _planned
expect_mapping_close(_rate, _expected.to_dict(), "attendance_rate")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第2题（2 分）完成者人数
#
# 出勤率不低于 75% 的组员算“完成者”（县里常用的约定）。把完成者人数存为 `completers`（整数）。

# %% [markdown] lang="en"
# ## Question 2 (2 points): the number of completers
#
# A member with an attendance rate of at least 75 % is a "completer". Store the number of completers as `completers` (an integer).

# %% nbgrader={"grade": false, "grade_id": "completers", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
completers = int((attendance_rate >= 0.75).sum())
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "completers_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect_close, expect_defined

_completers = expect_defined("completers")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.outcomes import paired_scores as _paired

_g, _s, _a, _gm = (
    _load(t) for t in ("groups", "group_sessions", "group_attendance", "group_measures")
)
_full = _g[_g["group_id"].map(_s.groupby("group_id").size()).fillna(0) == _g["planned_sessions"]]
_gid = next(
    g
    for g in sorted(_full["group_id"])
    if len(_paired(_gm[_gm["group_id"] == g], ["group_id", "resident_id"])) >= 3
)
_mine = _a[_a["session_id"].isin(_s.loc[_s["group_id"] == _gid, "session_id"])]
_rates = (
    _mine.groupby("resident_id")["attended"].sum()
    / _g.set_index("group_id").loc[_gid, "planned_sessions"]
)
expect_close(_completers, float((_rates >= 0.75).sum()), "completers")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第3题（3 分）平均改善
#
# 用 `paired_scores(my_measures, ["group_id", "resident_id"])` 把每位组员的前测和后测配成一行，其中 `improvement` 列已经按“正数表示变好”处理过方向。把 `improvement` 的平均值存为 `mean_improvement`。

# %% [markdown] lang="en"
# ## Question 3 (3 points): the mean improvement
#
# `paired_scores(my_measures, ["group_id", "resident_id"])` puts each member's pre-test and post-test on one row; its `improvement` column is signed so that positive means better. Store the mean of `improvement` as `mean_improvement`.

# %% nbgrader={"grade": false, "grade_id": "mean_improvement", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
paired = paired_scores(my_measures, ["group_id", "resident_id"])
mean_improvement = float(paired["improvement"].mean())
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "mean_improvement_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect_close, expect_defined

_mean = expect_defined("mean_improvement")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.outcomes import paired_scores as _paired

_g, _s, _gm = (_load(t) for t in ("groups", "group_sessions", "group_measures"))
_full = _g[_g["group_id"].map(_s.groupby("group_id").size()).fillna(0) == _g["planned_sessions"]]
_gid = next(
    g
    for g in sorted(_full["group_id"])
    if len(_paired(_gm[_gm["group_id"] == g], ["group_id", "resident_id"])) >= 3
)
_expected = _paired(_gm[_gm["group_id"] == _gid], ["group_id", "resident_id"])["improvement"].mean()
expect_close(_mean, float(_expected), "mean_improvement", tolerance=0.01)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第4题（2 分）选择题：投入度最低的一节
#
# 看最上面的节次表（`engagement` 是社工对组员投入度的 1–5 评分），把投入度最低的那一节的节次号填在等号后面，例如 `lowest_engagement_session = 3`。

# %% [markdown] lang="en"
# ## Question 4 (2 points): choice — the least engaged session
#
# Look at the session table at the top (`engagement` is the worker's 1-5 rating of members' involvement) and put the number of the session with the lowest engagement after the `=`, for example `lowest_engagement_session = 3`.

# %% nbgrader={"grade": false, "grade_id": "lowest_engagement", "locked": false, "schema_version": 3, "solution": true}
# 填节次号 / type the session number
lowest_engagement_session = None
### BEGIN SOLUTION
lowest_engagement_session = int(my_sessions.loc[my_sessions["engagement"].idxmin(), "session_no"])
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "lowest_engagement_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined, expect_type

_session = expect_defined("lowest_engagement_session")
expect_type(_session, int, "lowest_engagement_session")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.outcomes import paired_scores as _paired

_g, _s, _gm = (_load(t) for t in ("groups", "group_sessions", "group_measures"))
_full = _g[_g["group_id"].map(_s.groupby("group_id").size()).fillna(0) == _g["planned_sessions"]]
_gid = next(
    g
    for g in sorted(_full["group_id"])
    if len(_paired(_gm[_gm["group_id"] == g], ["group_id", "resident_id"])) >= 3
)
_mine = _s[_s["group_id"] == _gid]
_lowest = set(_mine.loc[_mine["engagement"] == _mine["engagement"].min(), "session_no"])
expect(
    _session in _lowest,
    "这一节不是投入度最低的一节。",
    "That is not the session with the lowest engagement.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第5题（4 分）选择题：小组有没有带来改善？
#
# 下面的单元格做了配对 t 检验。按这个规则填写 `improved`：
#
# - `"yes"`：平均改善大于 0，且 p < 0.05；
# - `"unclear"`：平均改善大于 0，但 p ≥ 0.05（可能只是随机波动，组员太少也常见）；
# - `"no"`：平均改善不大于 0。

# %% [markdown] lang="en"
# ## Question 5 (4 points): choice — did the group bring improvement?
#
# The cell below runs a paired t-test. Fill in `improved` by this rule:
#
# - `"yes"`: mean improvement above 0 and p < 0.05;
# - `"unclear"`: mean improvement above 0 but p >= 0.05 (it may be chance; common with few members);
# - `"no"`: mean improvement 0 or below.

# %% nbgrader={"grade": false, "grade_id": "paired_test_shown", "locked": true, "schema_version": 3, "solution": false}
_pairs = paired_scores(my_measures, ["group_id", "resident_id"])
_worse = INSTRUMENTS[group["outcome_instrument"]].higher_is_worse
_result = paired_test(_pairs["pre"], _pairs["post"], _worse)
print(
    {
        "zh": "分数越高越差" if _worse else "分数越高越好",
        "en": "higher is worse" if _worse else "higher is better",
    }[LANG]
)
print(
    f"n = {_result.n}, pre = {_result.mean_pre:.2f}, post = {_result.mean_post:.2f}, p = {_result.p_t:.3f}"
)

# %% nbgrader={"grade": false, "grade_id": "improved", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "yes", "unclear", "no"
improved = ""
### BEGIN SOLUTION
_check = paired_test(
    paired["pre"], paired["post"], INSTRUMENTS[group["outcome_instrument"]].higher_is_worse
)
improved = "no" if _check.mean_improvement <= 0 else "yes" if _check.p_t < 0.05 else "unclear"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "improved_test", "locked": true, "points": 4, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_improved = expect_defined("improved")
expect_choice(_improved, ("yes", "unclear", "no"), "improved")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.instruments import INSTRUMENTS as _INSTRUMENTS
from shegong.datasets.toolkits.outcomes import paired_scores as _paired
from shegong.datasets.toolkits.outcomes import paired_test as _ptest

_g, _s, _gm = (_load(t) for t in ("groups", "group_sessions", "group_measures"))
_full = _g[_g["group_id"].map(_s.groupby("group_id").size()).fillna(0) == _g["planned_sessions"]]
_gid = next(
    g
    for g in sorted(_full["group_id"])
    if len(_paired(_gm[_gm["group_id"] == g], ["group_id", "resident_id"])) >= 3
)
_p = _paired(_gm[_gm["group_id"] == _gid], ["group_id", "resident_id"])
_r = _ptest(
    _p["pre"],
    _p["post"],
    _INSTRUMENTS[_g.set_index("group_id").loc[_gid, "outcome_instrument"]].higher_is_worse,
)
_expected = "no" if _r.mean_improvement <= 0 else "yes" if _r.p_t < 0.05 else "unclear"
expect(
    _improved.strip() == _expected,
    "与规则不符：先看平均改善是否大于 0，再看 p 值。",
    "That does not follow the rule: check whether the mean improvement is above 0, then p.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（6 分）书面题：最后一节的每节记录
#
# 为这个小组的最后一节（结束期）写一份每节记录（150–300 字），包括：
#
# 1. **基本情况**：出席人数、投入度，以及本节在小组中的阶段；
# 2. **过程**：这一节做了什么，结束期的任务（回顾成长、处理离别情绪、巩固改变、跟进安排）怎样完成；
# 3. **反思与跟进**：你从出勤和前后测结果中看到了什么，之后怎样跟进组员。
#
# 评分标准见量规：记录事实（2 分）、结束期工作（2 分）、反思与跟进（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (6 points): written — a record of the last session
#
# Write a session record for the group's last session (termination) in 100-200 words, covering:
#
# 1. **Facts**: attendance, engagement and the stage of the group;
# 2. **Process**: what happened and how the termination tasks (reviewing growth, handling feelings about ending, consolidating change, arranging follow-up) were done;
# 3. **Reflection and follow-up**: what the attendance and pre/post results tell you and how you will follow members up.
#
# Graded with the rubric: facts recorded (2), termination work (2), reflection and follow-up (2).

# %% [markdown] nbgrader={"grade": true, "grade_id": "session_record", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# **每节记录 / Session record:**
#
# ### BEGIN SOLUTION
# 基本情况：第 7 节（结束期），计划 7 节；应到 9 人，实到 7 人，投入度 4.2 分。过程：用照片回顾七节活动，每位组员说一项自己的变化；用“祝福卡”处理离别情绪；组员商定每周二在村活动室继续聚会，由两位组员牵头。反思与跟进：7 名完成者中 5 人前后测孤独感下降，但 p 值不显著，人数少，结论要谨慎；两位出勤不足的组员转为个案跟进，一个月后回访。
#
# Facts: session 7 of 7 (termination); 7 of 9 members present, engagement 4.2. Process: reviewed the seven sessions with photos, each member named one change; "wish cards" eased feelings about ending; members agreed to keep meeting on Tuesdays at the village activity room, led by two of them. Reflection and follow-up: five of seven completers felt less lonely, but p was not significant and n is small, so conclusions are cautious; two members with low attendance move to casework follow-up, with a visit in one month.
# ### END SOLUTION
