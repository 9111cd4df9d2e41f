"""Round trips: the plain ``nbgrader`` command in the generated course folder, and the whole
``shegong grade`` flow (release, submit by exchange and by zip, autograde, rubric grade,
feedback, export), each from release to scores."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from grading_support import handout, release_nb, source_nb

from shegong.cli import main
from shegong.grading import cells, simulate
from shegong.grading.autograde import autograde
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.model import Status

ASSIGNMENT = "data-basics"


def _nbgrader(course: GradingContext, *args: str) -> subprocess.CompletedProcess[str]:
    """Run plain nbgrader in the course folder, as a supervisor would."""
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env["SHEGONG_HOME"] = str(course.settings.home)  # the plain kernel loads the course's data
    result = subprocess.run(
        [sys.executable, "-m", "nbgrader", *args],
        cwd=course.paths.course,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    return result


@pytest.fixture(scope="module")
def plain(
    clone: Callable[..., GradingContext], tmp_path_factory: pytest.TempPathFactory
) -> GradingContext:
    """Release, fetch, submit, collect, autograde, feedback and export with plain nbgrader."""
    course = clone("plain")
    homes = tmp_path_factory.mktemp("hub")
    _nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    _nbgrader(course, "release_assignment", ASSIGNMENT, "--force")
    source = source_nb(course, ASSIGNMENT)
    for trainee, deleted in (("w000021", False), ("w000022", True)):
        home = homes / trainee
        home.mkdir()
        _nbgrader(
            course,
            "fetch_assignment",
            ASSIGNMENT,
            f"--student={trainee}",
            f"--Exchange.assignment_dir={home}",
        )
        path = home / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        nb = simulate.answered(nbformat.read(path, as_version=4), source)
        if deleted:  # plain nbgrader scores a deleted test cell 0 without a word
            nb.cells = [c for c in nb.cells if cells.grade_id(c) != "by_service_test"]
        nbformat.write(nb, path)
        _nbgrader(
            course,
            "submit",
            ASSIGNMENT,
            f"--student={trainee}",
            f"--Exchange.assignment_dir={home}",
        )
    _nbgrader(course, "collect", ASSIGNMENT)
    _nbgrader(course, "autograde", ASSIGNMENT)
    _nbgrader(course, "generate_feedback", ASSIGNMENT)
    _nbgrader(course, "export", f"--to={course.paths.course / 'grades.csv'}")
    return course


def test_plain_nbgrader_grades_the_solution(plain: GradingContext) -> None:
    """Does plain nbgrader, reading our nbgrader_config.py, give the solution every point?"""
    with open_gradebook(plain.paths.db_url, plain.options.course_id) as gb:
        submission = gb.find_submission(ASSIGNMENT, "w000021")
        assert submission.code_score == 16
    grades = pd.read_csv(plain.paths.course / "grades.csv")
    mine = grades[grades["assignment"] == ASSIGNMENT].set_index("student_id")
    assert mine.loc["w000021", "raw_score"] == 16


def test_plain_nbgrader_silently_zeroes_a_deleted_test(plain: GradingContext) -> None:
    """The failure mode the issue measured: the deleted test scores 0, nothing says why;
    shegong's autograde of the same files restores it and says so."""
    with open_gradebook(plain.paths.db_url, plain.options.course_id) as gb:
        assert gb.find_submission(ASSIGNMENT, "w000022").code_score == 13
    report = autograde(plain, ASSIGNMENT, students=["w000022"])
    (result,) = report.results
    assert result.status is Status.CELLS_RESTORED and result.auto_score == 16
    assert [n.code for n in result.notes] == ["test_deleted"]


def test_plain_feedback_is_the_heavy_page_we_replace(plain: GradingContext) -> None:
    """Is nbgrader's own feedback page many times the size of ours (a chart makes it grow)?"""
    page = plain.paths.step("feedback") / "w000021" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert page.stat().st_size > 100_000


@pytest.fixture(scope="module")
def cli(
    clone: Callable[..., GradingContext], tmp_path_factory: pytest.TempPathFactory
) -> GradingContext:
    """The whole flow through ``shegong grade`` (in process, as tests call it)."""
    course = clone("cli")
    home = ["--home", str(course.settings.home)]
    work = tmp_path_factory.mktemp("trainees")
    assert main(["grade", "roster", *home]) == 0
    assert main(["grade", "release", ASSIGNMENT, "--due", "2030-01-01T00:00+08:00", *home]) == 0
    # hub path: fetch, answer, submit; then collect
    assert (
        main(
            ["grade", "fetch", ASSIGNMENT, "--trainee", "w000011", "--to", str(work / "hub"), *home]
        )
        == 0
    )
    fetched = work / "hub" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    source = source_nb(course, ASSIGNMENT)
    nbformat.write(simulate.answered(nbformat.read(fetched, as_version=4), source), fetched)
    assert (
        main(
            [
                "grade",
                "submit",
                ASSIGNMENT,
                "--trainee",
                "w000011",
                "--from",
                str(work / "hub"),
                *home,
            ]
        )
        == 0
    )
    assert main(["grade", "collect", ASSIGNMENT, *home]) == 0
    # offline path: an English edition, packed into a zip and taken in
    english = handout(course, "en", ASSIGNMENT)
    station = work / "station" / f"{ASSIGNMENT}.ipynb"
    station.parent.mkdir()
    nbformat.write(simulate.answered(nbformat.read(english, as_version=4), source), station)
    assert (
        main(
            [
                "grade",
                "pack",
                str(station),
                "--trainee",
                "w000012",
                "--assignment",
                ASSIGNMENT,
                "--out",
                str(work / "usb"),
                *home,
            ]
        )
        == 0
    )
    assert main(["grade", "intake", str(work / "usb"), *home]) == 0
    assert main(["grade", "autograde", ASSIGNMENT, *home]) == 0
    for trainee in ("w000011", "w000012"):
        levels = ["--level", "reading=2", "--level", "limits=1"]
        assert (
            main(
                [
                    "grade",
                    "rubric",
                    ASSIGNMENT,
                    "--student",
                    trainee,
                    "--cell",
                    "interpretation",
                    *levels,
                    "--comment-id",
                    "cite_numbers",
                    "--grader",
                    "S001",
                    *home,
                ]
            )
            == 0
        )
    assert main(["grade", "feedback", ASSIGNMENT, *home]) == 0
    assert main(["grade", "export", *home]) == 0
    assert main(["grade", "status", ASSIGNMENT, *home]) == 0
    return course


def test_cli_round_trip_scores_both_paths(cli: GradingContext) -> None:
    """Do the exchange submission and the zip submission both end with 16 + 3 points?"""
    with open_gradebook(cli.paths.db_url, cli.options.course_id) as gb:
        for trainee in ("w000011", "w000012"):
            assert gb.find_submission(ASSIGNMENT, trainee).score == 19


def test_cli_round_trip_writes_feedback_and_exports(cli: GradingContext) -> None:
    """Are there feedback pages, a station zip and the Excel export at the end?"""
    exports = cli.paths.workspace.exports
    assert (exports / "grading" / "grading.xlsx").exists()
    scores = pd.read_csv(exports / "grading" / "assignment_scores.csv", encoding="utf-8-sig")
    assert set(scores["学员编号 / trainee id"]) == {"w000011", "w000012"}
    assert set(scores["得分 / score"]) == {19}
    (bundle,) = (exports / "feedback" / ASSIGNMENT).glob("*.zip")
    with zipfile.ZipFile(bundle) as archive:
        assert "w000012.en.html" in archive.namelist()
    page = cli.paths.step("feedback") / "w000012" / ASSIGNMENT / f"{ASSIGNMENT}.html"
    assert "Total: 19 / 20" in page.read_text(encoding="utf-8")


def test_cli_prints_bilingual_results(
    cli: GradingContext, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does `shegong grade status` answer in the chosen language and write the CSV?"""
    assert (
        main(["grade", "status", ASSIGNMENT, "--home", str(cli.settings.home), "--lang", "en"]) == 0
    )
    out = capsys.readouterr().out
    assert "Graded: ran normally" in out and "状态表已写出" in out


def test_cli_switches_a_notebook_language_keeping_answers(
    cli: GradingContext, tmp_path: Path
) -> None:
    """Does `shegong grade switch-language` turn a Chinese notebook English, answers kept?"""
    target = tmp_path / f"{ASSIGNMENT}.ipynb"
    solved = simulate.answered(release_nb(cli, ASSIGNMENT), source_nb(cli, ASSIGNMENT))
    nbformat.write(solved, target)
    assert (
        main(
            [
                "grade",
                "switch-language",
                str(target),
                "--assignment",
                ASSIGNMENT,
                "--to",
                "en",
                "--home",
                str(cli.settings.home),
            ]
        )
        == 0
    )
    switched = nbformat.read(target, as_version=4)
    assert switched.metadata["shegong"]["lang"] == "en"
    assert cells.nbgrader_cells(switched)["top_station"].source == (
        cells.nbgrader_cells(solved)["top_station"].source
    )


def test_bad_cli_input_is_a_bilingual_error(
    cli: GradingContext, capsys: pytest.CaptureFixture[str]
) -> None:
    """Does an unknown assignment end in a bilingual message and exit code 2?"""
    assert main(["grade", "release", "no-such", "--home", str(cli.settings.home)]) == 2
    err = capsys.readouterr().err
    assert "没有编号为 no-such 的作业" in err and "There is no assignment no-such" in err
