"""A lesson's answer keys, and a cache of them so a trainee's kernel need not parse sources.

A trainee edition's short ``check(...)`` and ``Quiz.from_lesson(...)`` find their keys in the
lesson's source under ``courses/``. Parsing that source takes jupytext and nbformat, and
importing them (jsonschema with its grammar-compiling format checkers, jupyter_server) costs
seconds in every kernel that runs a first check: on a slow station PC, every lesson.

The keys are a pure function of the source text, so they are kept as JSON under the user's
cache folder, named by the source's SHA-256: an edited source has a new name and is read
afresh, never matched with an old key. ``shegong build courses`` fills the cache for the user
who builds; any other user fills their own on their first check of a lesson.

What a cache file can and cannot do: it holds the same keys the source does (the trainee can
read both), and it drives only the trainee's own self-checks, never grading. A damaged or
foreign file is ignored and the source is read instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

FORMAT = 1  # bump when the JSON shape or the key extraction changes


@dataclass
class LessonKeys:
    """What a lesson checks against: key code per label, quiz YAML in order, answer names."""

    checks: dict[str, str] = field(default_factory=dict)
    quizzes: list[str] = field(default_factory=list)

    @property
    def answers(self) -> set[str]:
        return set(self.checks)


def cache_dir() -> Path:
    """The folder of cached keys: ``SHEGONG_KEY_CACHE`` or the user's cache folder."""
    configured = os.environ.get("SHEGONG_KEY_CACHE")
    if configured:
        return Path(configured)
    return Path(platformdirs.user_cache_dir("shegong")) / "lesson-keys"


def cache_file(source: bytes) -> Path:
    digest = hashlib.sha256(source).hexdigest()
    return cache_dir() / f"v{FORMAT}-{digest}.json"


def load(source: bytes) -> LessonKeys | None:
    """The cached keys of this source text, or None when there are none (or they are bad)."""
    try:
        data = json.loads(cache_file(source).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    checks, quizzes = data.get("checks"), data.get("quizzes")
    if not isinstance(checks, dict) or not isinstance(quizzes, list):
        return None
    if not all(isinstance(k, str) and isinstance(v, str) for k, v in checks.items()):
        return None
    if not all(isinstance(q, str) for q in quizzes):
        return None
    return LessonKeys(checks=dict(checks), quizzes=list(quizzes))


def store(source: bytes, keys: LessonKeys) -> None:
    """Keep the keys of this source (atomically); a cache that cannot be written is skipped."""
    target = cache_file(source)
    payload = json.dumps({"checks": keys.checks, "quizzes": keys.quizzes}, ensure_ascii=False)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".keys-", suffix=".tmp")
    except OSError:
        return
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.write(payload)
        os.replace(tmp, target)
    except OSError:
        Path(tmp).unlink(missing_ok=True)
