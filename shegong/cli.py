"""The one console script, ``shegong``: subcommands map flags to library calls.

Every help text and message comes from the catalogue, Chinese first, then English. Bad input
ends in a bilingual message and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from shegong.errors import ShegongError
from shegong.grading.cli import add_grade_parser
from shegong.messages import bilingual, label
from shegong.options import add_flags, flag_values
from shegong.paths import Workspace
from shegong.records.cli import add_records_parser
from shegong.settings import Settings
from shegong.settings import load as load_settings

DEMO_URL = "/lab/tree/build/courses/zh/index.ipynb"
Handler = Callable[[argparse.Namespace, Settings], int]


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(flag_values(args, Settings))


def _data_build(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.datasets.world.pipeline import build, progress_total
    from shegong.progress import rich_progress

    workspace = Workspace(settings.home).ensure()
    folder = args.out or workspace.data_dir(settings.scale, settings.seed, args.messy)
    with rich_progress(label("data.progress_title"), progress_total(args.messy)) as reporter:
        result = build(settings.scale, settings.seed, folder, messy=args.messy, reporter=reporter)
    print(
        bilingual("cli.built", tables=len(result.counts), rows=f"{result.rows:,}", path=result.path)
    )
    return 0


def _data_check(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.datasets import load, tables
    from shegong.datasets.card import card
    from shegong.datasets.schemas import conform, validate_world

    folder = Workspace(settings.home).data_dir(settings.scale, settings.seed)
    loaded = {
        name: load(name, settings.scale, settings.seed, home=settings.home, build_if_missing=False)
        for name in tables()
    }
    validate_world({n: conform(f, card().tables[n]) for n, f in loaded.items()})
    print(bilingual("cli.checked", tables=len(loaded), path=folder))
    return 0


def _build_courses(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.lessons import build_courses, lesson_count
    from shegong.progress import rich_progress

    out = Workspace(settings.home).ensure().build / "courses"
    with rich_progress(label("course.progress_title"), lesson_count()) as reporter:
        built = build_courses(out, reporter=reporter)
    print(bilingual("course.built", lessons=len(built) // 2, path=out))
    _write_matrix(out.parent / "coverage")
    return 0


def _write_matrix(folder: Path) -> None:
    from shegong.courses import coverage, write_matrix

    write_matrix(folder)
    cov = coverage()
    print(bilingual("course.matrix.written", path=folder))
    untaught, uncited = len(cov.untaught()), len(cov.uncited())
    page = folder / "coverage-zh.md"
    print(bilingual("course.matrix.gap_line", path=page, untaught=untaught, uncited=uncited))


def _courses_matrix(args: argparse.Namespace, settings: Settings) -> int:
    _write_matrix(args.out or Workspace(settings.home).ensure().build / "coverage")
    return 0


def _courses_nocode(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.nocode import count_all, table

    print(bilingual("nocode.title", sep=" / "))
    print()
    print(table(count_all()))
    return 0


def _build_apps(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.apps import prepare_apps

    prepared = prepare_apps(settings)
    print(bilingual("apps.cli.built", count=len(prepared.built), path=prepared.folder))
    print(bilingual("apps.cli.people", count=prepared.people, changed=prepared.changed))
    return 0


def _serve_apps(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.apps import prepare_apps, serve_apps
    from shegong.voila_config import ServeOptions

    prepare_apps(settings)
    options = ServeOptions(pool_size=args.pool_size, cull_idle_timeout=args.cull_idle)
    print(bilingual("apps.cli.serving", host=settings.host, port=settings.port))
    return serve_apps(settings, options)


def _demo(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.demo import prepare_demo

    prepare_demo(settings)
    if args.no_lab:
        return 0
    from shegong.lab import lab_token, run_lab

    token = lab_token()
    print(bilingual("cli.lab_starting", host=settings.host, port=settings.port, token=token))
    print(bilingual("cli.lab_apps", host=settings.host, port=settings.port, token=token))
    return run_lab(settings, default_url=DEMO_URL, token=token)


def _lab(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.lab import lab_token, run_lab

    token = lab_token()
    print(bilingual("cli.lab_starting", host=settings.host, port=settings.port, token=token))
    if (Workspace(settings.home).build / "apps").exists():
        print(bilingual("cli.lab_apps", host=settings.host, port=settings.port, token=token))
    return run_lab(settings, token=token)


def _hub(args: argparse.Namespace, settings: Settings) -> int:
    from shegong.hub.run import run_hub

    return run_hub(settings.home, settings.host, settings.port, start=not args.no_start)


def _common(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, Settings, "common")


def _data_options(parser: argparse.ArgumentParser) -> None:
    add_flags(parser, Settings, "data")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser; help texts are bilingual labels from the catalogue."""
    parser = argparse.ArgumentParser(
        prog="shegong",
        description=bilingual("cli.help"),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _common(parser)
    sub = parser.add_subparsers(dest="command", required=True)

    data = sub.add_parser("data", help=label("cli.data"))
    data_sub = data.add_subparsers(dest="data_command", required=True)
    p = data_sub.add_parser("build", help=label("cli.data.build"))
    _common(p)
    _data_options(p)
    p.add_argument("--messy", action="store_true", help=label("cli.data.messy"))
    p.add_argument("--out", type=_path, help=label("cli.data.out"))
    p.set_defaults(handler=_data_build)
    p = data_sub.add_parser("check", help=label("cli.data.check"))
    _common(p)
    _data_options(p)
    p.set_defaults(handler=_data_check)

    build = sub.add_parser("build", help=label("cli.build"))
    build_sub = build.add_subparsers(dest="build_command", required=True)
    p = build_sub.add_parser("courses", help=label("cli.build.courses"))
    _common(p)
    p.set_defaults(handler=_build_courses)
    p = build_sub.add_parser("apps", help=label("apps.cli.build"))
    _common(p)
    p.set_defaults(handler=_build_apps)

    courses = sub.add_parser("courses", help=label("cli.courses"))
    courses_sub = courses.add_subparsers(dest="courses_command", required=True)
    p = courses_sub.add_parser("matrix", help=label("cli.courses.matrix"))
    _common(p)
    p.add_argument("--out", type=_path, help=label("cli.courses.out"))
    p.set_defaults(handler=_courses_matrix)
    p = courses_sub.add_parser("nocode", help=label("cli.courses.nocode"))
    _common(p)
    p.set_defaults(handler=_courses_nocode)

    serve = sub.add_parser("serve", help=label("apps.cli.serve"))
    serve_sub = serve.add_subparsers(dest="serve_command", required=True)
    p = serve_sub.add_parser("apps", help=label("apps.cli.serve"))
    _common(p)
    add_flags(p, Settings, "serve")
    p.add_argument("--pool-size", type=int, default=1, help=label("apps.cli.pool_size"))
    p.add_argument("--cull-idle", type=int, default=1800, help=label("apps.cli.cull_idle"))
    p.set_defaults(handler=_serve_apps)

    p = sub.add_parser("demo", help=label("cli.demo"))
    _common(p)
    add_flags(p, Settings, "serve")
    p.add_argument("--no-lab", action="store_true", help=label("cli.demo.no_lab"))
    p.set_defaults(handler=_demo)
    p = sub.add_parser("lab", help=label("cli.lab"))
    _common(p)
    add_flags(p, Settings, "serve")
    p.set_defaults(handler=_lab)
    p = sub.add_parser("hub", help=label("hub.cli.help"))
    _common(p)
    add_flags(p, Settings, "serve")
    p.add_argument("--no-start", action="store_true", help=label("hub.cli.no_start"))
    p.set_defaults(handler=_hub)
    add_grade_parser(sub)
    add_records_parser(sub, _common)
    return parser


def _path(value: str) -> Any:
    from pathlib import Path

    return Path(value).resolve()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point: parse, load settings, run; domain errors become bilingual messages."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        settings = _settings(args)
        handler: Handler = args.handler
        return handler(args, settings)
    except ShegongError as error:
        print(f"{bilingual('error.prefix', sep=' / ')}: {error}", file=sys.stderr)
        return 2
