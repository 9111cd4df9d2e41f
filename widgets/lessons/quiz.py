"""Quiz 自测题: self-check questions with immediate feedback, never graded.

Questions are plain data (a list of dicts, or YAML text through ``Quiz.from_yaml``)::

    - id: q1
      kind: single            # single | multiple | numeric
      prompt: {zh: ..., en: ...}
      options:
        - {id: a, text: {zh: ..., en: ...}, correct: true, explain: {zh: ..., en: ...}}
        - {id: b, text: {zh: ..., en: ...}, correct: false, explain: {zh: ..., en: ...}}
      explain: {zh: ..., en: ...}   # optional, shown once the answer is right
      hint: {zh: ..., en: ...}      # optional, shown while the answer is not right
    - id: q2
      kind: numeric
      prompt: {zh: ..., en: ...}
      answer: 12.5
      tolerance: 0.1

The spec is checked when the quiz is built (``quiz_spec.py``: pydantic models; ``QuizError``
names the question and the field). Each question
has a "检查答案 / Check" button; ``answer`` sets a value the way a trainee would, ``check``
is what the button calls, ``score`` counts the questions answered correctly right now.
Feedback names each chosen option with its own explanation; a question's ``explain`` is shown
once it is answered correctly (so it does not give the answer away), its ``hint`` until then.
"""

from __future__ import annotations

import html
import math
import sys
from collections.abc import Callable, Iterable, Mapping, Sequence

import ipywidgets as w
import yaml

from shegong.messages import Lang, text

from .keys import quiz_spec
from .quiz_spec import Option, Question, QuizError, parse_question, parse_questions, parse_text

GOOD = "color:#1b5e20;background:#e8f5e9;padding:6px 10px;border-radius:4px"
BAD = "color:#7f0015;background:#fdecea;padding:6px 10px;border-radius:4px"

Answer = str | float | Iterable[str] | None  # an option id, option ids, or a number

__all__ = ["Option", "Question", "Quiz", "QuizError", "parse_question", "parse_questions"]


class _QuestionView:
    """The widgets of one question: prompt, input, Check button, feedback."""

    def __init__(
        self, number: int, question: Question, lang: Lang, on_check: Callable[[str], object]
    ) -> None:
        self.question, self.lang = question, lang
        labels = [(o.text.get(lang), o.id) for o in question.options]
        self.radio = w.RadioButtons(options=labels, value=None, layout={"width": "auto"})
        self.boxes = {
            o.id: w.Checkbox(value=False, description=o.text.get(lang), indent=False)
            for o in question.options
        }
        self.number = w.Text(placeholder=text("widgets.quiz.placeholder", lang))
        picker = {"single": self.radio, "multiple": w.VBox(list(self.boxes.values()))}.get(
            question.kind, self.number
        )
        self.button = w.Button(description=text("widgets.quiz.check_button", lang), icon="check")
        self.button.on_click(lambda _b: on_check(question.id))
        self.feedback = w.HTML()
        heading = text("widgets.quiz.question_number", lang, number=number)
        hint = text(f"widgets.quiz.kind.{question.kind}", lang)
        prompt = w.HTML(
            f"<p><b>{html.escape(heading)}</b> {html.escape(question.prompt.get(lang))}"
            f"<br><small>{html.escape(hint)}</small></p>"
        )
        self.box = w.VBox([prompt, picker, self.button, self.feedback])

    @property
    def value(self) -> str | list[str] | None:
        """The current answer: an option id, a list of option ids, or the typed text."""
        if self.question.kind == "multiple":
            return [oid for oid, box in self.boxes.items() if box.value]
        return self.radio.value if self.question.kind == "single" else self.number.value

    def set(self, value: Answer) -> None:
        """Set the answer: an option id, a list of ids, or a number (as text)."""
        q = self.question
        known = [o.id for o in q.options]
        if q.kind == "numeric":
            self.number.value = "" if value is None else str(value)
            return
        if value is None:
            chosen: list[object] = []
        elif isinstance(value, str | int | float):
            chosen = [value]
        else:
            chosen = list(value)
        for oid in chosen:
            if oid not in known:
                raise QuizError(
                    "widgets.quiz.error_unknown_option",
                    question=q.id,
                    option=oid,
                    known=", ".join(known),
                )
        if q.kind == "single":
            self.radio.value = chosen[-1] if chosen else None
        else:
            for oid, box in self.boxes.items():
                box.value = oid in chosen

    def judge(self) -> tuple[bool, list[str]]:
        """(correct?, feedback lines in the quiz language) for the current answer."""
        q, lang = self.question, self.lang
        if q.kind == "numeric":
            return self._judge_numeric()
        value = self.value
        chosen = [oid for oid in (value if isinstance(value, list) else [value]) if oid is not None]
        if not chosen:
            return False, [text("widgets.quiz.no_answer", lang)]
        right = {o.id for o in q.options if o.correct}
        ok = set(chosen) == right
        lines = [text("widgets.quiz.correct" if ok else "widgets.quiz.incorrect", lang)]
        for option in q.options:
            if option.id in chosen:
                lines.append(_option_line(option, lang))
        missed = len(right - set(chosen))
        if q.kind == "multiple" and missed and not ok:
            lines.append(text("widgets.quiz.missed", lang, count=missed))
        return ok, lines

    def _judge_numeric(self) -> tuple[bool, list[str]]:
        q, lang = self.question, self.lang
        raw = str(self.value or "").strip()
        if not raw:
            return False, [text("widgets.quiz.no_answer", lang)]
        try:
            number = float(raw.replace("，", "").replace(",", ""))
        except ValueError:
            return False, [text("widgets.quiz.not_number", lang, value=raw)]
        answer = q.answer or 0.0  # always set for numeric questions
        if math.isfinite(number) and abs(number - answer) <= q.tolerance + 1e-12:
            return True, [text("widgets.quiz.correct", lang)]
        side = "widgets.quiz.too_high" if number > answer else "widgets.quiz.too_low"
        return False, [text("widgets.quiz.incorrect", lang), text(side, lang)]


def _option_line(option: Option, lang: Lang) -> str:
    """A chosen option, marked right or wrong, with its own explanation."""
    mark = "right" if option.correct else "wrong"
    if option.explain is None:
        return text(f"widgets.quiz.option_{mark}_plain", lang, option=option.text.get(lang))
    return text(f"widgets.quiz.option_{mark}", lang, option=option.text.get(lang),
                explain=option.explain.get(lang))  # fmt: skip


class Quiz(w.VBox):
    """A self-check quiz (displays itself); see the module docstring for the spec."""

    def __init__(
        self,
        questions: Sequence[Mapping[str, object]],
        lang: Lang = "zh",
        title: str | Mapping[str, str] | None = None,
    ) -> None:
        self.questions = parse_questions(questions)
        self.lang: Lang = lang
        self.views = {
            q.id: _QuestionView(number, q, lang, self.check)
            for number, q in enumerate(self.questions, start=1)
        }
        if isinstance(title, Mapping):
            title = parse_text(title, "title", "title").get(lang)
        heading = title or text("widgets.quiz.title", lang)
        self.header = w.HTML(
            f"<h3>{html.escape(heading)}</h3>"
            f"<p><small>{html.escape(text('widgets.quiz.not_graded', lang))}</small></p>"
        )
        self.score_line = w.HTML()
        super().__init__([self.header, *(v.box for v in self.views.values()), self.score_line])

    @classmethod
    def from_yaml(
        cls, source: str, lang: Lang = "zh", title: str | Mapping[str, str] | None = None
    ) -> Quiz:
        """A quiz from YAML text: a list of questions, or ``{title: ..., questions: [...]}``."""
        try:
            data = yaml.safe_load(source)
        except yaml.YAMLError as exc:
            raise QuizError("widgets.quiz.error_yaml", detail=" ".join(str(exc).split())) from None
        if isinstance(data, Mapping) and "questions" in data:
            return cls(data["questions"], lang=lang, title=title or data.get("title"))
        return cls(data, lang=lang, title=title)

    @classmethod
    def from_lesson(cls, number: int, lang: Lang = "zh") -> Quiz:
        """The lesson's ``number``-th quiz, its spec read from the lesson (a trainee edition).

        The notebook's setup cell names the lesson (``LESSON``); the spec, with its keys,
        stays in the lesson source and never reaches the trainee's notebook.
        """
        return cls.from_yaml(quiz_spec(sys._getframe(1).f_globals, number), lang=lang)

    def _view(self, question_id: str) -> _QuestionView:
        try:
            return self.views[question_id]
        except KeyError:
            raise QuizError(
                "widgets.quiz.error_unknown_question",
                question=question_id,
                known=", ".join(self.views),
            ) from None

    def answer(self, question_id: str, value: Answer) -> None:
        """Set an answer as a trainee would: option id, list of ids, or a number/text."""
        self._view(question_id).set(value)

    def value(self, question_id: str) -> str | list[str] | None:
        """The current answer of one question."""
        return self._view(question_id).value

    def check(self, question_id: str) -> bool:
        """Check one answer and show feedback (what the Check button calls)."""
        view = self._view(question_id)
        ok, lines = view.judge()
        question, lang = view.question, self.lang
        if ok and question.explain is not None:
            lines.append(text("widgets.quiz.explain", lang, explain=question.explain.get(lang)))
        if not ok and question.hint is not None:
            lines.append(text("widgets.quiz.hint", lang, hint=question.hint.get(lang)))
        body = "<br>".join(html.escape(line) for line in lines)
        view.feedback.value = f'<div style="{GOOD if ok else BAD}">{body}</div>'
        correct, total = self.score
        self.score_line.value = html.escape(
            text("widgets.quiz.score", self.lang, correct=correct, total=total)
        )
        return ok

    def feedback(self, question_id: str) -> str:
        """The feedback HTML last shown for one question ("" before any check)."""
        return str(self._view(question_id).feedback.value)

    @property
    def score(self) -> tuple[int, int]:
        """(questions answered correctly now, number of questions); self-check only."""
        correct = sum(view.judge()[0] for view in self.views.values())
        return correct, len(self.views)
