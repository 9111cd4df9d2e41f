"""Form fields with inline messages, shared by the record apps (督导记录, 站点评估, 能力评估).

A ``Field`` is a label (with a red star when required), one input control, an optional hint
and a message line under the control that stays hidden until something is wrong. A ``Form``
holds the fields of one page by stable field id (the ids of ``records.field.<id>``), shows a
problem next to its field, and a summary banner at the top of the form's buttons.

Values are read with the ``read_*`` functions, which raise ``FieldError`` (a bilingual
``ShegongError`` whose ``values["field"]`` names the field) instead of guessing: a number
field that says "abc" is an error, not a zero. Apps collect every problem of a form first
(``Problems``), show them all at once and save nothing until they are fixed.
"""

from __future__ import annotations

import datetime as dt
import html
import io
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

import ipywidgets as w
from ipywidgets.widgets.widget_description import DescriptionStyle
from ipywidgets.widgets.widget_string import HTMLStyle, TextStyle

from shegong.errors import ShegongError
from shegong.messages import Lang, text
from shegong.records.database import CHINA_TIME

if TYPE_CHECKING:  # matplotlib is only needed by the apps that draw
    from matplotlib.figure import Figure

# Each language is named in itself on the switch (an English reader looks for "English").
LANG_NAMES = {"zh": "中文", "en": "English"}

# --- light pages: fewer widget models -------------------------------------------------------
#
# Every ipywidgets widget is a model the browser fetches over the websocket, and every
# DOMWidget brings its own Layout model (and most a style model) unless it is given one. On a
# station's weak link each model costs a round trip, so widgets that need no layout or style of
# their own share one, and their look comes from CSS classes (the template's shegong.css).
# Nothing may change a shared model (``widget.layout.display = ...`` would hide every widget
# that shares it): such widgets are hidden with ``hide`` (the ``sg-hidden`` class).

HIDDEN = "sg-hidden"
M = TypeVar("M", bound=w.Widget)
_SHARED: dict[tuple[type[w.Widget], tuple[tuple[str, str], ...]], w.Widget] = {}


def shared(kind: type[M], **settings: str) -> M:
    """The one model of ``kind`` (``w.Layout``, ``HTMLStyle`` …) with these settings that light
    widgets share (made again if it was closed)."""
    key = (kind, tuple(sorted(settings.items())))
    model = _SHARED.get(key)
    if model is None or getattr(model, "comm", None) is None:  # none yet, or closed
        model = _SHARED[key] = kind(**settings)
    return model


def layout_of(**settings: str) -> w.Layout:
    """One shared Layout per set of settings (``width="16em"``) for controls sized alike."""
    return shared(w.Layout, **settings)


def initial_description() -> DescriptionStyle:
    """The shared style of controls whose description is as wide as its words."""
    return shared(DescriptionStyle, description_width="initial")


def html_block(value: str = "", *classes: str) -> w.HTML:
    """An HTML widget with the shared layout and style (two models fewer than ``w.HTML``)."""
    block = w.HTML(value, layout=shared(w.Layout), style=shared(HTMLStyle))
    for name in classes:
        block.add_class(name)
    return block


def light_box(children: Iterable[w.Widget] = (), *classes: str, row: bool = False) -> w.Box:
    """A VBox (or with ``row`` an HBox) on the shared layout; its look is its CSS classes."""
    kind = w.HBox if row else w.VBox
    box = kind(list(children), layout=shared(w.Layout))
    for name in classes:
        box.add_class(name)
    return box


def hide(widget: w.DOMWidget, hidden: bool = True) -> None:
    """Hide or show a widget by its ``sg-hidden`` class (safe on a shared layout)."""
    if hidden:
        widget.add_class(HIDDEN)
    else:
        widget.remove_class(HIDDEN)


def is_hidden(widget: w.DOMWidget) -> bool:
    return HIDDEN in widget._dom_classes


class Field(w.VBox):
    """A labelled control with a hidden message line that ``show_error`` fills."""

    def __init__(
        self,
        field_id: str,
        label: str,
        control: w.Widget,
        *,
        required: bool = False,
        hint: str = "",
        width: str | None = None,
    ) -> None:
        self.field_id = field_id
        self.label_text = label
        self.control = control
        self.required = required
        star = ' <span class="sg-required">*</span>' if required else ""
        below = f'<div class="sg-hint">{html.escape(hint)}</div>' if hint else ""
        # the label and the hint are one block; the message line is hidden until needed
        self.label = html_block(f"<b>{html.escape(label)}</b>{star}{below}")
        self.message = html_block("", HIDDEN)
        layout = w.Layout(width=width) if width else shared(w.Layout)
        super().__init__([self.label, control, self.message], layout=layout)
        self.add_class("sg-field")
        self.add_class(f"sg-field-{field_id}")

    @property
    def error(self) -> str:
        """The message shown under the control ('' when none)."""
        return self._error if hasattr(self, "_error") else ""

    def show_error(self, message: str) -> None:
        self._error = message
        self.message.value = f'<div class="sg-field-error">⚠ {html.escape(message)}</div>'
        hide(self.message, False)
        self.add_class("sg-invalid")

    def clear(self) -> None:
        self._error = ""
        self.message.value = ""
        hide(self.message)
        self.remove_class("sg-invalid")


class Problems:
    """Problems found while reading a form: ``{field_id: message}`` in one language."""

    def __init__(self, lang: Lang) -> None:
        self.lang = lang
        self.by_field: dict[str, str] = {}

    def add(self, field_id: str, message: str) -> None:
        self.by_field.setdefault(field_id, message)

    def add_error(self, field_id: str, error: ShegongError) -> None:
        self.add(field_id, error.message(self.lang))

    def read(self, field_id: str, reader: Callable[[], Any]) -> Any:
        """``reader()``, or None after recording its FieldError against ``field_id``."""
        try:
            return reader()
        except ShegongError as error:
            self.add_error(field_id, error)
            return None

    def __bool__(self) -> bool:
        return bool(self.by_field)

    def __len__(self) -> int:
        return len(self.by_field)


class Form:
    """The fields of one page and a banner; shows problems next to their fields."""

    def __init__(self, lang: Lang, fields: Iterable[Field] = ()) -> None:
        self.lang = lang
        self.fields: dict[str, Field] = {}
        self.banner = html_block("", "sg-banner")
        for field in fields:
            self.add(field)

    def add(self, field: Field) -> Field:
        self.fields[field.field_id] = field
        return field

    def clear(self) -> None:
        for field in self.fields.values():
            field.clear()
        self.banner.value = ""

    def show(self, problems: Mapping[str, str]) -> None:
        """Each problem under its field (unknown fields go to the banner) and a summary."""
        self.clear()
        loose: list[str] = []
        for field_id, message in problems.items():
            if field_id in self.fields:
                self.fields[field_id].show_error(message)
            else:
                loose.append(message)
        named = [self.fields[k].label_text for k in problems if k in self.fields]
        sep = "、" if self.lang == "zh" else "; "
        where = sep.join(n for n in named[:5] if n) + ("……" if len(named) > 5 else "")
        summary = text("apps.form.problems", self.lang, count=len(problems), where=where)
        items = "".join(f"<li>{html.escape(m)}</li>" for m in loose)
        self.banner.value = banner(
            html.escape(summary) + (f"<ul>{items}</ul>" if items else ""), "error"
        )

    def show_error(self, error: ShegongError) -> None:
        """A store error: under the field it names (``error.values["field"]``), else above."""
        field_id = str(error.values.get("field", ""))
        self.show({field_id or "_": error.message(self.lang)})

    @property
    def errors(self) -> dict[str, str]:
        return {k: f.error for k, f in self.fields.items() if f.error}


BANNERS = ("ok", "error", "info", "conflict")


def banner(inner_html: str, kind: str = "ok") -> str:
    """A banner (``sg-banner-<kind>``: its look is the Voila template's ``shegong.css``)."""
    if kind not in BANNERS:
        raise ValueError(f"unknown banner kind {kind!r}")  # a programming error, not input
    return f'<div class="sg-banner-{kind}">{inner_html}</div>'


# --- controls ------------------------------------------------------------------------------


def text_area(placeholder: str = "", rows: int = 3, width: str = "100%") -> w.Textarea:
    """A text area that sends its value when the person leaves it (not on every key)."""
    return w.Textarea(
        placeholder=placeholder,
        rows=rows,
        continuous_update=False,
        layout=layout_of(width=width, max_width="52em"),
        style=shared(TextStyle),
    )


def text_input(placeholder: str = "", width: str = "16em") -> w.Text:
    return w.Text(
        placeholder=placeholder,
        continuous_update=False,
        layout=layout_of(width=width),
        style=shared(TextStyle),
    )


def date_input() -> w.DatePicker:
    return w.DatePicker(value=None, layout=layout_of(width="14em"), style=shared(DescriptionStyle))


def title_block(title: str, subtitle: str, lang: Lang, switch_href: str) -> w.HTML:
    """The page title, one line on what the page is for, and the language switch link."""
    other = LANG_NAMES["en" if lang == "zh" else "zh"]
    tip = text("apps.lang_switch", lang)
    link = (
        f'<a class="sg-lang-switch" href="{html.escape(switch_href)}" title="{html.escape(tip)}">'
        f"{html.escape(other)}</a>"
    )
    return html_block(
        f'{link}<h2>{html.escape(title)}</h2><div class="sg-hint">{html.escape(subtitle)}</div>'
    )


def html_table(rows: list[list[Any]], headers: list[str]) -> str:
    """A small HTML table (values escaped) with the app's table style."""
    head = "".join(f"<th>{html.escape(str(h))}</th>" for h in headers)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_cell(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f'<table class="sg-table"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _cell(value: Any) -> str:
    if value is None:
        return "—"
    try:
        if value != value:  # NaN, NaT, pd.NA raise or compare unequal
            return "—"
    except (TypeError, ValueError):
        return "—"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".")
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def set_disabled(widgets: Iterable[w.Widget], disabled: bool) -> None:
    """Lock or unlock controls (submitted records are shown read-only)."""
    for widget in widgets:
        if hasattr(widget, "disabled"):
            widget.disabled = disabled


def china_now() -> dt.datetime:
    return dt.datetime.now(CHINA_TIME)


def saved_note(message: str, clock: Callable[[], dt.datetime] = china_now) -> str:
    """The autosave line under a form, "✓ 已自动保存 10:42:05" (the time in China)."""
    now = clock().strftime("%H:%M:%S")
    return (
        f'<div class="sg-saved">✓ {html.escape(message)} '
        f'<span class="sg-saved-at">{now}</span></div>'
    )


def figure_png(fig: Figure) -> bytes:
    """A matplotlib figure as PNG bytes (for an ``ipywidgets.Image``)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=100)
    return buffer.getvalue()
