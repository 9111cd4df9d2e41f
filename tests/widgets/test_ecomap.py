"""Does the ecomap draw every tie the right way, in Chinese, and refuse bad codes clearly?"""

from __future__ import annotations

import io
import math
import warnings
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch
from matplotlib.text import Text

from shegong.datasets.world.ties import WHO
from shegong.messages import text
from shegong.widgets import EcomapError, EcomapViewer, draw_ecomap
from shegong.widgets.lessons.ecomap import CENTRE, NODE, RING, STRESS_RED, tie_ends, who_label

TIES = pd.DataFrame(
    {
        "case_id": "K000001",
        "tie_no": [1, 2, 3, 4, 5],
        "who": ["grandparent", "parent", "village_committee", "station_worker", "school"],
        "tie_type": ["family", "family", "community", "service", "service"],
        "strength": ["strong", "stressful", "weak", "moderate", "weak"],
        "direction": ["mutual", "to_client", "to_client", "to_client", "from_client"],
    }
)


def _render(fig: Figure) -> list[str]:
    """Draw the figure to PNG; return any missing-glyph warnings."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fig.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def _arrows(fig: Figure) -> dict[str, FancyArrowPatch]:
    ax = fig.axes[0]
    return {
        p.get_gid(): p
        for p in ax.patches
        if isinstance(p, FancyArrowPatch) and (p.get_gid() or "").startswith("tie-")
    }


def _texts(fig: Figure) -> str:
    """Every text drawn on the figure: node labels, legend entries and titles."""
    return " ".join(t.get_text() for t in fig.findobj(Text))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_ecomap_draws_without_missing_glyphs(lang: Any) -> None:
    """Does an ecomap with Chinese (or English) labels render every glyph?"""
    fig = draw_ecomap(TIES, lang=lang)
    assert _render(fig) == []


def test_chinese_labels_by_default_and_english_on_request() -> None:
    """Are node names, legend and title Chinese by default, English with lang="en"?"""
    zh, en = _texts(draw_ecomap(TIES)), _texts(draw_ecomap(TIES, lang="en"))
    for word in ("祖父母", "村（居）", "社工站社工", "服务对象", "强关系", "正式服务", "K000001"):
        assert word in zh, word
    for word in ("grandparent", "village", "Client", "strong", "formal services", "Ecomap"):
        assert word in en, word
    assert "祖父母" not in en
    assert "张奶奶" in _texts(draw_ecomap(TIES, client_label="张奶奶"))


def test_every_who_code_has_a_name_in_both_languages() -> None:
    """Has every ``who`` code of the ties generator a Chinese and an English name?"""
    for code in WHO:
        assert who_label(code, "zh") != who_label(code, "en")
    assert who_label("grandparent") == "祖父母"
    assert who_label("village_committee") == "村（居）委会"
    assert who_label("station_worker") == "社工站社工"


def test_one_arrow_per_tie_styled_by_strength_and_direction() -> None:
    """Is each tie one arrow: thick/solid/dashed/red-zigzag by strength, heads by direction?"""
    arrows = _arrows(draw_ecomap(TIES))
    assert sorted(arrows) == [f"tie-{n}" for n in range(1, 6)]
    strong, stressful, weak = arrows["tie-1"], arrows["tie-2"], arrows["tie-3"]
    moderate = arrows["tie-4"]
    assert strong.get_linewidth() > moderate.get_linewidth() > weak.get_linewidth()
    assert moderate.get_linestyle() == "solid" and weak.get_linestyle() == "dashed"
    assert stressful.get_edgecolor()[:3] == pytest.approx(
        tuple(int(STRESS_RED[i : i + 2], 16) / 255 for i in (1, 3, 5))
    )
    style = {gid: type(a.get_arrowstyle()).__name__ for gid, a in arrows.items()}
    assert style["tie-1"] == "CurveFilledAB"  # mutual: a head at both ends
    assert {style["tie-2"], style["tie-3"], style["tie-5"]} == {"CurveFilledB"}


def test_stressful_ties_zigzag() -> None:
    """Does a stressful tie follow a zigzag (many turning points) and others a straight line?"""
    fig = draw_ecomap(TIES)
    fig.canvas.draw()
    arrows = _arrows(fig)
    assert len(arrows["tie-2"].get_path().vertices) > len(arrows["tie-4"].get_path().vertices) + 8


@pytest.mark.parametrize("angle", [0.0, 1.0, math.pi / 2, 4.0])
def test_arrow_ends_point_the_way_support_flows(angle: float) -> None:
    """Does support to the client end at the centre, and support from the client end outside?"""
    to_start, to_end = tie_ends("to_client", angle)
    from_start, from_end = tie_ends("from_client", angle)
    assert np.hypot(*to_end) == pytest.approx(CENTRE)
    assert np.hypot(*to_start) == pytest.approx(RING - NODE)
    assert np.hypot(*from_end) == pytest.approx(RING - NODE)
    assert np.allclose(from_start, to_end) and np.allclose(from_end, to_start)


def test_bad_strength_raises_naming_the_column_and_value() -> None:
    """Is an unknown strength code refused with a bilingual error naming column, row and value?"""
    bad = TIES.assign(strength=["strong", "very_strong", "weak", "moderate", "weak"])
    with pytest.raises(EcomapError) as caught:
        draw_ecomap(bad)
    zh, en = str(caught.value).split("\n")
    assert "strength" in zh and "very_strong" in zh and "行索引 1" in zh
    assert "column strength (row index 1)" in en and "stressful" in en


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"who": ["grandparent", "uncle", "teacher", "school", "spouse"]}, "'uncle' in column who"),
        ({"direction": ["mutual", "to_client", "both", "mutual", "mutual"]}, "column direction"),
        ({"tie_type": ["family", "family", "friends", "service", "service"]}, "column tie_type"),
    ],
)
def test_bad_codes_raise(changes: dict[str, list[str]], words: str) -> None:
    """Are unknown who, direction and tie-type codes refused by name?"""
    with pytest.raises(EcomapError, match=words):
        draw_ecomap(TIES.assign(**changes))


def test_missing_column_and_many_cases_raise() -> None:
    """Are a missing column and a table of several cases refused with clear messages?"""
    with pytest.raises(EcomapError, match="lacks the column\\(s\\) direction"):
        draw_ecomap(TIES.drop(columns="direction"))
    two = pd.concat([TIES, TIES.assign(case_id="K000002")])
    with pytest.raises(EcomapError, match="holds 2 cases"):
        draw_ecomap(two)


def test_label_column_and_given_axes() -> None:
    """Does a ``label`` column replace a name, and does drawing into given axes reuse its figure?"""
    fig = Figure()
    ax = fig.add_subplot()
    out = draw_ecomap(TIES.assign(label=["王奶奶", None, None, None, None]), ax=ax)
    assert out is fig
    texts = _texts(fig)
    assert "王奶奶" in texts and "祖父母" not in texts and "父母" in texts


def test_empty_ties_draw_the_client_alone() -> None:
    """Does a case with no ties draw the client and say that no ties are recorded?"""
    fig = draw_ecomap(TIES.iloc[:0])
    assert _arrows(fig) == {}
    assert text("widgets.ecomap.no_ties", "zh") in _texts(fig)
    assert _render(fig) == []


def test_viewer_redraws_the_chosen_case() -> None:
    """Does the viewer show the first case, and redraw when another case is chosen?"""
    ties = pd.concat([TIES, TIES.iloc[:2].assign(case_id="K000002")], ignore_index=True)
    viewer = EcomapViewer(ties=ties)
    assert viewer.dropdown.description == "个案"
    assert list(viewer.dropdown.options) == ["K000001", "K000002"]
    assert viewer.case_id == "K000001" and viewer.figure is not None
    assert len(_arrows(viewer.figure)) == 5
    (first,) = viewer.output.outputs
    assert first["data"]["image/png"] and "K000001" in first["data"]["text/plain"]
    viewer.dropdown.value = "K000002"  # what choosing in the drop-down does
    assert len(_arrows(viewer.figure)) == 2
    assert "K000002" in viewer.output.outputs[0]["data"]["text/plain"]
    figure = viewer.select("K000001")
    assert len(_arrows(figure)) == 5
    with pytest.raises(EcomapError, match="K999999"):
        viewer.select("K999999")


def test_viewer_in_english_with_chosen_cases() -> None:
    """Does the viewer speak English on request and offer only the case ids given?"""
    viewer = EcomapViewer(case_ids=["K000001"], lang="en", ties=TIES)
    assert viewer.dropdown.description == "Case"
    assert list(viewer.dropdown.options) == ["K000001"]
    assert "Ecomap of case K000001" in viewer.output.outputs[0]["data"]["text/plain"]


def test_generated_cases_draw_one_arrow_per_tie(county_world: dict[str, pd.DataFrame]) -> None:
    """Does every tie of real generated cases become exactly one arrow, with every glyph drawn?"""
    ties = county_world["case_ties"]
    for case_id in ties["case_id"].drop_duplicates().head(5):
        rows = ties[ties["case_id"] == case_id]
        fig = draw_ecomap(rows)
        assert sorted(_arrows(fig)) == sorted(f"tie-{n}" for n in rows["tie_no"])
        assert _render(fig) == []


def test_viewer_loads_case_ties_when_not_given(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without ``ties``, does the viewer load the ``case_ties`` table of the workspace?"""
    import shegong.datasets

    asked: list[str] = []

    def fake_load(name: str, **_kwargs: Any) -> pd.DataFrame:
        asked.append(name)
        return TIES

    monkeypatch.setattr(shegong.datasets, "load", fake_load)
    viewer = EcomapViewer()
    assert asked == ["case_ties"] and viewer.case_id == "K000001"
