"""Entering the community: the village profile and the ranking of residents' needs."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from shegong.datasets.card import card
from shegong.datasets.world.survey import NEEDS
from shegong.errors import ShegongError
from shegong.messages import Lang

NEED_COLUMNS = ("need_1", "need_2", "need_3")


BORDA_POINTS = (3, 2, 1)  # first, second and third choice


ROSTER_FLAGS = ("left_behind_elder", "left_behind_child", "left_behind_woman", "dibao", "tekun")


LIVELIHOOD_SKILLS = ("farming", "handicraft", "ecommerce")


DAYS_PER_MONTH = 30.44


# Skills (needs_survey.skill) that can help meet each need: the course's own judgement,
# not a standard.
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
