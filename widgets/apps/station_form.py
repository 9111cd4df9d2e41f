"""The parts of the station evaluation form: which station and round, and one indicator.

``station_options`` lists the township (street) stations to choose from, ``periods`` the
evaluation rounds (mid-year and final, this year and last); an ``IndicatorRow`` is one
indicator of the rubric: its level buttons (each level's descriptor as a tooltip, the chosen
one shown under them) and the evidence seen; the ``VetoList`` is the rubric's veto items
一票否决, each ticked with a note on what was found.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as w
import pandas as pd
from ipywidgets.widgets.widget_bool import CheckboxStyle
from ipywidgets.widgets.widget_selection import ToggleButtonsStyle

from shegong.evaluation import Indicator, StationRubric
from shegong.messages import Lang, text
from shegong.widgets.forms.fields import (
    Field,
    Form,
    Problems,
    html_block,
    light_box,
    shared,
    text_area,
)

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


def auto_buttons() -> ToggleButtonsStyle:
    """The level buttons' shared style: each button as wide as its words."""
    return shared(ToggleButtonsStyle, button_width="auto")


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
            style=auto_buttons(),
            layout=shared(w.Layout),
        )
        self.level.add_class(f"sg-level-{indicator.id}")
        self.descriptor = html_block()
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
            light_box([self.level, self.descriptor, self.evidence]),
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


class VetoList(w.VBox):
    """The veto items: a box and a note each (a ticked item needs its note to submit)."""

    def __init__(self, rubric: StationRubric, lang: Lang, form: Form) -> None:
        self.lang = lang
        self.boxes = {
            v.id: w.Checkbox(
                description=v.name.get(lang),
                value=False,
                indent=False,
                layout=shared(w.Layout),
                style=shared(CheckboxStyle),
            )
            for v in rubric.vetoes
        }
        self.notes = {
            v.id: text_area(text("apps.eval.veto_note_placeholder", lang), rows=2)
            for v in rubric.vetoes
        }
        for veto_id, box in self.boxes.items():
            box.add_class(f"sg-veto-{veto_id}")
            self.notes[veto_id].add_class(f"sg-veto-note-{veto_id}")
        fields = [
            form.add(
                Field(
                    f"veto_{v.id}",
                    v.name.get(lang),
                    light_box([self.boxes[v.id], self.notes[v.id]]),
                    hint=v.description.get(lang),
                )
            )
            for v in rubric.vetoes
        ]
        heading = html.escape(text("apps.eval.section_veto", lang))
        intro = html.escape(text("apps.eval.veto_intro", lang))
        super().__init__([html_block(f"<h3>{heading}</h3>{intro}"), *fields])

    def controls(self) -> list[w.Widget]:
        return [*self.boxes.values(), *self.notes.values()]

    def fill(self, vetoes: Mapping[str, str]) -> None:
        for veto_id, box in self.boxes.items():
            box.value = veto_id in vetoes
            self.notes[veto_id].value = vetoes.get(veto_id, "")

    def ticked(self) -> list[str]:
        return [v for v, box in self.boxes.items() if box.value]

    def read(self, problems: Problems, *, complete: bool) -> dict[str, str]:
        """{veto id: note} of the ticked items; a note without a tick (or, to submit, a tick
        without a note) is a problem of that item."""
        vetoes: dict[str, str] = {}
        for veto_id, box in self.boxes.items():
            note = self.notes[veto_id].value.strip()
            if box.value:
                if complete and not note:
                    problems.add(f"veto_{veto_id}", text("error.apps_veto_note", self.lang))
                vetoes[veto_id] = note
            elif note:
                problems.add(f"veto_{veto_id}", text("error.apps_veto_unticked", self.lang))
        return vetoes
