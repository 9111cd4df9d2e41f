"""A township's service directory from the simulated county, and referral forms (转介)."""

from __future__ import annotations

import pandas as pd

from shegong.datasets.toolkits.casework.labels import code_label
from shegong.datasets.toolkits.practice.world import (
    BLANK,
    PracticeError,
    Vignette,
    World,
    _one,
    _t,
    vignette,
)
from shegong.messages import Lang

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
