"""PostgreSQL for the hub: an existing Debian cluster, its databases and roles.

Every connection is over the cluster's Unix socket with ``peer`` authentication (Debian's
``pg_hba.conf`` default for ``local``): PostgreSQL takes the connecting process's Unix
account as the role, so no password exists anywhere. Each database is owned by the one role
that uses it, and ``CONNECT`` is revoked from ``PUBLIC``:

- ``jupyterhub``: the hub's own state, role ``root`` (the hub runs as root);
- ``shegong_records``: the records store, role ``shegong-apps`` only (the apps service);
- ``gradebook_<agency>``: an nbgrader course's gradebook, role ``grader-<agency>``.

A trainee's processes run as the trainee, who has no role: the server refuses them.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from shegong.hub import HubError
from shegong.hub.accounts import APPS_ACCOUNT, Runner, run_command

SOCKET_DIR = "/var/run/postgresql"
HUB_DB, HUB_ROLE = "jupyterhub", "root"
RECORDS_DB = "shegong_records"


@dataclass(frozen=True)
class Cluster:
    version: str
    name: str
    port: int
    online: bool

    @property
    def label(self) -> str:
        return f"{self.version}/{self.name}"


@dataclass(frozen=True)
class Database:
    """A database and the one role (= Unix account) that owns and uses it."""

    name: str
    role: str

    def url(self, cluster: Cluster, driver: str = "postgresql+psycopg") -> str:
        """The SQLAlchemy URL over the Unix socket (peer authentication, no password)."""
        host = quote(SOCKET_DIR, safe="")
        return f"{driver}://{self.role}@/{self.name}?host={host}&port={cluster.port}"


def gradebook_database(agency: str) -> Database:
    return Database(f"gradebook_{agency.replace('-', '_')}", f"grader-{agency}")


def parse_clusters(listing: str) -> list[Cluster]:
    """``pg_lsclusters --no-header`` lines: version, name, port, status, ..."""
    clusters = []
    for line in listing.splitlines():
        fields = line.split()
        if len(fields) >= 4 and fields[2].isdigit():
            clusters.append(Cluster(fields[0], fields[1], int(fields[2]), fields[3] == "online"))
    return clusters


def ensure_cluster(run: Runner = run_command, wait_s: float = 30.0) -> Cluster:
    """The first cluster, started if it is down."""
    clusters = parse_clusters(run(["pg_lsclusters", "--no-header"], None))
    if not clusters:
        raise HubError("error.hub_no_cluster")
    cluster = clusters[0]
    if cluster.online:
        return cluster
    try:
        run(["pg_ctlcluster", cluster.version, cluster.name, "start"], None)
    except HubError as error:
        raise HubError("error.hub_cluster_start", cluster=cluster.label, detail=error) from None
    deadline = time.monotonic() + wait_s
    while time.monotonic() < deadline:  # pg_ctlcluster returns once the server accepts
        if any(c.online for c in parse_clusters(run(["pg_lsclusters", "--no-header"], None))):
            return Cluster(cluster.version, cluster.name, cluster.port, True)
        time.sleep(0.5)
    raise HubError("error.hub_cluster_start", cluster=cluster.label, detail="not online")


def _ident(name: str) -> str:
    """A quoted SQL identifier (names were checked as Unix account names before)."""
    return '"' + name.replace('"', '""') + '"'


def psql(cluster: Cluster, sql: str, run: Runner = run_command, database: str = "postgres") -> str:
    """Run SQL as the ``postgres`` superuser over the socket; returns unaligned output."""
    command = ["runuser", "-u", "postgres", "--", "psql", "-X", "-q", "-A", "-t"]
    command += ["-v", "ON_ERROR_STOP=1", "-h", SOCKET_DIR, "-p", str(cluster.port)]
    command += ["-d", database, "-c", sql]
    return run(command, None)


def ensure_database(cluster: Cluster, db: Database, run: Runner = run_command) -> bool:
    """Create the role and the database if missing; only the role may connect. True if new."""
    literal = db.role.replace("'", "''")
    if not psql(cluster, f"SELECT 1 FROM pg_roles WHERE rolname = '{literal}'", run).strip():
        psql(cluster, f"CREATE ROLE {_ident(db.role)} LOGIN", run)
    name = db.name.replace("'", "''")
    new = not psql(cluster, f"SELECT 1 FROM pg_database WHERE datname = '{name}'", run).strip()
    if new:
        psql(cluster, f"CREATE DATABASE {_ident(db.name)} OWNER {_ident(db.role)}", run)
    psql(cluster, f"REVOKE ALL ON DATABASE {_ident(db.name)} FROM PUBLIC", run)
    psql(cluster, f"GRANT ALL ON DATABASE {_ident(db.name)} TO {_ident(db.role)}", run)
    return new


def platform_databases(agencies: Iterable[str]) -> list[Database]:
    """The hub's, the records' and one gradebook per course."""
    return [
        Database(HUB_DB, HUB_ROLE),
        Database(RECORDS_DB, APPS_ACCOUNT),
        *(gradebook_database(a) for a in agencies),
    ]
