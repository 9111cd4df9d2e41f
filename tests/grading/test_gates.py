"""Safety minimums decide a pass before the total does (``shegong.grading.gates``)."""

from __future__ import annotations

import dataclasses

from shegong.grading import gates, masters
from shegong.grading.model import Status

CASEWORK = masters.find("casework")
FULL = {
    "phq9_total_test": (4.0, 4.0),
    "self_harm_flag_test": (2.0, 2.0),
    "next_step_test": (3.0, 3.0),
}


def test_the_casework_master_names_its_two_safety_minimums() -> None:
    assert CASEWORK.safety_gates == ("self_harm_flag_test", "next_step_test")
    assert CASEWORK.pass_percent == 60


def test_all_gates_met_and_enough_points_passes() -> None:
    assert gates.verdict(CASEWORK, FULL, complete=True) == gates.Verdict((), True)
    low = {**FULL, "plan": (0.0, 11.0)}  # 9 of 20: below 60 %
    assert gates.verdict(CASEWORK, low, complete=True) == gates.Verdict((), False)


def test_a_missed_gate_fails_at_once_even_with_answers_still_waiting() -> None:
    scores = {**FULL, "self_harm_flag_test": (0.0, 2.0), "plan": (0.0, 6.0)}
    assert gates.verdict(CASEWORK, scores, complete=False) == gates.Verdict(
        ("self_harm_flag_test",), False
    )


def test_a_gate_with_no_grade_at_all_is_never_assumed_met() -> None:
    scores = {k: v for k, v in FULL.items() if k != "next_step_test"}
    assert gates.verdict(CASEWORK, scores, complete=True).missed == ("next_step_test",)


def test_no_verdict_while_written_answers_wait_or_when_the_run_was_not_scored() -> None:
    assert gates.verdict(CASEWORK, FULL, complete=False).passed is None
    for status in (Status.TIMED_OUT, Status.KERNEL_DIED, Status.TAMPERED):
        assert gates.verdict(CASEWORK, FULL, complete=True, status=status) == gates.Verdict(
            (), None
        )


def test_an_assignment_without_gates_passes_on_points_alone() -> None:
    plain = dataclasses.replace(CASEWORK, safety_gates=())
    scores = {**FULL, "next_step_test": (0.0, 3.0)}
    assert gates.verdict(plain, scores, complete=True) == gates.Verdict((), True)
