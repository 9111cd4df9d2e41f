"""Scores for the programme: per question and per assignment, by station and county.

Tables are read from nbgrader's gradebook through its API (so rubric scores given in the
panel or in formgrader are included) and joined to the roster (trainee = ``worker_id``):

- ``question_scores``: one row per trainee, assignment and graded cell;
- ``assignment_scores``: one row per trainee and assignment, with the grading status,
  whether written answers still wait for a rubric grade, the safety minimums (met, or the
  questions missed) and the result (passed, not passed, pending; ``shegong.grading.gates``);
- ``cohort_summary``: per assignment and station: submissions, fully graded, answers waiting,
  submissions that could not be graded, mean and median percentage of the fully graded.

``export`` writes them as Excel-safe CSV (UTF-8 with BOM) and one ``.xlsx`` with a sheet each
(``shegong.exports``), headers "中文 / English" and codes in words (``readable``), plus a bar
chart with Chinese labels and a one-page HTML summary, in ``<workspace>/exports/grading/``.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from shegong.exports import to_csv_excel, to_xlsx
from shegong.grading import gates, status
from shegong.grading.context import GradingContext
from shegong.grading.feedback import question_titles
from shegong.grading.gradebook import open_gradebook
from shegong.grading.masters import discover
from shegong.grading.model import AssignmentInfo, Status
from shegong.grading.roster import trainees
from shegong.messages import Lang, text
from shegong.text import Bilingual

PLACE = ["worker_id", "name_zh", "station_id", "station_name", "county_id", "county_name"]


def _gradebook_rows(ctx: GradingContext) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    with open_gradebook(ctx.db_url, ctx.course_id) as gb:
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        rows.append(
                            {
                                "worker_id": str(submission.student.id),
                                "assignment": str(assignment.name),
                                "question": str(grade.name),
                                "kind": "manual" if grade.cell.cell_type == "markdown" else "auto",
                                "score": float(grade.score),
                                "max_score": float(grade.max_score),
                                "needs_manual_grade": bool(grade.needs_manual_grade),
                            }
                        )
    return rows


def question_scores(ctx: GradingContext) -> pd.DataFrame:
    """One row per trainee, assignment and graded cell, with station and county."""
    columns = ["assignment", "question", "kind", "score", "max_score", "needs_manual_grade"]
    table = pd.DataFrame(_gradebook_rows(ctx), columns=["worker_id", *columns])
    places = trainees(ctx.settings)
    merged = table.merge(places[PLACE], on="worker_id", how="left")
    return merged[[*PLACE, *columns]].sort_values(["assignment", "worker_id", "question"])


def assignment_scores(ctx: GradingContext) -> pd.DataFrame:
    """One row per trainee and assignment: score, maximum, percentage, status, waiting."""
    questions = question_scores(ctx)
    keys = [*PLACE, "assignment"]
    if questions.empty:
        table = pd.DataFrame(columns=[*keys, "score", "max_score", "percent", "waiting"])
    else:
        table = questions.groupby(keys, dropna=False, as_index=False).agg(
            score=("score", "sum"),
            max_score=("max_score", "sum"),
            waiting=("needs_manual_grade", "sum"),
        )
        table["percent"] = (100 * table["score"] / table["max_score"]).round(1)
    states = {(r.assignment, r.student): str(r.status) for r in status.rows(ctx.paths)}
    table["status"] = [
        states.get((a, w), "") for a, w in zip(table["assignment"], table["worker_id"], strict=True)
    ]
    judged = _verdicts(ctx, questions, table)
    table["safety"], table["missed_questions"], table["passed"] = judged
    return table[[*keys, "score", "max_score", "percent", "waiting", "status", *VERDICT]]


VERDICT = ["safety", "missed_questions", "passed"]


def _verdicts(
    ctx: GradingContext, questions: pd.DataFrame, table: pd.DataFrame
) -> tuple[list[str], list[str], list[str]]:
    """Per row of ``table``: safety (met / missed; "" without gates or a verdict), the missed
    questions' titles (zh / en) and passed / failed / pending ("" when not scored)."""
    infos = {i.id: i for i in discover()}
    titles: dict[str, dict[str, Bilingual]] = {}
    scores: dict[tuple[str, str], dict[str, tuple[float, float]]] = {}
    for q in questions.to_dict("records"):
        key = (str(q["worker_id"]), str(q["assignment"]))
        scores.setdefault(key, {})[str(q["question"])] = (float(q["score"]), float(q["max_score"]))
    rows: list[tuple[str, str, str]] = []
    for row in table.to_dict("records"):
        info = infos.get(str(row["assignment"]))
        if info is None:  # a course made outside shegong: no gates, no verdict
            rows.append(("", "", ""))
            continue
        if info.id not in titles:
            titles[info.id] = question_titles(ctx.paths, info.id, info.notebook)
        state = Status(row["status"]) if row["status"] else Status.GRADED
        mine = scores.get((str(row["worker_id"]), info.id), {})
        rows.append(_verdict_row(info, mine, state, int(row["waiting"]), titles[info.id]))
    if not rows:
        return [], [], []
    safety, missed, passed = zip(*rows, strict=True)
    return list(safety), list(missed), list(passed)


def _verdict_row(
    info: AssignmentInfo,
    scores: dict[str, tuple[float, float]],
    state: Status,
    waiting: int,
    titles: dict[str, Bilingual],
) -> tuple[str, str, str]:
    judged = gates.verdict(info, scores, complete=waiting == 0, status=state)
    if state not in gates.SCORED:
        return "", "", ""
    names = [titles.get(g, Bilingual(g, g)) for g in judged.missed]
    missed = "; ".join(f"{n.zh} / {n.en}" for n in names)
    safety = "" if not info.safety_gates else "missed" if judged.missed else "met"
    passed = "pending" if judged.passed is None else "passed" if judged.passed else "failed"
    return safety, missed, passed


GRADED = ("graded", "cells_restored", "")  # "" : scored outside shegong (plain nbgrader)
SUMMARY = [
    "assignment",
    "station_id",
    "station_name",
    "trainees",
    "complete",
    "waiting",
    "not_gradable",
    "mean_percent",
    "median_percent",
]


def cohort_summary(scores: pd.DataFrame) -> pd.DataFrame:
    """Per assignment and station: submissions, fully graded, written answers waiting,
    submissions that could not be graded, and the mean and median percentage.

    Means count fully graded submissions only: a damaged file or a timed-out kernel is not a
    score of 0, and an answer still waiting for its rubric grade would pull the mean down.
    """
    if scores.empty:
        return pd.DataFrame(columns=SUMMARY)
    table = scores.assign(
        graded=scores["status"].isin(GRADED),
        complete=scores["status"].isin(GRADED) & (scores["waiting"] == 0),
    )
    table["counted"] = table["percent"].where(table["complete"])
    grouped = table.groupby(
        ["assignment", "station_id", "station_name"], as_index=False, dropna=False
    )
    summary = grouped.agg(
        trainees=("worker_id", "nunique"),
        complete=("complete", "sum"),
        waiting=("waiting", "sum"),
        graded=("graded", "sum"),
        mean_percent=("counted", "mean"),
        median_percent=("counted", "median"),
    )
    summary["not_gradable"] = summary["trainees"] - summary["graded"]
    for column in ("complete", "waiting", "not_gradable"):
        summary[column] = summary[column].astype(int)
    return summary[SUMMARY].round(1)


def readable(table: pd.DataFrame, lang: Lang = "zh") -> pd.DataFrame:
    """``table`` as a person reads it: codes in words, headers "中文 / English"."""
    out = table.copy()
    if "kind" in out:
        out["kind"] = [text(f"grading.export.kind.{k}", lang) for k in out["kind"]]
    if "needs_manual_grade" in out:
        out["needs_manual_grade"] = [
            text("grading.export.yes" if v else "grading.export.no", lang)
            for v in out["needs_manual_grade"]
        ]
    if "safety" in out:
        out["safety"] = [
            text(f"grading.export.safety.{v}", lang) if v else "" for v in out["safety"]
        ]
    if "passed" in out:
        out["passed"] = [
            text(f"grading.export.passed.{v}", lang) if v else "" for v in out["passed"]
        ]
    if "status" in out:
        out["status"] = [
            text(f"grading.export.status.{v}", lang) if v else "" for v in out["status"]
        ]
    return out.rename(columns=headers(list(out.columns)))


def headers(columns: list[str]) -> dict[str, str]:
    """Column headers in both languages, Chinese first: ``{"score": "得分 / score"}``."""
    return {
        c: f"{text(f'grading.export.col.{c}', 'zh')} / {text(f'grading.export.col.{c}', 'en')}"
        for c in columns
    }


def chart(summary: pd.DataFrame, target: Path, lang: Lang = "zh") -> Path:
    """Mean percentage by station, one bar group per assignment, Chinese labels."""
    import matplotlib  # heavy: only when a chart is drawn

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from shegong.fonts import use_chinese_font  # loads matplotlib too

    use_chinese_font()
    pivot = summary.pivot_table(index="station_name", columns="assignment", values="mean_percent")
    fig, ax = plt.subplots(figsize=(8, 4))
    if not pivot.empty:
        pivot.plot.bar(ax=ax)
        ax.legend(title=text("grading.export.assignment", lang))
    ax.set_title(text("grading.export.chart_title", lang))
    ax.set_xlabel(text("grading.export.station", lang))
    ax.set_ylabel(text("grading.export.mean_percent", lang))
    ax.set_ylim(0, 100)
    ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    target.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(target, dpi=110)
    plt.close(fig)
    return target


@dataclass(frozen=True)
class Exported:
    questions_csv: Path
    assignments_csv: Path
    summary_csv: Path
    workbook: Path
    chart: Path
    summary_html: Path


def _summary_html(summary: pd.DataFrame, scores: pd.DataFrame, chart_name: str) -> str:
    def number(value: object) -> str:
        figure = float(str(value))
        return "—" if figure != figure else f"{figure:g}"  # nan: nobody fully graded yet

    rows = "".join(
        f"<tr><td>{html.escape(str(r.assignment))}</td><td>{html.escape(str(r.station_name))}</td>"
        f"<td>{r.trainees}</td><td>{r.complete}</td><td>{r.waiting}</td>"
        f"<td>{r.not_gradable}</td><td>{number(r.mean_percent)}</td>"
        f"<td>{number(r.median_percent)}</td></tr>"
        for r in summary.itertuples(index=False)
    )
    heads = "".join(
        f"<th>{html.escape(text(f'grading.export.col.{k}', 'zh'))}</th>"
        for k in SUMMARY
        if k != "station_id"
    )
    waiting = int(scores["waiting"].sum()) if not scores.empty else 0
    title = html.escape(text("grading.export.chart_title", "zh"))
    line = html.escape(
        text(
            "grading.export.summary_line",
            "zh",
            trainees=scores["worker_id"].nunique(),
            waiting=waiting,
        )
    )
    note = html.escape(text("grading.export.mean_note", "zh"))
    return (
        f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>{title}</title>'
        '</head><body style="font-family:sans-serif;max-width:50em;margin:auto">'
        f"<h1>{title}</h1><p>{line}</p><p>{note}</p>"
        f'<img src="{chart_name}" style="max-width:100%">'
        f'<table border=1 cellpadding=4 style="border-collapse:collapse"><tr>{heads}</tr>'
        f"{rows}</table></body></html>"
    )


def export(ctx: GradingContext, folder: Path | None = None) -> Exported:
    """Write every table as CSV and .xlsx, the chart and the summary page."""
    out = folder or ctx.paths.workspace.ensure().exports / "grading"
    questions = question_scores(ctx)
    scores = assignment_scores(ctx)
    summary = cohort_summary(scores)
    picture = chart(summary, out / "cohort_chart.png")
    page = out / "cohort_summary.html"
    page.write_text(_summary_html(summary, scores, picture.name), encoding="utf-8")
    tables = {"questions": questions, "assignments": scores, "summary": summary}
    people = {name: readable(table) for name, table in tables.items()}
    return Exported(
        questions_csv=to_csv_excel(people["questions"], out / "question_scores.csv"),
        assignments_csv=to_csv_excel(people["assignments"], out / "assignment_scores.csv"),
        summary_csv=to_csv_excel(people["summary"], out / "cohort_summary.csv"),
        workbook=to_xlsx(
            {text(f"grading.export.sheet.{name}", "zh"): people[name] for name in tables},
            out / "grading.xlsx",
        ),
        chart=picture,
        summary_html=page,
    )
