"""Rubric grading of written answers: levels and comments into nbgrader's gradebook.

A supervisor (the rubric panel, a notebook, a test) calls ``apply`` with the level chosen
for each criterion of one written answer, comments picked from the bank and free text.
``apply`` checks the choice against the rubric, then writes

- into nbgrader's gradebook, through its API: ``Grade.manual_score`` (the sum of the chosen
  levels) with ``needs_manual_grade`` cleared, and ``Comment.manual_comment`` (the levels
  and comments as text, Chinese then English), so formgrader, ``nbgrader export`` and
  feedback all see them;
- into ``grading.db``: each criterion's points, the bank ids and free text, who graded and
  when (nbgrader keeps neither).

Regrading replaces the earlier choice; autograding again never touches a manual score.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass

import nbformat
from sqlalchemy import Connection, Table, and_, delete, insert, select

from shegong.grading import cells, masters, store
from shegong.grading.config import CoursePaths, GradingError, GradingOptions
from shegong.grading.context import GradingContext
from shegong.grading.gradebook import open_gradebook
from shegong.grading.rubric import BankComment, Rubric
from shegong.messages import Lang, text
from shegong.text import Bilingual


@dataclass(frozen=True)
class RubricGrade:
    """One supervisor's grading of one written answer."""

    assignment: str
    student: str
    cell: str
    choices: Mapping[str, float]  # criterion id -> points of the chosen level
    bank_ids: tuple[str, ...] = ()
    comment: str = ""
    grader: str = ""


@dataclass(frozen=True)
class Recorded:
    """What ``grading.db`` holds about one graded written answer."""

    choices: dict[str, float]
    bank_ids: tuple[str, ...]
    comment: str
    grader: str
    graded_at: str


def _notebook_of(gb: object, assignment: str, cell: str) -> str:
    record = gb.find_assignment(assignment)  # type: ignore[attr-defined]
    for notebook in record.notebooks:
        if any(c.name == cell for c in notebook.grade_cells):
            return str(notebook.name)
    raise GradingError("grading.error.manual_cell", assignment=assignment, cell=cell)


def bank(paths: CoursePaths, rubric: Rubric) -> list[BankComment]:
    """The comment bank of an assignment: the rubric's comments, then supervisors' own."""
    table = store.comment_bank
    with store.connect(paths.grading_db) as db:
        added = db.execute(
            select(table)
            .where(table.c.assignment == rubric.assignment)
            .order_by(table.c.created_at)
        ).mappings()
        extra = [BankComment(r["id"], Bilingual(r["zh"], r["en"])) for r in added]
    return [*rubric.comments, *extra]


def add_to_bank(paths: CoursePaths, rubric: Rubric, zh: str, en: str, author: str) -> BankComment:
    """Add a reusable comment to an assignment's bank (both languages required)."""
    if not zh.strip() or not en.strip():
        raise GradingError("grading.error.bank_text")
    existing = {c.id for c in bank(paths, rubric)}
    number = len(existing) + 1
    while f"custom_{number}" in existing:
        number += 1
    comment = BankComment(f"custom_{number}", Bilingual(zh.strip(), en.strip()))
    with store.connect(paths.grading_db) as db:
        db.execute(
            insert(store.comment_bank).values(
                assignment=rubric.assignment,
                id=comment.id,
                zh=comment.text.zh,
                en=comment.text.en,
                created_by=author,
                created_at=store.now(),
            )
        )
    return comment


def _checked(rubric: Rubric, grade: RubricGrade) -> float:
    criteria = rubric.for_cell(grade.cell)
    if not criteria:
        raise GradingError(
            "grading.error.manual_cell", assignment=grade.assignment, cell=grade.cell
        )
    wanted = {c.id for c in criteria}
    if set(grade.choices) != wanted:
        missing = ", ".join(sorted(wanted - set(grade.choices))) or "-"
        raise GradingError("grading.error.manual_incomplete", cell=grade.cell, missing=missing)
    if not grade.grader.strip():
        raise GradingError("grading.error.manual_grader")
    return sum(c.level(float(grade.choices[c.id])).points for c in criteria)


def comment_text(
    rubric: Rubric, grade: RubricGrade, comments: list[BankComment], lang: Lang | None = None
) -> str:
    """The levels and comments of one graded answer as plain text in ``lang``; with no
    ``lang``, Chinese then English (the supervisor's own words once, at the end)."""
    if lang is None:
        own = grade.comment.strip()
        mute = dataclasses.replace(grade, comment="")
        parts = [
            comment_text(rubric, mute, comments, "zh"),
            comment_text(rubric, mute, comments, "en"),
        ]
        return "\n\n".join([*parts, own] if own else parts)
    lines = []
    for criterion in rubric.for_cell(grade.cell):
        level = criterion.level(float(grade.choices[criterion.id]))
        lines.append(
            text(
                "grading.manual.level_line",
                lang,
                criterion=criterion.title.get(lang),
                level=level.label.get(lang),
                points=f"{level.points:g}",
            )
        )
    by_id = {c.id: c for c in comments}
    lines += [by_id[i].text.get(lang) for i in grade.bank_ids if i in by_id]
    if grade.comment.strip():
        lines.append(grade.comment.strip())
    return "\n".join(lines)


def _replace(db: Connection, table: Table, match: Mapping[str, object], **values: object) -> None:
    """Delete the row of ``table`` matching ``match`` and insert it anew with ``values``."""
    db.execute(delete(table).where(and_(*(table.c[k] == v for k, v in match.items()))))
    db.execute(insert(table).values(**match, **values))


def apply(ctx: GradingContext, rubric: Rubric, grade: RubricGrade) -> float:
    """Record one rubric grade (see the module docstring); returns the manual score."""
    paths = ctx.paths
    score = _checked(rubric, grade)
    comments = bank(paths, rubric)
    unknown = [i for i in grade.bank_ids if i not in {c.id for c in comments}]
    if unknown:
        raise GradingError("grading.error.bank_unknown", ids=", ".join(unknown))
    from nbgrader.api import MissingEntry  # heavy (nbgrader's ORM): the panel loads without it

    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        notebook = _notebook_of(gb, grade.assignment, grade.cell)
        try:
            cell_grade = gb.find_grade(grade.cell, notebook, grade.assignment, grade.student)
            cell_comment = gb.find_comment(grade.cell, notebook, grade.assignment, grade.student)
        except MissingEntry:
            raise GradingError(
                "grading.error.manual_no_submission",
                assignment=grade.assignment,
                student=grade.student,
            ) from None
        cell_grade.manual_score = score
        cell_grade.needs_manual_grade = False
        cell_comment.manual_comment = comment_text(rubric, grade, comments)
        gb.db.commit()
    when = store.now()
    key = (grade.assignment, grade.student)
    choices, notes = store.rubric_choices, store.rubric_comments
    with store.connect(paths.grading_db) as db:
        for criterion in rubric.for_cell(grade.cell):
            _replace(
                db,
                choices,
                {"assignment": key[0], "student": key[1], "criterion": criterion.id},
                cell=grade.cell,
                points=float(grade.choices[criterion.id]),
                grader=grade.grader,
                graded_at=when,
            )
        _replace(
            db,
            notes,
            {"assignment": key[0], "student": key[1], "cell": grade.cell},
            bank_ids=json.dumps(list(grade.bank_ids)),
            text=grade.comment.strip(),
            grader=grade.grader,
            graded_at=when,
        )
    return score


def recorded(paths: CoursePaths, assignment: str, student: str, cell: str) -> Recorded | None:
    """The rubric grade ``grading.db`` holds for one written answer (None if ungraded)."""
    choices, notes = store.rubric_choices, store.rubric_comments
    with store.connect(paths.grading_db) as db:
        rows = (
            db.execute(
                select(choices).where(
                    and_(
                        choices.c.assignment == assignment,
                        choices.c.student == student,
                        choices.c.cell == cell,
                    )
                )
            )
            .mappings()
            .all()
        )
        note = (
            db.execute(
                select(notes).where(
                    and_(
                        notes.c.assignment == assignment,
                        notes.c.student == student,
                        notes.c.cell == cell,
                    )
                )
            )
            .mappings()
            .first()
        )
    if not rows or note is None:
        return None
    return Recorded(
        choices={r["criterion"]: float(r["points"]) for r in rows},
        bank_ids=tuple(json.loads(note["bank_ids"])),
        comment=str(note["text"]),
        grader=str(note["grader"]),
        graded_at=str(note["graded_at"]),
    )


def written_answer(paths: CoursePaths, assignment: str, student: str, cell: str) -> str:
    """The trainee's written answer (from the autograded notebook; "" if none)."""
    folder = paths.step("autograded") / student / assignment
    for path in sorted(folder.glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        found = cells.nbgrader_cells(nb).get(cell)
        if found is not None:
            return str(found.source)
    return ""


def to_grade(
    paths: CoursePaths, options: GradingOptions, assignment: str, rubric: Rubric
) -> list[tuple[str, str]]:
    """(student, cell) pairs of written answers still waiting for a rubric grade.

    Read only, and called where no settings are at hand (the grading app's course state),
    so it takes the folders and options rather than a ``GradingContext``.
    """
    waiting = []
    with open_gradebook(paths.db_url, options.course_id) as gb:
        for submission in gb.assignment_submissions(assignment):
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.name in rubric.cells and grade.needs_manual_grade:
                        waiting.append((str(submission.student.id), str(grade.name)))
    return sorted(waiting)


def parse_levels(items: list[str]) -> dict[str, float]:
    """``criterion=points`` pairs (the CLI's ``--level``) as a mapping."""
    choices: dict[str, float] = {}
    for item in items:
        criterion, _, points = item.partition("=")
        try:
            choices[criterion] = float(points)
        except ValueError:
            raise GradingError("grading.error.cli_level", value=item) from None
    return choices


def apply_levels(
    ctx: GradingContext,
    assignment: str,
    student: str,
    cell: str,
    levels: list[str],
    *,
    bank_ids: tuple[str, ...] = (),
    comment: str = "",
    grader: str = "",
) -> float:
    """``apply`` for the master's rubric with ``criterion=points`` levels (the CLI's way)."""
    rubric = masters.load_assignment_rubric(masters.find(assignment))
    grade = RubricGrade(assignment, student, cell, parse_levels(levels), bank_ids, comment, grader)
    return apply(ctx, rubric, grade)
