"""RubricPanel 量规评分面板: a supervisor grades written answers by rubric levels and comments.

The panel shows one written answer at a time (trainee and question chosen from lists, or
"next ungraded"), the trainee's text (their Markdown shown as safe HTML), one row of level
buttons per rubric criterion with the chosen level's descriptor under it, the assignment's
comment bank (pick any number, or add a new comment in both languages), a free comment and
the grader's name. "Save" calls ``shegong.grading.manual.apply``: the score and comment go
into nbgrader's gradebook (so formgrader and exports see them) and who graded and when into
``grading.db``. A saved grade is loaded back when the answer is opened again. The Voila app
``shegong.widgets.apps.grading_app`` serves the panel to supervisors.

Every action is a plain method (``show_answer``, ``choose``, ``pick``, ``add_comment``, ``save``,
``next_ungraded``), so a notebook, a Voila app or a test can drive it without a browser.
Strings come from the catalogue (``grading.panel.*``).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Collection, Mapping
from typing import Any

import ipywidgets as w
from markdown_it import MarkdownIt

from shegong.errors import ShegongError
from shegong.grading import manual, masters
from shegong.grading.config import CoursePaths, GradingOptions, load_options
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.rubric import Criterion
from shegong.messages import Lang, text
from shegong.records.database import CHINA_TIME
from shegong.settings import Settings
from shegong.widgets.forms.fields import html_block

LABEL_WIDTH = "7.5em"


def _link_in_new_tab(self: Any, tokens: Any, idx: int, options: Any, env: Any) -> str:
    tokens[idx].attrSet("target", "_blank")
    tokens[idx].attrSet("rel", "noopener noreferrer")
    return str(self.renderToken(tokens, idx, options, env))


# Raw HTML in an answer is shown as text ("html": False escapes it), single line breaks are
# kept as the trainee typed them, images are not loaded (the page stays offline), and
# markdown-it refuses javascript:, vbscript:, file: and data: links.
_MARKDOWN = MarkdownIt("commonmark", {"html": False, "breaks": True}).enable("table")
_MARKDOWN.disable("image")
_MARKDOWN.add_render_rule("link_open", _link_in_new_tab)


def _when(saved: manual.Recorded) -> str:
    """When an answer was graded, in China's time: ``2025-03-02 16:05``."""
    try:
        moment = dt.datetime.fromisoformat(saved.graded_at)
    except ValueError:
        return saved.graded_at
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(CHINA_TIME).strftime("%Y-%m-%d %H:%M")


def answer_html(source: str) -> str:
    """A trainee's written answer (Markdown) as HTML that is safe to put in the page."""
    return _MARKDOWN.render(source)


class RubricPanel(w.VBox):
    """Grade one assignment's written answers with its rubric (see the module docstring)."""

    def __init__(
        self,
        settings: Settings,
        assignment: str,
        *,
        grader: str = "",
        options: GradingOptions | None = None,
        lang: Lang = "zh",
        people: Mapping[str, str] | None = None,
        trainees: Collection[str] | None = None,
        grader_fixed: bool = False,
    ) -> None:
        self.lang: Lang = lang
        # whose answers this grader may open and grade (None: everyone in the course, for a
        # supervisor's own notebook); the Voila app passes their own agency's trainees
        self.trainees = None if trainees is None else frozenset(trainees)
        # the app records grades under the signed-in person: the grader box is only shown,
        # and a value a page visitor sets on it through the widget protocol is ignored
        self.fixed_grader = grader if grader_fixed else None
        # names by person id: with them, trainees and graders are shown as "苏梅秀（编号
        # w000011）" (trainees' names from the gradebook first), without them by id only
        self.people = None if people is None else dict(people)
        self.paths = CoursePaths.of(settings)
        self.options = options or load_options()
        self.context = GradingContext(settings, self.options, self.paths)
        self.assignment = masters.find(assignment)
        self.rubric = masters.load_assignment_rubric(self.assignment)
        self.student = ""
        self.cell = ""
        t = self._t
        wide = {"description_width": LABEL_WIDTH}  # "Comment bank" is not cut off
        self.trainee_box = w.Dropdown(
            description=t("grading.panel.trainee"), options=[], style=wide
        )
        self.cell_box = w.Dropdown(
            description=t("grading.panel.question"), options=list(self.rubric.cells)
        )
        self.next_button = w.Button(description=t("grading.panel.next"), icon="forward")
        self.next_button.on_click(lambda _b: self.next_ungraded())
        self.trainee_box.observe(self._on_select, names="value")
        self.cell_box.observe(self._on_select, names="value")
        self.waiting = html_block()
        self.answer = html_block()
        self.levels: dict[str, w.ToggleButtons] = {}
        self.descriptors: dict[str, w.HTML] = {}
        self.criteria_box = w.VBox()
        self.bank_box = w.SelectMultiple(
            description=t("grading.panel.bank"),
            layout={"width": "60em", "height": "8em"},
            style=wide,
        )
        self.new_zh = w.Text(placeholder=t("grading.panel.new_zh"), layout={"width": "40em"})
        self.new_en = w.Text(placeholder=t("grading.panel.new_en"), layout={"width": "40em"})
        add = w.Button(description=t("grading.panel.add_comment"), icon="plus")
        add.on_click(lambda _b: self._add_from_fields())
        self.comment = w.Textarea(
            description=t("grading.panel.comment"),
            layout={"width": "60em", "height": "5em"},
            style=wide,
        )
        self.grader = w.Text(description=t("grading.panel.grader"), value=grader, style=wide)
        save = w.Button(description=t("grading.panel.save"), icon="check", button_style="primary")
        save.on_click(lambda _b: self._save_clicked())
        self.message = html_block()
        self.graded_by = html_block()
        super().__init__(
            [
                html_block(f"<h3>{html.escape(self.assignment.title(lang))}</h3>"),
                w.HBox([self.trainee_box, self.cell_box, self.next_button]),
                self.waiting,
                self.answer,
                self.criteria_box,
                self.bank_box,
                w.HBox([self.new_zh, self.new_en, add]),
                self.comment,
                w.HBox([self.grader, save]),
                self.graded_by,
                self.message,
            ]
        )
        self.refresh()

    def _t(self, msg_id: str, **values: Any) -> str:
        return text(msg_id, self.lang, **values)

    # ---------------------------------------------------------------- loading
    def refresh(self) -> None:
        """Reload the trainees, the comment bank and the waiting count."""
        with open_gradebook(self.paths.db_url, self.options.course_id) as gb:
            students = sorted(
                (str(s.student.id), str(s.student.last_name or ""))
                for s in gb.assignment_submissions(self.assignment.id)
                if self._may_grade(str(s.student.id))
            )
        if self.people is not None:
            self.trainee_box.options = [(self._person(*s), s[0]) for s in students]
        else:
            self.trainee_box.options = [student for student, _name in students]
        self._load_bank()
        waiting = self._waiting()
        self.waiting.value = html.escape(self._t("grading.panel.waiting", count=len(waiting)))

    def _may_grade(self, student: str) -> bool:
        return self.trainees is None or student in self.trainees

    def _waiting(self) -> list[tuple[str, str]]:
        """(student, cell) pairs still waiting for a grade, of the trainees this grader may see."""
        pairs = manual.to_grade(self.paths, self.options, self.assignment.id, self.rubric)
        return [pair for pair in pairs if self._may_grade(pair[0])]

    def _refuse_other(self, student: str) -> None:
        if not self._may_grade(student):
            raise ShegongError("grading.error.not_your_trainee", student=student)

    def _person(self, person_id: str, name: str = "") -> str:
        """``苏梅秀（编号 w000011）`` when a name is known (``people`` given), else the id."""
        if self.people is None:
            return person_id
        name = name or self.people.get(person_id, "")
        if not name or name == person_id:
            return person_id
        return self._t("apps.grading.person_named", name=name, id=person_id)

    def _graded_by(self, saved: manual.Recorded) -> str:
        grader = self._person(saved.grader)
        return html.escape(self._t("grading.panel.graded_by", grader=grader, when=_when(saved)))

    def _load_bank(self) -> None:
        comments = manual.bank(self.paths, self.rubric)
        chosen = tuple(self.bank_box.value)
        self.bank_box.options = [(c.text.get(self.lang), c.id) for c in comments]
        self.bank_box.value = tuple(i for i in chosen if i in {c.id for c in comments})

    def _on_select(self, _change: Any) -> None:
        if self.trainee_box.value and self.cell_box.value:
            self.show_answer(str(self.trainee_box.value), str(self.cell_box.value))

    def _criterion_row(self, criterion: Criterion) -> w.VBox:
        options = [
            (f"{lv.label.get(self.lang)} ({lv.points:g})", lv.points) for lv in criterion.levels
        ]
        buttons = w.ToggleButtons(
            options=options,
            value=None,
            # what each level means, on hover, before choosing
            tooltips=[lv.descriptor.get(self.lang) for lv in criterion.levels],
            style={"button_width": "auto"},
        )
        buttons.add_class(f"sg-criterion-{criterion.id}")
        descriptor = html_block()
        buttons.observe(lambda _c, c=criterion: self._show_descriptor(c), names="value")
        self.levels[criterion.id] = buttons
        self.descriptors[criterion.id] = descriptor
        title = html_block(f"<b>{html.escape(criterion.title.get(self.lang))}</b>")
        return w.VBox([title, buttons, descriptor])

    def _show_descriptor(self, criterion: Criterion) -> None:
        points = self.levels[criterion.id].value
        shown = "" if points is None else criterion.level(float(points)).descriptor.get(self.lang)
        self.descriptors[criterion.id].value = f"<small>{html.escape(shown)}</small>"

    def show_answer(self, student: str, cell: str) -> None:
        """Show one written answer, with its saved grade if there is one."""
        self._refuse_other(student)
        self.student, self.cell = student, cell
        shown = [
            option[1] if isinstance(option, tuple) else option
            for option in self.trainee_box.options
        ]
        if self.trainee_box.value != student and student in shown:
            self.trainee_box.value = student
        if self.cell_box.value != cell:
            self.cell_box.value = cell
        answer = manual.written_answer(self.paths, self.assignment.id, student, cell)
        self.answer.value = f'<div class="sg-answer">{answer_html(answer)}</div>'
        self.levels, self.descriptors = {}, {}
        self.criteria_box.children = [self._criterion_row(c) for c in self.rubric.for_cell(cell)]
        saved = manual.recorded(self.paths, self.assignment.id, student, cell)
        self.comment.value = ""
        self.bank_box.value = ()
        self.graded_by.value = ""
        self.message.value = ""
        if saved is not None:
            for criterion_id, points in saved.choices.items():
                if criterion_id in self.levels:
                    self.levels[criterion_id].value = points
            known = {value for _, value in self.bank_box.options}
            self.bank_box.value = tuple(i for i in saved.bank_ids if i in known)
            self.comment.value = saved.comment
            self.graded_by.value = self._graded_by(saved)

    def next_ungraded(self) -> bool:
        """Open the next answer still waiting for a grade; False when none is left."""
        waiting = self._waiting()
        if not waiting:
            self.message.value = (
                f'<div class="sg-good">{html.escape(self._t("grading.panel.done"))}</div>'
            )
            return False
        self.show_answer(*waiting[0])
        return True

    # ---------------------------------------------------------------- grading
    def choose(self, criterion_id: str, points: float) -> None:
        """Choose the level worth ``points`` for one criterion (what a click does)."""
        criterion = self.rubric.criterion(criterion_id)  # unknown id: a bilingual error
        if criterion_id not in self.levels:  # a criterion of another question
            raise ShegongError(
                "grading.error.manual_cell", assignment=self.assignment.id, cell=criterion.cell
            )
        self.levels[criterion_id].value = criterion.level(float(points)).points

    def pick(self, *bank_ids: str) -> None:
        """Select comments from the bank by id."""
        self.bank_box.value = tuple(bank_ids)

    def add_comment(self, zh: str, en: str) -> str:
        """Add a comment to the bank in both languages, select it, and return its id."""
        comment = manual.add_to_bank(self.paths, self.rubric, zh, en, self.grader.value or "-")
        chosen = (*self.bank_box.value, comment.id)
        self._load_bank()
        self.bank_box.value = chosen
        return comment.id

    def _add_from_fields(self) -> None:
        try:
            self.add_comment(self.new_zh.value, self.new_en.value)
        except ShegongError as error:
            self.message.value = (
                f'<div class="sg-bad">{html.escape(error.message(self.lang))}</div>'
            )
            return
        self.new_zh.value = self.new_en.value = ""

    def save(self) -> float:
        """Save the chosen levels and comments (raises a bilingual error if incomplete)."""
        self._refuse_other(self.student)
        choices = {cid: float(b.value) for cid, b in self.levels.items() if b.value is not None}
        grade = manual.RubricGrade(
            assignment=self.assignment.id,
            student=self.student,
            cell=self.cell,
            choices=choices,
            bank_ids=tuple(self.bank_box.value),
            comment=self.comment.value,
            grader=self.fixed_grader if self.fixed_grader is not None else self.grader.value,
        )
        score = manual.apply(self.context, self.rubric, grade)
        saved = manual.recorded(self.paths, self.assignment.id, self.student, self.cell)
        if saved is not None:
            self.graded_by.value = self._graded_by(saved)
        self.message.value = (
            f'<div class="sg-good">'
            f"{html.escape(self._t('grading.panel.saved', score=f'{score:g}'))}</div>"
        )
        self.refresh()
        return score

    def _save_clicked(self) -> None:
        try:
            self.save()
        except ShegongError as error:
            self.message.value = (
                f'<div class="sg-bad">{html.escape(error.message(self.lang))}</div>'
            )
