"""Does `shegong lab` start JupyterLab on 127.0.0.1 over the workspace, in Chinese?"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from shegong.lab import lab_command, lab_environment
from shegong.paths import Workspace
from shegong.settings import load

STARTUP_DEADLINE = 120  # seconds; a bound on waiting for the server, not a speed check


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, token: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"Authorization": f"token {token}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture(scope="module")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    home = tmp_path_factory.mktemp("labhome")
    settings = load({"home": home, "port": _free_port()}, environ={}, cwd=home)
    workspace = Workspace(settings.home).ensure()
    token = "shegong-test-token"
    env = {**os.environ, **lab_environment(workspace, "zh"), "JUPYTER_TOKEN": token}
    log = home / "lab.log"
    with log.open("wb") as sink:
        process = subprocess.Popen(
            lab_command(settings, open_browser=False),
            env=env,
            cwd=home,
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{settings.port}"
    deadline = time.monotonic() + STARTUP_DEADLINE
    try:
        while True:
            try:
                _get(f"{base}/api/status", token)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log.read_text(errors="replace")[-2000:]) from None
                time.sleep(0.2)  # polling for the server to come up
        yield base, token, home
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_lab_serves_on_loopback(lab: tuple[str, str, Path]) -> None:
    """Does the JupyterLab page answer on 127.0.0.1?"""
    base, token, _ = lab
    status, body = _get(f"{base}/lab", token)
    assert status == 200 and b"JupyterLab" in body


def test_chinese_interface_is_selected(lab: tuple[str, str, Path]) -> None:
    """Is the zh-CN language pack installed and chosen in the user settings?"""
    base, token, _ = lab
    _, body = _get(f"{base}/lab/api/translations", token)
    languages = json.loads(body)["data"]
    assert "zh_CN" in languages
    _, body = _get(f"{base}/lab/api/settings/@jupyterlab/translation-extension:plugin", token)
    assert '"zh_CN"' in json.loads(body)["raw"]


def test_lab_state_stays_in_the_workspace(lab: tuple[str, str, Path]) -> None:
    """Are JupyterLab's user settings written under the workspace, not the home folder?"""
    _, _, home = lab
    settings = home / "jupyter" / "user-settings"
    assert (
        settings / "@jupyterlab" / "translation-extension" / "plugin.jupyterlab-settings"
    ).exists()


@pytest.mark.parametrize("command", ["demo", "lab"])
def test_demo_and_lab_take_a_port_and_host(command: str) -> None:
    """Issue 12: `shegong demo --port` / `shegong lab --port` choose where the Lab listens."""
    from shegong.cli import build_parser

    args = build_parser().parse_args([command, "--port", "9123", "--host", "0.0.0.0"])
    assert (args.port, args.host) == (9123, "0.0.0.0")
    with pytest.raises(SystemExit):
        build_parser().parse_args([command, "--port", "not-a-port"])


def test_the_printed_link_opens_lab_signed_in(lab: tuple[str, str, Path]) -> None:
    """Does the link `shegong lab` prints (token in it) open JupyterLab in a browser that
    never signed in, instead of Jupyter's English login page?"""
    import re

    from shegong.lab import lab_token
    from shegong.messages import bilingual

    base, token, _ = lab
    port = base.rsplit(":", 1)[1]
    assert lab_token({"JUPYTER_TOKEN": token}) == token
    fresh = {lab_token({}) for _ in range(3)}
    assert len(fresh) == 3 and all(len(t) >= 24 for t in fresh)
    printed = bilingual("cli.lab_starting", host="127.0.0.1", port=port, token=token)
    link = re.search(r"http://\S+/lab\?token=\S+", printed)
    assert link is not None
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(link.group(0), timeout=10) as response:  # no Authorization header
        assert response.status == 200 and "/login" not in response.url
        assert b"JupyterLab" in response.read()


def test_shegong_is_on_path_in_a_lab_terminal(tmp_path: Path) -> None:
    """Does a terminal (or kernel) of the Lab find the `shegong` command of this install?"""
    import shutil
    import sys

    env = lab_environment(Workspace(tmp_path).ensure(), "zh")
    found = shutil.which("shegong", path=env["PATH"])
    assert found is not None and Path(found).parent == Path(sys.executable).parent
