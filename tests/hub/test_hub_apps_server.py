"""The apps' Voila answers only its own Unix account (the uid check on each connection)."""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from shegong.hub.apps_server import own_uid_server_class, peer_uid, proc_address

# what another account runs: connect, send a request, print what came back (b'' = closed)
CLIENT = """
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1]))) as conn:
    try:
        conn.sendall(b"GET / HTTP/1.1\\r\\nHost: x\\r\\nConnection: close\\r\\n\\r\\n")
        answer = b""
        while chunk := conn.recv(65536):
            answer += chunk
    except (ConnectionResetError, BrokenPipeError):
        answer = b""
print(repr(answer[:40]))
"""


def test_addresses_are_written_as_proc_net_tcp_writes_them() -> None:
    family, text = proc_address("127.0.0.1", 8866)
    assert family == socket.AF_INET
    # the kernel prints the address as one 32-bit number in this machine's byte order
    assert text == ("0100007F" if sys.byteorder == "little" else "7F000001") + ":22A2"
    family6, text6 = proc_address("::1", 80)
    assert family6 == socket.AF_INET6 and text6.endswith(":0050") and len(text6) == 37


def test_the_client_end_of_a_loopback_connection_names_its_uid() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()
        with socket.create_connection(server.getsockname()) as client:
            accepted, address = server.accept()
            with accepted:
                assert peer_uid(address, accepted.getsockname()) == os.getuid()
                # another connection's ports are not this one
                assert peer_uid((address[0], 1), accepted.getsockname()) is None
            assert client.getsockname() == address


def test_a_row_of_another_uid_is_read_as_that_uid(tmp_path: Path) -> None:
    _, client = proc_address("127.0.0.1", 40000)
    _, server = proc_address("127.0.0.1", 8866)
    table = tmp_path / "tcp"
    table.write_text(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid\n"
        f"   0: {client} {server} 01 00000000:00000000 00:00000000 00000000  1001 0 1 1\n",
        encoding="ascii",
    )
    tables = {socket.AF_INET: table}
    assert peer_uid(("127.0.0.1", 40000), ("127.0.0.1", 8866), tables) == 1001
    assert peer_uid(("127.0.0.2", 40000), ("127.0.0.1", 8866), tables) is None  # other address
    assert peer_uid(("127.0.0.1", 40000), ("127.0.0.1", 8866), {}) is None  # fail closed


@pytest.fixture
def gated_server() -> Iterator[int]:
    """A tornado app answering ``hello`` behind the uid check, on a loopback port."""
    import tornado.netutil
    import tornado.web

    class Hello(tornado.web.RequestHandler):
        def get(self) -> None:
            self.write("hello")

    sockets = tornado.netutil.bind_sockets(0, "127.0.0.1")
    port = sockets[0].getsockname()[1]
    loop = asyncio.new_event_loop()
    ready = threading.Event()

    def serve() -> None:
        asyncio.set_event_loop(loop)
        server = own_uid_server_class()(tornado.web.Application([("/", Hello)]))
        server.add_sockets(sockets)
        loop.call_soon(ready.set)
        loop.run_forever()
        server.stop()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    ready.wait()
    try:
        yield port
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def test_the_gate_answers_its_own_uid(gated_server: int) -> None:
    with urllib.request.urlopen(f"http://127.0.0.1:{gated_server}/") as answer:
        assert answer.read() == b"hello"


def test_the_gate_closes_another_accounts_connection_unanswered(gated_server: int) -> None:
    if os.geteuid() != 0:
        pytest.skip("needs root, to run the client as another account (nobody)")
    python = "/usr/bin/python3"
    if not Path(python).exists():
        pytest.skip(f"{python} is missing")
    done = subprocess.run(
        [python, "-c", CLIENT, str(gated_server)],
        user="nobody",
        capture_output=True,
        text=True,
        check=True,
        cwd="/",
    )
    assert done.stdout.strip() == "b''"
    # and the server still answers its own account afterwards
    with urllib.request.urlopen(f"http://127.0.0.1:{gated_server}/") as answer:
        assert answer.read() == b"hello"
