"""``shegong records verify``: check the audit trail's hash chain (``chain.py``).

Exit code 0 when every row fits the chain, 2 when a row was changed, removed or inserted
(the message names the first such row), as every bad outcome of the console script.
"""

from __future__ import annotations

import argparse
from typing import Any

from shegong.messages import bilingual, label
from shegong.settings import Settings

from .store import RecordsStore


def _verify(args: argparse.Namespace, settings: Settings) -> int:
    store = RecordsStore(args.url) if args.url else RecordsStore.for_settings(settings)
    with store:
        result = store.verify_audit()
        where = store.safe_url
    if result.ok:
        print(bilingual("records.verify.ok", rows=result.rows, url=where, hash=result.last_hash))
        return 0
    print(bilingual("records.verify.broken", row=result.first_bad, url=where))
    return 2


def add_records_parser(sub: Any, common: Any) -> None:
    """Add ``shegong records verify`` to the main parser's subparsers."""
    records = sub.add_parser("records", help=label("records.cli.records"))
    commands = records.add_subparsers(dest="records_command", required=True)
    p = commands.add_parser("verify", help=label("records.cli.verify"))
    common(p)
    p.add_argument("--url", help=label("records.cli.url"))
    p.set_defaults(handler=_verify)
