"""Does `shegong build apps` make a Chinese and an English notebook of every app that runs?"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from shegong.apps import (
    APP_ORDER,
    AppsError,
    app_sources,
    build_apps,
    for_language,
    install_template,
)
from shegong.cli import main
from shegong.settings import Settings
from shegong.voila_config import (
    ServeOptions,
    lab_arguments,
    pool_config,
    voila_command,
    voila_config,
)

APPS = [
    "competency_form",
    "my_assignments",
    "programme_overview",
    "rubric_grading",
    "station_evaluation",
    "supervision_log",
]


def test_every_app_source_is_a_few_cells_with_a_language_parameter() -> None:
    """Is each app a thin notebook: a parameters cell, build the widget, start it?"""
    assert [p.stem for p in app_sources()] == list(APP_ORDER)
    for source in app_sources():
        nb = for_language(source, "en")
        code = [c for c in nb.cells if c.cell_type == "code"]
        assert code[0].source == "LANG = 'en'" and "parameters" in code[0].metadata["tags"]
        assert len(code) == 3 and code[-1].source.rstrip().endswith("app.serve()")
        # the page is shown before the request (preheated), filled in place after it
        assert code[1].source.rstrip().endswith("display(app)")
        assert nb.metadata["shegong"]["html_lang"] == "en"


def test_an_app_without_a_parameters_cell_is_refused(tmp_path: Path) -> None:
    """Is a source that cannot take the language named in a bilingual error?"""
    source = tmp_path / "broken.py"
    source.write_text("# %%\nLANG = 'zh'\n", encoding="utf-8")
    with pytest.raises(AppsError) as error:
        for_language(source, "zh")
    assert "parameters" in error.value.message("zh")


def test_build_writes_both_languages_an_index_and_titles(tmp_path: Path) -> None:
    """Are zh/ and en/ notebooks written, titled in their language, with an index each?"""
    built = build_apps(tmp_path)
    assert len(built) == 2 * (len(APPS) + 1)
    zh = nbformat.read(tmp_path / "zh" / "station_evaluation.ipynb", as_version=4)
    en = nbformat.read(tmp_path / "en" / "station_evaluation.ipynb", as_version=4)
    assert zh.metadata["title"] == "站点评估" and en.metadata["title"] == "Station evaluation"
    index = nbformat.read(tmp_path / "zh" / "index.ipynb", as_version=4)
    assert "(station_evaluation.ipynb)" in index.cells[0].source
    assert "../en/index.ipynb" in index.cells[0].source


def test_the_offline_template_is_installed_into_the_workspace(tmp_path: Path) -> None:
    """Is the template copied where ``JUPYTER_PATH`` points Voila?"""
    target = install_template(tmp_path)
    assert target == tmp_path / "jupyter" / "share" / "voila" / "templates" / "shegong"
    assert (target / "index.html.j2").exists() and (target / "conf.json").exists()


def test_serving_options_become_voila_and_lab_configuration(tmp_path: Path) -> None:
    """Do the options give preheating for Chinese apps only, culling, gzip and the template?"""
    build_apps(tmp_path)
    config = voila_config(tmp_path, ServeOptions(pool_size=2))
    pools = config["VoilaKernelManager"]["kernel_pools_config"]
    assert pools["default"] == {"pool_size": 0}
    # a taken kernel is replaced after the pages opened with it have loaded, not after 1 s
    assert config["VoilaKernelManager"]["fill_delay"] == ServeOptions().fill_delay >= 3
    assert pools["zh/station_evaluation.ipynb"] == {"pool_size": 2}
    assert pools["en/station_evaluation.ipynb"] == {"pool_size": 0}
    assert config["VoilaConfiguration"]["template"] == "shegong"
    assert config["MappingKernelManager"]["cull_idle_timeout"] == 1800
    assert config["MappingKernelManager"]["cull_connected"] is True
    assert config["ShegongVoila"] == {"compress": True}
    cold = voila_config(tmp_path, ServeOptions(preheat=False))
    assert (
        cold["VoilaConfiguration"]["preheat_kernel"] is False and "VoilaKernelManager" not in cold
    )
    assert pool_config(["zh/a.ipynb"], ServeOptions(pool_size=-1))["zh/a.ipynb"]["pool_size"] == 0
    command = voila_command(tmp_path, "127.0.0.1", 8866)
    assert command[1:3] == ["-m", "shegong.voila_config"]
    assert "--VoilaConfiguration.template=shegong" in lab_arguments()


def test_the_cli_builds_the_apps(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does `shegong build apps` build, install and seed, and say so in both languages?"""
    monkeypatch.setenv("SHEGONG_HOME", str(tmp_path))
    assert main(["build", "apps", "--home", str(tmp_path)]) == 0
    out = capsys.readouterr().out
    count = 2 * (len(APPS) + 1)  # every app and the index, in both languages
    assert f"已生成 {count} 个应用笔记本" in out and f"Built {count} app notebooks" in out
    assert (tmp_path / "build" / "apps" / "en" / "supervision_log.ipynb").exists()
    assert (tmp_path / "records.db").exists()


def test_serving_unbuilt_apps_says_what_to_do(tmp_path: Path) -> None:
    """Does serving before building explain the fix instead of failing obscurely?"""
    from shegong.apps import serve_apps

    with pytest.raises(AppsError) as error:
        serve_apps(Settings(home=tmp_path))
    assert "shegong build apps" in error.value.message("zh")


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("app", APPS)
def test_every_built_app_runs_headless(
    app: str, lang: str, apps_workspace: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Does each built app notebook execute top to bottom without a browser or a request?"""
    monkeypatch.setenv("SHEGONG_HOME", str(apps_workspace.home))
    path = apps_workspace.home / "build" / "apps" / lang / f"{app}.ipynb"
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    shown = code[1].outputs
    assert shown and "application/vnd.jupyter.widget-view+json" in shown[0]["data"]
    # the last cell fills the page in place: nothing shown twice, no error
    assert code[-1].outputs == []
