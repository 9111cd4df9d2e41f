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
#     id: fields
#     order: 6
#     title_zh: 作业六 领域实务：一个村里的救助、儿童、老人与防灾
#     title_en: "Assignment 6: Field areas - assistance, children, older people and a flood warning in one village"
#     safety_gates: [report_step_test]
#     pass_percent: 60
# ---

# %% [markdown] lang="zh"
# # 作业六 领域实务：一个村里的救助、儿童、老人与防灾
#
# 本作业把“领域实务”课程的四个领域放到本站的一个村里：社会救助（《社会救助社会工作服务指南》DB51/T 2824-2021）、儿童服务、老年服务（《老年社会工作服务指南》MZ/T 064-2016）和防灾减灾。村里的人来自模拟名册，姓名都是化名（姓氏加“某”）；每个学员的数据不同，答案也不同。
#
# **怎样作答**：先运行第一个代码格，读村里的名单。选择题只需在引号里（或 `None`、`True`/`False` 处）填写答案，不需要写代码；书面题双击单元格作答。共 20 分：选择题 13 分，书面题 7 分。
#
# **重要**：第4题（孩子无人照顾时怎么做）是本作业的**安全底线**：这一题没做对，无论总分多少，作业都不能通过。其余情况下，总分达到 60 % 即为通过。

# %% [markdown] lang="en"
# # Assignment 6: Field areas - assistance, children, older people and a flood warning in one village
#
# This assignment puts the four fields of the field-area course into one village of the station: social assistance (Sichuan's guideline DB51/T 2824-2021), children, older people (the guidelines MZ/T 064-2016) and disaster work. The villagers come from the simulated roster, with pseudonyms (surname plus `某`); every trainee's data differ, and so do the answers.
#
# **How to answer**: run the first code cell and read the village list. For choice questions only fill in the quotes (or the `None`, `True`/`False`); no code is needed. Double-click the written questions to answer them. 20 points: choices 13, written 7.
#
# **Important**: Question 4 (what to do when a child is left without care) is this assignment's **safety minimum**: if it is wrong, the assignment is not passed whatever the total. Otherwise a total of 60 % passes.

# %% nbgrader={"grade": false, "grade_id": "load_village", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets import load
from shegong.datasets.toolkits.fields import (
    first_child,
    flood_priority,
    guardian_concern,
    teaching_village,
    vignette,
    village_roll,
)

residents = load("residents")
cases = load("cases")
measures = load("case_measures")
village = teaching_village(residents)
roll = village_roll(residents, cases, village, lang=LANG)
people = residents.set_index("resident_id")
roll = roll.assign(
    lives_alone=roll["resident_id"].map(people["lives_alone"]),
    disability_grade=roll["resident_id"].map(people["disability_grade"]),
)
print(village)
roll

# %% [markdown] lang="zh"
# 上表是这个村在名册上的全部人，按户排列：`flags` 是困境标记，`open_case` 表示期末是否有在案个案，`lives_alone` 表示是否独居，`disability_grade` 是残疾等级（一级最重，空白表示没有残疾）。
#
# ## 第1题（3 分）预警来了，先联系谁
#
# 县里发布了暴雨和山洪预警。按课程的教学规则排联系顺序：
#
# | 顺序 | 谁 |
# | --- | --- |
# | 第一批 | 独居，而且 80 岁及以上或有一、二级残疾的人 |
# | 第二批 | 其他 80 岁及以上、有一、二级残疾、独居的人，以及 16 岁以下的儿童 |
# | 第三批 | 名册上的其他人 |
#
# 同一批里年龄大的先联系（同龄时编号小的先）。把第一个要联系的人的编号填进 `first_call` 的引号里，例如 `first_call = "R0000123"`。

# %% [markdown] lang="en"
# The table holds everyone of this village on the roster, by household: `flags` are the hardship flags, `open_case` says whether a case was open at the end of the period, `lives_alone` whether the person lives alone, and `disability_grade` the disability grade (1 most severe; empty means no disability).
#
# ## Question 1 (3 points): the warning has come, whom first?
#
# The county has issued a heavy-rain and flash-flood warning. Order the calls by the course's teaching rule:
#
# | order | who |
# | --- | --- |
# | first | people who live alone and are 80 or over or have a grade 1 or 2 disability |
# | second | anyone else aged 80 or over, with a grade 1 or 2 disability or living alone, and children under 16 |
# | third | everyone else on the roster |
#
# Within a group the oldest first (the smaller id first at the same age). Put the id of the first person to contact in the quotes of `first_call`, e.g. `first_call = "R0000123"`.

# %% nbgrader={"grade": false, "grade_id": "first_call", "locked": false, "schema_version": 3, "solution": true}
# 填编号，加引号 / type the id, in quotes
first_call = ""
### BEGIN SOLUTION
first_call = flood_priority(residents, village)["resident_id"].iloc[0]
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "first_call_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_first = expect_defined("first_call")
expect_choice(str(_first).strip(), tuple(roll["resident_id"]), "first_call")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.fields import teaching_village as _village

_r = _load("residents")
_here = _r[_r["village_id"] == _village(_r)]
_grade = _here["disability_grade"].astype("Float64")
_frail = (_here["age"] >= 80) | (_grade <= 2).fillna(False).astype(bool)
_alone = _here["lives_alone"].astype(bool)
_group = 3 - (_frail | _alone | (_here["age"] < 16)).astype(int) - (_frail & _alone).astype(int)
_order = _here.assign(group=_group).sort_values(
    ["group", "age", "resident_id"], ascending=[True, False, True]
)
expect(
    str(_first).strip() == _order["resident_id"].iloc[0],
    "这不是按规则排在第一的人：先找独居且高龄或重度残疾的人，同一批里年龄大的先。",
    "That is not the first by the rule: look for people living alone who are very old or "
    "severely disabled first; within a group, the oldest first.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第2题（2 分）主动发现：还没有在服务中的救助对象
#
# 数一数上表中标着“低保对象”或“低保边缘家庭”（任一个即可）、而 `open_case` 为 `False` 的人有几位，把数字填在 `assistance_no_case` 处（例如 `assistance_no_case = 2`）。他们是本月主动走访的首要对象。

# %% [markdown] lang="en"
# ## Question 2 (2 points): active discovery, assistance clients not yet served
#
# Count the people in the table flagged "dibao recipient" or "just above the dibao line" (either one) whose `open_case` is `False`, and type the number at `assistance_no_case` (e.g. `assistance_no_case = 2`). They come first for this month's outreach visits.

# %% nbgrader={"grade": false, "grade_id": "assistance_no_case", "locked": false, "schema_version": 3, "solution": true}
# 填一个数字 / type a number
assistance_no_case = None
### BEGIN SOLUTION
_flagged = roll["resident_id"].map(people["dibao"] | people["dibao_edge"])
assistance_no_case = int((_flagged & ~roll["open_case"]).sum())
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "assistance_no_case_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_close, expect_defined

_count = expect_defined("assistance_no_case")
expect(
    _count is not None and float(_count) >= 0,
    "请填一个不小于 0 的数字。",
    "Type a number of 0 or more.",
)
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.casework import PERIOD_END as _end
from shegong.datasets.toolkits.casework import open_on as _open_on
from shegong.datasets.toolkits.fields import teaching_village as _village

_r = _load("residents")
_c = _load("cases")
_here = _r[_r["village_id"] == _village(_r)]
_open = set(_c.loc[_open_on(_c, _end), "resident_id"])
_want = int(((_here["dibao"] | _here["dibao_edge"]) & ~_here["resident_id"].isin(_open)).sum())
expect_close(_count, _want, "assistance_no_case")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第3题（2 分）这个孩子需要更细的监护评估吗？
#
# 下面是这个村的一名学龄留守儿童。按课程的教学规则：同户最年长的成年人 70 岁及以上、有一、二级残疾，或名册上同户没有成年人时，需要做更细的监护评估。需要就把 `closer_look` 填为 `True`，不需要就填 `False`（不加引号）。

# %% [markdown] lang="en"
# ## Question 3 (2 points): does this child need a closer guardianship assessment?
#
# Below is a school-age left-behind child of this village. By the course's teaching rule, a closer guardianship assessment is needed when the oldest adult of the household is 70 or over, has a grade 1 or 2 disability, or no adult of the household is on the roster. Type `True` at `closer_look` if it is needed, `False` if not (no quotes).

# %% nbgrader={"grade": false, "grade_id": "child_vignette", "locked": true, "schema_version": 3, "solution": false}
child = first_child(residents, village)
vignette("child", residents, child["resident_id"], lang=LANG)

# %% nbgrader={"grade": false, "grade_id": "closer_look", "locked": false, "schema_version": 3, "solution": true}
# 填 True 或 False / type True or False
closer_look = None
### BEGIN SOLUTION
closer_look = guardian_concern(residents, child["resident_id"])
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "closer_look_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_look = expect_defined("closer_look")
expect_choice(_look, (True, False), "closer_look")
### BEGIN HIDDEN TESTS
import pandas as _pd

from shegong.datasets import load as _load
from shegong.datasets.toolkits.fields import first_child as _first_child
from shegong.datasets.toolkits.fields import teaching_village as _village

_r = _load("residents")
_kid = _first_child(_r, _village(_r))
_home = _r[(_r["household_id"] == _kid["household_id"]) & (_r["age"] >= 18)]
if _home.empty:
    _want = True
else:
    _carer = _home.sort_values(["age", "resident_id"], ascending=[False, True]).iloc[0]
    _grade = _carer["disability_grade"]
    _severe = bool(_pd.notna(_grade) and int(_grade) <= 2)
    _want = bool(_carer["age"] >= 70 or _severe)
expect(
    bool(_look) == _want,
    "请再看一看这一户里年龄最大的成年人：年龄和残疾等级。",
    "Look again at the oldest adult of the household: age and disability grade.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第4题（3 分）安全底线：孩子一个人在家
#
# 你下午四点上门时，上面这个孩子告诉你：奶奶三天前住院了，这三天他一个人在家，晚上也是一个人睡；他求你“别告诉老师”。把最合适的做法的字母填进 `report_step`：
#
# - `"a"`：告诉孩子为什么要告诉能帮他的人；当天报告督导，联系儿童主任和儿童督导员，今晚就安排可靠的大人照顾他；
# - `"b"`：答应孩子保密，给他买些吃的，明天再来看看；
# - `"c"`：记下来，下个月督导时再讨论；
# - `"d"`：把孩子的情况发到村民微信群里，请亲戚来接他。

# %% [markdown] lang="en"
# ## Question 4 (3 points): safety minimum, a child alone at home
#
# When you call at four in the afternoon, the child above tells you: the grandmother went into hospital three days ago, he has been alone at home since, sleeping alone at night too; he begs you "don't tell the teacher". Put the letter of the best action in `report_step`:
#
# - `"a"`: tell the child why people who can help must know; tell your supervisor the same day, contact the children's director and the children's supervisor, and arrange a reliable adult to look after him tonight;
# - `"b"`: promise the child secrecy, buy him some food and come back tomorrow;
# - `"c"`: note it down and discuss it at next month's supervision;
# - `"d"`: post the child's situation in the villagers' WeChat group to find a relative to fetch him.

# %% nbgrader={"grade": false, "grade_id": "report_step", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "a", "b", "c", "d"
report_step = ""
### BEGIN SOLUTION
report_step = "a"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "report_step_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_step = expect_defined("report_step")
expect_choice(str(_step).strip(), ("a", "b", "c", "d"), "report_step")
### BEGIN HIDDEN TESTS
expect(
    str(_step).strip() == "a",
    "孩子无人照顾是当天必须报告的情况：不能许诺保密，不能等，也不能公开孩子的情况。",
    "A child without care is a same-day report: no promise of secrecy, no waiting, and "
    "nothing about the child made public.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第5题（3 分）一位老人的日常生活能力
#
# 下面是本县个案中第一位做过 Barthel 指数前测、独自居住的老人的前测总分。按课程采用的分级（供教学使用，尚未经本地常模核实），把对应的字母填进 `elder_band`：
#
# - `"a"`：100 分，完全自理；
# - `"b"`：61–99 分，轻度依赖；
# - `"c"`：41–60 分，中度依赖；
# - `"d"`：40 分及以下，重度依赖。

# %% [markdown] lang="en"
# ## Question 5 (3 points): an older person's daily-living ability
#
# Below is the Barthel Index pre-test total of the first client in the county's cases who had a Barthel pre-test and lives alone. By the course's grading (for teaching, not yet checked against local norms), put the matching letter in `elder_band`:
#
# - `"a"`: 100, independent;
# - `"b"`: 61-99, mild dependence;
# - `"c"`: 41-60, moderate dependence;
# - `"d"`: 40 or less, severe dependence.

# %% nbgrader={"grade": false, "grade_id": "elder_total", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets.toolkits.fields import elder_measure

elder_id = elder_measure(measures, cases, residents)
elder_total = int(measures.set_index("measure_id").loc[elder_id, "total"])
print("Barthel:", elder_total)

# %% nbgrader={"grade": false, "grade_id": "elder_band", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "a", "b", "c", "d"
elder_band = ""
### BEGIN SOLUTION
if elder_total == 100:
    elder_band = "a"
elif elder_total > 60:
    elder_band = "b"
elif elder_total > 40:
    elder_band = "c"
else:
    elder_band = "d"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "elder_band_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_band = expect_defined("elder_band")
expect_choice(str(_band).strip(), ("a", "b", "c", "d"), "elder_band")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load
from shegong.datasets.toolkits.fields import elder_measure as _elder_measure

_m = _load("case_measures")
_mid = _elder_measure(_m, _load("cases"), _load("residents"))
_row = _m.set_index("measure_id").loc[_mid]
_want = {"independent": "a", "mild": "b", "moderate": "c", "severe": "d"}[_row["band"]]
expect(
    str(_band).strip() == _want,
    "分级与总分不符：请对照分级表再看一次总分。",
    "The band does not fit the total: read the total against the bands again.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（4 分）书面题：预警过后的走访计划
#
# 雨停了。写一份第1题那位居民的走访计划（100–200 字），包括：
#
# 1. **目的与观察要点**：这次去要弄清什么，结合他的年龄和标记，特别要看什么（住房、吃饭、用药、身体、心情、谁在照顾他）；
# 2. **安全、同意与保密**：你和他的安全怎样保证，怎样向他说明来意并征得同意，记录只写什么。
#
# 这是计划，不是记录：还没有发生的事不要写成已经发生。评分标准见量规：目的与观察要点（2 分），安全、同意与保密（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (4 points): written, a visiting plan after the warning
#
# The rain has stopped. Write a plan for visiting the resident of Question 1 (70-140 words) covering:
#
# 1. **purpose and what to watch**: what you need to find out and, given the person's age and flags, what to look at in particular (housing, meals, medicines, health, mood, who looks after them);
# 2. **safety, consent and confidentiality**: how you keep the person and yourself safe, how you explain why you came and ask for consent, and what the record will contain.
#
# This is a plan, not a record: do not write anything that has not happened as if it had. Graded with the rubric: purpose and what to watch (2), safety, consent and confidentiality (2).

# %% [markdown] nbgrader={"grade": true, "grade_id": "visit_plan", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# **目的与观察要点 / Purpose and what to watch:**
#
# **安全、同意与保密 / Safety, consent and confidentiality:**
#
# ### BEGIN SOLUTION
# 目的与观察要点：这位居民 85 岁，在名册上标为 80 岁及以上，是预警时第一个联系的人。这次走访要弄清暴雨后房子有没有漏雨、受潮或裂缝，家里有没有吃的和干净的水，药还够不够、有没有按时吃，最近有没有跌倒、哪里不舒服，情绪怎样、有没有人来看过，平时是谁在照顾。
#
# 安全、同意与保密：和村干部结对去，先打电话约时间；房子有危险时不进去，请村委会处理。见面时说明我是社工站的社工、为什么来、会记下什么、谁能看到，征得同意后再问；不想回答的可以不答。记录当天写，只写编号和化名，只写看到和听到的事实，不发到群里。
#
# Purpose: the resident is 85, flagged aged 80+, first on the warning list. Find out whether the house leaks or is cracked after the rain, whether there is food and clean water, enough medicine taken on time, any falls or pain, mood and visitors, and who helps day to day. Safety, consent and confidentiality: go in a pair with a village cadre and phone first; do not enter a damaged house, call the village committee. Explain who I am, why I came, what I note and who reads it, and ask consent; the person may decline any question. Write the record the same day with id and pseudonym only, facts seen and heard, never posted in a group.
# ### END SOLUTION

# %% [markdown] lang="zh"
# ## 第7题（3 分）书面题：向一户人家解释临时救助
#
# 村里一户低保边缘家庭上个月有人住院，自付的医药费花掉了大半年的收入，但他们说“不想给政府添麻烦”。写几句话（80–150 字），你会怎样向他们解释：有什么救助可以申请、你能帮什么、最后由谁决定、他们可以不申请。评分标准见量规：说清角色与流程（2 分），尊重与同意（1 分）。

# %% [markdown] lang="en"
# ## Question 7 (3 points): written, explaining temporary assistance to a household
#
# A household of the village just above the dibao line had someone in hospital last month; the part of the bill it paid itself came to most of half a year's income, but they say "we don't want to be a burden on the government". Write a few sentences (50-100 words): how do you explain what assistance they can apply for, what you can help with, who decides in the end, and that they may choose not to apply? Graded with the rubric: roles and steps made clear (2), respect and consent (1).

# %% [markdown] nbgrader={"grade": true, "grade_id": "assistance_talk", "locked": false, "points": 3, "schema_version": 3, "solution": true}
# **我会这样说 / What I would say:**
#
# ### BEGIN SOLUTION
# “看病花了这么多钱，家里一定很难。像这样因为看病一时困难的家庭，可以向乡镇申请临时救助，也可能申请医疗救助，这是国家的政策，不是给政府添麻烦。能不能批、给多少，由民政部门审核决定，我不能替他们打包票；我能做的是把要准备的材料告诉你们、帮你们填表，需要的话陪你们去乡镇窗口，之后帮你们问进度。申不申请由你们决定；要是现在不想申请，以后随时可以来找我。你们家的情况我只在办理需要的范围内说，不会在村里讲。”
#
# "With such hospital bills it must be hard. Households in sudden hardship from illness can apply to the township for temporary assistance, perhaps medical assistance too; it is a state policy, not a burden. The civil affairs office decides whether and how much; I cannot promise. I can tell you which documents to prepare, help fill in the form, go with you to the township window and follow up. Whether to apply is your decision; you can come to me any time. I will share your situation only as far as the application needs."
# ### END SOLUTION
