"""The one glossary (``courses/glossary.yml``): a preferred Chinese and English term per concept.

Each entry names the term people read in lessons, assignments, rubrics, apps and the data
card (``zh``, ``en``), accepted variants that mean the same (``also_zh``, such as a short
form), and the drifting words to replace (``avoid_zh``, ``avoid_en``). An avoided word can
be part of a different, correct term (流失 in 人才流失, staff turnover): ``allow`` lists such
phrases, and a use inside one of them is not drift. ``drift`` finds the avoided words in a
text; the lint in ``tests/courses/test_glossary.py`` runs it over every source people read.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Annotated, ClassVar

from pydantic import AfterValidator, Field, model_validator

from shegong.errors import Labels, ShegongError
from shegong.paths import CONTENT
from shegong.validation import KIND_LABELS, Problem, Strict, fail, read_yaml, validate

ID = re.compile(r"^[a-z][a-z0-9_]*$")


class GlossaryError(ShegongError):
    """A glossary file that cannot be used."""

    labels: ClassVar[Labels] = {"kind": KIND_LABELS}


def _filled(value: str) -> str:
    if not value.strip():
        fail("empty")
    return value


def _term_id(value: str) -> str:
    if not ID.match(value):
        fail("id", value=value)
    return value


Text = Annotated[str, AfterValidator(_filled)]


class Term(Strict):
    """One concept: the preferred terms, accepted variants and the words to avoid."""

    id: Annotated[str, AfterValidator(_term_id)]
    zh: Text
    en: Text
    also_zh: list[Text] = Field(default_factory=list)
    avoid_zh: list[Text] = Field(default_factory=list)
    avoid_en: list[Text] = Field(default_factory=list)
    allow: list[Text] = Field(default_factory=list)

    @model_validator(mode="after")
    def _avoid_is_not_preferred(self) -> Term:
        kept = [self.zh, *self.also_zh, self.en.lower()]
        for k, word in enumerate([*self.avoid_zh, *(w.lower() for w in self.avoid_en)]):
            if any(word in good for good in kept):
                field = "avoid_zh" if k < len(self.avoid_zh) else "avoid_en"
                fail("avoid_preferred", where=(field,), word=word)
        return self


class GlossaryFile(Strict):
    """The layout of ``courses/glossary.yml``."""

    terms: list[Term]

    @model_validator(mode="after")
    def _unique(self) -> GlossaryFile:
        seen: set[str] = set()
        for k, term in enumerate(self.terms):
            if term.id in seen:
                fail("duplicate", where=("terms", k, "id"), value=term.id)
            seen.add(term.id)
        return self


@dataclass(frozen=True)
class Drift:
    """An avoided word in a text: where, which word, and the term to use instead."""

    line: int
    word: str
    use: str
    text: str

    def __str__(self) -> str:
        return f"{self.line}: {self.word} -> {self.use}: {self.text[:80]}"


CODES = {"missing": "field", "unknown": "unknown", "type": "type"}
OWN = ("avoid_preferred", "duplicate", "id", "empty")


def _error(path: Path) -> Callable[[Problem], GlossaryError]:
    """How a problem reads: ``error.glossary_<code>``, naming the file and the node."""

    def make(problem: Problem) -> GlossaryError:
        values = dict(problem.values)
        where = problem.path or "/"
        if problem.code == "yaml":
            detail = f"line {values['line']}: {values['detail']}"
            return GlossaryError("error.glossary_unreadable", path=path, detail=detail)
        if problem.code == "read":
            return GlossaryError("error.glossary_unreadable", path=path, **values)
        if problem.code in OWN:
            return GlossaryError(f"error.glossary_{problem.code}", path=path, where=where, **values)
        code = CODES.get(problem.code, "value")
        values.setdefault("detail", problem.code)
        return GlossaryError(f"error.glossary_{code}", path=path, where=where, **values)

    return make


def glossary_path() -> Path:
    return CONTENT.courses / "glossary.yml"


def load_glossary(path: Path | None = None) -> GlossaryFile:
    """Read and check the glossary (default: the checkout's ``courses/glossary.yml``)."""
    path = glossary_path() if path is None else path
    make = _error(path)
    return validate(GlossaryFile, read_yaml(path, make), make)


@cache
def glossary() -> GlossaryFile:
    """The checkout's glossary, read once."""
    return load_glossary()


def _masked(line: str, phrases: list[str]) -> str:
    """``line`` with each allowed phrase blanked out (same length, so positions hold)."""
    for phrase in phrases:
        line = line.replace(phrase, "\0" * len(phrase))
    return line


def drift(text: str, terms: GlossaryFile | None = None) -> list[Drift]:
    """Every use of an avoided word in ``text`` (English words matched case-insensitively)."""
    terms = glossary() if terms is None else terms
    found: list[Drift] = []
    for number, line in enumerate(text.splitlines(), 1):
        for term in terms.terms:
            masked = _masked(line, term.allow)
            for word in term.avoid_zh:
                if word in masked:
                    found.append(Drift(number, word, term.zh, line.strip()))
            for word in term.avoid_en:
                if re.search(rf"\b{re.escape(word)}\b", masked, flags=re.IGNORECASE):
                    found.append(Drift(number, word, term.en, line.strip()))
    return found
