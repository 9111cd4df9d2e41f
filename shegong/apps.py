"""Build the Voila apps into Chinese and English notebooks and serve them.

Sources are py:percent files in ``voila_apps/`` (a few cells: the ``LANG`` parameter, build
the widget, ``app.start()``). ``build_apps`` writes ``<workspace>/build/apps/<lang>/<app>.ipynb``
for each language (the parameter cell set to the language, the page title and language in
the metadata for the template) and an ``index.ipynb`` per language linking every app.
``prepare_apps`` also installs the offline template into the workspace and writes the roster
of people into the records store. ``serve_apps`` runs Voila on the built apps
(``shegong.voila_config`` says how).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import jupytext
import nbformat
from nbformat import NotebookNode

from shegong import editions
from shegong.errors import ShegongError
from shegong.messages import LANGS, Lang, catalogue, text
from shegong.paths import CONTENT, Workspace
from shegong.progress import Reporter, SilentReporter
from shegong.settings import Settings
from shegong.voila_config import (
    TEMPLATE,
    TEMPLATE_SOURCE,
    ServeOptions,
    serving_environment,
    template_root,
    voila_command,
)

APP_SOURCES = CONTENT.apps
# The order of the index page: the trainee's page, the supervisor's tools, the manager's last.
APP_ORDER = (
    "my_assignments",
    "supervision_log",
    "rubric_grading",
    "station_evaluation",
    "competency_form",
    "programme_overview",
)
HTML_LANG = {"zh": "zh-CN", "en": "en"}
INDEX = "index"


class AppsError(ShegongError):
    """The apps cannot be built or served as asked."""


@dataclass(frozen=True)
class BuiltApp:
    app: str
    lang: Lang
    path: Path


def app_sources(folder: Path = APP_SOURCES) -> list[Path]:
    """The app sources, ``voila_apps/*.py``: those of ``APP_ORDER`` first, in that order."""
    found = [p for p in folder.glob("*.py") if not p.name.startswith("_")]
    rank = {name: k for k, name in enumerate(APP_ORDER)}
    return sorted(found, key=lambda p: (rank.get(p.stem, len(rank)), p.stem))


def _title_id(nb: NotebookNode, source: Path) -> str:
    return str(nb.metadata.get("shegong", {}).get("title", f"apps.{source.stem}.title"))


def _page_metadata(nb: NotebookNode, title: str, lang: Lang) -> None:
    editions.finish(nb)
    nb.metadata["title"] = title
    nb.metadata["shegong"] = {
        **nb.metadata.get("shegong", {}),
        "lang": lang,
        "html_lang": HTML_LANG[lang],
        "loading": text("apps.index.loading", lang),
        "page_texts": page_texts(),
    }


# Messages of the page's own script (sg_guard.js), both languages: [zh, en].
PAGE_TEXTS = ("kernel_lost", "reload", "restore_offer", "restore", "discard", "restored")


def page_texts() -> dict[str, list[str]]:
    """What the page's script says when the kernel is lost or unsaved text can come back."""
    return {name: [catalogue()[f"apps.page.{name}"][lang] for lang in LANGS] for name in PAGE_TEXTS}


def for_language(source: Path, lang: Lang) -> NotebookNode:
    """The app notebook for ``lang``: the ``parameters`` cell says ``LANG = "<lang>"``."""
    nb = jupytext.read(source)
    if not editions.set_parameters(nb, lang):
        raise AppsError("error.apps_no_parameters", path=source)
    _page_metadata(nb, text(_title_id(nb, source), lang), lang)
    return editions.number_cells(nb)


def index_notebook(apps: list[tuple[str, str]], lang: Lang) -> NotebookNode:
    """One Markdown page per language linking every app (``(app, title_id)`` pairs)."""
    other = "en" if lang == "zh" else "zh"
    lines = [f"# {text('apps.index.title', lang)}", "", text("apps.index.intro", lang), ""]
    for app, title_id in apps:
        what = text(f"apps.index.for.{app}", lang)
        colon = "：" if lang == "zh" else ": "
        lines.append(f"- **[{text(title_id, lang)}]({app}.ipynb)**{colon}{what}")
    lines += ["", f"[{'English' if other == 'en' else '中文'}](../{other}/{INDEX}.ipynb)"]
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("\n".join(lines))]
    nb.cells[0]["id"] = "index"
    _page_metadata(nb, text("apps.index.title", lang), lang)
    return nb


def build_apps(
    out: Path, sources: list[Path] | None = None, reporter: Reporter | None = None
) -> list[BuiltApp]:
    """Write every app in both languages, and an index per language, under ``out``."""
    reporter = reporter or SilentReporter()
    sources = app_sources() if sources is None else sources
    built: list[BuiltApp] = []
    titles: list[tuple[str, str]] = []
    for source in sources:
        reporter.step(source.stem)
        titles.append((source.stem, _title_id(jupytext.read(source), source)))
        for lang in LANGS:
            path = out / lang / f"{source.stem}.ipynb"
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(for_language(source, lang), path)
            built.append(BuiltApp(source.stem, lang, path))
    for lang in LANGS:
        (out / lang).mkdir(parents=True, exist_ok=True)
        path = out / lang / f"{INDEX}.ipynb"
        nbformat.write(index_notebook(titles, lang), path)
        built.append(BuiltApp(INDEX, lang, path))
    return built


def install_template(home: Path) -> Path:
    """Copy the offline template to ``<home>/jupyter/share/voila/templates/shegong``."""
    target = template_root(home) / "voila" / "templates" / TEMPLATE
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(TEMPLATE_SOURCE, target)
    return target


@dataclass(frozen=True)
class Prepared:
    built: list[BuiltApp]
    folder: Path
    people: int
    changed: int


def prepare_apps(settings: Settings, reporter: Reporter | None = None) -> Prepared:
    """Build the apps, install the template, seed the people: all ``serve`` needs."""
    # deferred so that building or listing apps does not load SQLAlchemy and pandas
    from shegong.records import RecordsStore
    from shegong.records.roster import load_roster, seed_people

    workspace = Workspace(settings.home).ensure()
    folder = workspace.build / "apps"
    built = build_apps(folder, reporter=reporter)
    install_template(settings.home)
    members = load_roster(settings.home)
    with RecordsStore.for_settings(settings) as store:
        changed = seed_people(store, members)
    return Prepared(built, folder, len(members), changed)


def apps_folder(settings: Settings) -> Path:
    return Workspace(settings.home).build / "apps"


def serve_apps(settings: Settings, options: ServeOptions | None = None) -> int:
    """Run the apps server in the foreground until Ctrl+C; returns its exit code."""
    folder = apps_folder(settings)
    if not (folder / "zh" / f"{INDEX}.ipynb").exists():
        raise AppsError("error.apps_not_built")
    env = {**os.environ, **serving_environment(settings.home)}
    command = voila_command(folder, settings.host, settings.port, options)
    try:
        return subprocess.call(command, env=env, cwd=settings.home)
    except KeyboardInterrupt:
        return 0
