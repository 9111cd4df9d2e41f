"""Does the self-check quiz validate its spec and give immediate, per-answer feedback?"""

from __future__ import annotations

import copy
import html
import re
from typing import Any

import pytest

from shegong.widgets import Quiz, QuizError


def _shown(quiz: Quiz, question_id: str) -> str:
    """The feedback a trainee reads: the HTML without tags and entities."""
    return html.unescape(re.sub(r"<[^>]+>", " ", quiz.feedback(question_id)))


def _t(zh: str, en: str) -> dict[str, str]:
    return {"zh": zh, "en": en}


QUESTIONS: list[dict[str, Any]] = [
    {
        "id": "stages",
        "kind": "single",
        "prompt": _t("个案工作的第二个阶段是什么？", "What is the second stage of casework?"),
        "options": [
            {"id": "a", "text": _t("接案", "intake"), "correct": False,
             "explain": _t("接案是第一个阶段。", "Intake is the first stage.")},
            {"id": "b", "text": _t("预估", "assessment"), "correct": True,
             "explain": _t("预估即评估需求。", "Assessment looks at needs.")},
            {"id": "c", "text": _t("结案", "closure"), "correct": False},
        ],
        "explain": _t("六个阶段：接案、预估、计划、介入、评估、结案。",
                      "Six stages: intake, assessment, planning, intervention, evaluation, "
                      "closure."),
        "hint": _t("想一想开案之后先做什么。", "Think about what comes right after intake."),
    },
    {
        "id": "principles",
        "kind": "multiple",
        "prompt": _t("哪些是个案工作原则？", "Which are casework principles?"),
        "options": [
            {"id": "confidential", "text": _t("保密", "confidentiality"), "correct": True},
            {"id": "judge", "text": _t("评判", "judgement"), "correct": False,
             "explain": _t("应当非评判。", "Casework is non-judgemental.")},
            {"id": "self", "text": _t("服务对象自决", "client self-determination"),
             "correct": True},
        ],
    },
    {
        "id": "rate",
        "kind": "numeric",
        "prompt": _t("120 人次除以 8 个站，平均多少？", "120 person-times over 8 stations: mean?"),
        "answer": 15,
        "tolerance": 0.5,
    },
]  # fmt: skip

YAML = """
title:
  zh: 第一课自测
  en: Lesson 1 self-check
questions:
  - id: q1
    kind: numeric
    prompt:
      zh: 二加二等于几？
      en: What is two plus two?
    answer: 4
"""


def test_quiz_is_chinese_by_default_and_english_on_request() -> None:
    """Are the title, prompts, options and buttons Chinese by default and English with lang="en"?"""
    zh, en = Quiz(QUESTIONS), Quiz(QUESTIONS, lang="en")
    assert "自测练习" in zh.header.value and "Self-check quiz" in en.header.value
    view_zh, view_en = zh.views["stages"], en.views["stages"]
    assert view_zh.button.description == "检查答案" and view_en.button.description == "Check"
    assert [label for label, _ in view_zh.radio.options] == ["接案", "预估", "结案"]
    assert [label for label, _ in view_en.radio.options] == ["intake", "assessment", "closure"]
    assert "个案工作的第二个阶段" in view_zh.box.children[0].value
    assert "second stage of casework" in view_en.box.children[0].value
    assert Quiz(QUESTIONS, title=_t("标题", "Title"), lang="en").header.value.startswith(
        "<h3>Title"
    )


def test_wrong_choice_says_not_correct_with_that_options_explanation() -> None:
    """Does a wrong single choice say 'not correct' and explain that option, without the answer?"""
    quiz = Quiz(QUESTIONS, lang="en")
    quiz.answer("stages", "a")
    assert quiz.check("stages") is False
    shown = _shown(quiz, "stages")
    assert "Not correct" in shown and "Intake is the first stage." in shown
    assert "Hint: Think about what comes right after intake." in shown
    assert "Six stages" not in shown  # the explanation would give the answer away


def test_right_choice_is_correct_and_shows_the_explanation() -> None:
    """Does the right choice say correct, explain the option and the question, in Chinese?"""
    quiz = Quiz(QUESTIONS)
    quiz.answer("stages", "b")
    quiz.views["stages"].button.click()  # what a trainee's click does
    shown = _shown(quiz, "stages")
    assert "✓ 正确" in shown and "预估即评估需求" in shown and "解析：六个阶段" in shown
    assert quiz.score == (1, 3)
    assert "1 / 3" in quiz.score_line.value


def test_option_without_explanation_still_gets_a_mark() -> None:
    """Is a chosen option that has no explanation still marked wrong?"""
    quiz = Quiz(QUESTIONS)
    quiz.answer("stages", "c")
    assert not quiz.check("stages")
    assert "你选了“结案”：这个选项不对" in _shown(quiz, "stages")


def test_multiple_choice_needs_every_right_option() -> None:
    """Is a partial multiple answer not correct, naming how many right options are missing?"""
    quiz = Quiz(QUESTIONS)
    quiz.answer("principles", ["confidential"])
    assert not quiz.check("principles")
    assert "还有 1 个正确选项没有选上" in _shown(quiz, "principles")
    quiz.answer("principles", ["confidential", "judge", "self"])
    assert not quiz.check("principles")
    assert "应当非评判" in _shown(quiz, "principles")
    quiz.answer("principles", ["self", "confidential"])
    assert quiz.check("principles")
    assert quiz.value("principles") == ["confidential", "self"]


@pytest.mark.parametrize(
    ("typed", "ok"),
    [(15, True), ("15.4", True), ("14.5", True), ("16", False), ("１５", True), (14.4, False)],
)
def test_numeric_answer_within_tolerance_is_correct(typed: Any, ok: bool) -> None:
    """Is a number within the tolerance correct and one outside it not?"""
    quiz = Quiz(QUESTIONS)
    quiz.answer("rate", typed)
    assert quiz.check("rate") is ok


def test_numeric_feedback_hints_direction_and_rejects_text() -> None:
    """Does a numeric answer say too high or too low, and does text get a message, not an error?"""
    quiz = Quiz(QUESTIONS, lang="en")
    quiz.answer("rate", 20)
    quiz.check("rate")
    shown = _shown(quiz, "rate")
    assert "too high" in shown and "15" not in shown  # the answer stays hidden
    quiz.answer("rate", "fifteen")
    assert not quiz.check("rate")
    assert "'fifteen' is not a number" in _shown(quiz, "rate")
    quiz.answer("rate", None)
    assert not quiz.check("rate")
    assert "Answer first" in _shown(quiz, "rate")


def test_unanswered_single_choice_asks_for_an_answer() -> None:
    """Does checking before choosing ask for an answer instead of marking it wrong loudly?"""
    quiz = Quiz(QUESTIONS)
    assert not quiz.check("stages")
    assert "请先作答" in _shown(quiz, "stages")


def test_from_yaml_reads_title_and_questions() -> None:
    """Does a quiz load from YAML text with a title and questions?"""
    quiz = Quiz.from_yaml(YAML, lang="en")
    assert "Lesson 1 self-check" in quiz.header.value
    quiz.answer("q1", 4)
    assert quiz.check("q1") and quiz.score == (1, 1)
    assert Quiz.from_yaml(YAML).header.value.startswith("<h3>第一课自测")


def test_numbers_in_yaml_count_as_text() -> None:
    """Is an option written as a bare YAML number (``en: 3``) accepted as its text?"""
    quiz = Quiz.from_yaml(
        """
- id: times
  prompt:
    zh: 走访 3 次算几人次？
    en: Three visits make how many person-times?
  options:
    - {id: a, text: {zh: 1 人次, en: 1}, correct: false}
    - {id: b, text: {zh: 3 人次, en: 3}, correct: true}
""",
        lang="en",
    )
    assert [label for label, _ in quiz.views["times"].radio.options] == ["1", "3"]


def _broken(index: int, **changes: Any) -> list[dict[str, Any]]:
    spec = copy.deepcopy(QUESTIONS)
    spec[index].update(changes)
    return spec


@pytest.mark.parametrize(
    ("spec", "question", "words"),
    [
        (_broken(0, options=[{**o, "correct": True} for o in QUESTIONS[0]["options"]]),
         "stages", "exactly one correct option"),
        (_broken(1, options=[{**o, "correct": False} for o in QUESTIONS[1]["options"]]),
         "principles", "at least one correct option"),
        (_broken(2, answer=None), "rate", "needs a number as answer"),
        (_broken(2, tolerance=-1), "rate", "tolerance of zero or more"),
        (_broken(0, prompt={"zh": "只有中文"}), "stages", "prompt needs both Chinese"),
        (_broken(0, kind="essay"), "stages", "invalid kind 'essay'"),
        (_broken(1, options=[QUESTIONS[1]["options"][0]]), "principles", "at least two options"),
        (_broken(0, options=[*QUESTIONS[0]["options"], {"id": "a", "text": _t("甲", "A")}]),
         "stages", "option id 'a'"),
        (_broken(1, id="stages"), "stages", "appears more than once"),
        (_broken(0, options=[{**QUESTIONS[0]["options"][0], "explain": "only text"},
                             *QUESTIONS[0]["options"][1:]]),
         "stages", "options[a].explain"),
    ],
)  # fmt: skip
def test_invalid_spec_raises_naming_the_question(
    spec: list[dict[str, Any]], question: str, words: str
) -> None:
    """Is each broken spec refused with a bilingual QuizError naming the question id?"""
    with pytest.raises(QuizError) as caught:
        Quiz(spec)
    zh, en = str(caught.value).split("\n")
    assert question in zh and question in en and words in en
    assert caught.value.message("zh") == zh


def test_spec_shape_errors() -> None:
    """Are a non-list, a question without id and bad YAML refused with clear errors?"""
    with pytest.raises(QuizError, match="must be a list"):
        Quiz({"id": "q1"})  # type: ignore[arg-type]
    with pytest.raises(QuizError, match="number 2 has no id"):
        Quiz([QUESTIONS[0], {"kind": "single"}])
    with pytest.raises(QuizError, match="YAML cannot be read"):
        Quiz.from_yaml("- id: [unclosed")


def test_programmatic_answers_are_checked() -> None:
    """Are unknown question ids and option ids refused, naming what exists?"""
    quiz = Quiz(QUESTIONS)
    with pytest.raises(QuizError, match="stages, principles, rate"):
        quiz.answer("nope", "a")
    with pytest.raises(QuizError, match="its options are: a, b, c"):
        quiz.answer("stages", "z")
    with pytest.raises(QuizError, match="nope"):
        quiz.check("nope")


def test_unquoted_comma_in_yaml_text_is_refused() -> None:
    """Does a flow-mapping text cut by an unquoted comma raise instead of showing half a text?"""
    spec = """
- id: rows
  kind: single
  prompt: {zh: 一行是什么, en: What is one row}
  options:
    - {id: a, text: {zh: 一次服务, en: one contact}, correct: true,
       explain: {zh: 对。, en: Right. Each visit, call or activity is one row.}}
    - {id: b, text: {zh: 一个人, en: one person}, correct: false}
"""
    with pytest.raises(QuizError) as info:
        Quiz.from_yaml(spec)
    zh, en = str(info.value).split("\n")
    assert "未定义的键" in zh and "call or activity is one row." in zh
    assert "options[a].explain" in en
