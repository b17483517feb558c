from pathlib import Path

import pytest
import yaml

from scalegap.errors import ConfigurationError
from scalegap.settings import dump_settings, load_settings, merge, parse_override

from tests.support import ROOT, write


def test_defaults_apply_when_the_client_file_is_minimal(tmp_path: Path) -> None:
    settings = load_settings(write(tmp_path / "assessment.yml", "client: {name: Acme}\n"))
    assert settings.client.name == "Acme"
    assert settings.privacy.min_group_size == 5
    assert settings.survey.scale_points == 5
    assert settings.outcomes.clean_completeness_threshold == 0.9


def test_precedence_is_defaults_then_file_then_overrides(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client: {name: Acme}\nprivacy: {min_group_size: 8}\n")
    assert load_settings(path).privacy.min_group_size == 8
    assert load_settings(path, parse_override("privacy.min_group_size=12")).privacy.min_group_size == 12


def test_a_misspelled_key_is_an_error_naming_field_line_and_the_likely_key(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client:\n  name: Acme\nprivacy:\n  min_groupsize: 5\n")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)
    line = caught.value.one_line()
    assert "privacy.min_groupsize" in line
    assert "row 4" in line
    assert "min_group_size" in line  # the suggestion
    assert str(path) in line


def test_an_unknown_table_lists_the_allowed_ones(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client: {name: A}\nexports:\n  payroll: {file: p.csv}\n")
    with pytest.raises(ConfigurationError, match="unknown table 'payroll'") as caught:
        load_settings(path)
    assert "roster" in caught.value.hint


def test_bad_values_are_reported_with_the_field(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client: {name: A}\nprivacy: {min_group_size: 1}\n")
    with pytest.raises(ConfigurationError, match="privacy.min_group_size"):
        load_settings(path)


def test_reverse_items_must_belong_to_their_construct(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml",
                 "client: {name: A}\nsurvey:\n  constructs:\n    trust: {items: [Q4_1], reverse: [Q9_9]}\n")
    with pytest.raises(ConfigurationError, match="Q9_9"):
        load_settings(path)


def test_export_files_must_stay_inside_exports(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client: {name: A}\nexports:\n  roster: {file: ../hr.csv}\n")
    with pytest.raises(ConfigurationError, match="exports.roster.file"):
        load_settings(path)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client:\n  name: [unclosed\n")
    with pytest.raises(ConfigurationError, match="cannot parse YAML") as caught:
        load_settings(path)
    assert caught.value.row is not None


def test_merge_replaces_lists_and_merges_mappings() -> None:
    assert merge({"a": {"b": 1, "c": [1]}}, {"a": {"c": [2]}}) == {"a": {"b": 1, "c": [2]}}


def test_resolved_template_settings_snapshot() -> None:
    """What `scalegap config` prints for the client template: a snapshot of what users see."""
    resolved = yaml.safe_load(dump_settings(load_settings(ROOT / "templates" / "client" / "assessment.yml")))
    assert list(resolved) == ["client", "privacy", "survey", "outcomes", "readiness", "population", "adoption",
                              "support", "integration", "exports"]
    assert resolved["privacy"] == {"min_group_size": 5, "redact_free_text": True}
    assert resolved["survey"]["constructs"]["ai_curiosity"]["reverse"] == ["Q3_3"]
    assert sorted(resolved["exports"]) == ["governance", "roster", "survey"]
    assert resolved["exports"]["roster"]["columns"]["in_pilot"] == "Pilot"
