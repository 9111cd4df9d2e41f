"""``shegong hub``: prepare the machine, then run JupyterHub until Ctrl+C (or SIGTERM).

``HubRun.prepare`` does the idempotent set-up (PostgreSQL, accounts, content, config);
``start`` launches ``jupyterhub`` in its own session and waits for ``/hub/health``;
``stop`` ends it (the hub stops the proxy, the user servers and the services) and then ends
any process still running as one of the platform's accounts (a Voila kernel left behind, a
server that ignored SIGTERM), and the proxy if it outlived the hub.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from shegong.hub import HubError
from shegong.hub.accounts import (
    Account,
    check_roster_names,
    ensure_accounts,
    lookup_account,
    plan_accounts,
    supervising_agencies,
    write_passwords,
)
from shegong.hub.content import (
    close_workspace,
    prepare_apps_home,
    prepare_courses,
    prepare_people,
)
from shegong.hub.database import (
    HUB_DB,
    RECORDS_DB,
    SOCKET_DIR,
    ensure_cluster,
    ensure_database,
    platform_databases,
)
from shegong.hub.hubconfig import EXCHANGE, HubPlan, Ports, write_config
from shegong.hub.preflight import check_machine
from shegong.hub.runtime import runtime_python
from shegong.messages import bilingual
from shegong.paths import Workspace
from shegong.records.roster import Member, load_roster

Say = Callable[[str], None]


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def pick_ports(courses: Iterable[str], public: int = 0, host: str = "127.0.0.1") -> Ports:
    """Free ports at start (a fixed one may be taken; the hub exits if a service is not up)."""
    return Ports(
        public=public or free_port(host),
        api=free_port(),
        hub=free_port(),
        apps=free_port(),
        courses={course: free_port() for course in courses},
    )


def processes_of(uids: set[int]) -> list[int]:
    """Pids of the processes whose real uid is one of ``uids`` (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("Uid:") and int(line.split()[1]) in uids:
                found.append(int(entry.name))
                break
    return found


def end_processes(pids: Iterable[int], grace_s: float = 10.0) -> int:
    """SIGTERM, then SIGKILL what is left after ``grace_s``; returns how many there were."""
    pids = list(pids)
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    alive = pids
    while alive and time.monotonic() < deadline:
        time.sleep(0.2)
        alive = [pid for pid in alive if _alive(pid)]
    for pid in alive:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    return len(pids)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a zombie child of ours counts as gone
        return os.waitpid(pid, os.WNOHANG) == (0, 0)
    except ChildProcessError:
        return Path(f"/proc/{pid}").exists() and "zombie" not in _state(pid)
    return True


def _state(pid: int) -> str:
    try:
        return (Path(f"/proc/{pid}") / "status").read_text().split("State:")[1].split("\n")[0]
    except (OSError, IndexError):
        return "zombie"


@dataclass
class HubRun:
    """One run of the platform on this machine (the CLI's and the tests' entry)."""

    workspace: Workspace
    host: str = "127.0.0.1"
    port: int = 0
    exchange: Path = EXCHANGE
    say: Say = print
    members: list[Member] = field(default_factory=list)
    accounts: list[Account] = field(default_factory=list)
    plan: HubPlan | None = None
    process: subprocess.Popen[bytes] | None = None

    @property
    def folder(self) -> Path:
        return self.workspace.root / "hub"

    @property
    def log_path(self) -> Path:
        return self.folder / "jupyterhub.log"

    @property
    def url(self) -> str:
        assert self.plan is not None
        return f"http://{self.host}:{self.plan.ports.public}"

    def prepare(self) -> HubPlan:
        self.say(bilingual("hub.step.preflight", sep=" / "))
        check_machine()
        self.members = load_roster(self.workspace.root)
        check_roster_names(self.members)
        self.accounts = plan_accounts(self.members)
        courses = supervising_agencies(self.members)
        cluster = ensure_cluster()
        self.say(
            bilingual("hub.step.database", sep=" / ", cluster=cluster.label, socket=SOCKET_DIR)
        )
        result = ensure_accounts(self.accounts)
        people = len(self.members)
        self.say(
            bilingual(
                "hub.step.accounts",
                sep=" / ",
                people=people,
                created=len(result.created),
                existing=len(result.existing),
            )
        )
        self.folder.mkdir(parents=True, exist_ok=True)
        if result.passwords:
            path = write_passwords(self.folder / "initial-passwords.tsv", result.passwords)
            self.say(bilingual("hub.step.passwords", sep=" / ", path=path))
        urls = {}
        for db in platform_databases(courses):
            ensure_database(cluster, db)
            urls[db.name] = db.url(cluster)
        apps_home = prepare_apps_home(self.workspace, self.members)
        trainees = prepare_people(self.workspace, self.members)
        prepare_courses(courses, self.exchange)
        close_workspace(self.workspace)
        self.say(bilingual("hub.step.content", sep=" / ", trainees=trainees, courses=len(courses)))
        python = runtime_python()
        self.plan = HubPlan(
            folder=self.folder,
            members=self.members,
            courses=courses,
            ports=pick_ports(courses, self.port, self.host),
            db_url=urls[HUB_DB],
            records_url=urls[RECORDS_DB],
            apps_home=apps_home,
            gradebook_urls={c: urls[f"gradebook_{c.replace('-', '_')}"] for c in courses},
            host=self.host,
            exchange=self.exchange,
            python=python,
        )
        path = write_config(self.plan)
        self.say(bilingual("hub.step.config", sep=" / ", path=path))
        return self.plan

    def start(self, ready_s: float = 300.0) -> None:
        plan = self.plan or self.prepare()
        self.say(bilingual("hub.step.starting", sep=" / ", host=self.host, port=plan.ports.public))
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "shegong.hub.app", "-f", str(plan.config_file)],
            cwd=self.folder,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + ready_s
        health = f"http://127.0.0.1:{plan.ports.public}/hub/health"
        while time.monotonic() < deadline:
            code = self.process.poll()
            if code is not None:
                self.stop()
                raise HubError("error.hub_failed", code=code, log=self.log_path)
            try:
                with urllib.request.urlopen(health, timeout=5) as response:
                    if response.status == 200:
                        self.say(
                            bilingual(
                                "hub.step.ready", sep=" / ", host=self.host, port=plan.ports.public
                            )
                        )
                        return
            except OSError:
                pass
            time.sleep(0.5)
        self.stop()
        raise HubError("error.hub_not_ready", seconds=int(ready_s), log=self.log_path)

    def stop(self, grace_s: float = 30.0) -> int:
        """Stop the hub and everything it started; returns how many leftovers were ended."""
        self.say(bilingual("hub.step.stopping", sep=" / "))
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(grace_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        uids = {e.pw_uid for a in self.accounts if (e := lookup_account(a.name)) is not None}
        leftovers = processes_of(uids)
        proxy_pid = self.folder / "jupyterhub-proxy.pid"
        if proxy_pid.is_file():
            pid = int(proxy_pid.read_text().strip() or 0)
            if pid and _alive(pid):
                leftovers.append(pid)
        count = end_processes(leftovers)
        self.say(bilingual("hub.step.stopped", sep=" / ", count=count))
        return count

    def wait(self) -> int:
        """Block until the hub exits or a SIGINT/SIGTERM arrives; then stop everything."""
        assert self.process is not None
        stop = {"asked": False}

        def asked(_signum: int, _frame: object) -> None:
            stop["asked"] = True

        previous = {s: signal.signal(s, asked) for s in (signal.SIGINT, signal.SIGTERM)}
        try:
            while not stop["asked"] and self.process.poll() is None:
                time.sleep(0.5)
        finally:
            code = self.process.poll()
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        return 0 if code is None else code


def run_hub(home: Path, host: str, port: int, start: bool = True, say: Say = print) -> int:
    """The command: prepare, start, wait for Ctrl+C, stop."""
    run = HubRun(Workspace(home).ensure(), host=host, port=port, say=say)
    run.prepare()
    if not start:
        say(bilingual("hub.step.prepared", sep=" / "))
        return 0
    run.start()
    return run.wait()
