"""The feedback page itself: what one trainee's page shows, and its HTML.

``shegong.grading.feedback`` gathers a ``TraineeFeedback`` from the gradebook and
``grading.db``; ``render`` turns it into a few kilobytes of plain HTML with inline CSS, no
scripts, no images, in one language.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from shegong.errors import LIST_SEPARATOR
from shegong.grading import status
from shegong.grading.model import Status
from shegong.messages import Lang, text
from shegong.text import Bilingual

CSS = (
    "body{font-family:sans-serif;max-width:46em;margin:1em auto;padding:0 .8em;color:#222;"
    "line-height:1.5}table{border-collapse:collapse;width:100%}td,th{border:1px solid #ccc;"
    "padding:.3em .5em;text-align:left;vertical-align:top}th{background:#eef3fa}"
    ".ok{color:#1b5e20}.no{color:#8a1c1c}.s{white-space:nowrap}.total{font-size:1.3em}"
    ".muted{color:#666}.gate{border:2px solid #8a1c1c;padding:.5em;font-weight:bold}"
)


@dataclass(frozen=True)
class RubricLine:
    criterion: Bilingual
    level: Bilingual
    descriptor: Bilingual
    points: float
    max_points: float


@dataclass(frozen=True)
class QuestionLine:
    grade_id: str
    title: Bilingual
    kind: str  # test | written
    score: float
    max_score: float
    message: Bilingual
    passed: bool | None = None
    pending: bool = False
    rubric: tuple[RubricLine, ...] = ()
    comments: tuple[Bilingual, ...] = ()


@dataclass
class TraineeFeedback:
    assignment: str
    title: Bilingual
    trainee: str
    name: str
    station: str
    lang: Lang
    status: Status
    score: float = 0.0
    max_score: float = 0.0
    questions: list[QuestionLine] = field(default_factory=list)
    missed_gates: tuple[Bilingual, ...] = ()  # safety minimums not met (``gates``)
    passed: bool | None = None  # None: no verdict yet (written answers wait)
    pass_percent: float = 60.0


def escape(value: str) -> str:
    return html.escape(value, quote=True)


def _by_question(lines: list[QuestionLine]) -> list[list[QuestionLine]]:
    """Consecutive test cells of one question (same heading) as one group."""
    groups: list[list[QuestionLine]] = []
    for line in lines:
        last = groups[-1][0] if groups else None
        if last is not None and line.kind == last.kind == "test" and line.title == last.title:
            groups[-1].append(line)
        else:
            groups.append([line])
    return groups


def _verdict(feedback: TraineeFeedback, lang: Lang) -> str:
    """The safety minimums missed (first, in red), else passed or not, else nothing yet."""
    if feedback.missed_gates:
        questions = LIST_SEPARATOR[lang].join(g.get(lang) for g in feedback.missed_gates)
        line = text("grading.feedback.safety_missed", lang, questions=questions)
        return f'<p class="no gate">{escape(line)}</p>'
    if feedback.passed is None:
        return ""
    verdict = "passed" if feedback.passed else "failed"
    line = text(f"grading.feedback.verdict_{verdict}", lang, percent=feedback.pass_percent)
    return f'<p class="{"ok" if feedback.passed else "no"}">{escape(line)}</p>'


def render(feedback: TraineeFeedback, lang: Lang) -> str:
    """The feedback page in ``lang`` (a complete, self-contained HTML document)."""

    def t(msg_id: str, **values: object) -> str:
        return escape(text(msg_id, lang, **values))

    rows = []
    for group in _by_question(feedback.questions):
        q = group[0]
        score = f"{sum(g.score for g in group):g}/{sum(g.max_score for g in group):g}"
        if q.kind == "test":
            passed = all(g.passed for g in group)
            messages = [g.message.get(lang) for g in group if not g.passed] or [q.message.get(lang)]
            detail = "<br>".join(escape(m) for m in dict.fromkeys(messages))
            rows.append(
                f'<tr><td>{escape(q.title.get(lang))}</td><td class="s {"ok" if passed else "no"}">'
                f"{score}</td><td>{detail}</td></tr>"
            )
            continue
        if q.pending:
            detail = t("grading.feedback.pending")
        else:
            parts = [
                f"<b>{escape(r.criterion.get(lang))}</b>: {escape(r.level.get(lang))} "
                f"({r.points:g}/{r.max_points:g}) - {escape(r.descriptor.get(lang))}"
                for r in q.rubric
            ]
            parts += [f"<i>{escape(c.get(lang))}</i>" for c in q.comments]
            detail = "<br>".join(parts)
        title = escape(q.title.get(lang))
        rows.append(f'<tr><td>{title}</td><td class="s">{score}</td><td>{detail}</td></tr>')
    who = f"{escape(feedback.name)} ({escape(feedback.trainee)})"
    if feedback.station:
        who += f" · {escape(feedback.station)}"
    note = ""
    if feedback.status is not Status.GRADED:
        note = f'<p class="no">{escape(status.explain_status(feedback.status, lang))}</p>'
    total = t("grading.feedback.total", score=f"{feedback.score:g}", max=f"{feedback.max_score:g}")
    note += _verdict(feedback, lang)
    return (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{escape(feedback.title.get(lang))}</title><style>{CSS}</style></head><body>"
        f"<h1>{escape(feedback.title.get(lang))}</h1><p>{who}</p>"
        f'<p class="total">{total}</p>'
        f"{note}<table><tr><th>{t('grading.feedback.question')}</th>"
        f"<th>{t('grading.feedback.score')}</th><th>{t('grading.feedback.detail')}</th></tr>"
        f"{''.join(rows)}</table>"
        f'<p class="muted">{t("grading.feedback.footer")}</p></body></html>'
    )
