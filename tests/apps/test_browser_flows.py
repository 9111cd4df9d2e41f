"""Do the apps work for a person in a real browser (Debian's Chromium, driven by Playwright)?

Every page is opened with all traffic recorded; requests that would leave 127.0.0.1 are
blocked and make the test fail, so the apps are proven to work with no internet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import pytest
from voila_servers import AppServer

from shegong.evaluation import load_station_rubric

pytestmark = pytest.mark.slow

RUBRIC = load_station_rubric()
WAIT_MS = 120_000  # a bound on waiting for the page, not a speed check


@dataclass
class Visit:
    """One person's browser tab, and every URL it asked for."""

    page: Any
    requests: list[str] = field(default_factory=list)

    def external(self) -> list[str]:
        return [u for u in self.requests if urlparse(u).hostname not in ("127.0.0.1", None)]


@pytest.fixture
def visit(browser: Any) -> Iterator[Any]:
    contexts: list[Any] = []
    visits: list[Visit] = []

    def open_page(url: str) -> Visit:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
        contexts.append(context)
        page = context.new_page()
        # Voila starts a kernel per page; on a busy machine that takes more than Playwright's
        # default 30 s. The same generous bound as every wait here: a hang guard, not a speed check.
        page.set_default_navigation_timeout(WAIT_MS)
        page.set_default_timeout(WAIT_MS)
        tab = Visit(page)
        visits.append(tab)
        page.on("request", lambda request: tab.requests.append(request.url))

        def only_local(route: Any) -> None:
            if urlparse(route.request.url).hostname == "127.0.0.1":
                route.continue_()
            else:
                route.abort()

        context.route("**/*", only_local)
        page.goto(url)
        page.locator(".sg-app").wait_for(timeout=WAIT_MS)
        return tab

    yield open_page
    for tab in visits:
        assert tab.external() == [], tab.external()
    for context in contexts:
        context.close()


def choose_level(page: Any, indicator: str, level: int) -> None:
    """Click the level button of an indicator (buttons run from the highest level down)."""
    levels = [lv.level for lv in RUBRIC.indicator(indicator).levels]
    page.locator(f".sg-level-{indicator} button").nth(levels.index(level)).click()


def write(page: Any, selector: str, value: str) -> None:
    box = page.locator(selector)
    box.fill(value)
    box.press("Tab")  # the text is sent when the person leaves the box


def wait_saved(page: Any) -> None:
    page.locator(".sg-status .sg-saved").wait_for(timeout=WAIT_MS)


def fill_all(page: Any, level: int, evidence: str) -> None:
    page.locator(".sg-visited input").fill("2025-06-01")
    page.locator(".sg-visited input").press("Tab")
    for indicator in RUBRIC.indicators:
        choose_level(page, indicator.id, level)
    write(page, f".sg-evidence-{RUBRIC.indicators[0].id} textarea", evidence)
    wait_saved(page)


def statuses(server: AppServer, station: str) -> dict[str, str]:
    with server.store() as store:
        frame = store.station_evaluations(station)
    return dict(zip(frame["evaluator_id"], frame["status"], strict=True))


def test_fill_submit_reload_and_it_is_there(app_server: AppServer, visit: Any) -> None:
    """Does a submitted evaluation show as submitted, with its score, after a reload?"""
    url = app_server.url("zh", "station_evaluation", user="e02", station="S00579")
    tab = visit(url)
    page = tab.page
    fill_all(page, 3, "服务台账与档案齐全")
    page.locator(".sg-score").get_by_text("已评 26/26 项").wait_for(timeout=WAIT_MS)
    page.locator(".sg-submit").click()
    page.locator(".sg-status").get_by_text("评估已提交并锁定").wait_for(timeout=WAIT_MS)
    assert statuses(app_server, "S00579") == {"e02": "submitted"}

    page.reload()
    page.locator(".sg-result").get_by_text("总分：73.25 / 100").wait_for(timeout=WAIT_MS)
    assert page.locator(".sg-status").get_by_text("不能再修改").is_visible()
    assert page.locator(".sg-visited input").is_disabled()
    evidence = page.locator(f".sg-evidence-{RUBRIC.indicators[0].id} textarea").input_value()
    assert evidence == "服务台账与档案齐全"
    assert page.locator(".sg-result img").count() == 1  # the radar chart


def test_a_bad_value_shows_its_message_and_saves_nothing(app_server: AppServer, visit: Any) -> None:
    """Does a visit date tomorrow show the message under the field, and nothing get saved?"""
    tab = visit(app_server.url("zh", "station_evaluation", user="e03", station="S00580"))
    page = tab.page
    tomorrow = (dt.date.today() + dt.timedelta(days=2)).isoformat()
    page.locator(".sg-visited input").fill(tomorrow)
    page.locator(".sg-visited input").press("Tab")
    message = page.locator(".sg-field-visited_on").get_by_text("不能晚于今天（")
    message.wait_for(timeout=WAIT_MS)
    assert page.locator(".sg-status").get_by_text("未保存").is_visible()
    assert statuses(app_server, "S00580") == {}
    page.locator(".sg-submit").click()
    page.locator(".sg-banner").get_by_text("处需要改正").wait_for(timeout=WAIT_MS)
    assert statuses(app_server, "S00580") == {}


def test_two_evaluators_saving_at_once_both_land(app_server: AppServer, visit: Any) -> None:
    """Do two evaluators who submit the same station at the same moment both get saved?"""
    first = visit(app_server.url("zh", "station_evaluation", user="e02", station="S00581")).page
    second = visit(app_server.url("en", "station_evaluation", user="e03", station="S00581")).page
    fill_all(first, 4, "证据充分")
    fill_all(second, 2, "records incomplete")
    first.locator(".sg-submit").click(no_wait_after=True)
    second.locator(".sg-submit").click(no_wait_after=True)
    first.locator(".sg-status").get_by_text("评估已提交并锁定").wait_for(timeout=WAIT_MS)
    second.locator(".sg-status").get_by_text("submitted and locked").wait_for(timeout=WAIT_MS)
    assert statuses(app_server, "S00581") == {"e02": "submitted", "e03": "submitted"}

    lead = visit(app_server.url("zh", "station_evaluation", user="e01", station="S00581")).page
    lead.locator(".sg-agreement").get_by_text("ICC(2,1)").wait_for(timeout=WAIT_MS)
    lead.locator(".sg-final-total input").fill("60")
    lead.locator(".sg-final-total input").press("Tab")
    lead.locator(".sg-final-reason textarea").fill("两位评估员差异大，组长现场复核后定分")
    lead.locator(".sg-final-reason textarea").press("Tab")
    lead.locator(".sg-moderate").click()
    lead.locator(".sg-agreement").get_by_text("审定的最终得分：60 分").wait_for(timeout=WAIT_MS)


def test_a_server_restart_mid_draft_loses_no_autosaved_input(
    app_server: AppServer, visit: Any
) -> None:
    """After the server goes down and comes back, is the half-filled form still there?"""
    url = app_server.url("zh", "station_evaluation", user="e03", station="S00582")
    page = visit(url).page
    page.locator(".sg-visited input").fill("2025-05-20")
    page.locator(".sg-visited input").press("Tab")
    choose_level(page, "in_venue", 2)
    choose_level(page, "pr_plan", 4)
    write(page, ".sg-evidence-in_venue textarea", "与村委会共用场地")
    write(page, ".sg-comment textarea", "整体有进步")
    page.locator(".sg-status").get_by_text("已自动保存").wait_for(timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelector('.sg-comment textarea').value === '整体有进步'"
    )
    with app_server.store() as store:
        frame = store.station_evaluations("S00582")
        draft = store.load_evaluation(frame["evaluation_id"].iloc[0]).draft
    assert draft.comment == "整体有进步"  # the last change reached the database

    app_server.stop()
    app_server.start()
    page.goto(app_server.url("zh", "station_evaluation", user="e03"))  # no station: the draft
    page.locator(".sg-app").wait_for(timeout=WAIT_MS)
    page.locator(".sg-status").get_by_text("已打开上次保存的草稿").wait_for(timeout=WAIT_MS)
    assert page.locator(".sg-visited input").input_value() == "2025-05-20"
    assert page.locator(".sg-evidence-in_venue textarea").input_value() == "与村委会共用场地"
    assert page.locator(".sg-comment textarea").input_value() == "整体有进步"
    active = page.locator(".sg-level-in_venue button.mod-active")
    assert active.count() == 1 and active.inner_text().startswith("2")
    assert page.locator(".sg-level-pr_plan button.mod-active").inner_text().startswith("4")
