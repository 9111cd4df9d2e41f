"""Field areas 领域实务: vignettes and visit lists built from the station roster.

The field-area course (social assistance, children, older people, disasters and ethnic
areas) is taught mostly without code: a trainee reads a short story about a person on the
simulated roster, a table of one village, and answers. These helpers pick the people by a
fixed rule, so each seed (each trainee's world) gives a different case, and render what the
trainee reads with pseudonyms only (surname + 某), never the roster's names.

- ``teaching_village``: the village a lesson or assignment works in;
- ``village_roll``: that village's roster people, by household, with flags in words;
- ``flood_priority``: the order to check on people when a flood or quake warning comes
  (a teaching rule of the course, not a standard);
- ``caregiver_of`` and ``guardian_concern``: who looks after a child, and whether the
  guardianship needs a closer assessment (again a teaching rule);
- ``assistance_candidates``: people to visit for active discovery 主动发现 in social assistance;
- ``vignette``: the story of one person, in the reader's language;
- ``elder_measure`` and ``answers_in_words``: the Barthel pre-test the elder lesson scores
  by hand, its answers in words as on the paper form.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from IPython.display import Markdown

from shegong.datasets.instruments import get
from shegong.datasets.toolkits.casework import (
    PERIOD_END,
    code_label,
    flag_names,
    open_on,
    roster_flags,
)
from shegong.datasets.toolkits.casework.labels import SEP, _need
from shegong.errors import ShegongError
from shegong.messages import Lang, text

ROSTER_COLUMNS = (
    "resident_id",
    "station_id",
    "village_id",
    "name_zh",
    "sex",
    "age",
    "household_id",
    "disability_grade",
)
VILLAGE_SIZE = (12, 30)  # a village table a person can read by eye: 12 to 30 people
OLD_CARER = 70  # a carer this old (or severely disabled) calls for a closer look: a teaching rule
VIGNETTES = ("assistance", "child", "elder", "disaster")


class FieldsError(ShegongError):
    """A vignette kind or a person the field-area helpers cannot use."""


def pseudonym(name_zh: str) -> str:
    """A roster name as a pseudonym: the surname and 某 (``廖玉娟`` -> ``廖某``)."""
    name = str(name_zh).strip()
    return f"{name[:1]}某" if name else "某某"


def _flags_text(residents: pd.DataFrame, lang: Lang) -> pd.Series:
    if residents.empty:  # apply on no rows gives a frame, not a series
        return pd.Series([], index=residents.index, dtype=object)
    flags = roster_flags(residents)
    codes = flags.apply(lambda row: ";".join(row.index[row.to_numpy()]), axis=1)
    return codes.map(lambda c: SEP[lang].join(flag_names(c, lang)))


def teaching_village(residents: pd.DataFrame, station: str | None = None) -> str:
    """The village to work in: at ``station`` (default the smallest station id), the
    smallest village with 12 to 30 roster people (ties by id); else the one with most."""
    _need(residents, "residents", ["station_id", "village_id"])
    station = station or sorted(residents["station_id"].unique())[0]
    sizes = residents.loc[residents["station_id"] == station, "village_id"].value_counts()
    low, high = VILLAGE_SIZE
    fitting = sizes[(sizes >= low) & (sizes <= high)]
    if len(fitting):
        return str(sorted(fitting.index, key=lambda v: (fitting[v], v))[0])
    return str(sorted(sizes.index, key=lambda v: (-sizes[v], v))[0])


def village_roll(
    residents: pd.DataFrame,
    cases: pd.DataFrame | None,
    village: str,
    lang: Lang = "zh",
    on: Any = PERIOD_END,
) -> pd.DataFrame:
    """One village's roster people, household by household, oldest first within a household.

    Columns: ``resident_id``, ``household_id``, ``pseudonym``, ``age``, ``sex`` (in words),
    ``flags`` (in words), ``open_case`` (a case open on ``on``). No names: pseudonyms only.
    """
    _need(residents, "residents", ROSTER_COLUMNS)
    here = residents[residents["village_id"] == village]
    out = pd.DataFrame(
        {
            "resident_id": here["resident_id"],
            "household_id": here["household_id"],
            "pseudonym": here["name_zh"].map(pseudonym),
            "age": here["age"],
            "sex": here["sex"].map(lambda s: code_label("residents", "sex", s, lang)),
            "flags": _flags_text(here, lang),
            "open_case": False,
        }
    )
    if cases is not None:
        open_ids = set(cases.loc[open_on(cases, on), "resident_id"])
        out["open_case"] = out["resident_id"].isin(open_ids)
    out = out.sort_values(["household_id", "age", "resident_id"], ascending=[True, False, True])
    return out.reset_index(drop=True)


def flood_priority(residents: pd.DataFrame, village: str, lang: Lang = "zh") -> pd.DataFrame:
    """Who to check on first when a flood or earthquake warning comes (a teaching rule).

    Priority 1: lives alone and is 80 or over or has a grade 1-2 disability. Priority 2: any
    other person aged 80+, with a grade 1-2 disability, living alone, or a child under 16.
    Priority 3: everyone else on the roster. Within a priority, the oldest first, then by id.
    """
    _need(residents, "residents", [*ROSTER_COLUMNS, "lives_alone"])
    here = residents[residents["village_id"] == village]
    flags = roster_flags(here)
    frail = flags["age_80plus"] | flags["severe_disability"]
    alone = here["lives_alone"].astype(bool)
    priority = pd.Series(3, index=here.index)
    priority[frail | alone | (here["age"] < 16)] = 2
    priority[alone & frail] = 1
    out = pd.DataFrame(
        {
            "priority": priority,
            "resident_id": here["resident_id"],
            "pseudonym": here["name_zh"].map(pseudonym),
            "age": here["age"],
            "flags": _flags_text(here, lang),
        }
    )
    order = ["priority", "age", "resident_id"]
    return out.sort_values(order, ascending=[True, False, True]).reset_index(drop=True)


def caregiver_of(residents: pd.DataFrame, child_id: str) -> pd.Series | None:
    """The oldest adult (18+) of the child's household on the roster, or None if there is none."""
    _need(residents, "residents", ROSTER_COLUMNS)
    rows = residents.loc[residents["resident_id"] == child_id]
    if rows.empty:
        raise FieldsError("error.fields_unknown_person", person=child_id)
    child = rows.iloc[0]
    home = residents[
        (residents["household_id"] == child["household_id"]) & (residents["age"] >= 18)
    ]
    if home.empty:
        return None
    return home.sort_values(["age", "resident_id"], ascending=[False, True]).iloc[0]


def guardian_concern(residents: pd.DataFrame, child_id: str) -> bool:
    """Whether the child's guardianship calls for a closer assessment (a teaching rule):
    no adult of the household is on the roster, or the oldest is 70+ or has a grade 1-2
    disability."""
    carer = caregiver_of(residents, child_id)
    if carer is None:
        return True
    grade = carer["disability_grade"]
    severe = bool(pd.notna(grade) and int(grade) <= 2)
    return bool(carer["age"] >= OLD_CARER or severe)


def first_child(residents: pd.DataFrame, village: str) -> pd.Series:
    """The village's first left-behind child of school age (6-15) by id; any child of school
    age there if none is left behind, and the first of the whole roster if the village has none."""
    school_age = residents["age"].between(6, 15)
    here = residents[(residents["village_id"] == village) & school_age]
    if here.empty:
        here = residents[school_age]
    behind = here[here["left_behind_child"].astype(bool)]
    pool = behind if len(behind) else here
    return pool.sort_values("resident_id").iloc[0]


def assistance_candidates(
    residents: pd.DataFrame, cases: pd.DataFrame | None, station: str, on: Any = PERIOD_END
) -> pd.DataFrame:
    """People to visit first for active discovery at ``station``: just above the dibao line,
    no open case, and disabled, living alone or aged 80+ (where spending can tip a household
    into hardship). Ids, pseudonyms, ages and flags only; oldest first."""
    _need(residents, "residents", [*ROSTER_COLUMNS, "dibao_edge", "lives_alone"])
    here = residents[(residents["station_id"] == station) & residents["dibao_edge"].astype(bool)]
    strain = here["disability_grade"].notna() | here["lives_alone"].astype(bool)
    here = here[strain | (here["age"] >= 80)]
    if cases is not None:
        here = here[~here["resident_id"].isin(set(cases.loc[open_on(cases, on), "resident_id"]))]
    out = pd.DataFrame(
        {
            "resident_id": here["resident_id"],
            "village_id": here["village_id"],
            "pseudonym": here["name_zh"].map(pseudonym),
            "age": here["age"],
            "flags": _flags_text(here, "zh"),
        }
    )
    return out.sort_values(["age", "resident_id"], ascending=[False, True]).reset_index(drop=True)


def _household_line(residents: pd.DataFrame, person: pd.Series, lang: Lang) -> str:
    others = residents[
        (residents["household_id"] == person["household_id"])
        & (residents["resident_id"] != person["resident_id"])
    ]
    if others.empty:
        return text("fields.vignette.household_none", lang)
    people = [
        text("fields.vignette.member", lang, who=pseudonym(o["name_zh"]), age=int(o["age"]))
        for _i, o in others.sort_values("age", ascending=False).iterrows()
    ]
    return text("fields.vignette.household", lang, members=SEP[lang].join(people))


def vignette(kind: str, residents: pd.DataFrame, person_id: str, lang: Lang = "zh") -> Markdown:
    """The story of one roster person for a lesson (``kind``: assistance, child, elder, disaster).

    The facts (age, sex, flags, who else lives in the household) come from the roster; the
    situation around them is the lesson's story, told the same way for every seed.
    """
    if kind not in VIGNETTES:
        raise FieldsError("error.fields_vignette_kind", kind=kind, choices=", ".join(VIGNETTES))
    _need(residents, "residents", ROSTER_COLUMNS)
    rows = residents[residents["resident_id"] == person_id]
    if rows.empty:
        raise FieldsError("error.fields_unknown_person", person=person_id)
    person = rows.iloc[0]
    flags = _flags_text(rows, lang).iloc[0] or text("fields.vignette.no_flags", lang)
    facts = text(
        "fields.vignette.facts",
        lang,
        who=pseudonym(person["name_zh"]),
        id=person["resident_id"],
        age=int(person["age"]),
        sex=code_label("residents", "sex", person["sex"], lang),
        flags=flags,
        household=_household_line(residents, person, lang),
    )
    story = text(f"fields.vignette.{kind}", lang, who=pseudonym(person["name_zh"]))
    return Markdown(f"> {facts}\n>\n> {story}")


def answers_in_words(items: pd.DataFrame, measure_id: str, lang: Lang = "zh") -> pd.DataFrame:
    """One measure's answers as a person reads them on the paper form: item number, the
    question, and the chosen answer in words (no points, so the trainee scores it)."""
    _need(items, "case_measure_items", ["measure_id", "instrument", "item", "answer"])
    rows = items[items["measure_id"] == measure_id].sort_values("item")
    if rows.empty:
        raise FieldsError("error.fields_unknown_measure", measure=measure_id)
    instrument = get(str(rows["instrument"].iloc[0]))
    out = []
    for no, answer in zip(rows["item"], rows["answer"], strict=True):
        item = instrument.item(int(no))
        words = item.value_labels_zh if lang == "zh" else item.value_labels_en
        out.append(
            {
                "item": int(no),
                "question": getattr(item, lang),
                "answer": words[item.values.index(int(answer))],
            }
        )
    return pd.DataFrame(out)


def elder_measure(measures: pd.DataFrame, cases: pd.DataFrame, residents: pd.DataFrame) -> str:
    """The Barthel pre-test the elder lesson works on: the first (by id) whose client lives
    alone, or the first of all when no client lives alone."""
    _need(measures, "case_measures", ["measure_id", "case_id", "instrument", "timepoint"])
    pre = measures[(measures["instrument"] == "barthel") & (measures["timepoint"] == "pre")]
    clients = cases.set_index("case_id")["resident_id"]
    alone = set(residents.loc[residents["lives_alone"].astype(bool), "resident_id"])
    living_alone = pre[pre["case_id"].map(clients).isin(alone)]
    pool = living_alone if len(living_alone) else pre
    if pool.empty:
        raise FieldsError("error.fields_unknown_measure", measure="barthel")
    return str(pool.sort_values("measure_id")["measure_id"].iloc[0])
