"""The pipeline's own pieces (the whole run is exercised by tests/integration)."""

from __future__ import annotations

import time

import pytest

from scalegap.errors import InputError
from scalegap.pipeline import InBackground


def test_the_summarise_step_in_the_background_gives_its_seconds_and_raises_what_it_raised() -> None:
    done = InBackground(lambda: time.sleep(0.05))
    assert done.result() >= 0.05
    failed = InBackground(lambda: (_ for _ in ()).throw(InputError("no survey", hint="map exports.survey")))
    with pytest.raises(InputError, match="no survey"):
        failed.result()
