"""InstrumentForm 量表填写表: fill in a standardised instrument and score it on the spot.

One row per item (its label and a choice of the allowed answers with their labels), a
"计分 / Score" button and an HTML result: total, band with the cut-off note (unverified
cut-offs are marked), subscales, and safety flags as a prominent warning. Scoring is done by
``shegong.datasets.instruments``; this module only collects answers and shows the result.

Everything the button does is a plain method (``score``), so lessons and tests can fill the
form with ``set_answers`` and read ``result`` and ``output.value`` without a browser.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence

import ipywidgets as w

from shegong.datasets.instruments import (
    FLAG_LABELS,
    Instrument,
    InstrumentError,
    Item,
    Score,
    as_int,
    get,
)
from shegong.messages import Lang, catalogue, text

# Short answer sets read best as buttons; an instrument with any long one (SSRS, WHO-5) uses
# drop-down lists for every item, so one form looks the same throughout.
MAX_BUTTONS = 5
MAX_BUTTON_LABEL = {"zh": 8, "en": 24}
WARNING_STYLE = (
    "border:2px solid #b00020;background:#fdecea;color:#7f0015;padding:8px 12px;"
    "margin:6px 0;border-radius:4px"
)
NOTE_STYLE = "color:#8a5300;background:#fff6e0;padding:4px 8px;border-radius:4px"


def _labels(item: Item, lang: Lang) -> tuple[str, ...]:
    return item.value_labels_zh if lang == "zh" else item.value_labels_en


def fits_buttons(instrument: Instrument, lang: Lang) -> bool:
    """Are all of the instrument's answer sets short enough for toggle buttons?"""
    return all(
        len(item.values) <= MAX_BUTTONS
        and max(len(label) for label in _labels(item, lang)) <= MAX_BUTTON_LABEL[lang]
        for item in instrument.items
    )


def _choice(item: Item, lang: Lang, buttons: bool) -> w.ToggleButtons | w.Dropdown:
    """The answer picker of one item: toggle buttons or a drop-down list, nothing chosen."""
    labels = _labels(item, lang)
    options = [
        (f"{value} {label}", value) for value, label in zip(item.values, labels, strict=True)
    ]
    if buttons:
        return w.ToggleButtons(
            options=options, value=None, style={"button_width": "auto"}, layout={"width": "auto"}
        )
    return w.Dropdown(options=options, value=None, layout={"width": "max-content"})


def subscale_name(name: str, lang: Lang) -> str:
    """The display name of a subscale (its id if the catalogue has no entry for it)."""
    msg_id = f"widgets.form.subscale.{name}"
    return text(msg_id, lang) if msg_id in catalogue() else name


class InstrumentForm(w.VBox):
    """A fill-in form for one instrument of ``INSTRUMENTS``; displays itself (a ``VBox``)."""

    def __init__(
        self,
        instrument_id: str,
        lang: Lang = "zh",
        answers: Mapping[int, object] | Sequence[object] | None = None,
    ) -> None:
        self.instrument: Instrument = get(instrument_id)
        self.lang: Lang = lang
        self.result: Score | None = None
        self.choices: dict[int, w.ToggleButtons | w.Dropdown] = {
            item.no: _choice(item, lang, fits_buttons(self.instrument, lang))
            for item in self.instrument.items
        }
        self.button = w.Button(
            description=text("widgets.form.score_button", lang),
            tooltip=text("widgets.form.score_tooltip", lang),
            button_style="primary",
            icon="calculator",
        )
        self.button.on_click(lambda _button: self.score())
        self.output = w.HTML()
        for choice in self.choices.values():
            choice.observe(self._answer_changed, names="value")
        name = self.instrument.name_zh if lang == "zh" else self.instrument.name_en
        instructions = html.escape(text("widgets.form.instructions", lang))
        header = w.HTML(f"<h3>{html.escape(name)}</h3><p>{instructions}</p>")
        super().__init__([header, *self._rows(), self.button, self.output])
        if answers is not None:
            self.set_answers(answers)

    def _rows(self) -> list[w.Widget]:
        rows = []
        for item in self.instrument.items:
            label = item.zh if self.lang == "zh" else item.en
            cell = w.HTML(
                f"<b>{item.no}.</b> {html.escape(label)}",
                layout={"width": "22em", "flex": "0 0 auto"},
            )
            rows.append(w.HBox([cell, self.choices[item.no]], layout={"align_items": "center"}))
        return rows

    @property
    def widget(self) -> InstrumentForm:
        """The displayable widget (the form itself)."""
        return self

    @property
    def answers(self) -> dict[int, int | None]:
        """Item number -> the chosen raw answer, or None where nothing is chosen yet."""
        return {no: choice.value for no, choice in self.choices.items()}

    def set_answers(self, answers: Mapping[int, object] | Sequence[object]) -> None:
        """Choose answers: a mapping item no -> answer, or a sequence in item order.

        ``None`` clears an item. Unknown items and answers the item does not allow raise
        ``InstrumentError`` (nothing is changed then).
        """
        pairs = self._pairs(answers)
        for no, value in pairs.items():
            self.choices[no].value = value

    def _pairs(self, answers: Mapping[int, object] | Sequence[object]) -> dict[int, int | None]:
        inst = self.instrument
        if isinstance(answers, Mapping):
            given = dict(answers)
        else:
            values = list(answers)
            if len(values) != len(inst.items):
                raise InstrumentError(
                    "error.instrument_count",
                    instrument=inst.id,
                    expected=len(inst.items),
                    got=len(values),
                )
            given = {item.no: value for item, value in zip(inst.items, values, strict=True)}
        checked: dict[int, int | None] = {}
        for no, value in given.items():
            if no not in self.choices:
                known = ", ".join(str(n) for n in self.choices)
                raise InstrumentError(
                    "error.instrument_item", instrument=inst.id, item=no, known=known
                )
            checked[no] = None if value is None else self._valid(inst.item(no), value)
        return checked

    def _valid(self, item: Item, value: object) -> int:
        number = as_int(value)
        if number is None or number not in item.values:
            raise InstrumentError(
                "error.instrument_answer",
                instrument=self.instrument.id,
                item=item.no,
                label=item.label(),
                value=repr(value),
                allowed=", ".join(str(v) for v in item.values),
            )
        return number

    def clear(self) -> None:
        """Clear every answer and the result."""
        for choice in self.choices.values():
            choice.value = None

    @property
    def missing(self) -> list[int]:
        """Numbers of the items not answered yet."""
        return [no for no, value in self.answers.items() if value is None]

    def score(self) -> Score | None:
        """Score the answers (what the button calls) and show the result.

        With unanswered items it shows which ones instead, and ``result`` stays None.
        """
        missing = self.missing
        if missing:
            self.result = None
            message = text(
                "widgets.form.missing",
                self.lang,
                count=len(missing),
                items=", ".join(str(no) for no in missing),
            )
            self.output.value = f'<div style="{NOTE_STYLE}">{html.escape(message)}</div>'
            return None
        self.result = self.instrument.score({no: v for no, v in self.answers.items()})
        self.output.value = self.render(self.result)
        return self.result

    def render(self, result: Score) -> str:
        """The result as HTML in the form's language: flags first, then total and band."""
        lang, inst = self.lang, self.instrument
        parts = [_flags_html(result, lang)] if result.flags else []
        total = text(
            "widgets.form.total",
            lang,
            total=result.total,
            low=inst.min_total(),
            high=inst.max_total(),
        )
        band = text(
            "widgets.form.band", lang, band=result.band_zh if lang == "zh" else result.band_en
        )
        direction = "higher_is_worse" if inst.higher_is_worse else "higher_is_better"
        note = inst.cutoff_note_zh if lang == "zh" else inst.cutoff_note_en
        parts += [
            f"<p><b>{html.escape(total)}</b><br><b>{html.escape(band)}</b></p>",
            f"<p>{html.escape(text(f'widgets.form.{direction}', lang))}</p>",
            f"<p><small>{html.escape(text('widgets.form.cutoff_note', lang, note=note))}"
            "</small></p>",
        ]
        # whether the cut-offs were checked is said once, in the note above; this is for all
        parts.append(
            f'<p style="{NOTE_STYLE}">{html.escape(text("widgets.form.screen_only", lang))}</p>'
        )
        if result.subscales:
            rows = "".join(
                "<li>"
                + html.escape(
                    text("widgets.form.subscale_row", lang, name=subscale_name(name, lang), value=v)
                )
                + "</li>"
                for name, v in result.subscales.items()
            )
            heading = html.escape(text("widgets.form.subscales", lang))
            parts.append(f"<p><b>{heading}</b></p><ul>{rows}</ul>")
        return "\n".join(parts)

    def _answer_changed(self, _change: object) -> None:
        """A changed answer makes an earlier result stale: clear it."""
        if self.result is not None:
            self.result = None
            self.output.value = ""


def _flags_html(result: Score, lang: Lang) -> str:
    """Safety flags as a red warning box with the catalogue's protocol text."""
    index = 0 if lang == "zh" else 1
    items = "".join(f"<li>{html.escape(FLAG_LABELS[code][index])}</li>" for code in result.flags)
    title = html.escape(text("widgets.form.flags_title", lang))
    return (
        f'<div role="alert" class="shegong-flag" style="{WARNING_STYLE}">'
        f"<b>⚠ {title}</b><ul>{items}</ul></div>"
    )
