"""What the models' tests share: the example client, written and prepared once per test process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest

from scalegap.demo import create_demo_client
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings


@dataclass(frozen=True)
class ExampleClient:
    """The example client's prepared package (default settings) and the truth its simulator planted."""

    package: PreparedPackage
    truth: dict[str, Any]


@pytest.fixture(scope="session")
def example_client(tmp_path_factory: pytest.TempPathFactory) -> ExampleClient:
    client = create_demo_client(tmp_path_factory.mktemp("example") / "client")
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    return ExampleClient(package, json.loads((client.root / "truth.json").read_text(encoding="utf-8")))
