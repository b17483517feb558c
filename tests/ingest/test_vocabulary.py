"""Yes/no words in many languages, and values: mappings for every yes/no and category field."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
import yaml

from scalegap.errors import ConfigurationError, ScalegapErrors
from scalegap.ingest.governance import GovernanceXlsxAdapter
from scalegap.ingest.outcomes import OutcomeRecordsAdapter
from scalegap.ingest.roster import RosterAdapter
from scalegap.ingest.vocabulary import FALSE_WORDS, TRUE_WORDS, YES_NO, check_value_maps, yes_no
from scalegap.settings import ExportSettings, Settings
from tests.support import write

LANGUAGES = {
    "en": ("Yes", "No"),
    "de": ("Ja", "Nein"),
    "fr": ("Oui", "Non"),
    "es": ("Sí", "No"),
    "pt": ("Sim", "Não"),
    "it": ("Sì", "No"),
    "nl": ("Ja", "Nee"),
    "sv": ("Ja", "Nej"),
    "da": ("Ja", "Nej"),
    "nb": ("Ja", "Nei"),
    "fi": ("Kyllä", "Ei"),
    "is": ("Já", "Nei"),
}


def test_no_word_means_both_yes_and_no() -> None:
    assert not TRUE_WORDS & FALSE_WORDS
    assert set(LANGUAGES) <= set(YES_NO)


@pytest.mark.parametrize("language", sorted(LANGUAGES))
def test_each_language_reads_its_yes_and_no(language: str) -> None:
    yes, no = LANGUAGES[language]
    assert yes_no(yes) is True and yes_no(f"  {yes.upper()} ") is True
    assert yes_no(no) is False


@pytest.mark.parametrize("yes, no", [("true", "false"), ("1", "0"), ("y", "n"), ("x", ""), ("TRUE", "FALSE")])
def test_symbols_read_as_yes_and_no(yes: str, no: str) -> None:
    assert yes_no(yes) is True and yes_no(no) is False
    assert yes_no("maybe") is None


def roster(tmp_path: Path, pilot_values: list[str]) -> Path:
    lines = ["Employee ID;Department;Pilot"] + [f"E{n};Sales;{value}" for n, value in enumerate(pilot_values)]
    return write(tmp_path / "hr.csv", "\n".join(lines) + "\n", encoding="cp1252")


def test_roster_flags_in_the_clients_language_are_read(tmp_path: Path, template_settings: Settings) -> None:
    path = roster(tmp_path, ["Ja", "Nein", "nein", "JA", "Kyllä", "Não"])
    result = RosterAdapter().read(path, ExportSettings(file="hr.csv"), template_settings)
    assert result.rejected.empty
    assert result.accepted["in_pilot"].tolist() == [True, False, False, True, True, False]


def test_values_map_the_clients_own_words(tmp_path: Path, template_settings: Settings) -> None:
    path = roster(tmp_path, ["Welle 1", "Welle 2", "keine", "Welle 1"])
    export = ExportSettings(file="hr.csv", values={"in_pilot": {"welle 1": True, "Welle 2": "yes", "Keine": "no"}})
    result = RosterAdapter().read(path, export, template_settings)
    assert result.accepted["in_pilot"].tolist() == [True, True, False, True]


def test_an_unknown_value_is_reported_with_the_values_seen_and_the_yaml_to_add(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = roster(tmp_path, ["Welle 1", "Welle 1", "Welle 2", "nein"])
    result = RosterAdapter().read(path, ExportSettings(file="hr.csv"), template_settings)
    assert len(result.rejected) == 3
    note = next(warning for warning in result.warnings if "cannot read" in warning)
    assert "'Welle 1' (2 rows)" in note and "'Welle 2' (1 rows)" in note
    assert 'values: {in_pilot: {"Welle 1": yes|no, "Welle 2": yes|no}}' in note


def test_unquoted_yaml_yes_and_no_keys_stand_for_the_words(tmp_path: Path, template_settings: Settings) -> None:
    path = roster(tmp_path, ["Yes", "No", "pilot", "2"])
    values = yaml.safe_load("in_pilot: {yes: no, no: yes, pilot: yes, 2: no}")
    assert set(values["in_pilot"]) == {True, False, "pilot", 2}  # what YAML makes of them
    export = ExportSettings(file="hr.csv", values=values)
    assert set(export.values["in_pilot"]) == {"yes", "no", "pilot", "2"}
    assert RosterAdapter().read(path, export, template_settings).accepted["in_pilot"].tolist() == [
        False,
        True,
        True,
        False,
    ]


def test_a_categorical_quality_column_maps_to_clean_and_messy(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "o.csv",
        "person_id,assisted,minutes_taken,Aktenqualität\n"
        "E1,ja,3,ok\nE1,nein,5,partial\nE2,ja,4,scanned\nE2,ja,4,\nE2,ja,4,blurry\n",
    )
    export = ExportSettings(
        file="o.csv",
        columns={"data_tier": "Aktenqualität"},
        values={"data_tier": {"ok": "clean", "partial": "messy", "scanned": "messy"}},
    )
    result = OutcomeRecordsAdapter().read(path, export, template_settings)
    assert result.accepted["data_tier"].tolist() == ["clean", "messy", "messy", "unknown"]
    assert result.accepted["assisted"].tolist() == [True, False, True, True]
    assert result.rejected["reason"].tolist() == ["value is not a data tier (clean, messy or unknown)"]
    assert any('"blurry": clean|messy|unknown' in warning for warning in result.warnings)


def test_governance_status_words_map_through_values(tmp_path: Path, template_settings: Settings) -> None:
    frame = pd.DataFrame(
        {"id": ["G1", "G2", "G3"], "nist_function": ["govern", "Map", "MANAGE"], "status": ["Yes", "Partly", "No"]}
    )
    path = tmp_path / "checklist.xlsx"
    frame.to_excel(path, index=False)
    export = ExportSettings(
        file="checklist.xlsx", values={"status": {"yes": "in_place", "partly": "partial", "no": "absent"}}
    )
    result = GovernanceXlsxAdapter().read(path, export, template_settings)
    assert result.accepted["status"].tolist() == ["in_place", "partial", "absent"]


def test_value_mappings_are_checked_for_every_table_and_all_reported() -> None:
    export = ExportSettings(
        file="x", values={"department": {"a": "b"}, "in_pilot": {"Welle": "maybe"}, "volunteered": {"Ja": True}}
    )
    with pytest.raises(ScalegapErrors) as error:
        check_value_maps("roster", export)
    lines = error.value.lines()
    assert len(lines) == 2
    assert "unknown value mapping 'department' for roster" in lines[0] and "in_pilot, volunteered" in lines[0]
    assert "in_pilot value 'Welle' is mapped to 'maybe'" in lines[1]
    with pytest.raises(ConfigurationError, match="map each value to clean | messy | unknown"):
        check_value_maps("outcomes", ExportSettings(file="x", values={"data_tier": {"ok": "good"}}))
    check_value_maps("tickets", ExportSettings(file="x", values={"channel": {"Desk": "service_desk"}}))
