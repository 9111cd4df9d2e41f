"""The page shown instead of an app that cannot open: the project's bilingual error, never
Voila's English "There was an error when executing cell [2]".

An app notebook opens its page with ``open_page(open_app, LANG)``. When opening fails (the
records database is damaged, empty, read-only or unreachable: ``DatabaseDamaged``,
``StoreError``, ``SaveFailed`` from the store; or anything unexpected) the person sees what
happened in Chinese first and English second, and what to do (the store's messages say what to
restore from). Nothing is written and no database is created in its place.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from typing import Any

import ipywidgets as w

from shegong.errors import ShegongError
from shegong.messages import LANGS, Lang, text
from shegong.widgets.forms.fields import banner

log = logging.getLogger(__name__)


def error_lines(error: BaseException) -> list[str]:
    """The error in each language, Chinese first (a general message for unexpected errors)."""
    if isinstance(error, ShegongError):
        return [error.message(lang) for lang in LANGS]
    return [text("apps.page.open_failed", lang, kind=type(error).__name__) for lang in LANGS]


def error_html(error: BaseException) -> str:
    """The error as a red banner, one paragraph per language."""
    inner = "".join(
        f'<div class="sg-error-{lang}">{html.escape(line)}</div>'
        for lang, line in zip(LANGS, error_lines(error), strict=True)
    )
    return banner(inner, "error")


class ErrorPage(w.VBox):
    """An app's place on the page when it could not open; ``serve`` does nothing."""

    def __init__(self, lang: Lang, error: BaseException) -> None:
        self.lang = lang
        self.error = error
        title = " / ".join(text("apps.page.open_failed_title", x) for x in LANGS)
        self.message = w.HTML(f"<h2>{html.escape(title)}</h2>{error_html(error)}")
        self.message.add_class("sg-open-failed")
        super().__init__([self.message])
        self.add_class("sg-app")

    def start(self, *_args: Any, **_kwargs: Any) -> ErrorPage:
        return self

    def serve(self) -> None:
        """Nothing to wait for: the page already says why it cannot open."""


def open_page(factory: Callable[[Lang], Any], lang: Lang) -> Any:
    """``factory(lang)`` (an app's ``open_app``), or an ``ErrorPage`` saying why it failed."""
    try:
        return factory(lang)
    except Exception as error:  # every failure to open is shown in both languages
        if not isinstance(error, ShegongError):
            log.exception("an app could not open")
        return ErrorPage(lang, error)
