"""The real pipeline, run once per test session: `scalegap demo` and `scalegap run` as subprocesses."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.support import tiny_client


@dataclass(frozen=True)
class Run:
    client: Path
    stdout: str
    stderr: str
    returncode: int

    @property
    def html(self) -> Path:
        return self.client / "_build" / "html"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "scalegap", *args], capture_output=True, text=True, timeout=900)


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    client = tmp_path_factory.mktemp("demo") / "demo-client"
    done = run_cli("demo", str(client))
    return Run(client, done.stdout, done.stderr, done.returncode)


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    client = tiny_client(tmp_path_factory.mktemp("tiny") / "tiny-client")
    (client / "notes").mkdir()
    (client / "notes" / "10_context.md").write_text("# Context from the engagement\n\nThe CFO sponsors it.\n")
    (client / "notes" / "20_empty.md").write_text("\n")
    done = run_cli("run", str(client))
    return Run(client, done.stdout, done.stderr, done.returncode)
