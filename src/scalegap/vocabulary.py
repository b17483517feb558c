"""Names the stages share: the files of a prepared data package.

(The vendor value vocabularies that adapters map, "Yes"/"Ja"/"1" and the like, are
:mod:`scalegap.ingest.vocabulary`.)
"""

from __future__ import annotations

#: the prepared package's manifest: inputs with SHA-256, row accounting, resolved settings
MANIFEST = "manifest.json"
