"""The apps service's Voila on the hub: it answers only its own Unix account.

jhsingle-native-proxy (the service's front, on the port the hub's proxy reaches) signs each
visitor in through hub OAuth and forwards who they are in a header; the Voila behind it
trusts that header (``VoilaConfiguration.http_header_envs``). Voila listens on loopback,
which every local account shares, so a trainee's own process could otherwise connect to
Voila's port directly and send the header itself. Neither tornado nor jhsingle can use a
Unix socket there, and iptables' owner match needs root rules outside the platform, so the
check is done where the connection arrives: on every accepted connection Voila looks up the
other end's socket in ``/proc/net/tcp`` (local address = the client's, remote = ours) and
keeps the connection only when that socket belongs to its own uid (``shegong-apps``, the
account jhsingle runs as). Any other connection is closed before a byte is read, so no page,
kernel id or websocket is ever served to it.

The kernels use the ipc transport: their channels' sockets are files beside the connection
files, in the folder Voila makes with ``mkdtemp`` (mode 0700) under the account's own 0700
runtime folder, so no other account can reach them (with TCP, anyone could subscribe to a
kernel's output). What a kernel still binds on TCP is ipykernel's pipe for its subprocesses'
output: a ZeroMQ PULL socket that never sends and drops any message without the kernel's
random 16-byte key (``ipykernel.iostream.IOPubThread``; not configurable).

``python -m shegong.hub.apps_server ROOT --host H --port P --config-json JSON``: as
``python -m shegong.voila_config``, with the gate.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import socket
import struct
from collections.abc import Sequence
from pathlib import Path
from typing import Any

TCP_TABLES = {socket.AF_INET: Path("/proc/net/tcp"), socket.AF_INET6: Path("/proc/net/tcp6")}
LOG = logging.getLogger("shegong.hub.apps_server")


def proc_address(host: str, port: int) -> tuple[socket.AddressFamily, str]:
    """How ``/proc/net/tcp[6]`` writes an address: 32-bit words in host order, hex."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    packed = socket.inet_pton(family, host)
    words = struct.unpack(f"={len(packed) // 4}I", packed)
    return family, "".join(f"{word:08X}" for word in words) + f":{port:04X}"


def peer_uid(
    peer: tuple[str, int], local: tuple[str, int], tables: dict[Any, Path] | None = None
) -> int | None:
    """The uid owning the client's end of a TCP connection made on this machine, or None
    (not found: the connection came from elsewhere, or is already gone)."""
    family, client = proc_address(peer[0], int(peer[1]))
    _, server = proc_address(local[0], int(local[1]))
    table = (tables or TCP_TABLES).get(family)
    if table is None:
        return None
    try:
        rows = table.read_text(encoding="ascii").splitlines()[1:]
    except OSError:
        return None
    for row in rows:
        fields = row.split()
        # sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
        if len(fields) > 7 and fields[1] == client and fields[2] == server:
            return int(fields[7])
    return None


def own_uid_server_class() -> Any:
    """A tornado ``HTTPServer`` that closes every connection not made by its own uid."""
    from tornado.httpserver import HTTPServer

    class OwnUidHTTPServer(HTTPServer):
        def handle_stream(self, stream: Any, address: Any) -> None:
            try:
                local = stream.socket.getsockname()
                uid = peer_uid((address[0], address[1]), (local[0], local[1]))
            except (OSError, ValueError):
                uid = None
            if uid != os.getuid():
                LOG.warning("refused a connection from %s (uid %s)", address, uid)
                stream.close()
                return
            super().handle_stream(stream, address)

    return OwnUidHTTPServer


def gated_app_class() -> Any:
    """``ShegongVoila`` whose listening socket is behind the uid check."""
    from shegong.voila_config import _make_app_class

    server_class = own_uid_server_class()

    class HubAppsVoila(_make_app_class()):  # type: ignore[misc]
        def listen(self) -> None:
            app = self.app

            def gated_listen(port: int, address: str = "", **kwargs: Any) -> Any:
                server = server_class(app, **kwargs)
                server.listen(port, address)
                return server

            app.listen = gated_listen
            super().listen()

    return HubAppsVoila


def main(argv: Sequence[str] | None = None) -> None:
    from traitlets.config import Config

    from shegong.voila_config import guard_host

    parser = argparse.ArgumentParser(prog="shegong.hub.apps_server")
    parser.add_argument("root")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--config-json", default="{}")
    args = parser.parse_args(argv)
    guard_host(args.host, os.environ)
    gated_app_class().launch_instance(
        argv=[
            args.root,
            "--no-browser",
            f"--Voila.ip={args.host}",
            f"--port={args.port}",
            "--Voila.port_retries=0",
        ],
        config=Config(json.loads(args.config_json)),
    )


if __name__ == "__main__":
    main()
