"""Are the apps served by Voila over HTTP, in both languages, offline, compressed and culled?

Standalone Voila as ``shegong serve apps`` runs it, and Voila inside the JupyterLab server
with ``shegong.voila_config.lab_arguments``.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from voila_servers import STARTUP_DEADLINE, AppServer, http_get, prepared_settings

from shegong.lab import lab_command, lab_environment
from shegong.messages import text
from shegong.paths import Workspace
from shegong.voila_config import ServeOptions

pytestmark = pytest.mark.slow

APPS = {
    "supervision_log": ("u0001", "apps.sup.title"),
    "rubric_grading": ("u0001", "apps.grading.title"),
    "station_evaluation": ("e01", "apps.eval.title"),
    "competency_form": ("u0001", "apps.comp.title"),
    "programme_overview": ("m01", "apps.overview.title"),
}
OUTPUT = re.compile(
    r'<script type="application/vnd.voila.cell-output\+json">\s*(.*?)\s*</script>', re.S
)
EXTERNAL = re.compile(r'(?:href|src)="(?:https?:)?//', re.I)


def outputs(page: str) -> list[dict[str, object]]:
    return [json.loads(raw) for raw in OUTPUT.findall(page)]


def check_app_page(body: bytes, lang: str, title_id: str) -> None:
    page = body.decode("utf-8")
    assert f"<title>{text(title_id, lang)}</title>" in page
    assert not EXTERNAL.search(page), EXTERNAL.search(page)
    shown = outputs(page)
    assert shown, "the app cell showed nothing"
    assert all(o.get("output_type") != "error" for o in shown), shown
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in shown)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("app", sorted(APPS))
def test_each_app_page_is_served_whole_offline_and_gzipped(
    app_server: AppServer, app: str, lang: str
) -> None:
    """Does each app answer 200 with its title, its widget, no error, no CDN, gzip?"""
    user, title_id = APPS[app]
    status, headers, body = http_get(
        app_server.url(lang, app, user=user), {"Accept-Encoding": "gzip"}
    )
    assert status == 200
    assert headers.get("Content-Encoding") == "gzip"
    check_app_page(gzip.decompress(body), lang, title_id)


def test_the_root_leads_to_the_chinese_index_which_links_every_app(app_server: AppServer) -> None:
    """Does / open the Chinese index, with a link to each app and to the English index?"""
    status, _, body = http_get(f"{app_server.base}/")
    page = body.decode("utf-8")
    assert status == 200 and text("apps.index.title", "zh") in page
    for app in APPS:
        assert f"{app}.ipynb" in page
    assert "../en/index.ipynb" in page
    status, _, body = http_get(app_server.url("en", "index"))
    assert status == 200 and text("apps.index.title", "en") in body.decode("utf-8")


def test_an_error_page_loads_nothing_from_the_internet_either(app_server: AppServer) -> None:
    """Does a wrong address get Voila's error page without its CDN stylesheet?"""
    status, _, body = http_get(app_server.url("zh", "no_such_app"))
    assert status == 404
    page = body.decode("utf-8")
    assert not EXTERNAL.search(page)
    # it says what happened in Chinese first, then English, and leads back home
    assert page.index("找不到这个页面") < page.index("Page not found")
    assert "返回应用首页 / Back to the apps home page" in page


def test_scripts_are_compressed_too(app_server: AppServer) -> None:
    """Is Voila's JavaScript gzipped (most of what a slow station link downloads)?"""
    status, headers, _ = http_get(
        f"{app_server.base}/voila/static/voila.js", {"Accept-Encoding": "gzip"}
    )
    assert status == 200 and headers.get("Content-Encoding") == "gzip"


def test_the_template_page_has_the_language_and_no_font_awesome_cdn(
    app_server: AppServer,
) -> None:
    """Does the page declare its language and keep the icons local?"""
    _, _, body = http_get(app_server.url("zh", "index"))
    page = body.decode("utf-8")
    assert 'document.documentElement.lang = "zh-CN"' in page
    assert "cdn.jsdelivr.net" not in page and "fontawesome" in page  # disabled, not fetched
    _, _, body = http_get(app_server.url("en", "index"))
    assert 'document.documentElement.lang = "en"' in body.decode("utf-8")


@pytest.fixture(scope="module")
def culling_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    home = tmp_path_factory.mktemp("cullhome")
    options = ServeOptions(preheat=False, pool_size=0, cull_idle_timeout=4, cull_interval=1)
    server = AppServer(prepared_settings(home), options, home / "voila.log").start()
    try:
        yield server
    finally:
        server.stop()


def test_ten_abandoned_pages_do_not_keep_ten_kernels(culling_server: AppServer) -> None:
    """After ten page views left alone, are their kernels shut down once idle?"""
    for k in range(10):
        status, _, _ = http_get(culling_server.url("zh", "index", visit=str(k)))
        assert status == 200
    assert culling_server.kernel_count() >= 5  # some still alive right after the views
    deadline = time.monotonic() + STARTUP_DEADLINE
    while culling_server.kernel_count() > 0:
        assert time.monotonic() < deadline, "idle kernels were not culled"
        time.sleep(0.5)  # polling the server's children
    log = culling_server.log.read_text(errors="replace")
    assert "Culling" in log and "inactivity" in log


@pytest.fixture(scope="module")
def lab_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str, Path]]:
    home = tmp_path_factory.mktemp("labapps")
    settings = prepared_settings(home)
    token = "shegong-apps-token"
    # exactly what `shegong lab` / `make demo` runs
    env = {**os.environ, **lab_environment(Workspace(home).ensure(), "zh"), "JUPYTER_TOKEN": token}
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
                if http_get(f"{base}/api/status", {"Authorization": f"token {token}"})[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)  # polling for the server to come up
        yield base, token, log
    finally:
        process.terminate()
        process.wait(timeout=60)


def test_apps_run_inside_jupyterlab_the_same_way(lab_server: tuple[str, str, Path]) -> None:
    """Does Voila inside the JupyterLab server serve the built app offline and gzipped?"""
    base, token, log = lab_server
    status, headers, body = http_get(
        f"{base}/voila/render/build/apps/zh/station_evaluation.ipynb?user=e02",
        {"Authorization": f"token {token}", "Accept-Encoding": "gzip"},
    )
    assert status == 200, log.read_text(errors="replace")[-2000:]
    assert headers.get("Content-Encoding") == "gzip"
    check_app_page(gzip.decompress(body), "zh", "apps.eval.title")
    assert "Culling kernels with idle durations > 1800 seconds" in log.read_text(errors="replace")
