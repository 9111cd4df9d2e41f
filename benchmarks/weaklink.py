"""The apps on a station's weak link: bytes, widget models, time until usable, kernel memory.

    python -m benchmarks.weaklink [--apps station_evaluation,supervision_log] [--label after]

A township station's link, as Chromium's network emulation sets it (CDP
``Network.emulateNetworkConditions``): 1 Mbit/s down, 64 kB/s up, 300 ms latency. One run
prepares a workspace, starts ``shegong serve apps`` as shipped (one preheated kernel per
Chinese app) and, side by side, plain ``voila`` on a notebook with one slider, then opens each
page twice in one browser profile (cold: empty cache; warm: the second visit) and measures

- ``http_bytes``: bytes over HTTP as transferred (compressed where the server compresses);
- ``ws_in`` / ``ws_out``: websocket bytes received / sent from navigation until the page is
  usable and the kernel has gone quiet (no frame for ``QUIET`` s): what a person waits for
  before their first choice (counted from CDP ``Network.webSocketFrameReceived/Sent``);
- ``models``: distinct widget models the page holds before the first choice (the states in
  the widget control comm's ``update_states`` answers, or a ``comm_info_reply``'s
  ``jupyter.widget`` comms, plus every ``comm_open`` that follows); ``state_replies`` says
  how many times the page was sent every state;
- ``usable_s``: seconds from navigation start until the form's first control is visible;
- ``kernel_mib``: resident memory of the app's preheated kernel (the one the pool starts
  again once a visit has taken the previous one), after its first cells ran.

Results: ``benchmarks/results/weaklink{-label}.json`` and ``.md``. Times depend on the
machine's load (printed with them); bytes and model counts are the firm numbers. The
targets (issue 12): usable <= 8 s cold and <= 3 s warm, websocket <= 150 KB before the first
choice, kernel <= 120 MiB.

The module uses only the installed ``shegong`` (no other benchmark module), so it can be run
with another checkout's environment to measure that code: ``/path/.venv/bin/python
benchmarks/weaklink.py --label main`` from a folder that holds no ``shegong`` package.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip
LINK = {"offline": False, "latency": 300, "downloadThroughput": 1_000_000 / 8,
        "uploadThroughput": 64_000}  # fmt: skip
DEADLINE = 240  # seconds: a bound on waiting for a server, not a measurement
PAGE_DEADLINE = 120  # seconds a person would wait for a page before giving up
QUIET = 2.0  # seconds without a websocket frame: the page is waiting for the person
TARGETS = {"usable_cold_s": 8.0, "usable_warm_s": 3.0, "ws_kb": 150.0, "kernel_mib": 120.0}
# each app's first control: what a person can use once it is on screen
USABLE = {
    "station_evaluation": ".sg-station select",
    "supervision_log": ".sg-trainee select",
    "competency_form": ".sg-trainee select",
    "rubric_grading": ".sg-assignment select, .sg-grading-empty",
    "programme_overview": ".sg-period select",
    "my_assignments": ".sg-my-card, .sg-my-mode",
}
SLIDER = {
    "cells": [
        {
            "cell_type": "code",
            "execution_count": None,
            "metadata": {},
            "outputs": [],
            "source": "import ipywidgets as w\nw.IntSlider(description='n', max=10)",
        }
    ],
    "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def say(message: str) -> None:
    print(f"[weaklink {time.strftime('%H:%M:%S')}] {message}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    cwd: Path
    port: int
    process: subprocess.Popen[bytes] | None = None

    def start(self) -> Server:
        log = self.cwd / f"{self.name}.log"
        with log.open("wb") as sink:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=self.cwd, stdout=sink, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + DEADLINE
        while not _answers(f"http://127.0.0.1:{self.port}/voila/static/voila.js"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(log.read_text(errors="replace")[-2000:])
            time.sleep(0.3)  # polling for the server to come up
        return self

    def kernels(self) -> dict[int, float]:
        """{pid: MiB} of the server's kernels."""
        import psutil

        found: dict[int, float] = {}
        if self.process is None:
            return found
        for child in psutil.Process(self.process.pid).children():
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    found[child.pid] = round(child.memory_info().rss / 2**20, 1)
            except psutil.Error:  # it ended while we looked
                continue
        return found

    def settle(self, least: float = 3.0) -> None:
        """Wait until no process of the server uses the CPU (pools filled, cells run)."""
        import psutil

        time.sleep(least)
        if self.process is None:
            return
        calm, deadline = 0, time.monotonic() + DEADLINE
        watched: dict[int, Any] = {}
        while calm < 4 and time.monotonic() < deadline:
            root = psutil.Process(self.process.pid)
            for proc in [root, *root.children(recursive=True)]:
                if proc.pid not in watched:
                    try:
                        proc.cpu_percent(None)
                        watched[proc.pid] = proc
                    except psutil.Error:
                        continue
            time.sleep(0.5)
            busy = 0.0
            for pid, proc in list(watched.items()):
                try:
                    busy += proc.cpu_percent(None)
                except psutil.Error:
                    del watched[pid]
            calm = calm + 1 if busy < 15.0 else 0

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


# --- the websocket's messages --------------------------------------------------------------


def jupyter_message(opcode: int, payload: str) -> dict[str, Any] | None:
    """A Jupyter message from one websocket frame (JSON text, or the binary v1 protocol)."""
    try:
        if opcode == 1:
            message = json.loads(payload)
            return message if isinstance(message, dict) else None
        data = base64.b64decode(payload)
        count = struct.unpack_from("<Q", data, 0)[0]
        offsets = [*struct.unpack_from(f"<{count}Q", data, 8), len(data)]
        parts = [data[offsets[i] : offsets[i + 1]] for i in range(min(count, 5))]
        return {
            "channel": parts[0].decode(),
            "header": json.loads(parts[1]),
            "content": json.loads(parts[4]) if len(parts) > 4 else {},
        }
    except (ValueError, struct.error, IndexError, UnicodeDecodeError):
        return None


def frame_bytes(opcode: int, payload: str) -> int:
    if opcode == 1:
        return len(payload.encode())
    return len(base64.b64decode(payload)) if opcode == 2 else len(payload)


@dataclass
class Visit:
    http_bytes: int = 0
    ws_in: int = 0
    ws_out: int = 0
    model_ids: set[str] = field(default_factory=set)
    state_replies: int = 0  # answers carrying every model's state (sent once per request)
    frames_in: int = 0
    frames_out: int = 0
    usable_s: float | None = None
    last_frame: float = field(default_factory=time.monotonic)

    @property
    def models(self) -> int:
        return len(self.model_ids)

    def numbers(self) -> dict[str, Any]:
        names = ("http_bytes", "ws_in", "ws_out", "models", "state_replies", "frames_in",
                 "frames_out", "usable_s")  # fmt: skip
        return {name: getattr(self, name) for name in names}

    def received(self, params: dict[str, Any]) -> None:
        response = params.get("response", {})
        opcode, payload = int(response.get("opcode", 1)), str(response.get("payloadData", ""))
        self.ws_in += frame_bytes(opcode, payload)
        self.frames_in += 1
        self.last_frame = time.monotonic()
        message = jupyter_message(opcode, payload)
        if message is None:
            return
        kind = message.get("header", {}).get("msg_type")
        content = message.get("content", {})
        if kind == "comm_info_reply":
            comms = content.get("comms", {})
            self.model_ids |= {
                k for k, c in comms.items() if c.get("target_name") == "jupyter.widget"
            }
        elif kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            self.model_ids.add(str(content.get("comm_id")))
        elif kind == "comm_msg":  # ipywidgets 8's control comm answers with every state at once
            data = content.get("data", {})
            if isinstance(data, dict) and data.get("method") == "update_states":
                self.model_ids |= set(data.get("states", {}))
                self.state_replies += 1

    def sent(self, params: dict[str, Any]) -> None:
        response = params.get("response", {})
        opcode, payload = int(response.get("opcode", 1)), str(response.get("payloadData", ""))
        self.ws_out += frame_bytes(opcode, payload)
        self.frames_out += 1
        self.last_frame = time.monotonic()

    def loaded(self, params: dict[str, Any]) -> None:
        self.http_bytes += int(params.get("encodedDataLength", 0))


def visit(context: Any, url: str, selector: str) -> Visit:
    """Open ``url`` on the weak link; measure until usable and the websocket is quiet."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.emulateNetworkConditions", LINK)
    result = Visit()
    cdp.on("Network.webSocketFrameReceived", result.received)
    cdp.on("Network.webSocketFrameSent", result.sent)
    cdp.on("Network.loadingFinished", result.loaded)
    start = time.monotonic()
    try:
        page.goto(url, wait_until="commit", timeout=PAGE_DEADLINE * 1000)
        page.wait_for_selector(selector, state="visible", timeout=PAGE_DEADLINE * 1000)
        result.usable_s = round(time.monotonic() - start, 2)
        while time.monotonic() - result.last_frame < QUIET:
            page.wait_for_timeout(250)  # until the kernel sends nothing more
    except Exception as error:  # a page that never became usable is recorded as such
        say(f"  not usable: {type(error).__name__}: {str(error)[:200]}")
    finally:
        page.close()
    return result


# --- the run -------------------------------------------------------------------------------


def measure_app(server: Server, browser: Any, url: str, selector: str) -> dict[str, Any]:
    context = browser.new_context()
    try:
        before = server.kernels()
        cold = visit(context, url, selector)
        server.settle()
        after = server.kernels()
        warm = visit(context, url, selector)
    finally:
        context.close()
    server.settle()
    refilled = [mib for pid, mib in after.items() if pid not in before]
    return {
        "cold": cold.numbers(),
        "warm": warm.numbers(),
        "kernel_mib": max(refilled) if refilled else max(after.values(), default=None),
    }


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    from shegong.apps import prepare_apps
    from shegong.settings import load as load_settings
    from shegong.voila_config import ServeOptions, serving_environment, voila_command

    parser = argparse.ArgumentParser(description="弱网基准 / weak-link benchmark")
    parser.add_argument("--apps", default=",".join(USABLE))
    parser.add_argument("--label", default="", help="names the result files (e.g. main)")
    parser.add_argument("--no-plain", action="store_true", help="skip plain voila")
    args = parser.parse_args(argv)
    apps = [a for a in args.apps.split(",") if a]
    load = os.getloadavg()
    report: dict[str, Any] = {
        "label": args.label or "this checkout",
        "link": LINK,
        "targets": TARGETS,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "load_before": [round(x, 2) for x in load],
        "apps": {},
    }
    say(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    with tempfile.TemporaryDirectory(prefix="shegong-weaklink-") as tmp:
        home = Path(tmp)
        say("preparing a workspace (apps built)")
        settings = load_settings({"home": home}, environ={}, cwd=home)
        prepare_apps(settings)
        env = {**os.environ, **serving_environment(home)}
        root = home / "build" / "apps"
        ours_port = free_port()
        ours = Server(
            "ours",
            voila_command(root, "127.0.0.1", ours_port, ServeOptions(pool_size=1)),
            env,
            home,
            ours_port,
        )
        plain_dir = home / "plain"
        plain_dir.mkdir()
        (plain_dir / "slider.ipynb").write_text(json.dumps(SLIDER), encoding="utf-8")
        plain_port = free_port()
        plain = Server(
            "plain",
            [sys.executable, "-m", "voila", str(plain_dir), "--no-browser", f"--port={plain_port}"],
            dict(os.environ),
            plain_dir,
            plain_port,
        )
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                say("starting shegong serve apps (pool 1 per app) and waiting for it to settle")
                ours.start().settle()
                for app in apps:
                    url = f"http://127.0.0.1:{ours_port}/voila/render/zh/{app}.ipynb"
                    say(f"{app}: cold and warm visit")
                    result = measure_app(ours, browser, url, USABLE[app])
                    report["apps"][app] = result
                    c = result["cold"]
                    say(
                        f"  {c['http_bytes'] / 1e3:.0f} KB http, ws {c['ws_in'] / 1e3:.0f} KB in /"
                        f" {c['ws_out'] / 1e3:.0f} KB out, {c['models']} models, usable"
                        f" {c['usable_s']} s (warm {result['warm']['usable_s']} s),"
                        f" kernel {result['kernel_mib']} MiB"
                    )
                ours.stop()
                if not args.no_plain:
                    say("plain voila, one slider")
                    plain.start().settle()
                    url = f"http://127.0.0.1:{plain_port}/voila/render/slider.ipynb"
                    result = measure_app(plain, browser, url, ".widget-slider")
                    report["plain_voila_slider"] = result
                    c = result["cold"]
                    say(
                        f"  {c['http_bytes'] / 1e3:.0f} KB http, ws {c['ws_in'] / 1e3:.0f} KB,"
                        f" {c['models']} models, usable {c['usable_s']} s"
                    )
            finally:
                ours.stop()
                plain.stop()
                browser.close()
    report["load_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(exist_ok=True)
    stem = "weaklink" + (f"-{args.label}" if args.label else "")
    (RESULTS / f"{stem}.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    (RESULTS / f"{stem}.md").write_text(markdown(report), encoding="utf-8")
    say(f"-> {RESULTS / stem}.json and .md")
    return report


def markdown(report: dict[str, Any]) -> str:
    rows = [
        f"# Weak link ({report['label']}): 1 Mbit/s down, 64 kB/s up, 300 ms",
        "",
        f"Load average before / after: {report['load_before']} / {report.get('load_after')}"
        " (2 shared cores: times are noisy; bytes and model counts are firm).",
        "",
        "| page | HTTP cold | ws in / out before first choice | models | usable cold | usable"
        " warm | kernel MiB |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    pages = dict(report["apps"])
    if "plain_voila_slider" in report:
        pages["plain voila, one slider"] = report["plain_voila_slider"]
    for name, result in pages.items():
        c, warm = result["cold"], result["warm"]
        rows.append(
            f"| {name} | {c['http_bytes'] / 1e3:.0f} KB | {c['ws_in'] / 1e3:.0f} KB /"
            f" {c['ws_out'] / 1e3:.0f} KB | {c['models']} | {c['usable_s']} s |"
            f" {warm['usable_s']} s | {result['kernel_mib']} |"
        )
    return "\n".join(rows) + "\n"


if __name__ == "__main__":
    main()
