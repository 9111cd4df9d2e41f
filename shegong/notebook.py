"""The first cell of every built lesson: ``LANG = start("zh")``.

Sets the Chinese font for charts and readable pandas display, and returns the language so
lessons can choose labels: ``{"zh": "人次", "en": "person-times"}[LANG]``.
"""

from __future__ import annotations

from shegong.fonts import use_chinese_font
from shegong.messages import LANGS, Lang


def start(lang: str = "zh") -> Lang:
    """Prepare a lesson notebook for ``lang`` and return it."""
    import pandas as pd

    if lang not in LANGS:
        raise ValueError(f"lang must be one of {LANGS}")
    use_chinese_font()
    import matplotlib as mpl

    # Room for long Chinese tick labels and titles without per-chart layout calls.
    mpl.rcParams["figure.constrained_layout.use"] = True
    pd.set_option("display.max_columns", 30)
    pd.set_option("display.width", 160)
    pd.set_option("display.unicode.east_asian_width", True)
    return "zh" if lang == "zh" else "en"
