from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from scalegap.canonical import conform
from scalegap.client import ClientFolder
from scalegap.models import portability as p
from scalegap.models.portability import measured, reporting, tables, team_model
from scalegap.models.portability import study as study_module
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from tests.models import test_availability as degraded
from tests.support import tiny_client, write

TEAM_EFFECTS = {"T1": 8.0, "T2": 6.0, "T3": 6.0, "T4": 4.0}
OFFSETS = (-0.5, 0.0, 0.5, -0.5, 0.0, 0.5)


def people_frame(
    values: dict[str, list[float]],
    department: str = "Ops",
    configuration: str = "v1",
    pilot_teams: tuple[str, ...] = (),
) -> pd.DataFrame:
    rows = [
        {
            "person_id": f"{team}-{i}",
            "department": department,
            "team": team,
            "pilot_member": False,
            "pilot_team": team in pilot_teams,
            "configuration": configuration,
            "effect": value,
        }
        for team, effects in values.items()
        for i, value in enumerate(effects)
    ]
    return pd.DataFrame(rows)


def balanced() -> pd.DataFrame:
    """Four teams of three: team means 2, 4, 6, 8; within-team mean square 1, between-team mean square 20."""
    return people_frame({"A": [1, 2, 3], "B": [3, 4, 5], "C": [5, 6, 7], "D": [7, 8, 9]})


# --- the mixed model -------------------------------------------------------------------------------------------------


def test_balanced_teams_give_the_anova_variance_split() -> None:
    model = team_model.fit_team_model(balanced(), "v1")
    # balanced one-way layout: REML = ANOVA, team variance = (MSB - MSW) / n = (20 - 1) / 3
    assert model.team_variance == pytest.approx(19 / 3, rel=1e-3)
    assert model.residual_variance == pytest.approx(1.0, rel=1e-3)
    assert model.team_share == pytest.approx((19 / 3) / (19 / 3 + 1), rel=1e-3)
    assert model.fixed["Intercept"] == pytest.approx(5.0)
    assert model.team_variation == pytest.approx(np.sqrt(19 / 3) / 5.0, rel=1e-3)


def test_teams_with_the_same_effect_have_no_between_team_share() -> None:
    same = people_frame({team: [4, 5, 6, 7, 8, 9] for team in "ABCDE"})
    assert team_model.fit_team_model(same, "v1").team_share == pytest.approx(0.0, abs=1e-3)


def test_two_clearly_different_kinds_of_team_give_a_large_share() -> None:
    values = {team: ([9.9, 10.0, 10.1] if i % 2 else [4.9, 5.0, 5.1]) for i, team in enumerate("ABCDEF")}
    assert team_model.fit_team_model(people_frame(values), "v1").team_share > 0.95


def test_design_takes_the_standard_configuration_as_reference_and_drops_what_is_not_identified() -> None:
    people = pd.concat([people_frame({"A": [1, 2]}, "Ops", "v1"), people_frame({"B": [3, 4]}, "Sales", "v2")])
    X = team_model.design(people.reset_index(drop=True), "v1")
    assert list(X.columns) == ["Intercept", "department=Sales", "configuration=v2"]
    assert team_model.independent_columns(X) == ["Intercept", "department=Sales"]  # v2 is exactly the Sales team


def test_prediction_interval_adds_the_team_variance() -> None:
    model = team_model.fit_team_model(balanced(), "v1")
    value, (low, high) = p.prediction(model, pd.Series({"Ops": 1.0}), "v1", 0.90)
    # Var(intercept) = (team variance + residual / n) / teams = (19/3 + 1/3) / 4 = 5/3; plus 19/3 makes 8
    assert value == pytest.approx(5.0)
    assert high - value == pytest.approx(stats.norm.ppf(0.95) * np.sqrt(8.0), rel=1e-3)
    assert value - low == pytest.approx(high - value)


def test_the_configuration_advantage_is_the_within_department_difference() -> None:
    base = {f"S{i}": [5.0 + d for d in (-0.4, 0.0, 0.4)] for i in range(4)}
    tuned = {f"P{i}": [7.0 + d for d in (-0.4, 0.0, 0.4)] for i in range(4)}
    people = pd.concat(
        [people_frame(base, configuration="v1"), people_frame(tuned, configuration="v2", pilot_teams=tuple(tuned))]
    )
    people["pilot_member"] = people["team"].isin(tuned)
    data = measured.PortabilityData(people.reset_index(drop=True), "minutes saved per task", True, "v2", "v1")
    model = team_model.fit_team_model(data.people, "v1")
    advantage = reporting.configuration_advantage(data, model, 0.90, min_group_size=5)
    assert advantage.difference == pytest.approx(2.0)
    assert advantage.measurable
    too_strict = reporting.configuration_advantage(data, model, 0.90, min_group_size=13)
    assert too_strict.difference is None and "fewer than 13" in too_strict.reason


# --- the recommendation rule -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "share_interval, tuned_better, choice, teams_differ",
    [
        ((0.20, 0.60), False, p.TEAM_SPECIFIC, True),
        ((0.10, 0.60), False, p.TEAM_SPECIFIC, True),  # on the threshold counts as material
        ((0.00, 0.09), False, p.SHARED, False),
        ((0.02, 0.40), False, p.SHARED, None),
        ((0.00, 0.09), True, p.TUNE, False),
        ((0.30, 0.60), True, p.TUNE, True),
        ((float("nan"), float("nan")), False, p.SHARED, None),
    ],
)
def test_recommendation_rule(share_interval, tuned_better, choice, teams_differ) -> None:
    rule = reporting.recommendation(share_interval, tuned_better)
    assert (rule.choice, rule.teams_differ, rule.tuned_better) == (choice, teams_differ, tuned_better)


# --- the measured people ---------------------------------------------------------------------------------------------


def test_person_configuration_is_that_of_most_assisted_records() -> None:
    records = pd.DataFrame(
        {
            "person_id": ["a", "a", "a", "a", "b", "b"],
            "assisted": [True, True, True, False, False, False],
            "configuration": ["X", "X", "Y", "Z", "Z", None],
        }
    )
    assert measured.person_configuration(records).to_dict() == {"a": "X", "b": "Z"}


def test_measured_people_mark_pilot_teams_and_give_people_without_a_team_their_own() -> None:
    roster = pd.DataFrame(
        {
            "person_id": ["a", "b", "c", "d"],
            "department": ["Ops"] * 4,
            "team": ["T1", "T1", "T2", None],
            "in_pilot": [True, False, False, False],
        }
    )
    effects = pd.Series({"a": 1.0, "b": 2.0, "c": 3.0, "d": 4.0})
    people = measured.measured_people(effects, roster, None).set_index("person_id")
    assert people["pilot_team"].to_dict() == {"a": True, "b": True, "c": False, "d": False}
    assert people.loc["d", "team"] == "(no team) d"
    assert people.loc["b", "configuration"] == measured.PILOT_TEAMS_LABEL
    assert people.loc["c", "configuration"] == measured.OTHER_TEAMS_LABEL


# --- a client with outcome records -----------------------------------------------------------------------------------


def portability_client(root: Path) -> Path:
    """24 people in four teams of six; T1 holds the two pilot members and works with prompt pack v2, the rest with v1.
    Each person: two unassisted clean records of 20 minutes and two assisted ones of 20 - effect minutes."""
    roster, outcomes = (
        ["Employee ID,Department,Team,Pilot"],
        ["record_id,person_id,assisted,minutes_taken,record_completeness,task_type,Prompt Version"],
    )
    for t, (team, team_effect) in enumerate(TEAM_EFFECTS.items()):
        for i, offset in enumerate(OFFSETS):
            person = f"E{t}{i}"
            roster.append(f"{person},{'Ops' if t < 2 else 'Sales'},{team},{'Y' if t == 0 and i < 2 else 'N'}")
            pack = "v2" if team == "T1" else "v1"
            for assisted, minutes in (
                ("no", 20.0),
                ("no", 20.0),
                ("yes", 20.0 - team_effect - offset),
                ("yes", 20.0 - team_effect - offset),
            ):
                outcomes.append(f"R{len(outcomes)},{person},{assisted},{minutes},1.0,Reply,{pack}")
    write(root / "exports" / "hr.csv", "\n".join(roster) + "\n")
    write(root / "exports" / "outcomes.csv", "\n".join(outcomes) + "\n")
    write(
        root / "assessment.yml",
        "client: {name: Teams Ltd}\nexports:\n  roster: {file: hr.csv}\n"
        "  outcomes: {file: outcomes.csv, format: outcome_records}\nstatistics: {replicates: 50}\n",
    )
    return root


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> PreparedPackage:
    client = ClientFolder(portability_client(tmp_path_factory.mktemp("teams")))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


@pytest.fixture(scope="module")
def study(package: PreparedPackage) -> p.PortabilityStudy:
    return p.portability_study(package)


def test_portability_data_reads_effects_teams_and_configurations(package: PreparedPackage) -> None:
    data = measured.portability_data(package)
    people = data.people.set_index("person_id")
    assert len(people) == 24 and data.teams == 4 and data.shared_teams == 4
    assert people.loc["E00", "effect"] == pytest.approx(7.5) and people.loc["E31", "effect"] == pytest.approx(4.0)
    assert set(people.loc[people["pilot_team"], "team"]) == {"T1"}
    assert (data.named_configurations, data.tuned, data.standard) == (True, "v2", "v1")
    assert measured.unavailable_reason(package, data) is None


def test_team_table_shows_teams_of_the_minimum_size_with_their_means(study: p.PortabilityStudy) -> None:
    teams = p.team_table(study).set_index("Team")
    column = tables.effect_column(study.data.unit)
    assert teams[column].to_dict() == pytest.approx(TEAM_EFFECTS)
    assert list(teams.index)[0] == "T1" and teams.loc["T1", "Pilot team"]
    # t interval of six values -0.5, 0, 0.5, -0.5, 0, 0.5 around the mean
    half = stats.t.ppf(0.95, 5) * stats.sem(OFFSETS)
    low, high = tables.interval_columns(study.interval)
    assert teams.loc["T4", high] - teams.loc["T4", column] == pytest.approx(half)
    bigger = replace(study, min_group_size=7)
    assert p.team_table(bigger).empty
    # no team to show: the section says why in one sentence, never "0 of them have at least 7"
    note = p.team_section_text(bigger)
    assert note == p.team_note(bigger) and "0 of them" not in note
    assert note.startswith("No team is shown: none of the 4 teams with a measured effect has 7 measured people")
    shown = p.team_section_text(study)
    assert shown.startswith("Each team with at least the minimum group size") and "No team" not in shown
    assert p.team_note(study) == (
        "4 teams of 4 with a measured effect have at least 5 measured people (the minimum group size) and are shown."
    )


def test_small_configurations_and_departments_are_suppressed(study: p.PortabilityStudy) -> None:
    strict = replace(study, min_group_size=7)
    configurations = p.configuration_table(strict).set_index("Configuration")
    assert configurations.loc["v2", "suppressed"] and pd.isna(configurations.loc["v2", "People measured"])
    assert not configurations.loc["v1", "suppressed"] and configurations.loc["v1", "People measured"] == 18
    assert configurations.loc["v1", tables.effect_column(study.data.unit)] == pytest.approx(16 / 3)
    departments = p.new_team_by_department(replace(study, min_group_size=12))  # 12 people in each department
    assert departments["suppressed"].tolist() == [False, False]
    blanked = p.new_team_by_department(replace(study, min_group_size=13))
    assert blanked["suppressed"].all() and blanked["People measured"].isna().all()


def test_new_team_expectation_and_findings(study: p.PortabilityStudy) -> None:
    new_team = study.new_team
    assert new_team.configuration == "v1" and not new_team.extrapolated
    assert new_team.pilot_teams_mean == pytest.approx(8.0) and new_team.pilot_teams_people == 6
    assert new_team.interval[0] < new_team.expected < new_team.interval[1]
    assert new_team.ratio == pytest.approx(new_team.expected / 8.0)
    findings = p.portability_findings(study)
    assert findings[0].startswith("24 people in 4 teams have a measured effect")
    assert findings[-1].startswith("Recommendation: ")


def test_the_bootstrap_is_seeded(package: PreparedPackage, study: p.PortabilityStudy) -> None:
    again = team_model.bootstrap(study.data, 50, 0.9, package.settings.statistics.seed)
    pd.testing.assert_frame_equal(again.table, study.replicates.table)
    drawn, groups = team_model.cluster_draw(np.random.default_rng(1), study.data.people)
    assert groups.nunique() == 4 and len(drawn) == 24  # one pilot team and three others redrawn, six people each
    assert drawn.loc[groups.str.startswith("pilot"), "team"].eq("T1").all()


def test_a_client_without_outcomes_says_so(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    assert p.portability_study(package) is None
    assert "no outcome records" in p.absence_note(package, None)


def test_without_anyone_outside_the_pilot_teams_the_new_team_is_an_upper_bound() -> None:
    values = {team: [6.0 + d + t for d in (-0.4, 0.0, 0.4, 0.2, -0.2)] for t, team in enumerate("ABCD")}
    people = people_frame(values, configuration="v2", pilot_teams=tuple(values))
    people["pilot_member"] = people["person_id"].str.endswith("-0")
    data = measured.PortabilityData(people, "minutes saved per task", True, "v2", None)
    study = study_module.study_of(data, replicates=50, interval=0.9, seed=7, min_group_size=5)
    assert study.new_team.extrapolated and study.new_team.configuration == "v2"
    assert (
        study.advantage.difference is None and study.advantage.reason == "no one outside the pilot teams was measured"
    )
    assert study.new_team.expected == pytest.approx(7.5, abs=0.01)  # the mean of the four team means
    assert "an upper bound" in p.portability_findings(study)[3]


def test_outcome_records_without_rows_are_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("outcomes",))
    assert measured.portability_data(package) is None and p.portability_study(package) is None
    assert p.absence_note(package, None).startswith("The effect by team and configuration is not assessed: ")


def test_outcome_records_none_of_which_is_usable_give_a_reason_not_an_error(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path)
    records = pd.DataFrame({"person_id": ["E1", "E2"], "assisted": [True, False], "data_tier": ["clean", "clean"]})
    conform("outcomes", records).to_parquet(package.path / "outcomes.parquet", index=False)  # no metric
    assert measured.portability_data(package).people.empty and p.portability_study(package) is None
    assert p.absence_note(package, None).startswith("Only 0 people have a measured effect")
