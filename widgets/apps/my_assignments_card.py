"""One assignment on the 我的作业 page: one HTML block and the buttons its state allows.

The block shows the title, the state (可领取 / 已领取 / 已提交 / 已评分·有反馈), what was
received, and the result of the last button pressed (a check's findings, a receipt code, the
feedback page). The buttons share one layout and one style model, and only those the state
allows exist, so a page of four assignments stays a few dozen widget models.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import ipywidgets as w

from shegong.grading.trainee import Assignment, Receipt, State
from shegong.grading.trainee_check import CheckReport
from shegong.messages import Lang, text
from shegong.widgets.forms.fields import html_block

BUTTON_LAYOUT = w.Layout(width="auto", margin="0 0.6em 0 0")
BUTTON_STYLE = w.ButtonStyle()
ACTIONS: dict[State, tuple[str, ...]] = {
    State.AVAILABLE: ("fetch",),
    State.FETCHED: ("check", "submit", "pack"),
    State.SUBMITTED: ("check", "submit", "pack"),
    State.RETURNED: ("feedback", "check", "submit", "pack"),
}
STATE_COLOURS = {
    State.AVAILABLE: "#1f6feb",
    State.FETCHED: "#9a6700",
    State.SUBMITTED: "#1a7f37",
    State.RETURNED: "#8250df",
}


def e(value: object) -> str:
    return html.escape(str(value))


def receipt_line(receipt: Receipt, lang: Lang) -> str:
    return text(
        f"apps.my.received_{receipt.kind}", lang, when=receipt.when, receipt=receipt.receipt
    )


def check_html(report: CheckReport, lang: Lang) -> str:
    """A check's findings in plain words, one line per question."""
    if report.ok:
        said = text("apps.my.check_ok", lang, passed=report.passed)
        return f'<div class="sg-banner-ok sg-my-check">{e(said)}</div>'
    items = []
    for line in report.lines:
        where = text("apps.my.question", lang, question=line.question) if line.question else ""
        items.append(f"<li><b>{e(where)}</b>{e(line.message.get(lang))}</li>")
    head = text("apps.my.check_problems", lang, count=len(report.lines), passed=report.passed)
    found = "".join(items)
    return f'<div class="sg-banner-info sg-my-check">{e(head)}<ul>{found}</ul></div>'


def feedback_html(page: str, title: str, lang: Lang) -> str:
    """The slim feedback page inside the block, in a frame of its own (its styles stay there)."""
    head = e(text("apps.my.feedback_for", lang, title=title))
    return (
        f'<div class="sg-my-feedback"><b>{head}</b>'
        f'<iframe class="sg-my-feedback-page" sandbox="" srcdoc="{html.escape(page, quote=True)}" '
        'style="width:100%;height:32em;border:1px solid #d0d7de;background:#fff"></iframe></div>'
    )


class AssignmentCard(w.VBox):
    """One assignment: its block of HTML and the buttons of its state."""

    def __init__(self, item: Assignment, lang: Lang, act: Callable[[str, str], None]) -> None:
        self.item = item
        self.lang: Lang = lang
        self._act = act
        self.result = ""  # HTML of the last action's result
        self.block = html_block()
        self.block.add_class("sg-my-block")
        self.buttons = w.HBox()
        super().__init__([self.block, self.buttons])
        self.add_class("sg-my-card")
        self.add_class(f"sg-my-{item.id}")
        self.update(item)

    def update(self, item: Assignment, result: str | None = None) -> None:
        """Show ``item``'s state (and a new result, when given)."""
        previous = self.item.state
        self.item = item
        if result is not None:
            self.result = result
        self.block.value = self.render()
        if previous != item.state or not self.buttons.children:
            self.buttons.children = tuple(self._button(a) for a in ACTIONS[item.state])
        self.remove_class(f"sg-my-state-{previous}")
        self.add_class(f"sg-my-state-{item.state}")

    def busy(self, message: str) -> None:
        for button in self.buttons.children:
            button.disabled = True
        self.block.value = self.render(f'<div class="sg-banner-info">{e(message)}</div>')

    def idle(self) -> None:
        for button in self.buttons.children:
            button.disabled = False

    def render(self, result: str | None = None) -> str:
        lang, item = self.lang, self.item
        colour = STATE_COLOURS[item.state]
        state = text(f"apps.my.state.{item.state}", lang)
        parts = [
            f'<div class="sg-my-head"><b class="sg-my-title">{e(item.title.get(lang))}</b> '
            f'<span class="sg-my-state" style="color:#fff;background:{colour};'
            f'border-radius:0.8em;padding:0.05em 0.7em;margin-left:0.5em">{e(state)}</span></div>'
        ]
        if item.received:
            lines = "".join(f"<li>{e(receipt_line(r, lang))}</li>" for r in item.received)
            said = e(text("apps.my.received", lang))
            parts.append(f'<div class="sg-my-received">{said}<ul>{lines}</ul></div>')
        shown = self.result if result is None else result
        if shown:
            parts.append(f'<div class="sg-my-result">{shown}</div>')
        return (
            '<div style="border:1px solid #d0d7de;border-radius:6px;padding:0.6em 0.9em;'
            f'margin-top:0.8em">{"".join(parts)}</div>'
        )

    def _button(self, action: str) -> w.Button:
        button = w.Button(
            description=text(f"apps.my.button.{action}", self.lang),
            layout=BUTTON_LAYOUT,
            style=BUTTON_STYLE,
            button_style="primary" if action in ("fetch", "submit", "feedback") else "",
        )
        button.add_class(f"sg-my-{action}")
        button.on_click(lambda _b: self._act(self.item.id, action))
        return button
