"""RecordForm: an app page that edits one stored record: autosave, submit, lock, and honesty.

Every change is saved as a draft at once; "✓ 已自动保存草稿" is shown only after the store
returned (the database has the row). A save that does not happen says why and keeps the text
(``shegong.widgets.forms.save_notice`` holds the banners, the conflict panel and the marker the
page's script uses to keep unsaved text in the browser). Each save carries the version of
the record the page last saw, so a second tab cannot overwrite the first one silently.
"""

from __future__ import annotations

import asyncio
import dataclasses
import html
from collections.abc import Iterable, Mapping
from typing import Any

import ipywidgets as w

from shegong.errors import ShegongError
from shegong.messages import Lang, text
from shegong.records import RecordStatus, Saved
from shegong.records.roster import Member
from shegong.widgets.forms.fields import (
    Form,
    Problems,
    banner,
    html_block,
    saved_note,
    set_disabled,
)
from shegong.widgets.forms.readers import field_label
from shegong.widgets.forms.save_notice import (
    BrowserCopy,
    ConflictPanel,
    differences,
    failure_message,
    is_conflict,
    is_database_failure,
    is_retryable,
    kept_controls,
    log,
)
from shegong.widgets.forms.shell import AppShell

RETRY_SECONDS = 15.0
BAR_PARTS = frozenset(
    {"submit_button", "new_button", "retry_button", "browser_copy", "conflict", "status_bar"}
)  # after a save refused because another writer held the database


class RecordForm(AppShell):
    """An app that edits one record at a time: autosave on every change, submit, lock.

    Subclasses build their controls, then call ``watch`` on every input; they implement
    ``read`` (the form as a draft and every problem), ``save_draft`` (returns the store's
    ``Saved``), ``submit_record``, ``inputs``, ``reopen`` (show the stored record again) and
    ``load_saved`` (the stored record, for the conflict panel), and may hook ``before_save``,
    ``after_submit`` and ``subject_key``. ``record_id``, ``status_id`` and ``version`` say
    which stored record the form shows, whether it is still a draft, and which version of it.
    """

    submitted_id = "apps.status.saved"
    # The parts of the form ``build_form`` makes. A page on a station's weak link sends none of
    # them before the person chooses what the record is about (a station, a trainee): each
    # widget is a model the browser must fetch. Reading one of them builds the form.
    lazy_parts: frozenset[str] = frozenset()
    submit_button: w.Button
    new_button: w.Button
    retry_button: w.Button
    browser_copy: BrowserCopy
    conflict: ConflictPanel
    status_bar: w.VBox

    def __init__(self, lang: Lang, members: Iterable[Member], stations: Mapping[str, str]) -> None:
        super().__init__(lang, members, stations)
        self.record_id: str | None = None
        self.status_id: str | None = None
        self.version: int | None = None  # the stored version this page last saw (None: new)
        self.failed = False  # the last save did not reach the database
        self._retry_pending = False
        self._conflict_record: Any = None
        self._loading = False
        self.form = Form(lang)
        self.form_built = False
        self._building = False
        self.status = html_block("", "sg-status")

    # --- the form, built when first needed ----------------------------------------------------

    def __getattr__(self, name: str) -> Any:
        """A part of the form that is not built yet: build the form, then give the part."""
        lazy = name in BAR_PARTS or name in type(self).lazy_parts
        if lazy and not self.__dict__.get("_building", True):
            self.ensure_form()
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    def ensure_form(self) -> None:
        """Build the form once (when a subject is chosen, or a part of it is first read)."""
        if self.form_built or self._building:
            return
        self._building = True
        try:
            self._build_bar()
            self.build_form()
        finally:
            self._building = False
        self.form_built = True

    def build_form(self) -> None:
        """Make the ``lazy_parts`` (the apps with a form to build override it)."""

    def _build_bar(self) -> None:
        """The buttons and the status bar every record form has (``BAR_PARTS``)."""
        self.submit_button = w.Button(button_style="primary", icon="check")
        self.submit_button.add_class("sg-submit")
        self.submit_button.on_click(lambda _b: self.submit())
        self.new_button = w.Button(icon="plus")
        self.new_button.add_class("sg-new")
        self.new_button.layout.display = "none"
        self.retry_button = w.Button(
            description=text("apps.save.retry", self.lang), icon="refresh", button_style="danger"
        )
        self.retry_button.add_class("sg-retry")
        self.retry_button.layout.display = "none"
        self.retry_button.on_click(lambda _b: self.retry())
        self.browser_copy = BrowserCopy()
        self.conflict = ConflictPanel(
            self.lang, self.open_saved_version, self.keep_mine, self.label
        )
        # "saved" / "not saved" and the summary of problems stay in sight at the bottom of the
        # window while the person scrolls through a long form
        self.status_bar = w.VBox(
            [self.form.banner, self.conflict, self.status, self.retry_button, self.browser_copy]
        )
        self.status_bar.add_class("sg-statusbar")

    # --- what each app supplies -------------------------------------------------------------

    def inputs(self) -> list[w.Widget]:  # pragma: no cover - every app overrides it
        raise NotImplementedError

    def has_subject(self) -> bool:
        """Is the station or trainee the record is about chosen?"""
        raise NotImplementedError  # pragma: no cover

    def read(self, *, complete: bool = False) -> tuple[Any, Problems]:
        raise NotImplementedError  # pragma: no cover

    def save_draft(self, actor: str, draft: Any) -> Saved:
        raise NotImplementedError  # pragma: no cover

    def submit_record(self, actor: str, draft: Any) -> Any:
        raise NotImplementedError  # pragma: no cover

    def reopen(self) -> None:
        """Show the stored record of the chosen subject again (as opening the page does)."""
        raise NotImplementedError  # pragma: no cover

    def load_saved(self, record_id: str) -> Any:
        """The stored record ``record_id`` (``.draft``, ``.version``, ``.status``), or None."""
        return None

    def subject_key(self) -> str:
        """What the record is about, stable across reloads (the trainee, the station+round)."""
        return str(self.record_id or "")

    def before_save(self) -> None:
        """Called on every change before the draft is read (e.g. a running score)."""

    def after_submit(self, draft: Any, result: Any) -> None:
        """Called once the record is submitted (show results, refresh tables)."""

    # --- the shared flow --------------------------------------------------------------------

    def watch(self, controls: Iterable[w.Widget]) -> None:
        for control in controls:
            control.observe(self._changed, names="value")

    def _changed(self, _change: Any) -> None:
        if not self._loading:
            self.autosave()

    def editable(self) -> bool:
        return (
            self.identity is not None
            and self.has_subject()
            and self.status_id in (None, RecordStatus.DRAFT)
        )

    def label(self, path: str) -> str:
        """A reader's name for a draft field path (``ratings.in_venue.evidence``)."""
        first, _, rest = path.partition(".")
        name = field_label(first, self.lang)
        return f"{name} · {rest}" if rest else name

    def browser_key(self) -> str:
        """The key the browser keeps unsaved text under: app, person and subject."""
        person = self.identity.person_id if self.identity is not None else ""
        return f"{self.app_name}|{person}|{self.subject_key()}"

    def publish_saved(self) -> None:
        """Tell the page's script which values the server holds now (see save_notice)."""
        if self.identity is None or not self.has_subject():
            return
        controls = kept_controls(self.form.fields)
        self.browser_copy.publish(self.browser_key(), controls, self.editable())

    def lock(self, locked: bool) -> None:
        """Read-only (submitted) or editable controls; the submit or the "new" button.

        Every app calls this once a record is on the form, so the form's state is also
        published to the browser here, and a new record starts with no failure showing.
        """
        set_disabled(self.inputs(), locked)
        self.submit_button.disabled = locked
        self.submit_button.layout.display = "none" if locked else None
        self.new_button.layout.display = None if locked else "none"
        self._clear_failure()
        self.conflict.hide()
        self.publish_saved()

    def _refused(self, problems: Mapping[str, str], status_id: str) -> None:
        self.form.show(problems)
        self.status.value = banner(html.escape(text(status_id, self.lang)), "error")

    def _versioned(self, draft: Any) -> Any:
        if not dataclasses.is_dataclass(draft) or isinstance(draft, type):
            return draft
        names = {f.name for f in dataclasses.fields(draft)}
        return dataclasses.replace(draft, version=self.version) if "version" in names else draft

    def autosave(self) -> bool:
        """Save the form as a draft; a bad value is shown and nothing is saved. True if saved."""
        if not self.editable() or self.identity is None:
            return False
        self.before_save()
        draft, problems = self.read()
        if draft is None:
            self._refused(problems.by_field, "apps.status.not_saved")
            return False
        try:
            self._saved(self.save_draft(self.identity.person_id, self._versioned(draft)))
        except Exception as error:  # every failed save is shown, none escapes
            self._save_failed(error, draft, "apps.status.not_saved")
            return False
        self.form.clear()
        self.status.value = saved_note(text("apps.status.saved", self.lang))
        return True

    def retry(self) -> bool:
        """Save again (the "save again" button, and the timer after a busy database)."""
        self._retry_pending = False
        return self.autosave() if self.failed else False

    def _saved(self, saved: Saved) -> None:
        """The store has the draft: remember its version, drop any failure, tell the browser."""
        version = getattr(saved, "version", None)
        if isinstance(version, int):
            self.version = version
        self.status_id = RecordStatus.DRAFT
        self._clear_failure()
        self.conflict.hide()
        self.publish_saved()

    def _clear_failure(self) -> None:
        self.failed = False
        self.retry_button.layout.display = "none"

    def _save_failed(self, error: Exception, draft: Any, status_id: str) -> None:
        """Say why nothing was saved; the typed text stays in the fields and in the browser."""
        self.failed = True
        if is_conflict(error):
            self._show_conflict(error, draft)
            return
        if not is_database_failure(error):
            assert isinstance(error, ShegongError)
            self.form.show_error(error)  # a value or action the store refused, under its field
            self.status.value = banner(html.escape(text(status_id, self.lang)), "error")
            return
        if not isinstance(error, ShegongError):
            log.exception("save failed")
        self.retry_button.layout.display = None
        submitting = status_id != "apps.status.not_saved"
        headline = "apps.save.failed_submit" if submitting else "apps.save.failed"
        words = [
            text(headline, self.lang),
            failure_message(error, self.lang),
            text("apps.save.kept", self.lang),
        ]
        self.status.value = (
            '<div class="sg-save-failed">'
            + banner("<br>".join(html.escape(line) for line in words), "error")
            + "</div>"
        )
        if is_retryable(error):
            self._schedule_retry()

    def _schedule_retry(self) -> None:
        """Try again in ``RETRY_SECONDS`` on the kernel's event loop (none in tests: no timer)."""
        if self._retry_pending:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        self._retry_pending = True
        loop.call_later(RETRY_SECONDS, self.retry)

    def _show_conflict(self, error: Exception, draft: Any) -> None:
        assert isinstance(error, ShegongError)
        record_id = str(error.values.get("existing") or error.values.get("record") or "")
        record = self.load_saved(record_id) if record_id else None
        self._conflict_record = record
        rows = differences(draft, record.draft) if record is not None else []
        self.conflict.show(error, rows)
        self.status.value = banner(html.escape(text("apps.conflict.not_saved", self.lang)), "error")

    def open_saved_version(self) -> None:
        """The conflict panel's "open the saved version": the form shows what is stored."""
        self.conflict.hide()
        self._conflict_record = None
        self.reopen()

    def keep_mine(self) -> bool:
        """The conflict panel's "save mine over it": save this page's text on the stored one."""
        record = self._conflict_record
        if record is None:
            return False
        self.version = record.version
        self.record_id = self._record_id_of(record) or self.record_id
        return self.autosave()

    @staticmethod
    def _record_id_of(record: Any) -> str | None:
        draft = record.draft
        for name in ("evaluation_id", "session_id", "assessment_id"):
            if getattr(draft, name, None):
                return str(getattr(draft, name))
        return None

    def submit(self) -> Any:
        """Check everything, save, submit and lock; the app's result, or None if refused."""
        if not self.editable() or self.identity is None:
            return None
        draft, problems = self.read(complete=True)
        if draft is None:
            self._refused(problems.by_field, "apps.status.not_submitted")
            return None
        actor = self.identity.person_id
        try:
            self._saved(self.save_draft(actor, self._versioned(draft)))
            result = self.submit_record(actor, draft)
        except Exception as error:  # every failed submit is shown, none escapes
            self._save_failed(error, draft, "apps.status.not_submitted")
            return None
        self.status_id = RecordStatus.SUBMITTED
        self.form.clear()
        self.lock(True)
        self.status.value = banner(html.escape(text(self.submitted_id, self.lang)), "ok")
        self.after_submit(draft, result)
        return result
