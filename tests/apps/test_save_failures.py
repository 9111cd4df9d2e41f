"""Does a record page tell the truth about saving when the database refuses, or another tab saved?

Model level (no browser): the station evaluation form on a real SQLite store. Threats (see
shegong.widgets.forms.save_notice): the database refuses a write (a driver error, a lock held past
the busy timeout); a save or submit fails after an earlier save showed "saved"; two tabs edit
one record; two tabs start the same evaluation; the database cannot be opened at all.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import json
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
from records_fixtures import MEMBERS, STATIONS, open_store

from shegong.evaluation import load_station_rubric
from shegong.records import DatabaseDamaged, RecordsStore
from shegong.widgets.apps.station_evaluation import StationEvaluation
from shegong.widgets.forms import record_form
from shegong.widgets.forms.error_page import ErrorPage, open_page

RUBRIC = load_station_rubric()
SAVED = "已自动保存"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[RecordsStore]:
    with open_store(tmp_path / "records.db") as s:
        yield s


def evaluation(store: RecordsStore, user: str = "e02", station: str = "S1") -> StationEvaluation:
    app = StationEvaluation(store, RUBRIC, STATIONS, MEMBERS, "zh")  # type: ignore[arg-type]
    return app.start(query={"user": user, "station": station}, environ={})  # type: ignore[return-value]


def stored_comments(store: RecordsStore, station: str = "S1") -> list[str]:
    frame = store.station_evaluations(station)
    return [store.load_evaluation(str(i)).draft.comment for i in frame["evaluation_id"]]


def disk_full(*_args: Any, **_kwargs: Any) -> None:
    full = sqlite3.OperationalError("database or disk is full")
    raise sa.exc.OperationalError("INSERT", {}, full)


def marker(app: StationEvaluation) -> dict[str, Any]:
    """The hidden marker the page's script reads (key, editable, saved values)."""
    found = re.search(
        r'data-key="([^"]*)" data-seq="(\d+)" data-editable="(\d)" data-saved="([^"]*)"',
        app.browser_copy.value,
    )
    assert found is not None, app.browser_copy.value
    key, seq, editable, saved = found.groups()
    return {
        "key": html.unescape(key),
        "seq": int(seq),
        "editable": editable == "1",
        "saved": json.loads(html.unescape(saved)),
    }


def test_a_driver_error_shows_not_saved_keeps_the_text_and_save_again_saves(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When SQLite raises (disk full), is "saved" gone, the text kept, and does retry save it?"""
    app = evaluation(store)
    app.comment.value = "第一次"
    assert SAVED in app.status.value and stored_comments(store) == ["第一次"]

    with monkeypatch.context() as patch:
        patch.setattr(store, "save_evaluation_draft", disk_full)
        app.comment.value = "磁盘满时写的字"
        assert SAVED not in app.status.value
        assert "没有保存" in app.status.value and "sg-save-failed" in app.status.value
        assert app.failed and app.retry_button.layout.display is None
        assert app.comment.value == "磁盘满时写的字"
        assert not app.retry()  # still failing: still says so
        assert "没有保存" in app.status.value
    assert stored_comments(store) == ["第一次"]
    assert marker(app)["saved"]["comment"] == "第一次"  # the browser keeps the newer text

    assert app.retry()
    assert SAVED in app.status.value and not app.failed
    assert app.retry_button.layout.display == "none"
    assert stored_comments(store) == ["磁盘满时写的字"]
    assert marker(app)["saved"]["comment"] == "磁盘满时写的字"


def test_a_lock_held_past_the_busy_timeout_is_shown_and_saved_once_released(
    tmp_path: Path,
) -> None:
    """With another writer holding the database, is the store's "busy" message shown, and
    does "save again" save once the lock is gone?"""
    path = tmp_path / "records.db"
    open_store(path).close()
    store = RecordsStore(path, busy_timeout_ms=50)
    app = evaluation(store)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        app.comment.value = "锁住时写的字"
        assert SAVED not in app.status.value
        assert "数据库正被其他保存占用" in app.status.value
        assert app.comment.value == "锁住时写的字"
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert app.retry()
    assert stored_comments(store) == ["锁住时写的字"]
    store.close()


def test_a_busy_database_is_tried_again_on_the_kernels_event_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Under a running event loop (the kernel's), does a "busy" failure retry by itself?"""
    monkeypatch.setattr(record_form, "RETRY_SECONDS", 0.0)
    path = tmp_path / "records.db"
    open_store(path).close()
    store = RecordsStore(path, busy_timeout_ms=50)
    app = evaluation(store)

    async def scenario() -> None:
        holder = sqlite3.connect(path, isolation_level=None)
        holder.execute("BEGIN EXCLUSIVE")
        app.comment.value = "稍后自动重试"
        assert app.failed
        holder.execute("ROLLBACK")
        holder.close()
        for _ in range(5):  # let the loop run the retry it was given (no wall-clock wait)
            await asyncio.sleep(0)

    asyncio.run(scenario())
    assert not app.failed and SAVED in app.status.value
    assert stored_comments(store) == ["稍后自动重试"]
    store.close()


def test_a_failed_submit_keeps_the_draft_editable_and_says_not_submitted(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When the submit's write fails, is the form still a draft, unlocked, saying so?"""
    app = evaluation(store)
    app.visited.value = dt.date(2025, 6, 10)
    for row in app.rows.values():
        row.level.value = 3
        row.evidence.value = "查阅台账"
    monkeypatch.setattr(store, "submit_evaluation", disk_full)
    assert app.submit() is None
    assert "没有提交" in app.status.value and "已提交" not in app.status.value
    assert not app.visited.disabled and app.status_id == "draft"
    assert list(store.station_evaluations("S1")["status"]) == ["draft"]


def test_two_tabs_on_one_record_show_a_conflict_and_lose_neither_text(
    store: RecordsStore,
) -> None:
    """Does the later tab get a conflict naming who saved, keep its text, show both texts,
    and can it open the saved version or save its own over it?"""
    first = evaluation(store)
    first.comment.value = "甲的第一稿"
    second = evaluation(store)  # opened after the first save: same record, same version
    assert second.comment.value == "甲的第一稿"
    first.comment.value = "甲改过的"
    second.comment.value = "乙写的"

    assert SAVED not in second.status.value
    assert second.conflict.layout.display is None
    assert "刘建国" in second.conflict.message.value  # who saved last
    assert "甲改过的" in second.conflict.table.value and "乙写的" in second.conflict.table.value
    assert second.comment.value == "乙写的"
    assert stored_comments(store) == ["甲改过的"]

    second.keep_mine()
    assert SAVED in second.status.value and second.conflict.layout.display == "none"
    assert stored_comments(store) == ["乙写的"]

    first.comment.value = "甲又改了"  # now the first tab is behind
    assert first.conflict.layout.display is None
    first.open_saved_version()
    assert first.comment.value == "乙写的" and first.conflict.layout.display == "none"
    assert stored_comments(store) == ["乙写的"]


def test_two_tabs_starting_the_same_evaluation_make_one_record(store: RecordsStore) -> None:
    """Two blank tabs on one station and round: is the second shown a conflict, and never a
    second evaluation by the same evaluator?"""
    first = evaluation(store, station="S2")
    second = evaluation(store, station="S2")
    first.comment.value = "先开的页"
    second.comment.value = "后开的页"
    assert second.conflict.layout.display is None
    assert "先开的页" in second.conflict.table.value
    assert stored_comments(store, "S2") == ["先开的页"]
    second.keep_mine()
    assert stored_comments(store, "S2") == ["后开的页"]


def test_the_browser_marker_names_the_record_and_stops_after_submit(store: RecordsStore) -> None:
    """Does the marker carry app, person, station and round, the saved text, and say
    "not editable" once the evaluation is submitted?"""
    app = evaluation(store)
    app.comment.value = "已经保存的"
    mark = marker(app)
    assert mark["key"] == f"station_evaluation|e02|S1|{app.period.value}"
    assert mark["editable"] and mark["saved"]["comment"] == "已经保存的"
    assert "sg-keep-comment" in app.comment._dom_classes
    app.visited.value = dt.date(2025, 6, 10)
    for row in app.rows.values():
        row.level.value = 3
        row.evidence.value = "查阅台账"
    assert app.submit() is not None
    after = marker(app)
    assert not after["editable"] and after["seq"] > mark["seq"]


def test_an_empty_database_file_is_shown_in_both_languages_and_kept(tmp_path: Path) -> None:
    """A records.db truncated to 0 bytes: is the page the bilingual error, the file untouched?"""
    path = tmp_path / "records.db"
    path.write_bytes(b"")

    def open_app(lang: str) -> Any:
        return RecordsStore(path)

    page = open_page(open_app, "zh")
    assert isinstance(page, ErrorPage) and isinstance(page.error, DatabaseDamaged)
    shown = page.message.value
    assert "备份" in shown and "backup" in shown  # what to restore from, in both languages
    assert path.stat().st_size == 0
    page.serve()  # the notebook's last cell runs on it without error


def test_a_damaged_database_while_loading_records_is_shown_not_raised(
    store: RecordsStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When reading the person's records fails in serve(), does the page say so bilingually
    instead of raising into Voila's English cell error?"""
    app = StationEvaluation(store, RUBRIC, STATIONS, MEMBERS, "zh")  # type: ignore[arg-type]

    def malformed(*_args: Any, **_kwargs: Any) -> None:
        raise sa.exc.DatabaseError("SELECT", {}, sqlite3.DatabaseError("malformed"))

    monkeypatch.setattr(store, "station_evaluations", malformed)
    monkeypatch.setenv("QUERY_STRING", "user=e02&station=S1")
    app.serve()
    assert "页面" in app.notice.value and "page" in app.notice.value
    assert "DatabaseError" in app.notice.value
    assert app.body.children == ()
