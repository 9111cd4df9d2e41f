"""Community work 社区工作: the tables the community course builds from the station data.

The community course follows the usual process of community work (entering and profiling,
needs assessment, planning, organising, evaluating; brief §2.5) and the community-work
indicators of brief §6.3. Each function takes generated tables (``load("villages")`` ...) and
returns one tidy table with ASCII column ids, so lessons narrate and call:

- ``village_profile``: population, ageing, hollowing and the roster's vulnerable groups.
- ``rank_needs``: first-choice counts and a Borda count over ``need_1`` .. ``need_3``.
- ``asset_table`` / ``station_assets``: an asset inventory (ABCD) per village and per station.
- ``partner_flags`` / ``partner_counts``: the five parties of 五社联动 in activities and ledger.
- ``resource_table``: resources linked per township station against the article's rate.
- ``activity_summary``, ``example_sign_in_sheet``, ``sign_in_indicators``: activity evaluation.
- ``livelihood_table``: income needs, livelihood skills and industry assists per village.
- ``screening_list`` / ``screening_households``: vulnerable people and households to check
  in an emergency, with priorities and follow-up days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from shegong.datasets.card import card
from shegong.datasets.world import calibration as cal
from shegong.datasets.world.services import PARTNERS
from shegong.datasets.world.survey import NEEDS
from shegong.errors import ShegongError
from shegong.messages import Lang, text

NEED_COLUMNS = ("need_1", "need_2", "need_3")
BORDA_POINTS = (3, 2, 1)  # first, second and third choice
ROSTER_FLAGS = ("left_behind_elder", "left_behind_child", "left_behind_woman", "dibao", "tekun")
LIVELIHOOD_SKILLS = ("farming", "handicraft", "ecommerce")
# Emergency screening: why someone is on the list, and how soon each priority is contacted.
REASONS = ("elder_alone", "severe_disability", "left_behind_child", "tekun")
FOLLOW_UP_DAYS = {1: 1, 2: 3, 3: 7}
DAYS_PER_MONTH = 30.44
# Skills (needs_survey.skill) that can help meet each need: the course's own judgement [A].
NEED_SKILLS = {
    "elder_care": ("cooking", "medical", "driving"),
    "child_care": ("teaching", "cooking"),
    "medical_access": ("medical", "driving"),
    "income_jobs": ("farming", "ecommerce", "handicraft"),
    "roads_transport": ("building", "driving"),
    "public_space": ("building", "handicraft"),
    "clean_water": ("building",),
    "safety": ("driving", "building"),
    "culture_activities": ("handicraft", "teaching"),
    "policy_information": ("teaching", "ecommerce"),
}


class CommunityError(ShegongError):
    """Community-work tables that cannot be computed from what was given."""


def _need(frame: pd.DataFrame, columns: Sequence[str], table: str) -> None:
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise CommunityError(
            "error.community_missing_columns", table=table, columns=", ".join(missing)
        )


def code_labels(table: str, column: str, lang: Lang = "zh") -> dict[str, str]:
    """Display names of a coded column from the data card, e.g. ``{"elder_care": "养老照护"}``."""
    try:
        choices = card().tables[table].column(column).choices
    except KeyError:
        raise CommunityError("error.community_no_labels", table=table, column=column) from None
    part = 0 if lang == "zh" else 1
    return {code: label.split(" / ")[part].strip() for code, label in choices.items()}


def teaching_station(villages: pd.DataFrame, stations: pd.DataFrame) -> dict[str, str]:
    """The course's example: the township with the most villages (first by id on a tie) and
    its township station, as ``{"township_id", "station_id", "name_zh"}`` (the station's name).
    """
    _need(villages, ["village_id", "township_id"], "villages")
    _need(stations, ["station_id", "level", "township_id", "name_zh"], "stations")
    sizes = villages.groupby("township_id").size()
    township = str(sizes[sizes == sizes.max()].index.min())
    ts = stations[(stations["level"] == "township_station") & (stations["township_id"] == township)]
    if ts.empty:
        raise CommunityError("error.community_no_station", township=township)
    row = ts.sort_values("station_id").iloc[0]
    return {"township_id": township, "station_id": str(row["station_id"]),
            "name_zh": str(row["name_zh"])}  # fmt: skip


def village_profile(villages: pd.DataFrame, residents: pd.DataFrame) -> pd.DataFrame:
    """One row per village: size, ageing (``share_60plus``, ``elders``), hollowing
    (``outmigration_share``) and how many people of each vulnerable group are on the roster.

    Roster counts are people the station has registered, not a census of the village;
    ``roster_per_1000`` (registered people per 1,000 residents) compares villages of
    different size. ``elder_alone`` is aged 60+ and living alone; ``severe_disability`` is
    disability grade 1 or 2 (GB/T 26341-2010).
    """
    _need(villages, ["village_id", "township_id", "name_zh", "type", "population",
                     "households", "share_60plus", "outmigration_share"], "villages")  # fmt: skip
    _need(residents, ["village_id", "age", "lives_alone", "disability_grade", *ROSTER_FLAGS],
          "residents")  # fmt: skip
    grade = residents["disability_grade"]
    flags = pd.DataFrame(
        {
            "roster": 1,
            "elder_alone": (residents["age"] >= 60) & residents["lives_alone"].astype(bool),
            **{flag: residents[flag].astype(bool) for flag in ROSTER_FLAGS},
            "disabled": grade.notna(),
            "severe_disability": grade.isin([1, 2]).fillna(False).astype(bool),
        },
        index=residents.index,
    )
    counts = flags.groupby(residents["village_id"]).sum().astype("int64")
    base = villages[["village_id", "township_id", "name_zh", "type", "population", "households",
                     "share_60plus", "outmigration_share"]]  # fmt: skip
    out = base.merge(counts, left_on="village_id", right_index=True, how="left")
    out[list(counts.columns)] = out[list(counts.columns)].fillna(0).astype("int64")
    out.insert(7, "elders", (out["population"] * out["share_60plus"]).round().astype("int64"))
    population = out["population"].where(out["population"] > 0)
    out["roster_per_1000"] = (1000 * out["roster"] / population).round(1)
    return out.reset_index(drop=True)


def rank_needs(
    survey: pd.DataFrame,
    by: str | Sequence[str] | None = None,
    points: Sequence[int] = BORDA_POINTS,
) -> pd.DataFrame:
    """Needs ranked by a Borda count over the three ranked answers, per group of ``by``.

    Each answer scores ``points`` (3, 2, 1 by default) by its place; ``first`` counts first
    choices and ``mentions`` any place. Every need appears in every group (zero if nobody
    named it); ``rank`` 1 is the most pressing, ties broken by first choices, then by the
    card's order of needs. Shares are of respondents (``first_share``) and of all points
    given (``borda_share``).
    """
    keys = [by] if isinstance(by, str) else list(by or [])
    _need(survey, [*NEED_COLUMNS, *keys], "needs_survey")
    points = [int(p) for p in points]
    if len(points) != 3 or min(points) < 0 or points != sorted(points, reverse=True):
        raise CommunityError("error.community_points", points=points)
    if survey.empty:
        raise CommunityError("error.community_no_answers")
    groups = keys or ["_all"]
    data = survey.assign(_all=0)[[*groups, *NEED_COLUMNS]]
    long = data.melt(id_vars=groups, value_vars=list(NEED_COLUMNS), value_name="need")
    long = long.dropna(subset=["need"])
    long["points"] = long["variable"].map(dict(zip(NEED_COLUMNS, points, strict=True)))
    long["first"] = long["variable"] == NEED_COLUMNS[0]
    counted = long.groupby([*groups, "need"]).agg(
        first=("first", "sum"), mentions=("need", "size"), borda=("points", "sum")
    )
    needs = list(NEEDS) + sorted(set(long["need"]) - set(NEEDS))
    respondents = data.groupby(groups).size().rename("respondents")
    grid = pd.MultiIndex.from_product([respondents.index.unique(), needs])
    if len(groups) > 1:
        grid = pd.MultiIndex.from_tuples([(*g, n) for g, n in grid])
    grid = grid.set_names([*groups, "need"])
    out = counted.reindex(grid, fill_value=0).astype("int64").reset_index()
    out = out.merge(respondents.reset_index(), on=groups)
    out["first_share"] = (out["first"] / out["respondents"]).round(3)
    out["borda_share"] = (out["borda"] / (out["respondents"] * (sum(points) or 1))).round(3)
    out["order"] = out["need"].map({n: k for k, n in enumerate(needs)})
    out = out.sort_values([*groups, "borda", "first", "order"],
                          ascending=[True] * len(groups) + [False, False, True])  # fmt: skip
    out["rank"] = out.groupby(groups).cumcount() + 1
    columns = [*keys, "need", "respondents", "first", "mentions", "borda", "first_share",
               "borda_share", "rank"]  # fmt: skip
    return out[columns].reset_index(drop=True)


def _top_skill(skills: pd.Series) -> str:
    offered = skills[skills.ne("none")].value_counts().sort_index()
    return str(offered.idxmax()) if len(offered) else "none"


def asset_table(
    survey: pd.DataFrame,
    stations: pd.DataFrame | None = None,
    activities: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Individual assets per village from the needs survey, plus places and activity.

    ``willing`` respondents would volunteer, ``skilled`` named a skill, ``ready`` did both
    (the people to ask first); ``top_skill`` is the skill named most often. With
    ``stations``, ``has_room`` says whether the village has a social work room; with
    ``activities``, ``activities_held`` counts community activities held there and
    ``parties_seen`` how many of the five parties (五社) have worked in them.
    """
    _need(survey, ["village_id", "willing_to_volunteer", "skill"], "needs_survey")
    s = survey.assign(
        willing=survey["willing_to_volunteer"].astype(bool),
        skilled=survey["skill"].notna() & survey["skill"].ne("none"),
    )
    s["ready"] = s["willing"] & s["skilled"]
    out = s.groupby("village_id").agg(
        respondents=("village_id", "size"),
        willing=("willing", "sum"),
        skilled=("skilled", "sum"),
        ready=("ready", "sum"),
        skill_kinds=("skill", lambda x: x[x.ne("none")].nunique()),
        top_skill=("skill", _top_skill),
    )
    out["willing_share"] = (out["willing"] / out["respondents"]).round(3)
    if stations is not None:
        _need(stations, ["level", "village_id"], "stations")
        rooms = stations.loc[stations["level"] == "village_room", "village_id"]
        out["has_room"] = out.index.isin(set(rooms))
    if activities is not None:
        _need(activities, ["village_id"], "activities")
        held = activities.groupby("village_id").size()
        out["activities_held"] = held.reindex(out.index, fill_value=0).astype("int64")
        seen = partner_flags(activities).groupby(activities["village_id"]).any().sum(axis=1)
        out["parties_seen"] = seen.reindex(out.index, fill_value=0).astype("int64")
    return out.reset_index()


def station_assets(
    stations: pd.DataFrame,
    community_orgs: pd.DataFrame,
    volunteer_teams: pd.DataFrame,
    volunteers: pd.DataFrame,
) -> pd.DataFrame:
    """Organised assets per township station: village rooms, community organisations
    (``orgs``, ``orgs_registered``, ``org_members``), volunteer teams, registered volunteers
    and their total and mean hours."""
    _need(stations, ["station_id", "level", "name_zh", "parent_station_id"], "stations")
    _need(community_orgs, ["station_id", "registered", "members"], "community_orgs")
    _need(volunteer_teams, ["team_id", "station_id"], "volunteer_teams")
    _need(volunteers, ["team_id", "hours_total"], "volunteers")
    ts = stations.loc[stations["level"] == "township_station", ["station_id", "name_zh"]]
    rooms = stations[stations["level"] == "village_room"].groupby("parent_station_id").size()
    orgs = community_orgs.groupby("station_id").agg(
        orgs=("station_id", "size"), orgs_registered=("registered", "sum"),
        org_members=("members", "sum"),
    )  # fmt: skip
    teams = volunteer_teams.groupby("station_id").size().rename("teams")
    people = volunteers.merge(volunteer_teams[["team_id", "station_id"]], on="team_id")
    vols = people.groupby("station_id").agg(
        volunteers=("team_id", "size"), volunteer_hours=("hours_total", "sum")
    )
    out = ts.set_index("station_id").join(rooms.rename("rooms")).join([orgs, teams, vols])
    counts = ["rooms", "orgs", "orgs_registered", "org_members", "teams", "volunteers"]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["volunteer_hours"] = out["volunteer_hours"].fillna(0).round(1)
    out["hours_per_volunteer"] = out["volunteer_hours"] / out["volunteers"].replace(0, np.nan)
    out["hours_per_volunteer"] = out["hours_per_volunteer"].round(1)
    return out.reset_index()


def partner_flags(frame: pd.DataFrame) -> pd.DataFrame:
    """One True/False column per party of 五社联动: did it take part in this row?

    ``partners`` holds codes joined by ";" (``activities`` and ``ledger``)."""
    _need(frame, ["partners"], "partners")
    dummies = frame["partners"].fillna("").astype(str).str.get_dummies(sep=";")
    return dummies.reindex(columns=list(PARTNERS), fill_value=0).astype(bool)


def partner_counts(frame: pd.DataFrame, by: str | None = None) -> pd.DataFrame | pd.Series:
    """How many rows each of the five parties took part in (per ``by`` group if given)."""
    flags = partner_flags(frame).astype("int64")
    if by is None:
        return flags.sum()
    _need(frame, [by], "partners")
    return flags.groupby(frame[by]).sum()


def _months_open(opened: pd.Series, until: dt.date) -> pd.Series:
    days = (pd.Timestamp(until) - pd.to_datetime(opened)).dt.days.clip(lower=0)
    return (days / DAYS_PER_MONTH).round(1)


def resource_table(
    ledger: pd.DataFrame, stations: pd.DataFrame, until: dt.date = cal.PERIOD_END
) -> pd.DataFrame:
    """Resources linked (资源链接) per township station, with the article's rate beside them.

    ``resource_yuan`` sums the resource-linking rows; ``months_open`` runs from opening to
    ``until``; ``article_rate_yuan`` is the source article's total divided by its 843
    township stations (cumulative, brief §1 [D]) and ``ratio_to_rate`` compares with it.
    """
    _need(ledger, ["station_id", "service", "resource_yuan"], "ledger")
    _need(stations, ["station_id", "level", "name_zh", "opened_on"], "stations")
    rows = ledger[ledger["service"] == "resource_linking"]
    sums = rows.groupby("station_id").agg(
        entries=("resource_yuan", "size"),
        resource_yuan=("resource_yuan", "sum"),
        largest_yuan=("resource_yuan", "max"),
    )
    ts = stations.loc[stations["level"] == "township_station",
                      ["station_id", "name_zh", "opened_on"]]  # fmt: skip
    out = ts.merge(sums, left_on="station_id", right_index=True, how="left")
    out[list(sums.columns)] = out[list(sums.columns)].fillna(0).astype("int64")
    out["months_open"] = _months_open(out["opened_on"], until)
    out["yuan_per_month"] = (out["resource_yuan"] / out["months_open"].replace(0, np.nan)).round()
    out["article_rate_yuan"] = round(cal.per_township_station("resources_yuan"))
    out["ratio_to_rate"] = (out["resource_yuan"] / out["article_rate_yuan"]).round(2)
    return out.drop(columns="opened_on").reset_index(drop=True)


def activity_summary(
    activities: pd.DataFrame, stations: pd.DataFrame, villages: pd.DataFrame
) -> pd.DataFrame:
    """Community activities per township station: how many, person-times, volunteers,
    villages reached out of the township's villages, and how many parties took part.

    ``person_times`` and ``volunteer_times`` are person-times (人次), not people;
    ``volunteers_per_10`` is volunteer person-times per 10 participant person-times.
    """
    _need(activities, ["station_id", "village_id", "participants", "volunteers", "partners"],
          "activities")  # fmt: skip
    _need(stations, ["station_id", "level", "township_id", "name_zh"], "stations")
    _need(villages, ["village_id", "township_id"], "villages")
    flags = partner_flags(activities)
    a = activities.assign(parties=flags.sum(axis=1), charity=flags["charity"])
    per = a.groupby("station_id").agg(
        activities=("station_id", "size"), person_times=("participants", "sum"),
        volunteer_times=("volunteers", "sum"), villages_reached=("village_id", "nunique"),
        mean_parties=("parties", "mean"), with_charity=("charity", "sum"),
    )  # fmt: skip
    ts = stations.loc[stations["level"] == "township_station",
                      ["station_id", "name_zh", "township_id"]]  # fmt: skip
    size = villages.groupby("township_id").size().rename("villages")
    out = ts.merge(size, left_on="township_id", right_index=True, how="left")
    out = out.merge(per, left_on="station_id", right_index=True, how="left")
    counts = ["activities", "person_times", "volunteer_times", "villages_reached",
              "with_charity", "villages"]  # fmt: skip
    out[counts] = out[counts].fillna(0).astype("int64")
    out["mean_participants"] = out["person_times"] / out["activities"].replace(0, np.nan)
    out["mean_participants"] = out["mean_participants"].round(1)
    per_10 = 10 * out["volunteer_times"] / out["person_times"].replace(0, np.nan)
    out["volunteers_per_10"] = per_10.round(1)
    out["reach_share"] = (out["villages_reached"] / out["villages"].replace(0, np.nan)).round(3)
    out["mean_parties"] = out["mean_parties"].round(2)
    return out.drop(columns="township_id").reset_index(drop=True)


def example_sign_in_sheet() -> pd.DataFrame:
    """An invented sign-in sheet (签到表) of a four-session activity series, for teaching.

    One row per person per session attended: ``session``, ``person_id``, ``sex``, ``age``,
    ``role`` (resident or volunteer) and, at the last session only, a 1-5 ``satisfaction``
    from the exit slip (empty when the slip was left blank). The same every time.
    """
    rng = np.random.default_rng(20221009)
    n_res, n_vol = 26, 5
    people = pd.DataFrame(
        {
            "person_id": [f"P{k:02d}" for k in range(1, n_res + n_vol + 1)],
            "sex": rng.choice(["F", "M"], n_res + n_vol, p=[0.62, 0.38]),
            "age": np.r_[rng.integers(58, 89, n_res), rng.integers(24, 61, n_vol)],
            "role": ["resident"] * n_res + ["volunteer"] * n_vol,
            "keen": np.r_[rng.uniform(0.35, 0.95, n_res), np.full(n_vol, 0.9)],
        }
    )
    rows = []
    for session in range(1, 5):
        came = people[rng.random(len(people)) < people["keen"]].assign(session=session)
        rows.append(came)
    sheet = pd.concat(rows, ignore_index=True)
    last = (sheet["session"] == 4) & (sheet["role"] == "resident")
    score = np.clip(np.round(rng.normal(4.1, 0.8, len(sheet))), 1, 5)
    blank = rng.random(len(sheet)) < 0.25
    sheet["satisfaction"] = np.where(last & ~blank, score, np.nan)
    return sheet[["session", "person_id", "sex", "age", "role", "satisfaction"]]


def sign_in_indicators(sheet: pd.DataFrame) -> pd.Series:
    """Evaluation indicators of an activity from its sign-in sheet (residents, not
    volunteers, unless named): person-times and distinct people, how often people came,
    shares of people aged 60+ and of women, volunteers, and exit-slip satisfaction."""
    _need(sheet, ["session", "person_id", "sex", "age", "role", "satisfaction"], "sign_in")
    res = sheet[sheet["role"] == "resident"]
    vol = sheet[sheet["role"] == "volunteer"]
    people = res.drop_duplicates("person_id")
    sessions = sheet["session"].nunique()
    times = res.groupby("person_id").size()
    values = {
        "sessions": sessions,
        "person_times": len(res),
        "people": len(people),
        "times_per_person": round(len(res) / max(len(people), 1), 2),
        "came_every_time": int((times == sessions).sum()),
        "share_60plus": round(float((people["age"] >= 60).mean()), 3),
        "share_women": round(float((people["sex"] == "F").mean()), 3),
        "volunteer_times": len(vol),
        "volunteers": vol["person_id"].nunique(),
        "satisfaction_n": int(res["satisfaction"].notna().sum()),
        "satisfaction_mean": round(float(res["satisfaction"].mean()), 2),
    }
    return pd.Series(values, dtype="object")


def livelihood_table(
    survey: pd.DataFrame, ledger: pd.DataFrame, villages: pd.DataFrame
) -> pd.DataFrame:
    """Livelihood (产业发展) per village: how many respondents put income and jobs first or
    among their three needs, livelihood skills offered (farming, handicraft, e-commerce; and
    ``ready``: willing to volunteer with one of them), and the station's industry assists
    (one-to-one, ``industry_assists``) and industry activities recorded in the ledger."""
    _need(survey, ["village_id", *NEED_COLUMNS, "skill", "willing_to_volunteer"], "needs_survey")
    _need(ledger, ["village_id", "service", "contact"], "ledger")
    _need(villages, ["village_id", "township_id", "name_zh", "outmigration_share"], "villages")
    livelihood = survey["skill"].isin(LIVELIHOOD_SKILLS)
    s = survey.assign(
        income_first=survey["need_1"].eq("income_jobs"),
        income_any=survey[list(NEED_COLUMNS)].isin(["income_jobs"]).any(axis=1),
        ready=livelihood & survey["willing_to_volunteer"].astype(bool),
        **{skill: survey["skill"].eq(skill) for skill in LIVELIHOOD_SKILLS},
    )
    per = s.groupby("village_id").agg(
        respondents=("village_id", "size"), income_first=("income_first", "sum"),
        income_any=("income_any", "sum"), **{k: (k, "sum") for k in LIVELIHOOD_SKILLS},
        ready=("ready", "sum"),
    )  # fmt: skip
    industry = ledger[ledger["service"] == "industry_development"]
    activity = industry["contact"] == "activity"
    assists = industry[~activity].groupby("village_id").size().rename("industry_assists")
    events = industry[activity].groupby("village_id").size().rename("industry_activities")
    base = villages[["village_id", "township_id", "name_zh", "outmigration_share"]]
    out = base.merge(per, left_on="village_id", right_index=True, how="inner")
    out = out.join(assists, on="village_id").join(events, on="village_id")
    counts = [c for c in out.columns if c not in base.columns]
    out[counts] = out[counts].fillna(0).astype("int64")
    out["income_any_share"] = (out["income_any"] / out["respondents"]).round(3)
    return out.reset_index(drop=True)


def screening_list(residents: pd.DataFrame, oldest: int = 80) -> pd.DataFrame:
    """People on the roster to check in an emergency, with why and how urgently.

    Reasons (``REASONS``): ``elder_alone`` (60+ living alone), ``severe_disability`` (grade
    1-2), ``left_behind_child``, ``tekun`` (特困). Priority 1 (contact within a day): two or
    more reasons, or living alone at ``oldest`` or over. Priority 3 (within a week, through
    the guardian): a left-behind child with no other reason. Everyone else listed:
    priority 2 (within three days). Only the columns the task needs are kept (ids, age,
    reasons, priority), never names: the minimum necessary.
    """
    _need(residents, ["resident_id", "station_id", "village_id", "household_id", "age",
                      "lives_alone", "left_behind_child", "tekun", "disability_grade"],
          "residents")  # fmt: skip
    if (
        isinstance(oldest, bool)
        or not isinstance(oldest, int | np.integer)
        or not (60 <= oldest <= 110)
    ):
        raise CommunityError("error.community_oldest", oldest=oldest)
    r = residents
    reasons = pd.DataFrame(
        {
            "elder_alone": (r["age"] >= 60) & r["lives_alone"].astype(bool),
            "severe_disability": r["disability_grade"].isin([1, 2]).fillna(False),
            "left_behind_child": r["left_behind_child"],
            "tekun": r["tekun"],
        },
        index=r.index,
    ).astype(bool)
    count = reasons.sum(axis=1)
    urgent = (count >= 2) | (reasons["elder_alone"] & (r["age"] >= oldest))
    child_only = (count == 1) & reasons["left_behind_child"]
    priority = np.select([urgent, child_only], [1, 3], default=2)
    out = r[["station_id", "village_id", "household_id", "resident_id", "age"]].join(reasons)
    out["reasons"] = reasons.apply(lambda row: ";".join(c for c in REASONS if row[c]), axis=1)
    out["priority"] = priority
    out = out[count > 0]
    return out.sort_values(["priority", "village_id", "household_id", "resident_id"]).reset_index(
        drop=True
    )


def screening_households(screen: pd.DataFrame) -> pd.DataFrame:
    """The screening list by household (one visit or call per household): the most urgent
    priority among its listed members, their reasons, how many are listed, the oldest age
    and ``due_days`` (1, 3 or 7) by ``FOLLOW_UP_DAYS``."""
    _need(screen, ["station_id", "village_id", "household_id", "resident_id", "age", "reasons",
                   "priority"], "screening")  # fmt: skip

    def joined(codes: pd.Series) -> str:
        found = {c for row in codes for c in str(row).split(";") if c}
        return ";".join(c for c in REASONS if c in found)

    out = screen.groupby("household_id").agg(
        station_id=("station_id", "first"), village_id=("village_id", "first"),
        listed=("resident_id", "size"), oldest_age=("age", "max"),
        reasons=("reasons", joined), priority=("priority", "min"),
    )  # fmt: skip
    out["due_days"] = out["priority"].map(FOLLOW_UP_DAYS).astype("int64")
    return (
        out.reset_index()
        .sort_values(["priority", "village_id", "household_id"])
        .reset_index(drop=True)
    )


def reason_label(codes: str, lang: Lang = "zh") -> str:
    """Readable reasons: ``"elder_alone;tekun"`` -> ``独居老人、特困人员``."""
    sep = "、" if lang == "zh" else ", "
    return sep.join(text(f"community.reason.{c}", lang) for c in str(codes).split(";") if c)


def priority_label(priority: int, lang: Lang = "zh") -> str:
    """Readable priority: 1 -> ``一级（一天内联系）``."""
    return text(f"community.priority.p{int(priority)}", lang)
