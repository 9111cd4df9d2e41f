"""Fixtures of the records tests: a real PostgreSQL server, one fresh database per test."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from postgres_server import PostgresMissing, PostgresServer

_databases = itertools.count(1)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A throwaway PostgreSQL cluster on 127.0.0.1; fails (never skips) if not installed."""
    try:
        server = PostgresServer()
    except PostgresMissing as missing:
        pytest.fail(str(missing), pytrace=False)
    try:
        yield server.start()
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> Iterator[str]:
    """The URL (with password) of a new, empty database on the test server."""
    name = f"records_{next(_databases)}"
    url = postgres_server.create_database(name)
    yield url
    postgres_server.drop_database(name)
