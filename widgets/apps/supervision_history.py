"""The history side of the supervision log: hours against the requirement, past sessions,
and the trainee's own view where they confirm submitted records.

``SessionHistory`` is a child widget of ``SupervisionLog`` (the confirmations, then the hours,
then the history). The log tells it who is looking (``viewer``: the store shows them only the
records of trainees they may see) and what to show: ``show_tables(trainee)`` under a
supervisor's form, ``show_trainee_side(trainee)`` for a trainee's own view, ``clear()``.
What a confirmation did is said through the log's ``notify(html)`` (its notice line).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping

import ipywidgets as w
import pandas as pd

from shegong.errors import ShegongError
from shegong.messages import Lang, text
from shegong.records import RecordsStore, RecordStatus, SessionMode
from shegong.records.database import CHINA_TIME
from shegong.widgets.forms.fields import banner, html_table

HOURS_MONTHS = 6


def month_start(today: dt.date, months_back: int) -> dt.date:
    """The first day of the month ``months_back`` months before ``today``'s month."""
    index = today.year * 12 + today.month - 1 - months_back
    return dt.date(index // 12, index % 12 + 1, 1)


def heading(msg_id: str, lang: Lang) -> w.HTML:
    """A section heading of the supervision log."""
    return w.HTML(f"<h3>{html.escape(text(msg_id, lang))}</h3>")


class SessionHistory(w.VBox):
    """Hours, history and the trainee's confirmations (a part of the supervision log page)."""

    def __init__(
        self,
        store: RecordsStore,
        lang: Lang,
        names: Mapping[str, str],
        notify: Callable[[str], None],
    ) -> None:
        self.store = store
        self.lang = lang
        self.names = dict(names)
        self.notify = notify
        self.viewer: str | None = None  # who is looking (set by the log for each person)
        self.hours = w.HTML("")
        self.hours.add_class("sg-hours")
        self.history = w.HTML("")
        self.history.add_class("sg-history")
        self.confirmations = w.VBox()
        self.confirmations.add_class("sg-confirmations")
        super().__init__([self.confirmations, self.hours, self.history])

    def clear(self) -> None:
        """No hours or history (no trainee chosen)."""
        self.hours.value = self.history.value = ""

    def clear_confirmations(self) -> None:
        """No confirmation cards (the viewer is not a trainee)."""
        self.confirmations.children = ()

    def show_tables(self, trainee: str) -> None:
        lang = self.lang
        today = self.store.today()
        hours = self.store.supervision_hours(
            trainee, start=month_start(today, HOURS_MONTHS - 1), actor=self.viewer
        )
        rows = [
            [
                r["month"],
                r["sessions"],
                f"{r['hours']:g}",
                f"{r['required_minutes'] / 60:g}",
                text("apps.yes" if r["met"] else "apps.no", lang),
            ]
            for r in hours.to_dict("records")
        ]
        headers = [
            text(f"apps.sup.col.{c}", lang)
            for c in ("month", "sessions", "hours", "required", "met")
        ]
        name = self.names.get(trainee, trainee)
        self.hours.value = (
            f"<h3>{html.escape(text('apps.sup.hours', lang, name=name))}</h3>"
            f'<div class="sg-note">{html.escape(text("apps.sup.hours_note", lang))}</div>'
            + html_table(rows, headers)
        )
        history = self.store.supervision_history(trainee, actor=self.viewer)
        rows = [
            [
                r["session_date"],
                SessionMode(r["mode"]).label(lang) if r["mode"] else None,
                r["duration_min"],
                self.names.get(str(r["supervisor_id"]), str(r["supervisor_id"])),
                text(f"records.status.{r['status']}", lang),
                _ack_text(r["acknowledged_at"], str(r["status"]), lang),
            ]
            for r in history.to_dict("records")
        ]
        headers = [
            text(f"apps.sup.col.{c}", lang)
            for c in ("date", "mode", "minutes", "supervisor", "status", "ack")
        ]
        empty = "" if rows else f"<p>{html.escape(text('apps.sup.no_history', lang))}</p>"
        self.history.value = (
            f"<h3>{html.escape(text('apps.sup.history', lang, name=name))}</h3>"
            + (html_table(rows, headers) if rows else empty)
        )

    def show_trainee_side(self, trainee: str) -> None:
        """A trainee's own view: sessions to confirm, then hours and history."""
        lang = self.lang
        history = self.store.supervision_history(trainee, actor=self.viewer)
        pending = history[
            (history["status"] == RecordStatus.SUBMITTED) & history["acknowledged_at"].isna()
        ]
        cards: list[w.Widget] = [heading("apps.sup.to_confirm", lang)]
        if pending.empty:
            cards.append(w.HTML(html.escape(text("apps.sup.nothing_to_confirm", lang))))
        for session_id in pending["session_id"]:
            record = self.store.load_session(str(session_id))
            draft = record.draft
            actions = "".join(
                "<li>"
                + html.escape(
                    f"{a.description}（{self.names.get(a.owner_id or '', '—')}，"
                    f"{a.due_date.isoformat() if a.due_date else '—'}）"
                )
                + "</li>"
                for a in draft.actions
            )
            summary = text(
                "apps.sup.confirm_summary",
                lang,
                date=draft.session_date.isoformat() if draft.session_date else "—",
                supervisor=self.names.get(draft.supervisor_id, draft.supervisor_id),
                minutes=draft.duration_min or 0,
            )
            guidance = html.escape(draft.guidance)
            button = w.Button(
                description=text("apps.sup.confirm", lang), button_style="success", icon="check"
            )
            button.add_class("sg-confirm")
            button.on_click(lambda _b, sid=draft.session_id: self.acknowledge(sid))
            card = w.VBox(
                [
                    w.HTML(
                        f"<div><b>{html.escape(summary)}</b></div>"
                        f"<div>{html.escape(text('apps.field.guidance', lang))}："
                        f"{guidance}</div>" + (f"<ul>{actions}</ul>" if actions else "")
                    ),
                    button,
                ]
            )
            card.add_class("sg-card")
            cards.append(card)
        self.confirmations.children = tuple(cards)
        self.show_tables(trainee)

    def acknowledge(self, session_id: str) -> bool:
        """The signed-in trainee (the viewer) confirms a submitted record."""
        if self.viewer is None:
            return False
        try:
            self.store.acknowledge_session(self.viewer, session_id)
        except ShegongError as error:
            self.notify(banner(html.escape(error.message(self.lang)), "error"))
            return False
        self.notify(banner(html.escape(text("apps.sup.confirmed", self.lang)), "ok"))
        self.show_trainee_side(self.viewer)
        return True


def _ack_text(value: dt.datetime | pd.Timestamp | None, status: str, lang: Lang) -> str:
    if status == RecordStatus.DRAFT:
        return "—"
    if value is None or pd.isna(value):
        return text("apps.sup.not_confirmed", lang)
    stamp = pd.Timestamp(value)
    stamp = stamp.tz_localize("UTC") if stamp.tzinfo is None else stamp
    shown = stamp.tz_convert(CHINA_TIME).strftime("%Y-%m-%d")  # stored in UTC
    return text("apps.sup.confirmed_on", lang, date=shown)
