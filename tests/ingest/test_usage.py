from pathlib import Path

import pytest

from scalegap.errors import InputError
from scalegap.ingest.usage import UsageDailyAdapter
from scalegap.settings import ExportSettings, Settings

from tests.support import write


def test_usage_rows_parse_and_bad_values_are_rejected(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", "user_email,date,interactions,active_minutes\n"
                 "A@X.example,2026-03-02,5,12\n"
                 "b@x.example,2026-13-01,5,12\n"
                 "c@x.example,2026-03-02,n/a,12\n"
                 "d@x.example,2026-03-02,-1,12\n"
                 ",2026-03-02,1,1\n")
    result = UsageDailyAdapter().read(path, ExportSettings(file="u", columns={"email": "user_email"}),
                                      template_settings)
    assert result.accepted["email"].tolist() == ["a@x.example"]
    assert result.accepted["interactions"].tolist() == [5.0]
    assert result.rejected["reason"].tolist() == ["value is not a date", "value is not a number",
                                                  "interactions is negative", "no person id or e-mail"]


def test_usage_needs_a_way_to_identify_people(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", "date,interactions\n2026-03-02,5\n")
    with pytest.raises(InputError, match="neither a person id nor an e-mail"):
        UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)
