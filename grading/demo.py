"""A small graded course for ``shegong demo``, so every app has something to show.

On a workspace without a gradebook: every trainee is enrolled, the four assignments are
released, and three trainees of the first township station hand in the group work
assignment (two with the master's answers, one blank), which is then autograded. The
supervisor then finds written answers waiting in 书面作答评分, the competency form shows the
trainees' scores and the programme overview the station's results. A workspace that already
has a gradebook is left alone: the demo never overwrites real grading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import nbformat

from shegong.grading import masters, roster, simulate
from shegong.grading.autograde import autograde
from shegong.grading.config import CoursePaths, load_options
from shegong.grading.context import GradingContext
from shegong.grading.release import release_assignment
from shegong.settings import Settings

ASSIGNMENT = "groupwork"
TIMESTAMP = "2026-03-02 09:00:00.000000 UTC"


@dataclass(frozen=True)
class DemoCourse:
    released: int
    graded: int


def prepare_demo_course(settings: Settings) -> DemoCourse | None:
    """Enrol, release, hand in and autograde the demo submissions (None: already graded)."""
    paths = CoursePaths.of(settings)
    if paths.gradebook.exists():
        return None
    # The demo grades only notebooks it wrote itself (the master's answers and a blank one),
    # so a root demo in a checkout others cannot enter may run them without a uid to drop to.
    options = replace(load_options(cwd=settings.home), allow_root_kernels=True)
    ctx = GradingContext.open(settings, options)
    roster.enroll(ctx)
    assignments = masters.discover()
    for info in assignments:
        release_assignment(info, ctx)
    name = f"{ASSIGNMENT}.ipynb"
    release = nbformat.read(paths.step("release") / ASSIGNMENT / name, as_version=4)
    source = nbformat.read(paths.step("source") / ASSIGNMENT / name, as_version=4)
    table = roster.trainees(settings)
    first = table[table["station_level"] == "township_station"]["station_id"].iloc[0]
    ids = [str(w) for w in table.loc[table["station_id"] == first, "worker_id"]][:3]
    answered = simulate.answered(release, source)
    for trainee, notebook in zip(ids, (answered, answered, release), strict=False):
        folder = paths.step("submitted") / trainee / ASSIGNMENT
        simulate.write_submission(notebook, folder, ASSIGNMENT, TIMESTAMP)
    report = autograde(ctx, ASSIGNMENT)
    return DemoCourse(released=len(assignments), graded=len(report.results))
