"""Time sandbox kernel starts: N starts each (until ``kernel_info`` is answered), interleaved.

Two ways, each as root with the uid drop: ``uid`` (the launcher alone, as before issue 9)
and ``namespaces`` (under ``unshare`` with the private file-system view, PID 1 init and the
kill of leftovers before each start, as ``shegong grade autograde`` now starts them).

    python -m benchmarks.kernel_start [--starts 10]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

UID = 63500


def _time_starts(argv: list[str], env: dict[str, str], starts: int) -> list[float]:
    from jupyter_client import KernelManager

    from shegong.grading.rooms import prepare_kernel

    seconds = []
    for _ in range(starts):
        began = time.perf_counter()
        start = prepare_kernel(env, "b")
        km = KernelManager(transport="ipc", ip=start.ip)
        km.kernel_cmd = [*argv, "-f", "{connection_file}", "--log-level=ERROR"]
        km.start_kernel(env=start.env, cwd=str(start.cwd))
        client = km.client()
        client.start_channels()
        client.wait_for_ready(timeout=60)
        seconds.append(time.perf_counter() - began)
        client.stop_channels()
        km.shutdown_kernel(now=True)
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--starts", type=int, default=10)
    args = parser.parse_args()
    from types import SimpleNamespace

    from shegong.grading.jail import ENV_BOX, ENV_BOXES, ENV_HIDE
    from shegong.grading.launch import hidden_paths
    from shegong.grading.sandbox import ROOT_RUNS, kernel_interpreter

    interpreter = kernel_interpreter()
    if not interpreter.namespaces:
        raise SystemExit("needs root and working namespaces (see sandbox.isolation)")
    plain = list(interpreter.argv[interpreter.argv.index("--") + 1 :])
    ROOT_RUNS.mkdir(parents=True, exist_ok=True)
    run = Path(tempfile.mkdtemp(prefix="bench-", dir=ROOT_RUNS))
    workspace = SimpleNamespace(workspace=SimpleNamespace(root=run / "workspace"))
    try:
        run.chmod(0o711)
        (run / "boxes" / "box").mkdir(parents=True, mode=0o711)
        env = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "SHEGONG_SANDBOX_UID": str(UID),
            ENV_BOX: str(run / "boxes" / "box"),
            ENV_BOXES: str(run / "boxes"),
            ENV_HIDE: os.pathsep.join(hidden_paths(workspace)),  # the source tree, as graded
        }
        if interpreter.site:
            env["SHEGONG_SANDBOX_SITE"] = interpreter.site
        ways = {"uid": plain, "namespaces": list(interpreter.argv)}
        times: dict[str, list[float]] = {name: [] for name in ways}
        for _ in range(args.starts):  # interleaved, so load from elsewhere hits both alike
            for name, argv in ways.items():
                times[name] += _time_starts(argv, env, 1)
        found = {
            name: {
                "starts": args.starts,
                "median_s": round(statistics.median(seconds), 3),
                "mean_s": round(statistics.mean(seconds), 3),
                "max_s": round(max(seconds), 3),
            }
            for name, seconds in times.items()
        }
        print(json.dumps(found, indent=1))
    finally:
        shutil.rmtree(run, ignore_errors=True)


if __name__ == "__main__":
    main()
