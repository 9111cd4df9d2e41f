"""A matplotlib ``Figure`` as plain data, and the figure redrawn from it for the checks.

Part of the snapshot passed from the answer kernel to the checker kernel (``snapshot``), with
the same threat model: the description is written where trainee code could rewrite it, so it
holds only numbers and capped strings, and ``draw`` builds a new figure from those with
matplotlib's own artists; nothing in it is code or a pickled object.

What a check can read on the redrawn figure, per axes: the title, axis labels, limits, tick
positions and labels on both axes; bars and histogram bins (rectangles), pie wedges, lines
(with their labels), scatter points, text annotations and the legend's entries; and the
figure's ``suptitle``. Colours, styles and fonts are not kept: checks ask about content.
"""

from __future__ import annotations

import math
from typing import Any

MAX_AXES = 20
MAX_LINES = 50
MAX_POINTS = 10_000
MAX_COLLECTIONS = 20
MAX_TEXTS = 200
MAX_LABEL = 500


def numbers(values: Any, limit: int = MAX_POINTS) -> list[float]:
    """Finite floats (others as 0.0), at most ``limit``."""
    out: list[float] = []
    for value in list(values)[:limit]:
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = 0.0
        out.append(number if math.isfinite(number) else 0.0)
    return out


def _label(value: Any) -> str:
    return str(value)[:MAX_LABEL]


def _texts(items: Any) -> list[str]:
    return [_label(t.get_text()) for t in list(items)[:MAX_TEXTS]]


def _points(ax: Any) -> list[list[list[float]]]:
    found = []
    for collection in list(ax.collections)[:MAX_COLLECTIONS]:
        offsets = collection.get_offsets()
        found.append([numbers(row, 2) for row in list(offsets)[:MAX_POINTS] if len(row) == 2])
    return found


def _axes(ax: Any) -> dict[str, Any]:
    from matplotlib.patches import Rectangle, Wedge

    patches = list(ax.patches)[:MAX_POINTS]
    legend = ax.get_legend()
    return {
        "title": _label(ax.get_title()),
        "xlabel": _label(ax.get_xlabel()),
        "ylabel": _label(ax.get_ylabel()),
        "xlim": numbers(ax.get_xlim(), 2),
        "ylim": numbers(ax.get_ylim(), 2),
        "xticks": numbers(ax.get_xticks()),
        "xticklabels": _texts(ax.get_xticklabels()),
        "yticks": numbers(ax.get_yticks()),
        "yticklabels": _texts(ax.get_yticklabels()),
        "bars": [
            numbers([p.get_x(), p.get_y(), p.get_width(), p.get_height()])
            for p in patches
            if isinstance(p, Rectangle)
        ],
        "wedges": [
            numbers([p.theta1, p.theta2, p.r, *p.center]) for p in patches if isinstance(p, Wedge)
        ],
        "lines": [
            [numbers(line.get_xdata()), numbers(line.get_ydata()), _label(line.get_label())]
            for line in list(ax.get_lines())[:MAX_LINES]
        ],
        "points": _points(ax),
        "texts": [
            [*numbers(t.get_position(), 2), _label(t.get_text())]
            for t in list(ax.texts)[:MAX_TEXTS]
        ],
        "legend": _texts(legend.get_texts()) if legend is not None else [],
    }


def describe(fig: Any) -> dict[str, Any]:
    """The figure's content as JSON-ready data (capped)."""
    suptitle = getattr(fig, "_suptitle", None)
    return {
        "suptitle": _label(suptitle.get_text()) if suptitle is not None else "",
        "axes": [_axes(ax) for ax in list(fig.axes)[:MAX_AXES]],
    }


def _pairs(spec: dict[str, Any], ticks: str, labels: str) -> tuple[list[float], list[str]]:
    found, names = list(spec.get(ticks, [])), [str(n) for n in spec.get(labels, [])]
    return numbers(found), names


def _draw_axes(ax: Any, spec: dict[str, Any]) -> None:
    from matplotlib.patches import Rectangle, Wedge

    for x, y, width, height in (numbers(b, 4) for b in spec.get("bars", [])):
        ax.add_patch(Rectangle((x, y), width, height))
    for wedge in spec.get("wedges", []):
        theta1, theta2, r, cx, cy = numbers(wedge, 5)
        ax.add_patch(Wedge((cx, cy), r, theta1, theta2))
    for line in spec.get("lines", []):
        xs, ys = numbers(line[0]), numbers(line[1])
        label = str(line[2]) if len(line) > 2 else ""
        ax.plot(xs, ys, label=label)
    for points in spec.get("points", []):
        pairs = [numbers(p, 2) for p in points if len(p) == 2]
        ax.scatter([p[0] for p in pairs], [p[1] for p in pairs])
    for text in spec.get("texts", []):
        if len(text) == 3:
            x, y = numbers(text[:2], 2)
            ax.text(x, y, str(text[2]))
    for ticks, labels, setter in (
        ("xticks", "xticklabels", ax.set_xticks),
        ("yticks", "yticklabels", ax.set_yticks),
    ):
        positions, names = _pairs(spec, ticks, labels)
        if positions and len(positions) == len(names):
            setter(positions, names)
    for limits, setter in (("xlim", ax.set_xlim), ("ylim", ax.set_ylim)):
        values = numbers(spec.get(limits, []), 2)
        if len(values) == 2 and values[0] != values[1]:
            setter(*values)
    if spec.get("legend"):
        ax.legend([str(t) for t in spec["legend"]])
    ax.set_title(str(spec.get("title", "")))
    ax.set_xlabel(str(spec.get("xlabel", "")))
    ax.set_ylabel(str(spec.get("ylabel", "")))


def draw(description: dict[str, Any]) -> Any:
    """A new Figure with the described content (what the checks read)."""
    from matplotlib.figure import Figure

    fig = Figure()
    axes = [a for a in list(description.get("axes", []))[:MAX_AXES] if isinstance(a, dict)]
    for number, spec in enumerate(axes, start=1):
        _draw_axes(fig.add_subplot(len(axes), 1, number), spec)
    if description.get("suptitle"):
        fig.suptitle(str(description["suptitle"]))
    return fig
