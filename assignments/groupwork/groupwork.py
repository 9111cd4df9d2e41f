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
# ## 第5题（4 分）选择题：报告里可以怎样写这个结果？
#
# 下面的单元格做了配对 t 检验。前后测**没有对照组**：就算改善明显，也只能说组员前后有变化，不能说是小组带来的（时间、季节、其他服务都可能让分数变化）。按结果选出报告里诚实的一句，填写 `reading`：
#
# - `"caused"`：小组带来了改善，效果得到证明；
# - `"changed"`：组员前后平均有改善，不太像随机波动（p < 0.05），但没有对照组，不能说是小组带来的；
# - `"unclear"`：组员平均有改善的迹象，但可能只是随机波动（p ≥ 0.05，组员少时常见），要谨慎；
# - `"no"`：组员平均没有改善（平均改善不大于 0）。

# %% [markdown] lang="en"
# ## Question 5 (4 points): choice — what can the report honestly say?
#
# The cell below runs a paired t-test. A pre/post design has **no comparison group**: even a clear improvement only shows that members changed, not that the group caused it (time, the season and other services can all move scores). Choose the honest sentence for the report and fill in `reading`:
#
# - `"caused"`: the group brought the improvement; its effect is proved;
# - `"changed"`: members improved on average and it is unlikely to be chance (p < 0.05), but with no comparison group we cannot say the group caused it;
# - `"unclear"`: members show signs of improvement, but it may be chance (p >= 0.05, common with few members); be careful;
# - `"no"`: members did not improve on average (mean improvement 0 or below).

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

# %% nbgrader={"grade": false, "grade_id": "reading", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "caused", "changed", "unclear", "no"
reading = ""
### BEGIN SOLUTION
_check = paired_test(
    paired["pre"], paired["post"], INSTRUMENTS[group["outcome_instrument"]].higher_is_worse
)
reading = "no" if _check.mean_improvement <= 0 else "changed" if _check.p_t < 0.05 else "unclear"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "reading_test", "locked": true, "points": 4, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_reading = expect_defined("reading")
expect_choice(_reading, ("caused", "changed", "unclear", "no"), "reading")
expect(
    _reading.strip() != "caused",
    "前后测没有对照组，不能说“小组带来了改善、效果得到证明”。",
    "A pre/post test has no comparison group: it cannot show that the group caused the change.",
)
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
_expected = "no" if _r.mean_improvement <= 0 else "changed" if _r.p_t < 0.05 else "unclear"
expect(
    _reading.strip() == _expected,
    "与结果不符：先看平均改善是否大于 0，再看 p 值。",
    "That does not match the result: check whether the mean improvement is above 0, then p.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（6 分）书面题：根据现场速记写最后一节的每节记录
#
# 下面的单元格列出这个小组最后一节（结束期）的数据，以及带组社工小罗在现场记下的速记。请**只根据这些数据和速记**写一份每节记录（150–300 字），包括：
#
# 1. **基本情况**：节次、阶段、出席人数和投入度；
# 2. **过程**：速记里记下的结束期工作（回顾成长、处理离别情绪、巩固改变、跟进安排）；
# 3. **反思与跟进**：你从出勤和前后测结果中看到了什么，之后怎样跟进组员。
#
# 速记和数据里没有的事不要写进记录；需要而没有记下的，写“未记录”。编造的记录在站点评估中一票否决。
#
# 评分标准见量规：记录事实（2 分）、结束期工作（2 分）、反思与跟进（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (6 points): written — a record of the last session from the field notes
#
# The cell below lists the data of the group's last session (termination) and the notes Xiao Luo, the group's worker, jotted down on the spot. Write a session record (100-200 words) **from these data and notes only**, covering:
#
# 1. **Facts**: session number, stage, attendance and engagement;
# 2. **Process**: the termination work the notes record (reviewing growth, handling feelings about ending, consolidating change, follow-up);
# 3. **Reflection and follow-up**: what the attendance and pre/post results tell you and how you will follow members up.
#
# Do not write anything the data and notes do not hold; where something needed was not noted, write "not recorded". A made-up record is a veto in the station evaluation.
#
# Graded with the rubric: facts recorded (2), termination work (2), reflection and follow-up (2).

# %% nbgrader={"grade": false, "grade_id": "field_notes", "locked": true, "schema_version": 3, "solution": false}
_last = my_sessions.iloc[-1]
_present = int(
    my_attendance.loc[my_attendance["session_id"] == _last["session_id"], "attended"].sum()
)
_admitted = my_attendance["resident_id"].nunique()
_notes = {
    "zh": [
        f"第 {_last['session_no']} 节（共 {group['planned_sessions']} 节），{_last['held_on']:%Y-%m-%d}，结束期",
        f"应到 {_admitted} 人，实到 {_present} 人；投入度评分 {_last['engagement']:.1f}（5 分制）",
        "速记：翻看前几节的照片，每人说一件自己这几周的变化",
        "速记：两位组员说舍不得，一位流了泪；大家给彼此写了一句话",
        "速记：组员提出以后每周二下午在村活动室自己聚，推举两人牵头",
        "速记：满意度问卷发了，没来得及收回",
    ],
    "en": [
        f"Session {_last['session_no']} of {group['planned_sessions']}, {_last['held_on']:%Y-%m-%d}, termination",
        f"{_present} of {_admitted} admitted members present; engagement {_last['engagement']:.1f} (out of 5)",
        "Notes: looked back at photos of earlier sessions; each member named one change in themselves",
        "Notes: two members said they would miss the group, one in tears; members wrote each other a line",
        "Notes: members proposed meeting on their own on Tuesday afternoons at the village room, two to lead",
        "Notes: satisfaction forms handed out, not collected in time",
    ],
}[LANG]
print("\n".join(_notes))

# %% [markdown] nbgrader={"grade": true, "grade_id": "session_record", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# **每节记录 / Session record:**
#
# ### BEGIN SOLUTION
# 基本情况：第 8 节（共 8 节），结束期；应到 10 人，实到 8 人，投入度 4.1 分（以本组数据为准）。过程：组员翻看前几节的照片，每人说了一件自己这几周的变化；两位组员说舍不得，一位流了泪，大家互相写了一句话，处理离别情绪；组员提出以后每周二下午在村活动室自己聚，推举两人牵头，延续互助。满意度问卷已发放，未收回，结果未记录。反思与跟进：完成者多数前后测有改善，但没有对照组、人数少，只能说组员有变化，不能说是小组带来的；出勤不足的组员逐一电话回访，需要时转为个案；一个月后到活动室看自助聚会是否开起来。
#
# Facts: session 8 of 8, termination; 8 of 10 admitted members present, engagement 4.1 (the group's own data decide the numbers). Process: members looked back at photos and each named one change; two said they would miss the group, one in tears, and members wrote each other a line, working with feelings about ending; members proposed meeting on their own on Tuesday afternoons, two to lead, keeping the mutual aid going. Satisfaction forms were handed out but not collected: not recorded. Reflection and follow-up: most completers improved, but with no comparison group and few members we can say members changed, not that the group caused it; members who attended little get a phone call each, casework if needed; in a month, visit the room to see whether the self-run meeting has started.
# ### END SOLUTION
