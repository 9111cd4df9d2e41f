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
from collections.abc import Mapping

import ipywidgets as w
import pandas as pd

from shegong.messages import Lang, text
from shegong.records import (
    RecordsStore,
    RecordStatus,
    Role,
    Saved,
    SessionDraft,
    SessionMode,
    SessionRecord,
    carry_forward,
    new_id,
)
from shegong.records.roster import Member
from shegong.widgets.apps.supervision_form import SessionFields
from shegong.widgets.apps.supervision_history import (
    HOURS_MONTHS,
    SessionHistory,
    month_start,
)
from shegong.widgets.forms.fields import (
    Problems,
    banner,
    hide,
    html_block,
    light_box,
    saved_note,
)
from shegong.widgets.forms.record_form import RecordForm
from shegong.widgets.forms.scope import offer, visible_trainees
from shegong.widgets.forms.shell import AppContext, Identity, open_context

__all__ = ["HOURS_MONTHS", "SupervisionLog", "month_start", "open_app"]


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

        trainee_options = [(text("apps.choose", lang), "")]
        self.trainee = w.Dropdown(options=trainee_options, value="", layout={"width": "24em"})
        self.trainee.add_class("sg-trainee")
        self.pick_hint = html_block(
            banner(html.escape(text("apps.sup.pick_trainee", lang)), "info")
        )
        self.sessions = SessionHistory(store, lang, self.names, self._notify)
        self.form_slot = light_box()  # the form comes once a trainee is chosen
        trainee_label = html_block(f"<b>{html.escape(text('apps.field.trainee_id', lang))}</b>")
        self.supervisor_view = w.VBox(
            [
                light_box([trainee_label, self.trainee], "sg-center", row=True),
                self.pick_hint,
                self.form_slot,
            ]
        )
        self.body.children = (self.supervisor_view, self.sessions)
        self.trainee.observe(lambda _c: self.open_trainee(), names="value")

    lazy_parts = frozenset({"session", "details"})
    session: SessionFields
    details: w.VBox

    def build_form(self) -> None:
        """The session's fields, the status bar and the buttons."""
        self.submit_button.description = text("apps.sup.submit", self.lang)
        self.new_button.description = text("apps.sup.new_session", self.lang)
        self.new_button.on_click(lambda _b: self.new_session())
        self.session = SessionFields(self.lang, self.form, self._owners, self.watch, self.autosave)
        self.details = w.VBox(
            [
                self.session,
                self.status_bar,
                light_box([self.submit_button, self.new_button], row=True),
            ]
        )
        self.details.layout.display = "none"
        self.form_slot.children = (self.details,)
        loading, self._loading = self._loading, True
        try:
            offer(self.session.others, self.trainees, self.lang, self.station_labels, choose=False)
        finally:
            self._loading = loading

    def _notify(self, message: str) -> None:
        self.notice.value = message

    def inputs(self) -> list[w.Widget]:
        return self.session.inputs()

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
            if self.form_built:
                offer(self.session.others, visible, self.lang, self.station_labels, choose=False)
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
            if self.form_built:
                self.details.layout.display = "none"
            hide(self.pick_hint, False)
            self.sessions.clear()
            return
        self.ensure_form()
        hide(self.pick_hint)
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
        carried = {str(r["item_id"]): r["session_date"] for r in open_items.to_dict("records")}
        draft = SessionDraft(
            supervisor_id=self.identity.person_id,
            session_date=self.store.today(),
            mode=SessionMode.INDIVIDUAL,
            supervisee_ids=(trainee,),
            actions=carry_forward(open_items),
            session_id=new_id(),
        )
        self.version = None
        self._fill(draft, None, carried)
        self.status.value = (
            banner(
                html.escape(text("apps.sup.carried_note", self.lang, count=len(open_items))), "info"
            )
            if len(open_items)
            else ""
        )

    def _fill(
        self,
        draft: SessionDraft,
        status: str | None,
        carried_dates: Mapping[str, dt.date] | None = None,
    ) -> None:
        self._loading = True
        try:
            self.record_id = draft.session_id
            self.status_id = status
            self.session.fill(draft, self.trainee.value, carried_dates)
        finally:
            self._loading = False
        self.session.mode_changed()
        self.lock(status not in (None, RecordStatus.DRAFT))

    # --- the session's people as the actions' owners --------------------------------------

    def _owners(self) -> list[tuple[str, str]]:
        people = [p for p in (self.trainee.value, *self.session.others.value) if p]
        if self.identity is not None:
            people.append(self.identity.person_id)
        return [(text("apps.choose", self.lang), "")] + [
            (self.names.get(p, p), p) for p in dict.fromkeys(people)
        ]

    # --- reading, autosave, submit ------------------------------------------------------------

    def read(self, *, complete: bool = False) -> tuple[SessionDraft | None, Problems]:
        """The form as a draft and every problem found (``complete``: as for submitting)."""
        p = Problems(self.lang)
        trainee = self.trainee.value
        values = self.session.read(p, today=self.store.today(), complete=complete, trainee=trainee)
        if p or self.identity is None or not trainee:
            return None, p
        draft = SessionDraft(
            supervisor_id=self.identity.person_id,
            session_date=values.session_date,
            mode=values.mode,
            duration_min=values.duration_min,
            supervisee_ids=(trainee, *values.others),
            functions=values.functions,
            discussed=values.discussed,
            issues=values.issues,
            risks=values.risks,
            guidance=values.guidance,
            actions=values.actions,
            session_id=self.record_id or new_id(),
        )
        return draft, p

    def has_subject(self) -> bool:
        return (
            bool(self.trainee.value)
            and self.identity is not None
            and self.identity.role == Role.SUPERVISOR
        )

    def save_draft(self, actor: str, draft: SessionDraft) -> Saved:
        saved = self.store.save_session_draft(actor, draft)
        self.record_id = draft.session_id
        return saved

    def subject_key(self) -> str:
        return str(self.trainee.value or "")

    def reopen(self) -> None:
        self.open_trainee()

    def load_saved(self, record_id: str) -> SessionRecord:
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
