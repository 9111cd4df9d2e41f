"""SupervisionLog 督导记录: a supervisor records a session; the trainee confirms it.

The session record of brief §3.4: date, mode, duration, supervisees, the functions the
session served (行政, 教育, 支持, 项目规划, 资源链接), cases and groups discussed by pseudonym
or id, issues,
risk flags with notes, guidance, and agreed actions with owner and due date. Actions still
open from the trainee's last session are carried into the new one, where their status is
followed up. Every change is autosaved as a draft; submitting locks the record, and the
trainee then confirms it in the same app (their electronic signature).

Beside the form: the trainee's supervision hours per month against the requirement of brief
§3.3 (``HoursRequirement``) and the history of their sessions.
"""

from __future__ import annotations

import datetime as dt
import html
from functools import partial
from typing import Any

import ipywidgets as w
import pandas as pd

from shegong.messages import Lang, text
from shegong.records import (
    ActionDraft,
    ActionStatus,
    Discussed,
    RecordsStore,
    RecordStatus,
    RiskFlag,
    Role,
    SessionDraft,
    SessionMode,
    SupervisionFunction,
    carry_forward,
    new_id,
)
from shegong.records.roster import Member
from shegong.records.supervision import MAX_DURATION_MIN
from shegong.widgets.apps.supervision_history import (
    HOURS_MONTHS,
    SessionHistory,
    heading,
    month_start,
)
from shegong.widgets.forms.fields import (
    Field,
    Problems,
    banner,
    date_input,
    saved_note,
    text_area,
    text_input,
)
from shegong.widgets.forms.readers import (
    read_int,
    read_past_date,
    read_reference,
    read_text,
    split_refs,
)
from shegong.widgets.forms.record_form import RecordForm
from shegong.widgets.forms.scope import offer, visible_trainees
from shegong.widgets.forms.shell import AppContext, Identity, open_context

__all__ = ["HOURS_MONTHS", "SupervisionLog", "month_start", "open_app"]


class ActionRow:
    """One agreed action: what, who, by when, and its status (carried ones say from when)."""

    def __init__(
        self,
        action: ActionDraft,
        owners: list[tuple[str, str]],
        lang: Lang,
        on_remove: Any,
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


class SupervisionLog(RecordForm):
    """The supervision log: the form for supervisors, confirmations for trainees."""

    app_name = "supervision_log"
    title_id = "apps.sup.title"
    subtitle_id = "apps.sup.subtitle"
    roles = (Role.SUPERVISOR, Role.TRAINEE)
    submitted_id = "apps.sup.submitted"

    def __init__(
        self,
        store: RecordsStore,
        stations: pd.DataFrame,
        members: list[Member],
        lang: Lang = "zh",
    ) -> None:
        names = dict(zip(stations["station_id"], stations["name_zh"], strict=True))
        super().__init__(lang, members, names)
        self.store = store
        self.names = {m.person_id: m.display_name for m in members}
        # The roster's trainees; the page offers only those the user may see (``show_for``).
        self.roster_trainees = [m for m in members if m.role == Role.TRAINEE]
        self.trainees: list[Member] = []
        self.station_labels = names
        self.action_rows: list[ActionRow] = []
        self._carried_dates: dict[str, dt.date] = {}

        trainee_options = [(text("apps.choose", lang), "")]
        self.trainee = w.Dropdown(options=trainee_options, value="", layout={"width": "24em"})
        self.trainee.add_class("sg-trainee")
        self.session_date = date_input()
        self.session_date.add_class("sg-session-date")
        self.mode = w.Dropdown(
            options=[(m.label(lang), m.value) for m in SessionMode],
            value=SessionMode.INDIVIDUAL.value,
            layout={"width": "12em"},
        )
        self.mode.add_class("sg-mode")
        self.duration = text_input(text("apps.sup.minutes_placeholder", lang), width="8em")
        self.duration.add_class("sg-duration")
        self.others = w.SelectMultiple(
            options=[],
            value=(),
            rows=6,
            layout={"width": "24em"},
        )
        self.functions = {
            f.value: w.Checkbox(description=f.label(lang), value=False, indent=False)
            for f in SupervisionFunction
        }
        self.cases = text_input(text("apps.sup.cases_placeholder", lang), width="24em")
        self.groups = text_input(text("apps.sup.groups_placeholder", lang), width="24em")
        self.issues = text_area(text("apps.sup.issues_placeholder", lang))
        self.risk_boxes = {
            r.value: w.Checkbox(description=r.label(lang), value=False, indent=False)
            for r in RiskFlag
        }
        self.risk_notes = {
            r.value: text_input(text("apps.sup.risk_placeholder", lang), width="30em")
            for r in RiskFlag
        }
        self.guidance = text_area(text("apps.sup.guidance_placeholder", lang), rows=4)
        self.guidance.add_class("sg-guidance")
        self.actions_box = w.VBox()
        self.add_action_button = w.Button(
            description=text("apps.sup.add_action", lang), icon="plus"
        )
        self.add_action_button.on_click(lambda _b: self.add_action())

        field = self.form.add
        fields = [
            field(
                Field(
                    "session_date",
                    text("apps.field.session_date", lang),
                    self.session_date,
                    required=True,
                    hint=text("apps.hint.not_future", lang),
                )
            ),
            field(Field("mode", text("apps.field.mode", lang), self.mode, required=True)),
            field(
                Field(
                    "duration_min",
                    text("apps.field.duration_min", lang),
                    self.duration,
                    required=True,
                    hint=text("apps.hint.minutes", lang, high=MAX_DURATION_MIN),
                )
            ),
        ]
        self.others_field = field(
            Field(
                "supervisee_ids",
                text("apps.field.others", lang),
                self.others,
                hint=text("apps.hint.others", lang),
            )
        )
        functions_field = field(
            Field(
                "functions",
                text("apps.field.functions", lang),
                w.HBox(list(self.functions.values()), layout={"flex_flow": "wrap"}),
                required=True,
            )
        )
        discussed_field = field(
            Field(
                "discussed",
                text("apps.field.discussed", lang),
                w.VBox([self.cases, self.groups]),
                hint=text("apps.hint.pseudonyms", lang),
            )
        )
        issues_field = field(Field("issues", text("apps.field.issues", lang), self.issues))
        risk_rows = [
            field(
                Field(
                    f"risk_{r}",
                    "",
                    w.HBox([self.risk_boxes[r], self.risk_notes[r]]),
                )
            )
            for r in self.risk_boxes
        ]
        guidance_field = field(
            Field("guidance", text("apps.field.guidance", lang), self.guidance, required=True)
        )
        self.submit_button.description = text("apps.sup.submit", lang)
        self.new_button.description = text("apps.sup.new_session", lang)
        self.new_button.on_click(lambda _b: self.new_session())

        h = self._heading
        self.details = w.VBox(
            [
                h("apps.sup.section_session"),
                w.HBox(fields, layout={"flex_flow": "wrap"}),
                self.others_field,
                functions_field,
                discussed_field,
                issues_field,
                h("apps.sup.section_risks"),
                w.HTML(html.escape(text("apps.sup.risk_intro", lang))),
                *risk_rows,
                guidance_field,
                h("apps.sup.section_actions"),
                w.HTML(html.escape(text("apps.sup.actions_intro", lang))),
                self.actions_box,
                self.add_action_button,
                self.status_bar,
                w.HBox([self.submit_button, self.new_button]),
            ]
        )
        self.pick_hint = w.HTML(banner(html.escape(text("apps.sup.pick_trainee", lang)), "info"))
        self.sessions = SessionHistory(store, lang, self.names, self._notify)
        self.supervisor_view = w.VBox(
            [
                w.HBox(
                    [
                        w.HTML(f"<b>{html.escape(text('apps.field.trainee_id', lang))}</b>"),
                        self.trainee,
                    ],
                    layout={"align_items": "center"},
                ),
                self.pick_hint,
                self.details,
            ]
        )
        self.body.children = (self.supervisor_view, self.sessions)

        self.trainee.observe(lambda _c: self.open_trainee(), names="value")
        self.mode.observe(self._mode_changed, names="value")
        self.others.observe(self._others_changed, names="value")
        self.watch(self._fields_inputs())
        self.details.layout.display = "none"

    def _heading(self, msg_id: str) -> w.HTML:
        return heading(msg_id, self.lang)

    def _notify(self, message: str) -> None:
        self.notice.value = message

    def inputs(self) -> list[w.Widget]:
        return self._fields_inputs() + self._row_controls() + [self.add_action_button]

    def _fields_inputs(self) -> list[w.Widget]:
        return [
            self.session_date,
            self.mode,
            self.duration,
            self.others,
            *self.functions.values(),
            self.cases,
            self.groups,
            self.issues,
            *self.risk_boxes.values(),
            *self.risk_notes.values(),
            self.guidance,
        ]

    # --- who and which trainee ----------------------------------------------------------------

    def offer_trainees(self, identity: Identity) -> None:
        """Only the trainees this person may see reach the page (a trainee: none here)."""
        visible = (
            []
            if identity.role == Role.TRAINEE
            else visible_trainees(self.store, identity.person_id, self.roster_trainees)
        )
        if [m.person_id for m in visible] == [m.person_id for m in self.trainees]:
            return
        self.trainees = visible
        loading, self._loading = self._loading, True
        try:
            offer(self.trainee, visible, self.lang, self.station_labels, choose=True)
            self.trainee.value = ""
            offer(self.others, visible, self.lang, self.station_labels, choose=False)
        finally:
            self._loading = loading

    def show_for(self, identity: Identity) -> None:
        self.sessions.viewer = identity.person_id
        self.offer_trainees(identity)
        if identity.role == Role.TRAINEE:
            self.supervisor_view.layout.display = "none"
            self.sessions.show_trainee_side(identity.person_id)
            return
        self.supervisor_view.layout.display = None
        self.sessions.clear_confirmations()
        wanted = self.query.get("trainee")
        if wanted in {m.person_id for m in self.trainees} and wanted != self.trainee.value:
            self.trainee.value = wanted
        else:
            self.open_trainee()

    def open_trainee(self) -> None:
        """Open the supervisor's draft with this trainee, or a new record with carried actions."""
        if self._loading:
            return
        self.form.clear()
        trainee = self.trainee.value
        if not trainee or self.identity is None or self.identity.role != Role.SUPERVISOR:
            self.details.layout.display = "none"
            self.pick_hint.layout.display = None
            self.sessions.clear()
            return
        self.pick_hint.layout.display = "none"
        self.details.layout.display = None
        history = self.store.supervision_history(trainee, actor=self.identity.person_id)
        drafts = history[
            (history["status"] == RecordStatus.DRAFT)
            & (history["supervisor_id"] == self.identity.person_id)
        ]
        if drafts.empty:
            self.new_session()
        else:
            record = self.store.load_session(str(drafts.iloc[0]["session_id"]))
            self.version = getattr(record, "version", None)
            self._fill(record.draft, RecordStatus.DRAFT)
            self.status.value = saved_note(text("apps.status.draft_loaded", self.lang))
        self.sessions.show_tables(trainee)

    def new_session(self) -> None:
        """A blank record for the chosen trainee, with their open actions carried forward."""
        trainee = self.trainee.value
        if not trainee or self.identity is None:
            return
        open_items = self.store.open_action_items(trainee, actor=self.identity.person_id)
        self._carried_dates = {
            str(r["item_id"]): r["session_date"] for r in open_items.to_dict("records")
        }
        draft = SessionDraft(
            supervisor_id=self.identity.person_id,
            session_date=self.store.today(),
            mode=SessionMode.INDIVIDUAL,
            supervisee_ids=(trainee,),
            actions=carry_forward(open_items),
            session_id=new_id(),
        )
        self.version = None
        self._fill(draft, None)
        self.status.value = (
            banner(
                html.escape(text("apps.sup.carried_note", self.lang, count=len(open_items))), "info"
            )
            if len(open_items)
            else ""
        )

    def _fill(self, draft: SessionDraft, status: str | None) -> None:
        self._loading = True
        try:
            self.record_id = draft.session_id
            self.status_id = status
            self.session_date.value = draft.session_date
            self.mode.value = draft.mode or SessionMode.INDIVIDUAL.value
            self.duration.value = "" if draft.duration_min is None else str(draft.duration_min)
            trainee = self.trainee.value
            self.others.value = tuple(p for p in draft.supervisee_ids if p != trainee)
            for name, box in self.functions.items():
                box.value = name in draft.functions
            self.cases.value = ", ".join(d.ref for d in draft.discussed if d.kind == "case")
            self.groups.value = ", ".join(d.ref for d in draft.discussed if d.kind == "group")
            self.issues.value = draft.issues
            for flag, box in self.risk_boxes.items():
                box.value = flag in draft.risks
                self.risk_notes[flag].value = draft.risks.get(flag, "")
            self.guidance.value = draft.guidance
            self.action_rows = []
            for action in draft.actions:
                self._add_row(action)
            self._show_rows()
        finally:
            self._loading = False
        self._mode_changed(None)
        self.lock(status not in (None, RecordStatus.DRAFT))

    # --- actions ------------------------------------------------------------------------------

    def _owners(self) -> list[tuple[str, str]]:
        people = [p for p in (self.trainee.value, *self.others.value) if p]
        if self.identity is not None:
            people.append(self.identity.person_id)
        return [(text("apps.choose", self.lang), "")] + [
            (self.names.get(p, p), p) for p in dict.fromkeys(people)
        ]

    def _add_row(self, action: ActionDraft) -> ActionRow:
        carried_on = self._carried_dates.get(action.carried_from_id or "")
        row = ActionRow(action, self._owners(), self.lang, self.remove_action, carried_on)
        self.watch(row.controls)
        self.action_rows.append(row)
        self.form.add(row.field)
        return row

    def _show_rows(self) -> None:
        self.actions_box.children = tuple(r.field for r in self.action_rows)

    def _row_controls(self) -> list[w.Widget]:
        return [c for r in self.action_rows for c in (*r.controls, r.remove)]

    def add_action(self) -> ActionRow:
        """A new empty action row (saved once something is typed in it)."""
        row = self._add_row(ActionDraft())
        self._show_rows()
        return row

    def remove_action(self, row: ActionRow) -> None:
        self.action_rows.remove(row)
        self.form.fields.pop(row.field.field_id, None)
        self._show_rows()
        self.autosave()

    def _mode_changed(self, _change: Any) -> None:
        individual = self.mode.value == SessionMode.INDIVIDUAL
        self.others_field.layout.display = "none" if individual else None

    def _others_changed(self, _change: Any) -> None:
        owners = self._owners()
        for row in self.action_rows:
            value = row.owner.value
            row.owner.options = owners
            row.owner.value = value if value in {v for _l, v in owners} else ""

    # --- reading, autosave, submit ------------------------------------------------------------

    def read(self, *, complete: bool = False) -> tuple[SessionDraft | None, Problems]:
        """The form as a draft and every problem found (``complete``: as for submitting)."""
        p = Problems(self.lang)
        today = self.store.today()
        lang = self.lang
        date = p.read(
            "session_date",
            lambda: read_past_date(
                self.session_date.value, "session_date", today, required=complete
            ),
        )
        minutes = p.read(
            "duration_min",
            lambda: read_int(
                self.duration.value, "duration_min", 1, MAX_DURATION_MIN, required=complete
            ),
        )
        trainee = self.trainee.value
        others = tuple(o for o in self.others.value if o != trainee)
        if self.mode.value == SessionMode.INDIVIDUAL:
            others = ()
        functions = tuple(k for k, box in self.functions.items() if box.value)
        if complete and not functions:
            p.add("functions", text("error.apps_choose_one", lang))
        discussed: list[Discussed] = []
        for kind, box in (("case", self.cases), ("group", self.groups)):
            for ref in split_refs(box.value):
                p.read("discussed", partial(read_reference, ref, "discussed"))
                discussed.append(Discussed(kind, ref))
        risks: dict[str, str] = {}
        for flag, box in self.risk_boxes.items():
            note = self.risk_notes[flag].value.strip()
            if box.value:
                if complete and not note:
                    p.add(f"risk_{flag}", text("error.apps_risk_note", lang))
                risks[flag] = note
            elif note:
                p.add(f"risk_{flag}", text("error.apps_risk_unticked", lang))
        for name, area in (("issues", self.issues), ("guidance", self.guidance)):
            p.read(name, partial(read_text, area.value, name))
        if complete and not self.guidance.value.strip():
            p.add("guidance", text("error.apps_required_here", lang))
        actions: list[ActionDraft] = []
        for row in self.action_rows:
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
                p.add(
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
        if p or self.identity is None or not trainee:
            return None, p
        draft = SessionDraft(
            supervisor_id=self.identity.person_id,
            session_date=date,
            mode=self.mode.value,
            duration_min=minutes,
            supervisee_ids=(trainee, *others),
            functions=functions,
            discussed=tuple(discussed),
            issues=self.issues.value.strip(),
            risks=risks,
            guidance=self.guidance.value.strip(),
            actions=tuple(actions),
            session_id=self.record_id or new_id(),
        )
        return draft, p

    def has_subject(self) -> bool:
        return (
            bool(self.trainee.value)
            and self.identity is not None
            and self.identity.role == Role.SUPERVISOR
        )

    def save_draft(self, actor: str, draft: SessionDraft) -> Any:
        saved = self.store.save_session_draft(actor, draft)
        self.record_id = draft.session_id
        return saved

    def subject_key(self) -> str:
        return str(self.trainee.value or "")

    def reopen(self) -> None:
        self.open_trainee()

    def load_saved(self, record_id: str) -> Any:
        return self.store.load_session(record_id)

    def submit_record(self, actor: str, draft: SessionDraft) -> str:
        self.store.submit_session(actor, draft.session_id, version=self.version)
        return draft.session_id

    def after_submit(self, draft: SessionDraft, result: str) -> None:
        self.sessions.show_tables(draft.supervisee_ids[0])


def open_app(lang: Lang = "zh", context: AppContext | None = None) -> SupervisionLog:
    """The app on the workspace's store and data (what the Voila notebook calls)."""
    context = context or open_context()
    return SupervisionLog(context.store, context.stations, context.members, lang)
