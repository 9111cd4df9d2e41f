"""Slim feedback pages, one per trainee and assignment, in Chinese and English.

nbgrader's ``generate_feedback`` renders the whole notebook with its outputs and styles
(about 133 KB for a short assignment, much more with charts): too heavy to carry back on a
phone over a weak network. This page is a few kilobytes of plain HTML with inline CSS, no
scripts, no images: the total, each question's score with the test message the trainee
needs (in their language), and for written answers the rubric level chosen for each
criterion with its descriptor, the bank comments and the supervisor's own words.

Where it goes:

- ``course/feedback/<trainee>/<assignment>/<notebook>.html`` in the trainee's language
  (the layout ``nbgrader release_feedback`` publishes on a hub), with nbgrader's
  ``timestamp.txt`` (and ``submission_secret.txt`` when the submission came through the
  exchange), and ``bilingual/<notebook>.zh.html`` / ``.en.html`` beside it;
- ``station_bundles``: one zip per station (``exports/feedback/<assignment>/<station>.zip``)
  holding both languages for each of its trainees and an index, to carry back to the station.
"""

from __future__ import annotations

import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd
from nbformat import NotebookNode

from shegong.grading import cells, gates, manual, status
from shegong.grading.config import CoursePaths
from shegong.grading.context import GradingContext
from shegong.grading.feedback_page import (
    CSS,
    QuestionLine,
    RubricLine,
    TraineeFeedback,
    escape,
    render,
)
from shegong.grading.gradebook import open_gradebook
from shegong.grading.masters import find, load_assignment_rubric
from shegong.grading.model import Status
from shegong.grading.phases import TAMPERED
from shegong.grading.preprocessors import NOT_RUN, TIMEOUT
from shegong.grading.roster import trainees
from shegong.grading.rubric import Rubric
from shegong.messages import LANGS, Lang, text
from shegong.text import Bilingual


def _headings(nb: NotebookNode) -> dict[str, str]:
    """grade_id -> the last ``## heading`` above it (the question the cell belongs to)."""
    current, found = "", {}
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("## "):
                    current = line[3:].strip()
        gid = cells.grade_id(cell)
        if gid:
            found[gid] = current
    return found


def question_titles(paths: CoursePaths, assignment: str, notebook: str) -> dict[str, Bilingual]:
    """grade_id -> the question it belongs to (its heading in each language edition)."""
    per_lang = {}
    for lang in LANGS:
        path = paths.handouts / lang / assignment / f"{notebook}.ipynb"
        per_lang[lang] = _headings(nbformat.read(path, as_version=4)) if path.exists() else {}
    ids = set(per_lang["zh"]) | set(per_lang["en"])
    return {g: Bilingual(per_lang["zh"].get(g, g), per_lang["en"].get(g, g)) for g in ids}


def _message(cell: NotebookNode | None, passed: bool) -> Bilingual:
    """The test message a trainee reads: our two-line checks split by language.

    Only messages made by ``shegong.grading.checks`` (and our own not-run and tampered
    notes) are shown; any other failure becomes a plain "could not run" with the
    exception's name, so no traceback line, hidden test or expected value reaches the page.
    """
    if cell is None:
        return Bilingual(
            text("grading.feedback.missing", "zh"), text("grading.feedback.missing", "en")
        )
    if passed:
        return Bilingual(
            text("grading.feedback.passed", "zh"), text("grading.feedback.passed", "en")
        )
    for output in cell.get("outputs", []):
        if output.get("output_type") != "error":
            continue
        ename, evalue = str(output.get("ename", "")), str(output.get("evalue", ""))
        if ename == TIMEOUT:
            return Bilingual(
                text("grading.feedback.timeout", "zh"), text("grading.feedback.timeout", "en")
            )
        lines = [line for line in evalue.splitlines() if line.strip()]
        if ename in ("AssertionError", NOT_RUN, TAMPERED) and len(lines) == 2:
            return Bilingual(lines[0], lines[1])
        if ename == "AssertionError":  # a bare assert: its text may quote the hidden test
            break
        # any other exception: its name only, never its text or traceback (they can show
        # the hidden test's source or data)
        kind = ename if ename.isidentifier() else "Exception"
        return Bilingual(
            text("grading.feedback.could_not_run", "zh", ename=kind),
            text("grading.feedback.could_not_run", "en", ename=kind),
        )
    failed = text("grading.feedback.failed", "zh"), text("grading.feedback.failed", "en")
    return Bilingual(*failed)


def _rubric_lines(
    paths: CoursePaths, rubric: Rubric, assignment: str, student: str, cell: str
) -> tuple[tuple[RubricLine, ...], tuple[Bilingual, ...]]:
    record = manual.recorded(paths, assignment, student, cell)
    if record is None:
        return (), ()
    lines = []
    for criterion in rubric.for_cell(cell):
        if criterion.id in record.choices:
            level = criterion.level(record.choices[criterion.id])
            lines.append(
                RubricLine(
                    criterion.title,
                    level.label,
                    level.descriptor,
                    level.points,
                    criterion.max_points,
                )
            )
    bank = {c.id: c.text for c in manual.bank(paths, rubric)}
    comments = [bank[i] for i in record.bank_ids if i in bank]
    if record.comment:
        comments.append(Bilingual(record.comment, record.comment))
    return tuple(lines), tuple(comments)


def collect(ctx: GradingContext, assignment: str, student: str) -> TraineeFeedback | None:
    """Everything the feedback page shows for one trainee (None if nothing was submitted)."""
    from nbgrader.api import MissingEntry  # heavy (nbgrader's ORM): only when collecting

    paths = ctx.paths
    info = find(assignment)
    rubric = load_assignment_rubric(info)
    found = [r for r in status.rows(paths, assignment) if r.student == student]
    state = found[0].status if found else Status.GRADED
    autograded = paths.step("autograded") / student / assignment / f"{info.notebook}.ipynb"
    nb = nbformat.read(autograded, as_version=4) if autograded.exists() else None
    lang: Lang = (
        "en" if nb is not None and nb.metadata.get("shegong", {}).get("lang") == "en" else "zh"
    )
    nb_cells = cells.nbgrader_cells(nb) if nb is not None else {}
    titles = question_titles(paths, assignment, info.notebook)
    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except MissingEntry:
            return None
        name = str(submission.student.last_name or "")
        result = TraineeFeedback(
            assignment,
            Bilingual(info.title_zh, info.title_en),
            student,
            name,
            "",
            lang,
            state,
            float(submission.score),
            float(submission.max_score),
        )
        grades = [g for n in submission.notebooks for g in n.grades]
        order = {gid: k for k, gid in enumerate(nb_cells)}
        for grade in sorted(grades, key=lambda g: order.get(g.name, 999)):
            gid = str(grade.name)
            written = gid in rubric.cells
            cell = nb_cells.get(gid)
            passed = bool(grade.max_score) and float(grade.score) >= float(grade.max_score)
            lines, comments = (
                _rubric_lines(paths, rubric, assignment, student, gid) if written else ((), ())
            )
            result.questions.append(
                QuestionLine(
                    grade_id=gid,
                    title=titles.get(gid, Bilingual(gid, gid)),
                    kind="written" if written else "test",
                    score=float(grade.score),
                    max_score=float(grade.max_score),
                    message=Bilingual("", "") if written else _message(cell, passed),
                    passed=None if written else passed,
                    pending=written and bool(grade.needs_manual_grade),
                    rubric=lines,
                    comments=comments,
                )
            )
    scores = {q.grade_id: (q.score, q.max_score) for q in result.questions}
    complete = not any(q.pending for q in result.questions)
    judged = gates.verdict(info, scores, complete=complete, status=state)
    result.missed_gates = tuple(titles.get(g, Bilingual(g, g)) for g in judged.missed)
    result.passed = judged.passed
    result.pass_percent = info.pass_percent
    return result


def write(ctx: GradingContext, assignment: str, student: str, station: str = "") -> dict[str, Path]:
    """Write one trainee's feedback pages; returns ``{"page": ..., "zh": ..., "en": ...}``."""
    paths = ctx.paths
    data = collect(ctx, assignment, student)
    if data is None:
        return {}
    data.station = station
    info = find(assignment)
    folder = paths.step("feedback") / student / assignment
    (folder / "bilingual").mkdir(parents=True, exist_ok=True)
    written: dict[str, Path] = {}
    for lang in LANGS:
        target = folder / "bilingual" / f"{info.notebook}.{lang}.html"
        target.write_text(render(data, lang), encoding="utf-8")
        written[lang] = target
    page = folder / f"{info.notebook}.html"
    page.write_text(render(data, data.lang), encoding="utf-8")
    written["page"] = page
    submitted = paths.step("submitted") / student / assignment
    for extra in ("timestamp.txt", "submission_secret.txt"):
        if (submitted / extra).exists():
            shutil.copyfile(submitted / extra, folder / extra)
    return written


def station_bundles(paths: CoursePaths, assignment: str, trainees: pd.DataFrame) -> list[Path]:
    """One zip per station with every trainee's pages in both languages and an index.

    ``trainees`` is the roster table (``roster.trainees``). Names inside the zip are ASCII
    (``w000011.zh.html``), so any phone or old Windows opens them; the index lists names.
    """
    table = trainees
    info = find(assignment)
    out = paths.workspace.exports / "feedback" / assignment
    out.mkdir(parents=True, exist_ok=True)
    bundles = []
    for station_id, group in table.groupby("station_id"):
        entries = []
        for row in group.itertuples(index=False):
            folder = paths.step("feedback") / str(row.worker_id) / assignment / "bilingual"
            if (folder / f"{info.notebook}.zh.html").exists():
                entries.append((str(row.worker_id), str(row.name_zh), folder))
        if not entries:
            continue
        target = out / f"{station_id!s}.zip"
        with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            links = []
            for worker_id, name, folder in entries:
                for lang in LANGS:
                    archive.write(
                        folder / f"{info.notebook}.{lang}.html", f"{worker_id}.{lang}.html"
                    )
                links.append(
                    f'<li>{escape(name)} ({worker_id}): <a href="{worker_id}.zh.html">中文</a>'
                    f' · <a href="{worker_id}.en.html">English</a></li>'
                )
            station = str(group["station_name"].iloc[0])
            index = (
                f'<!doctype html><html><head><meta charset="utf-8"><title>{escape(station)}</title>'
                f"<style>{CSS}</style></head><body><h1>{escape(info.title_zh)}</h1>"
                f"<p>{escape(info.title_en)}</p><h2>{escape(station)}</h2><ul>{''.join(links)}</ul>"
                "</body></html>"
            )
            archive.writestr("index.html", index)
        bundles.append(target)
    return bundles


@dataclass(frozen=True)
class Handback:
    """What ``write_all`` wrote for one assignment."""

    pages: int  # trainees whose pages were written
    bundles: tuple[Path, ...]  # one zip per station
    folder: Path  # where the bundles are


def write_all(ctx: GradingContext, assignment: str, students: list[str] | None = None) -> Handback:
    """Pages for every trainee who submitted ``assignment`` (or ``students``), with their
    station's name, then one bundle per station (``station_bundles``)."""
    paths = ctx.paths
    roster = trainees(ctx.settings)
    stations = dict(zip(roster["worker_id"], roster["station_name"], strict=True))
    folder = paths.step("submitted")
    chosen = students or sorted(p.parent.name for p in folder.glob(f"*/{assignment}"))
    count = sum(bool(write(ctx, assignment, s, stations.get(s, ""))) for s in chosen)
    bundles = station_bundles(paths, assignment, roster)
    return Handback(count, tuple(bundles), paths.workspace.exports / "feedback" / assignment)
