"""Does the station explorer summarise exactly the ledger rows chosen, with Chinese labels?"""

from __future__ import annotations

import io
import warnings

import pandas as pd
import pytest

from shegong.datasets.world.services import SERVICE_ZH, SERVICES
from shegong.widgets import ExplorerError, StationExplorer
from shegong.widgets.lessons.explorer import service_label


@pytest.fixture(scope="module")
def ledger(county_world: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return county_world["ledger"]


@pytest.fixture(scope="module")
def stations(county_world: dict[str, pd.DataFrame]) -> pd.DataFrame:
    return county_world["stations"]


@pytest.fixture(scope="module")
def explorer(ledger: pd.DataFrame, stations: pd.DataFrame) -> StationExplorer:
    return StationExplorer(ledger=ledger, stations=stations)


def _expected(ledger: pd.DataFrame, rows: pd.Series) -> pd.DataFrame:
    """The summary computed directly with pandas, as a trainee would."""
    chosen = ledger[rows]
    month = pd.to_datetime(chosen["contact_on"]).dt.strftime("%Y-%m")
    return (
        chosen.groupby([month.rename("month"), "contact"])
        .agg(contacts=("entry_id", "count"), person_times=("person_times", "sum"))
        .reset_index()
    )


def _busiest(ledger: pd.DataFrame, service: str) -> str:
    counts = ledger.loc[ledger["service"] == service, "station_id"].value_counts()
    return str(counts.index[0])


def test_only_township_stations_are_offered(
    explorer: StationExplorer, stations: pd.DataFrame
) -> None:
    """Does the station list hold every township station, by Chinese name, and nothing else?"""
    township = stations[stations["level"] == "township_station"]
    assert {sid for _, sid in explorer.station.options} == set(township["station_id"])
    names = dict(zip(township["station_id"], township["name_zh"], strict=True))
    assert all(label == names[sid] for label, sid in explorer.station.options)


def test_labels_are_chinese_by_default_and_english_on_request(
    explorer: StationExplorer, ledger: pd.DataFrame, stations: pd.DataFrame
) -> None:
    """Are the controls, table and chart labelled in Chinese by default, English on request?"""
    assert explorer.station.description == "社工站" and explorer.service.description == "服务类型"
    assert explorer.service.options[0] == ("全部", "all")
    assert [label for label, _ in explorer.service.options[1:]] == [SERVICE_ZH[s] for s in SERVICES]
    assert "家访" in explorer.table.value and "服务人次" in explorer.table.value
    assert explorer.figure.axes[0].get_ylabel() == "服务人次"
    english = StationExplorer(lang="en", ledger=ledger, stations=stations)
    assert english.station.description == "Station"
    assert english.service.options[0] == ("all", "all")
    assert "home visit" in english.table.value and "Person-times" in english.table.value
    assert english.figure.axes[0].get_xlabel() == "Month"


@pytest.mark.parametrize("service", ["elder_child_care", "social_assistance", "all"])
def test_summary_equals_a_direct_groupby(
    explorer: StationExplorer, ledger: pd.DataFrame, service: str
) -> None:
    """Do the explorer's month x contact totals equal a pandas groupby of the same rows?"""
    station = _busiest(ledger, "elder_child_care")
    summary = explorer.select(station, service)
    rows = ledger["station_id"] == station
    if service != "all":
        rows &= ledger["service"] == service
    expected = _expected(ledger, rows)
    pd.testing.assert_frame_equal(summary, expected, check_dtype=False)
    assert summary["person_times"].sum() == ledger.loc[rows, "person_times"].sum()
    assert summary["contacts"].sum() == rows.sum()
    assert explorer.summary is summary


def test_date_range_limits_the_rows(explorer: StationExplorer, ledger: pd.DataFrame) -> None:
    """Does a date range keep only entries on or between its two days?"""
    station = _busiest(ledger, "need_assessment")
    summary = explorer.select(station, "need_assessment", start="2022-01-01", end="2022-03-31")
    day = pd.to_datetime(ledger["contact_on"])
    rows = (
        (ledger["station_id"] == station)
        & (ledger["service"] == "need_assessment")
        & (day >= "2022-01-01")
        & (day <= "2022-03-31")
    )
    pd.testing.assert_frame_equal(summary, _expected(ledger, rows), check_dtype=False)
    assert list(summary["month"].unique()) == ["2022-01", "2022-02", "2022-03"]
    assert f"共 {int(rows.sum())} 条台账记录" in explorer.message.value


def test_changing_a_drop_down_refreshes(explorer: StationExplorer, ledger: pd.DataFrame) -> None:
    """Does choosing another service in the drop-down recompute the summary?"""
    station = _busiest(ledger, "resource_linking")
    explorer.select(station, "all")
    everything = explorer.summary["person_times"].sum()
    explorer.service.value = "elder_child_care"
    chosen = (ledger["station_id"] == station) & (ledger["service"] == "elder_child_care")
    assert explorer.summary["person_times"].sum() == ledger.loc[chosen, "person_times"].sum()
    assert explorer.summary["person_times"].sum() < everything


def test_pivot_fills_every_month_and_adds_totals(
    explorer: StationExplorer, ledger: pd.DataFrame
) -> None:
    """Does the month x contact table cover every month in range, with a total column?"""
    station = _busiest(ledger, "community_governance")
    explorer.select(station, "all")
    table = explorer.pivot("person_times")
    months = pd.period_range(table.index[0], table.index[-1], freq="M").astype(str)
    assert list(table.index) == list(months)
    assert (table["合计"] == table.drop(columns="合计").sum(axis=1)).all()
    assert table["合计"].sum() == explorer.summary["person_times"].sum()


def test_empty_and_inverted_choices_show_a_message(
    explorer: StationExplorer, ledger: pd.DataFrame
) -> None:
    """Does a range with no entries, or an inverted range, show a message and an empty summary?"""
    station = _busiest(ledger, "need_assessment")
    explorer.select(station, "all", start="1999-01-01", end="1999-12-31")
    assert explorer.summary.empty and "没有台账记录" in explorer.message.value
    explorer.select(station, "all", start="2022-05-01", end="2022-01-01")
    assert explorer.summary.empty and "晚于结束日期" in explorer.message.value
    assert _glyph_warnings(explorer) == []


def test_chart_draws_chinese_without_missing_glyphs(
    explorer: StationExplorer, ledger: pd.DataFrame
) -> None:
    """Does the chart render its Chinese title, legend and axis labels with every glyph?"""
    explorer.select(_busiest(ledger, "elder_child_care"), "elder_child_care")
    ax = explorer.figure.axes[0]
    assert service_label("elder_child_care") in ax.get_title()
    assert "家访" in [t.get_text() for t in ax.get_legend().get_texts()]
    assert _glyph_warnings(explorer) == []
    (output,) = explorer.chart.outputs
    assert output["data"]["image/png"]


def _glyph_warnings(explorer: StationExplorer) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        explorer.figure.savefig(io.BytesIO(), format="png")
    return [str(w.message) for w in caught if "missing from font" in str(w.message)]


def test_unknown_station_or_service_raises(explorer: StationExplorer, ledger: pd.DataFrame) -> None:
    """Are an unknown station id and an unknown service refused with bilingual errors?"""
    with pytest.raises(ExplorerError, match="no township station with the id S99999"):
        explorer.select("S99999")
    with pytest.raises(ExplorerError, match="Unknown service 'cooking'"):
        explorer.select(_busiest(ledger, "need_assessment"), "cooking")


def test_no_township_stations_raises(ledger: pd.DataFrame, stations: pd.DataFrame) -> None:
    """Is a stations table without township stations refused clearly?"""
    villages = stations[stations["level"] == "village_room"]
    with pytest.raises(ExplorerError, match="no township stations"):
        StationExplorer(ledger=ledger, stations=villages)


@pytest.mark.slow
def test_loads_the_workspace_data_when_not_given(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Without data, does the explorer load (building once) the workspace's ledger and stations?"""
    monkeypatch.setenv("SHEGONG_HOME", str(tmp_path_factory.mktemp("explorer-home")))
    explorer = StationExplorer()
    assert len(explorer.station.options) > 0 and not explorer.summary.empty
