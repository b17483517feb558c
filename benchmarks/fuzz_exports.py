"""Many more mutated exports than `make test` runs: the property test of tests/test_properties.py at scale.

    .venv/bin/python benchmarks/fuzz_exports.py [--examples 1000]

Prints pytest's summary; every example must read with its row accounting intact or stop with scalegap's own
one-line error, within 20 s.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1000, help="examples per table (default 1000)")
    arguments = parser.parse_args()
    environment = {**os.environ, "SCALEGAP_FUZZ_EXAMPLES": str(arguments.examples)}
    return subprocess.call(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:xdist",
            "-p",
            "no:cacheprovider",
            str(ROOT / "tests" / "test_properties.py"),
        ],
        env=environment,
        cwd=ROOT,
    )


if __name__ == "__main__":
    raise SystemExit(main())
