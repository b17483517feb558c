import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scalegap.errors import ConfigurationError
from scalegap.settings import (
    MOVED,
    Settings,
    WarehouseExportSettings,
    dump_settings,
    load_settings,
    merge,
    parse_override,
)
from scalegap.simulate.parameters import DEFAULT_DEPARTMENTS
from tests.support import ROOT, TEMPLATE, tiny_client, write


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
    path = write(
        tmp_path / "assessment.yml",
        "client: {name: A}\nsurvey:\n  constructs:\n    trust: {items: [Q4_1], reverse: [Q9_9]}\n",
    )
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
    resolved = yaml.safe_load(dump_settings(load_settings(TEMPLATE / "assessment.yml")))
    assert list(resolved) == [
        "client",
        "branding",
        "privacy",
        "survey",
        "outcomes",
        "readiness",
        "population",
        "statistics",
        "adoption",
        "support",
        "integration",
        "scorecard",
        "rollout",
        "conversion",
        "validation",
        "execution",
        "exports",
    ]
    assert resolved["privacy"] == {"min_group_size": 5, "redact_free_text": True, "name_in_portfolios": False}
    assert resolved["survey"]["constructs"]["ai_curiosity"]["reverse"] == ["Q3_3"]
    assert sorted(resolved["exports"]) == ["governance", "roster", "survey"]
    assert resolved["exports"]["roster"]["columns"]["in_pilot"] == "Pilot"
    assert resolved["scorecard"]["minutes_saved_green"] == 5.0 and resolved["scorecard"]["agents_ratio_amber"] == 1.5
    assert resolved["rollout"] == {
        "weeks_per_cohort": 4,
        "test_group_size": 20,
        "weekly_active_share_gate": 0.25,
        "governance_gaps_allowed": 0,
    }
    assert resolved["conversion"] == {
        "value_metric": "minutes_saved",
        "tasks_per_week": {},
        "default_tasks_per_week": None,
        "production_messy_share": None,
        "loaded_hourly_cost": 45.0,
        "currency": "GBP",
        "licence_cost_per_seat_per_month": 25.0,
        "working_weeks_per_year": 46,
    }
    assert resolved["statistics"] == {"seed": 20261125, "replicates": 200, "interval": 0.9}
    assert resolved["execution"] == {"cell_timeout_minutes": 10, "chapter_timeout_minutes": 30, "workers": None}


def test_the_shipped_defaults_set_every_key_of_the_new_sections() -> None:
    """No second source of truth: the models give no defaults, so defaults/assessment.yml must name every key."""
    defaults = yaml.safe_load((ROOT / "src" / "scalegap" / "defaults" / "assessment.yml").read_text())
    settings = load_settings(None)
    for section in ("statistics", "scorecard", "rollout", "conversion", "execution"):
        assert list(defaults[section]) == list(getattr(settings, section).model_dump()), section


def test_the_demo_sets_the_simulators_tasks_per_week() -> None:
    demo = load_settings(ROOT / "src" / "scalegap" / "defaults" / "demo_assessment.yml").conversion
    assert demo.tasks_per_week == {d.name: d.tasks_per_week for d in DEFAULT_DEPARTMENTS}
    assert demo.default_tasks_per_week == 30


@pytest.mark.parametrize(
    "section, key", [("scorecard", "minutes_saved_gren"), ("rollout", "weeks_per_wave"), ("conversion", "hourly_cost")]
)
def test_unknown_keys_in_the_new_sections_are_errors(tmp_path: Path, section: str, key: str) -> None:
    path = write(tmp_path / "assessment.yml", f"client: {{name: A}}\n{section}:\n  {key}: 1\n")
    with pytest.raises(ConfigurationError, match=f"unknown setting '{section}.{key}'") as caught:
        load_settings(path)
    assert caught.value.row == 3 and "allowed here" in caught.value.hint
    if section == "scorecard":
        assert "did you mean 'minutes_saved_green'?" in caught.value.hint


@pytest.mark.parametrize(
    "assignment, field",
    [
        ("scorecard.construct_score_green=120", "scorecard.construct_score_green"),
        ("scorecard.reliability_words=[]", "scorecard.reliability_words"),
        ("rollout.weeks_per_cohort=0", "rollout.weeks_per_cohort"),
        ("rollout.weekly_active_share_gate=1.5", "rollout.weekly_active_share_gate"),
        ("rollout.governance_gaps_allowed=-1", "rollout.governance_gaps_allowed"),
        ("conversion.value_metric=hours_saved", "conversion.value_metric"),
        ("conversion.tasks_per_week={Finance: 0}", "conversion.tasks_per_week.Finance"),
        ("conversion.default_tasks_per_week=-3", "conversion.default_tasks_per_week"),
        ("conversion.production_messy_share=1.2", "conversion.production_messy_share"),
        ("conversion.loaded_hourly_cost=0", "conversion.loaded_hourly_cost"),
        ("conversion.currency=pounds", "conversion.currency"),
        ("conversion.working_weeks_per_year=53", "conversion.working_weeks_per_year"),
        ("statistics.replicates=20", "statistics.replicates"),
        ("statistics.interval=0.999", "statistics.interval"),
    ],
)
def test_values_out_of_bounds_name_the_setting(assignment: str, field: str) -> None:
    with pytest.raises(ConfigurationError, match=f"setting '{field}'"):
        load_settings(None, parse_override(assignment))


@pytest.mark.parametrize(
    "assignment, fragment",
    [
        ("scorecard.minutes_saved_amber=6", "minutes_saved_amber (6) must be at or below minutes_saved_green (5)"),
        ("scorecard.construct_score_amber=61", "construct_score_amber (61) must be at or below"),
        (
            "scorecard.reliability_tickets_per_user_amber=0.01",
            "reliability_tickets_per_user_amber (0.01) must be at or above",
        ),
        ("scorecard.manual_hours_amber=39", "manual_hours_amber (39) must be at or above manual_hours_green (40)"),
        ("scorecard.agents_ratio_amber=0.9", "agents_ratio_amber (0.9) must be at or above"),
    ],
)
def test_amber_must_sit_beyond_green(assignment: str, fragment: str) -> None:
    with pytest.raises(ConfigurationError, match="setting 'scorecard'") as caught:
        load_settings(None, parse_override(assignment))
    assert fragment in caught.value.message


def test_amber_equal_to_green_is_allowed() -> None:
    settings = load_settings(
        None,
        merge(parse_override("scorecard.manual_hours_amber=40"), parse_override("scorecard.minutes_saved_amber=5")),
    )
    assert settings.scorecard.thresholds("manual_hours") == (40.0, 40.0, False)


def test_a_test_group_below_the_minimum_group_size_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="test_group_size \\(4\\) is below privacy.min_group_size \\(5\\)"):
        load_settings(None, parse_override("rollout.test_group_size=4"))


def test_conversion_override_through_scalegap_config(tmp_path: Path) -> None:
    client = tiny_client(tmp_path / "acme")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "scalegap",
            "config",
            str(client),
            "--set",
            "conversion.loaded_hourly_cost=60",
            "--set",
            "conversion.currency=EUR",
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    conversion = yaml.safe_load(done.stdout)["conversion"]
    assert conversion["loaded_hourly_cost"] == 60 and conversion["currency"] == "EUR"
    assert conversion["licence_cost_per_seat_per_month"] == 25.0  # the rest of the section keeps its defaults


@pytest.mark.parametrize(("section", "key"), sorted(MOVED))
def test_a_setting_that_moved_to_statistics_names_its_new_place(tmp_path: Path, section: str, key: str) -> None:
    """An assessment.yml written before the statistics section gets a hint, not a bare "unknown setting"."""
    path = write(tmp_path / "assessment.yml", f"client: {{name: Acme}}\n{section}:\n  {key}: 7\n")
    with pytest.raises(ConfigurationError, match=f"{section}.{key} is now {MOVED[section, key]}"):
        load_settings(path)


def test_one_statistics_section_sets_every_chapters_resampling() -> None:
    settings = load_settings(None, parse_override("statistics.interval=0.8"))
    assert settings.statistics.interval == 0.8 and settings.statistics.replicates == 200
    assert "seed" not in settings.adoption.model_dump() and "interval" not in settings.conversion.model_dump()


def _leaf_settings(model: type, prefix: str = "") -> list[tuple[str, str]]:
    """(dotted path, field name) of every setting, descending into nested settings models."""
    leaves = []
    for name, field in model.model_fields.items():
        annotation = field.annotation
        nested = [a for a in (getattr(annotation, "__args__", None) or (annotation,)) if hasattr(a, "model_fields")]
        if nested and name != "exports":
            leaves += _leaf_settings(nested[-1], f"{prefix}{name}.")
        else:
            leaves.append((f"{prefix}{name}", name))
    return leaves


def unread_settings(code: str) -> list[str]:
    """The settings ``code`` never reads: no attribute access ``.name`` and, for the scorecard's thresholds, no
    ``thresholds("metric")`` call (which reads both ``metric_green`` and ``metric_amber``)."""
    unread = []
    for dotted, name in _leaf_settings(Settings):
        metric = name.removesuffix("_green").removesuffix("_amber")
        if f".{name}" not in code and not (metric != name and f'thresholds("{metric}")' in code):
            unread.append(dotted)
    return unread


def test_every_setting_is_read_somewhere_in_the_package() -> None:
    """A setting nobody reads is a promise the book does not keep (privacy.redact_free_text once was one)."""
    package = ROOT / "src" / "scalegap"
    code = "\n".join(path.read_text(encoding="utf-8") for path in package.rglob("*.py") if path.name != "settings.py")
    assert unread_settings(code) == []


def test_the_read_check_finds_a_setting_nobody_reads() -> None:
    paths = dict(_leaf_settings(Settings))
    assert {"statistics.interval", "scorecard.agents_ratio_amber", "survey.constructs.reverse", "exports"} <= set(paths)
    code = 'settings.privacy.min_group_size; t.thresholds("manual_hours")'
    unread = unread_settings(code)
    assert "privacy.redact_free_text" in unread and "statistics.seed" in unread
    assert "privacy.min_group_size" not in unread and "scorecard.manual_hours_amber" not in unread
    assert "scorecard.agents_ratio_green" in unread


def test_every_settings_error_is_reported_not_only_the_first(tmp_path: Path) -> None:
    text = "client: {name: Acme}\nprivacy: {min_group_size: 1}\nstatistics: {interval: 2}\nadoption: {seed: 3}\n"
    with pytest.raises(ConfigurationError) as raised:
        load_settings(write(tmp_path / "assessment.yml", text))
    messages = [str(error) for error in raised.value.errors]
    assert len(messages) == 3
    assert any("privacy.min_group_size" in m for m in messages) and any("statistics.interval" in m for m in messages)
    assert any("adoption.seed is now statistics.seed" in m for m in messages)


def test_branding_defaults_to_a_colour_blind_safe_palette_and_the_clients_title() -> None:
    branding = load_settings(TEMPLATE / "assessment.yml").branding
    assert branding.palette == "colorblind" and branding.title is None and branding.logo is None
    assert branding.consultant == "" and "Confidential" in branding.confidentiality


def test_an_unknown_branding_key_is_an_error_with_the_likely_key(tmp_path: Path) -> None:
    path = write(tmp_path / "assessment.yml", "client: {name: A}\nbranding:\n  consultent: Alex\n")
    with pytest.raises(ConfigurationError, match="branding.consultent") as caught:
        load_settings(path)
    assert "consultant" in caught.value.hint and "row 3" in caught.value.one_line()


@pytest.mark.parametrize(
    ("palette", "fragment"),
    [
        ("rainbow", "unknown palette 'rainbow'"),
        ("['#0173b2', '#de8f05', 'green', '#d55e00']", "'green' is not a colour"),
        ("['#0173b2', '#de8f05']", "at least four colours"),
    ],
)
def test_a_bad_palette_names_the_setting(tmp_path: Path, palette: str, fragment: str) -> None:
    path = write(tmp_path / "assessment.yml", f"client: {{name: A}}\nbranding:\n  palette: {palette}\n")
    with pytest.raises(ConfigurationError, match="branding.palette") as caught:
        load_settings(path)
    assert fragment in caught.value.one_line()


def test_a_palette_of_colours_and_a_logo_inside_the_client_folder_are_accepted(tmp_path: Path) -> None:
    settings = load_settings(
        None, {"branding": {"palette": ["#112233", "#445566", "#778899", "#aabbcc"], "logo": "brand/logo.png"}}
    )
    assert settings.branding.palette == ["#112233", "#445566", "#778899", "#aabbcc"]
    with pytest.raises(ConfigurationError, match="relative to the client folder"):
        load_settings(None, {"branding": {"logo": "../elsewhere/logo.png"}})


def test_usage_may_name_a_warehouse_table_with_strict_keys(tmp_path: Path) -> None:
    usage = "{warehouse: 'postgres://ann:${DWH_PASSWORD}@dwh/db', table: t.events, columns: {person_id: uid}}"
    settings = load_settings(write(tmp_path / "assessment.yml", f"client: {{name: A}}\nexports:\n  usage: {usage}\n"))
    (entry,) = settings.exports_of("usage")
    assert entry == WarehouseExportSettings(
        warehouse="postgres://ann:${DWH_PASSWORD}@dwh/db", table="t.events", columns={"person_id": "uid"}
    )
    assert "${DWH_PASSWORD}" in dump_settings(settings)  # the variable's name, never its value
    typo = "client: {name: A}\nexports:\n  usage: {warehouse: 'duckdb:///w.db', tabel: t}\n"
    misspelled = write(tmp_path / "typo.yml", typo)
    with pytest.raises(ConfigurationError) as caught:
        load_settings(misspelled)
    assert "unknown setting 'exports.usage.tabel'" in str(caught.value.lines())
    assert "did you mean 'table'? allowed here: columns, table, warehouse" in str(caught.value.lines())


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        ("roster: {warehouse: 'duckdb:///w.db', table: t}", "only exports.usage may"),
        ("usage: {warehouse: 'postgres://ann:s3cret@dwh/db', table: t}", "do not write a password"),
        ("usage: {warehouse: 'telemetry.db', table: t}", "give an Ibis connection URL"),
    ],
)
def test_a_warehouse_table_elsewhere_or_with_a_password_is_refused(tmp_path: Path, entry: str, fragment: str) -> None:
    path = write(tmp_path / "assessment.yml", f"client: {{name: A}}\nexports:\n  {entry}\n")
    with pytest.raises(ConfigurationError) as caught:
        load_settings(path)
    assert fragment in caught.value.one_line() and "s3cret" not in caught.value.one_line()
