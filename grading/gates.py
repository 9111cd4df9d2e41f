"""Safety minimums 安全底线: questions an assignment cannot be passed without.

A master names them in its header (``safety_gates: [self_harm_flag_test, next_step_test]``):
autograded test cells that check a risk is seen (PHQ-9 item 9 above 0 is a self-harm flag)
and acted on the same day (start the safety protocol, tell the supervisor). ``verdict`` reads
one submission's scores:

- a gate below full marks is a fail whatever the total, and says which question it was;
- otherwise, once every answer has its grade, the total at ``pass_percent`` of the maximum
  or more is a pass;
- a submission still waiting for a written grade has no verdict yet (None), and neither has
  one whose run was not scored as it should be (``SCORED``: a timed-out or crashed kernel,
  a forged run; its status says why and the supervisor decides).

``masters.validate`` checks that each gate is an autograded test cell of the master.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from shegong.grading.model import AssignmentInfo, Status

SCORED = frozenset({Status.GRADED, Status.REPAIRED, Status.CELLS_RESTORED, Status.SUSPICIOUS})


@dataclass(frozen=True)
class Verdict:
    """Passed (True / False, None while answers wait for a grade) and the gates missed."""

    missed: tuple[str, ...]
    passed: bool | None


def verdict(
    info: AssignmentInfo,
    scores: Mapping[str, tuple[float, float]],
    *,
    complete: bool,
    status: Status = Status.GRADED,
) -> Verdict:
    """The verdict on one submission from its ``{grade_id: (score, max_score)}``.

    A gate with no grade at all (the cell was lost) counts as missed: a safety minimum is
    never assumed met.
    """
    if status not in SCORED:
        return Verdict((), None)
    missed = tuple(
        gate
        for gate in info.safety_gates
        if gate not in scores or scores[gate][0] < scores[gate][1]
    )
    if missed:
        return Verdict(missed, False)
    if not complete:
        return Verdict((), None)
    total = sum(score for score, _ in scores.values())
    maximum = sum(top for _, top in scores.values())
    return Verdict((), maximum > 0 and 100 * total >= info.pass_percent * maximum)
