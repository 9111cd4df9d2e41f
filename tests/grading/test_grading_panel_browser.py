"""Can a supervisor grade a written answer in the rubric panel served by Voila, in a real
browser (Debian's Chromium driven by Playwright), and does the grade reach the gradebook?"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import nbformat
import pytest
from grading_support import TIMESTAMP, release_nb, source_nb, submitted

from shegong.grading import manual, simulate
from shegong.grading.autograde import autograde
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook

ASSIGNMENT = "groupwork"
TRAINEE = "w000041"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")

pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def course(clone: Callable[..., GradingContext]) -> GradingContext:
    course = clone("browser")
    solved = simulate.answered(release_nb(course, ASSIGNMENT), source_nb(course, ASSIGNMENT))
    simulate.write_submission(solved, submitted(course, TRAINEE, ASSIGNMENT), ASSIGNMENT, TIMESTAMP)
    autograde(course, ASSIGNMENT)
    return course


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def voila_url(course: GradingContext, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A Voila server showing the panel; ready once it says it is running."""
    folder = tmp_path_factory.mktemp("voila")
    nb = nbformat.v4.new_notebook()
    nb.cells = [
        nbformat.v4.new_code_cell(
            "from shegong.settings import load\n"
            "from shegong.widgets.apps.rubric_panel import RubricPanel\n"
            f"RubricPanel(load({{'home': {str(course.settings.home)!r}}}), {ASSIGNMENT!r},"
            " grader='S007')"
        )
    ]
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nbformat.write(nb, folder / "panel.ipynb")
    port = _free_port()
    env = dict(os.environ, PATH=str(Path(sys.executable).parent) + os.pathsep + os.environ["PATH"])
    server = subprocess.Popen(
        [sys.executable, "-m", "voila", "panel.ipynb", f"--port={port}", "--no-browser",
         "--Voila.ip=127.0.0.1"],
        cwd=folder, env=env, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    ready = threading.Event()

    def drain() -> None:  # read Voila's log until it closes, so the pipe never fills up
        assert server.stderr is not None
        for line in server.stderr:
            if "running at" in line:
                ready.set()
        ready.set()  # it exited: let the fixture notice instead of waiting for ever

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    ready.wait()
    assert server.poll() is None, "voila did not start"
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait()
        reader.join()
        assert server.stderr is not None
        server.stderr.close()


def test_a_supervisor_grades_in_chromium(course: GradingContext, voila_url: str) -> None:
    """Choose levels by clicking, pick a bank comment, save: is the score in the gradebook?"""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1200, "height": 1400})
        page.set_default_timeout(0)  # kernels start slowly on a busy machine; never a time limit
        page.goto(voila_url)
        page.wait_for_selector("text=评语库")
        page.select_option("select >> nth=0", TRAINEE)
        page.wait_for_selector("text=每节记录 / Session record")
        page.get_by_role("button", name="达到 (2)").nth(0).click()
        page.get_by_role("button", name="初步 (1)").nth(1).click()
        page.get_by_role("button", name="达到 (2)").nth(2).click()
        page.get_by_text("结束期别忘了处理组员的离别情绪。").click()
        page.get_by_role("button", name="保存评分").click()
        page.wait_for_selector("text=已保存：5 分")
        browser.close()
    with open_gradebook(course.paths.db_url, course.options.course_id) as gb:
        grade = gb.find_grade("session_record", ASSIGNMENT, ASSIGNMENT, TRAINEE)
        assert grade.manual_score == 5 and not grade.needs_manual_grade
    saved = manual.recorded(course.paths, ASSIGNMENT, TRAINEE, "session_record")
    assert saved is not None and saved.grader == "S007" and saved.bank_ids == ("ending_feelings",)
