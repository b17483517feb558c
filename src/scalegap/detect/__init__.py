"""``scalegap init --detect``: from a folder of dropped exports to a proposed assessment.yml.

:func:`detect_client` recognises which file is which table and format (:mod:`.recognise`), proposes
column mappings from headers and values and value vocabularies for yes/no and category fields
(:mod:`.columns`), the survey instrument (:mod:`.survey`), and writes them into assessment.yml with a
comment on each guess and TODOs for what it cannot infer (:mod:`.writer`), never overwriting what the
consultant edited.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from scalegap.client import ClientFolder, init_client
from scalegap.detect.model import Detection
from scalegap.detect.propose import detect_exports
from scalegap.detect.writer import WriteOutcome, write_detection
from scalegap.errors import ConfigurationError


@dataclass(frozen=True)
class DetectOutcome:
    folder: ClientFolder
    detection: Detection
    written: WriteOutcome
    created: bool


def detect_client(root: Path, client_name: str | None = None) -> DetectOutcome:
    """Create the client folder if needed (exports/ kept as it is), detect its exports, update assessment.yml."""
    folder = ClientFolder(root)
    if not folder.exports.is_dir() or not any(folder.exports.iterdir()):
        raise ConfigurationError(
            "exports/ is empty or missing",
            file=folder.exports,
            hint="put the client's export files in it first, then run init --detect again",
        )
    created = not folder.assessment.exists()
    if created:
        init_client(root, client_name, with_example_exports=False)
    detection = detect_exports(folder.exports)
    text = folder.assessment.read_text(encoding="utf-8")
    written = write_detection(text, detection, folder.exports)
    folder.assessment.write_text(written.text, encoding="utf-8")
    return DetectOutcome(folder, detection, written, created)


__all__ = ["DetectOutcome", "Detection", "detect_client", "detect_exports"]
