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
#     id: data-basics
#     order: 1
#     title_zh: 作业一 县级服务汇总表与图表
#     title_en: "Assignment 1: A county summary table and chart"
# ---

# %% [markdown] lang="zh"
# # 作业一 县级服务汇总表与图表
#
# 月底，县社会工作服务总站要各乡镇社工站报送“六项服务”的人次。这份作业用本县的模拟服务台账，做一张县级汇总表和一张图，并写几句解读。
#
# **怎样作答**
#
# 1. 从上到下依次运行每个单元格（Shift+Enter）。
# 2. 标着“在这里写代码”的单元格，把代码写在里面；标着引号 `""` 的单元格，只需要在引号里填上你的选择，不需要写代码。
# 3. 书面题双击单元格，在“在此作答”处写答案。
# 4. 每道题下面的“检查”单元格会告诉你答案格式是否正确；正式评分时还会用更多检查。
# 5. 做完后保存，打开“我的作业”页面：先按“检查”，再按“提交”；连不上网络时按“生成离线提交包”，并拍下回执码。
#
# 共 20 分：代码题 14 分，选择题 2 分，书面题 4 分。

# %% [markdown] lang="en"
# # Assignment 1: A county summary table and chart
#
# At the end of each month the county general station asks every township station for its person-times by the six services. In this assignment you use the county's simulated service ledger to build a county summary table and a chart, and write a short interpretation.
#
# **How to answer**
#
# 1. Run the cells from top to bottom (Shift+Enter).
# 2. Where a cell says "YOUR CODE HERE", write code there; where a cell has quotes `""`, just type your choice inside the quotes, no code needed.
# 3. For the written question, double-click the cell and write where it says "write your answer here".
# 4. The "check" cell under each question tells you whether your answer has the right form; grading runs more checks.
# 5. When you are done, save and open the "My assignments" page: press "Check", then "Submit"; without a network, press "Offline submission zip" and photograph the receipt code.
#
# 20 points: code questions 14, choice question 2, written question 4.

# %% nbgrader={"grade": false, "grade_id": "load_data", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets import load

ledger = load("ledger")
stations = load("stations")
ledger.head()

# %% [markdown] lang="zh"
# ## 第1题（3 分）按服务类别统计人次
#
# 台账每一行是一次服务记录，`person_times` 是这次服务的人次，`service` 是六项服务之一。请算出全县每一项服务的人次合计，存为 `by_service`（一个 Series，索引是服务代码，值是人次合计）。
#
# 提示：`ledger.groupby("service")["person_times"].sum()`。注意是把人次加起来，不是数行数。

# %% [markdown] lang="en"
# ## Question 1 (3 points): person-times by service
#
# Each ledger row is one service contact; `person_times` is its person-times and `service` is one of the six services. Work out the county's total person-times for each service and store it as `by_service` (a Series indexed by service code, values the totals).
#
# Hint: `ledger.groupby("service")["person_times"].sum()`. Add up the person-times; do not count rows.

# %% nbgrader={"grade": false, "grade_id": "by_service", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
by_service = ledger.groupby("service")["person_times"].sum().sort_values(ascending=False)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "by_service_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect_defined, expect_mapping_close

_answer = expect_defined("by_service")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_expected = _load("ledger").groupby("service")["person_times"].sum()
expect_mapping_close(_answer, _expected.to_dict(), "by_service")
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第2题（5 分）各乡镇社工站汇总表
#
# 做一张表 `station_table`，每个在台账中出现的社工站一行，包含这些列：
#
# | 列名 | 含义 |
# | --- | --- |
# | `station_id` | 社工站编号 |
# | `name_zh` | 社工站名称（来自 `stations` 表） |
# | `entries` | 台账记录条数 |
# | `person_times` | 人次合计 |
#
# 按 `person_times` 从大到小排序。提示：先 `groupby("station_id").agg(...)`，再用 `merge` 接上 `stations` 表的名称。

# %% [markdown] lang="en"
# ## Question 2 (5 points): a table of township stations
#
# Build a table `station_table` with one row per station that appears in the ledger and these columns:
#
# | column | meaning |
# | --- | --- |
# | `station_id` | station id |
# | `name_zh` | station name (from the `stations` table) |
# | `entries` | number of ledger rows |
# | `person_times` | total person-times |
#
# Sort it by `person_times`, largest first. Hint: `groupby("station_id").agg(...)`, then `merge` the names from `stations`.

# %% nbgrader={"grade": false, "grade_id": "station_table", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
station_table = (
    ledger.groupby("station_id")
    .agg(entries=("entry_id", "size"), person_times=("person_times", "sum"))
    .reset_index()
    .merge(stations[["station_id", "name_zh"]], on="station_id", how="left")
    .sort_values("person_times", ascending=False)[
        ["station_id", "name_zh", "entries", "person_times"]
    ]
    .reset_index(drop=True)
)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "station_table_shape", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_columns, expect_defined

_table = expect_defined("station_table")
expect_columns(_table, ["station_id", "name_zh", "entries", "person_times"], "station_table")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_ids = set(_load("ledger")["station_id"])
expect(
    len(_table) == len(_ids) and set(_table["station_id"]) == _ids,
    "station_table 应当每个出现在台账中的社工站正好一行。",
    "station_table should have exactly one row per station in the ledger.",
)
### END HIDDEN TESTS

# %% nbgrader={"grade": true, "grade_id": "station_table_values", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined, expect_mapping_close

_table = expect_defined("station_table")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_ledger = _load("ledger")
_names = _load("stations").set_index("station_id")["name_zh"]
_rows = _table.set_index("station_id")
expect_mapping_close(
    _rows["person_times"], _ledger.groupby("station_id")["person_times"].sum(), "person_times"
)
expect_mapping_close(_rows["entries"], _ledger.groupby("station_id").size(), "entries")
expect(
    all(_rows["name_zh"] == _names.reindex(_rows.index)),
    "name_zh 列的站名与 stations 表不一致。",
    "The name_zh column does not match the stations table.",
)
expect(
    list(_table["person_times"]) == sorted(_table["person_times"], reverse=True),
    "station_table 还没有按 person_times 从大到小排序。",
    "station_table is not sorted by person_times, largest first.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第3题（2 分）人次最多的社工站
#
# 把人次合计最多的社工站的名称（`name_zh`）存为 `top_station`（一个字符串）。

# %% [markdown] lang="en"
# ## Question 3 (2 points): the busiest station
#
# Store the name (`name_zh`) of the station with the most person-times as `top_station` (a string).

# %% nbgrader={"grade": false, "grade_id": "top_station", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
top_station = station_table.iloc[0]["name_zh"]
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "top_station_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined, expect_type

_answer = expect_defined("top_station")
expect_type(_answer, str, "top_station")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_totals = _load("ledger").groupby("station_id")["person_times"].sum()
_names = _load("stations").set_index("station_id")["name_zh"]
expect(
    _answer.strip() == _names[_totals.idxmax()],
    "top_station 不是人次最多的社工站。",
    "top_station is not the station with the most person-times.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第4题（2 分）选择题：最常见的接触方式
#
# 下面的单元格已经替你数好了各种接触方式（`contact`）的记录条数。看结果，把条数最多的接触方式代码填进引号里，例如 `most_common_contact = "phone"`。不需要写代码。

# %% [markdown] lang="en"
# ## Question 4 (2 points): choice — the most common contact type
#
# The cell below counts the ledger rows of each contact type (`contact`) for you. Read the result and type the code of the most common one inside the quotes, for example `most_common_contact = "phone"`. No code needed.

# %% nbgrader={"grade": false, "grade_id": "contact_counts", "locked": true, "schema_version": 3, "solution": false}
ledger["contact"].value_counts()

# %% nbgrader={"grade": false, "grade_id": "most_common_contact", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "home_visit", "phone", "office", "activity", "group_session"
most_common_contact = ""
### BEGIN SOLUTION
most_common_contact = ledger["contact"].value_counts().idxmax()
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "most_common_contact_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_answer = expect_defined("most_common_contact")
expect_choice(
    _answer,
    ("home_visit", "phone", "office", "activity", "group_session"),
    "most_common_contact",
)
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

expect(
    _answer.strip() == _load("ledger")["contact"].value_counts().idxmax(),
    "这不是记录条数最多的接触方式。",
    "That is not the contact type with the most rows.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第5题（4 分）画一张中文柱状图
#
# 用第1题的 `by_service` 画柱状图，每项服务一根柱子，存为 `fig`。要有标题和纵轴标签（例如“人次”）。
#
# 提示：
#
# ```python
# import matplotlib.pyplot as plt
# fig, ax = plt.subplots()
# ax.bar(by_service.index, by_service.values)
# ax.set_title("……")
# ax.set_ylabel("……")
# ```

# %% [markdown] lang="en"
# ## Question 5 (4 points): a bar chart
#
# Draw a bar chart of `by_service` from question 1, one bar per service, and store the figure as `fig`. Give it a title and a y-axis label (for example "person-times").
#
# Hint:
#
# ```python
# import matplotlib.pyplot as plt
# fig, ax = plt.subplots()
# ax.bar(by_service.index, by_service.values)
# ax.set_title("...")
# ax.set_ylabel("...")
# ```

# %% nbgrader={"grade": false, "grade_id": "chart", "locked": false, "schema_version": 3, "solution": true}
# 在这里写代码 / YOUR CODE HERE
### BEGIN SOLUTION
import matplotlib.pyplot as plt

fig, ax = plt.subplots(figsize=(7, 3.5))
ax.bar(by_service.index, by_service.values)
ax.set_title({"zh": "本县六项服务人次", "en": "Person-times by service"}[LANG])
ax.set_ylabel({"zh": "人次", "en": "person-times"}[LANG])
ax.tick_params(axis="x", labelrotation=30)
fig.tight_layout()
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "chart_labels", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from matplotlib.figure import Figure

from shegong.grading.checks import expect, expect_defined, expect_type

_fig = expect_defined("fig")
expect_type(_fig, Figure, "fig")
expect(_fig.axes, "fig 里还没有坐标轴。", "fig has no axes yet.")
expect(
    _fig.axes[0].get_title().strip() and _fig.axes[0].get_ylabel().strip(),
    "图还缺标题或纵轴标签。",
    "The chart still needs a title and a y-axis label.",
)

# %% nbgrader={"grade": true, "grade_id": "chart_bars", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined

_fig = expect_defined("fig")
### BEGIN HIDDEN TESTS
from shegong.datasets import load as _load

_heights = sorted(round(p.get_height()) for p in _fig.axes[0].patches)
_expected = sorted(int(v) for v in _load("ledger").groupby("service")["person_times"].sum())
expect(
    _heights == _expected,
    "柱子的高度应当是各项服务的人次合计，每项服务一根。",
    "The bars should be the person-time totals, one bar per service.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（4 分）书面题：这张表说明了什么，不能说明什么？
#
# 用 3–5 句话回答：(1) 县社会工作服务总站从你的汇总表和图中能看出什么？请引用具体的数字。(2) 这些人次数字有什么局限，不能回答哪些问题？
#
# 评分看两点：读得准不准（2 分），说没说清局限（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (4 points): written — what does the table show, and what can it not show?
#
# Answer in 3-5 sentences: (1) What can the county general station read from your table and chart? Quote actual numbers. (2) What are the limits of these person-time figures; which questions can they not answer?
#
# Graded on two things: an accurate reading (2 points) and a clear limit (2 points).

# %% [markdown] nbgrader={"grade": true, "grade_id": "interpretation", "locked": false, "points": 4, "schema_version": 3, "solution": true}
# **答 / Answer:**
#
# ### BEGIN SOLUTION
# 需求评估（走访）占了全县人次的大头，其次是老幼关爱和社会救助；人次最多的社工站比最少的多出一倍以上。但人次是服务次数，不是服务了多少人：同一位老人被走访十次就算十人次；人次也说不出服务质量和服务对象有没有改变，要结合个案前后测和满意度来看。
#
# Needs assessment (home visits) makes up most of the county's person-times, followed by care for elders and children and social assistance; the busiest station has more than twice the person-times of the quietest. But person-times count contacts, not people: one elder visited ten times is ten person-times, and the figures say nothing about quality or whether clients' situations changed; that needs pre/post measures and satisfaction data.
# ### END SOLUTION
