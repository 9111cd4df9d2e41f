"""The county as the practice course reads it: cases told as vignettes, villages' visit lists."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from shegong.datasets import load
from shegong.datasets.toolkits.casework.labels import code_label, pseudonym
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
