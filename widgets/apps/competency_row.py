"""One competency's row in the competency form: its level choice and the anchor text."""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from shegong.evaluation import (
    Competency,
    CompetencyRubric,
)
from shegong.messages import Lang, text
from shegong.widgets.apps.station_form import auto_buttons
from shegong.widgets.forms.fields import (
    Field,
    html_block,
    initial_description,
    layout_of,
    light_box,
    shared,
    text_area,
)


class CompetencyRow:
    """One competency: level buttons (anchors as tooltips), the anchor, self-rating, evidence."""

    def __init__(self, competency: Competency, rubric: CompetencyRubric, lang: Lang) -> None:
        self.competency = competency
        self.lang = lang
        levels = rubric.level_numbers
        self.level = w.ToggleButtons(
            options=[(f"{lv} {rubric.level_label(lv).get(lang)}", lv) for lv in levels],
            value=None,
            tooltips=[competency.anchor(lv).get(lang) for lv in levels],
            style=auto_buttons(),
            layout=shared(w.Layout),
        )
        self.level.add_class(f"sg-level-{competency.id}")
        self.anchor = html_block()
        self.self_level = w.Dropdown(
            options=[(text("apps.comp.no_self", lang), 0)]
            + [(f"{lv} {rubric.level_label(lv).get(lang)}", lv) for lv in levels],
            value=0,
            description=text("apps.comp.self", lang),
            style=initial_description(),
            layout=layout_of(width="16em"),
        )
        self.evidence = text_area(competency.evidence.get(lang), rows=2)
        self.evidence.add_class(f"sg-evidence-{competency.id}")
        self.level.observe(self._show_anchor, names="value")
        number = f"{competency.number}. " if competency.number else ""
        self.field = Field(
            f"comp_{competency.id}",
            number + competency.name.get(lang),
            light_box([self.level, self.anchor, self.self_level, self.evidence]),
            required=True,
            hint=competency.description.get(lang),
        )

    def _show_anchor(self, change: dict[str, Any]) -> None:
        level = change["new"]
        self.anchor.value = (
            ""
            if level is None
            else '<div class="sg-descriptor">'
            + html.escape(self.competency.anchor(level).get(self.lang))
            + "</div>"
        )

    @property
    def controls(self) -> list[w.Widget]:
        return [self.level, self.self_level, self.evidence]
