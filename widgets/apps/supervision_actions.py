"""The agreed actions 行动计划 of a supervision session: one row per action, and the list.

``ActionList`` is a child widget of ``SupervisionLog``: the log fills it from a draft
(``show``), asks it for the drafts' actions and their problems (``read``) and for its controls
(``controls``, which the log watches for autosave). Owners are the people of the session,
which the log supplies (``owners``) and refreshes when they change (``refresh_owners``).
Actions still open from the trainee's last session arrive carried forward: they say from
which session and cannot be removed, only followed up.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping

import ipywidgets as w

from shegong.messages import Lang, text
from shegong.records import ActionDraft, ActionStatus
from shegong.widgets.forms.fields import Field, Form, Problems, date_input, text_input


class ActionRow:
    """One agreed action: what, who, by when, and its status (carried ones say from when)."""

    def __init__(
        self,
        action: ActionDraft,
        owners: list[tuple[str, str]],
        lang: Lang,
        on_remove: Callable[[ActionRow], None],
        carried_on: dt.date | None = None,
    ) -> None:
        self.item_id = action.item_id
        self.carried_from_id = action.carried_from_id
        self.description = text_input(text("apps.sup.action_placeholder", lang), width="22em")
        self.description.value = action.description
        self.owner = w.Dropdown(options=owners, value="", layout={"width": "13em"})
        if action.owner_id in {v for _l, v in owners}:
            self.owner.value = action.owner_id
        self.due = date_input()
        self.due.value = action.due_date
        self.status = w.Dropdown(
            options=[(s.label(lang), s.value) for s in ActionStatus],
            value=action.status,
            layout={"width": "8em"},
        )
        self.remove = w.Button(
            description=text("apps.sup.remove_action", lang), icon="trash", layout={"width": "auto"}
        )
        self.remove.on_click(lambda _b: on_remove(self))
        controls: list[w.Widget] = [self.description, self.owner, self.due, self.status]
        if not self.carried_from_id:
            controls.append(self.remove)
        label = (
            text("apps.sup.carried", lang, date=carried_on.isoformat() if carried_on else "—")
            if self.carried_from_id
            else text("apps.sup.action", lang)
        )
        self.field = Field(
            f"action_{self.item_id}",
            label,
            w.HBox(controls, layout={"flex_flow": "wrap"}),
        )
        self.field.add_class("sg-action-carried" if self.carried_from_id else "sg-action")

    @property
    def controls(self) -> list[w.Widget]:
        return [self.description, self.owner, self.due, self.status]

    def is_empty(self) -> bool:
        return (
            not (self.description.value.strip() or self.owner.value or self.due.value)
            and not self.carried_from_id
        )


class ActionList(w.VBox):
    """The session's actions: a heading, the rows and an "add" button (see the module doc)."""

    def __init__(
        self,
        lang: Lang,
        form: Form,
        owners: Callable[[], list[tuple[str, str]]],
        watch: Callable[[Iterable[w.Widget]], None],
        changed: Callable[[], object],
    ) -> None:
        self.lang = lang
        self.form = form
        self.owners = owners
        self.watch = watch
        self.changed = changed
        self.rows: list[ActionRow] = []
        self.carried_dates: dict[str, dt.date] = {}
        self.box = w.VBox()
        self.add_button = w.Button(description=text("apps.sup.add_action", lang), icon="plus")
        self.add_button.on_click(lambda _b: self.add())
        super().__init__(
            [
                w.HTML(f"<h3>{html.escape(text('apps.sup.section_actions', lang))}</h3>"),
                w.HTML(html.escape(text("apps.sup.actions_intro", lang))),
                self.box,
                self.add_button,
            ]
        )

    def show(
        self, actions: Iterable[ActionDraft], carried_dates: Mapping[str, dt.date] | None = None
    ) -> None:
        """Rows for these actions (``carried_dates``: item id -> the session it came from)."""
        if carried_dates is not None:
            self.carried_dates = dict(carried_dates)
        self.rows = []
        for action in actions:
            self._add_row(action)
        self._show_rows()

    def _add_row(self, action: ActionDraft) -> ActionRow:
        carried_on = self.carried_dates.get(action.carried_from_id or "")
        row = ActionRow(action, self.owners(), self.lang, self.remove, carried_on)
        self.watch(row.controls)
        self.rows.append(row)
        self.form.add(row.field)
        return row

    def _show_rows(self) -> None:
        self.box.children = tuple(r.field for r in self.rows)

    def controls(self) -> list[w.Widget]:
        """Every control of the rows, and the add button (locked with the record)."""
        return [c for r in self.rows for c in (*r.controls, r.remove)] + [self.add_button]

    def add(self) -> ActionRow:
        """A new empty action row (saved once something is typed in it)."""
        row = self._add_row(ActionDraft())
        self._show_rows()
        return row

    def remove(self, row: ActionRow) -> None:
        self.rows.remove(row)
        self.form.fields.pop(row.field.field_id, None)
        self._show_rows()
        self.changed()

    def refresh_owners(self) -> None:
        """Offer the session's people as owners again, keeping each row's owner if still there."""
        owners = self.owners()
        for row in self.rows:
            value = row.owner.value
            row.owner.options = owners
            row.owner.value = value if value in {v for _l, v in owners} else ""

    def read(self, problems: Problems, *, complete: bool) -> tuple[ActionDraft, ...]:
        """The rows as actions (empty new rows left out); missing parts of open ones noted."""
        lang = self.lang
        actions: list[ActionDraft] = []
        for row in self.rows:
            if row.is_empty():
                continue
            missing = [
                text(f"apps.sup.action_part.{name}", lang)
                for name, value in (
                    ("description", row.description.value.strip()),
                    ("owner", row.owner.value),
                    ("due", row.due.value),
                )
                if not value
            ]
            if complete and missing and row.status.value == ActionStatus.OPEN:
                sep = "、" if lang == "zh" else ", "
                problems.add(
                    row.field.field_id,
                    text("error.apps_action_missing", lang, parts=sep.join(missing)),
                )
            actions.append(
                ActionDraft(
                    description=row.description.value.strip(),
                    owner_id=row.owner.value or None,
                    due_date=row.due.value,
                    status=row.status.value,
                    carried_from_id=row.carried_from_id,
                    item_id=row.item_id,
                )
            )
        return tuple(actions)
