"""Community work 社区工作: the tables the community course builds from the station data.

The community course follows the usual process of community work (entering and profiling,
needs assessment, planning, organising, evaluating) and the usual community-work
indicators. Each function takes generated tables (``load("villages")`` ...) and
returns one tidy table with ASCII column ids, so lessons narrate and call:

- ``village_profile``: population, ageing, hollowing and the roster's vulnerable groups.
- ``rank_needs``: first-choice counts and a Borda count over ``need_1`` .. ``need_3``.
- ``asset_table`` / ``station_assets``: an asset inventory (ABCD) per village and per station.
- ``partner_flags`` / ``partner_counts``: the five parties of 五社联动 in activities and ledger.
- ``resource_table``: resources linked per township station against the article's rate.
- ``activity_summary``, ``example_sign_in_sheet``, ``sign_in_indicators``: activity evaluation.
- ``livelihood_table``: income needs, livelihood skills and industry assists per village.
- ``screening_list`` / ``screening_households``: vulnerable people and households to check
  in an emergency, with priorities and follow-up days.

The parts: ``profile`` (villages and their needs), ``assets`` (assets, the five parties,
linked resources, livelihoods), ``activities`` (activity evaluation and sign-in sheets) and
``screening`` (who to check in an emergency). Every name is importable from here.
"""

from __future__ import annotations

from shegong.datasets.toolkits.community.activities import (
    activity_summary,
    example_sign_in_sheet,
    sign_in_indicators,
)
from shegong.datasets.toolkits.community.assets import (
    asset_table,
    livelihood_table,
    partner_counts,
    partner_flags,
    resource_table,
    station_assets,
)
from shegong.datasets.toolkits.community.profile import (
    BORDA_POINTS,
    DAYS_PER_MONTH,
    LIVELIHOOD_SKILLS,
    NEED_COLUMNS,
    NEED_SKILLS,
    ROSTER_FLAGS,
    CommunityError,
    code_labels,
    rank_needs,
    teaching_station,
    village_profile,
)
from shegong.datasets.toolkits.community.screening import (
    FOLLOW_UP_DAYS,
    REASONS,
    priority_label,
    reason_label,
    screening_households,
    screening_list,
)

__all__ = [
    "BORDA_POINTS",
    "DAYS_PER_MONTH",
    "FOLLOW_UP_DAYS",
    "LIVELIHOOD_SKILLS",
    "NEED_COLUMNS",
    "NEED_SKILLS",
    "REASONS",
    "ROSTER_FLAGS",
    "CommunityError",
    "activity_summary",
    "asset_table",
    "code_labels",
    "example_sign_in_sheet",
    "livelihood_table",
    "partner_counts",
    "partner_flags",
    "priority_label",
    "rank_needs",
    "reason_label",
    "resource_table",
    "screening_households",
    "screening_list",
    "sign_in_indicators",
    "station_assets",
    "teaching_station",
    "village_profile",
]
