"""Residents on the stations' service rosters, with vulnerability flags at brief §9 rates.

For every village served by a township station, a sample of ``roster_coverage`` of its people
is drawn with the village's age mix; flags are drawn at population rates by age and by
rural/urban; those with any flag, or aged 80+, stay on the roster. So the roster holds the
people a station would actually know, and the population rates stay checkable.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from shegong.datasets.world import calibration as cal
from shegong.datasets.world.context import World
from shegong.datasets.world.dates import or_none, to_date
from shegong.datasets.world.names import codes, person_names

DISABILITY_CATEGORIES = (
    "physical",
    "hearing",
    "vision",
    "speech",
    "intellectual",
    "psychosocial",
    "multiple",
)
# National 2006 survey shares (brief §9.3) for under-60s; elders lean to physical/hearing/vision.
_DISABILITY_P_YOUNG = np.array([29.07, 24.16, 14.86, 1.53, 6.68, 7.40, 16.30])
_DISABILITY_P_OLD = np.array([35.0, 30.0, 20.0, 0.5, 1.5, 3.0, 10.0])
ETHNICITY_BY_PREF = {"P19": ("tibetan", "qiang"), "P20": ("tibetan",), "P21": ("yi",)}


def _served_villages(world: World) -> pd.DataFrame:
    st = world["stations"]
    ts = st[st["level"] == "township_station"][["station_id", "township_id", "prefecture_id"]]
    villages = world["villages"].merge(ts, on="township_id", how="inner")
    return villages.reset_index(drop=True)


def _ages(rng: np.random.Generator, s14: np.ndarray, s60: np.ndarray) -> np.ndarray:
    u = rng.random(s14.size)
    child = rng.integers(0, 15, s14.size)
    adult = rng.integers(15, 60, s14.size)
    elder = 60 + np.minimum(rng.exponential(9.0, s14.size), 40).astype(np.int64)
    return np.where(u < s14, child, np.where(u < 1 - s60, adult, elder))


def _draw_people(rng: np.random.Generator, villages: pd.DataFrame) -> pd.DataFrame:
    sample = rng.binomial(villages["population"].to_numpy(), cal.RATES.roster_coverage)
    rows = np.repeat(np.arange(len(villages)), sample)
    v = villages.iloc[rows].reset_index(drop=True)
    n = len(v)
    age = _ages(rng, v["share_0_14"].to_numpy(), v["share_60plus"].to_numpy())
    female = rng.random(n) < np.where(age >= 60, 0.54, 0.49)
    rural = (v["type"] == "village").to_numpy()
    minority_area = v["prefecture_id"].isin(list(ETHNICITY_BY_PREF)).to_numpy()
    people = pd.DataFrame(
        {
            "village_id": v["village_id"],
            "station_id": v["station_id"],
            "prefecture_id": v["prefecture_id"],
            "age": age,
            "female": female,
            "rural": rural,
            "minority_area": minority_area,
            "outmigration": v["outmigration_share"].to_numpy(),
            "s14": v["share_0_14"].to_numpy(),
        }
    )
    return people


def _flags(rng: np.random.Generator, p: pd.DataFrame) -> pd.DataFrame:
    n = len(p)
    age, female, rural = p["age"].to_numpy(), p["female"].to_numpy(), p["rural"].to_numpy()
    mig = p["outmigration"].to_numpy() / 0.28  # villages with more out-migration leave more behind
    r = cal.RATES
    lb_child = rural & (age < 16) & (rng.random(n) < r.left_behind_child_share * mig)
    lb_elder = rural & (age >= 60) & (rng.random(n) < r.left_behind_elder_share * mig)
    # Left-behind women: 1.85 per left-behind child (Guangyuan ratio), among women 20-59.
    share_w = 0.27
    p_woman = r.left_behind_woman_per_child * r.left_behind_child_share * p["s14"] / share_w
    lb_woman = rural & female & (age >= 20) & (age < 60) & (rng.random(n) < p_woman * mig)
    lo, hi = np.where(
        p["minority_area"].to_numpy()[:, None],
        r.dibao_minority_area,
        np.where(rural[:, None], r.dibao_rural, r.dibao_urban),
    ).T
    dibao_rate = rng.uniform(lo, hi) * np.where(age >= 60, 1.6, 0.85)
    u = rng.random(n)
    by_age = np.where(age >= 60, 0, np.where(age < 16, 1, 2))
    t_rate = np.asarray(r.tekun_by_age)[by_age] * np.where(rural, 1, 0.3)
    tekun = u < t_rate
    dibao = ~tekun & (u < t_rate + dibao_rate)
    edge = ~tekun & ~dibao & (rng.random(n) < rng.uniform(*r.dibao_edge, n))
    disabled = rng.random(n) < np.asarray(r.disability_by_age)[by_age]
    cat_young = rng.choice(DISABILITY_CATEGORIES, n, p=_DISABILITY_P_YOUNG / 100)
    cat_old = rng.choice(DISABILITY_CATEGORIES, n, p=_DISABILITY_P_OLD / 100)
    category = or_none(disabled, np.where(age >= 60, cat_old, cat_young))
    grade = np.where(disabled, rng.choice([1, 2, 3, 4], n, p=(0.1, 0.2, 0.3, 0.4)), 0)
    return p.assign(
        left_behind_child=lb_child,
        left_behind_elder=lb_elder,
        left_behind_woman=lb_woman,
        dibao=dibao,
        dibao_edge=edge,
        tekun=tekun,
        disability_category=category,
        disability_grade=grade,
    )


def _households(rng: np.random.Generator, roster: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """Household ids: each left-behind child lives with a left-behind elder of the same village
    when there is one (most are cared for by grandparents, brief §9.2); others live apart."""
    n = len(roster)
    own = np.arange(n)
    elders = roster.index[roster["left_behind_elder"]]
    children = roster.index[roster["left_behind_child"]]
    elder_rank = roster.loc[elders].groupby("village_id").cumcount()
    elder_count = roster.loc[elders].groupby("village_id").size()
    child_rank = roster.loc[children].groupby("village_id").cumcount()
    n_eld = roster.loc[children, "village_id"].map(elder_count).fillna(0).to_numpy(np.int64)
    has = n_eld > 0
    target_rank = np.where(has, child_rank.to_numpy() % np.maximum(n_eld, 1), -1)
    key = pd.Series(
        elders.to_numpy(),
        index=pd.MultiIndex.from_arrays(
            [roster.loc[elders, "village_id"].to_numpy(), elder_rank.to_numpy()]
        ),
    )
    lookup = pd.MultiIndex.from_arrays([roster.loc[children, "village_id"].to_numpy(), target_rank])
    host = key.reindex(lookup).to_numpy()
    household = own.copy()
    household[children.to_numpy()[has]] = host[has].astype(np.int64)
    # Members on the roster plus 0-2 household members who are not; one size per household.
    size = (np.bincount(household, minlength=n) + rng.integers(0, 3, n))[household]
    return household, size


def build_residents(world: World) -> None:
    """Add the ``residents`` table: the service roster of every township station."""
    rng = world.rng("residents")
    people = _flags(rng, _draw_people(rng, _served_villages(world)))
    flagged = people[
        [
            "left_behind_child",
            "left_behind_elder",
            "left_behind_woman",
            "dibao",
            "dibao_edge",
            "tekun",
        ]
    ].any(axis=1)
    roster = people[flagged | people["disability_category"].notna() | (people["age"] >= 80)]
    roster = roster.sort_values(["station_id", "village_id"], kind="stable").reset_index(drop=True)
    household, size = _households(rng, roster)
    n = len(roster)
    female = roster["female"].to_numpy()
    ethnicity = np.full(n, "han", dtype=object)
    for pref, groups in ETHNICITY_BY_PREF.items():
        here = (roster["prefecture_id"] == pref).to_numpy() & (rng.random(n) < 0.7)
        ethnicity[here] = rng.choice(groups, int(here.sum()))
    ref = np.datetime64(cal.PERIOD_END)
    birth = ref - (roster["age"].to_numpy() * 365.25 + rng.integers(0, 365, n)).astype(
        "timedelta64[D]"
    )
    elder = roster["age"].to_numpy() >= 60
    world.add(
        "residents",
        pd.DataFrame(
            {
                "resident_id": codes("R", n, 7),
                "station_id": roster["station_id"],
                "village_id": roster["village_id"],
                "name_zh": person_names(rng, female, roster["minority_area"].to_numpy()),
                "sex": np.where(female, "F", "M"),
                "birth_date": to_date(birth),
                "age": roster["age"],
                "ethnicity": ethnicity,
                "household_id": codes("H", n, 7).to_numpy()[household],
                "household_size": size,
                "lives_alone": elder & (size == 1) & (rng.random(n) < 0.8),
                "left_behind_elder": roster["left_behind_elder"],
                "left_behind_child": roster["left_behind_child"],
                "left_behind_woman": roster["left_behind_woman"],
                "dibao": roster["dibao"],
                "dibao_edge": roster["dibao_edge"],
                "tekun": roster["tekun"],
                "disability_category": roster["disability_category"],
                "disability_grade": roster["disability_grade"].where(
                    roster["disability_grade"] > 0
                ),
            }
        ),
    )
