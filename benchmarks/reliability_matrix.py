"""The fault matrix of issue 7 as a Markdown table: every write of `sync` × every fault.

Runs tests/reliability/test_fault_matrix.py with ALEGRA_SYNC_MATRIX_OUT set and prints the
table it writes (write point, fault, runs needed, exit codes, duplicates, lost periods):

    python benchmarks/reliability_matrix.py [extra pytest arguments]

Exits with pytest's exit code, so a failing scenario fails the script too.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEST = "tests/reliability/test_fault_matrix.py"


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory(prefix="alegra-sync-matrix-") as folder:
        out = Path(folder) / "matrix.md"
        env = {**os.environ, "ALEGRA_SYNC_MATRIX_OUT": str(out)}
        started = time.monotonic()
        tests = subprocess.run([sys.executable, "-m", "pytest", TEST, "-q", *argv],
                               cwd=ROOT, env=env, capture_output=True, text=True)
        elapsed = time.monotonic() - started
        if tests.returncode != 0:
            sys.stderr.write(tests.stdout[-4000:] + tests.stderr[-2000:])
        if out.exists():
            print(out.read_text(encoding="utf-8"), end="")
            print(f"\n{TEST}: exit {tests.returncode} in {elapsed:.1f} s")
        else:
            print(f"{TEST} wrote no matrix (exit {tests.returncode})", file=sys.stderr)
    return tests.returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
