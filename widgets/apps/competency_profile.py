"""The competency profile chart: each competency's first and latest level, and the goal.

A dumbbell chart (the change over time) with the programme's expected level of achievement,
drawn from ``shegong.evaluation.competency_profile``'s table.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from shegong.evaluation import CompetencyRubric
from shegong.fonts import use_chinese_font
from shegong.messages import Lang

if TYPE_CHECKING:  # matplotlib is imported only when a chart is drawn
    from matplotlib.figure import Figure


def profile_figure(profile: pd.DataFrame, rubric: CompetencyRubric, lang: Lang) -> Figure:
    """First → latest level per competency (a dumbbell chart) with the expected level."""
    from matplotlib.figure import Figure

    use_chinese_font()
    rows = profile.iloc[::-1]
    fig = Figure(figsize=(9.6, 0.42 * len(rows) + 1.2))
    ax = fig.add_subplot()
    y = list(range(len(rows)))
    for k, r in enumerate(rows.to_dict("records")):
        if pd.isna(r["latest_level"]):
            continue
        first, latest = int(r["first_level"]), int(r["latest_level"])
        ax.plot([first, latest], [k, k], color="#9bbbd4", linewidth=3, zorder=1)
        ax.scatter([first], [k], color="#9bbbd4", s=40, zorder=2)
        ax.scatter([latest], [k], color="#1d6fa5", s=60, zorder=3)
    ax.axvline(rubric.expected.level, color="#c0392b", linestyle="--", linewidth=1)
    ax.set_yticks(y)
    ax.set_yticklabels([str(label) for label in rows["label"]], fontsize=9)
    levels = rubric.level_numbers
    ax.set_xticks(list(levels))
    ax.set_xticklabels(
        [f"{lv}\n{rubric.level_label(lv).get(lang)}" for lv in levels], fontsize=8, linespacing=1.4
    )
    ax.set_xlim(levels[0] - 0.4, levels[-1] + 0.4)
    fig.tight_layout()
    return fig
