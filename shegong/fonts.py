"""Chinese glyphs in matplotlib: one helper, no per-lesson font boilerplate.

matplotlib's default DejaVu Sans has no CJK glyphs, so Chinese labels become tofu boxes.
The project installs Debian's ``fonts-noto-cjk`` (and the small ``fonts-wqy-microhei`` as a
fallback) through ``make system-deps``; ``use_chinese_font`` finds one of them, refreshing
matplotlib's font cache once if the font was installed after the cache was built.
"""

from __future__ import annotations

from functools import cache

from shegong.errors import ShegongError

# Preferred first. Noto Sans CJK SC has Simplified Chinese glyph shapes.
CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "WenQuanYi Micro Hei",
    "Noto Sans CJK JP",
)


def _installed_families() -> set[str]:
    from matplotlib import font_manager

    return {font.name for font in font_manager.fontManager.ttflist}


def _refresh_font_cache() -> None:
    """Register CJK fonts installed after matplotlib's font cache was built."""
    from matplotlib import font_manager

    for path in font_manager.findSystemFonts():
        if any(mark in path for mark in ("CJK", "wqy", "SourceHan")):
            font_manager.fontManager.addfont(path)


@cache
def chinese_font_family() -> str:
    """The name of an installed CJK font family; refreshes matplotlib's cache once if needed."""
    for attempt in range(2):
        families = _installed_families()
        for family in CJK_FAMILIES:
            if family in families:
                return family
        if attempt == 0:
            _refresh_font_cache()
    raise ShegongError("error.no_cjk_font", families=", ".join(CJK_FAMILIES))


def use_chinese_font() -> str:
    """Make matplotlib draw Chinese text; returns the font family chosen."""
    import matplotlib as mpl

    family = chinese_font_family()
    mpl.rcParams["font.family"] = "sans-serif"
    mpl.rcParams["font.sans-serif"] = [family, "DejaVu Sans"]
    # The CJK fonts lack U+2212 MINUS SIGN in some builds; use ASCII hyphen-minus on axes.
    mpl.rcParams["axes.unicode_minus"] = False
    return family
