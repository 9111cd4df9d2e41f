"""ProgrammeOverview 项目总览: what a programme manager (民政部门) looks at, and exports.

- Stations evaluated and their grades, by county: township stations, how many have a result
  in the chosen round, how many in each grade band, how many wait for the lead evaluator.
- Each evaluated station: evaluators, mean and final score, grade, veto.
- Supervision: each trainee's supervision in the last three months against the requirement.
- Competencies: per competency, the share of trainees at the expected level (brief §7.3).
- Assignments: results from nbgrader's gradebook by county and station (trainees graded, mean
  and median percentage, written answers waiting for rubric grading;
  ``shegong.widgets.apps.gradebook_view``).

Tables are plain DataFrames with the reader's column names (``tables()``); "导出 Excel" writes
them to one workbook in ``workspace/exports/`` (``shegong.exports.to_xlsx``) and offers it as a
download link on the page (the file travels inside the page: no file server needed).
"""

from __future__ import annotations

import base64
import datetime as dt
import html
from pathlib import Path
from typing import TYPE_CHECKING, Any

import ipywidgets as w
import pandas as pd

from shegong.datasets import load
from shegong.evaluation import (
    CompetencyRubric,
    StationRubric,
    cohort_expectation,
    load_competency_rubric,
    load_station_rubric,
)
from shegong.exports import to_xlsx
from shegong.fonts import use_chinese_font
from shegong.messages import Lang, text
from shegong.paths import Workspace
from shegong.records import RecordsStore, Role
from shegong.records.roster import Member
from shegong.settings import Settings
from shegong.widgets.apps.gradebook_link import roster_places
from shegong.widgets.apps.gradebook_view import station_scores, station_scores_parts
from shegong.widgets.apps.station_form import PERIOD_KINDS
from shegong.widgets.apps.supervision_log import month_start
from shegong.widgets.forms.fields import banner, figure_png, html_block, html_table
from shegong.widgets.forms.scope import visible_trainees
from shegong.widgets.forms.shell import AppContext, AppShell, Identity, open_context

ALL = "__all__"
HOURS_MONTHS = 3
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn
    from matplotlib.figure import Figure


def _c(column: str, lang: Lang) -> str:
    return text(f"apps.overview.col.{column}", lang)


class ProgrammeOverview(AppShell):
    """The programme manager's overview (a ``VBox``); ``tables()`` gives what it shows."""

    app_name = "programme_overview"
    title_id = "apps.overview.title"
    subtitle_id = "apps.overview.subtitle"
    roles = (Role.MANAGER,)

    def __init__(
        self,
        store: RecordsStore,
        station_rubric: StationRubric,
        competency_rubric: CompetencyRubric,
        stations: pd.DataFrame,
        counties: pd.DataFrame,
        members: list[Member],
        home: Path,
        lang: Lang = "zh",
    ) -> None:
        names = dict(zip(stations["station_id"], stations["name_zh"], strict=True))
        super().__init__(lang, members, names)
        self.store = store
        self.station_rubric = station_rubric
        self.competency_rubric = competency_rubric
        self.stations = stations[stations["level"] == "township_station"]
        self.county_names = dict(zip(counties["county_id"], counties["name_zh"], strict=True))
        # The roster's trainees; the tables and the export hold only those the user may see.
        self.roster_trainees = [m for m in members if m.role == Role.TRAINEE]
        self.trainees = self.roster_trainees
        self.all_stations = stations
        self.home = Path(home)
        self.places = roster_places(self.trainees, stations, self.county_names)
        self.gradebook_problem: str | None = None
        self.period = w.Dropdown(
            options=[(text("apps.overview.all_periods", lang), ALL)],
            value=ALL,
            layout={"width": "16em"},
        )
        self.period.add_class("sg-period")
        self.export_button = w.Button(
            description=text("apps.overview.export", lang), icon="download", button_style="info"
        )
        self.export_button.add_class("sg-export")
        self.export_button.on_click(lambda _b: self.export())
        self.download = html_block("")
        self.download.add_class("sg-download")
        self.content = w.VBox()
        self.body.children = (
            w.HBox(
                [
                    html_block(f"<b>{html.escape(text('apps.field.period', lang))}</b>"),
                    self.period,
                    self.export_button,
                ],
                layout={"align_items": "center"},
            ),
            self.download,
            self.content,
        )
        self.period.observe(lambda _c: self.refresh(), names="value")
        self._tables: dict[str, pd.DataFrame] = {}

    def show_for(self, identity: Identity) -> None:
        self.trainees = visible_trainees(self.store, identity.person_id, self.roster_trainees)
        self.places = roster_places(self.trainees, self.all_stations, self.county_names)
        results = self.store.station_results()
        periods = sorted(set(results["period"]), reverse=True)
        self.period.options = [(text("apps.overview.all_periods", self.lang), ALL)] + [
            (self.period_label(p), p) for p in periods
        ]
        self.refresh()

    def viewer(self) -> str | None:
        return None if self.identity is None else str(self.identity.person_id)

    # --- the tables -----------------------------------------------------------------------

    def _results(self) -> pd.DataFrame:
        results = self.store.station_results()
        results = results[results["rubric_id"] == self.station_rubric.id]
        if self.period.value != ALL:
            results = results[results["period"] == self.period.value]
        info = self.stations[["station_id", "name_zh", "county_id"]]
        return results.merge(info, on="station_id", how="left")

    def period_label(self, period: str) -> str:
        """``2025-mid`` as "2025 年中期评估" (other ids as they are)."""
        year, _, kind = str(period).partition("-")
        if not year.isdigit() or kind not in PERIOD_KINDS:
            return str(period)
        kind_label = text(f"apps.eval.period_kind.{kind}", self.lang)
        return text("apps.eval.period", self.lang, year=year, kind=kind_label)

    def _grade(self, grade: Any) -> str:
        if grade is None or pd.isna(grade):
            return text("apps.overview.pending", self.lang)
        return self.station_rubric.grade(str(grade)).label.get(self.lang)

    def county_table(self, results: pd.DataFrame) -> pd.DataFrame:
        lang = self.lang
        rows = []
        for county_id, group in self.stations.groupby("county_id", sort=True):
            done = results[results["county_id"] == county_id]
            row: dict[str, Any] = {
                _c("county", lang): self.county_names.get(county_id, county_id),
                _c("stations", lang): len(group),
                _c("evaluated", lang): done["station_id"].nunique(),
            }
            for band in self.station_rubric.grades:
                row[band.label.get(lang)] = int((done["final_grade"] == band.id).sum())
            row[_c("pending", lang)] = int(done["needs_moderation"].astype(bool).sum())
            rows.append(row)
        return pd.DataFrame(rows)

    def station_table(self, results: pd.DataFrame) -> pd.DataFrame:
        lang = self.lang
        return pd.DataFrame(
            {
                _c("county", lang): [self.county_names.get(c, c) for c in results["county_id"]],
                _c("station", lang): results["name_zh"].fillna(results["station_id"]),
                _c("period", lang): [self.period_label(p) for p in results["period"]],
                _c("evaluations", lang): results["evaluations"],
                _c("mean_total", lang): results["mean_total"],
                _c("final_total", lang): results["final_total"],
                _c("grade", lang): [self._grade(g) for g in results["final_grade"]],
                _c("veto", lang): [
                    text("apps.yes" if v else "apps.no", lang) for v in results["any_veto"]
                ],
            }
        )

    def hours_table(self) -> pd.DataFrame:
        lang = self.lang
        today = self.store.today()
        start = month_start(today, HOURS_MONTHS - 1)
        rows = []
        for m in self.trainees:
            hours = self.store.supervision_hours(m.person_id, start=start, actor=self.viewer())
            rows.append(
                {
                    _c("trainee", lang): m.display_name,
                    _c("station", lang): self.station_names.get(m.station_id or "", "—"),
                    _c("sessions", lang): int(hours["sessions"].sum()),
                    _c("hours", lang): round(float(hours["hours"].sum()), 2),
                    _c("required_hours", lang): round(hours["required_minutes"].sum() / 60, 2),
                    _c("months_met", lang): f"{int(hours['met'].sum())}/{len(hours)}",
                }
            )
        return pd.DataFrame(rows)

    def competency_table(self) -> pd.DataFrame:
        lang = self.lang
        history = self.store.competency_history(actor=self.viewer())
        cohort = cohort_expectation(self.competency_rubric, history, lang)
        return pd.DataFrame(
            {
                _c("competency", lang): cohort["label"],
                _c("trainees_rated", lang): cohort["trainees"],
                _c("at_expected", lang): cohort["at_expected"],
                _c("share", lang): [
                    None if pd.isna(s) else f"{100 * s:.0f}%" for s in cohort["share"]
                ],
                _c("target", lang): [f"{100 * s:.0f}%" for s in cohort["target_share"]],
                _c("met", lang): [
                    text("apps.yes" if v else "apps.no", lang) for v in cohort["met"]
                ],
            }
        )

    def assignment_table(self) -> pd.DataFrame:
        """Assignment results by county and station from the gradebook (empty when there is
        none, or when it cannot be read: then ``gradebook_problem`` says why)."""
        settings = Settings(home=self.home)
        table, self.gradebook_problem = station_scores(settings, self.places, self.lang)
        return table

    def tables(self) -> dict[str, pd.DataFrame]:
        """The overview's tables by sheet name, in the reader's language."""
        results = self._results()
        lang = self.lang
        return {
            text("apps.overview.sheet.counties", lang): self.county_table(results),
            text("apps.overview.sheet.stations", lang): self.station_table(results),
            text("apps.overview.sheet.hours", lang): self.hours_table(),
            text("apps.overview.sheet.competencies", lang): self.competency_table(),
            text("apps.gradebook.sheet", lang): self.assignment_table(),
        }

    def grade_figure(self, results: pd.DataFrame) -> Figure:
        from matplotlib.figure import Figure
        from matplotlib.ticker import MaxNLocator

        use_chinese_font()
        lang = self.lang
        bands = [*self.station_rubric.grades]
        counts = [int((results["final_grade"] == b.id).sum()) for b in bands]
        labels = [b.label.get(lang) for b in bands]
        labels.append(text("apps.overview.pending", lang))
        counts.append(int(results["needs_moderation"].astype(bool).sum()))
        fig = Figure(figsize=(6.4, 3.2))
        ax = fig.add_subplot()
        colours = ["#2e7d32", "#7cb342", "#fbc02d", "#fb8c00", "#c62828", "#9e9e9e"]
        ax.bar(labels, counts, color=colours[: len(labels)])
        ax.set_ylabel(text("apps.overview.chart_y", lang))
        ax.set_title(text("apps.overview.chart_title", lang), fontsize=11)
        ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        ax.tick_params(axis="x", labelrotation=20, labelsize=9)
        fig.tight_layout()
        return fig

    def refresh(self) -> None:
        """Read the store again and redraw every table."""
        lang = self.lang
        results = self._results()
        self._tables = self.tables()
        parts: list[w.Widget] = []
        for key, sheet in zip(
            ("counties", "stations", "hours", "competencies", "assignments"),
            self._tables,
            strict=True,
        ):
            frame = self._tables[sheet]
            if key == "assignments":
                heading = html.escape(text("apps.gradebook.h.stations", lang))
                parts.append(html_block(f"<h3>{heading}</h3>"))
                parts += station_scores_parts(frame, self.gradebook_problem, lang)
                continue
            heading = html.escape(text(f"apps.overview.h.{key}", lang))
            parts.append(html_block(f"<h3>{heading}</h3>"))
            if key == "stations" and not results.empty:
                chart = figure_png(self.grade_figure(results))
                parts.append(w.Image(value=chart, format="png", width=640))
            if frame.empty:
                parts.append(html_block(html.escape(text("apps.overview.empty", lang))))
            else:
                rows = frame.astype(object).values.tolist()
                parts.append(html_block(html_table(rows, [str(c) for c in frame.columns])))
            if key == "competencies":
                note = self.competency_rubric.expected.note.get(lang)
                parts.append(html_block(f'<div class="sg-note">{html.escape(note)}</div>'))
        self.content.children = tuple(parts)

    def export(self) -> Path:
        """Write the tables to ``exports/programme-overview-<date>.xlsx``; show a link."""
        tables = self.tables()
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        folder = Workspace(self.home).ensure().exports
        path = to_xlsx(tables, folder / f"programme-overview-{stamp}.xlsx")
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        label = text("apps.overview.download", self.lang, name=path.name)
        saved = text("apps.overview.saved_to", self.lang, path=str(path))
        self.download.value = banner(
            f'<a class="sg-download-link" download="{html.escape(path.name)}" '
            f'href="data:{XLSX_TYPE};base64,{data}">⬇ {html.escape(label)}</a>'
            f'<div class="sg-note-small">{html.escape(saved)}</div>',
            "ok",
        )
        return path


def open_app(lang: Lang = "zh", context: AppContext | None = None) -> ProgrammeOverview:
    """The app on the workspace's store and data (what the Voila notebook calls)."""
    context = context or open_context()
    return ProgrammeOverview(
        context.store,
        load_station_rubric(),
        load_competency_rubric(),
        context.stations,
        load("counties", home=context.home),
        context.members,
        context.home,
        lang,
    )
