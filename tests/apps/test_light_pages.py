"""Are the apps light enough for a station's weak link before the person's first choice?

Every ipywidgets widget is a model the browser fetches over the websocket when the page
opens; on 1 Mbit/s with 300 ms latency a form of ~800 models kept an evaluator waiting half a
minute. These tests count the models each app holds once it knows who is using it, before a
station, trainee or assignment is chosen (``benchmarks/weaklink.py`` measures the bytes and
seconds in Chromium). Structural: no timing.
"""

from __future__ import annotations

import collections
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
from ipywidgets.widgets.widget import _instances

from shegong.settings import Settings
from shegong.widgets.forms import fields
from shegong.widgets.forms.shell import open_context

BUDGET = 150  # widget models before the first choice (issue 12)
APPS = [
    "station_evaluation",
    "supervision_log",
    "competency_form",
    "grading_app",
    "programme_overview",
    "my_assignments",
]


@pytest.mark.parametrize("app_module", APPS)
def test_an_app_sends_few_widget_models_before_the_first_choice(
    app_module: str, apps_workspace: Settings
) -> None:
    """Does each app open (demo identity, nothing chosen) with at most BUDGET models?"""
    context = open_context(apps_workspace.home)
    fields._SHARED.clear()  # the app's shared layouts and styles count as its own
    before = set(_instances)
    module = importlib.import_module(f"shegong.widgets.apps.{app_module}")
    app = module.open_app("zh", context)
    app.start(query={}, environ={})
    made = [widget for key, widget in _instances.items() if key not in before]
    kinds = collections.Counter(type(widget).__name__ for widget in made)
    assert app.identity is not None  # the page opened for someone
    assert len(made) <= BUDGET, f"{len(made)} models: {kinds.most_common(8)}"
    if hasattr(app, "form_built"):  # a record form: nothing of it before the choice
        assert not app.form_built


def test_a_record_form_is_built_once_its_subject_is_chosen(apps_workspace: Settings) -> None:
    """Does choosing a station build the station evaluation's form, and only then?"""
    from shegong.widgets.apps.station_evaluation import open_app

    app = open_app("zh", open_context(apps_workspace.home)).start(query={}, environ={})
    assert not app.form_built
    before = len(_instances)
    station = next(value for _label, value in app.station.options if value)
    app.station.value = station
    assert app.form_built and app.details.layout.display is None
    assert len(_instances) > before + len(app.rows)  # the indicators came with the choice


@pytest.mark.parametrize("app_module", APPS)
def test_an_app_does_not_load_matplotlib_to_open(app_module: str) -> None:
    """Is matplotlib (about 40 MiB in each kernel) imported only when a chart is drawn?"""
    code = (
        "import sys\n"
        f"import shegong.widgets.apps.{app_module}\n"
        "print('matplotlib' in sys.modules)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
        check=True,
    )
    assert run.stdout.strip() == "False"
