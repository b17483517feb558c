"""A second generator of deployments with known truth, written apart from :mod:`scalegap.simulate`.

The calibration study (:mod:`scalegap.studies.calibration`) runs the estimator on deployments of both generators, so
that its figures are not measured only on the world it was developed against.  :func:`write_deployment` writes
one client folder (exports and assessment.yml) and returns its structure and truth.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.studies.independent_generator.exports import write_client
from scalegap.studies.independent_generator.world import Structure, WorldTruth, make_world, truth_of

__all__ = ["Structure", "WorldTruth", "write_deployment"]


def write_deployment(root: Path, seed: int) -> tuple[Structure, WorldTruth]:
    """Write deployment ``seed`` into ``root`` (``exports/`` and ``assessment.yml``); its structure and truth."""
    world = make_world(seed)
    write_client(root, world, seed)
    return world.structure, truth_of(world)
