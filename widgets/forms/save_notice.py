"""What a record page says about saving, and what it keeps when a save does not happen.

The page is a trust boundary (DESIGN.md): "saved" is shown only once the database has the
row. Failure model, each with a test (tests/apps/test_save_failures.py):

- The database refuses the write: disk full, a lock held past the busy timeout, a read-only or
  damaged file (the store raises ``SaveFailed``), or anything unexpected from the save. The
  page shows a red banner saying what happened and what to do, the typed text stays in the
  fields, a "save again" button retries, and the next change retries too.
- Another tab or person saved the same record since this page loaded it (``ConflictError``):
  a conflict panel names who saved and when, shows the saved values beside this page's, and
  offers to open the saved version or to save this page's text over it; neither text is lost.
- The kernel is lost (culled, killed, server restarted): the page's script (the Voila template,
  ``voila_apps/templates/shegong/sg_guard.js``) notices, pins a banner and disables the form.
  It keeps every typed value in the browser (``localStorage``) until the server confirms the
  save. The ``BrowserCopy`` marker below is how the server confirms: after each save (and when
  a record is opened) it carries the record's key and the values the database now holds for
  each kept text field; the script drops its copies that match and offers the others back
  ("恢复未保存的内容 / restore unsaved text") when the page is opened again.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import json
import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import ipywidgets as w

from shegong.errors import ShegongError
from shegong.messages import Lang, text
from shegong.records import ConflictError, SaveFailed
from shegong.widgets.forms.fields import banner

log = logging.getLogger(__name__)

# Controls whose typed text the browser keeps until the server has it.
KEPT_TYPES = (w.Text, w.Textarea, w.DatePicker)
# Draft fields never compared in the conflict panel (ids and bookkeeping).
NOT_COMPARED = {"version", "evaluation_id", "session_id", "assessment_id"}


def failure_message(error: BaseException, lang: Lang) -> str:
    """What went wrong with a save, for the person: the store's message, else a general one."""
    if isinstance(error, ShegongError):
        return error.message(lang)
    return text("apps.save.failed_unexpected", lang, kind=type(error).__name__)


def is_conflict(error: BaseException) -> bool:
    """Did the store refuse the save because someone saved the record since it was opened?"""
    return isinstance(error, ConflictError)


def is_database_failure(error: BaseException) -> bool:
    """Did the database fail the write (``SaveFailed``, or anything that is not a refusal)?

    A refusal (a bad value, a locked record, an action the person may not take) is a
    ``ShegongError`` and is shown under its field; saving again would not help.
    """
    return isinstance(error, SaveFailed) or not isinstance(error, ShegongError)


def is_retryable(error: BaseException) -> bool:
    """Might the same save work in a moment (a lock held by another writer)?"""
    return bool(getattr(error, "retryable", False))


def kept_controls(fields: Mapping[str, Any]) -> dict[str, w.Widget]:
    """The text, number-as-text and date controls of a form, by a stable key.

    The key is the field id (``comment``), or ``<field id>.<n>`` for the n-th such control of a
    field holding several; the same form always gives the same keys.
    """
    kept: dict[str, w.Widget] = {}
    for field_id, field in fields.items():
        found = list(_text_like(field.control))
        for k, control in enumerate(found):
            kept[field_id if len(found) == 1 else f"{field_id}.{k}"] = control
    return kept


def _text_like(widget: Any) -> Iterator[w.Widget]:
    if isinstance(widget, KEPT_TYPES):
        yield widget
    for child in getattr(widget, "children", ()):
        yield from _text_like(child)


def css_key(key: str) -> str:
    """A key as it can appear in a CSS class name (``ind_in_venue.0`` -> ``ind_in_venue-0``)."""
    return "".join(ch if ch.isalnum() or ch in "_-" else "-" for ch in key)


def dom_value(control: w.Widget) -> str:
    """The control's value as the browser's input shows it (a date as ``YYYY-MM-DD``)."""
    value = control.value
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


class BrowserCopy(w.HTML):
    """The hidden marker the page's script reads: record key, save count, saved values."""

    def __init__(self) -> None:
        super().__init__("", layout={"display": "none"})
        self.add_class("sg-browser-copy")
        self.seq = 0

    def publish(self, key: str, controls: Mapping[str, w.Widget], editable: bool) -> None:
        """Tell the browser what the database now holds for ``key`` (after a save or an open)."""
        self.seq += 1
        for name, control in controls.items():
            control.add_class("sg-keep")
            control.add_class(f"sg-keep-{css_key(name)}")
        saved = {css_key(name): dom_value(c) for name, c in controls.items()}
        self.value = (
            f'<span class="sg-sync" data-key="{html.escape(key)}" data-seq="{self.seq}" '
            f'data-editable="{int(editable)}" '
            f'data-saved="{html.escape(json.dumps(saved, ensure_ascii=False))}"></span>'
        )


def flatten(value: Any, prefix: str = "") -> dict[str, str]:
    """A draft as ``{"ratings.in_venue.evidence": "...", ...}`` for comparing two versions."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        value = {f.name: getattr(value, f.name) for f in dataclasses.fields(value)}
    if isinstance(value, Mapping):
        out: dict[str, str] = {}
        for key, item in value.items():
            if str(key) in NOT_COMPARED:
                continue
            out.update(flatten(item, f"{prefix}{key}."))
        return out
    if isinstance(value, list | tuple) and any(dataclasses.is_dataclass(v) for v in value):
        out = {}
        for k, item in enumerate(value):
            out.update(flatten(item, f"{prefix}{k + 1}."))
        return out
    if isinstance(value, list | tuple | set | frozenset):
        shown = "、".join(str(v) for v in value)
    elif isinstance(value, dt.date):
        shown = value.isoformat()
    else:
        shown = "" if value is None else str(getattr(value, "value", value))
    return {prefix.rstrip("."): shown}


def differences(mine: Any, saved: Any) -> list[tuple[str, str, str]]:
    """``(field path, saved value, this page's value)`` for every field that differs."""
    left, right = flatten(saved), flatten(mine)
    return [
        (key, left.get(key, ""), right.get(key, ""))
        for key in dict.fromkeys([*left, *right])
        if left.get(key, "") != right.get(key, "")
    ]


class ConflictPanel(w.VBox):
    """Shown when another tab saved first: who and when, both texts side by side, two ways on.

    ``on_open_saved`` loads the saved version into the form; ``on_keep_mine`` saves this page's
    text over it. The table stays until the person picks one, so nothing is lost either way.
    """

    def __init__(
        self,
        lang: Lang,
        on_open_saved: Callable[[], object],
        on_keep_mine: Callable[[], object],
        label: Callable[[str], str],
    ) -> None:
        self.lang = lang
        self.label = label
        self.message = w.HTML("")
        self.table = w.HTML("")
        self.open_saved = w.Button(description=text("apps.conflict.open_saved", lang))
        self.open_saved.add_class("sg-conflict-open-saved")
        self.open_saved.on_click(lambda _b: on_open_saved())
        self.keep_mine = w.Button(
            description=text("apps.conflict.keep_mine", lang), button_style="warning"
        )
        self.keep_mine.add_class("sg-conflict-keep-mine")
        self.keep_mine.on_click(lambda _b: on_keep_mine())
        super().__init__([self.message, self.table, w.HBox([self.open_saved, self.keep_mine])])
        self.add_class("sg-conflict")
        self.layout.display = "none"

    def show(self, error: ShegongError, rows: list[tuple[str, str, str]]) -> None:
        self.message.value = banner(
            f"{html.escape(error.message(self.lang))}<br>"
            f"{html.escape(text('apps.conflict.kept', self.lang))}",
            "conflict",
        )
        heads = [text(f"apps.conflict.col.{c}", self.lang) for c in ("field", "saved", "mine")]
        head = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
        body = "".join(
            f"<tr><td>{html.escape(self.label(key))}</td>"
            f'<td class="sg-conflict-saved">{html.escape(saved) or "—"}</td>'
            f'<td class="sg-conflict-mine">{html.escape(mine) or "—"}</td></tr>'
            for key, saved, mine in rows
        )
        self.table.value = (
            f'<table class="sg-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'
            if rows
            else ""
        )
        self.layout.display = None

    def hide(self) -> None:
        self.layout.display = "none"
        self.message.value = self.table.value = ""
