"""tour 第0课的小工具: show what an error looks like in JupyterLab without stopping the lesson.

``show_error('answer = b')`` runs that one line in an empty namespace, and writes the error
it raises the way IPython prints it under a cell (the dashed line, the error's name, the line
marked ``---->``, the message last), to standard error, so JupyterLab shows it in the same
red box. The notebook goes on: a lesson run top to bottom has no failing cell, yet the
trainee has seen a real error message (Python's own words) and can read it line by line.
"""

from __future__ import annotations

import sys
import traceback
from typing import TextIO

RULE = "-" * 75
HEAD_WIDTH = 42  # IPython pads the error name to this column before "Traceback ..."


def error_text(code: str) -> str:
    """The error ``code`` raises, as IPython shows it under a cell; empty if it raises none."""
    try:
        exec(compile(code, "<cell>", "exec"), {})  # one line the lesson wrote, no input
    except SyntaxError as exc:
        caret = " " * (4 + max((exc.offset or 1) - 1, 0)) + "^"
        lines = [f"  Cell In[1], line {exc.lineno or 1}", f"    {code}", caret]
        return "\n".join([*lines, f"{type(exc).__name__}: {exc.msg}"]) + "\n"
    except Exception as exc:  # the point is to show any error Python gives
        message = "".join(traceback.format_exception_only(exc)).strip()
        head = f"{type(exc).__name__:<{HEAD_WIDTH}}Traceback (most recent call last)"
        return "\n".join([RULE, head, "Cell In[1], line 1", f"----> 1 {code}", "", message]) + "\n"
    return ""


def show_error(code: str, stream: TextIO | None = None) -> None:
    """Write the error of ``code`` to standard error (JupyterLab's red box)."""
    (stream or sys.stderr).write(error_text(code))
