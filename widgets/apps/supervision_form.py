"""The fields of one supervision session (brief §3.4), the form part of ``SupervisionLog``.

Date, mode, duration, the other supervisees of a group session, the functions the session
served, cases and groups discussed by pseudonym or id, issues, risk flags with notes,
guidance and the agreed actions (``ActionList``). ``SessionFields`` is a child widget of the
log: the log fills it from a draft (``fill``), reads it back (``read``: the values and every
problem, with the records' own rules) and watches its controls (``inputs``) for autosave.
Who the session is with (the trainee) and who writes it stay the log's.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

import ipywidgets as w

from shegong.messages import Lang, text
from shegong.records import (
    ActionDraft,
    Discussed,
    RiskFlag,
    SessionDraft,
    SessionMode,
    SupervisionFunction,
)
from shegong.records.supervision import MAX_DURATION_MIN
from shegong.widgets.apps.supervision_actions import ActionList
from shegong.widgets.apps.supervision_history import heading
from shegong.widgets.forms.fields import Field, Form, Problems, date_input, text_area, text_input
from shegong.widgets.forms.readers import (
    read_int,
    read_past_date,
    read_reference,
    read_text,
    split_refs,
)


@dataclass(frozen=True)
class SessionValues:
    """What the fields say (the log adds who, with whom and which record)."""

    session_date: dt.date | None
    mode: str
    duration_min: int | None
    others: tuple[str, ...]
    functions: tuple[str, ...]
    discussed: tuple[Discussed, ...]
    issues: str
    risks: dict[str, str]
    guidance: str
    actions: tuple[ActionDraft, ...]


class SessionFields(w.VBox):
    """The session's controls, laid out in sections (see the module docstring)."""

    def __init__(
        self,
        lang: Lang,
        form: Form,
        owners: Callable[[], list[tuple[str, str]]],
        watch: Callable[[Iterable[w.Widget]], None],
        changed: Callable[[], object],
    ) -> None:
        self.lang = lang
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
        self.actions = ActionList(lang, form, owners, watch, changed)

        field = form.add
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
        super().__init__(
            [
                heading("apps.sup.section_session", lang),
                w.HBox(fields, layout={"flex_flow": "wrap"}),
                self.others_field,
                functions_field,
                discussed_field,
                issues_field,
                heading("apps.sup.section_risks", lang),
                w.HTML(html.escape(text("apps.sup.risk_intro", lang))),
                *risk_rows,
                guidance_field,
                self.actions,
            ]
        )
        self.mode.observe(lambda _c: self.mode_changed(), names="value")
        self.others.observe(lambda _c: self.actions.refresh_owners(), names="value")
        watch(self.fields_inputs())

    def fields_inputs(self) -> list[w.Widget]:
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

    def inputs(self) -> list[w.Widget]:
        """Every control, the actions' too (locked together when the record is submitted)."""
        return self.fields_inputs() + self.actions.controls()

    def fill(
        self,
        draft: SessionDraft,
        trainee: str,
        carried_dates: Mapping[str, dt.date] | None = None,
    ) -> None:
        """Show a draft (the caller holds autosave off while this runs)."""
        self.session_date.value = draft.session_date
        self.mode.value = draft.mode or SessionMode.INDIVIDUAL.value
        self.duration.value = "" if draft.duration_min is None else str(draft.duration_min)
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
        self.actions.show(draft.actions, carried_dates)

    def mode_changed(self) -> None:
        """Only a group or peer session has other supervisees."""
        individual = self.mode.value == SessionMode.INDIVIDUAL
        self.others_field.layout.display = "none" if individual else None

    def read(
        self, problems: Problems, *, today: dt.date, complete: bool, trainee: str
    ) -> SessionValues:
        """The fields' values; every problem goes into ``problems`` (``complete``: to submit)."""
        lang = self.lang
        date = problems.read(
            "session_date",
            lambda: read_past_date(
                self.session_date.value, "session_date", today, required=complete
            ),
        )
        minutes = problems.read(
            "duration_min",
            lambda: read_int(
                self.duration.value, "duration_min", 1, MAX_DURATION_MIN, required=complete
            ),
        )
        others = tuple(o for o in self.others.value if o != trainee)
        if self.mode.value == SessionMode.INDIVIDUAL:
            others = ()
        functions = tuple(k for k, box in self.functions.items() if box.value)
        if complete and not functions:
            problems.add("functions", text("error.apps_choose_one", lang))
        discussed: list[Discussed] = []
        for kind, box in (("case", self.cases), ("group", self.groups)):
            for ref in split_refs(box.value):
                problems.read("discussed", partial(read_reference, ref, "discussed"))
                discussed.append(Discussed(kind, ref))
        risks: dict[str, str] = {}
        for flag, box in self.risk_boxes.items():
            note = self.risk_notes[flag].value.strip()
            if box.value:
                if complete and not note:
                    problems.add(f"risk_{flag}", text("error.apps_risk_note", lang))
                risks[flag] = note
            elif note:
                problems.add(f"risk_{flag}", text("error.apps_risk_unticked", lang))
        for name, area in (("issues", self.issues), ("guidance", self.guidance)):
            problems.read(name, partial(read_text, area.value, name))
        if complete and not self.guidance.value.strip():
            problems.add("guidance", text("error.apps_required_here", lang))
        actions = self.actions.read(problems, complete=complete)
        return SessionValues(
            session_date=date,
            mode=self.mode.value,
            duration_min=minutes,
            others=others,
            functions=functions,
            discussed=tuple(discussed),
            issues=self.issues.value.strip(),
            risks=risks,
            guidance=self.guidance.value.strip(),
            actions=actions,
        )
