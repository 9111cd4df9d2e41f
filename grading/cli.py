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
from shegong.grading.context import GradingContext
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


def context_from(
    args: argparse.Namespace, settings: Settings, *, ensure: bool = True
) -> GradingContext:
    """The one grading context of this command (the only place handlers get options)."""
    return GradingContext.open(settings, _options(args), ensure=ensure)


def _print(renderable: object) -> None:
    from rich.console import Console

    Console().print(renderable)


def _roster(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.roster import enroll

    count = enroll(context_from(args, settings), args.worker or None)
    print(bilingual("grading.cli.enrolled", count=count))
    return 0


def _release(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import masters
    from shegong.grading.release import release_all, step_count
    from shegong.progress import rich_progress

    ctx = context_from(args, settings)
    chosen = masters.chosen([] if getattr(args, "all", False) else list(args.assignment))
    due = dt.datetime.fromisoformat(args.due) if args.due else None
    steps = step_count(len(chosen), exchange=not args.no_exchange)
    with rich_progress(label("grading.cli.releasing"), steps) as reporter:
        release_all(ctx, chosen, due=due, exchange=not args.no_exchange, reporter=reporter)
    for assignment in chosen:
        folder = ctx.paths.step("release") / assignment.id
        print(bilingual("grading.cli.released", assignment=assignment.id, path=folder))
    return 0


def _pack(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.pack import pack_in_workspace

    notebooks = [Path(p).resolve() for p in args.notebook]
    out = Path(args.out).resolve() if args.out else notebooks[0].parent
    ctx = context_from(args, settings, ensure=False)  # a station's workspace stays as it is
    result = pack_in_workspace(ctx, notebooks, args.trainee, args.assignment, out)
    print(bilingual("grading.packed", path=result.path, receipt=result.receipt))
    return 0


def _intake(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.inbox import gather
    from shegong.grading.intake import intake
    from shegong.grading.report import intake_table

    decisions = intake(gather([Path(z) for z in args.zip]), context_from(args, settings))
    _print(intake_table(decisions, settings.lang))
    return 0


def _fetch(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import exchange

    ctx = context_from(args, settings)
    folder = exchange.fetch(ctx, args.assignment, args.trainee, Path(args.to).resolve())
    print(bilingual("grading.cli.fetched", path=folder))
    return 0


def _submit(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import exchange

    ctx = context_from(args, settings)
    exchange.submit(ctx, args.assignment, args.trainee, Path(args.source).resolve())
    print(bilingual("grading.cli.submitted", assignment=args.assignment))
    return 0


def _collect(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import exchange

    exchange.collect(context_from(args, settings), args.assignment)
    print(bilingual("grading.cli.collected", assignment=args.assignment))
    return 0


def _autograde(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import status
    from shegong.grading.autograde import autograde, pending_count
    from shegong.grading.report import status_table
    from shegong.progress import rich_progress

    ctx = context_from(args, settings)
    total = pending_count(ctx, args.assignment, args.force)
    with rich_progress(label("grading.progress_title"), max(total, 1)) as reporter:
        report = autograde(
            ctx, args.assignment, students=args.student or None, force=args.force, reporter=reporter
        )
    print(bilingual(f"grading.cli.isolation.{report.isolation}"))
    _print(status_table(status.rows(ctx.paths, args.assignment), settings.lang))
    graded, path = len(report.results), ctx.paths.status_csv
    print(bilingual("grading.cli.autograded", graded=graded, skipped=report.skipped, path=path))
    return 0


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import status
    from shegong.grading.report import status_table

    paths = context_from(args, settings).paths
    _print(status_table(status.rows(paths, args.assignment), settings.lang))
    print(bilingual("grading.cli.status_csv", path=status.write_csv(paths)))
    return 0


def _rubric(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import manual

    score = manual.apply_levels(
        context_from(args, settings),
        args.assignment,
        args.student,
        args.cell,
        list(args.level),
        bank_ids=tuple(args.comment_id or ()),
        comment=args.comment or "",
        grader=args.grader,
    )
    saved = {"student": args.student, "cell": args.cell, "score": f"{score:g}"}
    print(bilingual("grading.cli.rubric_saved", **saved))
    return 0


def _feedback(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading import feedback

    done = feedback.write_all(context_from(args, settings), args.assignment, args.student)
    print(
        bilingual(
            "grading.feedback.written",
            count=done.pages,
            bundles=len(done.bundles),
            path=done.folder,
        )
    )
    return 0


def _export(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.export import export

    result = export(context_from(args, settings))
    print(bilingual("grading.export.written", path=result.workbook.parent))
    return 0


def _switch(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.grading.language import switch_language

    paths = context_from(args, settings).paths
    target = paths.handout(args.to_lang, args.assignment, Path(args.notebook).name)
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
