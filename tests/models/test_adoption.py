import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from scalegap import number_format as nf
from scalegap.client import ClientFolder
from scalegap.models import adoption
from scalegap.models.adoption import access, categories, demographic_cliff, forecast
from scalegap.models.adoption import licences as licence_waste
from scalegap.models.adoption import usage as active_use
from scalegap.models.measurement_error import attenuation_note
from scalegap.models.production_scaling import PILOT_ATTENTION_RANGE, PILOT_CONDITIONS_RANGE, middle, production_notes
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import AdoptionSettings, StatisticsSettings, SurveySettings, load_settings
from tests.models.conftest import ExampleClient
from tests.models.test_availability import read, write_package
from tests.support import tiny_client

SETTINGS = AdoptionSettings(intensity_thresholds=[1, 2, 4], sustained_use={"days_per_week": 1, "weeks": 3})
STATISTICS = StatisticsSettings(seed=5, replicates=200, interval=0.95)


@pytest.fixture
def small(tmp_path: Path) -> adoption.AdoptionData:
    """Seven people, the pilot starting Monday 2 March 2026, the data ending Friday 3 April (five weeks).

    A, B, C pilot (Finance).  A active every week -> sustained from week 1 (2 Mar).  B weeks 1, 3, 4, 5 ->
    sustained from week 3 (18 Mar).  C weeks 1-2 only -> never.  D (Legal) first use Tue 17 Mar, then weekly
    -> sustained from its week 1.  E (Legal) licence assigned 9 Mar, used 16 and 23 Mar -> two weeks, never.
    F (Legal) a licence never used, no assignment date -> access unknown.  G (Legal) nothing.
    """
    days = {
        "A": ["2026-03-02", "2026-03-10", "2026-03-17", "2026-03-24", "2026-03-31", "2026-04-03"],
        "B": ["2026-03-03", "2026-03-18", "2026-03-25", "2026-04-01"],
        "C": ["2026-03-04", "2026-03-11"],
        "D": ["2026-03-17", "2026-03-24", "2026-03-31"],
        "E": ["2026-03-16", "2026-03-23"],
    }
    usage = pd.DataFrame(
        [(person, pd.Timestamp(day), "usage_daily") for person, dates in days.items() for day in dates],
        columns=["person_id", "date", "source"],
    )
    usage.to_parquet(tmp_path / "usage.parquet")
    roster = pd.DataFrame(
        {
            "person_id": list("ABCDEFG"),
            "department": ["Finance"] * 3 + ["Legal"] * 4,
            "in_pilot": [True] * 3 + [False] * 4,
        }
    )
    seats = pd.DataFrame(
        {
            "person_id": ["E", "F"],
            "assigned_at": pd.to_datetime(["2026-03-09", None]),
            "last_activity_at": pd.to_datetime(["2026-03-23", None]),
            "source": "m365",
        }
    )
    scores = pd.Series({"A": 4.0, "B": 3.0, "D": 2.0})
    return access.build_adoption_data(tmp_path / "usage.parquet", roster, seats, scores, SETTINGS, STATISTICS, 2)


def test_who_had_access_from_when(small: adoption.AdoptionData) -> None:
    people = small.people.set_index("person_id")
    assert small.pilot_start == pd.Timestamp("2026-03-02") and small.data_end == pd.Timestamp("2026-04-03")
    assert people["cohort"].fillna("none").tolist() == ["Pilot"] * 3 + ["Rollout"] * 2 + ["none", "none"]
    assert people.loc["D", "access_start"] == pd.Timestamp("2026-03-17")
    assert people.loc["E", "access_start"] == pd.Timestamp("2026-03-09")
    assert people["access_rule"].tolist() == ["pilot start"] * 3 + ["first use", "licence assigned", "", ""]
    assert people["access_unknown"].tolist() == [False] * 5 + [True, False]
    assert people["observed_weeks"].tolist()[:5] == [5, 5, 5, 3, 4]


def test_sustained_use_starts_with_the_first_run_of_three_active_weeks(small: adoption.AdoptionData) -> None:
    people = small.people.set_index("person_id")
    assert people["adopted"].tolist() == [True, True, False, True, False, False, False]
    assert people.loc[["A", "B", "D"], "onset_week"].tolist() == [1, 3, 1]
    assert people.loc[["A", "B", "D"], "days_to_sustained"].tolist() == [0, 16, 0]
    # the rollout's clock starts with its first access (E, week of 9 March): D adopted in its week 2
    assert people.loc["D", "cohort_week"] == 2 and people.loc["A", "cohort_week"] == 1


def test_retention_of_those_active_in_week_one(small: adoption.AdoptionData) -> None:
    curves = adoption.retention(small).set_index(["group", "week"])
    # pilot: A, B, C active in week 1; week 2 only A and C; weeks 3-5 A and B
    assert curves.loc["Pilot", "starters"].tolist() == [3] * 5
    assert curves.loc["Pilot", "still_active"].tolist() == [3, 2, 2, 2, 2]
    # rollout: only D was active in its week 1 (E began in its week 2); D is observed for three weeks
    assert curves.loc["Rollout", "still_active"].tolist() == [1, 1, 1]
    assert curves.loc[("Pilot", 2), "retention"] == pytest.approx(2 / 3)


def test_intensity_bands_over_the_last_four_weeks(small: adoption.AdoptionData) -> None:
    bands = active_use.intensity_band(pd.Series([0, 0.99, 1, 1.9, 2, 3.99, 4, 7]), [1, 2, 4])
    assert bands.tolist() == ["None", "None", "Light", "Light", "Moderate", "Moderate", "Heavy", "Heavy"]
    recent = active_use.recent_intensity(small).set_index("person_id")
    # A: 5 active days in the 4 weeks from 9 March; D: 3 days in the 3 weeks since its access; E: 2 in 4
    assert recent["days_per_week"].round(2).to_dict() == {"A": 1.25, "B": 0.75, "C": 0.25, "D": 1.0, "E": 0.5}
    assert recent["band"].tolist() == ["Light", "None", "None", "Light", "None"]


def test_adopter_categories_of_a_hand_made_ordering() -> None:
    days = pd.Series([*range(1, 41), np.nan, np.nan], dtype="float64")
    counts = categories.adopter_categories(days).value_counts()
    # position (rank - 1/2) / 40, cut at 2.5 %, 16 %, 50 %, 84 %
    assert counts.to_dict() == {
        "Innovators": 1,
        "Early adopters": 5,
        "Early majority": 14,
        "Late majority": 14,
        "Laggards": 6,
        "Non-adopters": 2,
    }
    tied = categories.adopter_categories(pd.Series([0.0, 0.0, 0.0, 0.0, 9.0]))
    assert tied.tolist() == ["Early majority"] * 4 + ["Laggards"]  # the four share mid-rank 2.5 -> 40 %


def test_predicted_categories_spread_expected_adoption_over_the_order() -> None:
    shares = categories.predicted_categories(pd.Series({"a": 1.0, "b": 1.0, "c": 0.5}))
    # expected adopters 2.5: a covers 0-40 %, b 40-80 %, c 80-100 %; mid-points 20 %, 60 %, 90 %
    assert shares.loc["a", "Early majority"] == 1.0 and shares.loc["b", "Late majority"] == 1.0
    assert shares.loc["c", "Laggards"] == 0.5 and shares.loc["c", "Non-adopters"] == 0.5
    assert shares.sum(axis=1).tolist() == pytest.approx([1.0, 1.0, 1.0])


def test_licence_waste_on_hand_made_seats() -> None:
    seats = pd.DataFrame(
        {
            "person_id": ["a", "b", "c", "d", "e", None],
            "last_activity_at": pd.to_datetime([None, "2026-08-01", "2026-07-31", "2026-07-01", None, "2026-08-20"]),
        }
    )
    # the usage table saw d on 20 August: the later date counts
    status = licence_waste.licence_status(
        seats, pd.Series({"d": pd.Timestamp("2026-08-20")}), pd.Timestamp("2026-08-28")
    )
    # the 28 days ending 28 August begin on 1 August
    assert status["status"].tolist() == ["Never used", "In use", "No longer used", "In use", "Never used", "In use"]


def test_licence_waste_by_segment(small: adoption.AdoptionData) -> None:
    table = adoption.licence_waste_table(dataclasses.replace(small, minimum=1), "department")
    assert table[["Department", "Licences", "Never used", "No longer used"]].values.tolist() == [
        ["Legal", 2, 1, 0]
    ]  # E last used 23 March, within the 28 days to 3 April; F never
    private = adoption.licence_waste_table(small, "department")  # minimum group size 2: the one is hidden
    assert np.isnan(private.loc[0, "Never used"]) and np.isnan(private.loc[0, "Wasted share"])
    waste = adoption.licence_waste(small)
    assert (waste.licences, waste.never_used, waste.no_longer_used) == (2, 1, 0)
    assert (waste.window_start, waste.window_end) == ("2026-03-07", "2026-04-03")


def test_readiness_is_the_readiness_chapters_index_per_matched_person() -> None:
    instrument = SurveySettings(
        scale_points=5,
        scale_labels=list("abcde"),
        constructs={"trust": {"items": ["Q1", "Q2"], "reverse": ["Q2"]}, "fit": {"items": ["Q3", "Q4"]}},
    )
    survey = pd.DataFrame(
        {
            "person_id": ["p", "q", "r", None],
            "Q1": [5, 4, None, 5],
            "Q2": [1, 2, None, 5],
            "Q3": [4, None, None, 1],
            "Q4": [2, None, 3, 1],
        }
    )
    scores = access.readiness_scores(survey, instrument)
    # p: trust (5 + 5) / 2, fit (4 + 2) / 2 -> mean 4 -> 75; q: trust 4, fit unanswered -> 75;
    # r: fit 3 (one of its two items is enough) -> 50; the unmatched row is left out
    assert scores.to_dict() == {"p": 75.0, "q": 75.0, "r": 50.0}


def test_the_ridge_prior_keeps_an_all_adopting_segment_finite() -> None:
    outcome = np.array([1.0] * 6 + [1.0, 0.0] * 10)
    group = np.array([0] * 6 + [1] * 20)
    X = forecast.design(group, 2, np.zeros(26), np.zeros(26), None)
    params = forecast.fit_adoption_model(outcome, X, 2)
    assert np.all(np.isfinite(params)) and params[1] > params[2]
    assert params[3] == 0.0 and params[4] == 0.0  # no variation in readiness or response: left out


def test_the_tiny_client_says_why_rather_than_crashing(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    study = adoption.adoption_study(package, replicates=5)
    assert study.forecasts is None and "Too few people" in study.reason
    headline = adoption.adoption_headline(package, study)
    assert headline.people_with_access == 3 and headline.pilot_adoption is None  # 3 pilot members: suppressed
    assert headline.predicted_production_adoption is None and headline.licences is None
    assert adoption.adoption_findings(study)[0].startswith("3 people had access")
    assert adoption.cliff_table(study.data, None)["Method"].eq("not modelled").all()


@pytest.fixture(scope="module")
def demo(example_client: ExampleClient) -> tuple[PreparedPackage, adoption.AdoptionStudy, dict]:
    package = example_client.package
    return package, adoption.adoption_study(package), example_client.truth


def test_production_adoption_by_department_recovers_the_truth(demo) -> None:
    """The forecast targets production_sustained (adoption under the service desk); see the module docstring.

    On the demo client 7 of the 8 departments' intervals hold the truth (Sales' ends just below it, under the
    stricter default sustained-use rule).
    """
    package, study, truth = demo
    table = adoption.cliff_table(study.data, study.forecasts).set_index("Department")
    departments = truth["adoption_by_department"]
    assert set(table.index) == set(departments)
    identified = table[table["Method"] != adoption.EXTRAPOLATION]
    extrapolated = table[table["Method"] == adoption.EXTRAPOLATION]
    assert len(identified) >= 6 and set(extrapolated.index) == {"HR", "Legal"}  # 4 and 1 pilot members
    # eight 95 % intervals of one client: even calibrated ones all hold the truth only about 2 times in 3, so one
    # miss is allowed here; coverage over many clients is the calibration study's (tests/studies/test_calibration.py)
    missed = [
        name
        for name, row in table.iterrows()
        if not row["Interval low"] <= departments[name]["production_sustained"] <= row["Interval high"]
    ]
    assert len(missed) <= 1, missed
    widths = table["Interval high"] - table["Interval low"]
    # no data: wider than the department whose rollout group measured it (the modelled ones carry the pilot
    # effect's uncertainty, drawn through the prior as well, and are as wide as an extrapolation)
    assert widths[extrapolated.index].min() > widths["Customer Service"]
    assert table.loc["Customer Service", "Method"] == demographic_cliff.DIFFUSION


def test_the_headline_recovers_organisation_adoption_and_licence_waste(demo) -> None:
    package, study, truth = demo
    headline = adoption.adoption_headline(package, study)
    target = truth["adoption_production_mean"] * truth["sustainment_factor"]
    assert headline.predicted_production_adoption_low <= target <= headline.predicted_production_adoption_high
    assert headline.pilot_adoption == pytest.approx(truth["realized"]["pilot_adopters"] / truth["pilot_size"])
    assert headline.horizon_weeks == 10 and headline.bootstrap_replicates == 200
    licences = truth["licences"]
    # one licence holder's roster row was rejected (blank department), so the seat is in the rejects too
    assert headline.licences == licences["licensed_users"] - 1
    assert headline.licences_never_used == licences["never_used"] - 1
    # the window ends on the last active day (28 Aug), three days before the report's refresh date
    assert abs(headline.licences_no_longer_used - licences["stopped_using"]) <= 2
    assert headline.weekly_active_users_week == "2026-08-24"


def test_the_study_is_seeded(demo) -> None:
    package, study, _ = demo
    again = adoption.production_forecasts(study.data, replicates=8)
    once_more = adoption.production_forecasts(study.data, replicates=8)
    pd.testing.assert_frame_equal(again.table("department"), once_more.table("department"))


def test_a_client_without_usage_telemetry_gets_reasons_not_errors(tmp_path: Path) -> None:
    root = tiny_client(tmp_path)
    text = (root / "assessment.yml").read_text(encoding="utf-8").replace("  usage: {file: usage.csv}\n", "")
    (root / "assessment.yml").write_text(text, encoding="utf-8")
    client = ClientFolder(root)
    study = adoption.adoption_study(PreparedPackage(prepare(client, load_settings(client.assessment))), replicates=5)
    assert study.data is None and study.reason == "Adoption is not assessed: no usage telemetry was supplied."
    assert adoption.adoption_findings(study) == [study.reason]
    assert adoption.cliff(study).empty and adoption.access_summary(study).empty
    assert adoption.weekly_use(study).empty and adoption.categories_compared(study).empty


def test_a_usage_table_without_rows_is_not_assessed_either(tmp_path: Path) -> None:
    package = write_package(tmp_path, ("usage", "seats"), [read("usage", "exports/usage.csv", 0, 0)])
    study = adoption.adoption_study(package, replicates=5)
    assert study.data is None and "(exports/usage.csv) has no data rows" in study.reason
    assert demographic_cliff.forecast_by_department(study.data, study.forecasts) == {}  # no 0 % pilot adoption guessed
    headline = adoption.adoption_headline(package, study)
    assert headline.people_with_access is None and headline.pilot_adoption is None and headline.licences is None
    rows = dict(adoption.headline_rows(headline, 5, 0.9, adoption.unavailable_reason(package)))
    assert rows["People with access"].startswith("not assessed: the usage telemetry export")


def test_forecast_by_department_is_the_chapters_cliff_table(demo) -> None:
    """results.json's adoption_by_department: the cliff table's figures, suppressed the same way."""
    _, study, truth = demo
    block = demographic_cliff.forecast_by_department(study.data, study.forecasts)
    table = adoption.cliff_table(study.data, study.forecasts).set_index("Department")
    assert set(block) == set(truth["adoption_by_department"]) == set(table.index)
    for name, entry in block.items():
        row = table.loc[name]
        assert entry["forecast"] == pytest.approx(row["Production forecast"], abs=1e-6)
        assert (entry["low"], entry["high"]) == pytest.approx((row["Interval low"], row["Interval high"]), abs=1e-6)
        assert entry["headcount"] == row["Headcount"] and entry["suppressed"] == row["suppressed"]
        assert entry["method"] == demographic_cliff.METHOD_NAMES[row["Method"]]
        assert (entry["pilot_members"] is None) == pd.isna(row["Pilot members"])
        assert (entry["pilot_adoption"] is None) == pd.isna(row["Pilot adoption"])
    assert block["Customer Service"]["method"] == "rollout series"
    assert {name for name, entry in block.items() if entry["method"] == "extrapolation"} == {"HR", "Legal"}
    assert all(entry["pilot_members"] is None or entry["pilot_members"] >= 5 for entry in block.values())
    json.dumps(block, allow_nan=False)  # plain JSON: no NaN


def test_without_any_survey_response_the_model_rests_on_the_segments() -> None:
    """No survey: readiness is unknown for everyone, so its columns are left out instead of making every
    prediction NaN (which made the conversion rate a blank figure)."""
    codes = np.array([0, 1, 1, 0])
    unknown = np.full(4, np.nan)
    X = forecast.design(codes, 2, unknown, np.ones(4), None)
    assert X.shape == (4, 3) and np.isfinite(X).all()
    known = forecast.design(codes, 2, np.array([0.1, -0.2, 0.3, 0.0]), np.zeros(4), np.ones(4))
    assert known.shape == (4, 6)


def pilot_of_volunteers_and_assigned(tmp_path: Path, record_volunteers: bool) -> adoption.AdoptionData:
    """No rollout cohort.  30 volunteers, 24 of whom use it every week; 30 assigned members, 8 of whom do; 100
    people without access.  Eight weeks of data from Monday 2 March 2026."""
    mondays = pd.date_range("2026-03-02", periods=8, freq="7D")
    adopters = [f"V{i}" for i in range(24)] + [f"A{i}" for i in range(8)]
    usage = pd.DataFrame(
        [(person, day + pd.Timedelta(days=1), "usage_daily") for person in adopters for day in mondays],
        columns=["person_id", "date", "source"],
    )
    triers = pd.DataFrame(
        [
            (person, mondays[0], "usage_daily")
            for person in [f"V{i}" for i in range(24, 30)] + [f"A{i}" for i in range(8, 30)]
        ],
        columns=["person_id", "date", "source"],
    )
    pd.concat([usage, triers]).to_parquet(tmp_path / "usage.parquet")
    people = [f"V{i}" for i in range(30)] + [f"A{i}" for i in range(30)] + [f"N{i}" for i in range(100)]
    roster = pd.DataFrame(
        {"person_id": people, "department": ["Finance", "Legal"] * 80, "in_pilot": [True] * 60 + [False] * 100}
    )
    if record_volunteers:
        roster["volunteered"] = [True] * 30 + [False] * 130
    return access.build_adoption_data(
        tmp_path / "usage.parquet", roster, None, pd.Series(dtype=float), SETTINGS, STATISTICS, 5
    )


def test_assigned_pilot_members_measure_how_much_less_non_volunteers_adopt(tmp_path: Path) -> None:
    """With 30 assigned members beside 30 volunteers, the volunteer effect is measured and production adoption
    is the non-volunteers' (8 of 30 ÷ the horizon share 0.9 ≈ 0.30), with no drawn discount; without the
    volunteer column the discount is drawn, and the forecast rests on the mixed pilot (32 of 60)."""
    measured = adoption.production_forecasts(pilot_of_volunteers_and_assigned(tmp_path, True), 40)
    assert measured.inputs.enthusiasm_effect and not measured.has_rollout
    assert measured.point.scaling.conditions == pytest.approx(middle(PILOT_ATTENTION_RANGE))  # attention only
    assert all(
        PILOT_ATTENTION_RANGE[0] <= draw.scaling.conditions <= PILOT_ATTENTION_RANGE[1] for draw in measured.replicates
    )
    organisation = measured.table(access.ORGANISATION).iloc[0]
    assert organisation["estimate"] == pytest.approx((8 / 30) / 0.9 * middle(PILOT_ATTENTION_RANGE), abs=0.04)
    notes = production_notes(measured.inputs.horizon, False, measured.sustainment, True)
    assert any("enough assigned members" in note for note in notes)
    assert not any("too few assigned pilot members" in note for note in notes)
    (tmp_path / "other").mkdir()
    unmeasured = adoption.production_forecasts(pilot_of_volunteers_and_assigned(tmp_path / "other", False), 40)
    assert not unmeasured.inputs.enthusiasm_effect
    assert unmeasured.point.scaling.conditions == pytest.approx(middle(PILOT_CONDITIONS_RANGE))
    assert unmeasured.table(access.ORGANISATION).iloc[0]["estimate"] == pytest.approx(
        (32 / 60) / 0.9 * middle(PILOT_CONDITIONS_RANGE), abs=0.04
    )
    notes = production_notes(unmeasured.inputs.horizon, False, unmeasured.sustainment, False)
    assert any(note.startswith("Assumption: there was no rollout cohort, and too few assigned") for note in notes)


def test_the_readiness_page_states_the_forecast_models_weights_and_reliability(demo) -> None:
    package, study, _ = demo
    assert study.data.weights.measured and sum(study.data.weights.weights.values()) == pytest.approx(1.0)
    notes = access.readiness_score_notes(package)
    assert notes == [study.data.weights.note(), attenuation_note(study.data.reliability)]
    assert f"{study.data.reliability:.2f}" in notes[1]


def test_method_notes_state_the_horizon_share_and_the_confined_rollout(demo) -> None:
    """The demo's rollout cohort is Customer Service alone (1 of 8 departments): the chapter says what that
    leaves unmeasured, and how the share of eventual adopters already seen was set."""
    _, study, _ = demo
    notes = adoption.method_notes(study)
    share = study.forecasts.horizon_share
    assert share.curve is not None and 0.5 <= share.value <= 1 and share.sd > 0
    assert any(f"diffusion curve's {nf.share(share.curve)}" in note for note in notes)
    assert study.forecasts.confined_rollout == ("Customer Service",)
    assert any(note.startswith("The rollout cohort came from Customer Service only") for note in notes)


def test_a_department_with_a_suppressed_intensity_band_shows_no_count_beside_it() -> None:
    from scalegap.present.tables import cell_texts
    from scalegap.privacy import hide_cells

    bands = list(active_use.INTENSITY_BANDS)
    table = pd.DataFrame({"Department": ["Finance", "Sales"], "People with access": [8, 40]})
    table[bands] = [[3, 0, 2, 3], [10, 10, 10, 10]]
    for band in bands:
        table[f"{band} (share)"] = table[band] / table["People with access"]
    hidden = hide_cells(table, bands, 5, {b: [f"{b} (share)"] for b in bands})
    shown = cell_texts(active_use.intensity_display(hidden))
    assert shown.loc[0, bands].tolist() == ["suppressed"] * 4
    assert shown.loc[1, bands].tolist() == ["10 (25 %)"] * 4
