"""The agreement and moderation panel of the station evaluation app.

When two or more evaluators have submitted for one station and round, the panel shows their
totals, ICC(2,1) and pairwise weighted kappa (``shegong.evaluation.agreement``) and the
indicators they disagree on; the lead evaluator 评估组长 sets the final score with a reason
(moderation); the others see that it is waiting for the lead, or the final result.

``AgreementPanel`` is a child widget of ``StationEvaluation``: the form calls
``show(station, period, identity)`` whenever the station, the round or the person changes (or
an evaluation is submitted), ``clear()`` when there is nothing to compare; the lead's
``moderate()`` then applies to the station and round last shown.
"""

from __future__ import annotations

import html
import math

import ipywidgets as w
import pandas as pd

from shegong.errors import ShegongError
from shegong.evaluation import AgreementError, StationRubric, station_agreement
from shegong.messages import Lang, text
from shegong.records import RecordsStore
from shegong.widgets.forms.fields import (
    Field,
    Form,
    Problems,
    banner,
    html_table,
    text_area,
    text_input,
)
from shegong.widgets.forms.readers import read_number, require
from shegong.widgets.forms.shell import Identity

ICC_BANDS = ((0.9, "excellent"), (0.75, "good"), (0.5, "moderate"), (-math.inf, "poor"))


def icc_band(value: float) -> str:
    """``excellent``/``good``/``moderate``/``poor`` (Koo & Li 2016), ``na`` for nan."""
    if value != value:
        return "na"
    return next(name for low, name in ICC_BANDS if value >= low)


class AgreementPanel(w.VBox):
    """Agreement between evaluators and the lead's moderation (a part of the evaluation page)."""

    children: tuple[w.Widget, ...]
    # the lead's moderation controls, made fresh each time the panel shows them
    final_total: w.Text
    final_reason: w.Textarea
    final_vetoed: w.Checkbox
    moderation_form: Form

    def __init__(
        self, store: RecordsStore, rubric: StationRubric, lang: Lang, names: dict[str, str]
    ) -> None:
        self.store = store
        self.rubric = rubric
        self.lang = lang
        self.names = names
        self.station = ""
        self.period = ""
        self.identity: Identity | None = None
        super().__init__()
        self.add_class("sg-agreement")

    def clear(self) -> None:
        self.station, self.identity = "", None
        self.children = ()

    def show(self, station: str, period: str, identity: Identity | None) -> None:
        """The evaluators' agreement for this station and round, and moderation for the lead."""
        self.station, self.period, self.identity = station, period, identity
        self.refresh()

    def refresh(self) -> None:
        lang = self.lang
        station, period = self.station, self.period
        if not station or self.identity is None:
            self.children = ()
            return
        frame = self.store.station_evaluations(station)
        done = frame[
            (frame["period"] == period)
            & (frame["status"].isin(["submitted", "moderated"]))
            & (frame["rubric_version"] == self.rubric.version)
        ]
        title = w.HTML(f"<h3>{html.escape(text('apps.eval.agreement', lang))}</h3>")
        if done.empty:  # nothing to compare yet: no panel at all
            self.children = ()
            return
        if len(done) < 2:
            note = text("apps.eval.agreement_wait", lang, count=len(done))
            self.children = (title, w.HTML(banner(html.escape(note), "info")))
            return
        parts: list[w.Widget] = [title]
        totals = [
            [
                self.names.get(str(r["evaluator_id"]), str(r["evaluator_id"])),
                r["visited_on"],
                f"{float(r['total']):g}",
                self.rubric.grade(str(r["grade"])).label.get(lang),
            ]
            for r in done.to_dict("records")
        ]
        headers = [
            text(f"apps.eval.col.{c}", lang) for c in ("evaluator", "visited", "total", "grade")
        ]
        parts.append(w.HTML(html_table(totals, headers)))
        ratings = self.store.submitted_ratings(station, self.rubric, period)
        try:
            report = station_agreement(self.rubric, ratings)
        except AgreementError as error:
            parts.append(w.HTML(banner(html.escape(error.message(lang)), "info")))
        else:
            icc = report.icc
            shown = "—" if icc != icc else f"{icc:.2f}"
            band = text(f"apps.eval.icc_band.{icc_band(icc)}", lang)
            lines = [text("apps.eval.icc", lang, icc=shown, band=band)]
            for pair in report.pairs.to_dict("records"):
                value = float(pair["kappa"])
                a, b = str(pair["rater_a"]), str(pair["rater_b"])
                lines.append(
                    text(
                        "apps.eval.kappa",
                        lang,
                        a=self.names.get(a, a),
                        b=self.names.get(b, b),
                        kappa="—" if value != value else f"{value:.2f}",
                        exact=f"{100 * float(pair['exact']):.0f}",
                    )
                )
            disputed = [self.rubric.indicator(i).name.get(lang) for i in report.disputed()]
            sep = "、" if lang == "zh" else "; "
            lines.append(
                text("apps.eval.disputed", lang, items=sep.join(disputed))
                if disputed
                else text("apps.eval.no_disputes", lang)
            )
            parts.append(w.HTML("".join(f"<div>{html.escape(line)}</div>" for line in lines)))
        results = self.store.station_results()
        mine = results[
            (results["station_id"] == station)
            & (results["period"] == period)
            & (results["rubric_version"] == self.rubric.version)
        ]
        result = mine.iloc[0] if not mine.empty else None
        moderated = result is not None and not bool(result["needs_moderation"])
        if moderated and result is not None:
            grade = self.rubric.grade(str(result["final_grade"])).label.get(lang)
            final = text(
                "apps.eval.final", lang, total=f"{float(result['final_total']):g}", grade=grade
            )
            parts.append(w.HTML(banner(html.escape(final), "ok")))
        if self.identity.member.lead:
            parts.append(self._moderation_form(done, moderated))
        elif not moderated:
            parts.append(w.HTML(banner(html.escape(text("apps.eval.wait_lead", lang)), "info")))
        self.children = tuple(parts)

    def _moderation_form(self, done: pd.DataFrame, moderated: bool) -> w.Widget:
        lang = self.lang
        self.final_total = text_input(width="8em")
        self.final_total.add_class("sg-final-total")
        self.final_total.value = f"{float(done['total'].mean()):.2f}".rstrip("0").rstrip(".")
        self.final_reason = text_area(text("apps.eval.reason_placeholder", lang), rows=3)
        self.final_reason.add_class("sg-final-reason")
        self.final_vetoed = w.Checkbox(
            description=text("apps.eval.final_vetoed", lang),
            value=bool(done["vetoed"].fillna(False).astype(bool).any()),
            indent=False,
        )
        self.moderation_form = Form(
            lang,
            [
                Field(
                    "final_total",
                    text("apps.field.final_total", lang),
                    self.final_total,
                    required=True,
                    hint=text("apps.hint.final_total", lang),
                ),
                Field("reason", text("apps.field.reason", lang), self.final_reason, required=True),
            ],
        )
        button = w.Button(
            description=text("apps.eval.moderate", lang), button_style="warning", icon="gavel"
        )
        button.add_class("sg-moderate")
        button.on_click(lambda _b: self.moderate())
        heading = text("apps.eval.remoderate" if moderated else "apps.eval.moderation", lang)
        return w.VBox(
            [
                w.HTML(f"<h4>{html.escape(heading)}</h4>"),
                *self.moderation_form.fields.values(),
                self.final_vetoed,
                self.moderation_form.banner,
                button,
            ]
        )

    def moderate(self) -> str | None:
        """The lead's final score for the station and round; None when a value is wrong."""
        if self.identity is None or not self.station:
            return None
        problems = Problems(self.lang)
        total = problems.read(
            "final_total",
            lambda: read_number(self.final_total.value, "final_total", 0, 100, required=True),
        )
        reason = problems.read("reason", lambda: require(self.final_reason.value, "reason"))
        if problems:
            self.moderation_form.show(problems.by_field)
            return None
        try:
            moderation_id = self.store.moderate(
                self.identity.person_id,
                self.station,
                self.rubric,
                float(total),
                str(reason),
                period=self.period,
                vetoed=bool(self.final_vetoed.value),
            )
        except ShegongError as error:
            self.moderation_form.show_error(error)
            return None
        self.refresh()
        return moderation_id
