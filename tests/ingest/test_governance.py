from pathlib import Path

import pytest

from scalegap.errors import InputError
from scalegap.ingest.governance import GovernanceYamlAdapter
from scalegap.settings import ExportSettings, Settings

from tests.support import ROOT, write


def test_the_template_checklist_reads_cleanly(template_settings: Settings) -> None:
    path = ROOT / "templates" / "client" / "exports" / "governance_checklist.yml"
    result = GovernanceYamlAdapter().read(path, ExportSettings(file="g"), template_settings)
    assert result.rows_read >= 20 and len(result.rejected) == 0
    assert set(result.accepted["nist_function"]) == {"Govern", "Map", "Measure", "Manage"}


def test_bad_items_are_rejected_with_their_yaml_line(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "g.yml", "items:\n"
                 "  - {id: G1, question: Owner named, nist_function: Govern, status: in_place, owner: Ann}\n"
                 "  - {id: G2, question: Monitored, nist_function: Monitor, status: absent}\n"
                 "  - {id: G3, question: Incidents handled, nist_function: Manage, status: done}\n")
    result = GovernanceYamlAdapter().read(path, ExportSettings(file="g"), template_settings)
    assert result.accepted["id"].tolist() == ["G1"]
    assert result.rejected["source_row"].tolist() == [3, 4]
    assert "nist_function" in result.rejected["reason"].iloc[0]


def test_a_checklist_without_items_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    with pytest.raises(InputError, match="items"):
        GovernanceYamlAdapter().read(write(tmp_path / "g.yml", "owner: me\n"), ExportSettings(file="g"),
                                     template_settings)
