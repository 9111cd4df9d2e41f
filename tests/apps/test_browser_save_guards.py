"""In a real browser, does a page never say "saved" when it is not, and lose nothing?

Debian's Chromium driven by Playwright against ``shegong serve apps``'s serving (preheated).
Each test plays what goes wrong: the database refuses writes (another writer holds its lock
past the busy timeout), the kernel is shut down under an open page, two tabs edit one
record, ten people open pages at once. Screenshots of the three banners go to
``$SHEGONG_SCREENS`` when it is set (for a person to look at; nothing is asserted on them).
"""

from __future__ import annotations

import os
import sqlite3
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voila_servers import AppServer, prepared_settings

from shegong.datasets import load
from shegong.paths import Workspace
from shegong.voila_config import ServeOptions

pytestmark = pytest.mark.slow

WAIT_MS = 120_000  # a bound on waiting for the page, not a speed check
SAVED = "已自动保存草稿"
# Any token works as long as cookie and header agree (tornado's double-submit check).
XSRF = "00112233445566778899aabbccddeeff"


@pytest.fixture(scope="module")
def stations(app_server: AppServer) -> list[str]:
    """Township stations no other browser test uses (test_browser_flows takes these four)."""
    taken = {"S00579", "S00580", "S00581", "S00582"}
    frame = load("stations", home=app_server.settings.home)
    township = frame[frame["level"] == "township_station"].sort_values("station_id")
    return [str(s) for s in township["station_id"] if str(s) not in taken][-3:]


@pytest.fixture
def tabs(browser: Any) -> Iterator[Any]:
    """``open_tab(url, context=None)``: a page (in a new browser context unless given one)."""
    contexts: list[Any] = []

    def new_context() -> Any:
        context = browser.new_context(viewport={"width": 1200, "height": 900}, locale="zh-CN")
        contexts.append(context)
        return context

    def open_tab(url: str, context: Any = None, wait: bool = True) -> Any:
        page = (context or new_context()).new_page()
        page.set_default_navigation_timeout(WAIT_MS)
        page.set_default_timeout(WAIT_MS)
        page.goto(url, wait_until="load" if wait else "commit")
        if wait:
            ready(page)
        return page

    open_tab.new_context = new_context  # type: ignore[attr-defined]
    yield open_tab
    for context in contexts:
        context.close()


def ready(page: Any) -> None:
    """The form is drawn and the server told the page what it holds (the marker is there)."""
    page.locator(".sg-app").wait_for(timeout=WAIT_MS)
    page.locator(".sg-sync").wait_for(state="attached", timeout=WAIT_MS)


def write(page: Any, selector: str, value: str) -> None:
    box = page.locator(selector)
    box.fill(value)
    box.press("Tab")  # the text is sent when the person leaves the box


def saved_after(page: Any, before: str) -> None:
    """Wait until the server confirms a save made after the note ``before`` was shown."""
    page.wait_for_function(
        "([before, word]) => { const s = document.querySelector('.sg-status .sg-saved');"
        " return s && s.textContent.includes(word) && s.textContent !== before; }",
        arg=[before, SAVED],
        timeout=WAIT_MS,
    )


def status_text(page: Any) -> str:
    note = page.locator(".sg-status .sg-saved")
    return str(note.text_content()) if note.count() else ""


def comments(server: AppServer, station: str) -> list[str]:
    with server.store() as store:
        frame = store.station_evaluations(station)
        return [store.load_evaluation(str(i)).draft.comment for i in frame["evaluation_id"]]


def evidence(server: AppServer, station: str, indicator: str) -> str:
    with server.store() as store:
        frame = store.station_evaluations(station)
        record = store.load_evaluation(str(frame["evaluation_id"].iloc[0]))
        return record.draft.ratings[indicator].evidence


def screenshot(page: Any, name: str) -> None:
    folder = os.environ.get("SHEGONG_SCREENS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / name))


def shut_down_kernel(server: AppServer, page: Any) -> None:
    """Shut the page's kernel down through the server's REST API, as the culler does."""
    kernel = page.evaluate("() => window.sgGuard.state.kernel")
    request = urllib.request.Request(
        f"{server.base}/api/kernels/{kernel}",
        method="DELETE",
        headers={"Cookie": f"_xsrf={XSRF}", "X-XSRFToken": XSRF},
    )
    with urllib.request.urlopen(request, timeout=120) as response:
        assert response.status == 204


def test_a_refused_write_shows_the_banner_keeps_the_text_and_save_again_saves(
    app_server: AppServer, tabs: Any, stations: list[str]
) -> None:
    """With another writer holding the database past the busy timeout: no "saved", a red
    banner, the text still in the box; once the lock is gone, does "save again" save it?"""
    station = stations[0]
    page = tabs(app_server.url("zh", "station_evaluation", user="e02", station=station))
    write(page, ".sg-comment textarea", "第一次写的")
    saved_after(page, "")
    assert comments(app_server, station) == ["第一次写的"]
    before = status_text(page)

    holder = sqlite3.connect(Workspace(app_server.settings.home).records, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        write(page, ".sg-comment textarea", "数据库被占用时写的")
        failed = page.locator(".sg-status .sg-save-failed")
        failed.wait_for(timeout=WAIT_MS)  # after the store's busy timeout
        assert "没有保存" in failed.inner_text() and "NOT saved" not in failed.inner_text()
        assert page.locator(".sg-status .sg-saved").count() == 0
        assert page.locator(".sg-comment textarea").input_value() == "数据库被占用时写的"
        assert page.locator(".sg-retry").is_visible()
        screenshot(page, "failed-save.png")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert comments(app_server, station) == ["第一次写的"]

    page.locator(".sg-retry").click()
    saved_after(page, before)
    assert comments(app_server, station) == ["数据库被占用时写的"]
    assert not page.locator(".sg-retry").is_visible()


def test_a_lost_kernel_disables_the_form_and_typed_text_comes_back_after_reload(
    app_server: AppServer, tabs: Any, stations: list[str]
) -> None:
    """Kernel shut down under an open page: a pinned bilingual banner, inputs disabled; after
    a reload, is the text typed but never sent offered back, filled in and saved?"""
    station = stations[1]
    url = app_server.url("zh", "station_evaluation", user="e03", station=station)
    page = tabs(url)
    write(page, ".sg-comment textarea", "午饭前保存的")
    saved_after(page, "")
    box = page.locator(".sg-evidence-in_venue textarea")
    box.fill("还没离开输入框的字")  # typed, never sent: the kernel only hears on leaving
    stored = page.evaluate("() => Object.keys(localStorage).filter(k => k.includes('|ind_'))")
    assert len(stored) == 1 and station in stored[0]

    shut_down_kernel(app_server, page)
    banner = page.locator("#sg-kernel-lost")
    banner.wait_for(timeout=WAIT_MS)
    words = banner.inner_text()
    assert "与服务器的连接已断开" in words and "connection to the server is lost" in words
    assert box.is_disabled() and page.locator(".sg-comment textarea").is_disabled()
    assert page.locator(".sg-status .sg-saved").is_hidden()  # no stale "saved" in sight
    screenshot(page, "lost-kernel.png")

    page.reload()
    ready(page)
    offer = page.locator("#sg-restore")
    offer.wait_for(timeout=WAIT_MS)
    assert "恢复未保存的内容" in offer.inner_text()
    assert page.locator(".sg-evidence-in_venue textarea").input_value() == ""
    before = status_text(page)
    page.locator(".sg-restore-button").click()
    saved_after(page, before)
    page.wait_for_function(
        "() => !Object.keys(localStorage).some(k => k.includes('|ind_'))", timeout=WAIT_MS
    )
    assert page.locator(".sg-evidence-in_venue textarea").input_value() == "还没离开输入框的字"
    assert evidence(app_server, station, "in_venue") == "还没离开输入框的字"
    assert comments(app_server, station) == ["午饭前保存的"]


def test_two_tabs_on_one_record_show_the_conflict_and_lose_nothing(
    app_server: AppServer, tabs: Any, stations: list[str]
) -> None:
    """Two tabs of one browser on one evaluation: is the later save a conflict that names who
    saved, keeps this tab's text and shows the other's beside it; does "save mine" save it?"""
    station = stations[2]
    url = app_server.url("zh", "station_evaluation", user="e02", station=station)
    first = tabs(url)
    write(first, ".sg-comment textarea", "甲页写的")
    saved_after(first, "")
    second = tabs(url, context=first.context)
    assert second.locator(".sg-comment textarea").input_value() == "甲页写的"
    before = status_text(first)
    write(first, ".sg-comment textarea", "甲页又改了")
    saved_after(first, before)

    write(second, ".sg-comment textarea", "乙页写的")
    panel = second.locator(".sg-conflict")
    panel.get_by_text("刘建国").wait_for(timeout=WAIT_MS)
    assert "甲页又改了" in panel.locator(".sg-conflict-saved").all_inner_texts()
    assert "乙页写的" in panel.locator(".sg-conflict-mine").all_inner_texts()
    assert second.locator(".sg-comment textarea").input_value() == "乙页写的"
    assert comments(app_server, station) == ["甲页又改了"]
    screenshot(second, "conflict.png")

    second.locator(".sg-conflict-keep-mine").click()
    saved_after(second, "")
    assert comments(app_server, station) == ["乙页写的"]
    assert panel.is_hidden()


def test_ten_pages_opened_at_once_all_show_their_form(
    app_server: AppServer, tabs: Any, stations: list[str]
) -> None:
    """Ten people open the evaluation page at the same moment (one preheated kernel): does
    every page show its form, and does the log never say the output timed out?"""
    log_before = app_server.log.read_text(errors="replace")
    users = ["e01", "e02", "e03"]
    url = app_server.url
    pages = [
        tabs(url("zh", "station_evaluation", user=users[k % 3]), wait=False) for k in range(10)
    ]
    for page in pages:
        page.locator(".sg-app .sg-station select").wait_for(timeout=WAIT_MS)
        page.locator(".sg-user-picker select").wait_for(timeout=WAIT_MS)
    assert all(page.locator(".sg-period select").is_visible() for page in pages)
    new_log = app_server.log.read_text(errors="replace")[len(log_before) :]
    assert "Timeout waiting for IOPub output" not in new_log


def test_an_emptied_database_shows_the_bilingual_error_and_stays_as_it_is(
    tmp_path_factory: pytest.TempPathFactory, tabs: Any
) -> None:
    """records.db truncated to 0 bytes: does the page say so in Chinese and English (not
    Voila's English cell error), and is the file left exactly as it was?"""
    home = tmp_path_factory.mktemp("emptiedhome")
    settings = prepared_settings(home)
    records = Workspace(home).records
    for extra in (
        records.with_name(records.name + "-wal"),
        records.with_name(records.name + "-shm"),
    ):
        extra.unlink(missing_ok=True)
    records.write_bytes(b"")
    server = AppServer(settings, ServeOptions(pool_size=0, preheat=False), home / "voila.log")
    server.start()
    try:
        page = tabs(server.url("zh", "station_evaluation", user="e02"), wait=False)
        failed = page.locator(".sg-open-failed")
        failed.wait_for(timeout=WAIT_MS)
        words = failed.inner_text()
        assert "不是可用的数据库" in words and "not a usable database" in words
        assert "备份" in words and "backup" in words
        assert "There was an error" not in page.content()
    finally:
        server.stop()
    assert records.stat().st_size == 0
