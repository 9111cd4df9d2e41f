"""Numbers typed into a form: ASCII digits only, with full-width digits converted explicitly.

Python's ``int`` and ``float`` accept far more than a person means: ``int("4_0")`` is 40,
and any Unicode decimal digit counts (``int("४०")`` is 40, Devanagari). A form should not
guess. Chinese input methods in full-width mode type ``０-９``, ``．`` and ``－``; those are
converted to ASCII on purpose (the field then shows the ASCII value). Everything else that
is not ``[+-]?digits[.digits]`` is refused with the field's own bilingual error.
"""

from __future__ import annotations

import re

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
WHOLE = re.compile(r"[+-]?[0-9]+")
DECIMAL = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")


def ascii_number(text: str) -> str:
    """``text`` with full-width digits, point and signs made ASCII (nothing else changed)."""
    return text.translate(FULL_WIDTH)


def whole_number(text: str) -> int | None:
    """The whole number ``text`` spells in ASCII (after full-width conversion), else None."""
    value = ascii_number(text.strip())
    return int(value) if WHOLE.fullmatch(value) else None


def decimal_number(text: str) -> float | None:
    """The decimal number ``text`` spells (``12.5``; ``，`` as the point too), else None."""
    value = ascii_number(text.strip()).replace("，", ".")
    return float(value) if DECIMAL.fullmatch(value) else None
