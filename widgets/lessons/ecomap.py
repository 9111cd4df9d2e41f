"""Ecomap 生态图: the client in the centre, the people and services around them.

``draw_ecomap`` draws one case's ties (the ``case_ties`` table, one row per tie): each tie is
a labelled node on a circle round the client, coloured by tie type (family, community,
formal services); the line shows the strength (strong = thick solid, moderate = solid,
weak = dashed, stressful = red zigzag) and its arrow heads show which way support flows
(to the client = towards the centre, from the client = outwards, mutual = both). Each tie is
one ``FancyArrowPatch`` with ``gid="tie-<n>"`` so tests can count them.

``EcomapViewer`` is a drop-down of case ids and an output that redraws the chosen case.
"""

from __future__ import annotations

import base64
import io
import math
import textwrap
from collections.abc import Sequence
from typing import Literal

import ipywidgets as w
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Circle, FancyArrowPatch, Patch
from matplotlib.path import Path

from shegong.datasets.world.ties import DIRECTIONS, STRENGTHS, WHO
from shegong.errors import ShegongError
from shegong.fonts import use_chinese_font
from shegong.messages import Lang, text

REQUIRED = ("who", "tie_type", "strength", "direction")
TIE_TYPES = ("family", "community", "service")
TYPE_COLOURS = {"family": "#f4a261", "community": "#8ecae6", "service": "#95d5b2"}
CLIENT_COLOUR = "#ffe8a3"
STRESS_RED = "#c1121f"
# strength -> (line width, line style, colour)
LINES: dict[str, tuple[float, Literal["solid", "dashed"], str]] = {
    "strong": (4.0, "solid", "#333333"),
    "moderate": (1.8, "solid", "#333333"),
    "weak": (1.4, "dashed", "#555555"),
    "stressful": (1.6, "solid", STRESS_RED),
}
ARROWS = {"to_client": "-|>", "from_client": "-|>", "mutual": "<|-|>"}
RING, NODE, CENTRE = 1.0, 0.2, 0.27  # ring radius, tie node radius, client node radius


class EcomapError(ShegongError):
    """Ecomap data with a missing column or a code the ecomap does not know."""


class NotebookFigure(Figure):
    """A figure that shows itself as a PNG in Jupyter, without pyplot.

    Widgets draw on figures that pyplot does not manage (so nothing is shown twice or kept
    open); this lets such a figure still display when it is the last value of a cell.
    """

    def _repr_png_(self) -> bytes:
        buffer = io.BytesIO()
        self.savefig(buffer, format="png", dpi=100)
        return buffer.getvalue()


def who_label(code: str, lang: Lang = "zh") -> str:
    """The display name of a ``who`` code, e.g. ``grandparent`` -> 祖父母."""
    return text(f"widgets.ecomap.who.{code}", lang)


def check_ties(ties: pd.DataFrame) -> pd.DataFrame:
    """The ties of one case, checked: required columns present, every code known."""
    missing = [c for c in REQUIRED if c not in ties.columns]
    if missing:
        raise EcomapError(
            "widgets.ecomap.error_columns", missing=", ".join(missing), required=", ".join(REQUIRED)
        )
    for column, allowed in (
        ("who", tuple(WHO)),
        ("tie_type", TIE_TYPES),
        ("strength", STRENGTHS),
        ("direction", DIRECTIONS),
    ):
        bad = ~ties[column].isin(allowed)
        if bad.any():
            row = ties.index[bad.to_numpy()][0]
            raise EcomapError(
                "widgets.ecomap.error_value",
                column=column,
                row=row,
                value=ties.loc[row, column],
                choices=", ".join(allowed),
            )
    if "case_id" in ties.columns and ties["case_id"].nunique() > 1:
        cases = ties["case_id"].unique()
        raise EcomapError(
            "widgets.ecomap.error_many_cases",
            count=len(cases),
            cases=", ".join(str(c) for c in cases[:5]) + (" …" if len(cases) > 5 else ""),
        )
    return ties.reset_index(drop=True)


def _zigzag(start: np.ndarray, end: np.ndarray, amplitude: float = 0.03) -> Path:
    """A zigzag path from ``start`` to ``end`` (straight for the last bit, for the arrow)."""
    vector = end - start
    length = float(np.hypot(*vector))
    unit = vector / length
    normal = np.array([-unit[1], unit[0]])
    teeth = max(4, int(length / 0.06))
    margin = 0.1 * length
    points = [start, start + unit * margin]
    for k in range(1, teeth):
        along = margin + (length - 2 * margin) * k / teeth
        points.append(start + unit * along + normal * amplitude * (1 if k % 2 else -1))
    points += [end - unit * margin, end]
    return Path(np.array(points))


def tie_ends(direction: str, angle: float) -> tuple[np.ndarray, np.ndarray]:
    """Start and end of a tie's line at ``angle``; single arrow heads sit at the end.

    Support to the client runs from the node to the client's edge; support from the client
    runs outwards; mutual support runs outwards too but has a head at both ends.
    """
    unit = np.array([math.cos(angle), math.sin(angle)])
    inner, outer = unit * CENTRE, unit * (RING - NODE)
    return (outer, inner) if direction == "to_client" else (inner, outer)


def _tie_patch(tie: pd.Series, angle: float, number: int) -> FancyArrowPatch:
    """One tie as one arrow patch between the client's edge and the node's edge."""
    start, end = tie_ends(str(tie["direction"]), angle)
    width, style, colour = LINES[str(tie["strength"])]
    path = _zigzag(start, end) if tie["strength"] == "stressful" else Path(np.array([start, end]))
    return FancyArrowPatch(
        path=path,
        arrowstyle=ARROWS[str(tie["direction"])],
        mutation_scale=14,
        linewidth=width,
        linestyle=style,
        color=colour,
        zorder=1,
        gid=f"tie-{number}",
    )


def _wrap(label: str, lang: Lang) -> str:
    return "\n".join(textwrap.wrap(label, 6 if lang == "zh" else 11)) or label


def _legend(ax: Axes, lang: Lang) -> None:
    type_handles = [
        Patch(
            facecolor=TYPE_COLOURS[t],
            edgecolor="#444444",
            label=text(f"widgets.ecomap.tie_type.{t}", lang),
        )
        for t in TIE_TYPES
    ]
    line_handles = [
        Line2D(
            [0],
            [0],
            linewidth=LINES[s][0],
            linestyle=LINES[s][1],
            color=LINES[s][2],
            label=text(f"widgets.ecomap.strength.{s}", lang),
        )
        for s in STRENGTHS
    ]
    first = ax.legend(
        handles=type_handles,
        title=text("widgets.ecomap.legend_type", lang),
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )
    ax.add_artist(first)
    ax.legend(
        handles=line_handles,
        title=text("widgets.ecomap.legend_strength", lang),
        loc="upper left",
        bbox_to_anchor=(1.0, 0.62),
        frameon=False,
        handlelength=3,
    )


def draw_ecomap(
    ties: pd.DataFrame,
    lang: Lang = "zh",
    client_label: str | None = None,
    ax: Axes | None = None,
) -> Figure:
    """Draw one case's ecomap and return its figure (a new one unless ``ax`` is given).

    ``ties`` needs the columns ``who``, ``tie_type``, ``strength`` and ``direction`` (codes as
    in ``case_ties``); an optional ``label`` column replaces the name shown for a tie.
    """
    ties = check_ties(ties)
    use_chinese_font()
    if ax is None:
        fig = NotebookFigure(figsize=(9.5, 6.4), layout="constrained")
        ax = fig.add_subplot()
    else:
        fig = ax.get_figure()  # type: ignore[assignment]
    case = ties["case_id"].iloc[0] if "case_id" in ties.columns and len(ties) else None
    client = client_label or text("widgets.ecomap.client", lang)
    ax.add_patch(
        Circle((0, 0), CENTRE, facecolor=CLIENT_COLOUR, edgecolor="#333333", lw=2, zorder=2)
    )
    ax.text(
        0, 0, _wrap(client, lang), ha="center", va="center", fontsize=11, weight="bold", zorder=3
    )
    count = len(ties)
    for k, (_, tie) in enumerate(ties.iterrows()):
        angle = math.pi / 2 - 2 * math.pi * k / max(count, 1)
        centre = (RING * math.cos(angle), RING * math.sin(angle))
        ax.add_patch(_tie_patch(tie, angle, int(tie.get("tie_no", k + 1))))
        node = Circle(
            centre,
            NODE,
            facecolor=TYPE_COLOURS[str(tie["tie_type"])],
            edgecolor="#444444",
            zorder=2,
        )
        ax.add_patch(node)
        label = (
            tie["label"]
            if "label" in ties.columns and pd.notna(tie["label"])
            else who_label(tie["who"], lang)
        )
        size = 8 if lang == "zh" and len(str(label)) > 5 else 9  # six characters fill a node
        ax.text(*centre, _wrap(str(label), lang), ha="center", va="center", fontsize=size, zorder=3)
    if count == 0:
        ax.text(0, -0.6, text("widgets.ecomap.no_ties", lang), ha="center", fontsize=11)
    title = (
        text("widgets.ecomap.title_case", lang, case=case)
        if case
        else text("widgets.ecomap.title", lang)
    )
    ax.set_title(title, fontsize=13)
    ax.set_xlim(-1.35, 1.35)
    ax.set_ylim(-1.35, 1.35)
    ax.set_aspect("equal")
    ax.axis("off")
    _legend(ax, lang)
    note = textwrap.fill(text("widgets.ecomap.direction_note", lang), 40 if lang == "zh" else 70)
    ax.text(0, -1.5, note, ha="center", va="top", fontsize=8.5, color="#333333")
    return fig


def figure_output(fig: Figure, alt: str) -> dict[str, object]:
    """A figure as one ``display_data`` output (PNG + alt text) for an ``Output`` widget."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    png = base64.b64encode(buffer.getvalue()).decode("ascii")
    return {
        "output_type": "display_data",
        "data": {"image/png": png, "text/plain": alt},
        "metadata": {},
    }


class EcomapViewer(w.VBox):
    """Choose a case from a drop-down; the output redraws its ecomap (displays itself)."""

    def __init__(
        self,
        case_ids: Sequence[str] | None = None,
        lang: Lang = "zh",
        ties: pd.DataFrame | None = None,
    ) -> None:
        if ties is None:
            from shegong.datasets import load

            ties = load("case_ties")
        if "case_id" not in ties.columns:
            raise EcomapError("widgets.ecomap.error_columns", missing="case_id", required="case_id")
        self.ties = ties
        self.lang: Lang = lang
        self.figure: Figure | None = None
        ids = list(dict.fromkeys(ties["case_id"])) if case_ids is None else list(case_ids)
        self.dropdown = w.Dropdown(
            options=ids, value=None, description=text("widgets.ecomap.case_label", lang)
        )
        self.output = w.Output()
        self.dropdown.observe(lambda change: self._draw(change["new"]), names="value")
        super().__init__([self.dropdown, self.output])
        if ids:
            self.dropdown.value = ids[0]

    @property
    def case_id(self) -> str | None:
        """The case shown now."""
        return self.dropdown.value

    def select(self, case_id: str) -> Figure:
        """Show another case (as choosing it in the drop-down does) and return its figure."""
        if case_id not in self.dropdown.options:
            raise EcomapError("widgets.ecomap.error_case", case=case_id)
        self.dropdown.value = case_id
        assert self.figure is not None  # set by the observer just above
        return self.figure

    def _draw(self, case_id: str | None) -> None:
        if case_id is None:
            self.output.outputs = ()
            return
        rows = self.ties[self.ties["case_id"] == case_id]
        self.figure = draw_ecomap(rows, lang=self.lang)
        alt = text("widgets.ecomap.title_case", self.lang, case=case_id)
        self.output.outputs = (figure_output(self.figure, alt),)
