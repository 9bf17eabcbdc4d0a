"""The reliability tables as Markdown: the fault matrix (every write of `sync` × every fault)
and the racing homes (two and three homes syncing one company at the same moment).

Runs tests/reliability/test_fault_matrix.py with ALEGRA_SYNC_MATRIX_OUT set and
tests/reliability/test_two_homes.py with ALEGRA_SYNC_RACE_OUT set, and prints the tables they
write (write point, fault, runs needed, exit codes, duplicates, lost periods; homes, latency,
stagger, first exits, runs to settle, copies removed, duplicates, lost periods):

    python benchmarks/reliability_matrix.py [extra pytest arguments]

Exits with the first failing pytest's exit code, so a failing scenario fails the script too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TABLES = [("tests/reliability/test_fault_matrix.py", "ALEGRA_SYNC_MATRIX_OUT"),
          ("tests/reliability/test_two_homes.py", "ALEGRA_SYNC_RACE_OUT")]


def table(test: str, variable: str, argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="alegra-sync-matrix-") as folder:
        out = Path(folder) / "table.md"
        env = {**os.environ, variable: str(out)}
        started = time.monotonic()
        tests = subprocess.run([sys.executable, "-m", "pytest", test, "-q", *argv],
                               cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if tests.returncode != 0:
            sys.stderr.write(tests.stdout[-4000:] + tests.stderr[-2000:])
        if out.exists():
            print(out.read_text(encoding="utf-8"), end="")
            print(f"\n{test}: exit {tests.returncode} in {elapsed:.1f} s\n")
        else:
            print(f"{test} wrote no table (exit {tests.returncode})", file=sys.stderr)
    return tests.returncode


def main(argv: list[str]) -> int:
    codes = [table(test, variable, argv) for test, variable in TABLES]
    return next((code for code in codes if code), 0)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
