"""CompetencyForm 能力评估: rate a trainee on the competency rubric; see the profile over time.

For each competency (the nine CSWE 2022 competencies adapted to Sichuan and the method items,
brief §4 and §7.3) the assessor picks a level 1-5, reads the behavioural anchor of that level,
writes the evidence the rating rests on and may note the trainee's self-rating. Drafts are
autosaved; submitting needs every competency rated with evidence and locks the assessment.

The profile shows each competency's first and latest level (a dumbbell chart: the change over
time), the previous level, the self-rating and whether the latest level reaches the
programme's expected level of achievement. Beside it, "作业成绩 / Assignment scores": the
trainee's graded assignments from nbgrader's gradebook (``shegong.widgets.apps.gradebook_view``),
evidence the rating can rest on.
"""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as w
import pandas as pd

from shegong.evaluation import (
    CompetencyRubric,
    competency_profile,
    load_competency_rubric,
)
from shegong.messages import Lang, text
from shegong.records import (
    AssessmentDraft,
    AssessmentRecord,
    CompetencyRatingDraft,
    RecordsStore,
    RecordStatus,
    Role,
    Saved,
    new_id,
)
from shegong.records.roster import Member
from shegong.settings import Settings
from shegong.widgets.apps.competency_profile import profile_figure
from shegong.widgets.apps.competency_row import CompetencyRow
from shegong.widgets.apps.gradebook_view import TraineeScores
from shegong.widgets.forms.fields import (
    Field,
    Problems,
    banner,
    date_input,
    figure_png,
    hide,
    html_block,
    html_table,
    light_box,
    saved_note,
    text_area,
)
from shegong.widgets.forms.readers import read_past_date, read_text
from shegong.widgets.forms.record_form import RecordForm
from shegong.widgets.forms.scope import offer, visible_trainees
from shegong.widgets.forms.shell import AppContext, Identity, open_context


class CompetencyForm(RecordForm):
    """The competency assessment of one trainee by a supervisor or evaluator."""

    app_name = "competency_form"
    title_id = "apps.comp.title"
    subtitle_id = "apps.comp.subtitle"
    roles = (Role.SUPERVISOR, Role.EVALUATOR)
    submitted_id = "apps.comp.submitted"

    def __init__(
        self,
        store: RecordsStore,
        rubric: CompetencyRubric,
        stations: pd.DataFrame,
        members: list[Member],
        lang: Lang = "zh",
        *,
        settings: Settings | None = None,
    ) -> None:
        names = dict(zip(stations["station_id"], stations["name_zh"], strict=True))
        super().__init__(lang, members, names)
        self.store = store
        self.rubric = rubric
        # The trainee's assignment scores, when the app knows the workspace's gradebook.
        self.scores = None if settings is None else TraineeScores(settings, lang)
        # The roster's trainees; the page offers only those the user may see (``show_for``).
        self.roster_trainees = [m for m in members if m.role == Role.TRAINEE]
        self.trainees: list[Member] = []
        self.station_labels = names

        self.trainee = w.Dropdown(
            options=[(text("apps.choose", lang), "")],
            value=None,
            layout={"width": "24em"},
        )
        self.trainee.add_class("sg-trainee")
        self.pick_hint = html_block(
            banner(html.escape(text("apps.comp.pick_trainee", lang)), "info")
        )
        # the profile, the scores and the form come once a trainee is chosen
        self.form_slot = light_box()
        trainee_label = html_block(f"<b>{html.escape(text('apps.field.trainee_id', lang))}</b>")
        self.body.children = (
            light_box([trainee_label, self.trainee], "sg-center", row=True),
            self.pick_hint,
            self.form_slot,
        )
        self.trainee.observe(lambda _c: self.open_trainee(), names="value")

    lazy_parts = frozenset({"assessed", "rows", "comment", "details", "profile", "profile_box"})
    assessed: w.DatePicker
    rows: dict[str, CompetencyRow]
    comment: w.Textarea
    details: w.VBox
    profile: w.VBox
    profile_box: w.Accordion

    def build_form(self) -> None:
        """The date, one row per competency, the comment, and the folded profile."""
        lang, rubric = self.lang, self.rubric
        self.assessed = date_input()
        self.assessed.add_class("sg-assessed")
        self.rows = {c.id: CompetencyRow(c, rubric, lang) for c in rubric.competencies}
        self.comment = text_area(text("apps.comp.comment_placeholder", lang))
        assessed_field = self.form.add(
            Field(
                "assessed_on",
                text("apps.field.assessed_on", lang),
                self.assessed,
                required=True,
                hint=text("apps.hint.not_future", lang),
            )
        )
        for row in self.rows.values():
            self.form.add(row.field)
        comment_field = self.form.add(
            Field("comment", text("apps.field.comment", lang), self.comment)
        )
        self.submit_button.description = text("apps.comp.submit", lang)
        self.new_button.description = text("apps.comp.new", lang)
        self.new_button.on_click(lambda _b: self.new_assessment())

        details: list[w.Widget] = [assessed_field]
        for group in rubric.groups:
            details.append(html_block(f"<h3>{html.escape(group.name.get(lang))}</h3>"))
            details += [self.rows[c.id].field for c in rubric.competencies if c.group == group.id]
        details += [
            comment_field,
            self.status_bar,
            light_box([self.submit_button, self.new_button], row=True),
        ]
        self.details = w.VBox(details)
        self.details.layout.display = "none"
        self.profile = w.VBox()
        # The profile is context for rating: above the form, folded until it is opened.
        self.profile_box = w.Accordion([self.profile], selected_index=None)
        self.profile_box.add_class("sg-profile")
        self.form_slot.children = (
            self.profile_box,
            *([] if self.scores is None else [self.scores]),
            self.details,
        )
        self.watch(self.inputs())

    def inputs(self) -> list[w.Widget]:
        return [self.assessed, self.comment] + [c for r in self.rows.values() for c in r.controls]

    def show_for(self, identity: Identity) -> None:
        visible = visible_trainees(self.store, identity.person_id, self.roster_trainees)
        if [m.person_id for m in visible] != [m.person_id for m in self.trainees]:
            self.trainees = visible
            offer(self.trainee, visible, self.lang, self.station_labels, choose=True)
        wanted = self.query.get("trainee")
        if wanted in {m.person_id for m in self.trainees} and wanted != self.trainee.value:
            self.trainee.value = wanted
        else:
            self.open_trainee()

    def open_trainee(self) -> None:
        """The assessor's draft for this trainee, or a new assessment; and the profile."""
        self.form.clear()
        trainee = self.trainee.value
        if not trainee or self.identity is None:
            hide(self.pick_hint, False)
            if self.form_built:
                self.details.layout.display = "none"
                self.profile.children = ()
                self.profile_box.layout.display = "none"
                if self.scores is not None:
                    self.scores.hide()
            return
        self.ensure_form()
        hide(self.pick_hint)
        self.details.layout.display = None
        draft_id = self.store.latest_assessment_draft(trainee, self.identity.person_id)
        if draft_id is None:
            self.new_assessment()
        else:
            record = self.store.load_assessment(draft_id)
            self.version = getattr(record, "version", None)
            self._fill(record.draft, record.status)
            self.status.value = saved_note(text("apps.status.draft_loaded", self.lang))
        self.show_profile(trainee)
        if self.scores is not None:
            self.scores.show(trainee)

    def new_assessment(self) -> None:
        if not self.trainee.value or self.identity is None:
            return
        draft = AssessmentDraft(
            trainee_id=self.trainee.value,
            assessor_id=self.identity.person_id,
            assessed_on=self.store.today(),
            assessment_id=new_id(),
        )
        self.version = None
        self._fill(draft, None)
        self.status.value = ""

    def _fill(self, draft: AssessmentDraft, status: str | None) -> None:
        self._loading = True
        try:
            self.record_id = draft.assessment_id
            self.status_id = status
            self.assessed.value = draft.assessed_on
            for competency_id, row in self.rows.items():
                rating = draft.ratings.get(competency_id, CompetencyRatingDraft())
                row.level.value = rating.level
                row.self_level.value = rating.self_level or 0
                row.evidence.value = rating.evidence
            self.comment.value = draft.comment
        finally:
            self._loading = False
        self.lock(status not in (None, RecordStatus.DRAFT))

    def read(self, *, complete: bool = False) -> tuple[AssessmentDraft | None, Problems]:
        problems = Problems(self.lang)
        lang = self.lang
        assessed = problems.read(
            "assessed_on",
            lambda: read_past_date(
                self.assessed.value, "assessed_on", self.store.today(), required=complete
            ),
        )
        ratings: dict[str, CompetencyRatingDraft] = {}
        for competency_id, row in self.rows.items():
            evidence = row.evidence.value.strip()
            field_id = row.field.field_id
            problems.read(field_id, partial(read_text, evidence, "evidence"))
            if complete and row.level.value is None:
                problems.add(field_id, text("error.apps_choose_level", lang))
            if complete and self.rubric.evidence_required and not evidence:
                problems.add(field_id, text("error.apps_evidence_needed", lang))
            ratings[competency_id] = CompetencyRatingDraft(
                row.level.value, evidence, row.self_level.value or None
            )
        comment = self.comment.value.strip()
        problems.read("comment", partial(read_text, comment, "comment"))
        if problems or self.identity is None or not self.trainee.value:
            return None, problems
        return (
            AssessmentDraft(
                trainee_id=self.trainee.value,
                assessor_id=self.identity.person_id,
                assessed_on=assessed,
                ratings=ratings,
                comment=comment,
                assessment_id=self.record_id or new_id(),
            ),
            problems,
        )

    def has_subject(self) -> bool:
        return bool(self.trainee.value)

    def save_draft(self, actor: str, draft: AssessmentDraft) -> Saved:
        saved = self.store.save_assessment_draft(actor, draft, self.rubric)
        self.record_id = draft.assessment_id
        return saved

    def subject_key(self) -> str:
        return str(self.trainee.value or "")

    def reopen(self) -> None:
        self.open_trainee()

    def load_saved(self, record_id: str) -> AssessmentRecord:
        return self.store.load_assessment(record_id)

    def submit_record(self, actor: str, draft: AssessmentDraft) -> str:
        self.store.submit_assessment(actor, draft.assessment_id, self.rubric, version=self.version)
        return draft.assessment_id

    def after_submit(self, draft: AssessmentDraft, result: str) -> None:
        self.show_profile(draft.trainee_id)
        self.profile_box.selected_index = 0  # show the new profile

    def show_profile(self, trainee: str) -> pd.DataFrame:
        """The trainee's competency profile from submitted assessments (table and chart)."""
        lang = self.lang
        history = self.store.competency_history([trainee], actor=self.who().person_id)
        profile = competency_profile(self.rubric, history, trainee, lang)
        count = history["assessment_id"].nunique()
        self.profile_box.layout.display = None
        self.profile_box.set_title(0, text("apps.comp.profile", lang, count=count))
        if count == 0:
            self.profile.children = (w.HTML(html.escape(text("apps.comp.no_profile", lang))),)
            return profile
        rows = [
            [
                r["label"],
                r["first_level"],
                r["previous_level"],
                r["latest_level"],
                None if pd.isna(r["change"]) else f"{int(r['change']):+d}",
                r["self_level"],
                text("apps.yes" if r["at_expected"] else "apps.no", lang),
            ]
            for r in profile.to_dict("records")
        ]
        headers = [
            text(f"apps.comp.col.{c}", lang)
            for c in ("competency", "first", "previous", "latest", "change", "self", "expected")
        ]
        note = self.rubric.expected.note.get(lang)
        chart = w.Image(
            value=figure_png(profile_figure(profile, self.rubric, lang)), format="png", width=860
        )
        how = text("apps.comp.chart_title", lang)
        self.profile.children = (
            w.HTML(f'<div class="sg-note">{html.escape(note)}<br>{html.escape(how)}</div>'),
            chart,
            w.HTML(html_table(rows, headers)),
        )
        return profile


def open_app(lang: Lang = "zh", context: AppContext | None = None) -> CompetencyForm:
    """The app on the workspace's store and data (what the Voila notebook calls)."""
    context = context or open_context()
    return CompetencyForm(
        context.store,
        load_competency_rubric(),
        context.stations,
        context.members,
        lang,
        settings=Settings(home=context.home),
    )
