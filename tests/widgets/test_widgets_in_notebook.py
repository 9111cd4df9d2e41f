"""Do the widgets build and display inside a real notebook kernel without blocking?"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

CELLS = [
    """\
import pandas as pd
from shegong.widgets import (
    EcomapViewer, InstrumentForm, Quiz, StationExplorer, check, check_frame, draw_ecomap,
)
""",
    """\
form = InstrumentForm("phq9", lang=LANG, answers=[1, 1, 0, 0, 0, 0, 0, 0, 1])
result = form.score()
assert result is not None and result.flags == ("self_harm",)
form
""",
    """\
quiz = Quiz.from_yaml('''
- id: q1
  kind: numeric
  prompt: {zh: "二加二等于几？", en: "What is two plus two?"}
  answer: 4
''', lang=LANG)
quiz.answer("q1", 4)
assert quiz.check("q1")
quiz
""",
    """\
ties = pd.DataFrame({
    "case_id": ["K1", "K1", "K2"],
    "who": ["grandparent", "village_committee", "son"],
    "tie_type": ["family", "community", "family"],
    "strength": ["strong", "stressful", "weak"],
    "direction": ["mutual", "to_client", "from_client"],
})
fig = draw_ecomap(ties[ties["case_id"] == "K1"], lang=LANG)
display(fig)
viewer = EcomapViewer(lang=LANG)  # loads case_ties from the workspace
viewer.select(viewer.dropdown.options[1])
viewer
""",
    """\
explorer = StationExplorer(lang=LANG)
station = explorer.station.options[0][1]
explorer.select(station, "need_assessment")
assert not explorer.summary.empty
display(explorer.figure)
explorer
""",
    """\
check("total", 10, 10, lang=LANG)
check("total", "10", 10, lang=LANG)
check_frame("table", pd.DataFrame({"a": [1]}), ["a"], 1, lang=LANG)
""",
]


def _notebook(lang: str) -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(f"LANG = {lang!r}")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in CELLS]
    return nb


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_widget_runs_headless_in_a_notebook(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does a notebook that builds and displays every widget run to the end with no errors?"""
    monkeypatch.setenv("SHEGONG_HOME", str(tmp_path / "workspace"))
    nb = _notebook(lang)
    client = NotebookClient(
        nb, timeout=120, kernel_name="python3", resources={"metadata": {"path": str(tmp_path)}}
    )
    client.execute()
    outputs = [out for cell in nb.cells for out in cell.get("outputs", [])]
    errors = [out for out in outputs if out["output_type"] == "error"]
    assert errors == [], [f"{e['ename']}: {e['evalue']}" for e in errors]
    stderr = "".join(o.get("text", "") for o in outputs if o.get("name") == "stderr")
    assert "missing from font" not in stderr and "Traceback" not in stderr
    widget_views = [
        o for o in outputs if "application/vnd.jupyter.widget-view+json" in o.get("data", {})
    ]
    assert len(widget_views) == 4  # form, quiz, viewer, explorer
    pngs = [o for o in outputs if "image/png" in o.get("data", {})]
    assert len(pngs) == 2, "the ecomap and explorer figures display as images"
    shown = " ".join(o.get("data", {}).get("text/plain", "") for o in outputs)
    assert ("✓ total：正确！" if lang == "zh" else "✓ total: correct!") in shown
