"""Voila serving: page server time and time until the form is usable, default vs ours.

    python -m benchmarks.voila [--rounds 3] [--app station_evaluation]

One run prepares a workspace, then for each server set-up measures the Chinese page of one
app with 1 and with 10 people opening it at the same moment:

- ``server``: seconds from sending the HTTP request to the last byte of the page (the page
  is complete only when every cell has run, so this includes starting or taking a kernel);
- ``usable``: seconds from navigation start in Chromium until the form's first control is
  on screen (scripts loaded, widgets rendered), requests leaving 127.0.0.1 aborted; with
  10 people, one person uses Chromium while the nine others open the page over HTTP at the
  same moment (see ``usable_round``). A page that never shows its form counts as failed.

Set-ups: ``default`` is plain ``voila`` on the built notebooks (lab template, no preheating,
no compression); ``ours_pool1`` is ``shegong serve apps`` as shipped (one preheated kernel per
Chinese app); ``ours_pool10`` preheats ten kernels of the measured app, what ten people at
once need. Each round runs on a freshly started server that has gone quiet (pools full and
warm), and it is stopped after the round: kernels of pages nobody closes would otherwise pile
up (about 300 MiB each) and the later rounds would measure a machine out of memory.
Results: ``benchmarks/results/voila.json``; the targets are p50 <= 0.3 s and p95 <= 1 s
server time with 10 concurrent people.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import signal
import socket
import statistics
import subprocess
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DEADLINE = 300  # seconds: a bound on waiting for a server or a page, not a measurement
PAGE_DEADLINE = 120  # seconds a person would wait for a form before giving up
QUIET_CPU_PERCENT = 15.0  # all of the server's processes together, per 0.5 s sample
USABLE = {
    "station_evaluation": ".sg-station select",
    "supervision_log": ".sg-trainee select",
    "competency_form": ".sg-trainee select",
    "programme_overview": ".sg-period select",
    # the assignment list, or the page saying what to run when there is nothing to grade
    "rubric_grading": ".sg-assignment select, .sg-grading-empty",
}
TARGETS = {"concurrency": 10, "server_p50": 0.3, "server_p95": 1.0}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = q * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": round(quantile(values, 0.5), 3),
        "p95": round(quantile(values, 0.95), 3),
        "max": round(max(values), 3),
        "mean": round(statistics.fmean(values), 3),
    }


@dataclass
class Server:
    name: str
    command: list[str]
    env: dict[str, str]
    home: Path
    port: int
    pool: int  # preheated kernels of the measured notebook (0: none)
    process: subprocess.Popen[bytes] | None = None

    @property
    def log(self) -> Path:
        return self.home / f"{self.name}.log"

    def url(self, app: str, person: str) -> str:
        return f"http://127.0.0.1:{self.port}/voila/render/zh/{app}.ipynb?user={person}"

    def start(self) -> None:
        with self.log.open("wb") as sink:
            self.process = subprocess.Popen(
                self.command, env=self.env, cwd=self.home, stdout=sink, stderr=subprocess.STDOUT
            )
        self._wait(lambda: _answers(f"http://127.0.0.1:{self.port}/voila/static/voila.js"))
        self.settle()

    def settle(self) -> None:
        """Wait until the server and its kernels are idle again.

        Voila refills a kernel pool a second after a kernel is taken, and a preheated kernel
        is only useful once it has run the app's first cells; Voila logs the first but not
        the second, so this waits until no process of the server uses the CPU.
        """
        import psutil

        from shegong.voila_config import ServeOptions

        if self.process is None:
            return
        # our server refills a pool ``fill_delay`` s after a kernel is taken (Voila: 1 s)
        time.sleep(ServeOptions().fill_delay + 1)
        watched: dict[int, Any] = {}
        calm = 0
        deadline = time.monotonic() + DEADLINE
        while calm < 4:
            root = psutil.Process(self.process.pid)
            for proc in [root, *root.children(recursive=True)]:
                if proc.pid not in watched:
                    try:
                        proc.cpu_percent(None)  # the first reading only sets the baseline
                    except psutil.Error:  # a process that ended meanwhile
                        continue
                    watched[proc.pid] = proc
            time.sleep(0.5)
            busy = 0.0
            for pid, proc in list(watched.items()):
                try:
                    busy += proc.cpu_percent(None)
                except psutil.Error:
                    del watched[pid]
            calm = calm + 1 if busy < QUIET_CPU_PERCENT else 0
            if time.monotonic() > deadline:
                raise SystemExit(f"{self.name}: still busy after {DEADLINE} s")

    def _wait(self, ready: Callable[[], bool]) -> None:
        deadline = time.monotonic() + DEADLINE
        while not ready():
            if self.process is not None and self.process.poll() is not None:
                raise SystemExit(self.log.read_text(errors="replace")[-2000:])
            if time.monotonic() > deadline:
                raise SystemExit(f"{self.name}: not ready after {DEADLINE} s")
            time.sleep(0.2)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=30)

    def kernel_mib(self) -> list[float]:
        import psutil

        if self.process is None:
            return []
        sizes = []
        for child in psutil.Process(self.process.pid).children():
            try:
                if "ipykernel_launcher" in " ".join(child.cmdline()):
                    sizes.append(round(child.memory_info().rss / 2**20, 1))
            except psutil.Error:
                continue
        return sizes


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def timed_get(url: str) -> float:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    start = time.perf_counter()
    with urllib.request.urlopen(request, timeout=DEADLINE) as response:
        response.read()
        if response.status != 200:
            raise SystemExit(f"{url}: HTTP {response.status}")
    return time.perf_counter() - start


def http_round(server: Server, app: str, people: int) -> list[float]:
    """``people`` requests sent at the same moment; each one's server time."""
    times: list[float] = [0.0] * people
    barrier = threading.Barrier(people)

    def one(k: int) -> None:
        barrier.wait()
        times[k] = timed_get(server.url(app, f"E0{k % 3 + 1}"))

    threads = [threading.Thread(target=one, args=(k,)) for k in range(people)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return times


async def _browser_visit(server: Server, app: str, person: str) -> tuple[float | None, list[str]]:
    """One person's tab: seconds until the form's first control shows (None: it never did)."""
    from playwright.async_api import Error as PlaywrightError
    from playwright.async_api import async_playwright

    external: list[str] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = await browser.new_context()

        async def route(r: Any) -> None:
            if r.request.url.startswith("http://127.0.0.1"):
                await r.continue_()
            else:
                external.append(r.request.url)
                await r.abort()

        await context.route("**/*", route)
        page = await context.new_page()
        start = time.perf_counter()
        try:
            await page.goto(server.url(app, person), timeout=DEADLINE * 1000)
            await page.locator(USABLE[app]).first.wait_for(timeout=PAGE_DEADLINE * 1000)
            elapsed: float | None = time.perf_counter() - start
        except PlaywrightError:
            elapsed = None
        await browser.close()
    return elapsed, external


def usable_round(server: Server, app: str, people: int) -> tuple[float | None, list[str]]:
    """One person in Chromium while ``people - 1`` others open the page at the same moment.

    The others load the page over HTTP (that is what costs the server: a kernel each); only
    one browser runs, as each person has their own computer. Running ten Chromium tabs on
    the 2-core machine that also runs the server would measure this machine, not the apps.
    """
    others = [
        threading.Thread(target=timed_get, args=(server.url(app, f"E0{k % 3 + 1}"),))
        for k in range(people - 1)
    ]
    for thread in others:
        thread.start()
    elapsed, external = asyncio.run(_browser_visit(server, app, "e01"))
    for thread in others:
        thread.join()
    return elapsed, external


def measure(server: Server, app: str, rounds: int) -> dict[str, Any]:
    result: dict[str, Any] = {"pool": server.pool}
    for people in (1, 10):
        server_times: list[float] = []
        usable_times: list[float] = []
        external: list[str] = []
        failed = 0
        for _ in range(rounds):
            server.start()
            try:
                result.setdefault("kernel_mib_idle", server.kernel_mib())
                server_times += http_round(server, app, people)
                server.settle()
                elapsed, blocked = usable_round(server, app, people)
            finally:
                server.stop()
            if elapsed is None:
                failed += 1
            else:
                usable_times.append(elapsed)
            external += blocked
        result[str(people)] = {
            "server": summary(server_times),
            "usable": summary(usable_times) if usable_times else None,
            "usable_failed": failed,
            "server_raw": [round(t, 3) for t in server_times],
            "usable_raw": [round(t, 3) for t in usable_times],
            "external_requests_blocked": sorted(set(external)),
        }
        row = result[str(people)]
        usable = row["usable"] or {"p50": float("nan"), "p95": float("nan")}
        print(
            f"{server.name:12s} {people:2d} at once: server p50 {row['server']['p50']:.3f} s"
            f" p95 {row['server']['p95']:.3f} s; usable p50 {usable['p50']:.2f} s"
            f" p95 {usable['p95']:.2f} s ({failed} never usable)",
            flush=True,
        )
    return result


def main(argv: list[str] | None = None) -> dict[str, Any]:
    from shegong.apps import prepare_apps
    from shegong.settings import load as load_settings
    from shegong.voila_config import (
        ServeOptions,
        default_voila_command,
        serving_environment,
        voila_command,
    )

    parser = argparse.ArgumentParser(description="Voila 服务基准 / Voila serving benchmark")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--app", default="station_evaluation", choices=sorted(USABLE))
    args = parser.parse_args(argv)
    notebook = f"zh/{args.app}.ipynb"
    report: dict[str, Any] = {
        "app": args.app,
        "rounds": args.rounds,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version()},
        "targets": TARGETS,
        "setups": {},
    }
    with tempfile.TemporaryDirectory(prefix="shegong-voila-bench-") as tmp:
        home = Path(tmp)
        settings = load_settings({"home": home}, environ={}, cwd=home)
        prepare_apps(settings)
        root = home / "build" / "apps"
        env = {**os.environ, **serving_environment(home)}
        setups = [
            ("default", lambda port: default_voila_command(root, "127.0.0.1", port), 0),
            (
                "ours_pool1",
                lambda port: voila_command(root, "127.0.0.1", port, ServeOptions(pool_size=1)),
                1,
            ),
            (
                "ours_pool10",
                lambda port: voila_command(
                    root, "127.0.0.1", port, ServeOptions(pool_size=0, pool_sizes=((notebook, 10),))
                ),
                10,
            ),
        ]
        for name, command, pool in setups:
            port = free_port()
            server = Server(name, command(port), env, home, port, pool)
            report["setups"][name] = measure(server, args.app, args.rounds)
    ten = report["setups"]["ours_pool10"]["10"]["server"]
    report["meets_targets"] = {
        "ours_pool10": ten["p50"] <= TARGETS["server_p50"] and ten["p95"] <= TARGETS["server_p95"]
    }
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "voila.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(f"-> {out}")
    return report


if __name__ == "__main__":
    main()
