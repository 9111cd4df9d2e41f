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
#     id: casework
#     order: 2
#     title_zh: 作业二 个案预估：量表计分、风险判断与服务计划
#     title_en: "Assignment 2: Casework assessment - scoring, risk and a service plan"
#     safety_gates: [self_harm_flag_test, next_step_test]
#     pass_percent: 60
# ---

# %% [markdown] lang="zh"
# # 作业二 个案预估：量表计分、风险判断与服务计划
#
# 按照《社会工作方法 个案工作》（MZ/T 094-2017），接案之后是预估：用量表等工具了解服务对象的问题、需求和风险，再据此制定服务计划。本作业中的服务对象是模拟数据里第一个做过 PHQ-9（患者健康问卷抑郁量表）前测的个案，姓名为化名。
#
# **怎样作答**：从上到下运行单元格；代码题写在“在这里写代码”处；选择题只需在引号里（或 `True`/`False` 处）填写答案；书面题双击单元格作答。共 20 分：代码题 6 分，选择题 8 分，书面题 6 分。
#
# **重要**：量表只是筛查，不是诊断。PHQ-9 第 9 题（伤害自己的念头）只要大于 0，就要当天启动安全预案并报告督导。第3题（有没有自伤风险）和第5题（下一步怎么做）是本作业的**安全底线**：这两题有一题没做对，无论总分多少，作业都不能通过。其余情况下，总分达到 60 % 即为通过。

# %% [markdown] lang="en"
# # Assignment 2: Casework assessment - scoring, risk and a service plan
#
# In the casework standard (MZ/T 094-2017), assessment follows intake: you use tools such as standardised scales to understand the client's problems, needs and risks, and plan services from them. The client in this assignment is the first case in the simulated data with a PHQ-9 (Patient Health Questionnaire-9) pre-test; the name is a pseudonym.
#
# **How to answer**: run the cells from top to bottom; write code where it says "YOUR CODE HERE"; for choice questions only fill in the quotes (or `True`/`False`); double-click the written question to answer it. 20 points: code 6, choices 8, written 6.
#
# **Important**: a scale is a screen, not a diagnosis. If PHQ-9 item 9 (thoughts of self-harm) is above 0, the safety protocol starts the same day and the supervisor is told. Questions 3 (is there a self-harm risk?) and 5 (the next step) are this assignment's **safety minimums**: if either is wrong, the assignment is not passed whatever the total. Otherwise a total of 60 % passes.

# %% nbgrader={"grade": false, "grade_id": "load_client", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets import load
from shegong.datasets.instruments import INSTRUMENTS, score

cases = load("cases")
measures = load("case_measures")
items = load("case_measure_items")

pre_phq9 = measures[(measures["instrument"] == "phq9") & (measures["timepoint"] == "pre")]
client_measure = pre_phq9.sort_values("measure_id").iloc[0]
case_id = client_measure["case_id"]
client = cases.set_index("case_id").loc[case_id]
phq9 = INSTRUMENTS["phq9"]
answers_table = items[items["measure_id"] == client_measure["measure_id"]].sort_values("item")
answers_table = answers_table.assign(
    question=[getattr(phq9.item(no), LANG) for no in answers_table["item"]]
)[["item", "question", "answer"]]
print(case_id, client["notes_zh"])
answers_table

# %% [markdown] lang="zh"
# ## 第1题（4 分）整理作答并计算总分
#
# 上表是服务对象在 PHQ-9 前测中 9 道题的原始作答（0 = 完全没有，1 = 有几天，2 = 一半以上的天数，3 = 几乎每天）。
#
# 1. 把 9 个作答按题号顺序存为列表 `phq9_answers`；
# 2. 把总分存为 `phq9_total`（PHQ-9 没有反向计分题，总分就是 9 题之和）。
#
# 提示：`list(answers_table["answer"])`。

# %% [markdown] lang="en"
# ## Question 1 (4 points): collect the answers and total them
#
# The table shows the client's raw answers to the nine PHQ-9 items at the pre-test (0 = not at all, 1 = several days, 2 = more than half the days, 3 = nearly every day).
#
# 1. Store the nine answers, in item order, as the list `phq9_answers`;
# 2. store the total as `phq9_total` (PHQ-9 has no reverse-keyed items, so the total is the sum of the nine).
#
# Hint: `list(answers_table["answer"])`.

# %% nbgrader={"grade": false, "grade_id": "phq9_total", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
phq9_answers = [int(a) for a in answers_table["answer"]]
phq9_total = sum(phq9_answers)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "phq9_answers_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined

_answers = expect_defined("phq9_answers")
expect(
    len(list(_answers)) == 9,
    "phq9_answers 应当正好有 9 个作答。",
    "phq9_answers should hold exactly nine answers.",
)
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_m = _load("case_measures")
_mid = (
    _m[(_m["instrument"] == "phq9") & (_m["timepoint"] == "pre")]
    .sort_values("measure_id")
    .iloc[0]["measure_id"]
)
_items = _load("case_measure_items")
_expected = list(_items[_items["measure_id"] == _mid].sort_values("item")["answer"])
expect(
    [int(a) for a in _answers] == [int(a) for a in _expected],
    "phq9_answers 与上表的作答或题号顺序不一致。",
    "phq9_answers does not match the answers or their item order.",
)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "phq9_total_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_close, expect_defined

_total = expect_defined("phq9_total")
expect(
    0 <= float(_total) <= 27, "PHQ-9 总分只能在 0–27 之间。", "A PHQ-9 total lies between 0 and 27."
)
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_m = _load("case_measures")
_row = (
    _m[(_m["instrument"] == "phq9") & (_m["timepoint"] == "pre")].sort_values("measure_id").iloc[0]
)
expect_close(_total, float(_row["total"]), "phq9_total")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第2题（2 分）用计分函数得到分级
#
# 用平台的计分函数 `score("phq9", phq9_answers)` 计分，把分级代码（结果的 `.band`，例如 `"mild"`）存为 `phq9_band`。

# %% [markdown] lang="en"
# ## Question 2 (2 points): the band from the scoring function
#
# Score the answers with the platform's function `score("phq9", phq9_answers)` and store the band code (the result's `.band`, e.g. `"mild"`) as `phq9_band`.

# %% nbgrader={"grade": false, "grade_id": "phq9_band", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
phq9_band = score("phq9", phq9_answers).band
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "phq9_band_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_band = expect_defined("phq9_band")
expect_choice(_band, ("minimal", "mild", "moderate", "moderately_severe", "severe"), "phq9_band")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_m = _load("case_measures")
_row = (
    _m[(_m["instrument"] == "phq9") & (_m["timepoint"] == "pre")].sort_values("measure_id").iloc[0]
)
expect(
    _band.strip() == _row["band"],
    "分级与总分不符，请检查计分。",
    "The band does not fit the total; check the scoring.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第3题（2 分）选择题：有没有自伤风险？
#
# 看上表第 9 题（有伤害自己的念头）的作答：大于 0 就填 `True`，等于 0 就填 `False`（不加引号）。

# %% [markdown] lang="en"
# ## Question 3 (2 points): choice — is there a self-harm risk?
#
# Look at the answer to item 9 (thoughts of self-harm) in the table: above 0 means `True`, 0 means `False` (no quotes).

# %% nbgrader={"grade": false, "grade_id": "self_harm_flag", "locked": false, "schema_version": 3, "solution": true}
# 填 True 或 False / type True or False
self_harm_flag = None
### BEGIN SOLUTION
self_harm_flag = bool(answers_table.set_index("item").loc[9, "answer"] > 0)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "self_harm_flag_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_flag = expect_defined("self_harm_flag")
expect_choice(_flag, (True, False), "self_harm_flag")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_m = _load("case_measures")
_row = (
    _m[(_m["instrument"] == "phq9") & (_m["timepoint"] == "pre")].sort_values("measure_id").iloc[0]
)
expect(
    bool(_flag) == ("self_harm" in str(_row["flags"]).split(";")),
    "请再看一看第 9 题的作答。",
    "Look again at the answer to item 9.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第4题（3 分）选择题：风险等级
#
# 按本课程的风险判断规则填写 `risk_level`：
#
# | 风险等级 | 规则 |
# | --- | --- |
# | `"high"` 高 | 第 9 题大于 0，或总分 ≥ 20（重度） |
# | `"medium"` 中 | 不属于高风险，且总分在 10–19 之间 |
# | `"low"` 低 | 其余情况（总分 < 10 且第 9 题为 0） |

# %% [markdown] lang="en"
# ## Question 4 (3 points): choice — the risk level
#
# Fill in `risk_level` with this course's risk rule:
#
# | risk level | rule |
# | --- | --- |
# | `"high"` | item 9 above 0, or a total of 20 or more (severe) |
# | `"medium"` | not high, and a total of 10-19 |
# | `"low"` | otherwise (total below 10 and item 9 is 0) |

# %% nbgrader={"grade": false, "grade_id": "risk_level", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "low", "medium", "high"
risk_level = ""
### BEGIN SOLUTION
if self_harm_flag or phq9_total >= 20:
    risk_level = "high"
elif phq9_total >= 10:
    risk_level = "medium"
else:
    risk_level = "low"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "risk_level_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_risk = expect_defined("risk_level")
expect_choice(_risk, ("low", "medium", "high"), "risk_level")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_m = _load("case_measures")
_row = (
    _m[(_m["instrument"] == "phq9") & (_m["timepoint"] == "pre")].sort_values("measure_id").iloc[0]
)
_harm = "self_harm" in str(_row["flags"]).split(";")
_expected = "high" if _harm or _row["total"] >= 20 else "medium" if _row["total"] >= 10 else "low"
expect(
    _risk.strip() == _expected,
    "风险等级与规则不符：先看第 9 题，再看总分。",
    "The risk level does not follow the rule: check item 9 first, then the total.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第5题（3 分）选择题：下一步怎么做？
#
# 把最合适的下一步的字母填进 `next_step`：
#
# - `"a"`：当天启动安全预案，报告督导，并与服务对象一起制定安全计划；
# - `"b"`：转介乡镇卫生院做进一步评估，同时继续个案服务；
# - `"c"`：按服务计划继续介入，下次面谈时复测；
# - `"d"`：服务对象情况稳定，可以结案。
#
# 规则：第 9 题大于 0 选 a；否则总分 ≥ 10 选 b；否则选 c。

# %% [markdown] lang="en"
# ## Question 5 (3 points): choice — the next step
#
# Put the letter of the most suitable next step in `next_step`:
#
# - `"a"`: start the safety protocol today, tell the supervisor and make a safety plan with the client;
# - `"b"`: refer to the township health centre for further assessment and go on with casework;
# - `"c"`: go on with the service plan and re-measure at the next meeting;
# - `"d"`: the client is stable; close the case.
#
# Rule: item 9 above 0 means a; otherwise a total of 10 or more means b; otherwise c.

# %% nbgrader={"grade": false, "grade_id": "next_step", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "a", "b", "c", "d"
next_step = ""
### BEGIN SOLUTION
next_step = "a" if self_harm_flag else "b" if phq9_total >= 10 else "c"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "next_step_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_step = expect_defined("next_step")
expect_choice(_step, ("a", "b", "c", "d"), "next_step")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_m = _load("case_measures")
_row = (
    _m[(_m["instrument"] == "phq9") & (_m["timepoint"] == "pre")].sort_values("measure_id").iloc[0]
)
_harm = "self_harm" in str(_row["flags"]).split(";")
_expected = "a" if _harm else "b" if _row["total"] >= 10 else "c"
expect(
    _step.strip() == _expected,
    "这一步不是最合适的：安全永远排在第一位，其次看总分。",
    "That is not the most suitable step: safety comes first, then the total.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（6 分）书面题：预估摘要与服务计划
#
# 写一份简短的预估摘要和服务计划（150–300 字），包括：
#
# 1. **预估**：用量表结果（总分、分级、第 9 题）和个案摘要说明服务对象的主要问题、需求和风险；
# 2. **计划**：1–2 个具体、可测量、有时间的服务目标，以及你会采取的行动（包括需要链接的资源）；
# 3. **原则与安全**：怎样体现服务对象自决和保密，如有自伤风险，安全措施是什么。
#
# 评分标准见量规：运用预估结果（2 分）、目标与行动（2 分）、原则与安全（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (6 points): written — assessment summary and service plan
#
# Write a short assessment summary and service plan (100-200 words) covering:
#
# 1. **Assessment**: the client's main problems, needs and risks, using the scale results (total, band, item 9) and the case note;
# 2. **Plan**: one or two specific, measurable, time-bound goals and the actions you will take (including resources to link);
# 3. **Principles and safety**: how you respect client self-determination and confidentiality and, if there is a self-harm risk, the safety measures.
#
# Graded with the rubric: use of the assessment (2), goals and actions (2), principles and safety (2).

# %% [markdown] nbgrader={"grade": true, "grade_id": "plan", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# **预估摘要 / Assessment:**
#
# **服务计划 / Plan:**
#
# **原则与安全 / Principles and safety:**
#
# ### BEGIN SOLUTION
# 预估：服务对象 PHQ-9 前测总分 24 分，属重度，第 9 题为 1 分，提示有伤害自己的念头，风险等级为高；个案摘要显示其独居、子女在外务工，主要需求是情绪支持和减少孤独。
#
# 计划：目标一，两周内与服务对象及其女儿共同制定安全计划，并每周电话联系 2 次；目标二，三个月内 PHQ-9 总分降到 10 分以下，为此转介乡镇卫生院心理门诊并陪同首诊，链接村里的结对志愿者每周探访。
#
# 原则与安全：当天启动安全预案并报告督导；计划和转介都征得服务对象同意（服务对象自决）；只与督导和必要的转介机构分享信息（保密），自伤风险属于保密的例外，要向服务对象说明。
#
# Assessment: PHQ-9 pre-test total 24 (severe) with item 9 at 1, so thoughts of self-harm and a high risk; the case note shows the client lives alone with children working away, needing emotional support and company. Plan: within two weeks make a safety plan with the client and daughter, phone twice a week; bring the PHQ-9 total below 10 within three months through a referral to the health centre's mental health clinic (accompanied first visit) and weekly visits by a village volunteer. Principles and safety: start the safety protocol today and tell the supervisor; the plan and referral need the client's consent; share information only with the supervisor and the referral service, explaining that self-harm risk is an exception to confidentiality.
# ### END SOLUTION
