"""Does the course index show trainees where to start, where to hand in, what needs no code?

Built from the real courses: 第0课 (the ``start`` course) is the index's first course and
first link, the 我的作业 page is linked at the top in each language (a server-absolute link,
which JupyterLab opens in a new tab), and every course shows its no-code share as counted by
``shegong.nocode``.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shegong.courses import discover
from shegong.lessons import MY_ASSIGNMENTS, build_courses
from shegong.nocode import count_all, index_line


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("index") / "courses"
    build_courses(out)
    pages = {}
    for lang in ("zh", "en"):
        nb = json.loads((out / lang / "index.ipynb").read_text(encoding="utf-8"))
        pages[lang] = "".join(nb["cells"][0]["source"])
    return pages


def test_lesson_zero_comes_first(index: dict[str, str]) -> None:
    """Is 第0课 the first course and the first lesson link of the index?"""
    assert discover()[0].id == "start"
    zh, en = index["zh"], index["en"]
    first_zh = zh.index("](start/01-jupyterlab.ipynb)")
    assert first_zh < min(zh.index("](data-basics/"), zh.index("](casework/"))
    assert "第0课 在中文 JupyterLab 里学习" in zh and "Lesson 0: Learning in JupyterLab" in en


def test_the_index_links_my_assignments_for_trainees(index: dict[str, str]) -> None:
    """Does each index link its own language's 我的作业 page, above the courses?"""
    for lang, name in (("zh", "我的作业"), ("en", "My assignments")):
        page = index[lang]
        link = f"[{name}]({MY_ASSIGNMENTS.format(lang=lang)})"
        assert link in page
        assert page.index(link) < page.index("\n## ")
    assert MY_ASSIGNMENTS.startswith("/voila/render/") and MY_ASSIGNMENTS.endswith(
        "/my_assignments.ipynb"
    )
    app = Path(__file__).resolve().parents[2] / "voila_apps" / "my_assignments.py"
    assert app.is_file()


def test_each_course_shows_its_no_code_share(index: dict[str, str]) -> None:
    """Does every course's section carry the no-code line the count gives, in each language?"""
    for count in count_all():
        for lang in ("zh", "en"):
            page = index[lang]
            section = page.split(f"## {count.course.title(lang)}\n", 1)[1].split("\n## ", 1)[0]
            assert index_line(count, lang) in section, (count.course.id, lang)
    assert "不写代码也能完成" in index["zh"] and "without writing code" in index["en"]
