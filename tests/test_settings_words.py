"""Settings errors in scalegap's words, blamed on where the value came from; the settings with each value's origin."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from scalegap.cli import main
from scalegap.errors import ConfigurationError
from scalegap.settings import Settings, load_settings, merge, parse_override, settings_with_origins
from scalegap.settings_words import DEFAULT, FILE, SET, dotted
from tests.support import tiny_client, write

#: what pydantic would have said; none of it may reach a user
JARGON = ("Input should", "valid integer", "unable to parse", "literal_error", "type=", "pydantic")


def load_error(tmp_path: Path, text: str, *assignments: str) -> ConfigurationError:
    path = write(tmp_path / "assessment.yml", text)
    overrides: dict = {}
    for assignment in assignments:
        overrides = merge(overrides, parse_override(assignment))
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path, overrides)
    line = caught.value.one_line()
    assert not [word for word in JARGON if word in line], line
    return caught.value


@pytest.mark.parametrize(
    "section, key, value, expected, hint",
    [
        ("privacy", "min_group_size", '"five"', "must be a whole number, got 'five'", "the default is 5"),
        ("statistics", "replicates", "12.5", "must be a whole number, got 12.5", "the default is 200"),
        ("readiness", "alpha_threshold", "high", "must be a number, got 'high'", "the default is 0.7"),
        ("privacy", "redact_free_text", "maybe", "must be true or false, got 'maybe'", "the default is true"),
        ("client", "assessment_date", "2026-13-45", "must be a date written YYYY-MM-DD, got '2026-13-45'", ""),
        (
            "conversion",
            "value_metric",
            "hours",
            "must be one of 'minutes_saved' or 'quality_score', got 'hours'",
            "the default is minutes_saved",
        ),
        ("statistics", "interval", "0.999", "must be at most 0.99, got 0.999", "the default is 0.9"),
        ("privacy", "min_group_size", "1", "must be at least 2, got 1", "the default is 5"),
        ("support", "handling_minutes", "0", "must be more than 0, got 0", "the default is 30"),
        ("adoption", "intensity_thresholds", "[1]", "must be a list of at least 3 items, got [1]", "[1, 2, 4]"),
    ],
)
def test_a_wrong_value_in_the_file_names_file_row_setting_expectation_and_remedy(
    tmp_path: Path, section: str, key: str, value: str, expected: str, hint: str
) -> None:
    rest = "  name: Acme\n" if section == "client" else "client: {name: Acme}\n"
    error = load_error(tmp_path, f"{section}:\n  {key}: {value}\n{rest}")
    assert error.file == str(tmp_path / "assessment.yml") and error.row == 2
    assert error.message == f"setting '{section}.{key}' {expected}"
    assert "assessment.yml" in error.hint and hint in error.hint


@pytest.mark.parametrize(
    "assignment, expected, hint",
    [
        (
            "statistics.replicates=abc",
            "setting 'statistics.replicates' must be a whole number, got 'abc'",
            "e.g. --set statistics.replicates=200",
        ),
        (
            "privacy.redact_free_text=perhaps",
            "must be true or false, got 'perhaps'",
            "--set privacy.redact_free_text=true",
        ),
        ("client.assessment_date=soon", "must be a date written YYYY-MM-DD, got 'soon'", "--set"),
        ("rollout.weeks_per_cohort=30", "must be at most 26, got 30", "--set rollout.weeks_per_cohort="),
    ],
)
def test_a_wrong_value_given_with_set_is_blamed_on_set(
    tmp_path: Path, assignment: str, expected: str, hint: str
) -> None:
    error = load_error(tmp_path, "client:\n  name: Acme\nstatistics:\n  seed: 1\nrollout: {}\n", assignment)
    assert error.file == SET and error.row is None
    assert expected in error.message and hint in error.hint
    assert error.one_line().startswith("configuration error: --set: setting ")


def test_a_set_typo_is_blamed_on_set_not_on_the_file_row_of_its_section(tmp_path: Path) -> None:
    client = tiny_client(tmp_path / "acme")  # its file sets conversion too: the section's row was blamed before
    write(client / "assessment.yml", (client / "assessment.yml").read_text() + "conversion:\n  currency: EUR\n")
    done = CliRunner().invoke(main, ["config", str(client), "--set", "conversion.loaded_hourly_cots=48"])
    assert done.exit_code == 2
    (line,) = done.stderr.strip().splitlines()
    assert line.startswith("configuration error: --set: unknown setting 'conversion.loaded_hourly_cots'")
    assert "did you mean 'loaded_hourly_cost'?" in line
    assert "assessment.yml" not in line and "row" not in line


def test_the_same_typo_in_the_file_names_its_row(tmp_path: Path) -> None:
    error = load_error(tmp_path, "client:\n  name: Acme\nconversion:\n  loaded_hourly_cots: 48\n")
    assert error.file == str(tmp_path / "assessment.yml") and error.row == 4
    assert error.message == "unknown setting 'conversion.loaded_hourly_cots'"


def test_a_list_item_is_named_by_its_index_and_blamed_on_its_origin(tmp_path: Path) -> None:
    workflow = "{name: Mail, mode: fax, manual_steps_per_task: 1, minutes_per_step: 1, tasks_per_user_per_week: 2}"
    error = load_error(tmp_path, "client: {name: Acme}\n", f"integration.workflows=[{workflow}]")
    assert error.file == SET
    assert error.message.startswith("setting 'integration.workflows[0].mode' must be one of 'manual_copy',")
    assert dotted(["exports", "roster", "0", "file"]) == "exports.roster[0].file"


def test_an_export_that_fits_neither_form_gets_the_error_of_the_form_it_was_written_in(tmp_path: Path) -> None:
    error = load_error(tmp_path, "client: {name: Acme}\nexports:\n  roster: {file: 5}\n")
    assert error.message == "setting 'exports.roster.file' must be text, got 5"


def test_an_empty_name_is_said_in_words(tmp_path: Path) -> None:
    error = load_error(tmp_path, "client:\n  name: ''\n")
    assert error.message == "setting 'client.name' must not be empty" and error.row == 2


def test_unreadable_set_yaml_is_one_error_on_set() -> None:
    with pytest.raises(ConfigurationError, match="cannot read the value of --set client.name") as caught:
        parse_override("client.name=[unclosed")
    assert caught.value.file == SET


def test_config_shows_each_values_origin_and_loads_back_to_the_same_settings(tmp_path: Path) -> None:
    name = 'Acme #1: "Best" Ltd'
    path = write(
        tmp_path / "assessment.yml",
        f"client:\n  name: {yaml.safe_dump(name).splitlines()[0]}\n  assessment_date: 2026-09-30\n"
        "privacy: {min_group_size: 8}\nadoption:\n  intensity_thresholds: [1, 2, 3]\n",
    )
    overrides = merge(parse_override("statistics.replicates=300"), parse_override("adoption.sustained_use.weeks=4"))
    text = settings_with_origins(path, overrides)
    origins = {line.split(":")[0].strip(): line.rsplit("# ", 1)[1] for line in text.splitlines() if "  # " in line}
    assert origins["min_group_size"] == FILE and origins["replicates"] == SET and origins["seed"] == DEFAULT
    assert origins["intensity_thresholds"] == FILE and origins["weeks"] == SET and origins["days_per_week"] == DEFAULT
    assert origins["assessment_date"] == FILE and origins["redact_free_text"] == DEFAULT
    assert Settings.model_validate(yaml.safe_load(text)) == load_settings(path, overrides)
    assert yaml.safe_load(text)["client"]["name"] == name


def test_config_on_the_command_line_prints_the_origins(tmp_path: Path) -> None:
    client = tiny_client(tmp_path / "acme")
    done = CliRunner().invoke(main, ["config", str(client), "--set", "statistics.seed=7"])
    assert done.exit_code == 0, done.output
    assert "  seed: 7  # --set" in done.stdout.splitlines()
    assert "  replicates: 200  # default" in done.stdout.splitlines()
    assert Settings.model_validate(yaml.safe_load(done.stdout)).statistics.seed == 7
