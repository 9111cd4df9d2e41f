"""``shegong grade ...``: subcommands that map flags to ``shegong.grading`` functions.

``add_grade_parser`` is the only thing ``shegong.cli`` calls. Every help text comes from the
catalogue; handlers import the heavy modules (nbgrader, pandas) only when they run, so
``shegong --help`` stays fast.

Supervisor: ``roster``, ``release``, ``collect``, ``intake``, ``autograde``, ``status``,
``rubric``, ``feedback``, ``export``. Trainee: ``fetch``, ``submit`` (hub), ``pack``
(offline), ``switch-language``.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from shegong.grading.config import GradingOptions, load_options
from shegong.messages import bilingual, label
from shegong.options import add_flags, flag_values
from shegong.settings import Settings


def _common(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, Settings, "common", "data")
    add_flags(parser, GradingOptions, "course")


def _grading(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, GradingOptions, "autograde")


def _options(args: argparse.Namespace) -> GradingOptions:
    return load_options(flag_values(args, GradingOptions))


def _paths(settings: Settings) -> Any:
    from shegong.grading.config import CoursePaths

    return CoursePaths.of(settings).ensure()


def _assignments(args: argparse.Namespace) -> list[Any]:
    from shegong.grading import masters

    if getattr(args, "all", False) or not args.assignment:
        return masters.discover()
    return [masters.find(a) for a in args.assignment]


def _print(renderable: object) -> None:
    from rich.console import Console

    Console().print(renderable)


def _roster(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.roster import enroll

    count = enroll(settings, _options(args), args.worker or None)
    print(bilingual("grading.cli.enrolled", count=count))
    return 0


def _release(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.release import release_assignment, set_due
    from shegong.progress import rich_progress

    options, paths = _options(args), _paths(settings)
    chosen = _assignments(args)
    steps = 6 if not args.no_exchange else 5
    with rich_progress(label("grading.cli.releasing"), steps * len(chosen)) as reporter:
        for assignment in chosen:
            release_assignment(
                assignment, paths, options, exchange=not args.no_exchange, reporter=reporter
            )
            if args.due:
                set_due(paths, options, assignment.id, dt.datetime.fromisoformat(args.due))
    for assignment in chosen:
        print(
            bilingual(
                "grading.cli.released",
                assignment=assignment.id,
                path=paths.step("release") / assignment.id,
            )
        )
    return 0


def _pack(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.pack import known_in_workspace, pack

    notebooks = [Path(p).resolve() for p in args.notebook]
    out = Path(args.out).resolve() if args.out else notebooks[0].parent
    options = _options(args)
    trainees, assignments = known_in_workspace(settings, options)
    result = pack(
        notebooks,
        args.trainee,
        args.assignment,
        out,
        course=options.course_id,
        scale=settings.scale,
        seed=settings.seed,
        trainees=trainees,
        assignments=assignments,
    )
    print(bilingual("grading.packed", path=result.path, receipt=result.receipt))
    return 0


def _zips(items: list[str]) -> list[Path]:
    found: list[Path] = []
    for item in items:
        path = Path(item).resolve()
        if path.is_dir():  # ``.ZIP`` too: Windows tools write either
            found += sorted(p for p in path.iterdir() if p.suffix.lower() == ".zip")
        else:
            found.append(path)
    return found


def _intake(args: argparse.Namespace, settings: Settings) -> int:
    from rich.table import Table
    from rich.text import Text

    from shegong.grading.intake import intake
    from shegong.messages import text

    decisions = intake(_zips(args.zip), _paths(settings), _options(args))
    lang = settings.lang
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
    _print(table)
    return 0


def _fetch(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import exchange

    folder = exchange.fetch(
        _paths(settings), _options(args), args.assignment, args.trainee, Path(args.to).resolve()
    )
    print(bilingual("grading.cli.fetched", path=folder))
    return 0


def _submit(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import exchange

    exchange.submit(
        _paths(settings), _options(args), args.assignment, args.trainee, Path(args.source).resolve()
    )
    print(bilingual("grading.cli.submitted", assignment=args.assignment))
    return 0


def _collect(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import exchange

    exchange.collect(_paths(settings), _options(args), args.assignment)
    print(bilingual("grading.cli.collected", assignment=args.assignment))
    return 0


def _autograde(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import status
    from shegong.grading.autograde import autograde, pending_count
    from shegong.progress import rich_progress

    options = _options(args)
    total = pending_count(settings, options, args.assignment, args.force)
    with rich_progress(label("grading.progress_title"), max(total, 1)) as reporter:
        report = autograde(
            settings,
            options,
            args.assignment,
            students=args.student or None,
            force=args.force,
            reporter=reporter,
        )
    print(bilingual(f"grading.cli.isolation.{report.isolation}"))
    _print(
        status.render([r for r in status.rows(_paths(settings), args.assignment)], settings.lang)
    )
    print(
        bilingual(
            "grading.cli.autograded",
            graded=len(report.results),
            skipped=report.skipped,
            path=_paths(settings).status_csv,
        )
    )
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import status

    paths = _paths(settings)
    _print(status.render(status.rows(paths, args.assignment), settings.lang))
    print(bilingual("grading.cli.status_csv", path=status.write_csv(paths)))
    return 0


def _rubric(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import manual, masters
    from shegong.grading.config import GradingError

    rubric = masters.load_assignment_rubric(masters.find(args.assignment))
    choices: dict[str, float] = {}
    for item in args.level:
        criterion, _, points = item.partition("=")
        try:
            choices[criterion] = float(points)
        except ValueError:
            raise GradingError("grading.error.cli_level", value=item) from None
    grade = manual.RubricGrade(
        args.assignment,
        args.student,
        args.cell,
        choices,
        tuple(args.comment_id or ()),
        args.comment or "",
        args.grader,
    )
    score = manual.apply(_paths(settings), _options(args), rubric, grade)
    print(
        bilingual(
            "grading.cli.rubric_saved", student=args.student, cell=args.cell, score=f"{score:g}"
        )
    )
    return 0


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import feedback
    from shegong.grading.roster import trainees

    paths, options = _paths(settings), _options(args)
    roster = trainees(settings)
    stations = dict(zip(roster["worker_id"], roster["station_name"], strict=True))
    folder = paths.step("submitted")
    students = args.student or sorted(p.parent.name for p in folder.glob(f"*/{args.assignment}"))
    count = sum(
        bool(feedback.write(paths, options, args.assignment, s, stations.get(s, "")))
        for s in students
    )
    bundles = feedback.station_bundles(paths, args.assignment, roster)
    print(
        bilingual(
            "grading.feedback.written",
            count=count,
            bundles=len(bundles),
            path=paths.workspace.exports / "feedback" / args.assignment,
        )
    )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.export import export

    result = export(settings, _options(args))
    print(bilingual("grading.export.written", path=result.workbook.parent))
    return 0


def _switch(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.language import switch_language

    paths = _paths(settings)
    target = paths.handouts / args.to_lang / args.assignment / Path(args.notebook).name
    switch_language(Path(args.notebook).resolve(), target)
    print(bilingual("grading.cli.switched", path=args.notebook, lang=args.to_lang))
    return 0


def _sub(sub: Any, name: str, handler: Any, *, grading: bool = False) -> argparse.ArgumentParser:
    parser: argparse.ArgumentParser = sub.add_parser(
        name, help=label(f"grading.cli.{name.replace('-', '_')}")
    )
    _common(parser)
    if grading:
        _grading(parser)
    parser.set_defaults(handler=handler)
    return parser


def add_grade_parser(sub: Any) -> None:
    """Add ``shegong grade`` and its subcommands to the main parser's subparsers."""
    grade = sub.add_parser("grade", help=label("grading.cli.grade"))
    commands = grade.add_subparsers(dest="grade_command", required=True)

    p = _sub(commands, "roster", _roster)
    p.add_argument("--worker", action="append", help=label("grading.cli.arg.worker"))

    p = _sub(commands, "release", _release)
    p.add_argument("assignment", nargs="*", help=label("grading.cli.arg.assignment"))
    p.add_argument("--due", help=label("grading.cli.arg.due"))
    p.add_argument("--no-exchange", action="store_true", help=label("grading.cli.arg.no_exchange"))

    p = _sub(commands, "pack", _pack)
    p.add_argument("notebook", nargs="+", help=label("grading.cli.arg.notebook"))
    p.add_argument("--trainee", required=True, help=label("grading.cli.arg.trainee"))
    p.add_argument("--assignment", required=True, help=label("grading.cli.arg.assignment"))
    p.add_argument("--out", help=label("grading.cli.arg.out"))

    p = _sub(commands, "intake", _intake)
    p.add_argument("zip", nargs="+", help=label("grading.cli.arg.zip"))

    p = _sub(commands, "fetch", _fetch)
    p.add_argument("assignment", help=label("grading.cli.arg.assignment"))
    p.add_argument("--trainee", required=True, help=label("grading.cli.arg.trainee"))
    p.add_argument("--to", default=".", help=label("grading.cli.arg.to"))

    p = _sub(commands, "submit", _submit)
    p.add_argument("assignment", help=label("grading.cli.arg.assignment"))
    p.add_argument("--trainee", required=True, help=label("grading.cli.arg.trainee"))
    p.add_argument("--from", dest="source", default=".", help=label("grading.cli.arg.source"))

    p = _sub(commands, "collect", _collect)
    p.add_argument("assignment", help=label("grading.cli.arg.assignment"))

    p = _sub(commands, "autograde", _autograde, grading=True)
    p.add_argument("assignment", help=label("grading.cli.arg.assignment"))
    p.add_argument("--student", action="append", help=label("grading.cli.arg.student"))
    p.add_argument("--force", action="store_true", help=label("grading.cli.arg.force"))

    p = _sub(commands, "status", _status)
    p.add_argument("assignment", nargs="?", help=label("grading.cli.arg.assignment"))

    p = _sub(commands, "rubric", _rubric)
    p.add_argument("assignment", help=label("grading.cli.arg.assignment"))
    p.add_argument("--student", required=True, help=label("grading.cli.arg.student"))
    p.add_argument("--cell", required=True, help=label("grading.cli.arg.cell"))
    p.add_argument("--level", action="append", required=True, help=label("grading.cli.arg.level"))
    p.add_argument("--comment-id", action="append", help=label("grading.cli.arg.comment_id"))
    p.add_argument("--comment", help=label("grading.cli.arg.comment"))
    p.add_argument("--grader", required=True, help=label("grading.cli.arg.grader"))

    p = _sub(commands, "feedback", _feedback)
    p.add_argument("assignment", help=label("grading.cli.arg.assignment"))
    p.add_argument("--student", action="append", help=label("grading.cli.arg.student"))

    _sub(commands, "export", _export)

    p = _sub(commands, "switch-language", _switch)
    p.add_argument("notebook", help=label("grading.cli.arg.notebook"))
    p.add_argument("--assignment", required=True, help=label("grading.cli.arg.assignment"))
    p.add_argument(
        "--to",
        dest="to_lang",
        choices=("zh", "en"),
        required=True,
        help=label("grading.cli.arg.to_lang"),
    )
