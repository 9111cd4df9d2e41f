"""How the apps are served by Voila: offline, compressed, preheated and culled.

Each choice is declared once in ``ServeOptions`` with why; ``voila_command`` turns the options
into the standalone server's command line (``python -m shegong.voila_config``) and
``lab_arguments`` into the same settings for Voila inside the JupyterLab server.

- Offline: the ``shegong`` template (``voila_apps/templates/shegong``, installed into
  ``<workspace>/jupyter/share`` by ``shegong build apps`` and found through ``JUPYTER_PATH``)
  drops the lab template's Font Awesome CDN links; Voila's bundle carries the icons.
- Compressed: tornado's ``compress_response`` gzips the page and the JavaScript. Voila
  standalone applies its ``tornado_settings`` only after the tornado application exists, when
  tornado no longer looks at that setting, so ``ShegongVoila`` sets it before.
- Preheated: Voila 0.5 keeps ``pool_size`` kernels per notebook that have already run the
  app's first cells; the app waits in ``start()`` for the request (``get_query_string``)
  before it reads who is asking or any saved record, so a preheated page is never stale or
  someone else's. Only the Chinese notebooks are preheated by default (English users are few);
  each preheated kernel holds its memory while it waits.
  A taken kernel is replaced ``fill_delay`` seconds later (Voila: 1 s), after the pages
  opened together have loaded, so the refill does not slow them down.
- Culled: a kernel idle for ``cull_idle_timeout`` seconds is shut down, connected or not (a
  tab left open for hours keeps nothing alive; every change was autosaved, so reopening the
  page loses nothing). Pool kernels waiting for a visitor are never culled (Voila).
- Culling stays on for connected kernels (decided for issue 10): a forgotten tab must not
  hold a kernel's memory on a shared machine for days. What a person loses is covered instead:
  the page notices the lost kernel at once (its script, ``sg_guard.js`` in the template), pins
  a bilingual banner, disables the form, and the text typed but not yet saved is kept in the
  browser and offered back when the page is reopened.
- Slow, never blank: nbclient waits only ``iopub_timeout`` seconds (4) for a cell's output
  after the kernel replied; when ten pages open at once on a small machine the output of the
  cell that shows the page arrives later, Voila logs "Timeout waiting for IOPub output" and
  sends the page without it: a blank page. ``iopub_timeout`` is raised far above any real
  start (a hang guard, not a speed setting), with the kernel start-up timeout to match, for the
  standalone server and for Voila inside JupyterLab alike.
- Demo identity only on loopback: standalone Voila has no sign-in, so on any address other
  than 127.0.0.1 / ::1 / localhost the server prints a bilingual warning and turns the demo
  identity picker off (``SHEGONG_DEMO=off`` for its kernels): identity then comes only from
  ``SHEGONG_USER`` or the hub, the sign-in path for shared use.
- Fewer requests: JupyterLab extensions the apps do not use are not loaded in the page.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from shegong.paths import CONTENT

TEMPLATE = "shegong"
TEMPLATE_SOURCE = CONTENT.templates / TEMPLATE
DEFAULT_LANG = "zh"
# Lab extensions a Voila page loads by default that the apps never use.
UNUSED_EXTENSIONS = (
    "@jupyter/nbgrader",
    "jupyterlab-jupytext",
    "@jupyter-notebook/lab-extension",
    "jupyterlab_pygments",
    "@jupyter-lsp/jupyterlab-lsp",
)


@dataclass(frozen=True)
class ServeOptions:
    """How to serve the apps; the defaults are what ``shegong serve apps`` uses."""

    preheat: bool = True
    pool_size: int = 1  # preheated kernels per Chinese app notebook
    pool_size_other: int = 0  # per English app notebook
    # per-notebook sizes that win over both, e.g. (("zh/station_evaluation.ipynb", 10),)
    pool_sizes: tuple[tuple[str, int], ...] = ()
    # seconds after a preheated kernel is taken before the pool is refilled: Voila waits 1 s,
    # so when ten people open a page at once, ten new kernels start importing while the ten
    # browsers still load the page and connect, and every page becomes usable late
    fill_delay: float = 5.0
    cull_idle_timeout: int = 1800  # seconds idle before a kernel is shut down
    cull_interval: int = 60  # seconds between checks
    compress: bool = True
    # seconds to wait for a cell's output once the kernel replied (nbclient: 4): far above any
    # real start, so a page opened with nine others is slow, never blank
    iopub_timeout: int = 300
    kernel_startup_timeout: int = 300  # seconds for a kernel to start (Voila: 60)
    template: str = TEMPLATE
    trim_extensions: bool = True


def template_root(home: Path) -> Path:
    """The ``JUPYTER_PATH`` entry that holds ``voila/templates/shegong`` for a workspace."""
    return Path(home) / "jupyter" / "share"


def serving_environment(home: Path) -> dict[str, str]:
    """Environment for a server of the apps: the workspace, and where the template is."""
    paths = [str(template_root(home))]
    if os.environ.get("JUPYTER_PATH"):
        paths.append(os.environ["JUPYTER_PATH"])
    return {"SHEGONG_HOME": str(home), "JUPYTER_PATH": os.pathsep.join(paths)}


def pool_config(notebooks: Sequence[str], options: ServeOptions) -> dict[str, Any]:
    """Voila's ``kernel_pools_config``: pool sizes per notebook path (``zh/app.ipynb``)."""
    config: dict[str, Any] = {"default": {"pool_size": 0}}
    chosen = dict(options.pool_sizes)
    for notebook in notebooks:
        size = (
            options.pool_size
            if notebook.startswith(f"{DEFAULT_LANG}/")
            else options.pool_size_other
        )
        config[notebook] = {"pool_size": max(chosen.get(notebook, size), 0)}
    return config


def executor_config(options: ServeOptions) -> dict[str, Any]:
    """How Voila's executor (nbclient) waits for a kernel and for a cell's output."""
    return {
        "iopub_timeout": options.iopub_timeout,
        "raise_on_iopub_timeout": False,
        "startup_timeout": options.kernel_startup_timeout,
    }


def shared_config(options: ServeOptions) -> dict[str, dict[str, Any]]:
    """What the apps server and JupyterLab's Voila both get: the one translation of
    ``ServeOptions`` into traitlets (template, culling, executor waits, trimmed extensions)."""
    config: dict[str, dict[str, Any]] = {
        "VoilaConfiguration": {"template": options.template},
        "MappingKernelManager": {
            "cull_idle_timeout": options.cull_idle_timeout,
            "cull_interval": options.cull_interval,
            "cull_connected": True,
            "cull_busy": False,
        },
        "VoilaExecutor": executor_config(options),
    }
    if options.trim_extensions:
        config["VoilaConfiguration"]["extension_denylist"] = list(UNUSED_EXTENSIONS)
    return config


def voila_config(root: Path, options: ServeOptions) -> dict[str, Any]:
    """The traitlets configuration of the standalone server, as a JSON-ready dict."""
    notebooks = sorted(str(p.relative_to(root)) for p in Path(root).glob("*/*.ipynb"))
    sizes = [options.pool_size, options.pool_size_other, *(n for _nb, n in options.pool_sizes)]
    preheat = options.preheat and any(size > 0 for size in sizes)
    config: dict[str, Any] = shared_config(options)
    config["VoilaConfiguration"].update(
        show_tracebacks=False, preheat_kernel=preheat, default_pool_size=0
    )
    config["ShegongVoila"] = {"compress": options.compress}
    if preheat:
        config["VoilaKernelManager"] = {
            "kernel_pools_config": pool_config(notebooks, options),
            "fill_delay": options.fill_delay,
        }
    return config


def voila_command(
    root: Path, host: str, port: int, options: ServeOptions | None = None
) -> list[str]:
    """The command line of the standalone apps server on ``root`` (``build/apps``)."""
    options = options or ServeOptions()
    return [
        sys.executable,
        "-m",
        "shegong.voila_config",
        str(root),
        f"--host={host}",
        f"--port={port}",
        f"--config-json={json.dumps(voila_config(Path(root), options))}",
    ]


def default_voila_command(root: Path, host: str, port: int) -> list[str]:
    """Plain ``voila`` on the same notebooks: Voila's defaults (for the benchmark)."""
    return [
        sys.executable,
        "-m",
        "voila",
        str(root),
        "--no-browser",
        f"--Voila.ip={host}",
        f"--port={port}",
    ]


def lab_arguments(options: ServeOptions | None = None) -> list[str]:
    """Extra ``jupyter lab`` arguments so Voila inside JupyterLab serves the same way.

    The server extension has no preheated kernels (Voila supports them standalone only).
    """
    options = options or ServeOptions()
    args = [
        f"--{section}.{name}={item}"
        for section, traits in shared_config(options).items()
        for name, value in traits.items()
        for item in (value if isinstance(value, list) else [value])
    ]
    if options.compress:
        args.append("--ServerApp.tornado_settings=compress_response=True")
    return args


def _make_app_class() -> Any:
    """``ShegongVoila``: Voila with gzip and ``/`` leading to the Chinese index page."""
    import tornado.web
    from traitlets import Bool
    from voila.app import Voila

    class ShegongVoila(Voila):
        compress = Bool(True, config=True, help="gzip pages and scripts (tornado)")

        def init_settings(self) -> dict[str, Any]:
            settings: dict[str, Any] = super().init_settings()
            if self.compress:
                settings["compress_response"] = True
            return settings

        def init_handlers(self) -> list[Any]:
            handlers: list[Any] = super().init_handlers()
            index = f"{self.base_url}voila/render/{DEFAULT_LANG}/index.ipynb"
            redirect = (self.base_url, tornado.web.RedirectHandler, {"url": index})
            return [redirect, *handlers]

    return ShegongVoila


DEMO_ENV = "SHEGONG_DEMO"
LOOPBACK_NAMES = {"localhost", "localhost.localdomain"}


def is_loopback(host: str) -> bool:
    """Is ``host`` reachable only from this machine (127.0.0.0/8, ::1, localhost)?"""
    import ipaddress

    name = host.strip().strip("[]").lower()
    if name in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def guard_host(host: str, environ: dict[str, str] | os._Environ[str]) -> bool:
    """On a wider address: a bilingual warning on stderr and the demo picker off. True if so."""
    from shegong.messages import bilingual

    if is_loopback(host):
        return False
    environ[DEMO_ENV] = "off"
    print(bilingual("apps.serve.wide_host", host=host), file=sys.stderr, flush=True)
    return True


def main(argv: Sequence[str] | None = None) -> None:
    """``python -m shegong.voila_config ROOT --host H --port P --config-json JSON``."""
    from traitlets.config import Config

    parser = argparse.ArgumentParser(prog="shegong.voila_config")
    parser.add_argument("root")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8866)
    parser.add_argument("--config-json", default="{}")
    args = parser.parse_args(argv)
    config = Config(json.loads(args.config_json))
    guard_host(args.host, os.environ)  # before Voila starts kernels, which inherit it
    app_class = _make_app_class()
    app_class.launch_instance(
        argv=[
            args.root,
            "--no-browser",
            f"--Voila.ip={args.host}",
            f"--port={args.port}",
            "--Voila.port_retries=0",
        ],
        config=config,
    )


if __name__ == "__main__":
    main()
