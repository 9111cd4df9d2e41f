"""A throwaway PostgreSQL server for the records-store tests.

``PostgresServer`` runs ``initdb`` and ``pg_ctl`` from Debian's ``postgresql`` package
(``/usr/lib/postgresql/<version>/bin``) on a temporary folder: listening on 127.0.0.1 only, on
a free port, with its socket in that folder and password (scram-sha-256) login over TCP. As
root it runs the server as the ``postgres`` system user (PostgreSQL refuses to run as root).
Missing binaries are an error naming ``make system-deps``, never a skip.
"""

from __future__ import annotations

import os
import pwd
import re
import secrets
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

USER = "shegong"
START_DEADLINE_S = 60.0


class PostgresMissing(RuntimeError):
    """The PostgreSQL server binaries are not installed."""


def find_bin_dir(root: Path = Path("/usr/lib/postgresql")) -> Path:
    """The ``bin`` folder of the newest installed PostgreSQL that has initdb and pg_ctl."""
    found = [
        d / "bin"
        for d in root.glob("*")
        if (d / "bin" / "initdb").is_file() and (d / "bin" / "pg_ctl").is_file()
    ]
    if not found:
        raise PostgresMissing(
            f"PostgreSQL server binaries (initdb, pg_ctl) not found under {root}/*/bin; "
            "install them with `make system-deps` (tools/system-deps.sh, Debian package "
            "postgresql)"
        )
    return max(found, key=lambda p: [int(n) for n in re.findall(r"\d+", p.parent.name)] or [0])


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One PostgreSQL cluster in a temporary folder; ``start()``, ``url(db)``, ``stop()``."""

    def __init__(self) -> None:
        self.bin = find_bin_dir()
        self.password = secrets.token_urlsafe(16)
        self.port = 0
        self.folder = Path(tempfile.mkdtemp(prefix="shegong-pg-"))
        self.data = self.folder / "data"
        self.log = self.folder / "server.log"
        self._as: list[str] = []
        self._started = False
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")  # created by Debian's postgresql package
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
            self._as = ["runuser", "-u", "postgres", "--"]

    @property
    def version(self) -> str:
        return self._run("postgres", "--version").stdout.strip()

    def _run(self, tool: str, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self._as, str(self.bin / tool), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            check=check,
            timeout=START_DEADLINE_S,
        )

    def start(self) -> PostgresServer:
        pwfile = self.folder / "pwfile"
        pwfile.write_text(self.password + "\n", encoding="utf-8")
        if self._as:
            owner = pwd.getpwnam("postgres")
            os.chown(pwfile, owner.pw_uid, owner.pw_gid)
        self._run(
            "initdb", "-D", str(self.data), "-U", USER, f"--pwfile={pwfile}",
            "--auth-local=trust", "--auth-host=scram-sha-256",
            "--encoding=UTF8", "--locale=C", "--no-sync",
        )  # fmt: skip
        pwfile.unlink()
        for _attempt in range(3):  # another process may take the free port first
            self.port = _free_port()
            options = (
                f"-c listen_addresses=127.0.0.1 -c port={self.port} "
                f"-c unix_socket_directories={self.folder} -c fsync=off"
            )
            started = self._run(
                "pg_ctl", "start", "-D", str(self.data), "-l", str(self.log),
                "-o", options, "-w", "-t", str(int(START_DEADLINE_S)), check=False,
            )  # fmt: skip
            if started.returncode == 0:
                self._started = True
                self._wait_ready()
                return self
        raise RuntimeError(f"PostgreSQL did not start:\n{self.log.read_text(errors='replace')}")

    def _wait_ready(self) -> None:
        """Poll ``pg_isready`` until the server accepts connections, up to a deadline."""
        deadline = time.monotonic() + START_DEADLINE_S
        while True:
            ready = self._run("pg_isready", "-h", "127.0.0.1", "-p", str(self.port), check=False)
            if ready.returncode == 0:
                return
            if time.monotonic() > deadline:
                raise RuntimeError(f"PostgreSQL not ready: {ready.stdout}{ready.stderr}")
            time.sleep(0.05)

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user=USER,
            password=self.password,
            dbname="postgres",
            autocommit=True,
        )

    def create_database(self, name: str) -> str:
        """A new, empty UTF-8 database; its SQLAlchemy URL (psycopg 3 driver)."""
        with self._admin() as connection:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url(name)

    def drop_database(self, name: str) -> None:
        with self._admin() as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )

    def url(self, database: str, password: str | None = None) -> str:
        secret = self.password if password is None else password
        return f"postgresql+psycopg://{USER}:{secret}@127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        try:
            if self._started:
                self._run("pg_ctl", "stop", "-D", str(self.data), "-m", "fast", "-w")
        finally:
            self._started = False
            shutil.rmtree(self.folder, ignore_errors=True)
