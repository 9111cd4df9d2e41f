"""StationEvaluation 站点评估: an evaluator rates a township station against the rubric.

Pick a station and the evaluation round, give each indicator a level with the evidence seen,
tick any veto item 一票否决 with what was found, and submit. Every change is saved as a draft
at once (autosave), so closing the page or losing the server loses nothing; a value that
makes no sense (a visit date in the future, a veto without a note) is shown under its field
and nothing is saved until it is fixed. Submitting locks the evaluation and shows the
weighted score, the grade and a radar chart of the five dimensions.

When two or more evaluators have submitted for one station and round, the agreement panel
(``shegong.widgets.apps.evaluation_agreement``) shows how far they agree and lets the lead
evaluator 评估组长 set the final score with a reason.
"""

from __future__ import annotations

import html
from functools import partial

import ipywidgets as w
import pandas as pd

from shegong.evaluation import (
    StationRubric,
    StationScore,
    load_station_rubric,
)
from shegong.messages import Lang, text
from shegong.records import (
    EvaluationDraft,
    EvaluationRecord,
    RatingDraft,
    RecordsStore,
    RecordStatus,
    Role,
    Saved,
    new_id,
)
from shegong.records.roster import Member
from shegong.widgets.apps.evaluation_agreement import AgreementPanel
from shegong.widgets.apps.station_form import (
    IndicatorRow,
    VetoList,
    default_period,
    periods,
    station_options,
)
from shegong.widgets.apps.station_result import StationResult, running_score_html
from shegong.widgets.forms.fields import (
    Field,
    Problems,
    banner,
    date_input,
    hide,
    html_block,
    light_box,
    saved_note,
    text_area,
)
from shegong.widgets.forms.readers import read_past_date, read_text
from shegong.widgets.forms.record_form import RecordForm
from shegong.widgets.forms.shell import AppContext, Identity, open_context

__all__ = ["StationEvaluation", "open_app"]


class StationEvaluation(RecordForm):
    """The station evaluation form of one evaluator (a ``VBox``; displays itself)."""

    app_name = "station_evaluation"
    title_id = "apps.eval.title"
    subtitle_id = "apps.eval.subtitle"
    roles = (Role.EVALUATOR,)
    submitted_id = "apps.eval.submitted"

    def __init__(
        self,
        store: RecordsStore,
        rubric: StationRubric,
        stations: pd.DataFrame,
        members: list[Member],
        lang: Lang = "zh",
    ) -> None:
        super().__init__(
            lang, members, dict(zip(stations["station_id"], stations["name_zh"], strict=True))
        )
        self.store = store
        self.rubric = rubric
        self.stations = stations
        self.names = {m.person_id: m.display_name for m in members}
        today = store.today()

        self.station = w.Dropdown(options=station_options(stations, lang), value="")
        self.station.add_class("sg-station")
        self.period = w.Dropdown(options=periods(today, lang), value=default_period(today))
        self.period.add_class("sg-period")
        station_field = self.form.add(
            Field("station_id", text("apps.field.station_id", lang), self.station, required=True)
        )
        period_field = self.form.add(
            Field("period", text("apps.field.period", lang), self.period, required=True)
        )
        self.chooser_hint = html_block(
            banner(html.escape(text("apps.eval.pick_station", lang)), "info")
        )
        # the form, the result and the agreement panel come once a station is chosen
        self.details_slot = light_box()
        self.result_slot = light_box()
        self.agreement_slot = light_box()  # first: a lead comes here to moderate
        self.form_box = light_box(
            [
                html_block(f"<h3>{html.escape(text('apps.eval.section_visit', lang))}</h3>"),
                light_box([station_field, period_field], "sg-wrap", row=True),
                self.chooser_hint,
                self.agreement_slot,
                self.details_slot,
            ]
        )
        self.body.children = (self.form_box, self.result_slot)

        self.station.observe(lambda _c: self.open_station(), names="value")
        self.period.observe(lambda _c: self.open_station(), names="value")
        self._show_blank()

    lazy_parts = frozenset(
        {"visited", "rows", "vetoes", "comment", "score_line", "result", "agreement", "details"}
    )
    visited: w.DatePicker
    rows: dict[str, IndicatorRow]
    vetoes: VetoList
    comment: w.Textarea
    score_line: w.HTML
    result: StationResult
    agreement: AgreementPanel
    details: w.VBox

    def build_form(self) -> None:
        """The visit, one row per indicator, the vetoes, the comment, the result and agreement."""
        lang, rubric = self.lang, self.rubric
        self.submit_button.description = text("apps.eval.submit", lang)
        self.visited = date_input()
        self.visited.add_class("sg-visited")
        self.rows = {i.id: IndicatorRow(i, lang) for i in rubric.indicators}
        self.comment = text_area(text("apps.eval.comment_placeholder", lang), rows=3)
        self.comment.add_class("sg-comment")
        visited_field = self.form.add(
            Field(
                "visited_on",
                text("apps.field.visited_on", lang),
                self.visited,
                required=True,
                hint=text("apps.hint.not_future", lang),
            )
        )
        for row in self.rows.values():
            self.form.add(row.field)
        self.vetoes = VetoList(rubric, lang, self.form)
        comment_field = self.form.add(
            Field("comment", text("apps.field.comment", lang), self.comment)
        )
        self.score_line = html_block("", "sg-score")
        self.result = StationResult(rubric, lang)
        self.agreement = AgreementPanel(self.store, rubric, lang, self.names)

        details: list[w.Widget] = [visited_field]
        for dimension in rubric.dimensions:
            heading = text(
                "apps.eval.dimension",
                lang,
                name=dimension.name.get(lang),
                weight=f"{dimension.weight:g}",
            )
            details.append(html_block(f"<h3>{html.escape(heading)}</h3>"))
            details += [self.rows[i.id].field for i in dimension.indicators]
        details.append(self.vetoes)
        self.status_bar.children = (self.score_line, *self.status_bar.children)
        details += [comment_field, self.status_bar, self.submit_button]
        self.details = w.VBox(details)
        self.details.layout.display = "none"
        self.details_slot.children = (self.details,)
        self.result_slot.children = (self.result,)
        self.agreement_slot.children = (self.agreement,)
        self.watch(self.inputs())

    # --- identity and loading -------------------------------------------------------------

    def inputs(self) -> list[w.Widget]:
        controls: list[w.Widget] = [self.visited, self.comment]
        for row in self.rows.values():
            controls += row.controls
        controls += self.vetoes.controls()
        return controls

    def show_for(self, identity: Identity) -> None:
        """Open the station from the link (``?station=``) or the person's latest draft."""
        wanted = self.query.get("station")
        valid = {value for _label, value in self.station.options if value}
        if wanted not in valid:
            wanted = self._latest_draft_station(identity.person_id)
        if wanted is not None and wanted != self.station.value:
            self.station.value = wanted  # opens it through the observer
        else:
            self.open_station()

    def _latest_draft_station(self, person_id: str) -> str | None:
        frame = self.store.station_evaluations()
        mine = frame[(frame["evaluator_id"] == person_id) & (frame["status"] == "draft")]
        if mine.empty:
            return None
        row = mine.iloc[-1]
        if row["period"] in {value for _label, value in self.period.options}:
            self._loading = True
            try:
                self.period.value = row["period"]
            finally:
                self._loading = False
        return str(row["station_id"])

    def _mine(self) -> pd.Series | None:
        """The signed-in evaluator's evaluation of the chosen station and round, if any."""
        if self.identity is None or not self.station.value:
            return None
        frame = self.store.station_evaluations(self.station.value)
        mine = frame[
            (frame["evaluator_id"] == self.identity.person_id)
            & (frame["period"] == self.period.value)
            & (frame["rubric_id"] == self.rubric.id)
            & (frame["rubric_version"] == self.rubric.version)
        ]
        return None if mine.empty else mine.iloc[-1]

    def open_station(self) -> None:
        """Show the chosen station's evaluation: the draft, the submitted record or a blank."""
        if self._loading:
            return
        self.form.clear()
        if self.identity is None or not self.station.value:
            self._show_blank()
            return
        self.ensure_form()
        self.result.clear()
        row = self._mine()
        self._loading = True
        try:
            if row is None:
                self._fill_blank()
            else:
                record = self.store.load_evaluation(str(row["evaluation_id"]))
                self._fill(record.draft)
                self.record_id = record.draft.evaluation_id
                self.status_id = record.status
                self.version = getattr(record, "version", None)
        finally:
            self._loading = False
        locked = self.status_id not in (None, RecordStatus.DRAFT)
        self.lock(locked)
        self.new_button.layout.display = "none"
        hide(self.chooser_hint)
        self.details.layout.display = None
        if locked:
            self.status.value = banner(
                html.escape(text("apps.eval.locked", self.lang)),
                "info",
            )
            self.result.show(self.store.evaluation_score(self.record_id or "", self.rubric))
        elif self.status_id == RecordStatus.DRAFT:
            self.status.value = saved_note(text("apps.status.draft_loaded", self.lang))
        else:
            self.status.value = ""
        self._update_score()
        self.agreement.show(self.station.value, self.period.value, self.identity)

    def _show_blank(self) -> None:
        """Before a station is chosen: only the station and round pickers and a hint."""
        hide(self.chooser_hint, False)
        self.status.value = ""
        if self.form_built:
            self.result.clear()
            self.agreement.clear()
            self.details.layout.display = "none"
            self.score_line.value = ""

    def _fill_blank(self) -> None:
        self.record_id = new_id()
        self.status_id = None
        self.version = None
        self.visited.value = None
        for row in self.rows.values():
            row.level.value = None
            row.evidence.value = ""
        self.vetoes.fill({})
        self.comment.value = ""

    def _fill(self, draft: EvaluationDraft) -> None:
        self.visited.value = draft.visited_on
        for indicator_id, row in self.rows.items():
            rating = draft.ratings.get(indicator_id, RatingDraft())
            row.level.value = rating.level
            row.evidence.value = rating.evidence
        self.vetoes.fill(draft.vetoes)
        self.comment.value = draft.comment

    # --- reading, autosave and submit -----------------------------------------------------

    def read(self, *, complete: bool = False) -> tuple[EvaluationDraft | None, Problems]:
        """The form as a draft, and every problem found (``complete``: as for submitting)."""
        problems = Problems(self.lang)
        today = self.store.today()
        visited = problems.read(
            "visited_on",
            lambda: read_past_date(self.visited.value, "visited_on", today, required=complete),
        )
        ratings: dict[str, RatingDraft] = {}
        for indicator_id, row in self.rows.items():
            evidence = row.evidence.value.strip()
            problems.read(row.field.field_id, partial(read_text, evidence, "evidence"))
            if complete and row.level.value is None:
                problems.add(row.field.field_id, text("error.apps_choose_level", self.lang))
            ratings[indicator_id] = RatingDraft(row.level.value, evidence)
        vetoes = self.vetoes.read(problems, complete=complete)
        comment = self.comment.value.strip()
        problems.read("comment", partial(read_text, comment, "comment"))
        if problems or self.identity is None or not self.station.value:
            return None, problems
        draft = EvaluationDraft(
            station_id=self.station.value,
            evaluator_id=self.identity.person_id,
            period=self.period.value,
            visited_on=visited,
            ratings=ratings,
            vetoes=vetoes,
            comment=comment,
            evaluation_id=self.record_id or new_id(),
        )
        return draft, problems

    def _levels(self) -> dict[str, int | None]:
        return {i: row.level.value for i, row in self.rows.items()}

    def _update_score(self) -> None:
        vetoes = self.vetoes.ticked()
        self.score_line.value = running_score_html(self.rubric, self._levels(), vetoes, self.lang)

    def has_subject(self) -> bool:
        return bool(self.station.value)

    def before_save(self) -> None:
        self._update_score()

    def save_draft(self, actor: str, draft: EvaluationDraft) -> Saved:
        saved = self.store.save_evaluation_draft(actor, draft, self.rubric)
        self.record_id = draft.evaluation_id
        return saved

    def subject_key(self) -> str:
        return f"{self.station.value}|{self.period.value}"

    def reopen(self) -> None:
        self.open_station()

    def load_saved(self, record_id: str) -> EvaluationRecord:
        return self.store.load_evaluation(record_id)

    def submit_record(self, actor: str, draft: EvaluationDraft) -> StationScore:
        return self.store.submit_evaluation(
            actor, draft.evaluation_id, self.rubric, version=self.version
        )

    def after_submit(self, draft: EvaluationDraft, result: StationScore) -> None:
        self.new_button.layout.display = "none"
        self.result.show(result)
        self.agreement.show(self.station.value, self.period.value, self.identity)

    # --- results, agreement and moderation -----------------------------------------------


def open_app(lang: Lang = "zh", context: AppContext | None = None) -> StationEvaluation:
    """The app on the workspace's store and data (what the Voila notebook calls)."""
    context = context or open_context()
    return StationEvaluation(
        context.store, load_station_rubric(), context.stations, context.members, lang
    )
