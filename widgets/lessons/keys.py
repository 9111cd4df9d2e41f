"""Answer keys of a trainee edition: the short ``check`` and ``Quiz.from_lesson`` calls.

A trainee's notebook holds no expected value and no quiz key (``shegong.editions`` builds it
so). Its setup cell names the lesson (``LESSON = "casework/intake-screening"``); a short
``check("village_referred", village_referred, lang=LANG)`` finds that lesson's source under
``courses/``, takes the check cell's key code for that label and runs it on a copy of the
notebook's namespace, so the friendly message is the one the full check gives. An answer
left as the scaffold's ``...`` is "not answered yet", without running the key.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from shegong import keycache
from shegong.errors import ShegongError
from shegong.keycache import LessonKeys
from shegong.paths import CONTENT


class AnswerKeyError(ShegongError):
    """A short check or quiz call whose lesson or key cannot be found."""


@cache
def keys_of(lesson: str) -> LessonKeys:
    """The answer keys of ``course/lesson``: from the key cache, else read from its source."""
    path = CONTENT.courses / f"{lesson}.md"
    if not path.is_file():
        raise AnswerKeyError("widgets.keys.error_no_lesson", lesson=lesson)
    source = path.read_bytes()
    cached = keycache.load(source)
    if cached is not None:
        return cached
    # Lazy: jupytext and nbformat cost seconds to import; only a cache miss needs them.
    import jupytext

    from shegong.editions import lesson_keys

    keys = lesson_keys(jupytext.read(path))
    keycache.store(source, keys)
    return keys


def lesson_of(namespace: dict[str, Any]) -> str:
    """The lesson a notebook belongs to (its setup cell's ``LESSON``)."""
    lesson = namespace.get("LESSON")
    if not isinstance(lesson, str):
        raise AnswerKeyError("widgets.keys.error_no_lesson", lesson="?")
    return lesson


def key_code(namespace: dict[str, Any], label: str) -> str:
    """The key code that checks ``label`` in this notebook's lesson."""
    lesson = lesson_of(namespace)
    try:
        return keys_of(lesson).checks[label]
    except KeyError:
        raise AnswerKeyError("widgets.keys.error_no_key", lesson=lesson, name=label) from None


def run_key(namespace: dict[str, Any], label: str, value: object) -> None:
    """Run the key for ``label`` with the trainee's ``value``; it shows its own feedback.

    The key runs on a copy of the namespace: nothing it computes reaches the trainee's
    variables. Errors come back to the caller, which turns them into a "not yet" message.
    """
    code = key_code(namespace, label)
    scope = dict(namespace)
    scope[label] = value
    exec(compile(code, f"<answer key: {label}>", "exec"), scope)  # the lesson's own source


def quiz_spec(namespace: dict[str, Any], number: int) -> str:
    """The YAML of this lesson's ``number``-th quiz (1 for the first)."""
    lesson = lesson_of(namespace)
    quizzes = keys_of(lesson).quizzes
    if not 1 <= number <= len(quizzes):
        raise AnswerKeyError("widgets.keys.error_no_quiz", lesson=lesson, number=number)
    return quizzes[number - 1]
