"""Traceability fields: what a lesson or a rubric criterion says it serves (issue 14).

Four lists, the same in a lesson's front matter and on a rubric criterion:

- ``standards``: each entry a standard code from ``courses/trace.yml`` (``MZ/T 094-2017``),
  optionally a space and a clause, or the title of a law or regulation in 《》;
- ``programme``: words of the station programme (五化, 六项服务, 五社联动) from ``trace.yml``;
- ``competency``: ids of the competency rubric (checked where the rubric is known: courses);
- ``exam``: ``"<subject>：<chapter topic>"``, the subject one of ``trace.yml``'s exam subjects.

The vocabularies are data (``courses/trace.yml``), read once; the field types below check an
entry and refuse it with a located ``Problem`` code (``standard``, ``programme``, ``exam``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator

from shegong.errors import ShegongError
from shegong.paths import CONTENT
from shegong.text import Bilingual
from shegong.validation import Problem, Strict, fail, read_yaml, validate

VOCABULARY = CONTENT.courses / "trace.yml"
EXAM_SEPARATOR = "："
LAW = re.compile(r"^《[^《》]+》")


class TraceError(ShegongError):
    """``courses/trace.yml`` cannot be used."""


class Term(Strict):
    zh: str
    en: str


class StandardTerm(Strict):
    code: str
    zh: str
    en: str


class TraceFile(Strict):
    programme: dict[str, Term]
    exam_subjects: dict[str, Term]
    standards: list[StandardTerm]


@dataclass(frozen=True)
class Vocabulary:
    """The words the four fields may use, each with its zh/en label, in file order."""

    programme: dict[str, Bilingual]
    subjects: dict[str, Bilingual]
    standards: dict[str, Bilingual]

    def standard(self, entry: str) -> str | None:
        """The code (or law title in 《》) an entry cites, or None if it cites neither."""
        law = LAW.match(entry)
        if law:
            return law.group(0)
        for code in sorted(self.standards, key=len, reverse=True):
            if entry == code or entry.startswith(code + " "):
                return code
        return None

    def subject(self, entry: str) -> str | None:
        """The exam subject of ``"<subject>：<topic>"``, or None if malformed."""
        subject, sep, topic = entry.partition(EXAM_SEPARATOR)
        topic = topic.strip()
        if not sep or subject not in self.subjects or not topic or topic[0].isdigit():
            return None
        if re.match(r"^第\s*[0-9一二三四五六七八九十]+\s*章", topic):
            return None  # a chapter number, not a topic name
        return subject

    def label(self, value: str, lang: str) -> str:
        """The reader's name of a programme word, subject or standard code."""
        for table in (self.programme, self.subjects, self.standards):
            if value in table:
                return table[value].get(lang)
        return value


def read_vocabulary(path: Path = VOCABULARY) -> Vocabulary:
    """``trace.yml`` read and checked; ``TraceError`` naming the node otherwise."""

    def make(problem: Problem) -> TraceError:
        detail = ", ".join(f"{k}={v}" for k, v in problem.values.items())
        return TraceError(
            "error.trace_vocabulary", path=path, where=problem.path or "/", detail=detail
        )

    node = validate(TraceFile, read_yaml(path, make), make)

    def table(terms: dict[str, Term]) -> dict[str, Bilingual]:
        return {k: Bilingual(t.zh, t.en) for k, t in terms.items()}

    return Vocabulary(
        programme=table(node.programme),
        subjects=table(node.exam_subjects),
        standards={s.code: Bilingual(s.zh, s.en) for s in node.standards},
    )


@functools.cache
def vocabulary() -> Vocabulary:
    """The checkout's vocabulary, read once."""
    return read_vocabulary()


def _standards(value: list[str]) -> list[str]:
    words = vocabulary()
    for i, entry in enumerate(value):
        if words.standard(entry) is None:
            fail("standard", (i,), value=entry, choices=", ".join(words.standards))
    return value


def _programme(value: list[str]) -> list[str]:
    words = vocabulary()
    for i, entry in enumerate(value):
        if entry not in words.programme:
            fail("programme", (i,), value=entry, choices=" ".join(words.programme))
    return value


def _exam(value: list[str]) -> list[str]:
    words = vocabulary()
    for i, entry in enumerate(value):
        if words.subject(entry) is None:
            fail("exam", (i,), value=entry, choices=" ".join(words.subjects))
    return value


Standards = Annotated[list[str], AfterValidator(_standards)]
Programme = Annotated[list[str], AfterValidator(_programme)]
Exam = Annotated[list[str], AfterValidator(_exam)]
