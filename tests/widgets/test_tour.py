"""Does 第0课's error display show Python's own message, the way JupyterLab shows an error?"""

from __future__ import annotations

import io

from shegong.widgets.lessons.tour import error_text, show_error


def test_a_missing_quote_reads_as_a_name_error_under_its_line() -> None:
    """Does a choice letter without quotes show the dashed head, the line and NameError last?"""
    shown = error_text("run_key = b").splitlines()
    assert shown[0].startswith("-----") and shown[1].startswith("NameError")
    assert "----> 1 run_key = b" in shown
    assert shown[-1] == "NameError: name 'b' is not defined"


def test_chinese_quotes_read_as_a_syntax_error_pointing_at_them() -> None:
    """Do curly Chinese quotes give SyntaxError with the caret under the bad character?"""
    line, caret, last = error_text("run_key = “b”").splitlines()[1:]
    assert caret.index("^") == line.index("“")
    assert last.startswith("SyntaxError: invalid character '“'")


def test_nothing_is_shown_for_a_line_that_runs() -> None:
    """Does a correct line show nothing, and show_error write the text to its stream?"""
    assert error_text('run_key = "b"') == ""
    stream = io.StringIO()
    show_error("run_key = b", stream)
    assert stream.getvalue() == error_text("run_key = b")
