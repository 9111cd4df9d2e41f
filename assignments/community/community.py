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
#     id: community
#     order: 4
#     title_zh: 作业四 社区工作：入户需求评估与资源链接计划
#     title_en: "Assignment 4: Community work - a household needs assessment and a resource-linking plan"
# ---

# %% [markdown] lang="zh"
# # 作业四 社区工作：入户需求评估与资源链接计划
#
# 社工站开站后不久，要在所服务的村（社区）入户做需求调查（参与式需求评估）。受访户按轻重排出三项最迫切的需求，还说明是否愿意做志愿者、能贡献什么技能——这是“资产为本”的社区发展所说的个人资产。本作业分析模拟数据中编号最小的那个社工站的调查结果，并写一份资源链接计划。
#
# **怎样作答**：从上到下运行单元格；代码题写在“在这里写代码”处；选择题只需在引号里填写答案；书面题双击单元格作答。共 20 分：代码题 10 分，选择题 4 分，书面题 6 分。

# %% [markdown] lang="en"
# # Assignment 4: Community work - a household needs assessment and a resource-linking plan
#
# Soon after a station opens it surveys households in the villages it serves (participatory needs assessment). Respondents rank their three most pressing needs and say whether they would volunteer and what skill they could offer - individual assets in asset-based community development. This assignment analyses the survey of the station with the smallest id in the simulated data and asks for a resource-linking plan.
#
# **How to answer**: run the cells from top to bottom; write code where it says "YOUR CODE HERE"; for choice questions only fill in the quotes; double-click the written question to answer it. 20 points: code 10, choices 4, written 6.

# %% nbgrader={"grade": false, "grade_id": "load_survey", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets import load

survey = load("needs_survey")
station_id = sorted(survey["station_id"].unique())[0]
mine = survey[survey["station_id"] == station_id]
print(station_id, len(mine))
mine[
    ["village_id", "need_1", "need_2", "need_3", "knows_station", "willing_to_volunteer", "skill"]
].head()

# %% [markdown] lang="zh"
# ## 第1题（3 分）最迫切的需求
#
# 数一数 `mine` 中每种“最迫切的需求”（`need_1`）各有多少户，存为 `first_needs`（Series，索引是需求代码，值是户数）。

# %% [markdown] lang="en"
# ## Question 1 (3 points): the most pressing needs
#
# Count how many households in `mine` named each need as their most pressing one (`need_1`) and store it as `first_needs` (a Series indexed by need code, values the household counts).

# %% nbgrader={"grade": false, "grade_id": "first_needs", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
first_needs = mine["need_1"].value_counts()
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "first_needs_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect_defined, expect_mapping_close

_counts = expect_defined("first_needs")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_survey = _load("needs_survey")
_mine = _survey[_survey["station_id"] == sorted(_survey["station_id"].unique())[0]]
expect_mapping_close(_counts, _mine["need_1"].value_counts().to_dict(), "first_needs")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第2题（4 分）需求加权排序
#
# 参与式评估常用“排序打分”：第一需求记 3 分，第二需求记 2 分，第三需求记 1 分。把每种需求的总分存为 `need_scores`（Series，索引是需求代码），并从高到低排序。
#
# 提示：`mine["need_1"].value_counts() * 3`，再用 `.add(..., fill_value=0)` 加上另外两列。

# %% [markdown] lang="en"
# ## Question 2 (4 points): weighted ranking of needs
#
# Participatory assessment often uses "ranking and scoring": a first need scores 3, a second 2 and a third 1. Store each need's total score as `need_scores` (a Series indexed by need code), sorted from highest to lowest.
#
# Hint: `mine["need_1"].value_counts() * 3`, then `.add(..., fill_value=0)` for the other two columns.

# %% nbgrader={"grade": false, "grade_id": "need_scores", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
need_scores = (
    (mine["need_1"].value_counts() * 3)
    .add(mine["need_2"].value_counts() * 2, fill_value=0)
    .add(mine["need_3"].value_counts(), fill_value=0)
    .sort_values(ascending=False)
)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "need_scores_values", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect_defined, expect_mapping_close

_scores = expect_defined("need_scores")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_survey = _load("needs_survey")
_mine = _survey[_survey["station_id"] == sorted(_survey["station_id"].unique())[0]]
_expected = {}
for _column, _weight in (("need_1", 3), ("need_2", 2), ("need_3", 1)):
    for _need, _n in _mine[_column].value_counts().items():
        _expected[_need] = _expected.get(_need, 0) + _weight * _n
expect_mapping_close(_scores, _expected, "need_scores")
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "need_scores_sorted", "locked": true, "points": 1, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined

_scores = expect_defined("need_scores")
_values = [float(v) for v in dict(_scores).values()]
expect(
    _values == sorted(_values, reverse=True),
    "need_scores 还没有从高到低排序。",
    "need_scores is not sorted from highest to lowest.",
)

# %% [markdown] lang="zh"
# ## 第3题（3 分）社区资产：志愿者能贡献的技能
#
# 在愿意做志愿者（`willing_to_volunteer` 为 True）且有技能（`skill` 不是 `"none"`）的受访者中，数一数每种技能各有几人，存为 `skills`（Series）。

# %% [markdown] lang="en"
# ## Question 3 (3 points): community assets — volunteers' skills
#
# Among respondents willing to volunteer (`willing_to_volunteer` True) who have a skill (`skill` is not `"none"`), count each skill and store the counts as `skills` (a Series).

# %% nbgrader={"grade": false, "grade_id": "skills", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
skills = mine[mine["willing_to_volunteer"] & (mine["skill"] != "none")]["skill"].value_counts()
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "skills_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined, expect_mapping_close

_skills = expect_defined("skills")
expect(
    "none" not in dict(_skills),
    "skills 里不应有 none（没有技能）。",
    "skills should not include none.",
)
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_survey = _load("needs_survey")
_mine = _survey[_survey["station_id"] == sorted(_survey["station_id"].unique())[0]]
_expected = _mine[_mine["willing_to_volunteer"] & (_mine["skill"] != "none")][
    "skill"
].value_counts()
expect_mapping_close(_skills, _expected.to_dict(), "skills")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第4题（2 分）选择题：居民知道社工站吗？
#
# 下面的单元格算出了知道本乡镇有社工站的受访户比例。如果比例不低于 60%，填 `"yes"`，否则填 `"no"`。

# %% [markdown] lang="en"
# ## Question 4 (2 points): choice — do residents know the station?
#
# The cell below shows the share of households that know the township has a social work station. If it is 60 % or more, type `"yes"`, otherwise `"no"`.

# %% nbgrader={"grade": false, "grade_id": "knows_share_shown", "locked": true, "schema_version": 3, "solution": false}
print(f"{mine['knows_station'].mean():.1%}")

# %% nbgrader={"grade": false, "grade_id": "well_known", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "yes", "no"
well_known = ""
### BEGIN SOLUTION
well_known = "yes" if mine["knows_station"].mean() >= 0.6 else "no"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "well_known_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_known = expect_defined("well_known")
expect_choice(_known, ("yes", "no"), "well_known")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_survey = _load("needs_survey")
_mine = _survey[_survey["station_id"] == sorted(_survey["station_id"].unique())[0]]
_expected = "yes" if _mine["knows_station"].mean() >= 0.6 else "no"
expect(_known.strip() == _expected, "请再看一看上面的比例。", "Look at the share above again.")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第5题（2 分）选择题：五社联动
#
# 村里一家农产品加工企业给村老年食堂捐了 5,000 元。在“五社联动”中，这属于哪一方？
#
# `"community"` 社区（村委会）· `"social_org"` 社会组织 · `"social_worker"` 社会工作者 · `"volunteer"` 社区志愿者 · `"charity"` 社会慈善资源

# %% [markdown] lang="en"
# ## Question 5 (2 points): choice — five-party linkage
#
# A local food-processing company gives ¥5,000 to the village elders' canteen. Which of the five parties is this?
#
# `"community"` community (village committee) · `"social_org"` social organisations · `"social_worker"` social workers · `"volunteer"` community volunteers · `"charity"` charitable resources

# %% nbgrader={"grade": false, "grade_id": "linkage_party", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "community", "social_org", "social_worker", "volunteer", "charity"
linkage_party = ""
### BEGIN SOLUTION
linkage_party = "charity"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "linkage_party_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_party = expect_defined("linkage_party")
expect_choice(
    _party, ("community", "social_org", "social_worker", "volunteer", "charity"), "linkage_party"
)
### BEGIN HIDDEN TESTS
expect(
    _party.strip() == "charity",
    "企业捐赠属于社会慈善资源。",
    "A company donation is a charitable resource.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（6 分）书面题：资源链接计划
#
# 先看下面单元格列出的前两项需求和领先的分数。一户最多给一项需求 3 分，样本又小：**领先不超过 6 分（差不多两户的意见）时，前两项看作并列**，不由社工替村民定，计划的第一步是回村请村民一起排序（村民议事会、参与式排序），再为村民定下的需求链接资源；领先明显时，针对加权得分最高的需求写计划。写一份资源链接计划（150–300 字）：
#
# 1. **依据**：引用你的分析结果（需求得分、领先多少、知晓率等）说明为什么先做这件事，或为什么要先回村定先后；
# 2. **资源**：按“五社联动”列出可以链接的各方，并用上第3题中的志愿者技能（社区资产）；
# 3. **步骤与评估**：三个月内的具体步骤、分工，以及怎样判断计划有没有做成。
#
# 评分标准见量规：用数据说话（2 分）、资源与资产（2 分）、可行与评估（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (6 points): written — a resource-linking plan
#
# First look at the top two needs and the lead listed by the cell below. One household gives a need at most 3 points and the sample is small: **a lead of 6 points or less (about two households' opinion) is a tie**, and the worker does not settle it for the villagers: the plan's first step is to take both back to the village to rank together (a villagers' council, participatory ranking), then link resources for the need they choose. With a clear lead, plan for the need with the highest weighted score. Write a resource-linking plan (100-200 words):
#
# 1. **Rationale**: use your results (need scores, the size of the lead, how well the station is known) to say why this comes first, or why villagers must settle the order first;
# 2. **Resources**: list the parties you would link by the five-party linkage and use the volunteers' skills from question 3 (community assets);
# 3. **Steps and evaluation**: concrete steps and who does what in the next three months, and how you will know whether it worked.
#
# Graded with the rubric: uses the data (2), resources and assets (2), feasibility and evaluation (2).

# %% nbgrader={"grade": false, "grade_id": "top_two_shown", "locked": true, "schema_version": 3, "solution": false}
_points = (
    (mine["need_1"].value_counts() * 3)
    .add(mine["need_2"].value_counts() * 2, fill_value=0)
    .add(mine["need_3"].value_counts(), fill_value=0)
    .sort_values(ascending=False)
)
_lead = float(_points.iloc[0] - _points.iloc[1])
print(f"1. {_points.index[0]}: {_points.iloc[0]:g}    2. {_points.index[1]}: {_points.iloc[1]:g}")
print(
    {
        "zh": f"领先 {_lead:g} 分：" + ("看作并列，请村民一起排序" if _lead <= 6 else "领先明显"),
        "en": f"lead {_lead:g} points: "
        + ("a tie; let villagers rank them" if _lead <= 6 else "a clear lead"),
    }[LANG]
)

# %% [markdown] nbgrader={"grade": true, "grade_id": "linking_plan", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# **资源链接计划 / Resource-linking plan:**
#
# ### BEGIN SOLUTION
# 依据：养老照护加权得分最高（第一需求就有 40 户），远超其他需求；但只有 55% 的受访户知道社工站，计划也要顺带提高知晓率。资源：社区——村委会提供活动室做老年食堂；社会组织——孵化互助养老会；社会工作者——社工站统筹；社区志愿者——调查中 6 位会烹饪、3 位会驾驶的志愿者负责做饭和送餐；社会慈善资源——联系县慈善会和本地企业捐助餐费。步骤与评估：第 1 个月召开村民议事会定方案，第 2 个月招募培训志愿者，第 3 个月试运行每周 3 次午餐；评估看用餐老人人数、志愿服务时长和老人满意度。
#
# Rationale: elder care has by far the highest weighted score (the first need of 40 households), yet only 55 % of households know the station, so the plan should also raise awareness. Resources: community - the village committee lends a room for an elders' canteen; social organisations - incubate an elder mutual-aid association; social workers - the station coordinates; volunteers - the six volunteers who cook and three who drive cook and deliver meals; charity - the county charity federation and local companies fund meals. Steps and evaluation: month 1 a villagers' council agrees the plan, month 2 volunteers are recruited and trained, month 3 lunches run three times a week; success is judged by elders served, volunteer hours and elders' satisfaction.
# ### END SOLUTION
