from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalegap.client import ClientFolder
from scalegap.models import support
from scalegap.models.support import exposure, full_rollout, rates, response, staffing, sustainment_model, ticket_model
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.privacy import SUPPRESSED
from scalegap.settings import SupportSettings, load_settings
from scalegap.stats import queueing
from tests.models import test_availability as degraded
from tests.models.conftest import ExampleClient
from tests.support import tiny_client, write

TICKETS = """ticket_id,person_id,created_at,first_response_at,resolved_at,channel,category,reopen_count
T1,E1,2026-03-02 09:00,2026-03-02 09:30,2026-03-02 12:00,build_team,Question,0
T2,E2,2026-03-03 10:00,2026-03-03 14:00,,service_desk,Bug,1
T3,E9,2026-03-03 11:00,2026-03-03 12:00,2026-03-04 11:00,service_desk,Question,
T4,X1,2026-03-03 11:00,2026-03-03 12:00,2026-03-04 11:00,service_desk,Question,0
"""


@pytest.fixture
def package(tmp_path: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


@pytest.fixture
def package_with_tickets(tmp_path: Path) -> PreparedPackage:
    root = tiny_client(tmp_path)
    write(root / "exports" / "tickets.csv", TICKETS)
    settings = (
        (root / "assessment.yml")
        .read_text()
        .replace(
            "  usage: {file: usage.csv}\n",
            "  usage: {file: usage.csv}\n  tickets: {file: tickets.csv, format: tickets_generic, values: "
            "{channel: {build_team: build_team, service_desk: service_desk}}}\n",
        )
    )
    write(root / "assessment.yml", settings)
    client = ClientFolder(root)
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


# --- exposure and rates on a constructed table -------------------------------------------------------------

ROSTER = pd.DataFrame(
    {
        "person_id": list("ABCDE"),
        "department": ["Ops", "Sales", "Ops", "Sales", "Sales"],
        "in_pilot": [True, True, False, False, False],
    }
)
WEEKS = pd.DataFrame(
    {
        "person_id": list("AABACCD"),
        "week_start": pd.to_datetime(
            ["2026-03-02", "2026-03-09", "2026-03-02", "2026-06-08", "2026-06-08", "2026-06-15", "2026-06-15"]
        ),
    }
)
TICKET_ROWS = pd.DataFrame(
    {
        "ticket_id": ["T1", "T2", "T3", "T4", "T5", "T6", "T7"],
        "person_id": ["A", "A", "B", "C", "E", "X", "D"],
        "created_at": pd.to_datetime(
            [
                "2026-03-03 10:00",
                "2026-03-10 10:00",
                "2026-03-04 10:00",
                "2026-06-09 10:00",
                "2026-06-10 10:00",
                "2026-06-10 11:00",
                "2026-06-16 10:00",
            ]
        ),
    }
)


def constructed_exposure() -> exposure.TicketExposure:
    return exposure.person_exposure(ROSTER, WEEKS, TICKET_ROWS)


def test_ticket_windows_run_from_first_use_to_last_ticket() -> None:
    windows = constructed_exposure().windows
    assert windows.loc[support.PILOT, "start"] == pd.Timestamp("2026-03-02")
    assert windows.loc[support.PILOT, "end"] == pd.Timestamp("2026-03-09")  # A's June week falls outside
    assert windows.loc[exposure.REST, "start"] == pd.Timestamp("2026-06-08")
    assert windows.loc[exposure.REST, "end"] == pd.Timestamp("2026-06-15")


def test_person_exposure_counts_active_weeks_and_tickets() -> None:
    result = constructed_exposure()
    people = result.people.set_index("person_id")
    assert people["active_weeks"].to_dict() == {"A": 2, "B": 1, "C": 2, "D": 1}
    assert people["tickets"].to_dict() == {"A": 2, "B": 1, "C": 1, "D": 1}
    assert (result.all_tickets, result.not_in_roster, result.without_use) == (7, 1, 1)  # X not rostered, E no use
    assert len(result.tickets) == 5


def test_tickets_per_active_user_per_week_on_a_tiny_table() -> None:
    assert rates.ticket_rate(3, 4) == 0.75
    assert np.isnan(rates.ticket_rate(1, 0))
    table = rates.rate_table(constructed_exposure().people, "group", 2, [support.PILOT, exposure.REST]).set_index(
        "Group"
    )
    assert table.loc[support.PILOT, ["Active users", "Active user-weeks", "Tickets"]].tolist() == [2, 3, 3]
    assert table.loc[support.PILOT, support.RATE] == pytest.approx(100.0)  # 3 tickets ÷ 3 weeks, per 100
    assert table.loc[exposure.REST, support.RATE] == pytest.approx(200 / 3)  # 2 ÷ 3
    by_department = rates.rate_table(constructed_exposure().people, "department", 3).set_index("Group")
    assert by_department[SUPPRESSED].all()  # 2 people each: both suppressed


def test_secondary_suppression_hides_the_smallest_shown_group() -> None:
    table = pd.DataFrame({"Group": list("abc"), "Active users": [2, 6, 10], "Tickets": [1, 2, 3]})
    # a (2 < 5) is hidden; a alone holds 2 people, so b, the smallest shown, goes too; then 8 are hidden
    shown = rates.suppress_partition(table, "Active users", 5)
    assert shown[SUPPRESSED].tolist() == [True, True, False]
    assert pd.isna(shown.loc[1, "Tickets"]) and shown.loc[2, "Tickets"] == 3


def test_category_table_counts_shares_and_rates() -> None:
    tickets = pd.DataFrame(
        {
            "ticket_id": ["1", "2", "3", "4"],
            "person_id": ["a", "b", "a", "c"],
            "category": ["Bug", "Bug", "Question", None],
        }
    )
    table = rates.category_table(tickets, active_weeks=8, minimum=1).set_index("Category")
    assert table.loc["Bug", "Tickets"] == 2 and table.loc["Bug", "People who raised them"] == 2
    assert table.loc["Bug", "Share of tickets"] == pytest.approx(0.5)
    assert table.loc["Bug", support.RATE] == pytest.approx(25.0)  # 2 ÷ 8 × 100
    assert table.loc[exposure.NOT_RECORDED, "Tickets"] == 1
    hidden = rates.category_table(tickets, active_weeks=8, minimum=2).set_index("Category")
    assert hidden[SUPPRESSED].to_dict() == {"Bug": False, exposure.NOT_RECORDED: True, "Question": True}
    assert pd.isna(hidden.loc["Question", "Tickets"])  # one person: the two hidden hold 2, enough together


def test_response_times_median_and_p90_by_channel() -> None:
    created = pd.Timestamp("2026-03-02 09:00")
    tickets = pd.DataFrame(
        {
            "ticket_id": list("abcde"),
            "person_id": list("pqrsp"),
            "channel": ["build_team"] * 4 + ["service_desk"],
            "created_at": [created] * 5,
            "first_response_at": [created + pd.Timedelta(hours=h) for h in (1, 2, 3, 4, 10)],
            "resolved_at": [created + pd.Timedelta(hours=h) for h in (5, 6, 7)] + [pd.NaT, pd.NaT],
        }
    )
    table = response.response_time_table(tickets, target_minutes=60, minimum=1).set_index("Support channel")
    build = table.loc["Build team (direct)"]
    assert build["Tickets"] == 4 and build["With a first response"] == 4
    assert build["Median hours to first response"] == pytest.approx(2.5)
    assert build["90th percentile (first response)"] == pytest.approx(3.7)  # linear: 3 + 0.7 × (4 − 3)
    assert build["First response within target"] == pytest.approx(0.25)  # 1 hour counts as within 60 minutes
    assert build["Resolved"] == 3 and build["Median hours to resolution"] == pytest.approx(6)
    desk = table.loc["Service desk"]
    assert desk["Resolved"] == 0 and np.isnan(desk["Median hours to resolution"])
    assert response.elapsed_hours(pd.Series([created]), pd.Series([created - pd.Timedelta(hours=1)])).isna().all()


def test_reopen_rate_and_when_it_is_not_measured() -> None:
    reopened = response.reopen_rate(pd.DataFrame({"reopen_count": [0, 1, 2, np.nan]}))
    assert (reopened.measured, reopened.reopened) == (3, 2)
    assert reopened.rate == pytest.approx(2 / 3)
    assert response.reopen_rate(pd.DataFrame({"reopen_count": [np.nan, np.nan]})) is None
    assert response.reopen_rate(pd.DataFrame({"ticket_id": ["1"]})) is None


# --- the ticket model ---------------------------------------------------------------------------------------


def test_poisson_fit_reproduces_group_rates_with_exposure() -> None:
    # group x=0: 2 tickets over 10 weeks; group x=1: 6 tickets over 10 weeks
    tickets = np.array([1, 1, 3, 3], dtype=float)
    weeks = np.array([5, 5, 5, 5], dtype=float)
    X = np.column_stack([np.ones(4), [0, 0, 1, 1]])
    params = ticket_model.fit_ticket_rates(tickets, weeks, X, levels=0)
    assert np.exp(params[0]) == pytest.approx(0.2, rel=1e-4)
    assert np.exp(params.sum()) == pytest.approx(0.6, rel=1e-4)
    intercept_only = ticket_model.fit_ticket_rates(tickets, weeks, np.ones((4, 1)), levels=0)
    assert np.exp(intercept_only[0]) == pytest.approx(8 / 20, rel=1e-4)


def test_segment_indicators_are_pulled_towards_the_average() -> None:
    tickets = np.array([0, 0, 4, 4], dtype=float)
    weeks = np.ones(4)
    X = np.column_stack([np.ones(4), [1, 1, 0, 0], [0, 0, 1, 1]])
    params = ticket_model.fit_ticket_rates(tickets, weeks, X, levels=2)
    assert np.isfinite(params).all()
    assert np.exp(params[0] + params[1]) > 0  # a segment with no tickets keeps a positive rate


def test_design_matrix_columns_and_model_levels() -> None:
    covariates = pd.DataFrame(
        {"segment": ["a", "b", "c"], "readiness": [50.0, 70.0, 30.0], "no_response": [0.0, 0.0, 1.0]}
    )
    X = ticket_model.design_matrix(covariates, ("a", "b"))
    assert X.tolist() == [[1, 1, 0, 0, 0], [1, 0, 1, 2, 0], [1, 0, 0, -2, 1]]
    without = ticket_model.design_matrix(covariates.assign(readiness=np.nan), ("a",))
    assert without.shape == (3, 2)
    people = pd.DataFrame({"segment": ["a"] * 3 + ["b"] * 2 + [exposure.NOT_RECORDED] * 3})
    assert ticket_model.model_levels(people, 3) == ("a",)


def test_stratified_resample_keeps_group_sizes() -> None:
    groups = np.array(["p", "p", "r", "r", "r"])
    rows = ticket_model.stratified_resample(np.random.default_rng(1), groups)
    assert sorted(groups[rows].tolist()) == ["p", "p", "r", "r", "r"]


def test_weekly_active_share_averages_the_last_weeks() -> None:
    assert full_rollout.weekly_active_share(pd.Series([10, 20, 30, 40, 50]), 100, weeks=4) == pytest.approx(0.35)
    assert np.isnan(full_rollout.weekly_active_share(pd.Series([1]), 0))


def test_full_rollout_tickets_weight_each_rate_by_the_chance_of_being_active() -> None:
    production = pd.DataFrame({"person_id": ["a", "b"], "rate": [0.1, 0.3]})
    projection = ticket_model.TicketProjection(
        None, (), False, production, np.array([[0.2, 0.2], [0.1, 0.5]]), None, {}, 2, 1, 10
    )
    point, replicates = full_rollout.full_rollout_tickets(projection, 0.5)  # the current single-share assumption
    assert point == pytest.approx(0.2) and replicates.tolist() == pytest.approx([0.2, 0.3])
    point, _ = full_rollout.full_rollout_tickets(projection, np.array([1.0, 0.0]))  # a per-person adoption forecast
    assert point == pytest.approx(0.1)
    assert sustainment_model.ticket_share_in_period(
        np.array([0.0, np.log(2) / 13]), weights=np.array([1.0, 3.0])
    ) == pytest.approx(0.375)


# --- staffing and the break point ---------------------------------------------------------------------------


def test_business_hours_conversions() -> None:
    assert staffing.peak_hour_arrivals(40) == pytest.approx(1.3)  # 40 ÷ 40 hours × 1.3
    assert staffing.agents_on_duty(1, 30) == pytest.approx(0.75)
    assert staffing.full_time_equivalents(3, 30) == pytest.approx(4)


def test_staffing_for_the_pyworkforce_load() -> None:
    settings = SupportSettings(
        target_response_minutes=20 / 60,
        service_level_target=0.8,
        handling_minutes=3,
        agent_hours_per_week=30,
        current_agents=14 * 40 / 30,
        adoption_loss_when_late=0.1,
    )
    weekly = 200 * staffing.BUSINESS_HOURS_PER_WEEK / staffing.PEAK_HOUR_FACTOR  # 200 tickets in the busiest hour
    desk = staffing.staffing_for(weekly, settings)
    assert desk.load_erlangs == pytest.approx(10)
    assert desk.agents_on_duty == 14
    assert 13 * 40 / 30 < desk.agents_needed < 14 * 40 / 30
    assert desk.service_level_current == pytest.approx(0.8884, abs=5e-5)  # 14 agents on duty


def test_break_point_on_a_constructed_curve() -> None:
    curve = pd.DataFrame(
        {"Rollout share": [0.1, 0.2, 0.3, 0.4], "Service level, current agents": [0.95, 0.85, 0.75, 0.5]}
    )
    assert staffing.capacity_break_point(curve, 0.8) == pytest.approx(0.25)  # halfway from 0.85 to 0.75
    assert staffing.capacity_break_point(curve, 0.4) is None
    assert staffing.capacity_break_point(curve, 0.99) == pytest.approx(0.1)


def test_curve_table_scales_tickets_with_rollout_share() -> None:
    settings = SupportSettings(
        target_response_minutes=60,
        service_level_target=0.8,
        handling_minutes=30,
        agent_hours_per_week=30,
        current_agents=1,
        adoption_loss_when_late=0.1,
    )
    curve = staffing.curve_table(100.0, np.array([80.0, 120.0]), 1000, settings, (0.5, 1.0), 0.9)
    assert curve["Tickets per week"].tolist() == pytest.approx([50, 100])
    assert curve["People with access"].tolist() == pytest.approx([500, 1000])
    assert (curve["Agents needed low"] <= curve["Agents needed (FTE)"]).all()
    assert (curve["Agents needed (FTE)"] <= curve["Agents needed high"]).all()
    load = 100 / 40 * 1.3 * 30 / 60
    assert curve["Service level, current agents"].iloc[1] == pytest.approx(queueing.service_level(0.75, load, 30, 60))


# --- sustainment ----------------------------------------------------------------------------------------------


def test_sustainment_formula_and_ticket_share() -> None:
    assert sustainment_model.sustainment(0.1, 0.5, 0.2) == pytest.approx(0.99)
    assert sustainment_model.ticket_share_in_period(np.array([0.0, np.log(2) / 13])) == pytest.approx(0.25)
    settings = SupportSettings(
        target_response_minutes=60,
        service_level_target=0.8,
        handling_minutes=30,
        agent_hours_per_week=30,
        current_agents=1,
        adoption_loss_when_late=0.1,
    )
    assert sustainment_model.late_share(100, 0, settings) == 1.0
    assert sustainment_model.late_share(0, 0, settings) == 0.0


# --- a prepared package without enough data -----------------------------------------------------------------


def test_without_tickets_the_chapter_says_so(package: PreparedPackage) -> None:
    assert "not assessed: no support tickets were supplied" in exposure.unavailable_reason(package)
    assert support.rates_by_group(package).empty and support.response_times(package).empty
    assert support.segments(package) == []
    factor = support.sustainment_factor(package)
    assert factor.value is None and "no support tickets were supplied" in factor.note
    headline = support.support_headline(package)
    assert headline.tickets is None and headline.tickets_per_week_full_rollout is None
    assert headline.as_dict()["current_agents"] == 1
    assert support.support_findings(package)[0].startswith("The support load is not assessed")
    assert support.staffing_curve(package).empty and support.current_capacity_break(package) is None


def test_with_few_tickets_rates_are_measured_but_not_projected(package_with_tickets: PreparedPackage) -> None:
    package = package_with_tickets
    assert exposure.unavailable_reason(package) is None
    result = exposure.ticket_exposure(package)
    # E1 has two active days in week 2026-03-02 (one active week); E2 one; E9 raised a ticket without use
    assert result.people.set_index("person_id")["active_weeks"].to_dict() == {"E1": 1, "E2": 1}
    assert (result.all_tickets, result.not_in_roster, result.without_use) == (4, 1, 1)
    assert ticket_model.ticket_projection(package) is None
    assert "too little" in support.projection_unavailable_reason(package)
    assert response.reopen_rate(package.table("tickets")).rate == pytest.approx(1 / 3)
    times = support.response_times(package)
    assert times[SUPPRESSED].all()  # one or two people per channel: below the minimum group size
    headline = support.support_headline(package)
    assert headline.tickets == 4 and headline.reopen_rate == pytest.approx(1 / 3)
    assert headline.sustainment_factor is None


# --- the demo client: what the simulator intends ----------------------------------------------------------


@pytest.fixture(scope="module")
def demo(example_client: ExampleClient) -> PreparedPackage:
    return example_client.package


def test_demo_non_enthusiasts_are_projected_to_raise_more_tickets_than_the_pilot(demo: PreparedPackage) -> None:
    """The simulator files Poisson(0.25 × e^(−0.5 × readiness)) tickets per active week: the pilot's members,
    the most ready, raise fewest; the true steady-state load at full rollout is about 173 tickets a week."""
    headline = support.support_headline(demo)
    assert headline.tickets == 205
    comparison = support.rate_comparison(demo).set_index("Rate")
    pilot = comparison.loc[f"{support.PILOT}, observed", support.RATE]
    assert comparison.loc["Everyone outside the pilot, projected", "Interval low"] > pilot
    ratio, low, high = ticket_model.ticket_projection(demo).readiness_ratio
    assert high < 1
    assert headline.tickets_per_week_full_rollout_low < 173 < headline.tickets_per_week_full_rollout_high
    assert headline.agents_needed_full_rollout > headline.current_agents
    assert 0 < headline.capacity_break_share < 1
    assert 0.9 < headline.sustainment_factor < 1


def test_demo_projection_is_seeded(demo: PreparedPackage) -> None:
    first, second = ticket_model.build_projection(demo), ticket_model.build_projection(demo)
    assert np.array_equal(first.replicate_rates, second.replicate_rates)


def test_a_ticket_export_without_rows_is_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path / "empty", ("tickets", "usage"))
    assert exposure.unavailable_reason(package).startswith(
        "The support load is not assessed: the support tickets export"
    )
    headline = support.support_headline(package)
    assert headline.tickets is None and headline.reopen_rate is None and headline.sustainment_factor is None
    assert support.response_times(package).empty and "not assessed" in support.reopen_sentence(package)
    rows = dict(support.headline_rows(headline, package))
    assert rows["Tickets in the export"].startswith("not assessed: the support tickets export")


def test_the_active_share_assumption_says_what_it_is_and_nothing_unfinished() -> None:
    text = full_rollout.ActiveShareAssumption(0.451, "Everyone else", 118, 4).describe()
    assert text.startswith("Assumption: at full rollout, 45 % of every segment's headcount uses the assistant")
    assert "among the 118 people in 'Everyone else' who held a licence or used the assistant" in text
    assert "people with access" not in text  # the adoption chapter's term, for another count
    pilot = full_rollout.ActiveShareAssumption(0.6, "Pilot members", 60, 1).describe()
    assert "among the 60 pilot members, of those active in an average week of the last week" in pilot
    assert text.endswith("an assumption taken from the use observed so far.")
    assert "stands in" not in text and "will be replaced" not in text


def test_the_observed_rates_of_drawn_rows_count_a_person_as_often_as_drawn_and_leave_out_the_groupless():
    fit = pd.DataFrame(
        {
            "group": ["Pilot members", "Pilot members", "Everyone else", None],
            "tickets": [2, 0, 3, 9],
            "active_weeks": [4, 4, 10, 1],
        }
    )
    counts = ticket_model.GroupCounts.of(fit)
    assert counts.rates(np.array([0, 0, 1, 2, 3])) == {"Everyone else": 0.3, "Pilot members": 4 / 12}
    assert counts.rates(np.array([1])) == {"Pilot members": 0.0}
    assert ticket_model.observed_rates(fit, np.arange(4)) == {"Everyone else": 0.3, "Pilot members": 0.25}
