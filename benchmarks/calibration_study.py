"""The conversion estimator's calibration study: deployments of two independent generators with known truth.

Usage (from the repository root, with the package installed):

    python benchmarks/calibration_study.py --deployments 100 --workers 2

runs ``--deployments`` deployments of each generator (``--generators`` to pick), writes
benchmarks/calibration_results.csv (one row per deployment: structure, and truth, estimate and interval of the
conversion rate, its four factors and production adoption) and prints the Markdown tables that go into the
methodology appendix: per generator and structure, the coverage of the 90 % intervals, the median absolute
errors and the rate's median interval width.  ``--from-csv`` prints the tables of an earlier run.  Everything is
seeded: the same arguments give the same tables.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import pandas as pd  # noqa: E402

from scalegap.studies.calibration import GENERATORS, QUANTITIES, STRUCTURE, covered, run_study, structure_table  # noqa: E402

HERE = Path(__file__).resolve().parent
SHORT = {
    "conversion_rate": "rate",
    "adoption_factor": "adoption",
    "effect_factor": "effect",
    "data_mix_factor": "data mix",
    "sustainment_factor": "sustainment",
    "production_adoption": "prod. adoption",
}


def markdown_table(table: pd.DataFrame) -> str:
    names = [SHORT[q] for q in QUANTITIES]
    header = [
        "generator",
        "structure",
        "n",
        *[f"{n} cov / MAE" for n in names],
        "rate width",
        "rate bias",
        "rate floor",
    ]
    rows = ["| " + " | ".join(header) + " |", "| --- | --- | " + " | ".join(["---:"] * (len(header) - 2)) + " |"]
    for _, row in table.iterrows():
        cells = [row["generator"], row["structure"], f"{row['estimated']}/{row['deployments']}"]
        cells += [f"{row[f'{q} coverage']:.0%} / {row[f'{q} MAE']:.3f}" for q in QUANTITIES]
        cells += [f"{row['conversion_rate median width']:.3f}", f"{row['conversion_rate bias']:+.3f}"]
        floor = row["assigned sampling floor"]
        cells.append("" if pd.isna(floor) else f"{floor:.3f}")
        rows.append("| " + " | ".join(cells) + " |")
    return "\n".join(rows)


def report(results: pd.DataFrame) -> str:
    tables = [markdown_table(structure_table(results, "all"))]
    tables += [markdown_table(structure_table(results, by)) for by in STRUCTURE]
    return "\n\n".join(tables)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deployments", type=int, default=100, help="deployments per generator")
    parser.add_argument("--generators", nargs="+", choices=GENERATORS, default=list(GENERATORS))
    parser.add_argument("--replicates", type=int, default=200)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--output", type=Path, default=HERE / "calibration_results.csv")
    parser.add_argument("--from-csv", type=Path, default=None, help="print the tables of an earlier run")
    arguments = parser.parse_args()
    if arguments.from_csv:
        print(report(covered(pd.read_csv(arguments.from_csv, keep_default_na=False, na_values=[""]))))
        return
    began = time.perf_counter()
    results = pd.concat(
        [
            run_study(range(arguments.deployments), arguments.replicates, arguments.workers, generator=generator)
            for generator in arguments.generators
        ],
        ignore_index=True,
    )
    results.to_csv(arguments.output, index=False, float_format="%.6f")
    print(report(results))
    failed = results[results["error"].astype(str) != ""]
    for _, row in failed.iterrows():
        print(f"- {row['generator']} {row['deployment']}: {row['error']}")
    print(
        f"\n{len(results)} deployments, {arguments.replicates} bootstrap replicates each, "
        f"{time.perf_counter() - began:.0f} s on {arguments.workers} worker(s); rows in {arguments.output}"
    )


if __name__ == "__main__":
    main()
