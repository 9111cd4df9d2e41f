"""The result of a submitted station evaluation: total, grade, vetoes, dimensions, a radar.

``StationResult`` is a child widget of ``StationEvaluation``: ``show(score)`` once the
evaluation is submitted (or opened submitted), ``clear()`` when another station is chosen.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

import ipywidgets as w
import numpy as np

from shegong.evaluation import StationRubric, StationScore, score_station
from shegong.fonts import use_chinese_font
from shegong.messages import Lang, text
from shegong.widgets.forms.fields import figure_png, html_table

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn
    from matplotlib.figure import Figure


def running_score_html(
    rubric: StationRubric, levels: dict[str, int | None], vetoes: list[str], lang: Lang
) -> str:
    """The line under the form while rating: points so far, how many rated, the grade."""
    score = score_station(rubric, levels, vetoes, allow_missing=True)
    rated = len(levels) - len(score.missing)
    message = "apps.eval.running_score_partial" if score.missing else "apps.eval.running_score"
    words = text(
        message,
        lang,
        total=f"{score.total:g}",
        rated=rated,
        count=len(levels),
        grade=score.grade.label.get(lang),
    )
    return f'<div class="sg-score-line">{html.escape(words)}</div>'


def radar_figure(score: StationScore, lang: Lang, title: str = "") -> Figure:
    """A radar chart of the share of each dimension's points earned (0-100 %)."""
    from matplotlib.figure import Figure

    use_chinese_font()
    table = score.dimension_table(lang)
    labels = list(table["label"])
    values = list(table["percent"])
    angles = np.linspace(0, 2 * np.pi, len(labels), endpoint=False).tolist()
    fig = Figure(figsize=(5.2, 4.4))
    ax = fig.add_subplot(projection="polar")
    ax.plot([*angles, angles[0]], [*values, values[0]], color="#1d6fa5", linewidth=2)
    ax.fill([*angles, angles[0]], [*values, values[0]], color="#1d6fa5", alpha=0.25)
    ax.set_xticks(angles)
    ax.set_xticklabels(labels, fontsize=10)
    ax.set_ylim(0, 100)
    ax.set_yticks([25, 50, 75, 100])
    ax.set_yticklabels(["25%", "50%", "75%", "100%"], fontsize=8, color="#666")
    if title:
        ax.set_title(title, fontsize=11, pad=18)
    fig.tight_layout()
    return fig


class StationResult(w.VBox):
    """The submitted evaluation's score (see the module docstring)."""

    children: tuple[w.Widget, ...]

    def __init__(self, rubric: StationRubric, lang: Lang) -> None:
        self.rubric = rubric
        self.lang = lang
        super().__init__()
        self.add_class("sg-result")

    def clear(self) -> None:
        self.children = ()

    def show(self, score: StationScore) -> None:
        lang = self.lang
        vetoes = [self.rubric_veto_name(v) for v in score.vetoes]
        lines = [
            text("apps.eval.total", lang, total=f"{score.total:g}"),
            text("apps.eval.grade", lang, grade=score.grade.label.get(lang)),
        ]
        if vetoes:
            sep = "、" if lang == "zh" else ", "
            lines.append(text("apps.eval.vetoed", lang, items=sep.join(vetoes)))
        table = score.dimension_table(lang)
        rows = [
            [r["label"], f"{r['points']:g}", f"{r['max_points']:g}", f"{r['percent']:g}%"]
            for r in table.to_dict("records")
        ]
        headers = [text(f"apps.eval.col.{c}", lang) for c in ("dimension", "points", "max", "pct")]
        summary = "".join(f"<div><b>{html.escape(line)}</b></div>" for line in lines)
        chart = w.Image(value=figure_png(radar_figure(score, lang)), format="png", width=460)
        self.children = (
            w.HTML(f"<h3>{html.escape(text('apps.eval.result', lang))}</h3>{summary}"),
            w.HBox([w.HTML(html_table(rows, headers)), chart], layout={"flex_flow": "wrap"}),
        )

    def rubric_veto_name(self, veto_id: str) -> str:
        for veto in self.rubric.vetoes:
            if veto.id == veto_id:
                return veto.name.get(self.lang)
        return veto_id
