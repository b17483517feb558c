"""The prepare stage: exports -> canonical tables -> a prepared data package.

``check`` reads every configured export with its adapter (:mod:`~scalegap.prepare.read`), links people to the
roster (:mod:`~scalegap.prepare.link`) and returns the tables with a report of every problem
(:mod:`~scalegap.prepare.problems`).  ``prepare`` also writes the package the chapters read
(:mod:`~scalegap.prepare.write`; read back by :class:`scalegap.package.PreparedPackage`).

Nothing here imports a model: the stages downstream read the written package, never this one.
"""

from scalegap.prepare.check import Intake, check
from scalegap.prepare.write import prepare

__all__ = ["Intake", "check", "prepare"]
