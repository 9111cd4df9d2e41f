"""Does every assignment prove itself: full marks for the solution, the minimum for a blank
release, and what a grader would give for realistic wrong answers, in either language?

All submissions of the module are graded by ``shegong.grading.autograde`` (parallel,
sandboxed) once, in one workspace; a second workspace with another seed shows the hidden
tests follow the data rather than one world.
"""

from __future__ import annotations

import dataclasses
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pytest
from grading_support import TIMESTAMP, course_at, handout, release_nb, source_nb, submitted

from shegong.grading import manual, masters, simulate
from shegong.grading.autograde import autograde
from shegong.grading.context import GradingContext
from shegong.grading.model import Status

# Realistic wrong answers, one per scenario: {grade_id: the trainee's cell}, and the
# autograded score a grader would give (the tests that check those answers fail).
WRONG: dict[str, dict[str, tuple[dict[str, str], float]]] = {
    "data-basics": {
        # counted rows instead of adding person-times; the chart draws the wrong totals too
        "counts_rows": ({"by_service": 'by_service = ledger["service"].value_counts()'}, 11.0),
        # forgot to sort the table (the busiest station is still found correctly)
        "unsorted": (
            {
                "station_table": (
                    'station_table = ledger.groupby("station_id").agg(entries=("entry_id", '
                    '"size"), person_times=("person_times", "sum")).reset_index().merge('
                    'stations[["station_id", "name_zh"]], on="station_id")'
                    '.sort_values("station_id")'
                ),
                "top_station": (
                    "top_station = station_table.loc["
                    'station_table["person_times"].idxmax(), "name_zh"]'
                ),
            },
            13.0,
        ),
        # a chart with neither title nor axis label
        "bare_chart": (
            {
                "chart": (
                    "import matplotlib.pyplot as plt\n"
                    "fig, ax = plt.subplots()\nax.bar(by_service.index, by_service.values)"
                )
            },
            14.0,
        ),
        # read the wrong row of the table
        "wrong_choice": ({"most_common_contact": 'most_common_contact = "phone"'}, 14.0),
    },
    "casework": {
        # underestimated the risk by one level
        "underestimated_risk": (
            {
                "risk_level": (
                    'if self_harm_flag or phq9_total >= 20:\n    risk_level = "medium"\n'
                    'elif phq9_total >= 10:\n    risk_level = "low"\n'
                    'else:\n    risk_level = "medium"'
                )
            },
            11.0,
        ),
        # went on with the plan instead of starting the safety protocol or referring
        "skipped_protocol": (
            {"next_step": 'next_step = "c" if (self_harm_flag or phq9_total >= 10) else "b"'},
            11.0,
        ),
        # one point out when adding up
        "total_off_by_one": (
            {
                "phq9_total": 'phq9_answers = list(answers_table["answer"])\n'
                "phq9_total = sum(phq9_answers) + 1"
            },
            12.0,
        ),
    },
    "groupwork": {
        # wrote that the group caused the change (a pre/post test cannot show it)
        "overclaimed": (
            {
                "reading": (
                    "_r = paired_test(paired['pre'], paired['post'], "
                    "INSTRUMENTS[group['outcome_instrument']].higher_is_worse)\n"
                    'reading = "caused" if _r.mean_improvement > 0 else "no"'
                )
            },
            10.0,
        ),
        # averaged the pre-test instead of the improvement
        "mean_of_pre": (
            {
                "mean_improvement": (
                    'paired = paired_scores(my_measures, ["group_id", "resident_id"])\n'
                    'mean_improvement = float(paired["pre"].mean())'
                )
            },
            11.0,
        ),
    },
    "community": {
        # scored only the first need
        "first_need_only": (
            {
                "need_scores": (
                    'need_scores = (mine["need_1"].value_counts() * 3).sort_values(ascending=False)'
                )
            },
            11.0,
        ),
        # kept respondents with no skill
        "skills_with_none": (
            {"skills": 'skills = mine[mine["willing_to_volunteer"]]["skill"].value_counts()'},
            11.0,
        ),
        "wrong_party": ({"linkage_party": 'linkage_party = "social_org"'}, 12.0),
    },
    "fields": {
        # promised the child secrecy instead of reporting the same day (the safety minimum)
        "promised_secrecy": ({"report_step": 'report_step = "b"'}, 10.0),
        # took the first row of the village list instead of applying the rule
        "first_row_not_rule": ({"first_call": 'first_call = roll["resident_id"].iloc[0]'}, 10.0),
        # counted only households just above the dibao line, forgetting dibao recipients
        "edge_only": (
            {
                "assistance_no_case": (
                    '_edge = roll["resident_id"].map(people["dibao_edge"])\n'
                    'assistance_no_case = int((_edge & ~roll["open_case"]).sum())'
                )
            },
            11.0,
        ),
        # read the Barthel total one band too low
        "band_too_low": ({"elder_band": 'elder_band = "c"'}, 10.0),
    },
    "practice": {
        # promised to keep the marks secret: misses the safety minimum
        "kept_secret": ({"crisis_step": 'crisis_step = "a"'}, 9.0),
        # sent the lonely elder to the civil affairs office, as for money problems
        "referred_for_money": (
            {"refer_to": 'refer_to = directory[directory["code"] == "civil_affairs"].iloc[0, 0]'},
            9.0,
        ),
        # handed the cadre the process records as well
        "shared_records": ({"can_share": 'can_share = {"a", "b", "c", "f"}'}, 10.0),
        # visited in list order, not by priority
        "list_order": ({"first_visit": "first_visit = str(visits.index[0])"}, 10.0),
    },
}
ASSIGNMENTS = tuple(WRONG)


@dataclass(frozen=True)
class Graded:
    course: GradingContext
    scores: dict[tuple[str, str], tuple[Status, float, float]]


def _auto_max(assignment: str) -> float:
    nb = masters.read_master(masters.find(assignment).master)
    from shegong.grading import cells

    return sum(c.points for c in cells.graded_cells(nb) if c.kind == "test")


def _submit_all(course: GradingContext, assignment: str, wrong: bool, english: bool) -> None:
    release = release_nb(course, assignment)
    source = source_nb(course, assignment)
    solved = simulate.answered(release, source)
    subs = {"solution": solved, "blank": release}
    if english:
        english_release = nbformat.read(handout(course, "en", assignment), as_version=4)
        subs["solution_en"] = simulate.answered(english_release, source)
    if wrong:
        for name, (answers, _) in WRONG[assignment].items():
            subs[name] = simulate.with_answers(solved, answers)
    for name, nb in subs.items():
        simulate.write_submission(nb, submitted(course, name, assignment), assignment, TIMESTAMP)


def _grade(course: GradingContext, wrong: bool, english: bool) -> Graded:
    scores = {}
    for assignment in ASSIGNMENTS:
        _submit_all(course, assignment, wrong, english)
        report = autograde(course, assignment)
        for r in report.results:
            scores[(assignment, r.student)] = (r.status, r.auto_score, r.auto_max)
    return Graded(course, scores)


@pytest.fixture(scope="module")
def graded(clone: Callable[..., GradingContext]) -> Graded:
    """Every assignment: solution, English solution, blank and wrong answers, graded."""
    return _grade(clone("proofs"), wrong=True, english=True)


@pytest.fixture(scope="module")
def other_seed(tmp_path_factory: pytest.TempPathFactory, template: Path) -> Graded:
    """The solutions again in a world generated with another seed (7)."""
    home = tmp_path_factory.mktemp("seed7")
    shutil.copytree(template, home, symlinks=True, dirs_exist_ok=True)
    (home / "data" / "county-seed2022").unlink()
    course = course_at(home)
    course = GradingContext(
        dataclasses.replace(course.settings, seed=7), course.options, course.paths
    )
    return _grade(course, wrong=False, english=False)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solution_scores_full_marks(graded: Graded, assignment: str) -> None:
    """Does the master's solution earn every autograded point, and full marks once the
    written answer gets the rubric's top levels?"""
    state, score, maximum = graded.scores[(assignment, "solution")]
    assert state is Status.GRADED
    assert score == _auto_max(assignment) and maximum == 20
    course = graded.course
    rubric = masters.load_assignment_rubric(masters.find(assignment))
    total = score
    for cell in rubric.cells:
        top = {c.id: c.max_points for c in rubric.for_cell(cell)}
        grade = manual.RubricGrade(assignment, "solution", cell, top, grader="test")
        total += manual.apply(course, rubric, grade)
    assert total == 20


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_english_edition_grades_identically(graded: Graded, assignment: str) -> None:
    """Does the English edition's solution score exactly what the Chinese one does?"""
    assert graded.scores[(assignment, "solution_en")] == graded.scores[(assignment, "solution")]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_blank_release_runs_and_scores_zero(graded: Graded, assignment: str) -> None:
    """Does the release as handed out run to the end and score the minimum, 0?"""
    state, score, _ = graded.scores[(assignment, "blank")]
    assert state is Status.GRADED and score == 0


@pytest.mark.parametrize(
    ("assignment", "scenario"), [(a, s) for a, cases in WRONG.items() for s in cases]
)
def test_realistic_wrong_answers_score_what_a_grader_would_give(
    graded: Graded, assignment: str, scenario: str
) -> None:
    """Does each realistic mistake lose exactly the points of the question it gets wrong?"""
    state, score, _ = graded.scores[(assignment, scenario)]
    assert state is Status.GRADED
    assert score == WRONG[assignment][scenario][1]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_tests_follow_the_data_not_one_seed(other_seed: Graded, assignment: str) -> None:
    """With a world from another seed, does the solution still earn every autograded point?"""
    state, score, _ = other_seed.scores[(assignment, "solution")]
    assert state is Status.GRADED and score == _auto_max(assignment)
