"""Is the apps server set up so a slow start is slow (never blank), and the demo identity only
offered on a loopback address?

Threat: standalone Voila has no sign-in; on a wider address anyone who can reach it could pick
any identity, the programme manager's included. Failure: with ten pages opening at once,
nbclient's 4-second IOPub timeout sent pages without their form.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from shegong.apps import PAGE_TEXTS, for_language, page_texts
from shegong.errors import ShegongError
from shegong.records.roster import Member
from shegong.voila_config import (
    ServeOptions,
    guard_host,
    is_loopback,
    lab_arguments,
    voila_config,
)
from shegong.widgets.forms.shell import resolve

APP = Path(__file__).resolve().parents[2] / "voila_apps" / "station_evaluation.py"
STAFF = [Member("e01", "陈晓梅", "evaluator", lead=True), Member("m01", "张伟", "manager")]


def test_the_standalone_server_waits_long_for_output_and_kernels(tmp_path: Path) -> None:
    """Does the standalone server wait minutes, not 4 s, for a cell's output and a kernel?"""
    executor = voila_config(tmp_path, ServeOptions())["VoilaExecutor"]
    assert executor["iopub_timeout"] >= 120 and executor["startup_timeout"] >= 120
    assert executor["raise_on_iopub_timeout"] is False


def test_voila_inside_jupyterlab_gets_the_same_timeouts() -> None:
    """Are the same executor settings passed to Voila served by JupyterLab?"""
    args = lab_arguments(ServeOptions(iopub_timeout=321, kernel_startup_timeout=222))
    assert "--VoilaExecutor.iopub_timeout=321" in args
    assert "--VoilaExecutor.startup_timeout=222" in args


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.2", "::1", "[::1]", "localhost"])
def test_loopback_addresses_keep_the_demo_identity(host: str) -> None:
    """Is a loopback address left alone (no warning, demo identity on)?"""
    environ: dict[str, str] = {}
    assert is_loopback(host) and not guard_host(host, environ)
    assert environ == {}


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.20", "::", "station-pc.local"])
def test_a_wider_address_warns_in_both_languages_and_turns_the_demo_off(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """On any other address: a Chinese and English warning naming it, and the demo off?"""
    environ: dict[str, str] = {}
    assert guard_host(host, environ)
    assert environ == {"SHEGONG_DEMO": "off"}
    warning = capsys.readouterr().err
    assert f"应用服务器监听在 {host}" in warning and f"listens on {host}" in warning
    assert "JupyterHub" in warning


def test_with_the_demo_off_nobody_can_pick_an_identity() -> None:
    """With SHEGONG_DEMO=off and no hub or configured user, is the page refused (no picker,
    not even with ?user=m01)?"""
    with pytest.raises(ShegongError) as refused:
        resolve(STAFF, ["manager"], environ={"SHEGONG_DEMO": "off"}, query={"user": "m01"})
    assert refused.value.msg_id == "error.apps_demo_off"


def test_with_the_demo_off_the_configured_user_still_works() -> None:
    """Does SHEGONG_USER (a station laptop's one person) still sign the person in?"""
    identity = resolve(
        STAFF, ["manager"], environ={"SHEGONG_DEMO": "off", "SHEGONG_USER": "m01"}, query={}
    )
    assert identity.person_id == "m01" and identity.fixed


def test_every_app_page_carries_the_guard_scripts_messages_in_both_languages() -> None:
    """Does each built app notebook carry the lost-kernel and restore messages, zh and en?"""
    texts = for_language(APP, "en").metadata["shegong"]["page_texts"]
    assert texts == page_texts() and set(texts) == set(PAGE_TEXTS)
    zh, en = texts["kernel_lost"]
    assert "断开" in zh and "lost" in en
    assert texts["restore"] == ["恢复未保存的内容", "Restore unsaved text"]
