"""Each chapter declares what it reads (the cache keys it on just that): checked against what its kernel read."""

from __future__ import annotations

import pytest

from scalegap import reads
from scalegap.resources import chapter_notebooks

pytestmark = [pytest.mark.integration, pytest.mark.xdist_group("demo")]


@pytest.mark.parametrize("chapter", chapter_notebooks(), ids=lambda chapter: chapter.stem)
def test_a_chapter_declares_exactly_what_its_kernel_read_on_the_demo(demo_run, chapter) -> None:
    declared = reads.declared(chapter)
    assert declared is not None, f"{chapter.name} declares nothing: it would be keyed on every export and setting"
    recorded = reads.recorded(reads.log_path(demo_run.client / "_build" / "notebooks" / chapter.name))
    assert recorded.tables, f"{chapter.name}'s kernel recorded no read: is recording on?"
    assert reads.undeclared(recorded, declared) == []  # a read missing from the declaration: a stale cache
    assert reads.undeclared(declared, recorded) == []  # a declared read never made: runs again for nothing
