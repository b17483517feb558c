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
    (root / DEMO_LOGO).write_text(LOGO_SVG, encoding="utf-8")
    folder.notes.mkdir(exist_ok=True)
    (folder.notes / DEMO_NOTE).write_text(NOTE, encoding="utf-8")
    return folder


#: an example of the consultant's commentary inside a chapter, citing the chapter's glued figures
DEMO_NOTE = "conversion_rate.md"
NOTE = """# Our reading

Production is expected to keep {glue:text}`conversion_rate` of the value per person the pilot showed
({glue:text}`conversion_rate_interval`), and each seat to return {glue:text}`net_value_per_seat` a year after its
licence. Most of the loss is adoption: the people who did not volunteer take the assistant up less. We would start
with the readiest departments and staff the service desk before the later waves.
"""


#: the example consultancy's logo (branding.logo in the demo's assessment.yml)
DEMO_LOGO = "logo.svg"
LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="240" height="60" viewBox="0 0 240 60">'
    '<rect x="4" y="8" width="44" height="44" rx="8" fill="#0173b2"/>'
    '<path d="M14 40 L26 20 L38 40 Z" fill="#ffffff"/>'
    '<text x="58" y="38" font-family="DejaVu Sans, sans-serif" font-size="20" fill="#333333">Example Advisory</text>'
    "</svg>\n"
)
