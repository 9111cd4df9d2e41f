"""Group work stages (MZ/T 095-2017), completer and dropout rules, and coded labels."""

from __future__ import annotations

import math

from shegong.datasets.card import card
from shegong.errors import ShegongError
from shegong.messages import Lang, text

STAGES = ("preparation", "formation", "transition", "maturity", "termination")


COMPLETER_SHARE = 0.75


DROPOUT_BEFORE = 3


class GroupworkError(ShegongError):
    """A target, group or session the group-work helpers cannot use."""


def labels(table: str, column: str, lang: Lang = "zh") -> dict[str, str]:
    """Display names of a coded column from the data card, e.g. ``admitted`` -> 入组."""
    choices = card().tables[table].column(column).choices
    side = 0 if lang == "zh" else 1
    return {code: [*name.split(" / ", 1), name][side] for code, name in choices.items()}


def stage_label(stage: str, lang: Lang = "zh") -> str:
    """The name of a group stage (MZ/T 095-2017), e.g. ``transition`` -> 转折期."""
    return text(f"groupwork.stage.{stage}", lang)


def stage_of(session_no: int, planned: int) -> str:
    """The stage of session ``session_no`` of ``planned``: 1 formation, the last termination,
    up to ceil(planned / 3) + 1 transition, the rest maturity (the data card's rule)."""
    if session_no == 1:
        return "formation"
    if session_no == planned:
        return "termination"
    return "transition" if session_no <= math.ceil(planned / 3) + 1 else "maturity"
