"""Stop early, in both languages, when the Python running `make` is too old."""

import sys

if sys.version_info < (3, 11):
    sys.exit(
        f"需要 Python 3.11 或更高版本，当前为 {sys.version.split()[0]}。"
        f"\nPython 3.11 or newer is needed; this is {sys.version.split()[0]}."
    )
