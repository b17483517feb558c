"""The built-in example client: simulated exports plus a matching assessment.yml."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING

from scalegap.client import ClientFolder, init_client
from scalegap.errors import ConfigurationError

if TYPE_CHECKING:
    from scalegap.simulate import SimulationParameters


def create_demo_client(
    root: Path, seed: int | None = None, parameters: SimulationParameters | None = None
) -> ClientFolder:
    """Write the example client into ``root`` (its exports, truth.json and assessment.yml); ``parameters``
    replace the simulator's defaults (calibration studies), ``seed`` replaces their seed."""
    from scalegap.simulate import SimulationParameters, write_example_client

    folder = ClientFolder(root)
    if folder.assessment.exists() and not (root / "truth.json").exists():
        raise ConfigurationError(
            "this folder holds a client that is not the example client",
            file=root,
            hint="give `scalegap demo` a new or an example-client folder",
        )
    if not folder.assessment.exists():
        init_client(root)
    parameters = parameters or SimulationParameters()
    if seed is not None:
        parameters = dataclasses.replace(parameters, seed=seed)
    write_example_client(root, parameters)
    demo_settings = resources.files("scalegap").joinpath("defaults/demo_assessment.yml").read_text("utf-8")
    folder.assessment.write_text(demo_settings, encoding="utf-8")
    return folder
