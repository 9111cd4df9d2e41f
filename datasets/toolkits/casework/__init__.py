"""Case file 个案档案: what the casework course computes from the case tables.

The six stages of MZ/T 094-2017 (接案, 预估, 计划, 介入, 评估, 结案) leave records behind; these
helpers turn the generated tables into what a station worker reads at each stage:

- intake: ``screening_list`` (roster flags such as 低保, 特困, 低保边缘 with screening points);
- assessment: ``answers_of`` and ``compare_items`` (item answers of a measure), and
  ``safety_followups`` (flagged measures and the next recorded contact);
- the client's world: ``ecomap_summary`` (ties per case by strength, direction and type);
- intervention: ``case_timeline`` (stages, contacts and measures of one case, by date) and
  ``caseload`` (open cases per worker on a day); ``stage_durations`` for the whole process;
- evaluation and closure: ``reliable_change_table`` (RCI with cited reliabilities,
  values not yet checked against the papers) and ``case_record`` (a closing summary that
  names the client by pseudonym only).

``code_label`` and ``with_labels`` show codes in Chinese or English using the data card.

The parts follow the stages: ``labels`` (codes in the reader's words, pseudonyms),
``intake`` (roster flags, screening), ``assessment`` (answers, item comparison, safety,
the ecomap, reliable change), ``process`` (stage durations, caseload, a case's timeline) and
``closure`` (the case record). Every name is importable from here.
"""

from __future__ import annotations

from shegong.datasets.toolkits.casework.assessment import (
    RCI_CUT,
    RELIABILITY,
    Reliability,
    answers_of,
    compare_items,
    ecomap_summary,
    reliable_change_table,
    safety_flag_name,
    safety_followups,
)
from shegong.datasets.toolkits.casework.closure import CaseRecord, case_record
from shegong.datasets.toolkits.casework.intake import (
    RESIDENT_FLAGS,
    SCREEN_POINTS,
    flag_names,
    open_on,
    roster_flags,
    screening_list,
)
from shegong.datasets.toolkits.casework.labels import (
    FOLLOW_UP_DAYS,
    PERIOD_END,
    SEP,
    CaseworkError,
    code_label,
    pseudonym,
    with_labels,
)
from shegong.datasets.toolkits.casework.process import case_timeline, caseload, stage_durations

# The six stages and their date columns, as the course reads them beside these helpers.
from shegong.datasets.world.cases import STAGE_DATE_COLUMNS, STAGES

__all__ = [
    "FOLLOW_UP_DAYS",
    "PERIOD_END",
    "RCI_CUT",
    "RELIABILITY",
    "RESIDENT_FLAGS",
    "SCREEN_POINTS",
    "SEP",
    "STAGES",
    "STAGE_DATE_COLUMNS",
    "CaseRecord",
    "CaseworkError",
    "Reliability",
    "answers_of",
    "case_record",
    "case_timeline",
    "caseload",
    "code_label",
    "compare_items",
    "ecomap_summary",
    "flag_names",
    "open_on",
    "pseudonym",
    "reliable_change_table",
    "roster_flags",
    "safety_flag_name",
    "safety_followups",
    "screening_list",
    "stage_durations",
    "with_labels",
]
