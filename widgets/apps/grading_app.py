"""RubricGrading 书面作答评分: the supervisors' page for grading written answers by rubric.

The Voila app around ``RubricPanel``. A supervisor opens the page and sees the assignments
of the workspace's grading course that have written answers and autograded submissions,
each with how many answers still wait for a grade; picking one shows the rubric panel in
the page's language: choose a trainee (by name) and a question, click the rubric levels,
pick comments, save. The score goes into nbgrader's gradebook and the grader recorded is
the person using the page (the panel's grader box is locked to them); who graded an answer
before is shown by name, at China's time.

When the workspace has no grading course yet, or nothing has been autograded, the page says
which ``shegong grade`` steps to run instead; collected submissions that were never
autograded are pointed out too.

Static parts (the assignment masters and their rubrics, nbgrader's import) are loaded in
``__init__``, which runs before the request under preheated Voila; the course itself is
read in ``show_for``. A link may choose the assignment: ``?assignment=groupwork``.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import ipywidgets as w
from sqlalchemy.exc import SQLAlchemyError

from shegong.errors import ShegongError
from shegong.grading import manual, masters, status
from shegong.grading.config import CoursePaths, GradingError, GradingOptions, load_options
from shegong.grading.gradebook import open_gradebook
from shegong.grading.model import AssignmentInfo
from shegong.grading.rubric import Rubric
from shegong.messages import Lang, text
from shegong.records import RecordsStore, Role
from shegong.records.roster import Member
from shegong.settings import Settings
from shegong.settings import load as load_settings
from shegong.widgets.apps.rubric_panel import RubricPanel
from shegong.widgets.forms.fields import banner, html_block
from shegong.widgets.forms.shell import AppContext, AppShell, Identity, open_context


@dataclass(frozen=True)
class Gradable:
    """An assignment with autograded submissions whose written answers can be graded."""

    info: AssignmentInfo
    submissions: int
    waiting: int


@dataclass(frozen=True)
class CourseState:
    """What the workspace's grading course offers to grade now."""

    course: bool  # is there a gradebook at all
    ready: list[Gradable] = field(default_factory=list)
    # collected submissions that were never autograded: (assignment, how many)
    not_autograded: list[tuple[AssignmentInfo, int]] = field(default_factory=list)


def load_assignments() -> list[tuple[AssignmentInfo, Rubric]]:
    """The assignment masters that have written answers, with their rubrics, in order."""
    found = []
    for info in masters.discover():
        rubric = masters.load_assignment_rubric(info)
        if rubric.cells:
            found.append((info, rubric))
    return found


def course_state(
    paths: CoursePaths,
    options: GradingOptions,
    assignments: Sequence[tuple[AssignmentInfo, Rubric]],
    trainees: Collection[str] | None = None,
) -> CourseState:
    """Which assignments have autograded submissions to grade (read only: nothing is made).

    ``trainees``: count only these trainees' work (the grader's own agency); None: all.
    """

    def mine(student: str) -> bool:
        return trainees is None or student in trainees

    if not paths.gradebook.is_file():
        return CourseState(course=False)
    autograded = (
        {(r.assignment, r.student) for r in status.rows(paths)}
        if paths.grading_db.is_file()
        else set()
    )
    ready, pending = [], []
    for info, rubric in assignments:
        with open_gradebook(paths.db_url, options.course_id) as gb:
            submissions = sum(
                1 for sub in gb.assignment_submissions(info.id) if mine(str(sub.student.id))
            )
        if submissions:
            waiting = [
                pair for pair in manual.to_grade(paths, options, info.id, rubric) if mine(pair[0])
            ]
            ready.append(Gradable(info, submissions, len(waiting)))
        collected = [
            folder.parent.name
            for folder in paths.step("submitted").glob(f"*/{info.id}")
            if folder.is_dir() and mine(folder.parent.name)
        ]
        never = [s for s in collected if (info.id, s) not in autograded]
        if never:
            pending.append((info, len(never)))
    return CourseState(course=True, ready=ready, not_autograded=pending)


class RubricGrading(AppShell):
    """Choose an assignment, then grade its written answers in the rubric panel."""

    app_name = "rubric_grading"
    title_id = "apps.grading.title"
    subtitle_id = "apps.grading.subtitle"
    roles = (Role.SUPERVISOR,)

    def __init__(
        self,
        settings: Settings,
        members: list[Member],
        stations: Mapping[str, str],
        lang: Lang = "zh",
        store: RecordsStore | None = None,
    ) -> None:
        super().__init__(lang, members, stations)
        self.settings = settings
        # the records store's rule book decides whose work a supervisor may grade (their own
        # agency's trainees); without a store the page grades nobody's work
        self.store = store
        self.trainees: frozenset[str] = frozenset()
        self.paths = CoursePaths.of(settings)
        self.options: GradingOptions | None = None
        self.panel: RubricPanel | None = None
        self._quiet = False
        # the masters are files of the checkout: read (and nbgrader imported) before the
        # request, so a preheated page only reads the course when someone opens it
        self.problem: ShegongError | None = None
        try:
            self.assignments = load_assignments()
        except ShegongError as error:
            self.assignments, self.problem = [], error
        import nbgrader.api  # noqa: F401  (imported now so the request does not wait for it)

        self.assignment = w.Dropdown(
            options=[], value=None, layout={"width": "max-content", "max_width": "100%"}
        )
        self.assignment.add_class("sg-assignment")
        self.assignment.observe(self._picked, names="value")
        self.grader_note = html_block("")
        label = html_block(f"<b>{html.escape(text('apps.grading.assignment', lang))}</b>")
        self.chooser = w.VBox(
            [w.HBox([label, self.assignment], layout={"align_items": "center"}), self.grader_note]
        )
        self.chooser.layout.display = "none"
        self.pending = html_block("")
        self.pending.add_class("sg-not-autograded")
        self.empty = html_block("")
        self.empty.add_class("sg-grading-empty")
        self.panel_slot = w.VBox()
        self.body.children = (self.chooser, self.pending, self.empty, self.panel_slot)

    # --- the request -----------------------------------------------------------------------

    def show_for(self, identity: Identity) -> None:
        """List what the course offers to grade; open the assignment of the link, if any."""
        self.panel, self.panel_slot.children = None, ()
        self.empty.value = self.pending.value = ""
        self.chooser.layout.display = "none"
        self.trainees = (
            frozenset(p.person_id for p in self.store.trainees_for(identity.person_id))
            if self.store is not None
            else frozenset()
        )
        state = self._read_course()
        if state is None:
            return
        self._show_pending(state)
        if not state.course or not state.ready:
            message_id = "apps.grading.nothing" if state.course else "apps.grading.no_course"
            message = text(message_id, self.lang, home=self.settings.home)
            self.empty.value = banner(self._commands(message), "info")
            return
        name = identity.member.display_name
        self.grader_note.value = (
            '<div class="sg-hint">'
            f"{html.escape(text('apps.grading.grader_is_you', self.lang, name=name))}</div>"
        )
        self.chooser.layout.display = None
        ids = [g.info.id for g in state.ready]
        wanted = self.query.get("assignment", "")
        waiting = [g.info.id for g in state.ready if g.waiting]
        first = wanted if wanted in ids else (waiting or ids)[0]
        self._set_options(state.ready, None)
        self.assignment.value = first  # opens the panel (``_picked``)

    def _read_course(self) -> CourseState | None:
        """The course now, or None after showing why it cannot be read."""
        try:
            if self.problem is not None:
                raise self.problem
            # the workspace's settings file ([grade] course_id ...), not the notebook folder's
            self.options = self.options or load_options(cwd=self.settings.home)
            return course_state(self.paths, self.options, self.assignments, self.trainees)
        except ShegongError as error:
            self.notice.value = banner(html.escape(error.message(self.lang)), "error")
        except SQLAlchemyError as error:
            message = text(
                "apps.grading.unreadable",
                self.lang,
                path=self.paths.gradebook,
                detail=str(error).splitlines()[0][:200],
            )
            self.notice.value = banner(html.escape(message), "error")
        return None

    def _show_pending(self, state: CourseState) -> None:
        lines = [
            text(
                "apps.grading.not_autograded",
                self.lang,
                title=info.title(self.lang),
                count=count,
                assignment=info.id,
            )
            for info, count in state.not_autograded
        ]
        self.pending.value = (
            banner("<br>".join(self._commands(line) for line in lines), "info") if lines else ""
        )

    def _commands(self, message: str) -> str:
        """The message escaped, with each ``shegong grade ...`` command set as code."""
        ids = "|".join(re.escape(info.id) for info, _rubric in self.assignments)
        argument = f"&lt;[^&]+&gt;|{ids}" if ids else "&lt;[^&]+&gt;"
        command = re.compile(f"shegong grade [a-z-]+(?: (?:{argument}))?")
        return command.sub(
            lambda m: f'<code class="sg-command">{m[0]}</code>', html.escape(message)
        )

    def _label(self, gradable: Gradable) -> str:
        return text(
            "apps.grading.option",
            self.lang,
            title=gradable.info.title(self.lang),
            submissions=gradable.submissions,
            waiting=gradable.waiting,
        )

    def _set_options(self, ready: list[Gradable], keep: str | None) -> None:
        """New labels (counts) for the list without reopening the chosen assignment."""
        self._quiet = True
        try:
            self.assignment.options = [(self._label(g), g.info.id) for g in ready]
            self.assignment.value = keep if keep in [g.info.id for g in ready] else None
        finally:
            self._quiet = False

    def _picked(self, change: dict[str, Any]) -> None:
        if not self._quiet and change["new"]:
            self.open_assignment(str(change["new"]))

    def open_assignment(self, assignment: str) -> RubricPanel:
        """Show the rubric panel of one assignment, graded as the person using the page."""
        known = [value for _label, value in self.assignment.options]
        if assignment not in known:
            raise GradingError(
                "grading.error.unknown_assignment", assignment=assignment, known=", ".join(known)
            )
        if self.assignment.value != assignment:
            self._quiet = True
            try:
                self.assignment.value = assignment
            finally:
                self._quiet = False
        panel = RubricPanel(
            self.settings,
            assignment,
            grader=self.who().person_id,
            options=self.options,
            lang=self.lang,
            people={m.person_id: m.display_name for m in self.members},
            trainees=self.trainees,
            grader_fixed=True,
        )
        panel.grader.disabled = True  # the grade is recorded under the signed-in person
        panel.waiting.observe(self._recount, names="value")
        panel.add_class("sg-rubric-panel")
        self.panel = panel
        self.panel_slot.children = (panel,)
        return panel

    def _recount(self, _change: Any) -> None:
        """After a save the panel counts again: so does the assignment list."""
        state = self._read_course()
        if state is not None and state.ready:
            self._set_options(state.ready, self.assignment.value)


def open_app(lang: Lang = "zh", context: AppContext | None = None) -> RubricGrading:
    """The app on the workspace's grading course and roster (what the Voila notebook calls)."""
    context = context or open_context()
    settings = load_settings({"home": context.home}, cwd=context.home)
    return RubricGrading(
        settings, context.members, context.station_names, lang, store=context.store
    )
