"""The hub path: nbgrader's own exchange (release, fetch, submit, collect), locally rooted.

On a JupyterHub every trainee's server runs ``nbgrader fetch_assignment`` and
``nbgrader submit`` against a shared exchange folder; here the exchange root is
``<workspace>/exchange`` (``Exchange.root`` in ``nbgrader_config.py``), so the same flow runs
on one machine and in tests. These functions only configure nbgrader's exchange classes
(from its ``ExchangeFactory``) and run them; they add nothing to their logic.
"""

from __future__ import annotations

from pathlib import Path

from nbgrader.auth import Authenticator
from nbgrader.coursedir import CourseDirectory
from nbgrader.exchange import ExchangeError, ExchangeFactory

from shegong.grading.config import GradingError
from shegong.grading.context import GradingContext
from shegong.grading.nbconfig import nbgrader_config, student_folder


def cache_folder(ctx: GradingContext) -> Path:
    """nbgrader's submission cache: ``<cache>/<course>/<trainee>+<assignment>+<time>``, the
    trainee's own record of each hand-in (a shared ``inbound/`` cannot be listed by them)."""
    return ctx.paths.workspace.root / "exchange_cache"


def _run(
    kind: str,
    ctx: GradingContext,
    assignment: str,
    student: str = "",
    force: bool = False,
    **settings: str,
) -> None:
    ctx.paths.ensure()
    config = nbgrader_config(ctx)
    config.Exchange.cache = str(cache_folder(ctx))
    for key, value in settings.items():
        setattr(config.Exchange, key, value)
    coursedir = CourseDirectory(config=config)
    coursedir.assignment_id = assignment
    if student:
        coursedir.student_id = student
    authenticator = Authenticator(config=config)
    factory = ExchangeFactory(config=config)
    app = getattr(factory, kind)(coursedir=coursedir, authenticator=authenticator, config=config)
    if force:
        app.force = True
    try:
        app.start()
    except ExchangeError as exc:
        raise GradingError(
            "grading.error.exchange", step=kind, assignment=assignment, detail=str(exc)[:200]
        ) from None


def release(ctx: GradingContext, assignment: str) -> None:
    """``nbgrader release_assignment --force``: publish (or replace) ``release/<assignment>``."""
    _run("ReleaseAssignment", ctx, assignment, force=True)


def fetch(ctx: GradingContext, assignment: str, trainee: str, home: Path) -> Path:
    """``nbgrader fetch_assignment`` as ``trainee``, into ``home/[<course>/]<assignment>/``."""
    _run("FetchAssignment", ctx, assignment, trainee, assignment_dir=str(home))
    return student_folder(ctx, home, assignment)


def submit(ctx: GradingContext, assignment: str, trainee: str, home: Path) -> None:
    """``nbgrader submit`` of ``home/<assignment>/`` as ``trainee``."""
    _run("Submit", ctx, assignment, trainee, assignment_dir=str(home))


def collect(ctx: GradingContext, assignment: str) -> None:
    """``nbgrader collect``: copy the newest submission of each trainee to ``submitted/``."""
    _run("Collect", ctx, assignment)
