"""How the apps show gradebook results: a trainee's scores and the results by station.

- ``TraineeScores``: the folded "作业成绩 / Assignment scores" section of the competency
  assessment: the trainee's graded assignments as evidence for the rating;
- ``station_scores``: the programme overview's table of results by county and station, with
  the reader's column names (also an Excel sheet).

The data come from ``shegong.widgets.apps.gradebook_link``; an unreadable gradebook becomes a
message on the page, and the rest of the app goes on.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as w
import pandas as pd

from shegong.errors import ShegongError
from shegong.grading.model import Status
from shegong.messages import Lang, text
from shegong.settings import Settings
from shegong.widgets.apps.gradebook_link import (
    assignment_results,
    assignment_title,
    station_summary,
)
from shegong.widgets.forms.fields import banner, html_table

TRAINEE_COLUMNS = ("assignment", "score", "percent", "status", "waiting")
STATION_COLUMNS = ("county", "station", "trainees", "mean_percent", "median_percent", "waiting")


def _c(column: str, lang: Lang) -> str:
    return text(f"apps.gradebook.col.{column}", lang)


def status_label(status: str, waiting: int, lang: Lang) -> str:
    """A short grading status: a recorded one, else "graded" or "waiting for rubric"."""
    if status in ("", Status.GRADED) and waiting > 0:
        return text("apps.gradebook.status.waiting", lang)
    if status == "":
        status = Status.GRADED
    if status in {s.value for s in Status}:
        return text(f"apps.gradebook.status.{status}", lang)
    return status


def trainee_rows(results: pd.DataFrame, lang: Lang) -> list[list[object]]:
    """A trainee's results as table rows: title, score / max, percent, status, waiting."""
    return [
        [
            assignment_title(str(r["assignment"]), lang),
            f"{r['score']:g} / {r['max_score']:g}",
            None if pd.isna(r["percent"]) else f"{r['percent']:.1f}%",
            status_label(str(r["status"]), int(r["waiting"]), lang),
            int(r["waiting"]),
        ]
        for r in results.to_dict("records")
    ]


class TraineeScores(w.Accordion):
    """The trainee's graded assignments, folded until opened (see the module docstring)."""

    def __init__(self, settings: Settings, lang: Lang) -> None:
        self.settings = settings
        self.lang: Lang = lang
        self.content = w.VBox()
        super().__init__([self.content], selected_index=None)
        self.add_class("sg-gradebook")
        self.layout.display = "none"  # until a trainee is opened
        self.results = pd.DataFrame()

    def show(self, trainee_id: str) -> pd.DataFrame:
        """Read the trainee's results and show them (or why there are none)."""
        lang = self.lang
        self.layout.display = None
        try:
            self.results = assignment_results(self.settings, [trainee_id])
        except ShegongError as error:
            self.results = pd.DataFrame()
            self.set_title(0, text("apps.gradebook.title", lang, count="—"))
            self.content.children = (w.HTML(banner(html.escape(error.message(lang)), "error")),)
            return self.results
        self.set_title(0, text("apps.gradebook.title", lang, count=len(self.results)))
        if self.results.empty:
            empty = html.escape(text("apps.gradebook.none_for_trainee", lang))
            self.content.children = (w.HTML(empty),)
            return self.results
        note = html.escape(text("apps.gradebook.note", lang))
        headers = [_c(c, lang) for c in TRAINEE_COLUMNS]
        self.content.children = (
            w.HTML(f'<div class="sg-note">{note}</div>'),
            w.HTML(html_table(trainee_rows(self.results, lang), headers)),
        )
        return self.results

    def hide(self) -> None:
        self.results = pd.DataFrame()
        self.content.children = ()
        self.layout.display = "none"


def station_table(summary: pd.DataFrame, lang: Lang) -> pd.DataFrame:
    """``station_summary`` with the reader's column names."""
    return pd.DataFrame(
        {
            _c("county", lang): summary["county_name"].fillna(summary["county_id"]),
            _c("station", lang): summary["station_name"].fillna(summary["station_id"]),
            _c("trainees", lang): summary["trainees"],
            _c("mean_percent", lang): summary["mean_percent"],
            _c("median_percent", lang): summary["median_percent"],
            _c("waiting", lang): summary["waiting"],
        },
        columns=[_c(c, lang) for c in STATION_COLUMNS],
    )


def station_scores(
    settings: Settings, places: pd.DataFrame, lang: Lang
) -> tuple[pd.DataFrame, str | None]:
    """The results by county and station, and the message when the gradebook is unreadable
    (then the table is empty)."""
    try:
        results = assignment_results(settings, places=places)
    except ShegongError as error:
        return station_table(station_summary(pd.DataFrame()), lang), error.message(lang)
    return station_table(station_summary(results), lang), None


def station_scores_parts(table: pd.DataFrame, problem: str | None, lang: Lang) -> list[w.Widget]:
    """What the overview shows under its heading: the table, the empty state or the problem."""
    if problem is not None:
        return [w.HTML(banner(html.escape(problem), "error"))]
    if table.empty:
        return [w.HTML(html.escape(text("apps.gradebook.none_yet", lang)))]
    rows: Sequence[list[object]] = table.astype(object).values.tolist()
    note = html.escape(text("apps.gradebook.overview_note", lang))
    shown = w.HTML(html_table(list(rows), [str(c) for c in table.columns]))
    shown.add_class("sg-station-scores")
    return [shown, w.HTML(f'<div class="sg-note">{note}</div>')]
