"""我的作业 in a real Voila server and Chromium: a trainee gets an assignment, checks it,
submits it online, makes an offline zip (receipt shown), and, once the supervisor has graded
it and written feedback (done here as the supervisor would), reads the feedback on the page.

The trainee is a trainee of the roster who is enrolled in the course (no literal ids); every
request outside 127.0.0.1 is blocked and fails the test, and the page never shows a command.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import nbformat
import pytest
from voila_servers import AppServer, prepared_settings

from shegong.grading import exchange, feedback, roster, simulate
from shegong.grading.autograde import autograde
from shegong.grading.config import load_options
from shegong.grading.context import GradingContext
from shegong.grading.masters import find
from shegong.grading.release import release_assignment
from shegong.grading.trainee import default_home
from shegong.records import Role
from shegong.records.roster import load_roster
from shegong.voila_config import ServeOptions

pytestmark = pytest.mark.slow

ASSIGNMENT = "groupwork"
WAIT_MS = 300_000  # a bound on waiting for the page and the kernel's work, not a speed check


@pytest.fixture(scope="module")
def course_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """Apps built, the course enrolled and the group work assignment in the exchange."""
    home = tmp_path_factory.mktemp("myassign")
    settings = prepared_settings(home)
    ctx = GradingContext.open(settings, load_options(environ={}, cwd=home))
    roster.enroll(ctx)
    release_assignment(find(ASSIGNMENT), ctx)
    server = AppServer(settings, ServeOptions(pool_size=0), home / "voila.log").start()
    try:
        yield server
    finally:
        server.stop()


def _course(server: AppServer) -> GradingContext:
    home = server.settings.home
    return GradingContext.open(server.settings, load_options(environ={}, cwd=home), ensure=False)


def _trainee(server: AppServer) -> str:
    enrolled = set(roster.trainees(server.settings)["worker_id"].astype(str))
    members = load_roster(server.settings.home)
    return next(m.person_id for m in members if m.role == Role.TRAINEE and m.person_id in enrolled)


def _card(page: Any) -> Any:
    return page.locator(f".sg-my-{ASSIGNMENT}")


def _press(page: Any, action: str, done: str) -> str:
    """Press a card's button, wait until its result (``done``, a selector inside it) is shown
    and the card's buttons are enabled again; returns the card's text."""
    _card(page).locator(f"button.sg-my-{action}").click()
    _card(page).locator(f".sg-my-did-{action} {done}").first.wait_for(timeout=WAIT_MS)
    _card(page).locator("button:not([disabled])").first.wait_for(timeout=WAIT_MS)
    return str(_card(page).inner_text())


def test_a_trainee_hands_in_online_and_offline_and_reads_feedback(
    course_server: AppServer, browser: Any
) -> None:
    server, trainee = course_server, _trainee(course_server)
    ctx = _course(server)
    context = browser.new_context(viewport={"width": 1200, "height": 1000}, locale="zh-CN")
    outside: list[str] = []

    def only_local(route: Any) -> None:
        if urlparse(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.set_default_navigation_timeout(WAIT_MS)
    url = server.url("zh", "my_assignments", user=trainee)
    try:
        page.goto(url)
        _card(page).wait_for()
        assert "可领取" in _card(page).inner_text()

        # 领取: the assignment lands in the trainee's folder, named as the Lab shows it
        said = _press(page, "fetch", ".sg-banner-ok")
        assert "已领取" in said and "groupwork.ipynb" in said
        fetched = default_home(ctx, trainee) / ASSIGNMENT / "groupwork.ipynb"
        assert fetched.is_file()

        # the trainee answers in JupyterLab (here: the master's answers written in)
        release = nbformat.read(fetched, as_version=4)
        source = ctx.paths.step("source") / ASSIGNMENT / "groupwork.ipynb"
        answered = simulate.answered(release, nbformat.read(source, as_version=4))
        nbformat.write(answered, fetched)

        # 检查: nbgrader's validator, in words
        said = _press(page, "check", ".sg-my-check")
        assert "检查通过" in said, said

        # 提交 online: through nbgrader's exchange
        said = _press(page, "submit", ".sg-banner-ok")
        assert "已在线提交" in said and "已提交" in said
        inbound = ctx.paths.exchange / ctx.course_id / "inbound"
        assert len(list(inbound.glob(f"{trainee}+{ASSIGNMENT}+*"))) == 1

        # 生成离线提交包: the zip and its receipt code, shown large
        said = _press(page, "pack", ".sg-my-receipt")
        receipt = _card(page).locator(".sg-my-receipt").inner_text().strip()
        assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
        zips = list((default_home(ctx, trainee) / "offline-zips").glob("*.zip"))
        assert [z.name for z in zips] == [f"{ASSIGNMENT}+{trainee}+{receipt}.zip"]
        assert f"回执码 {receipt}" in said  # listed among what was received

        # the supervisor collects, autogrades and writes feedback
        exchange.collect(ctx, ASSIGNMENT)
        autograde(ctx, ASSIGNMENT, students=[trainee])
        assert feedback.write(ctx, ASSIGNMENT, trainee)

        # back on the page: 已评分·有反馈, and the feedback read in place
        page.reload()
        _card(page).wait_for()
        assert "已评分·有反馈" in _card(page).inner_text()
        _press(page, "feedback", "iframe")
        shown = page.frame_locator(f".sg-my-{ASSIGNMENT} iframe.sg-my-feedback-page")
        body = shown.locator("body").inner_text()
        assert "作业三" in body and trainee in body

        everything = page.locator(".sg-app").inner_text()
        for command in ("shegong ", "nbgrader", "--", "$ "):
            assert command not in everything, command
        assert outside == []
    finally:
        context.close()


def test_the_demo_picker_offers_only_trainees(course_server: AppServer, browser: Any) -> None:
    """In the local demo, does the identity picker list the roster's trainees and no one else?"""
    page = browser.new_page()
    page.set_default_timeout(WAIT_MS)
    page.set_default_navigation_timeout(WAIT_MS)
    try:
        page.goto(course_server.url("zh", "my_assignments"))
        page.locator(".sg-user-picker select").wait_for()
        shown = page.locator(".sg-user-picker select option").all_inner_texts()
        members = load_roster(course_server.settings.home)
        stations = dict(zip(*_stations(course_server), strict=True))
        wanted = [m.label("zh", stations) for m in members if m.role == Role.TRAINEE]
        assert shown == wanted
    finally:
        page.close()


def _stations(server: AppServer) -> tuple[list[str], list[str]]:
    from shegong.datasets import load

    table = load("stations", home=server.settings.home)
    return list(table["station_id"]), list(table["name_zh"])
