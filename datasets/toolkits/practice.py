"""Practice skills 实务技能: vignettes, a service directory, forms and checklists from the county.

The practice course is taught mostly without code. Its lessons and its assignment load the
simulated county once (``practice_world()``) and build, from the same tables every seed
generates differently, what a station worker meets on a working day:

- ``pick_case`` / ``vignette``: one case by a stated rule, told as a short vignette that names
  the client by pseudonym only (``廖某``), with age, village, household and roster flags;
- ``visit_list`` / ``visit_order``: residents of one village to visit, in the course's order of
  priority (a rule of this course, not a standard);
- ``service_directory``: the organisations a township worker can refer to: the station and its
  village rooms, the county general station, the operating agency and its supervisors, the
  incubated community organisations and volunteer teams, and the public offices every
  township has (named by role, with no invented telephone numbers);
- ``referral_for``: the directory entry that fits a case's main need; ``referral_form``: a
  referral form with what is known filled in and the rest left to write;
- ``checklist`` and ``record_template``: observation checklists for role play and record
  templates (process, summary, home visit), in Chinese or English.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from shegong.datasets import load
from shegong.datasets.toolkits.casework.labels import PERIOD_END, code_label, pseudonym
from shegong.errors import ShegongError
from shegong.messages import Lang

TABLES = (
    "cases",
    "residents",
    "villages",
    "townships",
    "stations",
    "workers",
    "agencies",
    "supervisors",
    "community_orgs",
    "volunteer_teams",
    "case_measures",
)
BLANK = "＿＿＿＿＿＿"


class PracticeError(ShegongError):
    """A rule or an id the practice helpers cannot use."""


@dataclass(frozen=True)
class World:
    """The tables of one generated county that the practice course reads."""

    tables: Mapping[str, pd.DataFrame]

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]


def practice_world() -> World:
    """Load the county's tables the practice course needs (the workspace's world and seed)."""
    return World({name: load(name) for name in TABLES})


def _t(zh: str, en: str, lang: Lang) -> str:
    return zh if lang == "zh" else en


# ------------------------------------------------------------------ vignettes 个案情境

FLAGS = (
    ("tekun", "特困供养", "in extreme poverty (state support)"),
    ("dibao", "低保对象", "on dibao (minimum living guarantee)"),
    ("dibao_edge", "低保边缘家庭", "in a household just above the dibao line"),
    ("left_behind_elder", "留守老人", "a left-behind elder"),
    ("left_behind_child", "留守儿童", "a left-behind child"),
    ("left_behind_woman", "留守妇女", "a left-behind woman"),
    ("lives_alone", "独居", "lives alone"),
)


def roster_flags(resident: Mapping[Any, Any], lang: Lang = "zh") -> list[str]:
    """The roster's flags of one resident in words (独居, 低保对象, 三级肢体残疾 ...)."""
    found = [_t(zh, en, lang) for key, zh, en in FLAGS if bool(resident.get(key))]
    category = resident.get("disability_category")
    if isinstance(category, str) and category:
        kind = code_label("residents", "disability_category", category, lang)
        grade = resident.get("disability_grade")
        if grade is not None and not pd.isna(grade):
            found.append(
                _t(f"{int(grade)}级{kind}", f"disability: {kind}, grade {int(grade)}", lang)
            )
        else:
            found.append(_t(f"{kind}", f"disability: {kind}", lang))
    return found


@dataclass(frozen=True)
class Vignette:
    """One case as a worker meets it: facts from the tables, the client by pseudonym only."""

    case_id: str
    resident_id: str
    pseudonym: str
    sex: str
    age: int
    village: str
    township: str
    township_id: str
    station: str
    worker: str
    household_size: int
    flags: tuple[str, ...]
    client_group: str
    need: str
    risk: str
    source: str
    intake_on: pd.Timestamp
    lang: Lang

    def markdown(self) -> str:
        """The vignette card in the vignette's language (Markdown)."""
        sep = "、" if self.lang == "zh" else "; "
        flags = sep.join(self.flags) or _t("无", "none", self.lang)
        rows = [
            (_t("个案编号", "Case id", self.lang), self.case_id),
            (_t("服务对象（化名）", "Client (pseudonym)", self.lang), self.pseudonym),
            (_t("性别、年龄", "Sex, age", self.lang), f"{self.sex}, {self.age}"),
            (_t("住在", "Lives in", self.lang), f"{self.village}（{self.township}）"),
            (_t("家庭常住人数", "Household size", self.lang), str(self.household_size)),
            (_t("名册标记", "Roster flags", self.lang), flags),
            (_t("服务对象类别", "Client group", self.lang), self.client_group),
            (_t("主要需求", "Main need", self.lang), self.need),
            (_t("风险等级", "Risk level", self.lang), self.risk),
            (_t("个案来源", "Referred by", self.lang), self.source),
            (_t("接案日期", "Intake date", self.lang), f"{self.intake_on:%Y-%m-%d}"),
            (_t("负责社工", "Worker", self.lang), f"{self.worker}（{self.station}）"),
        ]
        head = f"| {_t('项目', 'Item', self.lang)} | {_t('内容', 'Detail', self.lang)} |"
        return "\n".join([head, "| --- | --- |", *(f"| {k} | {v} |" for k, v in rows)])

    def _repr_markdown_(self) -> str:
        return self.markdown()


def pick_case(
    world: World,
    *,
    client_group: str | None = None,
    needs: tuple[str, ...] = (),
    risk: str | None = None,
    min_age: int = 0,
    nth: int = 0,
) -> str:
    """The case id chosen by a rule: the ``nth`` (0 = first) matching case by case id.

    ``min_age`` keeps clients at least that old today (a vignette in which a child speaks
    needs a child who can).
    """
    cases = world["cases"].sort_values("case_id")
    if min_age:
        ages = world["residents"].set_index("resident_id")["age"]
        cases = cases[cases["resident_id"].map(ages) >= min_age]
    if client_group is not None:
        cases = cases[cases["client_group"] == client_group]
    if needs:
        cases = cases[cases["presenting_need"].isin(needs)]
    if risk is not None:
        cases = cases[cases["risk_level"] == risk]
    if len(cases) <= nth:
        rule = ", ".join(str(x) for x in (client_group, "/".join(needs), risk) if x)
        raise PracticeError("error.practice_no_case", rule=rule or "-", count=len(cases))
    return str(cases.iloc[nth]["case_id"])


def _one(frame: pd.DataFrame, key: str, value: object, table: str) -> pd.Series:
    rows = frame[frame[key] == value]
    if rows.empty:
        raise PracticeError("error.practice_unknown_id", table=table, id=value)
    return rows.iloc[0]


def vignette(world: World, case_id: str, lang: Lang = "zh") -> Vignette:
    """The vignette of ``case_id``: who, where, household, flags, need and risk."""
    case = _one(world["cases"], "case_id", case_id, "cases")
    person = _one(world["residents"], "resident_id", case["resident_id"], "residents")
    village = _one(world["villages"], "village_id", person["village_id"], "villages")
    township = _one(world["townships"], "township_id", village["township_id"], "townships")
    station = _one(world["stations"], "station_id", case["station_id"], "stations")
    worker = _one(world["workers"], "worker_id", case["worker_id"], "workers")
    return Vignette(
        case_id=str(case_id),
        resident_id=str(person["resident_id"]),
        pseudonym=pseudonym(case["notes_zh"]),
        sex=code_label("residents", "sex", person["sex"], lang),
        age=int(person["age"]),
        village=str(village["name_zh"]),
        township=str(township["name_zh"]),
        township_id=str(township["township_id"]),
        station=str(station["name_zh"]),
        worker=str(worker["name_zh"]),
        household_size=int(person["household_size"]),
        flags=tuple(roster_flags(person.to_dict(), lang)),
        client_group=code_label("cases", "client_group", case["client_group"], lang),
        need=code_label("cases", "presenting_need", case["presenting_need"], lang),
        risk=code_label("cases", "risk_level", case["risk_level"], lang),
        source=code_label("cases", "referral_source", case["referral_source"], lang),
        intake_on=pd.Timestamp(case["intake_on"]),
        lang=lang,
    )


# ------------------------------------------------------------------ home visits 入户走访


def visit_points(resident: Mapping[Any, Any]) -> int:
    """The course's visiting priority: more points, sooner (a teaching rule, not a standard).

    3 for aged 80+ and living alone; 2 for 特困; 2 for a grade 1-2 disability; 1 each for living
    alone, dibao, a left-behind elder or child.
    """
    age, alone = int(resident.get("age", 0)), bool(resident.get("lives_alone"))
    grade = resident.get("disability_grade")
    heavy = grade is not None and not pd.isna(grade) and int(grade) <= 2
    points = 3 * (age >= 80 and alone) + 2 * bool(resident.get("tekun")) + 2 * heavy
    points += alone + bool(resident.get("dibao"))
    points += bool(resident.get("left_behind_elder")) + bool(resident.get("left_behind_child"))
    return int(points)


def visit_list(world: World, village_id: str, size: int = 5, lang: Lang = "zh") -> pd.DataFrame:
    """``size`` flagged residents of one village to visit, by resident id (not yet ordered).

    Columns: 化名 pseudonym, age, household size and the roster flags in words; the hidden
    ``points`` column is the course's priority (``visit_order`` sorts by it).
    """
    people = world["residents"]
    people = people[people["village_id"] == village_id].sort_values("resident_id")
    people = people[[bool(roster_flags(p, lang)) for p in people.to_dict("records")]]
    if people.empty:
        raise PracticeError("error.practice_unknown_id", table="villages", id=village_id)
    people = people.head(size)
    sep = "、" if lang == "zh" else "; "
    return pd.DataFrame(
        {
            _t("化名", "pseudonym", lang): [f"{n[0]}某" for n in people["name_zh"]],
            _t("年龄", "age", lang): people["age"].astype(int).to_numpy(),
            _t("家庭人数", "household", lang): people["household_size"].astype(int).to_numpy(),
            _t("名册标记", "roster flags", lang): [
                sep.join(roster_flags(p, lang)) for p in people.to_dict("records")
            ],
            "points": [visit_points(p) for p in people.to_dict("records")],
        },
        index=pd.Index(people["resident_id"].to_numpy(), name="resident_id"),
    )


def visit_order(visits: pd.DataFrame) -> list[str]:
    """Resident ids of a ``visit_list`` in the order to visit (points, then age, descending)."""
    age = next(c for c in visits.columns if c in ("年龄", "age"))
    ordered = visits.assign(_age=visits[age]).sort_values(
        ["points", "_age"], ascending=[False, False], kind="stable"
    )
    return [str(i) for i in ordered.index]


# ------------------------------------------------------------------ referral 转介

PUBLIC = (
    # code, zh suffix, en name, what for (zh, en)
    (
        "civil_affairs",
        "民政办",
        "township civil affairs office",
        "低保、特困、临时救助申请与复核；困境儿童和留守老人的兜底保障",
        "dibao, extreme-poverty and temporary assistance; safety net for children and elders",
    ),
    (
        "health_centre",
        "卫生院",
        "township health centre",
        "就医、精神心理评估与转诊、家庭医生签约",
        "medical care, mental health assessment and onward referral, family doctors",
    ),
    (
        "police",
        "派出所",
        "township police station",
        "家庭暴力、虐待、走失和人身安全危险（紧急时拨 110）",
        "domestic violence, abuse, missing persons and danger to safety (call 110 in an emergency)",
    ),
    (
        "womens_federation",
        "妇联",
        "township women's federation",
        "妇女儿童维权、家庭暴力求助与陪同（12338 妇女维权热线）",
        "women's and children's rights, help and accompaniment after domestic violence (12338)",
    ),
    (
        "justice",
        "司法所",
        "township justice office",
        "法律咨询、人民调解、法律援助申请",
        "legal advice, people's mediation, legal aid applications",
    ),
    (
        "school",
        "中心校",
        "township central school",
        "学业、在校表现、家校沟通",
        "schooling, behaviour at school, school-family contact",
    ),
    (
        "disability_federation",
        "残联（县）",
        "county disabled persons' federation",
        "残疾评定、康复服务、辅助器具",
        "disability assessment, rehabilitation, assistive devices",
    ),
)
NEED_TO = {
    "loneliness": ("elder_mutual_aid", "elder_care"),
    "daily_living": ("elder_care", "elder_mutual_aid"),
    "mental_health": ("health_centre",),
    "emotional": ("health_centre",),
    "financial_hardship": ("civil_affairs",),
    "study_behaviour": ("school",),
    "family_relations": ("womens_federation", "justice"),
    "safety_guardianship": ("civil_affairs",),
    "disability_support": ("disability_federation", "disability"),
    "employment": ("livelihood_coop", "civil_affairs"),
    "caregiver_burden": ("elder_care", "disability", "elder_mutual_aid"),
}


def service_directory(world: World, township_id: str, lang: Lang = "zh") -> pd.DataFrame:
    """The local service directory of one township, from the county's tables.

    Columns: name, kind (in words), what they help with, how to reach them, and ``code``
    (the kind code ``referral_for`` matches). Public offices are named by role; no telephone
    numbers are invented (write the real ones in your own station's copy).
    """
    stations, townships = world["stations"], world["townships"]
    township = _one(townships, "township_id", township_id, "townships")
    place = str(township["name_zh"])
    home = stations[
        (stations["township_id"] == township_id) & (stations["level"] == "township_station")
    ]
    if home.empty:
        raise PracticeError("error.practice_unknown_id", table="stations", id=township_id)
    station = home.iloc[0]
    rows: list[tuple[str, str, str, str, str]] = []
    rows.append(
        (
            str(station["name_zh"]),
            "station",
            _t("乡镇社工站（本站）", "township station (yours)", lang),
            _t(
                "个案、小组、社区活动；协调本乡镇的转介",
                "cases, groups, activities; coordinates referrals",
                lang,
            ),
            _t("站内", "in the station", lang),
        )
    )
    rooms = stations[
        (stations["parent_station_id"] == station["station_id"])
        & (stations["level"] == "village_room")
    ]
    for room in rooms.sort_values("station_id").itertuples():
        rows.append(
            (
                str(room.name_zh),
                "village_room",
                _t("村（社区）社工室", "village room", lang),
                _t("驻村走访、就近服务", "village visits, services close to home", lang),
                _t("驻村社工", "resident worker", lang),
            )
        )
    county = stations[stations["station_id"] == station["parent_station_id"]]
    for c in county.itertuples():
        rows.append(
            (
                str(c.name_zh),
                "county_station",
                _t("县级社会工作服务总站", "county general station", lang),
                _t(
                    "疑难个案会商、培训、资源统筹",
                    "difficult cases, training, county resources",
                    lang,
                ),
                _t("站长或督导", "station head or supervisor", lang),
            )
        )
    agency = world["agencies"][world["agencies"]["agency_id"] == station["operator_agency_id"]]
    for a in agency.itertuples():
        rows.append(
            (
                str(a.name_zh),
                "agency",
                _t("运营机构", "operating agency", lang),
                _t("机构管理、督导安排", "management, arranging supervision", lang),
                _t("项目负责人", "project lead", lang),
            )
        )
    sups = world["supervisors"][world["supervisors"]["agency_id"] == station["operator_agency_id"]]
    for s in sups.sort_values("supervisor_id").itertuples():
        level = code_label("supervisors", "level", s.level, lang)
        rows.append(
            (
                str(s.name_zh),
                "supervisor",
                level,
                _t("督导；危机个案当天报告", "supervision; same-day report of a crisis", lang),
                _t("电话或线上", "phone or online", lang),
            )
        )
    orgs = world["community_orgs"]
    for o in orgs[orgs["station_id"] == station["station_id"]].sort_values("org_id").itertuples():
        rows.append(
            (
                str(o.name_zh),
                str(o.kind),
                code_label("community_orgs", "kind", o.kind, lang),
                _t(
                    f"社区社会组织，{int(o.members)} 名成员",
                    f"community organisation, {int(o.members)} members",
                    lang,
                ),
                _t("组织负责人（经社工站联系）", "its leader, through the station", lang),
            )
        )
    teams = world["volunteer_teams"]
    for v in (
        teams[teams["station_id"] == station["station_id"]].sort_values("team_id").itertuples()
    ):
        rows.append(
            (
                str(v.name_zh),
                str(v.focus),
                _t("志愿服务队：", "volunteer team: ", lang)
                + code_label("volunteer_teams", "focus", v.focus, lang),
                _t("上门探访、陪伴、活动协助", "home visits, company, help at activities", lang),
                _t("队长（经社工站联系）", "team leader, through the station", lang),
            )
        )
    for code, suffix, en, what_zh, what_en in PUBLIC:
        name = (
            f"{place}{suffix}"
            if code != "disability_federation"
            else _t("县残联", "county disabled persons' federation", lang)
        )
        if lang == "en" and code != "disability_federation":
            name = f"{place} {en}"
        rows.append(
            (
                name,
                code,
                _t("公共服务", "public service", lang),
                _t(what_zh, what_en, lang),
                _t("办公电话（写入本站通讯录）", "office phone (keep in the station's list)", lang),
            )
        )
    rows.append(
        (
            "110 / 120",
            "emergency",
            _t("紧急求助", "emergency", lang),
            _t(
                "有生命危险、正在发生的暴力：先打 110 或 120",
                "danger to life or violence under way: call 110 or 120 first",
                lang,
            ),
            "110 / 120",
        )
    )
    rows.append(
        (
            "12356",
            "hotline",
            _t("心理援助热线", "psychological support hotline", lang),
            _t(
                "情绪危机时的电话支持（不替代当面评估）",
                "phone support in an emotional crisis (not a substitute for assessment)",
                lang,
            ),
            "12356",
        )
    )
    columns = [
        _t("名称", "name", lang),
        "code",
        _t("类别", "kind", lang),
        _t("能帮什么", "helps with", lang),
        _t("怎样联系", "how to reach", lang),
    ]
    return pd.DataFrame(rows, columns=[columns[0], columns[1], columns[2], columns[3], columns[4]])


def referral_for(world: World, case_id: str, lang: Lang = "zh") -> str:
    """The name of the directory entry that fits the case's main need (first kind that exists)."""
    case = _one(world["cases"], "case_id", case_id, "cases")
    place = vignette(world, case_id, lang).township_id
    directory = service_directory(world, place, lang)
    name = directory.columns[0]
    for kind in NEED_TO.get(str(case["presenting_need"]), ("county_station",)):
        hits = directory[directory["code"] == kind]
        if not hits.empty:
            return str(hits.iloc[0][name])
    return str(directory[directory["code"] == "county_station"].iloc[0][name])


REFERRAL_FIELDS = (
    ("转出：站点与社工", "From: station and worker"),
    ("接收：机构与联系人", "To: service and contact person"),
    ("服务对象（化名）与个案编号", "Client (pseudonym) and case id"),
    ("转介原因（需求，用事实写）", "Reason for referral (the need, in facts)"),
    ("本站已提供的服务", "Services this station has given"),
    (
        "服务对象是否同意转介、同意分享哪些信息",
        "Client's consent to the referral and to what is shared",
    ),
    ("紧急程度（当天 / 一周内 / 一般）", "Urgency (same day / within a week / routine)"),
    ("希望对方回复的日期", "Date you ask for a reply"),
    ("回执：对方是否接收、首次服务日期", "Reply: accepted or not, date of first service"),
    ("跟进：社工回访日期与结果", "Follow-up: your check-back date and what you found"),
)


def referral_form(vignette: Vignette, to: str = "", lang: Lang = "zh") -> str:
    """A referral form (Markdown) with what the vignette knows filled in; the rest is blank."""
    known = {
        0: f"{vignette.station}，{vignette.worker}",
        1: to or BLANK,
        2: f"{vignette.pseudonym}，{vignette.case_id}",
    }
    head = f"| {_t('项目', 'Field', lang)} | {_t('填写', 'Entry', lang)} |"
    rows = [
        f"| {_t(zh, en, lang)} | {known.get(k, BLANK)} |"
        for k, (zh, en) in enumerate(REFERRAL_FIELDS)
    ]
    return "\n".join([head, "| --- | --- |", *rows])


# ------------------------------------------------------------------ checklists and templates

CHECKLISTS: dict[str, tuple[tuple[str, str], ...]] = {
    "interview": (
        (
            "开场：自我介绍、说明来意、时间和保密的范围与例外",
            "Opening: who you are, why you came, the time, what stays confidential and its limits",
        ),
        (
            "倾听：不打断，用点头和简短回应表示在听",
            "Listening: no interrupting; nods and short responses show you follow",
        ),
        (
            "同理：说出对方的感受和原因（“你觉得……，因为……”）",
            'Empathy: name the feeling and its reason ("you feel ... because ...")',
        ),
        (
            "澄清：对含糊的话追问具体的人、事、时间",
            "Clarifying: ask for the who, what and when behind vague words",
        ),
        (
            "摘要：用自己的话归纳对方说的要点，请对方确认",
            "Summarising: sum up the main points in your words and check them",
        ),
        (
            "对质：温和地指出前后不一致之处，不指责",
            "Confronting: gently point out a mismatch, without blame",
        ),
        ("提问以开放式为主，一次只问一件事", "Mostly open questions, one at a time"),
        (
            "没有说教、承诺做不到的事或替对方做决定",
            "No lecturing, no promises you cannot keep, no deciding for the client",
        ),
        (
            "结束：小结今天的内容，约定下一步和下次见面",
            "Closing: sum up today, agree next steps and the next meeting",
        ),
    ),
    "home_visit": (
        (
            "出发前：看过个案档案、告知同事去向和预计返回时间",
            "Before leaving: read the file; tell a colleague where you go and when you return",
        ),
        (
            "两人同行或请村干部陪同（首次走访、有冲突史的家庭）",
            "Go in pairs or with a village cadre (first visits, homes with a history of conflict)",
        ),
        (
            "进门前观察环境：狗、陡坡、醉酒或争吵的声音",
            "Look before entering: dogs, steep paths, drunkenness or shouting",
        ),
        (
            "居住条件：采光、取暖、饮水、厕所、防跌倒",
            "Living conditions: light, heating, water, toilet, fall hazards",
        ),
        (
            "身体与照顾：行动、进食、用药、卫生、有没有人照看",
            "Body and care: mobility, food, medicines, hygiene, who looks in",
        ),
        (
            "情绪与关系：说话的样子、提到的人、家人在场时的变化",
            "Mood and ties: how they speak, who they mention, changes when family is present",
        ),
        (
            "安全信号：伤痕、害怕某位家人、药物或农药随手可得",
            "Safety signs: bruises, fear of a family member, pesticide or pills within reach",
        ),
        (
            "离开前约定下一步；当天写走访记录",
            "Agree next steps before leaving; write the visit record the same day",
        ),
    ),
    "safety_plan": (
        (
            "直接问：“你有没有想过结束自己的生命？”",
            'Ask directly: "Have you thought about ending your life?"',
        ),
        (
            "问清想法、计划、手段和时间，不回避、不评判",
            "Ask about thoughts, a plan, the means and timing, calmly and without judging",
        ),
        (
            "和对方一起找出预警信号和能让自己缓下来的办法",
            "Find warning signs and ways to calm down, together",
        ),
        (
            "列出可以联系的人：家人、邻居、村医、社工、热线",
            "People to contact: family, a neighbour, the village doctor, the worker, a hotline",
        ),
        (
            "让危险的手段远离：农药、药物、绳索交给家人保管",
            "Put means out of reach: pesticide, pills, ropes kept by family",
        ),
        (
            "说明这属于保密的例外：会告诉督导和必要的人",
            "Explain the limit of confidentiality: the supervisor and those needed will be told",
        ),
        (
            "当天报告督导，约好下一次联系的时间",
            "Report to the supervisor the same day and fix the next contact",
        ),
    ),
}


def checklist(kind: str, lang: Lang = "zh") -> pd.DataFrame:
    """An observation checklist for role play: one row per item, a blank tick column."""
    if kind not in CHECKLISTS:
        raise PracticeError(
            "error.practice_unknown_checklist", kind=kind, known=", ".join(CHECKLISTS)
        )
    items = [_t(zh, en, lang) for zh, en in CHECKLISTS[kind]]
    return pd.DataFrame(
        {
            _t("观察项", "what to watch for", lang): items,
            _t("看到了（✓/✗）", "seen (✓/✗)", lang): [""] * len(items),
            _t("例句或例子", "example heard", lang): [""] * len(items),
        },
        index=pd.RangeIndex(1, len(items) + 1),
    )


TEMPLATES: dict[str, tuple[tuple[str, str], ...]] = {
    "process": (
        ("日期、时间、地点、方式、在场的人", "Date, time, place, way of contact, who was there"),
        ("本次目的（对应服务计划的哪个目标）", "Purpose (which goal of the plan)"),
        (
            "过程：按顺序写谁说了什么、做了什么（尽量用原话）",
            "What happened, in order: who said and did what (own words where possible)",
        ),
        ("社工的观察（看到、听到的事实）", "Worker's observations (facts seen and heard)"),
        (
            "社工的分析与感受（与事实分开）",
            "Worker's analysis and feelings (kept apart from facts)",
        ),
        ("下一步：谁、做什么、什么时候", "Next steps: who, what, by when"),
        ("风险与需要督导讨论的问题", "Risks and questions for supervision"),
    ),
    "summary": (
        ("日期、方式、在场的人", "Date, way of contact, who was there"),
        (
            "要点（3–5 句：发生了什么、有什么变化）",
            "Key points (3-5 sentences: what happened, what changed)",
        ),
        ("与服务目标的关系", "Bearing on the goals"),
        ("风险与安全", "Risk and safety"),
        ("下一步", "Next steps"),
    ),
    "home_visit": (
        (
            "日期、村、同行的人、出发与返回时间",
            "Date, village, who went with you, times out and back",
        ),
        ("见到的人与没见到的人", "Whom you met and whom you did not"),
        ("居住与生活情况（看到的事实）", "Living conditions (facts seen)"),
        ("身体、照顾与情绪", "Health, care and mood"),
        ("安全信号（有或没有，都写）", "Safety signs (write them, present or absent)"),
        ("服务对象的诉求（原话）", "What the client asked for (own words)"),
        ("下一步与需要链接的资源", "Next steps and resources to link"),
    ),
}


def record_template(kind: str, lang: Lang = "zh") -> str:
    """A record template (Markdown): the headings a record of this kind must fill."""
    if kind not in TEMPLATES:
        raise PracticeError(
            "error.practice_unknown_template", kind=kind, known=", ".join(TEMPLATES)
        )
    lines = [
        f"{k}. **{_t(zh, en, lang)}**：{BLANK}" for k, (zh, en) in enumerate(TEMPLATES[kind], 1)
    ]
    return "\n".join(lines).replace("：", ": ") if lang == "en" else "\n".join(lines)


def open_load(world: World, worker_id: str, day: pd.Timestamp = PERIOD_END) -> pd.DataFrame:
    """A worker's open cases on ``day`` (taken in, not closed), riskiest first, by pseudonym."""
    cases = world["cases"]
    mine = cases[(cases["worker_id"] == worker_id) & (cases["intake_on"] <= day)]
    mine = mine[mine["closure_on"].isna() | (mine["closure_on"] > day)]
    order = {"high": 0, "medium": 1, "low": 2}
    mine = mine.assign(_r=mine["risk_level"].map(order)).sort_values(["_r", "case_id"])
    return pd.DataFrame(
        {
            "case_id": mine["case_id"].to_numpy(),
            "pseudonym": [pseudonym(n) for n in mine["notes_zh"]],
            "client_group": mine["client_group"].to_numpy(),
            "need": mine["presenting_need"].to_numpy(),
            "risk_level": mine["risk_level"].to_numpy(),
            "stage": mine["stage"].to_numpy(),
        }
    )


# ------------------------------------------------------------------ interviewing skills 会谈技巧

SKILLS = {
    "listen": ("倾听", "listening"),
    "empathy": ("同理", "empathy"),
    "clarify": ("澄清", "clarifying"),
    "summary": ("摘要", "summarising"),
    "confront": ("对质", "confronting"),
}


def skill_code(word: object) -> str:
    """The skill code of a word a trainee types: 同理, empathy or empathy's code all give it."""
    said = str(word).strip().lower()
    for code, (zh, en) in SKILLS.items():
        if said in (code, zh, en, en.removesuffix("ing")):
            return code
    return said
