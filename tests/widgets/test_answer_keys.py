"""Do a trainee edition's short checks and quizzes find their keys, and keep them out of sight?

A small lesson source is written to a temporary ``courses/`` folder; its trainee edition's
cells run in one namespace, as a kernel would run them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import jupytext
import pytest

from shegong import editions, keycache
from shegong.widgets import Quiz
from shegong.widgets.lessons import keys

LESSON = '''\
---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, name: python3}
---

```{code-cell} ipython3
numbers = [3, 4, 5]
```

```{code-cell} ipython3
# 在这里写你的代码 / write your code here
### BEGIN SOLUTION
helper = sorted(numbers)
total = sum(helper)
### END SOLUTION
```

```{code-cell} ipython3
from shegong.widgets import check

expected = len(numbers) * 4
check("total", total, expected=expected, lang=LANG)
```

```{code-cell} ipython3
from shegong.widgets import Quiz

Quiz.from_yaml("""
- id: q1
  kind: single
  prompt: {zh: "几个数？", en: "How many numbers?"}
  options:
    - {id: a, text: {zh: 三个, en: three}, correct: true}
    - {id: b, text: {zh: 四个, en: four}, correct: false}
""", lang=LANG)
```
'''


@pytest.fixture
def trainee(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The code cells of the lesson's trainee edition; the lesson is ``demo/sums``."""
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "sums.md").write_text(LESSON, encoding="utf-8")
    monkeypatch.setattr(keys, "CONTENT", SimpleNamespace(courses=tmp_path))
    monkeypatch.setenv("SHEGONG_KEY_CACHE", str(tmp_path / "key-cache"))
    keys.keys_of.cache_clear()
    source = jupytext.reads(LESSON, fmt="md:myst")
    cells = [c.source for c in editions.trainee_edition(source).cells if c.cell_type == "code"]
    yield cells
    keys.keys_of.cache_clear()


def _run(cells: list[str], namespace: dict[str, Any]) -> None:
    for code in cells:
        exec(code, namespace)


def test_trainee_cells_hold_no_solution_and_no_key(trainee: list[str]) -> None:
    """Are the solution, the expected value and the quiz key gone from the trainee's cells?"""
    text = "\n".join(trainee)
    assert "total = ...  # 把答案写在这里 / your answer here" in trainee[1]
    assert "# 在这里写你的代码 / write your code here" in trainee[1]
    for secret in ("sorted(numbers)", "helper", "expected", "correct", "BEGIN SOLUTION"):
        assert secret not in text
    assert trainee[2].endswith('check("total", total, lang=LANG)')
    assert trainee[3].endswith("Quiz.from_lesson(1, lang=LANG)")


def test_unanswered_then_wrong_then_right(
    trainee: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    """Does the short check say not answered, then too low, then right, like the full one?"""
    namespace: dict[str, Any] = {"LANG": "zh", "LESSON": "demo/sums"}
    _run(trainee[:3], namespace)
    assert "total：还没有作答" in capsys.readouterr().out
    _run(["total = 10", trainee[2]], namespace)
    assert "偏小" in capsys.readouterr().out
    _run(["total = 'twelve'", trainee[2]], namespace)
    assert "这里需要一个数字" in capsys.readouterr().out
    _run(["total = sum(numbers)", trainee[2]], namespace)
    assert capsys.readouterr().out.strip() == "✓ total：正确！"
    assert "expected" not in namespace, "the key's own names stay out of the trainee's"


def test_english_short_check(trainee: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    """Does the short check speak English in an English edition?"""
    _run([*trainee[:2], "total = 12", trainee[2]], {"LANG": "en", "LESSON": "demo/sums"})
    assert capsys.readouterr().out.strip() == "✓ total: correct!"


def test_quiz_from_the_lesson(trainee: list[str]) -> None:
    """Does ``Quiz.from_lesson(1)`` build the lesson's quiz, and mark the key right?"""
    namespace: dict[str, Any] = {"LANG": "en", "LESSON": "demo/sums"}
    exec("quiz = Quiz.from_lesson(1, lang=LANG)", {**namespace, "Quiz": Quiz}, namespace)
    quiz = namespace["quiz"]
    quiz.answer("q1", "a")
    assert quiz.check("q1") and quiz.score == (1, 1)


def test_a_notebook_without_its_lesson_says_so(trainee: list[str]) -> None:
    """Is a short check outside a lesson (no ``LESSON``) a plain error naming the problem?"""
    with pytest.raises(keys.AnswerKeyError) as info:
        _run(["from shegong.widgets import check", "check('total', 12, lang='zh')"], {})
    assert "找不到课文" in str(info.value) and "No answer key" in str(info.value)
    with pytest.raises(keys.AnswerKeyError):
        exec("Quiz.from_lesson(2)", {"Quiz": Quiz, "LESSON": "demo/sums"})


def _no_source_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the lesson source was parsed")

    monkeypatch.setattr(jupytext, "read", refuse)


def test_a_second_kernel_takes_the_keys_from_the_cache(
    trainee: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does the first check leave the keys in the cache, so the next kernel parses nothing?"""
    first = keys.keys_of("demo/sums")
    assert list((tmp_path / "key-cache").glob("v*-*.json")), "the first read fills the cache"
    keys.keys_of.cache_clear()  # a new kernel
    _no_source_parsing(monkeypatch)
    assert keys.keys_of("demo/sums") == first


def test_an_edited_lesson_is_read_afresh(
    trainee: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Is a changed source never matched with the keys of its old text?"""
    assert keys.keys_of("demo/sums").checks["total"].count("* 4") == 1
    edited = LESSON.replace("len(numbers) * 4", "len(numbers) * 5")
    (tmp_path / "demo" / "sums.md").write_text(edited, encoding="utf-8")
    keys.keys_of.cache_clear()
    assert "* 5" in keys.keys_of("demo/sums").checks["total"]
    assert len(list((tmp_path / "key-cache").glob("v*-*.json"))) == 2


def test_a_damaged_cache_file_falls_back_to_the_source(trainee: list[str], tmp_path: Path) -> None:
    """Is a broken or foreign cache file ignored, and the source read instead?"""
    right = keys.keys_of("demo/sums")
    source = (tmp_path / "demo" / "sums.md").read_bytes()
    for damage in ("{not json", '{"checks": {"total": 3}, "quizzes": []}', "[]"):
        keycache.cache_file(source).write_text(damage, encoding="utf-8")
        keys.keys_of.cache_clear()
        assert keys.keys_of("demo/sums") == right


def test_an_unwritable_cache_still_gives_the_keys(
    trainee: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does a check work where the cache folder cannot be made (a file in its way)?"""
    blocker = tmp_path / "blocked"
    blocker.write_text("a file, not a folder", encoding="utf-8")
    monkeypatch.setenv("SHEGONG_KEY_CACHE", str(blocker / "cache"))
    assert keys.keys_of("demo/sums").answers == {"total"}
    assert not list(tmp_path.glob("blocked/.keys-*"))


def test_building_the_courses_fills_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does ``shegong build courses`` leave every lesson's keys where kernels look first?"""
    from shegong.courses import discover
    from shegong.lessons import build_courses

    monkeypatch.setenv("SHEGONG_KEY_CACHE", str(tmp_path / "key-cache"))
    course = discover()[0]
    build_courses(tmp_path / "build", [course])
    keys.keys_of.cache_clear()
    _no_source_parsing(monkeypatch)
    try:
        for lesson in course.lessons:
            assert keys.keys_of(f"{course.id}/{lesson}").answers
    finally:
        keys.keys_of.cache_clear()


def test_a_lesson_kernel_never_imports_nbformat() -> None:
    """Do the widgets a lesson imports leave nbformat and jupytext (seconds to import) out?"""
    probe = (
        "import sys, shegong.widgets, shegong.widgets.lessons.keys\n"
        "print(sorted(m for m in ('nbformat', 'jupytext', 'jsonschema') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"
