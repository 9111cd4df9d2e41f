"""Opening nbgrader's gradebook the way every shegong step does.

nbgrader creates a new gradebook by running the ``alembic`` command to stamp the schema
version. When Python runs from a virtualenv that is not on ``PATH`` (``.venv/bin/python -m
...``), that command is not found, nbgrader logs a traceback, and the half-made database
lacks its version stamp. ``open_gradebook`` puts the running interpreter's ``bin`` folder on
``PATH`` for the first open, so the gradebook is always created whole.
"""

from __future__ import annotations

import os
import shutil
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.exc import SAWarning

if TYPE_CHECKING:
    from nbgrader.api import Gradebook


@contextmanager
def tools_on_path() -> Iterator[None]:
    """``PATH`` with this interpreter's scripts folder first, while the block runs."""
    if shutil.which("alembic") is not None:
        yield
        return
    old = os.environ.get("PATH", "")
    os.environ["PATH"] = str(Path(sys.executable).parent) + os.pathsep + old
    try:
        yield
    finally:
        os.environ["PATH"] = old


@contextmanager
def quiet_nbgrader() -> Iterator[None]:
    """Silence SQLAlchemy's "not in session" warning nbgrader 0.9.6 raises on every new
    submission (its relationship cascades predate SQLAlchemy 2); nothing is lost by it."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*not in session.*", category=SAWarning)
        yield


@contextmanager
def open_gradebook(db_url: str, course_id: str) -> Iterator[Gradebook]:
    """nbgrader's ``Gradebook`` for this course, created complete if it does not exist yet."""
    from nbgrader.api import Gradebook  # heavy (nbgrader's ORM): only when a gradebook opens

    with quiet_nbgrader(), tools_on_path(), Gradebook(db_url, course_id) as gb:
        yield gb
