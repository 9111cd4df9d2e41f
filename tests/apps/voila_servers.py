"""Helpers of the app tests: prepare a workspace, start and stop an apps server.

Servers are started as the CLI starts them (``voila_command`` + ``serving_environment``) and
polled for readiness with an overall deadline; nothing here times how fast they are.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from shegong.apps import prepare_apps
from shegong.records import RecordsStore
from shegong.settings import Settings
from shegong.settings import load as load_settings
from shegong.voila_config import ServeOptions, serving_environment, voila_command

STARTUP_DEADLINE = 180  # seconds; a bound on waiting for a server, not a speed check
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def http_get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


@dataclass
class AppServer:
    """A running apps server (standalone Voila) over a prepared workspace."""

    settings: Settings
    options: ServeOptions
    log: Path
    process: subprocess.Popen[bytes] | None = None
    started: list[int] = field(default_factory=list)

    @property
    def base(self) -> str:
        return f"http://{self.settings.host}:{self.settings.port}"

    def url(self, lang: str, app: str, **query: str) -> str:
        suffix = "&".join(f"{k}={v}" for k, v in query.items())
        return f"{self.base}/voila/render/{lang}/{app}.ipynb" + (f"?{suffix}" if suffix else "")

    def start(self) -> AppServer:
        folder = self.settings.home / "build" / "apps"
        env = {**os.environ, **serving_environment(self.settings.home)}
        command = voila_command(folder, self.settings.host, self.settings.port, self.options)
        with self.log.open("ab") as sink:
            self.process = subprocess.Popen(
                command, env=env, cwd=self.settings.home, stdout=sink, stderr=subprocess.STDOUT
            )
        self.started.append(self.process.pid)
        deadline = time.monotonic() + STARTUP_DEADLINE
        while True:
            try:
                status, _, _ = http_get(f"{self.base}/voila/static/voila.js")
                if status == 200:
                    return self
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(self.log.read_text(errors="replace")[-3000:])
            time.sleep(0.2)  # polling for the server to come up

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)
        self.process = None

    def kernel_count(self) -> int:
        """Kernels the server runs now (its ipykernel child processes)."""
        import psutil

        if self.process is None:
            return 0
        alive = 0
        for child in psutil.Process(self.process.pid).children():
            try:
                if child.status() != psutil.STATUS_ZOMBIE and "ipykernel_launcher" in " ".join(
                    child.cmdline()
                ):
                    alive += 1
            except psutil.Error:  # it ended while we looked: not alive
                continue
        return alive

    def store(self) -> RecordsStore:
        return RecordsStore.for_settings(self.settings)


def prepared_settings(home: Path) -> Settings:
    settings = load_settings({"home": home, "port": free_port()}, environ={}, cwd=home)
    prepare_apps(settings)
    return settings
