"""The parts of the station evaluation form: which station and round, and one indicator.

``station_options`` lists the township (street) stations to choose from, ``periods`` the
evaluation rounds (mid-year and final, this year and last); an ``IndicatorRow`` is one
indicator of the rubric: its level buttons (each level's descriptor as a tooltip, the chosen
one shown under them) and the evidence seen.
"""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import ipywidgets as w
import pandas as pd

from shegong.evaluation import Indicator
from shegong.messages import Lang, text
from shegong.widgets.forms.fields import Field, text_area

PERIOD_KINDS = ("mid", "final")


def periods(today: dt.date, lang: Lang) -> list[tuple[str, str]]:
    """Evaluation rounds of this year and last: ``("2025 年中期评估", "2025-mid")``."""
    return [
        (
            text(
                "apps.eval.period",
                lang,
                year=year,
                kind=text(f"apps.eval.period_kind.{kind}", lang),
            ),
            f"{year}-{kind}",
        )
        for year in (today.year, today.year - 1)
        for kind in PERIOD_KINDS
    ]


def default_period(today: dt.date) -> str:
    return f"{today.year}-{'mid' if today.month <= 6 else 'final'}"


def station_options(stations: pd.DataFrame, lang: Lang) -> list[tuple[str, str]]:
    """Township (street) stations to choose from, by name, with a "choose" entry first."""
    township = stations[stations["level"] == "township_station"].sort_values("name_zh")
    open_, close = ("（", "）") if lang == "zh" else (" (", ")")
    return [(text("apps.choose", lang), "")] + [
        (f"{name}{open_}{sid}{close}", str(sid))
        for name, sid in zip(township["name_zh"], township["station_id"], strict=True)
    ]


class IndicatorRow:
    """One indicator: level buttons (descriptors as tooltips), the chosen descriptor, evidence."""

    def __init__(self, indicator: Indicator, lang: Lang) -> None:
        self.indicator = indicator
        self.lang = lang
        levels = indicator.levels  # highest first
        self.level = w.ToggleButtons(
            options=[(f"{lv.level} {lv.label.get(lang)}", lv.level) for lv in levels],
            value=None,
            tooltips=[lv.descriptor.get(lang) for lv in levels],
            style={"button_width": "auto"},
        )
        self.level.add_class(f"sg-level-{indicator.id}")
        self.descriptor = w.HTML("")
        self.evidence = text_area(text("apps.eval.evidence_placeholder", lang), rows=2)
        self.evidence.add_class(f"sg-evidence-{indicator.id}")
        self.level.observe(self._show_descriptor, names="value")
        name = text(
            "apps.eval.indicator",
            lang,
            name=indicator.name.get(lang),
            points=f"{indicator.points:g}",
        )
        look = text("apps.eval.look_at", lang, what=indicator.evidence.get(lang))
        self.field = Field(
            f"ind_{indicator.id}",
            name,
            w.VBox([self.level, self.descriptor, self.evidence]),
            required=True,
            hint=look,
        )

    def _show_descriptor(self, change: dict[str, Any]) -> None:
        level = change["new"]
        if level is None:
            self.descriptor.value = ""
            return
        descriptor = self.indicator.level(level).descriptor.get(self.lang)
        self.descriptor.value = f'<div class="sg-descriptor">{html.escape(descriptor)}</div>'

    @property
    def controls(self) -> list[w.Widget]:
        return [self.level, self.evidence]
