"""The conversion estimator's calibration study: simulated deployments with known truth.

Usage (from the repository root, with the package installed):

    python benchmarks/calibration_study.py --deployments 100 --workers 2

Writes benchmarks/calibration_results.csv (one row per deployment) and prints the Markdown table that goes
into the methodology appendix: bias, median absolute error and interval coverage of the scalegap estimator,
with the naive estimator (the pilot's value taken as production's) beside it.  Everything is seeded: the same
arguments give the same table.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

from scalegap.calibration import run_study, summarise  # noqa: E402

HERE = Path(__file__).resolve().parent


def markdown_table(results) -> str:
    rows = ["| estimator | deployments | bias | median absolute error | coverage of the 90 % interval |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for summary in summarise(results):
        coverage = "—" if summary.coverage is None else f"{summary.coverage:.0%}"
        rows.append(f"| {summary.estimator} | {summary.deployments} | {summary.bias:+.3f} | "
                    f"{summary.median_absolute_error:.3f} | {coverage} |")
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=100)
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--without-rollout", action="store_true",
                        help="pilot-only clients: no assigned rollout cohort")
    arguments = parser.parse_args()
    began = time.perf_counter()
    rollout = not arguments.without_rollout
    output = arguments.output or HERE / ("calibration_results.csv" if rollout else
                                         "calibration_results_without_rollout.csv")
    results = run_study(range(arguments.deployments), arguments.replicates, arguments.workers, rollout=rollout)
    results.to_csv(output, index=False, float_format="%.6f")
    print(markdown_table(results))
    print(f"\n{len(results)} deployments, {arguments.replicates} bootstrap replicates each, "
          f"{time.perf_counter() - began:.0f} s on {arguments.workers} worker(s); rows in {output}")


if __name__ == "__main__":
    main()
