"""Do charts render Chinese glyphs (no tofu boxes)?"""

from __future__ import annotations

import io
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

from shegong.fonts import use_chinese_font


def _draw_chinese_chart() -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig, ax = plt.subplots()
        ax.bar(["社会救助", "老幼关爱", "社区治理"], [93, 339, 12])
        ax.set_title("各项服务人次（模拟）")
        ax.set_ylabel("人次")
        fig.savefig(io.BytesIO(), format="png")
        plt.close(fig)
    return [
        str(w.message)
        for w in caught
        if "missing from font" in str(w.message) or "Glyph" in str(w.message)
    ]


def test_chinese_chart_has_no_missing_glyphs() -> None:
    """With the project's font helper, does a Chinese-labelled chart draw every glyph?"""
    family = use_chinese_font()
    assert "CJK" in family or "WenQuanYi" in family
    assert _draw_chinese_chart() == []


def test_default_font_would_show_tofu() -> None:
    """Is the check real: does matplotlib's default font warn about missing Chinese glyphs?"""
    with matplotlib.rc_context({"font.family": "sans-serif", "font.sans-serif": ["DejaVu Sans"]}):
        assert _draw_chinese_chart() != []
