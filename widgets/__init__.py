"""shegong.widgets: reusable ipywidgets for lessons and Voila apps.

Every widget takes ``lang="zh"`` (default) or ``"en"``, takes its strings from the message
catalogue (``shegong/catalogue/widgets.yml``) and keeps its logic in plain methods, so a
notebook can fill it in code and tests can run it without a browser. Nothing waits for a
click: notebooks that build these widgets execute headless.

- ``InstrumentForm``: fill in a standardised instrument (量表) and score it, with safety flags.
- ``Quiz``: self-check questions (single, multiple, numeric) with per-answer explanations.
- ``draw_ecomap`` / ``EcomapViewer``: a case's ecomap (生态图) from the ``case_ties`` table.
- ``StationExplorer``: a township station's service ledger by month and contact type.
- ``check`` / ``check_frame``: friendly right / not-yet messages for practice exercises.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from shegong.widgets.lessons.ecomap import EcomapError, EcomapViewer, draw_ecomap
    from shegong.widgets.lessons.explorer import ExplorerError, StationExplorer
    from shegong.widgets.lessons.instrument_form import InstrumentForm
    from shegong.widgets.lessons.quiz import Quiz, QuizError
    from shegong.widgets.lessons.selfcheck import Feedback, check, check_frame

# Imported when first asked for: a Voila app imports ``shegong.widgets.apps`` (and so this
# package), and should not load matplotlib and pandas for lesson widgets it never shows.
_WHERE = {
    "EcomapError": "ecomap",
    "EcomapViewer": "ecomap",
    "draw_ecomap": "ecomap",
    "ExplorerError": "explorer",
    "StationExplorer": "explorer",
    "InstrumentForm": "instrument_form",
    "Quiz": "quiz",
    "QuizError": "quiz",
    "Feedback": "selfcheck",
    "check": "selfcheck",
    "check_frame": "selfcheck",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        return getattr(import_module(f"shegong.widgets.lessons.{_WHERE[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "EcomapError",
    "EcomapViewer",
    "ExplorerError",
    "Feedback",
    "InstrumentForm",
    "Quiz",
    "QuizError",
    "StationExplorer",
    "check",
    "check_frame",
    "draw_ecomap",
]
