"""What ``shegong grade`` shows in the terminal: the tables of intake and of statuses.

Every cell comes from the catalogue in the supervisor's language; names from zips and notes
quoting them are put in as plain text (``rich.text.Text``), never read as markup.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from shegong.grading.model import IntakeDecision
from shegong.grading.status import StatusRow, explain_note, explain_status
from shegong.messages import Lang, text


def intake_table(decisions: list[IntakeDecision], lang: Lang) -> Table:
    """One row per zip: file, trainee, assignment, receipt, and the decision in words."""
    table = Table(title=text("grading.intake.title", lang))
    for column in ("file", "trainee", "assignment", "receipt", "result"):
        table.add_column(text(f"grading.intake.column.{column}", lang))
    for d in decisions:
        lines = [text(f"grading.intake.{d.reason}", lang, detail=d.detail or "-")]
        if d.ignored:
            lines.append(text("grading.intake.ignored", lang, names=", ".join(d.ignored)))
        if d.converted:
            lines.append(text("grading.intake.converted", lang, names=", ".join(d.converted)))
        cells = (d.file, d.trainee, d.assignment, d.receipt, "\n".join(lines))
        table.add_row(*(Text(cell) for cell in cells))  # names from a zip are not markup
    return table


def status_table(status_rows: list[StatusRow], lang: Lang) -> Table:
    """A rich table of statuses for the terminal."""
    table = Table(title=text("grading.status.title", lang))
    for column in ("assignment", "student", "status", "score", "notes"):
        table.add_column(text(f"grading.status.column.{column}", lang))
    for r in status_rows:
        notes = "; ".join(explain_note(n, lang) for n in r.notes)
        score = f"{r.auto_score:g}/{r.auto_max:g}"
        cells = (r.assignment, r.student, explain_status(r.status, lang), score, notes)
        table.add_row(*(Text(c) for c in cells))  # notes quote names from zips: not markup
    return table
