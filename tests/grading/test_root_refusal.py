"""A root grader with no uid to drop to would run trainee code as root: it refuses.

Threat: a checkout in a folder other users cannot enter (a plain ``mktemp -d``, mode 0700)
leaves the sandbox no uid that can run the kernel, so the level falls to ``same_user``, which
as root means a hostile submission runs as root. ``shegong grade autograde`` refuses before it
touches any submission, says which folder is closed and how to fix it, in both languages;
``allow_root_kernels`` (trusted test runs only) lets it go on. (Where the test run itself
has no uid to drop to, ``tests/conftest.py`` turns the refusal off for the other tests and
says so; these tests hold the function bound at import, so they always test the real one.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shegong.grading import autograde
from shegong.grading.autograde import refuse_root_kernels  # bound before any fixture
from shegong.grading.config import GradingError, GradingOptions, load_options
from shegong.grading.launch import Interpreter

CLOSED = Interpreter(("python",), "", False)  # no uid can run it: the same_user level
OPEN = Interpreter(("python",), "", True)


def test_root_without_a_uid_to_drop_to_is_refused_naming_the_closed_folder(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    monkeypatch.setattr(autograde, "closed_folder", lambda: Path("/tmp/tmp.Zx9"))
    with pytest.raises(GradingError) as caught:
        refuse_root_kernels(CLOSED, GradingOptions())
    error = caught.value
    assert error.msg_id == "grading.error.root_kernels"
    zh, en = error.message("zh"), error.message("en")
    assert "已拒绝评分" in zh and "chmod o+x /tmp/tmp.Zx9" in zh and "root" in zh
    assert "Grading refused" in en and "/tmp/tmp.Zx9" in en


def test_it_grades_when_a_uid_can_be_dropped_to_or_not_root_or_told_to(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "geteuid", lambda: 0)
    refuse_root_kernels(OPEN, GradingOptions())
    refuse_root_kernels(CLOSED, GradingOptions(allow_root_kernels=True))
    monkeypatch.setattr(os, "geteuid", lambda: 1000)
    refuse_root_kernels(CLOSED, GradingOptions())


def test_the_override_is_read_as_a_yes_or_no_word_never_by_truthiness() -> None:
    """``SHEGONG_GRADE_ALLOW_ROOT_KERNELS=0`` must not turn the refusal off."""
    on = load_options(environ={"SHEGONG_GRADE_ALLOW_ROOT_KERNELS": "yes"})
    off = load_options(environ={"SHEGONG_GRADE_ALLOW_ROOT_KERNELS": "0"})
    assert on.allow_root_kernels is True and off.allow_root_kernels is False
    with pytest.raises(GradingError):
        load_options(environ={"SHEGONG_GRADE_ALLOW_ROOT_KERNELS": "maybe"})
