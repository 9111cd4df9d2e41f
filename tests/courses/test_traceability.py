"""Are the lessons traceable: standards, programme, competencies and exam named, and checked?

Every lesson's front matter carries the four lists of ``shegong.trace``; a wrong entry is
refused with a message naming the file and the field, in Chinese and English; the coverage
matrix shows which competency no lesson teaches and which standard no lesson cites.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shegong.cli import main
from shegong.courses import (
    CourseError,
    coverage,
    discover,
    load_course,
    matrix_markdown,
    write_matrix,
)
from shegong.evaluation import load_competency_rubric
from shegong.trace import vocabulary

COURSES = discover()
LESSONS = [(c.id, meta) for c in COURSES for meta in c.meta]
TAUGHT = {cid for _, meta in LESSONS for cid in meta.competency}


@pytest.mark.parametrize(("course", "meta"), LESSONS, ids=lambda x: getattr(x, "id", x))
def test_every_lesson_names_a_standard_and_a_competency(course: str, meta: object) -> None:
    """Does each lesson cite at least one known standard or law and teach some competency?"""
    words = vocabulary()
    standards = meta.standards  # type: ignore[attr-defined]
    assert standards, f"{course}/{meta.id} names no standard"  # type: ignore[attr-defined]
    assert all(words.standard(s) for s in standards)
    assert meta.competency  # type: ignore[attr-defined]


@pytest.mark.parametrize("cid", [c.id for c in load_competency_rubric().competencies])
def test_every_assessed_competency_is_taught(cid: str) -> None:
    """Is each competency the competency rubric assesses taught by at least one lesson?"""
    assert cid in TAUGHT, f"{cid} is assessed in competency.yml but no lesson teaches it"


def test_project_evaluation_and_older_people_standards_are_cited() -> None:
    """Are MZ/T 059-2014 (project evaluation) and MZ/T 064-2016 (older people) cited?"""
    cited = {code for _, meta in LESSONS for code in coverage(COURSES).cited(meta)}
    assert {"MZ/T 059-2014", "MZ/T 064-2016"} <= cited


def test_every_standard_a_rubric_criterion_cites_is_taught() -> None:
    """Does some lesson cite each standard the station and competency rubrics assess by?"""
    from shegong.evaluation.reader import load
    from shegong.evaluation.rubrics import COMPETENCY_RUBRIC, STATION_RUBRIC
    from shegong.evaluation.schema import CompetencyFile, StationFile

    station = load(STATION_RUBRIC, StationFile)
    skills = load(COMPETENCY_RUBRIC, CompetencyFile)
    words = vocabulary()
    assessed = {
        words.standard(s) for d in station.dimensions for i in d.indicators for s in i.standards
    } | {words.standard(s) for c in skills.competencies for s in c.standards}
    cited = {code for _, meta in LESSONS for code in coverage(COURSES).cited(meta)}
    assert assessed - cited == set()


# --- the errors a course author sees -----------------------------------------------------

GOOD = {
    "standards": '["MZ/T 094-2017 5.1", "《中华人民共和国个人信息保护法》"]',
    "programme": "[需求评估, 社会救助]",
    "competency": "[c7_assess, m_casework]",
    "exam": '["社会工作实务（初级）：个案工作方法"]',
}


def _course(tmp_path: Path, **fields: str | None) -> Path:
    """A one-lesson course whose front matter has ``GOOD`` fields, changed by ``fields``."""
    folder = tmp_path / "demo"
    folder.mkdir(parents=True)
    (folder / "course.yml").write_text(
        "id: demo\norder: 9\ntitle_zh: 演示\ntitle_en: Demo\nhours: 1\nlessons: [one]\n",
        encoding="utf-8",
    )
    values = {**GOOD, **fields}
    lines = [f"  {k}: {v}" for k, v in values.items() if v is not None]
    head = "\n".join(["---", "shegong:", "  id: one", "  title_zh: 第1课", "  title_en: One"])
    body = "\n".join(["  minutes: 30", *lines, "---", "", "# 第1课", ""])
    (folder / "one.md").write_text(head + "\n" + body, encoding="utf-8")
    return folder


def _refused(folder: Path, *needles: str) -> str:
    with pytest.raises(CourseError) as info:
        load_course(folder)
    message = str(info.value)
    zh, en = message.split("\n")
    assert str(folder / "one.md") in zh and str(folder / "one.md") in en
    for needle in needles:
        assert needle in message, (needle, message)
    return message


def test_a_well_formed_lesson_loads(tmp_path: Path) -> None:
    """Does a lesson in the shared format load, clause and law title included?"""
    course = load_course(_course(tmp_path))
    meta = course.meta[0]
    assert meta.standards[0] == "MZ/T 094-2017 5.1"
    assert coverage([course]).cited(meta) == {"MZ/T 094-2017", "《中华人民共和国个人信息保护法》"}


def test_an_empty_standards_list_is_refused(tmp_path: Path) -> None:
    """Does a lesson that names no standard fail, saying every lesson needs one?"""
    _refused(_course(tmp_path, standards="[]"), "shegong.standards", "至少", "at least one")


def test_a_lesson_without_the_standards_field_is_refused(tmp_path: Path) -> None:
    """Does a lesson lacking ``standards`` fail, naming the field?"""
    _refused(_course(tmp_path, standards=None), "standards", "缺少", "lacks")


def test_a_standard_that_is_no_code_is_refused(tmp_path: Path) -> None:
    """Is "MZ/T 094" (no year) or a bare title refused, with the known codes listed?"""
    _refused(_course(tmp_path, standards='["MZ/T 094"]'), "shegong.standards[0]", "MZ/T 094-2017")
    _refused(_course(tmp_path / "b", standards="[个案工作标准]"), "“个案工作标准”")


def test_an_unknown_programme_word_is_refused(tmp_path: Path) -> None:
    """Is a programme word outside 五化 / 六项服务 / 五社联动 refused, with the words listed?"""
    _refused(
        _course(tmp_path, programme="[需求调查]"), "shegong.programme[0]", "需求调查", "五社联动"
    )


def test_an_unknown_competency_id_is_refused(tmp_path: Path) -> None:
    """Is a competency id the competency rubric does not define refused, with the ids listed?"""
    _refused(
        _course(tmp_path, competency="[c7_assess, c10_lead]"),
        "shegong.competency[1]",
        "c10_lead",
        "m_casework",
    )


def test_an_empty_competency_list_is_refused(tmp_path: Path) -> None:
    _refused(_course(tmp_path, competency="[]"), "shegong.competency", "至少", "at least one")


@pytest.mark.parametrize(
    "entry",
    [
        "社会工作实务（初级） 个案工作方法",  # no separator
        "社会工作实务：个案工作方法",  # not an exam subject
        "社会工作实务（初级）：第3章",  # a chapter number, not a topic
        "社会工作实务（初级）：",  # no topic
    ],
)
def test_a_malformed_exam_entry_is_refused(tmp_path: Path, entry: str) -> None:
    """Is an exam entry not "<subject>：<topic>" with a known subject refused?"""
    _refused(_course(tmp_path, exam=f'["{entry}"]'), "shegong.exam[0]", "科目", "subject")


def test_a_misspelt_trace_field_is_refused(tmp_path: Path) -> None:
    """Is ``standard:`` (a typo of ``standards``) named, not silently ignored?"""
    folder = _course(tmp_path, standards=None)
    lesson = folder / "one.md"
    lesson.write_text(
        lesson.read_text(encoding="utf-8").replace(
            "  minutes: 30", '  minutes: 30\n  standard: ["MZ/T 094-2017"]'
        ),
        encoding="utf-8",
    )
    _refused(folder, "standard", "拼写", "typo")


def test_a_lesson_id_differing_from_its_file_is_refused(tmp_path: Path) -> None:
    folder = _course(tmp_path)
    lesson = folder / "one.md"
    lesson.write_text(lesson.read_text(encoding="utf-8").replace("id: one", "id: two"), "utf-8")
    _refused(folder, "two", "one")


# --- the coverage matrix ---------------------------------------------------------------


def test_the_matrix_marks_gaps(tmp_path: Path) -> None:
    """Does the matrix of a one-lesson course list the untaught competencies and uncited codes?"""
    course = load_course(_course(tmp_path))
    cov = coverage([course])
    assert "c1_ethics" in cov.untaught() and "c7_assess" not in cov.untaught()
    assert "MZ/T 059-2014" in cov.uncited() and "MZ/T 094-2017" not in cov.uncited()
    zh, en = matrix_markdown(cov, "zh"), matrix_markdown(cov, "en")
    gaps_zh = zh.split("## 课文 × 标准")[0]
    assert "c1_ethics（展现伦理与专业行为）" in gaps_zh
    assert "MZ/T 059-2014 社会工作服务项目绩效评估指南" in gaps_zh
    assert "Gaps" in en and "MZ/T 059-2014 Guidelines for performance evaluation" in en
    assert "| 演示 | 第1课 |" in zh and "| Demo | One |" in en


def test_the_matrix_files_are_written_in_both_languages(tmp_path: Path) -> None:
    """Are the Markdown pages and Excel-ready CSVs written, one row per lesson, marks placed?"""
    written = write_matrix(tmp_path / "out", COURSES)
    names = {p.name for p in written}
    for lang in ("zh", "en"):
        assert {f"coverage-{lang}.md", f"coverage-standards-{lang}.csv"} <= names
    raw = (tmp_path / "out" / "coverage-competencies-zh.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the Chinese
    rows = raw.decode("utf-8-sig").strip().split("\r\n")
    assert len(rows) == 1 + len(LESSONS) + 1  # header, lessons, the count row
    header = rows[0].split(",")
    intake = next(r.split(",") for r in rows if "第1课 接案与筛查" in r)
    assert intake[header.index("m_casework")] == "●"
    assert intake[header.index("m_groupwork")] == ""
    en = (tmp_path / "out" / "coverage-en.md").read_text(encoding="utf-8")
    assert "Lesson 1: Intake and eligibility screening" in en


def test_the_cli_writes_the_matrix(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Does ``shegong courses matrix --out`` write the matrix and report the gaps bilingually?"""
    assert main(["courses", "matrix", "--home", str(tmp_path), "--out", str(tmp_path / "m")]) == 0
    out = capsys.readouterr().out
    assert "缺口" in out and "Gaps" in out
    assert (tmp_path / "m" / "coverage-zh.md").is_file()
