from pathlib import Path

from scalegap.ingest.outcomes import OutcomeRecordsAdapter
from scalegap.settings import ExportSettings, Settings
from tests.support import write


def test_outcome_records_are_tiered_by_data_quality(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "o.csv",
        "record_id,employee_id,assisted,minutes_taken,record_completeness,exception_flag\n"
        "r1,E1,yes,10.5,0.95,0\n"
        "r2,E1,no,20,0.80,0\n"
        "r3,E2,yes,12,0.99,1\n"
        "r4,E2,yes,,0.99,0\n"
        "r5,E2,yes,-3,0.99,0\n"
        "r6,E3,perhaps,3,0.99,0\n"
        "r7,E3,no,3,1.5,0\n",
    )
    result = OutcomeRecordsAdapter().read(
        path, ExportSettings(file="o", columns={"person_id": "employee_id"}), template_settings
    )
    assert result.accepted["record_id"].tolist() == ["r1", "r2", "r3"]
    assert result.accepted["data_tier"].tolist() == ["clean", "messy", "messy"]
    assert result.accepted["assisted"].tolist() == [True, False, True]
    assert result.rejected["reason"].tolist() == [
        "neither minutes taken nor a quality score",
        "minutes taken is negative",
        "value is not a yes/no value",
        "record completeness is outside 0..1",
    ]


def test_configuration_is_read_under_its_usual_names(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "o.csv", "person_id,assisted,minutes_taken,Prompt Version\nE1,yes,10,Pilot pack v2\nE2,no,12,\n"
    )
    result = OutcomeRecordsAdapter().read(path, ExportSettings(file="o"), template_settings)
    assert result.accepted["configuration"].tolist() == ["Pilot pack v2", None]


def test_configuration_mapped_in_the_settings_wins_over_the_usual_names(
    tmp_path: Path, template_settings: Settings
) -> None:
    path = write(
        tmp_path / "o.csv", "person_id,assisted,minutes_taken,workflow_variant,Agent setup\nE1,yes,10,A,Pack 3\n"
    )
    mapped = ExportSettings(file="o", columns={"configuration": "Agent setup"})
    assert OutcomeRecordsAdapter().read(path, mapped, template_settings).accepted["configuration"].tolist() == [
        "Pack 3"
    ]
    assert OutcomeRecordsAdapter().read(path, ExportSettings(file="o"), template_settings).accepted[
        "configuration"
    ].tolist() == ["A"]


def test_configuration_is_missing_without_such_a_column(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "o.csv", "person_id,assisted,minutes_taken,team\nE1,yes,10,Ops\n")
    accepted = OutcomeRecordsAdapter().read(path, ExportSettings(file="o"), template_settings).accepted
    assert accepted["configuration"].isna().all()
    assert accepted["team"].tolist() == ["Ops"]
