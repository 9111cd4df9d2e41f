"""Practice skills 实务技能: vignettes, a service directory, forms and checklists from the county.

The practice course is taught mostly without code. Its lessons and its assignment load the
simulated county once (``practice_world()``) and build, from the same tables every seed
generates differently, what a station worker meets on a working day:

- ``pick_case`` / ``vignette``: one case by a stated rule, told as a short vignette that names
  the client by pseudonym only (``廖某``), with age, village, household and roster flags;
- ``visit_list`` / ``visit_order``: residents of one village to visit, in the course's order of
  priority (a rule of this course, not a standard);
- ``service_directory``: the organisations a township worker can refer to: the station and its
  village rooms, the county general station, the operating agency and its supervisors, the
  incubated community organisations and volunteer teams, and the public offices every
  township has (named by role, with no invented telephone numbers);
- ``referral_for``: the directory entry that fits a case's main need; ``referral_form``: a
  referral form with what is known filled in and the rest left to write;
- ``checklist`` and ``record_template``: observation checklists for role play and record
  templates (process, summary, home visit), in Chinese or English.

The parts: ``world`` (the tables, vignettes, visit lists), ``directory`` (the service
directory and referral) and ``forms`` (checklists, templates, open cases, skills). Every name
is importable from here.
"""

from __future__ import annotations

from shegong.datasets.toolkits.practice.directory import (
    NEED_TO,
    PUBLIC,
    REFERRAL_FIELDS,
    referral_for,
    referral_form,
    service_directory,
)
from shegong.datasets.toolkits.practice.forms import (
    CHECKLISTS,
    SKILLS,
    TEMPLATES,
    checklist,
    open_load,
    record_template,
    skill_code,
)
from shegong.datasets.toolkits.practice.world import (
    BLANK,
    FLAGS,
    TABLES,
    PracticeError,
    Vignette,
    World,
    pick_case,
    practice_world,
    roster_flags,
    vignette,
    visit_list,
    visit_order,
    visit_points,
)

__all__ = [
    "BLANK",
    "CHECKLISTS",
    "FLAGS",
    "NEED_TO",
    "PUBLIC",
    "REFERRAL_FIELDS",
    "SKILLS",
    "TABLES",
    "TEMPLATES",
    "PracticeError",
    "Vignette",
    "World",
    "checklist",
    "open_load",
    "pick_case",
    "practice_world",
    "record_template",
    "referral_for",
    "referral_form",
    "roster_flags",
    "service_directory",
    "skill_code",
    "vignette",
    "visit_list",
    "visit_order",
    "visit_points",
]
