"""MyAssignments 我的作业: a trainee gets, checks, hands in and reads feedback, with buttons.

The page runs in the trainee's own server (their Lab on a hub, or a station's Lab), so every
step acts as them; who they are comes from the shell (``JUPYTERHUB_USER``, then
``SHEGONG_USER``, then in the local demo a picker limited to trainees). The steps are
``shegong.grading.trainee`` (get, submit, offline zip, receipts, feedback) and
``shegong.grading.trainee_check`` (nbgrader's validator in plain words). No command line is
ever shown: results are said in words, folders as JupyterLab's file list shows them.

Light by design: one card per assignment (``my_assignments_card``: one HTML block and the
buttons of its state), nothing read before the trainee is known.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import ipywidgets as w

from shegong.errors import ShegongError
from shegong.grading import trainee
from shegong.grading.config import load_options
from shegong.grading.context import GradingContext
from shegong.grading.trainee import Assignment, Desk, Handed
from shegong.grading.trainee_check import check
from shegong.messages import Lang, text
from shegong.records import Role
from shegong.records.roster import Member
from shegong.settings import load as load_settings
from shegong.widgets.apps.my_assignments_card import (
    AssignmentCard,
    check_html,
    e,
    feedback_html,
)
from shegong.widgets.forms.error_page import log
from shegong.widgets.forms.fields import banner, html_block
from shegong.widgets.forms.shell import AppContext, AppShell, Identity, open_context

__all__ = ["MyAssignments", "grading_context", "open_app"]


class MyAssignments(AppShell):
    """The trainee's assignments: one card each, with the buttons its state allows."""

    app_name = "my_assignments"
    title_id = "apps.my.title"
    subtitle_id = "apps.my.subtitle"
    roles = (Role.TRAINEE,)

    def __init__(
        self,
        ctx: GradingContext,
        members: list[Member],
        stations: Mapping[str, str],
        lang: Lang = "zh",
    ) -> None:
        super().__init__(lang, members, stations)
        self.ctx = ctx
        self.desk: Desk | None = None
        self.mode = html_block("")
        self.cards = w.VBox()
        self.cards.add_class("sg-my-cards")
        self.body.children = (self.mode, self.cards)

    # --- who and what ---------------------------------------------------------------------

    def show_for(self, identity: Identity) -> None:
        try:
            self.desk = trainee.open_desk(self.ctx, identity.person_id, lang=self.lang)
        except ShegongError as error:  # not on the course's list: say so, show nothing
            self.desk = None
            self.mode.value = banner(e(error.message(self.lang)), "error")
            self.cards.children = ()
            return
        self.refresh()

    def refresh(self) -> None:
        desk = self._desk()
        items = trainee.assignments(desk)
        if not items:
            self.mode.value = banner(e(text("apps.my.none", self.lang)), "info")
            self.cards.children = ()
            return
        key = "apps.my.online" if trainee.online(desk) else "apps.my.offline"
        self.mode.value = f'<div class="sg-hint sg-my-mode">{e(text(key, self.lang))}</div>'
        self.cards.children = tuple(AssignmentCard(i, self.lang, self.act) for i in items)

    def _desk(self) -> Desk:
        if self.desk is None:
            self.desk = trainee.open_desk(self.ctx, self.who().person_id, lang=self.lang)
        return self.desk

    def card(self, assignment: str) -> AssignmentCard:
        for card in self.cards.children:
            if isinstance(card, AssignmentCard) and card.item.id == assignment:
                return card
        raise KeyError(assignment)

    def _current(self, assignment: str) -> Assignment:
        return next(i for i in trainee.assignments(self._desk()) if i.id == assignment)

    # --- the buttons ------------------------------------------------------------------------

    def act(self, assignment: str, action: str) -> None:
        """Run one button's step for ``assignment`` and show its result on its card."""
        card = self.card(assignment)
        waiting = "apps.my.checking" if action == "check" else "apps.my.working"
        card.busy(text(waiting, self.lang))
        try:
            result = getattr(self, f"_{action}")(assignment)
        except ShegongError as error:
            result = banner(e(error.message(self.lang)), "error")
        except Exception as error:  # never a traceback on the page; the log keeps it
            log.exception("my assignments: %s of %s failed", action, assignment)
            result = banner(e(type(error).__name__), "error")
        # the class says which button's result this is (the page's tests wait for it)
        card.update(self._current(assignment), f'<div class="sg-my-did-{action}">{result}</div>')
        card.idle()

    def _where(self, folder: Path) -> str:
        """A folder as the trainee finds it in JupyterLab's file list (under the Lab's root)."""
        root = self.ctx.paths.workspace.root
        try:
            return " › ".join(folder.resolve().relative_to(root.resolve()).parts)
        except ValueError:
            return folder.name

    def _fetch(self, assignment: str) -> str:
        folder = trainee.fetch(self._desk(), assignment)
        names = "、".join(p.name for p in trainee.notebooks(self._desk(), assignment))
        said = text("apps.my.fetched", self.lang, folder=self._where(folder), notebook=names)
        return banner(e(said), "ok")

    def _check(self, assignment: str) -> str:
        return check_html(check(self._desk(), assignment), self.lang)

    def _handed(self, handed: Handed, fell_back: bool) -> str:
        if handed.online:
            return banner(e(text("apps.my.submitted_online", self.lang)), "ok")
        packed = handed.packed
        assert packed is not None  # an offline hand-in always has its zip
        said = text(
            "apps.my.packed",
            self.lang,
            folder=self._where(packed.path.parent),
            file=packed.path.name,
            receipt=packed.receipt,
        )
        first = e(text("apps.my.went_offline", self.lang)) + "<br>" if fell_back else ""
        code = (
            '<div class="sg-my-receipt" style="font-size:1.6em;letter-spacing:0.1em">'
            f"<b>{e(packed.receipt)}</b></div>"
        )
        return banner(f"{first}{e(said)}{code}", "ok")

    def _submit(self, assignment: str) -> str:
        handed = trainee.submit(self._desk(), assignment)
        return self._handed(handed, fell_back=not handed.online)

    def _pack(self, assignment: str) -> str:
        return self._handed(trainee.pack_offline(self._desk(), assignment), fell_back=False)

    def _feedback(self, assignment: str) -> str:
        page = trainee.feedback_page(self._desk(), assignment)
        if page is None:
            return banner(e(text("apps.my.no_feedback", self.lang)), "info")
        title = trainee.title(assignment).get(self.lang)
        return feedback_html(page.read_text(encoding="utf-8"), title, self.lang)


def grading_context(home: Path) -> GradingContext:
    """The course of the workspace at ``home``, never created here (a trainee's side)."""
    settings = load_settings({"home": home})
    return GradingContext.open(settings, load_options(cwd=home), ensure=False)


def open_app(lang: Lang = "zh", context: AppContext | None = None) -> MyAssignments:
    """The page on the workspace's course and roster (what the Voila notebook calls)."""
    context = context or open_context()
    return MyAssignments(
        grading_context(context.home), context.members, context.station_names, lang
    )
