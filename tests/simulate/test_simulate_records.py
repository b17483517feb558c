"""The in-memory tables: survey, usage, outcomes, tickets, governance."""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap.simulate import SimulatedDeployment, governance_template_items
from scalegap.simulate.instrument import SURVEY_ITEMS


def test_respondents_are_more_ready_than_non_respondents(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    responded = people["survey_responded"]
    assert 0.5 < responded.mean() < 0.7
    assert people.loc[responded, "readiness"].mean() > people.loc[~responded, "readiness"].mean() + 0.3


def test_survey_answers_track_readiness_and_reverse_items(deployment: SimulatedDeployment) -> None:
    survey = deployment.survey
    employees = survey[survey["respondent_type"] == "employee"].merge(
        deployment.people[["employee_id", "readiness"]], on="employee_id"
    )
    for item in SURVEY_ITEMS:
        correlation = employees[item.column].astype(float).corr(employees["readiness"])
        assert (correlation < -0.3) if item.reverse else (correlation > 0.3), item.column


def test_survey_messiness_is_recorded(deployment: SimulatedDeployment) -> None:
    survey = deployment.survey
    assert (survey["respondent_type"] == "contractor").sum() == 15
    assert survey["repeat_submission"].sum() == 2
    repeated = survey.loc[survey["repeat_submission"], "employee_id"]
    assert survey["employee_id"].isin(repeated).sum() == 4
    partial = survey[~survey["finished"]]
    assert 0.02 < len(partial) / len(survey) < 0.06
    assert (partial["progress"] < 100).all()
    assert partial["Q6_3"].isna().all()
    email_only = survey[survey["external_reference"] == ""]
    assert 0.03 < len(email_only) / len(survey) < 0.07
    assert (email_only["recipient_email"] != email_only["recipient_email"].str.strip()).all()
    items = survey.loc[survey["finished"], [i.column for i in SURVEY_ITEMS]]
    assert 0.01 < items.isna().mean().mean() < 0.05


def test_usage_covers_pilot_and_rollout_weekdays(deployment: SimulatedDeployment) -> None:
    usage = deployment.usage
    assert set(usage["access_cohort"]) == {"pilot", "rollout", ""}
    assert (usage["date"].dt.day_of_week < 5).all()
    pilot = usage[usage["access_cohort"] == "pilot"]
    assert pilot["date"].min() == pd.Timestamp("2026-03-02")
    # pilot members keep their licences: their use continues after the pilot (2026-05-22) to the end of the data
    assert pilot["date"].max() == pd.Timestamp("2026-08-28")
    after = pilot[pilot["date"] > pd.Timestamp("2026-05-22")]
    assert after["employee_id"].nunique() > 30
    rollout = usage[usage["access_cohort"] == "rollout"]
    assert rollout["date"].min() >= pd.Timestamp("2026-06-08") and rollout["date"].max() <= pd.Timestamp("2026-08-28")
    assert usage["employee_id"].isna().sum() == 5
    assert not usage.duplicated(["user_email", "date"]).any()
    assert (usage["interactions"] >= 1).all()


def test_pilot_dropouts_stop_for_good(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    dropouts = people[people["usage_stopped_on"].notna()]
    assert len(dropouts) == 10
    assert dropouts["in_pilot"].all() and dropouts["adopted"].all()
    assert (dropouts["adoption_week"] < 12).all()
    assert (dropouts["usage_stopped_on"] > pd.Timestamp("2026-05-22")).all()
    assert (dropouts["usage_stopped_on"] <= pd.Timestamp("2026-08-28") - pd.Timedelta(days=35)).all()
    usage = deployment.usage.merge(dropouts[["employee_id", "usage_stopped_on"]], on="employee_id")
    assert not (usage["date"] >= usage["usage_stopped_on"]).any()
    assert usage.groupby("employee_id")["date"].max().min() >= pd.Timestamp("2026-04-01")


def test_tickets_come_from_access_periods_only(deployment: SimulatedDeployment) -> None:
    tickets = deployment.tickets
    pilot = tickets[tickets["access_cohort"] == "pilot"]
    assert pilot["created"].max() < pd.Timestamp("2026-05-23")


def test_adopters_use_the_assistant_more_than_non_adopters(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    with_access = people[people["access_cohort"] != ""]
    days = deployment.usage.groupby("employee_id").size()
    active_days = with_access["employee_id"].map(days).fillna(0)
    early_adopters = with_access["adopted"] & (with_access["adoption_week"] < 6)
    assert active_days[early_adopters].mean() > 3 * active_days[~with_access["adopted"]].mean()


def test_pilot_adoption_beats_rollout_adoption(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    pilot_rate = people.loc[people["access_cohort"] == "pilot", "adopted"].mean()
    rollout_rate = people.loc[people["access_cohort"] == "rollout", "adopted"].mean()
    assert pilot_rate > rollout_rate + 0.2


def test_outcomes_show_the_effect_and_the_data_mix(deployment: SimulatedDeployment) -> None:
    outcomes = deployment.outcomes
    pilot = outcomes[outcomes["record_source"] == "pilot"]
    others = outcomes[outcomes["record_source"] != "pilot"]
    assert pilot["messy"].mean() < 0.15
    assert 0.38 < others["messy"].mean() < 0.52
    messy = (outcomes["record_completeness"] < 0.9) | (outcomes["exception_flag"] == 1)
    assert (messy == outcomes["messy"]).all()
    cohort = outcomes[(outcomes["record_source"] == "rollout") & (outcomes["minutes_taken"] > 0)]
    saved = cohort.groupby(["messy", "assisted"])["minutes_taken"].mean()
    clean_saving = saved[(False, False)] - saved[(False, True)]
    messy_saving = saved[(True, False)] - saved[(True, True)]
    assert clean_saving > 2 and clean_saving > messy_saving
    assert outcomes["minutes_taken"].isna().sum() >= 5
    assert (outcomes["minutes_taken"] < 0).sum() == 1
    assert not outcomes.loc[outcomes["record_source"] == "baseline_sample", "assisted"].any()
    assert outcomes.loc[outcomes["record_source"] == "baseline_sample", "employee_id"].nunique() == 300


def test_outcomes_carry_the_team_configuration_that_labels_the_pilot_tuning(deployment: SimulatedDeployment) -> None:
    people, outcomes = deployment.people, deployment.outcomes
    pilot_teams = set(people.loc[people["in_pilot"], "team"])
    tuned = outcomes["team"].isin(pilot_teams)
    assert (outcomes.loc[tuned, "configuration"] == "Pilot prompt pack v2").all()
    assert (outcomes.loc[~tuned, "configuration"] == "Standard prompt pack v1").all()
    assert outcomes.groupby("team")["configuration"].nunique().max() == 1
    portability = people.groupby("team")["team_portability"].first()
    ratio = portability.groupby(portability.index.isin(pilot_teams)).apply(lambda p: np.exp(np.log(p).mean()))
    assert 1.0 < ratio[True] / ratio[False] < 1.5  # the 15% tuning bonus, seen through the team draws


def test_direct_support_is_faster_than_the_service_desk(deployment: SimulatedDeployment) -> None:
    tickets = deployment.tickets
    assert len(tickets) > 50
    hours = (tickets["first_response"] - tickets["created"]).dt.total_seconds() / 3600
    by_channel = hours.groupby(tickets["request_channel"]).median()
    assert by_channel["Build team (direct)"] * 4 < by_channel["Service desk"]
    rollout = tickets[tickets["access_cohort"] == "rollout"]
    assert (rollout["request_channel"] == "Service desk").all()
    unresolved = tickets[tickets["resolved"].isna()]
    assert len(unresolved) > 0 and (unresolved["resolution"] == "").all()
    assert (tickets["updated"] >= tickets["created"]).all()


def test_less_ready_users_file_more_tickets(deployment: SimulatedDeployment) -> None:
    people = deployment.people
    with_access = people[people["access_cohort"] != ""].copy()
    with_access["tickets"] = with_access["employee_id"].map(deployment.tickets["employee_id"].value_counts())
    with_access["tickets"] = with_access["tickets"].fillna(0)
    weeks = deployment.usage.assign(week=deployment.usage["date"].dt.isocalendar().week)
    active_weeks = weeks.groupby("employee_id")["week"].nunique()
    with_access["rate"] = with_access["tickets"] / with_access["employee_id"].map(active_weeks)
    ready = with_access["readiness"] > with_access["readiness"].median()
    assert with_access.loc[~ready, "rate"].mean() > with_access.loc[ready, "rate"].mean()


def test_governance_items(deployment: SimulatedDeployment) -> None:
    items = deployment.governance
    assert len(items) == 24
    assert len({item["id"] for item in items}) == 24
    assert {item["nist_function"] for item in items} == {"Govern", "Map", "Measure", "Manage"}
    statuses = [item["status"] for item in items]
    assert set(statuses) <= {"in_place", "partial", "absent"}
    assert 6 <= statuses.count("absent") <= 10
    assert sum(1 for item in items if item["owner"] == "") >= 9
    assert all(item["owner"] == "" and item["evidence"] == "" for item in items if item["status"] == "absent")
    areas = {item["area"] for item in items}
    assert {"Ownership", "Incident response", "Data protection", "Decommissioning"} <= areas
    template = governance_template_items()
    assert [t["id"] for t in template] == [item["id"] for item in items]
    assert all(t["status"] == "absent" and t["owner"] == "" and t["evidence"] == "" for t in template)
    assert np.all([list(t) == list(item) for t, item in zip(template, items)])
