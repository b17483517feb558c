"""`scalegap run` against the pipeline a user would otherwise write by hand, on the demo client.

The baseline, B, is the hand-rolled pipeline on the same prepared data: the ``papermill`` command line on each
chapter notebook, one after another, then ``jupyter-book build`` of the same book source. It has no memory of
earlier runs, so every scenario costs it the same.

A, ``scalegap run``, is timed in six scenarios, each against the state the previous run left:

* ``cold``: no earlier build;
* ``unchanged``: a re-run with nothing changed;
* ``note``: a re-run after editing a note in ``notes/``;
* ``chapter``: a re-run after editing one chapter notebook (a copy of scalegap's assets, ``SCALEGAP_HOME``);
* ``setting``: a re-run after changing one ``conversion.*`` setting;
* ``export``: a re-run after changing the governance checklist, an export only some chapters read.

Each run is a fresh process. The script runs in rounds: in each, A once in every scenario, in the order above (a
consultant's session: a cold build, then re-runs), then B once. B has no memory of earlier runs, so its run is
every scenario's baseline for that round; A and B alternate round by round. ``--baseline-each`` runs B after
every run of A instead (six times as long). The script prints, per scenario, the median wall seconds and
user+sys CPU seconds of A and of B, and the ratio A/B of the medians. The machine is shared and noisy: read the
ratios. Usage::

    python benchmarks/bench_run.py                    # 5 rounds: about 20 minutes on 2 cores
    python benchmarks/bench_run.py --runs 1 --scenarios cold unchanged note
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = ("cold", "unchanged", "note", "chapter", "setting", "export")
EDITED_CHAPTER = "60_governance.ipynb"


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float


def timed(command: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> Timing:
    """Run ``command`` to its end; its wall seconds and its (and its children's) user + sys CPU seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Timing(wall, cpu)


def scalegap(*arguments: str) -> list[str]:
    return [sys.executable, "-m", "scalegap", *arguments]


class Bench:
    """The demo client, a copy of scalegap's assets to edit, and the baseline's book folder."""

    def __init__(self, root: Path) -> None:
        from scalegap.resources import project_home

        self.root = root
        self.client = root / "client"
        self.home = root / "home"
        shutil.copytree(project_home(), self.home)
        self.env = {**os.environ, "SCALEGAP_HOME": str(self.home)}
        self.counter = 0

    def create_client(self) -> None:
        from scalegap.demo import create_demo_client

        create_demo_client(self.client, None)

    # --- A: scalegap run, after the change its scenario names ---------------------------------------------

    def prepare_scenario(self, scenario: str) -> list[str]:
        """Make the scenario's change; the command that runs A for it."""
        self.counter += 1
        if scenario == "cold":
            for old in self.client.glob("_build*"):
                shutil.rmtree(old)
        elif scenario == "note":
            note = self.client / "notes" / "90_bench.md"
            note.write_text(f"# Benchmark note\n\nEdit number {self.counter}.\n", encoding="utf-8")
        elif scenario == "chapter":
            notebook = self.home / "notebooks" / EDITED_CHAPTER
            document = json.loads(notebook.read_text(encoding="utf-8"))
            document["metadata"]["bench_edit"] = self.counter  # the notebook's bytes change, its cells do not
            notebook.write_text(json.dumps(document, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        elif scenario == "export":
            checklist = self.client / "exports" / "governance_checklist.yml"
            checklist.write_text(checklist.read_text(encoding="utf-8") + f"\n# edit {self.counter}\n", "utf-8")
        command = scalegap("run", str(self.client))
        if scenario == "setting":
            command += ["--set", f"conversion.loaded_hourly_cost={45 + self.counter % 7}"]
        return command

    def run_a(self, scenario: str) -> Timing:
        return timed(self.prepare_scenario(scenario), env=self.env)

    # --- B: papermill on each chapter, then jupyter-book build ------------------------------------------

    def run_b(self) -> Timing:
        """The hand-rolled pipeline on the last build's prepared data, into a fresh book folder."""
        build = self.client / "_build"
        book = self.root / "baseline"
        shutil.rmtree(book, ignore_errors=True)
        shutil.copytree(build / "book", book, ignore=shutil.ignore_patterns("*.ipynb"))
        bin_dir = Path(sys.executable).parent
        began = time.perf_counter()
        cpu = 0.0
        for notebook in sorted((self.home / "notebooks").glob("*.ipynb")):
            step = timed(
                [
                    str(bin_dir / "papermill"),
                    str(notebook),
                    str(book / notebook.name),
                    "-p",
                    "prepared_dir",
                    str(build / "prepared"),
                    "-k",
                    "python3",
                    "--no-progress-bar",
                ],
                env=self.env,
            )
            cpu += step.cpu
        step = timed([str(bin_dir / "jupyter-book"), "build", str(book), "--all"], env=self.env)
        return Timing(time.perf_counter() - began, cpu + step.cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5, help="rounds: runs of A in each scenario, and of B (default 5)")
    parser.add_argument("--scenarios", nargs="+", choices=SCENARIOS, default=list(SCENARIOS))
    parser.add_argument(
        "--baseline-each", action="store_true", help="run B after every run of A, not once a round (6x longer)"
    )
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="scalegap-bench-run-") as folder:
        bench = Bench(Path(folder))
        bench.create_client()
        print(f"demo client, {os.cpu_count()} cores, {options.runs} run(s) of each; seconds are medians", flush=True)
        bench.run_a("cold")  # a first build: the baseline reads its prepared data and book pages
        a: dict[str, list[Timing]] = {scenario: [] for scenario in options.scenarios}
        b: dict[str, list[Timing]] = {scenario: [] for scenario in options.scenarios}
        for round_number in range(1, options.runs + 1):
            for scenario in options.scenarios:
                a[scenario].append(bench.run_a(scenario))
                if options.baseline_each:
                    b[scenario].append(bench.run_b())
            if not options.baseline_each:  # B has no memory of earlier runs: one run is every scenario's baseline
                once = bench.run_b()
                for scenario in options.scenarios:
                    b[scenario].append(once)
            done = ", ".join(f"{scenario} {a[scenario][-1].wall:.1f}" for scenario in options.scenarios)
            print(f"round {round_number}: A {done}; B {b[options.scenarios[0]][-1].wall:.1f}", flush=True)
        header = (
            f"{'scenario':<10} {'A wall':>8} {'B wall':>8} {'A/B wall':>9} {'A cpu':>8} {'B cpu':>8} {'A/B cpu':>8}"
        )
        print(header)
        for scenario in options.scenarios:
            aw, bw = statistics.median([t.wall for t in a[scenario]]), statistics.median([t.wall for t in b[scenario]])
            ac, bc = statistics.median([t.cpu for t in a[scenario]]), statistics.median([t.cpu for t in b[scenario]])
            figures = (f"{aw:9.1f}", f"{bw:9.1f}", f"{aw / bw:9.3f}", f"{ac:9.1f}", f"{bc:9.1f}", f"{ac / bc:9.3f}")
            print(f"{scenario:<10} " + " ".join(figures), flush=True)


if __name__ == "__main__":
    main()
