"""The quiz spec: questions as data, validated by pydantic models (layout in ``quiz.py``).

A problem is told in the quiz's own words, naming the question and the field
(``options[a].explain``, by option id), through the shared ``shegong.validation`` helper.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated

from pydantic import AfterValidator, BeforeValidator, model_validator

from shegong.errors import ShegongError
from shegong.text import Bilingual
from shegong.validation import Problem, Strict, fail, validate

KINDS = ("single", "multiple", "numeric")
TEXT_FIELDS = {"prompt", "explain", "hint", "text", "title"}


class QuizError(ShegongError):
    """A quiz spec or a programmatic answer that cannot be used."""


def _as_text(value: object) -> object:
    """Numbers count as text (YAML reads ``en: 3`` as the number 3)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    return value


def _filled(value: str) -> str:
    if not value.strip():
        fail("text")
    return value


def _kind(value: object) -> object:
    if value not in KINDS:
        fail("kind", kind=value)
    return value


def _number(value: object) -> float | None:
    """A finite float from an int or float (not bool), else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value) if math.isfinite(value) else None


QuizText = Annotated[str, BeforeValidator(_as_text), AfterValidator(_filled)]


class TextSpec(Strict):
    """``{zh, en}``, both non-empty."""

    zh: QuizText
    en: QuizText

    def texts(self) -> Bilingual:
        return Bilingual(self.zh, self.en)


class OptionSpec(Strict):
    id: Annotated[str, AfterValidator(_filled)]
    text: TextSpec
    correct: Annotated[bool, BeforeValidator(bool)] = False
    explain: TextSpec | None = None


class QuestionSpec(Strict):
    id: str
    kind: Annotated[str, BeforeValidator(_kind)] = "single"
    prompt: TextSpec
    options: list[OptionSpec] | None = None
    answer: object = None
    tolerance: object = 0
    explain: TextSpec | None = None
    hint: TextSpec | None = None

    @model_validator(mode="before")
    @classmethod
    def _options_first(cls, data: object) -> object:
        """Too few options, or a missing or repeated option id, before their contents."""
        if not isinstance(data, Mapping) or data.get("kind", "single") == "numeric":
            return data
        raw = data.get("options")
        if not isinstance(raw, Sequence) or isinstance(raw, str) or len(raw) < 2:
            fail("options")
        seen: set[object] = set()
        for number, spec in enumerate(raw, start=1):
            oid = spec.get("id") if isinstance(spec, Mapping) else None
            if not isinstance(oid, str) or not oid or oid in seen:
                fail("option_id", option=oid or number)
            seen.add(oid)
        return data

    @model_validator(mode="after")
    def _answerable(self) -> QuestionSpec:
        if self.kind == "numeric":
            answer, tolerance = _number(self.answer), _number(self.tolerance)
            if answer is None or tolerance is None or tolerance < 0:
                fail("numeric", answer=self.answer, tolerance=self.tolerance)
            return self
        n_correct = sum(o.correct for o in self.options or ())
        if self.kind == "single" and n_correct != 1:
            fail("single", count=n_correct)
        if self.kind == "multiple" and n_correct < 1:
            fail("multiple")
        return self


@dataclass(frozen=True)
class Option:
    id: str
    text: Bilingual
    correct: bool
    explain: Bilingual | None


@dataclass(frozen=True)
class Question:
    id: str
    kind: str
    prompt: Bilingual
    options: tuple[Option, ...] = ()
    answer: float | None = None
    tolerance: float = 0.0
    explain: Bilingual | None = None
    hint: Bilingual | None = None


OPTION_INDEX = re.compile(r"options\[(\d+)\]")


def _field(path: str, spec: Mapping[str, object]) -> str:
    """A path as the quiz names it: options by their id, ``question`` for the question."""
    options = spec.get("options")

    def by_id(match: re.Match[str]) -> str:
        i = int(match.group(1))
        option = options[i] if isinstance(options, Sequence) and i < len(options) else None
        oid = option.get("id") if isinstance(option, Mapping) else None
        return f"options[{oid if oid else i + 1}]"

    return OPTION_INDEX.sub(by_id, path) or "question"


def _text_node(path: str) -> str | None:
    """The text field a path is in or at (``prompt.zh`` -> ``prompt``), else None."""
    for end in (".zh", ".en"):
        path = path.removesuffix(end)
    return path if path.rsplit(".", 1)[-1] in TEXT_FIELDS else None


def _error(qid: str, spec: Mapping[str, object], problem: Problem) -> QuizError:
    """The quiz's message for the first problem of question ``qid``."""
    path, values = problem.path, problem.values
    if problem.code == "unknown":
        parent = path.rsplit(".", 1)[0] if "." in path else ""
        keys = str(values["key"])
        return QuizError(
            "widgets.quiz.error_unknown_key", question=qid, field=_field(parent, spec), keys=keys
        )
    if problem.code == "missing":
        path = f"{path}.{values['key']}" if path else str(values["key"])
    text_node = _text_node(path)
    if text_node is not None and problem.code in ("missing", "type", "text"):
        return QuizError("widgets.quiz.error_text", question=qid, field=_field(text_node, spec))
    if problem.code in ("kind", "numeric", "options", "option_id", "single", "multiple"):
        return QuizError(f"widgets.quiz.error_{problem.code}", question=qid, **values)
    if path == "options" or path.startswith("options["):
        return QuizError("widgets.quiz.error_options", question=qid)
    return QuizError("widgets.quiz.error_text", question=qid, field=_field(path, spec))


def _texts(spec: TextSpec | None) -> Bilingual | None:
    return None if spec is None else spec.texts()


def parse_text(value: object, question: str, field: str) -> Bilingual:
    """A ``{zh, en}`` text (a title), or QuizError naming the question and field."""

    def make(problem: Problem) -> QuizError:
        if problem.code == "unknown":
            keys = str(problem.values["key"])
            return QuizError(
                "widgets.quiz.error_unknown_key", question=question, field=field, keys=keys
            )
        return QuizError("widgets.quiz.error_text", question=question, field=field)

    return validate(TextSpec, value, make).texts()


def parse_question(spec: object, number: int) -> Question:
    """One validated question; ``number`` (1-based) names it when it has no id."""
    qid = spec.get("id") if isinstance(spec, Mapping) else None
    if not isinstance(qid, str) or not qid or not isinstance(spec, Mapping):
        raise QuizError("widgets.quiz.error_missing_id", number=number)

    def make(problem: Problem) -> QuizError:
        return _error(qid, spec, problem)

    node = validate(QuestionSpec, spec, make)
    prompt, explain, hint = node.prompt.texts(), _texts(node.explain), _texts(node.hint)
    if node.kind == "numeric":
        answer, tolerance = _number(node.answer), _number(node.tolerance)
        return Question(qid, node.kind, prompt, (), answer, tolerance or 0.0, explain, hint)
    options = tuple(
        Option(o.id, o.text.texts(), o.correct, _texts(o.explain)) for o in node.options or ()
    )
    return Question(qid, node.kind, prompt, options, explain=explain, hint=hint)


def parse_questions(specs: object) -> tuple[Question, ...]:
    """Validate a whole quiz spec (a list of question dicts)."""
    if not isinstance(specs, Sequence) or isinstance(specs, str | bytes) or not specs:
        raise QuizError("widgets.quiz.error_not_list", got=type(specs).__name__)
    questions: list[Question] = []
    for number, spec in enumerate(specs, start=1):
        question = parse_question(spec, number)
        if question.id in {q.id for q in questions}:
            raise QuizError("widgets.quiz.error_duplicate_id", question=question.id)
        questions.append(question)
    return tuple(questions)
