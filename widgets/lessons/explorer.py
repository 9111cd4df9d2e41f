"""StationExplorer 站点台账浏览: one township station's service ledger, month by month.

Choose a township (street) station, a service type (or all) and optionally a date range; the
explorer shows person-times and ledger entries per month by contact type (家访, 电话, 小组活动
...) as a table and a stacked bar chart with a line for the number of entries. ``select``
does what the drop-downs do; ``summary`` (tidy, ASCII column ids) and ``figure`` are the
results, so lessons and tests can use them without a browser.
"""

from __future__ import annotations

import datetime as dt
import html

import ipywidgets as w
import pandas as pd
from matplotlib.figure import Figure

from shegong.datasets.world.services import CONTACTS, SERVICES
from shegong.errors import ShegongError
from shegong.fonts import use_chinese_font
from shegong.messages import Lang, text
from shegong.widgets.lessons.ecomap import NotebookFigure, figure_output

ALL = "all"
SUMMARY_COLUMNS = ("month", "contact", "contacts", "person_times")
COLOURS = ("#457b9d", "#e9c46a", "#2a9d8f", "#f4a261", "#8ecae6", "#bc6c25")


class ExplorerError(ShegongError):
    """A station or service the explorer cannot show."""


def service_label(code: str, lang: Lang = "zh") -> str:
    """The display name of a service code (or of ``all``)."""
    if code == ALL:
        return text("widgets.explorer.service_all", lang)
    return text(f"widgets.explorer.service_type.{code}", lang)


def contact_label(code: str, lang: Lang = "zh") -> str:
    """The display name of a contact-type code."""
    return text(f"widgets.explorer.contact_type.{code}", lang) if code in CONTACTS else code


def summarise(ledger: pd.DataFrame) -> pd.DataFrame:
    """Ledger entries and person-times per month and contact type (tidy, months ascending)."""
    if ledger.empty:
        return pd.DataFrame(
            {
                c: pd.Series(dtype="int64" if c in SUMMARY_COLUMNS[2:] else object)
                for c in SUMMARY_COLUMNS
            }
        )
    month = pd.to_datetime(ledger["contact_on"]).dt.strftime("%Y-%m")
    grouped = ledger.assign(month=month).groupby(["month", "contact"], sort=True)
    out = grouped.agg(contacts=("contact", "size"), person_times=("person_times", "sum"))
    return out.reset_index().astype({"contacts": "int64", "person_times": "int64"})


def _month_range(months: pd.Series) -> list[str]:
    periods = pd.period_range(months.min(), months.max(), freq="M")
    return [str(p) for p in periods]


class StationExplorer(w.VBox):
    """Browse one township station's ledger (displays itself)."""

    def __init__(
        self,
        lang: Lang = "zh",
        ledger: pd.DataFrame | None = None,
        stations: pd.DataFrame | None = None,
    ) -> None:
        if ledger is None or stations is None:
            from shegong.datasets import load

            ledger = load("ledger") if ledger is None else ledger
            stations = load("stations") if stations is None else stations
        self.lang: Lang = lang
        self._updating = False
        self.ledger = ledger.assign(contact_on=pd.to_datetime(ledger["contact_on"]))
        township = stations[stations["level"] == "township_station"].sort_values("station_id")
        if township.empty:
            raise ExplorerError("widgets.explorer.error_no_stations")
        self.station_names = dict(zip(township["station_id"], township["name_zh"], strict=True))
        self.station = w.Dropdown(
            options=[(self._station_option(sid), sid) for sid in self.station_names],
            description=text("widgets.explorer.station", lang),
            layout={"width": "max-content"},
        )
        self.service = w.Dropdown(
            options=[(service_label(code, lang), code) for code in (ALL, *SERVICES)],
            value=ALL,
            description=text("widgets.explorer.service", lang),
        )
        self.start = w.DatePicker(description=text("widgets.explorer.start", lang), value=None)
        self.end = w.DatePicker(description=text("widgets.explorer.end", lang), value=None)
        self.message = w.HTML()
        self.table = w.HTML()
        self.chart = w.Output()
        self.summary: pd.DataFrame = summarise(self.ledger.iloc[:0])
        self.figure: Figure = NotebookFigure()
        for control in (self.station, self.service, self.start, self.end):
            control.observe(self._changed, names="value")
        controls = w.VBox([w.HBox([self.station, self.service]), w.HBox([self.start, self.end])])
        super().__init__([controls, self.message, self.chart, self.table])
        self.refresh()

    def _station_option(self, station_id: str) -> str:
        name = self.station_names[station_id]
        return name if self.lang == "zh" else f"{name} ({station_id})"

    def select(
        self,
        station_id: str,
        service: str = ALL,
        start: dt.date | str | None = None,
        end: dt.date | str | None = None,
    ) -> pd.DataFrame:
        """Choose a station, a service (``all`` for every one) and an optional date range."""
        if station_id not in self.station_names:
            known = ", ".join(list(self.station_names)[:5])
            raise ExplorerError("widgets.explorer.error_station", station=station_id, known=known)
        if service != ALL and service not in SERVICES:
            raise ExplorerError(
                "widgets.explorer.error_service",
                service=service,
                choices=", ".join((ALL, *SERVICES)),
            )
        self._updating = True
        try:
            self.station.value = station_id
            self.service.value = service
            self.start.value = None if start is None else pd.Timestamp(start).date()
            self.end.value = None if end is None else pd.Timestamp(end).date()
        finally:
            self._updating = False
        self.refresh()
        return self.summary

    def _changed(self, _change: object) -> None:
        if not self._updating:
            self.refresh()

    def rows(self) -> pd.DataFrame:
        """The ledger rows of the current choice."""
        ledger = self.ledger
        keep = ledger["station_id"] == self.station.value
        if self.service.value != ALL:
            keep &= ledger["service"] == self.service.value
        if self.start.value is not None:
            keep &= ledger["contact_on"] >= pd.Timestamp(self.start.value)
        if self.end.value is not None:
            keep &= ledger["contact_on"] < pd.Timestamp(self.end.value) + pd.Timedelta(days=1)
        return ledger[keep]

    def refresh(self) -> None:
        """Recompute the summary, the chart and the table for the current choice."""
        lang = self.lang
        start, end = self.start.value, self.end.value
        if start is not None and end is not None and start > end:
            self.summary = summarise(self.ledger.iloc[:0])
            self.message.value = html.escape(
                text("widgets.explorer.bad_range", lang, start=start, end=end)
            )
        else:
            rows = self.rows()
            self.summary = summarise(rows)
            self.message.value = html.escape(self._range_line(rows))
        self.figure = self._draw()
        alt = self._title()
        self.chart.outputs = (figure_output(self.figure, alt),)
        self.table.value = self._table_html()

    def _range_line(self, rows: pd.DataFrame) -> str:
        if rows.empty:
            return text("widgets.explorer.empty", self.lang)
        open_end = text("widgets.explorer.open", self.lang)
        return text(
            "widgets.explorer.range",
            self.lang,
            start=self.start.value or open_end,
            end=self.end.value or open_end,
            entries=len(rows),
            person_times=int(rows["person_times"].sum()),
        )

    def _title(self) -> str:
        station = self.station_names[self.station.value]
        return text(
            "widgets.explorer.chart_title", self.lang, station=station,
            service=service_label(self.service.value, self.lang),
        )  # fmt: skip

    def pivot(self, value: str) -> pd.DataFrame:
        """``value`` (``person_times`` or ``contacts``) as months x contact types, with totals."""
        summary = self.summary
        if summary.empty:
            return pd.DataFrame()
        table = summary.pivot(index="month", columns="contact", values=value)
        table = table.reindex(index=_month_range(summary["month"]), fill_value=0).fillna(0)
        order = [c for c in CONTACTS if c in table.columns] + [
            c for c in table.columns if c not in CONTACTS
        ]
        table = table[order].astype("int64")
        table[text("widgets.explorer.total", self.lang)] = table.sum(axis=1)
        return table

    def _table_html(self) -> str:
        if self.summary.empty:
            return ""
        parts = []
        for value, heading in (
            ("person_times", "heading_person_times"),
            ("contacts", "heading_contacts"),
        ):
            table = self.pivot(value)
            table = table.rename(columns=lambda c: contact_label(str(c), self.lang))
            table = table.rename_axis(index=text("widgets.explorer.month", self.lang), columns=None)
            parts.append(f"<h4>{html.escape(text(f'widgets.explorer.{heading}', self.lang))}</h4>")
            parts.append(
                table.reset_index().to_html(index=False, border=0, classes="shegong-table")
            )
        return "\n".join(parts)

    def _draw(self) -> Figure:
        use_chinese_font()
        lang = self.lang
        fig = NotebookFigure(figsize=(9, 4.2), layout="constrained")
        ax = fig.add_subplot()
        ax.set_title(self._title(), fontsize=12)
        if self.summary.empty:
            ax.text(
                0.5,
                0.5,
                text("widgets.explorer.empty", lang),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
            ax.set_axis_off()
            return fig
        people = self.pivot("person_times").iloc[:, :-1]
        entries = self.pivot("contacts").iloc[:, -1]
        positions = range(len(people))
        bottom = pd.Series(0, index=people.index)
        for k, column in enumerate(people.columns):
            ax.bar(positions, people[column], bottom=bottom, color=COLOURS[k % len(COLOURS)],
                   label=contact_label(str(column), lang))  # fmt: skip
            bottom += people[column]
        ax.set_ylabel(text("widgets.explorer.person_times", lang))
        ax.set_xlabel(text("widgets.explorer.month", lang))
        ax.set_xticks(list(positions), list(people.index), rotation=60, ha="right", fontsize=8)
        line_ax = ax.twinx()
        line_ax.plot(list(positions), entries.to_numpy(), color="#222222", marker="o", markersize=3,
                     label=text("widgets.explorer.contacts", lang))  # fmt: skip
        line_ax.set_ylabel(text("widgets.explorer.contacts", lang))
        line_ax.set_ylim(bottom=0)
        handles, labels = ax.get_legend_handles_labels()
        more_handles, more_labels = line_ax.get_legend_handles_labels()
        ax.legend(
            handles + more_handles, labels + more_labels, fontsize=8, loc="upper left",
            bbox_to_anchor=(1.1, 1.0), frameon=False, title=text("widgets.explorer.contact", lang),
        )  # fmt: skip
        return fig
