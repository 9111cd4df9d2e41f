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
#     id: practice
#     order: 5
#     title_zh: 作业五 实务技能：危机判断、转介、伦理与记录写作
#     title_en: "Assignment 5: Practice skills - crisis, referral, ethics and record writing"
#     safety_gates: [crisis_step_test, tell_supervisor_test]
#     pass_percent: 60
# ---

# %% [markdown] lang="zh"
# # 作业五 实务技能：危机判断、转介、伦理与记录写作
#
# 本作业的情境都来自本县的模拟数据，服务对象用化名；换一个数据种子，情境里的人就不同。本作业**不需要写代码**：选择题只需在引号里（或 `True`/`False` 处）填写答案；书面题双击单元格作答。共 20 分：选择题 12 分，书面题 8 分。
#
# **安全底线**：第1题（发现家庭暴力迹象时的第一步）和第2题（是否当天报告督导）是本作业的安全底线：这两题有一题没做对，无论总分多少，作业都不能通过。其余情况下，总分达到 60 % 即为通过。

# %% [markdown] lang="en"
# # Assignment 5: Practice skills - crisis, referral, ethics and record writing
#
# Every situation in this assignment comes from the county's simulated data, with clients named by pseudonym; another data seed gives other people. **No code is needed**: for choice questions only fill in the quotes (or `True`/`False`); double-click the written questions to answer them. 20 points: choices 12, written 8.
#
# **Safety minimums**: questions 1 (the first step on signs of domestic violence) and 2 (telling the supervisor the same day) are this assignment's safety minimums: if either is wrong, the assignment is not passed whatever the total. Otherwise a total of 60 % passes.

# %% nbgrader={"grade": false, "grade_id": "load_world", "locked": true, "schema_version": 3, "solution": false}
from shegong.datasets.toolkits.practice import (
    pick_case,
    practice_world,
    service_directory,
    vignette,
    visit_list,
)

world = practice_world()
crisis_client = vignette(world, pick_case(world, risk="high", min_age=8), LANG)
print(crisis_client.markdown())

# %% [markdown] lang="zh"
# ## 第1题（3 分）选择题：发现家庭暴力迹象，第一步做什么？
#
# 你到上面这位服务对象家走访，看到他（她）手臂上有几道新伤。他（她）小声说是家里人打的，请你不要说出去。现在没有人在动手。按第 3 课，把第一步的字母填进 `crisis_step`：
#
# - `"a"`：答应替他（她）保密，下次走访再看看；
# - `"b"`：尊重他（她）的意愿，一起做安全计划，告诉他（她）报警、人身安全保护令和妇联求助的途径，当天报告督导；
# - `"c"`：依法强制报告：及时向公安机关报案，报告督导，并告知乡镇民政办；
# - `"d"`：请村干部把家人叫来一起调解。
#
# 提示：看服务对象的年龄。未满 18 岁的是限制民事行为能力人（或无民事行为能力人）。

# %% [markdown] lang="en"
# ## Question 1 (3 points): choice - signs of domestic violence: the first step?
#
# On a home visit to the client above you see fresh marks on one arm. The client whispers that a family member did it and asks you not to tell. Nobody is being hurt at this moment. Following lesson 3, put the letter of the first step in `crisis_step`:
#
# - `"a"`: promise to keep it secret and look again at the next visit;
# - `"b"`: respect the client's wishes, make a safety plan together, explain how to call the police, apply for a protection order and reach the women's federation, and report to the supervisor the same day;
# - `"c"`: report as the law requires: report to the police promptly, tell the supervisor and inform the township civil affairs office;
# - `"d"`: ask the village cadre to call the family together for mediation.
#
# Hint: look at the client's age. Anyone under 18 lacks full civil capacity.

# %% nbgrader={"grade": false, "grade_id": "crisis_step", "locked": false, "schema_version": 3, "solution": true}
# 可选 / choices: "a", "b", "c", "d"
crisis_step = ""
### BEGIN SOLUTION
crisis_step = "c" if crisis_client.age < 18 else "b"
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "crisis_step_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_step = expect_defined("crisis_step")
expect_choice(_step, ("a", "b", "c", "d"), "crisis_step")
### BEGIN HIDDEN TESTS
from shegong.datasets.toolkits.practice import pick_case as _pick
from shegong.datasets.toolkits.practice import practice_world as _world
from shegong.datasets.toolkits.practice import vignette as _vignette

_w = _world()
_client = _vignette(_w, _pick(_w, risk="high", min_age=8))
_expected = "c" if _client.age < 18 else "b"
expect(
    _step.strip().lower() == _expected,
    "第一步不对：先看年龄——未成年人依法强制报告；有完全行为能力的成年人，尊重意愿并做安全计划。"
    "保密和调解都不是第一步。",
    "That is not the first step: check the age first - for a minor the law requires a report; "
    "an adult with full capacity decides, with a safety plan. Secrecy and mediation are never first.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第2题（2 分）选择题：当天报告督导吗？
#
# 第1题的情况，要不要在**当天**报告督导？填 `True`（要）或 `False`（不要），不加引号。

# %% [markdown] lang="en"
# ## Question 2 (2 points): choice - tell the supervisor today?
#
# In the situation of question 1, do you tell your supervisor **the same day**? Type `True` (yes) or `False` (no), without quotes.

# %% nbgrader={"grade": false, "grade_id": "tell_supervisor", "locked": false, "schema_version": 3, "solution": true}
# 填 True 或 False / type True or False
tell_supervisor = None
### BEGIN SOLUTION
tell_supervisor = True
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "tell_supervisor_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_choice, expect_defined

_tell = expect_defined("tell_supervisor")
expect_choice(_tell, (True, False), "tell_supervisor")
### BEGIN HIDDEN TESTS
expect(
    _tell is True,
    "家庭暴力和虐待的迹象，无论服务对象几岁，都要当天报告督导。",
    "Signs of domestic violence or abuse go to the supervisor the same day, whatever the age.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第3题（3 分）选择题：转介给谁？
#
# 下面是本站另一位服务对象，以及本乡镇的服务名录。按第 5 课“需求对应服务”的表，把最合适的转介去处的**名称**（照名录第一列原样写）填进 `refer_to`；同类的有好几个时，选排在最前面的。

# %% [markdown] lang="en"
# ## Question 3 (3 points): choice - whom to refer to?
#
# Below are another client of your station and your township's service directory. With lesson 5's need-to-service table, put the **name** of the best place (exactly as in the directory's first column) in `refer_to`; if several of the same kind exist, take the one listed first.

# %% nbgrader={"grade": false, "grade_id": "show_referral", "locked": true, "schema_version": 3, "solution": false}
referral_case = pick_case(world, client_group="elder", needs=("loneliness", "daily_living"))
referral_client = vignette(world, referral_case, LANG)
print(referral_client.markdown())
directory = service_directory(world, referral_client.township_id, LANG)
directory.drop(columns="code")

# %% nbgrader={"grade": false, "grade_id": "refer_to", "locked": false, "schema_version": 3, "solution": true}
# 把名录里的名称写在引号里 / type the name from the directory inside the quotes
refer_to = ""
### BEGIN SOLUTION
from shegong.datasets.toolkits.practice import referral_for

refer_to = referral_for(world, referral_case, LANG)
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "refer_to_test", "locked": true, "points": 3, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined

_to = expect_defined("refer_to")
expect(
    isinstance(_to, str) and _to.strip() != "",
    "请在引号里写上名录中的名称。",
    "Write a name from the directory inside the quotes.",
)
### BEGIN HIDDEN TESTS
from shegong.datasets.toolkits.practice import pick_case as _pick
from shegong.datasets.toolkits.practice import practice_world as _world
from shegong.datasets.toolkits.practice import referral_for as _referral_for

_w = _world()
_case = _pick(_w, client_group="elder", needs=("loneliness", "daily_living"))
expect(
    _to.strip() in {_referral_for(_w, _case, "zh"), _referral_for(_w, _case, "en")},
    "这个去处和服务对象的主要需求不对应，请再看需求对应服务的表。",
    "That place does not fit the client's main need; look again at the need-to-service table.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第4题（2 分）选择题：村支书要看的，哪些可以给？
#
# 村支书为了给第3题的服务对象做低保复核，来站里要材料。下面哪些在**服务对象同意后**可以提供？把字母填进集合 `can_share`，例如 `{"a", "b"}`：
#
# - `"a"`：家庭常住人数；
# - `"b"`：服务对象自己提供的就医和药费单据；
# - `"c"`：社工写的过程记录全文；
# - `"d"`：服务对象在会谈中说的家庭矛盾；
# - `"e"`：服务对象的量表分数；
# - `"f"`：社工协助提交的救助申请材料。

# %% [markdown] lang="en"
# ## Question 4 (2 points): choice - what may the party secretary see?
#
# The village party secretary comes for papers for the dibao review of the client in question 3. Which may be given **once the client agrees**? Put the letters in the set `can_share`, e.g. `{"a", "b"}`:
#
# - `"a"`: the household size;
# - `"b"`: medical bills the client supplied;
# - `"c"`: the worker's full process records;
# - `"d"`: family conflicts the client told you about in sessions;
# - `"e"`: the client's scale scores;
# - `"f"`: the assistance application the worker helped submit.

# %% nbgrader={"grade": false, "grade_id": "can_share", "locked": false, "schema_version": 3, "solution": true}
# 把字母写进大括号，每个放在引号里 / letters inside the braces, each in quotes
can_share = set()
### BEGIN SOLUTION
can_share = {"a", "b", "f"}
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "can_share_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined

_share = expect_defined("can_share")
expect(
    len(set(_share)) > 0,
    "请至少写一个字母。",
    "Write at least one letter.",
)
### BEGIN HIDDEN TESTS
expect(
    {str(s).strip().lower() for s in _share} == {"a", "b", "f"},
    "只给复核需要的事实和材料；会谈内容、过程记录和量表分数属于保密内容。",
    "Give only the facts and papers the review needs; sessions, process records and scores stay "
    "confidential.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第5题（2 分）选择题：先去哪一户？
#
# 下面是一个村的走访名单。按第 2 课的排序规则（80 岁及以上并独居 3 分；特困 2 分；一级或二级残疾 2 分；独居、低保、留守老人或儿童各 1 分；分数高的先去，同分年龄大的先去），把第一个要去的人的居民编号（最左边一列）填进 `first_visit`。

# %% [markdown] lang="en"
# ## Question 5 (2 points): choice - which home first?
#
# Below is one village's visiting list. With lesson 2's rule (aged 80+ and living alone 3 points; extreme poverty 2; disability grade 1 or 2 2; living alone, dibao, left-behind elder or child 1 each; higher first, older first on a tie), put the resident id (leftmost column) of the first person to visit in `first_visit`.

# %% nbgrader={"grade": false, "grade_id": "show_visits", "locked": true, "schema_version": 3, "solution": false}
_first_case = world["cases"].sort_values("case_id").iloc[0]
village_id = (
    world["residents"].set_index("resident_id").loc[_first_case["resident_id"], "village_id"]
)
visits = visit_list(world, village_id, size=5, lang=LANG)
visits.drop(columns="points")

# %% nbgrader={"grade": false, "grade_id": "first_visit", "locked": false, "schema_version": 3, "solution": true}
# 把居民编号写在引号里 / type the resident id inside the quotes
first_visit = ""
### BEGIN SOLUTION
from shegong.datasets.toolkits.practice import visit_order

first_visit = visit_order(visits)[0]
### END SOLUTION

# %% nbgrader={"grade": true, "grade_id": "first_visit_test", "locked": true, "points": 2, "schema_version": 3, "solution": false}
from shegong.grading.checks import expect, expect_defined

_first = expect_defined("first_visit")
expect(
    isinstance(_first, str) and _first.strip().upper().startswith("R"),
    "居民编号以 R 开头，例如 R0000123。",
    "A resident id starts with R, e.g. R0000123.",
)
### BEGIN HIDDEN TESTS
from shegong.datasets.toolkits.practice import practice_world as _world
from shegong.datasets.toolkits.practice import visit_list as _visit_list
from shegong.datasets.toolkits.practice import visit_order as _visit_order

_w = _world()
_c = _w["cases"].sort_values("case_id").iloc[0]
_v = _w["residents"].set_index("resident_id").loc[_c["resident_id"], "village_id"]
expect(
    _first.strip().upper() == _visit_order(_visit_list(_w, _v, size=5))[0],
    "按规则再算一遍每个人的分数：先看是否 80 岁以上独居、特困、重度残疾。",
    "Score each person again by the rule: aged 80+ alone, extreme poverty, severe disability first.",
)
### END HIDDEN TESTS

# %% [markdown] lang="zh"
# ## 第6题（6 分）书面题：根据现场笔记写一份走访摘要记录
#
# 下面是社工小李走访时在本子上记的**现场笔记**（服务对象来自本站数据）。请**只根据这些笔记**，按第 6 课的摘要记录模板写一份走访记录（150–300 字）：日期与在场的人、要点、与服务目标的关系、风险与安全、下一步。
#
# 要求：事实和判断分开写，判断要写依据；笔记里没有的事不写（没见到的人不写成见到了，没问的不写成问了；笔记里没有的内容写“未了解”或列为下次要了解的事）；只用化名。
#
# 评分标准见量规：事实与判断分开（2 分）、完整可用（2 分）、诚实与隐私（2 分）。

# %% [markdown] lang="en"
# ## Question 6 (6 points): written - a summary visit record from field notes
#
# Below are the **field notes** worker Xiao Li jotted on a visit (the client comes from your station's data). Using **only these notes**, write a visit record with lesson 6's summary template (100-200 words): date and who was there, key points, bearing on the goals, risk and safety, next steps.
#
# Keep facts apart from judgements and give the grounds of each judgement; write nothing the notes do not hold (nobody not met written as met, nothing not asked written as asked; write "not known" or list it for the next visit); pseudonym only.
#
# Graded with the rubric: facts apart from judgements (2), complete and usable (2), honest and private (2).

# %% nbgrader={"grade": false, "grade_id": "show_notes", "locked": true, "schema_version": 3, "solution": false}
record_client = vignette(world, _first_case["case_id"], LANG)
NOTES = {
    "zh": [
        f"2022-10-12 上午，{record_client.village}，{record_client.pseudonym}（{record_client.age} 岁）家，村妇女主任同行，约 40 分钟",
        f"名册标记：{'、'.join(record_client.flags) or '无'}；主要需求：{record_client.need}",
        "原话：“这个月腿疼得厉害，只下楼去过一次卫生室。”“药吃完了，没人帮我去拿。”",
        "看到：厨房地面有水，厕所在院子里，没有扶手；桌上有两盒空药盒",
        "说儿子“很少打电话”；儿子没见到，没有联系方式",
        "约定：周五前社工联系村医上门；下周三再来",
    ],
    "en": [
        f"2022-10-12 morning, {record_client.village}, home of {record_client.pseudonym} ({record_client.age}); "
        "the village women's director came too; about 40 minutes",
        f"Roster flags: {'; '.join(record_client.flags) or 'none'}; main need: {record_client.need}",
        'Own words: "My legs hurt badly this month; I went down to the clinic only once." '
        '"My medicine has run out and nobody fetches it for me."',
        "Seen: water on the kitchen floor, toilet out in the yard with no handrail; two empty pill boxes on the table",
        'Says her son "rarely phones"; son not met, no contact details',
        "Agreed: worker to ask the village doctor to call by Friday; next visit Wednesday week",
    ],
}
print("\n".join(f"- {line}" for line in NOTES[LANG]))

# %% [markdown] nbgrader={"grade": true, "grade_id": "visit_record", "locked": false, "points": 6, "schema_version": 3, "solution": true}
# **日期与在场的人 / Date and who was there:**
#
# **要点 / Key points:**
#
# **与服务目标的关系 / Bearing on the goals:**
#
# **风险与安全 / Risk and safety:**
#
# **下一步 / Next steps:**
#
# ### BEGIN SOLUTION
# 日期与在场的人：2022 年 10 月 12 日上午，社工小李到服务对象（化名）家走访，村妇女主任同行，约 40 分钟。
#
# 要点：服务对象说“这个月腿疼得厉害，只下楼去过一次卫生室”“药吃完了，没人帮我去拿”。社工看到厨房地面有水，厕所在院子里、没有扶手，桌上有两盒空药盒。服务对象称儿子很少打电话；本次未见到儿子，没有他的联系方式。
#
# 与服务目标的关系：与“日常生活照料”的目标有关：取药和就医目前没有人协助。
#
# 风险与安全：社工判断有跌倒风险和断药风险，依据是腿疼、地面湿滑、厕所无扶手和空药盒；断药的具体药名和时间未了解。
#
# 下一步：社工在周五前联系村医上门看诊并协助取药；下周三再次走访，了解用药情况和儿子的联系方式。
#
# Date and who was there: morning of 12 Oct 2022, worker Xiao Li visited the client (pseudonym) with the village women's director, about 40 minutes. Key points: the client said her legs hurt badly this month and she went to the clinic once; her medicine has run out and nobody fetches it. Seen: water on the kitchen floor, toilet in the yard with no handrail, two empty pill boxes. She says her son rarely phones; the son was not met and no contact details are known. Goals: bears on daily living care, as nobody helps with medicine or clinic visits. Risk: the worker judges a risk of falls and of going without medicine, on the grounds of the leg pain, wet floor, no handrail and empty boxes; which medicine and since when are not known. Next: worker asks the village doctor to call by Friday and help with the medicine; next visit Wednesday week, to ask about the medicine and the son's contact.
# ### END SOLUTION

# %% [markdown] lang="zh"
# ## 第7题（2 分）书面题：向服务对象说明保密的例外
#
# 回到第1题的服务对象。他（她）请你“不要说出去”。用 3–5 句写出你会怎样对他（她）说：你接下来要做什么、谁会知道、为什么，以及你会怎样保护他（她）。

# %% [markdown] lang="en"
# ## Question 7 (2 points): written - explaining the limits of confidentiality
#
# Back to the client of question 1, who asked you "not to tell". In 3-5 sentences, write what you would say: what you will do next, who will know and why, and how you will keep the client safe.

# %% [markdown] nbgrader={"grade": true, "grade_id": "confidentiality", "locked": false, "points": 2, "schema_version": 3, "solution": true}
# **我会这样说 / What I would say:**
#
# ### BEGIN SOLUTION
# 谢谢你愿意告诉我，这需要勇气，这不是你的错。我答应过你，你说的话我会保密，但有一种情况例外：有人伤害你的时候，我必须告诉能保护你的人。今天我会告诉我的督导；如果你还没满 18 岁，法律还要求我报告派出所，民政办的老师也会来帮忙。我会先告诉你我要做的每一步，不会让打你的人知道是你说的，也会一直陪着你。
#
# Thank you for telling me; it took courage, and it is not your fault. I keep what you tell me confidential, with one exception: when someone is hurting you, I must tell people who can protect you. Today I will tell my supervisor; if you are under 18 the law also requires me to report to the police, and the civil affairs office will help too. I will tell you each step before I take it, I will not let the person who hurt you know it came from you, and I will stay with you through it.
# ### END SOLUTION
