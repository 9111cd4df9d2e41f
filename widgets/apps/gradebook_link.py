"""The apps' read-only link to nbgrader's gradebook: each trainee's assignment results.

A trainee's ``person_id`` in the apps' roster *is* the grading trainee id (``worker_id``,
``w000041``), so the gradebook's students are the roster's trainees without any mapping.

- ``assignment_results``: one row per trainee and graded assignment: score, maximum,
  percentage, written answers still waiting for a rubric grade, the grading status
  (``grading.db``), and the trainee's station and county (from the roster, ``roster_places``);
- ``station_summary``: per county and station: trainees graded, mean and median percentage,
  answers waiting.

Reading never writes: nbgrader's ``Gradebook`` creates a database when opened, so a missing
(or empty) gradebook gives an empty table without opening anything, and an existing one is
opened through SQLite's read-only mode. A file that cannot be read raises
``GradebookUnreadable`` (a bilingual message the apps show on the page).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any

import pandas as pd
from sqlalchemy.exc import SQLAlchemyError

from shegong.errors import ShegongError
from shegong.grading import masters
from shegong.grading.config import CoursePaths, GradingError, GradingOptions, load_options
from shegong.grading.export import GRADED
from shegong.grading.readonly import has_database, read_only_url, submission_statuses
from shegong.messages import Lang
from shegong.records import Role
from shegong.settings import Settings

PLACES = ["trainee_id", "station_id", "station_name", "county_id", "county_name"]
SCORES = ["assignment", "score", "max_score", "percent", "waiting", "status"]
COLUMNS = ["trainee_id", *SCORES, *PLACES[1:]]
SUMMARY = [
    *PLACES[1:],
    "trainees",
    "mean_percent",
    "median_percent",
    "waiting",
]


class GradebookUnreadable(ShegongError):
    """The gradebook (or the grading records beside it) exists but cannot be read."""


def _submission_rows(
    paths: CoursePaths, options: GradingOptions, trainee_ids: set[str] | None
) -> list[dict[str, Any]]:
    from nbgrader.api import Gradebook  # heavy (nbgrader, its ORM): only when a gradebook exists

    rows: list[dict[str, Any]] = []
    with Gradebook(read_only_url(paths.gradebook), options.course_id) as gb:
        if trainee_ids is None:
            students = list(gb.students)
        else:
            students = [s for s in gb.students if str(s.id) in trainee_ids]
        for student in students:
            for submission in student.submissions:
                grades = [g for nb in submission.notebooks for g in nb.grades]
                rows.append(
                    {
                        "trainee_id": str(student.id),
                        "assignment": str(submission.assignment.name),
                        "score": float(sum(g.score for g in grades)),
                        "max_score": float(sum(g.max_score for g in grades)),
                        "waiting": int(sum(bool(g.needs_manual_grade) for g in grades)),
                    }
                )
    return rows


def assignment_results(
    settings: Settings,
    trainee_ids: Iterable[str] | None = None,
    *,
    places: pd.DataFrame | None = None,
    options: GradingOptions | None = None,
) -> pd.DataFrame:
    """One row per trainee and graded assignment (``COLUMNS``), by assignment then trainee.

    ``trainee_ids`` limits the rows to those trainees; ``places`` (``roster_places``) gives
    station and county. No gradebook yet: an empty table. GradebookUnreadable when the
    gradebook or ``grading.db`` is not a database this version can read.
    """
    paths = CoursePaths.of(settings)
    wanted = None if trainee_ids is None else {str(t) for t in trainee_ids}
    if not has_database(paths.gradebook):
        return pd.DataFrame(columns=COLUMNS)
    options = options or load_options()
    current = paths.gradebook
    try:
        rows = _submission_rows(paths, options, wanted)
        current = paths.grading_db
        states = submission_statuses(paths.grading_db)
    except (SQLAlchemyError, OSError, ValueError) as exc:  # nbgrader's own errors are ValueError
        detail = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise GradebookUnreadable(
            "apps.gradebook.error.unreadable", path=current, detail=detail
        ) from None
    table = pd.DataFrame(
        rows, columns=["trainee_id", "assignment", "score", "max_score", "waiting"]
    )
    table["percent"] = [
        round(100 * s / m, 1) if m > 0 else float("nan")
        for s, m in zip(table["score"], table["max_score"], strict=True)
    ]
    table["status"] = [
        states.get((a, t), "")
        for a, t in zip(table["assignment"], table["trainee_id"], strict=True)
    ]
    where = pd.DataFrame(columns=PLACES) if places is None else places[PLACES]
    table = table.merge(where, on="trainee_id", how="left")
    order = assignment_order()
    table["_order"] = [order.get(a, len(order)) for a in table["assignment"]]
    table = table.sort_values(["_order", "assignment", "trainee_id"])
    return table[COLUMNS].reset_index(drop=True)


def roster_places(
    members: Iterable[Any], stations: pd.DataFrame, county_names: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """Each roster trainee's station and county (``PLACES``), from the apps' roster."""
    info = stations.set_index("station_id")
    rows = []
    for m in members:
        if m.role != Role.TRAINEE:
            continue
        station = m.station_id or ""
        known = station in info.index
        county = str(info.at[station, "county_id"]) if known else None
        rows.append(
            {
                "trainee_id": m.person_id,
                "station_id": station or None,
                "station_name": str(info.at[station, "name_zh"]) if known else None,
                "county_id": county,
                "county_name": (county_names or {}).get(county or "", county),
            }
        )
    return pd.DataFrame(rows, columns=PLACES)


def station_summary(results: pd.DataFrame) -> pd.DataFrame:
    """Per county and station (``SUMMARY``): trainees graded, mean and median percentage of
    their fully graded assignments, and written answers waiting for a rubric grade."""
    if results.empty:
        return pd.DataFrame(columns=SUMMARY)
    # as in the grading export: only fully graded submissions count towards the mean; a
    # damaged file or an answer waiting for its rubric grade is not a low score
    complete = results["status"].isin(GRADED) & (results["waiting"] == 0)
    counted = results.assign(counted=results["percent"].where(complete))
    grouped = counted.groupby(PLACES[1:], dropna=False, as_index=False, sort=True)
    summary = grouped.agg(
        trainees=("trainee_id", "nunique"),
        mean_percent=("counted", "mean"),
        median_percent=("counted", "median"),
        waiting=("waiting", "sum"),
    )
    summary[["mean_percent", "median_percent"]] = summary[["mean_percent", "median_percent"]].round(
        1
    )
    return summary[SUMMARY].reset_index(drop=True)


@cache
def _masters() -> tuple[tuple[str, str, str], ...]:
    try:
        return tuple((a.id, a.title_zh, a.title_en) for a in masters.discover())
    except GradingError:  # a broken master: the apps show ids instead of titles
        return ()


def assignment_order() -> dict[str, int]:
    """The course order of the assignments (from their masters)."""
    return {assignment: n for n, (assignment, _zh, _en) in enumerate(_masters())}


def assignment_title(assignment: str, lang: Lang) -> str:
    """The assignment's title in ``lang`` (its id when no master names it)."""
    for known, zh, en in _masters():
        if known == assignment:
            return zh if lang == "zh" else en
    return assignment
