"""Group work 小组工作 analysis for the group-work course: candidates, attendance, outcomes.

The tables are the generated ``groups``, ``group_members``, ``group_sessions``,
``group_attendance`` and ``group_measures`` (and ``residents``, ``cases``, ``case_measures``
to find candidates). Definitions follow MZ/T 095-2017's five stages and the practice
conventions the county uses (not a national standard):

- attendance rate = sessions attended / sessions planned;
- completer = attended at least 75 % of the planned sessions of a finished group;
- dropout = attended nothing after session 2, in a group that has held session 3.

Every function takes tables and returns a new table (or text); nothing is loaded or changed.

The parts: ``stages`` (the five stages, codes and their labels), ``screening`` (finding
and screening candidates), ``sessions`` (plans, attendance, the session chart) and ``results``
(outcomes, follow-up, the file check and the reports). Every name is importable from here.
"""

from __future__ import annotations

from shegong.datasets.toolkits.groupwork.results import (
    dz_interval,
    file_check,
    follow_up,
    group_outcomes,
    group_summary,
    null_significant,
    pairs_or_empty,
    session_record,
    summary_report,
)
from shegong.datasets.toolkits.groupwork.screening import (
    AGES,
    INDIVIDUAL_FIRST,
    NEED_ORDER,
    SUITS,
    eligible,
    find_candidates,
    latest_measures,
    screening_summary,
    village_reach,
)
from shegong.datasets.toolkits.groupwork.sessions import (
    attendance_trend,
    member_attendance,
    plot_sessions,
    session_overview,
    session_plan,
)
from shegong.datasets.toolkits.groupwork.stages import (
    COMPLETER_SHARE,
    DROPOUT_BEFORE,
    STAGES,
    GroupworkError,
    labels,
    stage_label,
    stage_of,
)

__all__ = [
    "AGES",
    "COMPLETER_SHARE",
    "DROPOUT_BEFORE",
    "INDIVIDUAL_FIRST",
    "NEED_ORDER",
    "STAGES",
    "SUITS",
    "GroupworkError",
    "attendance_trend",
    "dz_interval",
    "eligible",
    "file_check",
    "find_candidates",
    "follow_up",
    "group_outcomes",
    "group_summary",
    "labels",
    "latest_measures",
    "member_attendance",
    "null_significant",
    "pairs_or_empty",
    "plot_sessions",
    "screening_summary",
    "session_overview",
    "session_plan",
    "session_record",
    "stage_label",
    "stage_of",
    "summary_report",
    "village_reach",
]
