"""Good-practice rules the clean world follows (the messy world breaks some on purpose).

- Instruments fit the age of the person who answers them (``AGE_FIT``, ages in whole years
  on the day of the measure): the SDQ self-report is for ages 11-17 (Goodman 1997/2001), the
  Rosenberg scale for adolescents and adults, the PHQ-9 for adults and adolescents from 13
  (Richardson 2010), the GDS for older people, and so on. The Family APGAR of a young child
  is answered by the caregiver, so it has no lower bound.
- Referral sources are plausible for the client: a school refers only school-age children
  (6 or older at intake); nobody else is "referred by a school".
- A flagged measure (PHQ-9 item 9 and the other safety flags) gets a contact the same day or
  the next, recorded in the ledger (``FOLLOW_UP_DAYS``).
- Closure agrees with the goal ratings: "goals met" only when every goal is rated at the
  expected level or better (GAS T-score at least 50); a referral after evaluation comes with
  goals below expectations (T-score under 50).
"""

from __future__ import annotations

import numpy as np

# instrument -> (youngest, oldest) age in whole years on the day of the measure [A] from the
# instruments' published target groups.
AGE_FIT: dict[str, tuple[int, int]] = {
    "sdq": (11, 17),  # self-report version
    "rses": (12, 120),
    "phq9": (13, 120),
    "gad7": (13, 120),
    "k10": (16, 120),
    "who5": (9, 120),
    "ssrs": (16, 120),
    "ucla3": (18, 120),
    "gds15": (55, 120),
    "barthel": (16, 120),
    "iadl": (16, 120),
    "zbi22": (18, 120),
    "apgar": (0, 120),  # a young child's caregiver answers about the family
}
SCHOOL_AGE = 6  # a school refers only children of this age or older at intake
FOLLOW_UP_DAYS = 1  # a flagged measure's contact comes the same day or the next


def age_on(born: np.ndarray, day: np.ndarray) -> np.ndarray:
    """Whole years from ``born`` to ``day`` (``datetime64[D]``); a birthday counts only once
    it has passed by a quarter day a year, so the age is never more than the calendar's."""
    return np.floor((day - born).astype(np.int64) / 365.25).astype(np.int64)


def fits_age(instrument: np.ndarray, age: np.ndarray) -> np.ndarray:
    """Whether each instrument fits the age of its respondent."""
    low = np.array([AGE_FIT[str(i)][0] for i in instrument], dtype=np.int64)
    high = np.array([AGE_FIT[str(i)][1] for i in instrument], dtype=np.int64)
    return (age >= low) & (age <= high)
