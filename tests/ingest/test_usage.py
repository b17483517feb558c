import random
from pathlib import Path

import pytest

from scalegap.errors import InputError
from scalegap.ingest.text import RawTable, read_delimited
from scalegap.ingest.usage import UsageDailyAdapter, read_columnar
from scalegap.settings import ExportSettings, Settings
from tests.support import write


def test_usage_rows_parse_and_bad_values_are_rejected(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "usage.csv",
        "user_email,date,interactions,active_minutes\n"
        "A@X.example,2026-03-02,5,12\n"
        "b@x.example,2026-13-01,5,12\n"
        "c@x.example,2026-03-02,n/a,12\n"
        "d@x.example,2026-03-02,-1,12\n"
        ",2026-03-02,1,1\n",
    )
    result = UsageDailyAdapter().read(
        path, ExportSettings(file="u", columns={"email": "user_email"}), template_settings
    )
    assert result.accepted["email"].tolist() == ["a@x.example"]
    assert result.accepted["interactions"].tolist() == [5.0]
    assert result.rejected["reason"].tolist() == [
        "value is not a date",
        "value is not a number",
        "interactions is negative",
        "no person id or e-mail",
    ]


def test_usage_needs_a_way_to_identify_people(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", "date,interactions\n2026-03-02,5\n")
    with pytest.raises(InputError, match="neither a person id nor an e-mail"):
        UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)


# --- the columnar fast path --------------------------------------------------------------------------------------


def same_as_text_reader(path: Path, fast: RawTable | None = None) -> RawTable:
    """The fast path read the file, and exactly as the text reader does."""
    fast, slow = fast or read_columnar(path), read_delimited(path)
    assert fast is not None, "the fast path should have read this file"
    assert (fast.header_rows, fast.first_row, fast.row_numbers, fast.malformed, fast.encoding, fast.delimiter) == (
        slow.header_rows,
        slow.first_row,
        slow.row_numbers,
        slow.malformed,
        slow.encoding,
        slow.delimiter,
    )
    assert list(fast.frame.columns) == list(slow.frame.columns)
    assert fast.frame.astype(object).values.tolist() == slow.frame.astype(object).values.tolist()
    return fast


@pytest.mark.parametrize(
    "text",
    [
        "person_id,date\r\nE1,2026-03-02\r\nE2,2026-03-03\r\n",  # CRLF
        '\ufeffperson_id;date;note\nE1;2026-03-02;"a;b"\nE2;2026-03-03;"say ""hi"""\n',  # BOM, ;, quotes
        'person_id\tdate\tnote\nE1\t2026-03-02\t"two\nlines"\nE2\t2026-03-03\t\n',  # tab, quoted newline
        "person_id,date,note,\nE1,2026-03-02,,\nE2,2026-03-03\n   \n,,\nE3,2026-03-04,x,\n\n\n",  # noqa: E501 (trailing commas, short rows)
        " person_id ,date,date\nE1 , 2026-03-02 ,x\n",  # padded and repeated headers
    ],
)
def test_fast_path_reads_like_the_text_reader(tmp_path: Path, text: str) -> None:
    same_as_text_reader(write(tmp_path / "usage.csv", text))


@pytest.mark.parametrize(
    "data",
    [
        "person_id,date\nE1,2026-03-02\nJosé,2026-03-03\n".encode("cp1252"),
        "person_id,date\nE1,2026-03-02\n".encode("utf-16"),
        b"person_id,date\nE1,2026-03-02\n\nE2,2026-03-03\n",  # an empty line: row numbers would shift
        b"person_id,date\nE1,2026-03-02\r\nE2,2026-03-03\n",  # mixed line endings
        b'person_id,date\nE"1,2026-03-02\n"E2" ,2026-03-03\n',  # quotes inside a value, space after a quote
        b"person_id,date\nE1,2026-03-02,extra\n",  # more values than the header
    ],
)
def test_fast_path_leaves_what_it_cannot_be_sure_of_to_the_text_reader(tmp_path: Path, data: bytes) -> None:
    assert read_columnar(write_bytes(tmp_path / "usage.csv", data)) is None


def write_bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_fallback_files_give_the_same_result(tmp_path: Path, template_settings: Settings) -> None:
    path = write_bytes(
        tmp_path / "usage.csv", "person_id,date,interactions\nJosé,2026-03-02,3\n\nE2,2026-03-33,1\n".encode("cp1252")
    )
    result = UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)
    assert result.accepted["person_id"].tolist() == ["José"]
    assert result.rejected[["source_row", "reason"]].values.tolist() == [[4, "value is not a date"]]


def test_rejected_rows_carry_spreadsheet_row_numbers(tmp_path: Path, template_settings: Settings) -> None:
    path = write(
        tmp_path / "usage.csv",
        'email,date,interactions\n"a@x.example","2026-03-02","1"\n'
        '"b@x.example","2026-03-02","lots"\n"c@x.example","2026-03-02","2"\n'
        '"not-an-address","2026-03-02","2"\n',
    )
    assert read_columnar(path) is not None
    result = UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)
    assert result.rejected[["source_row", "reason", "column"]].values.tolist() == [
        [3, "value is not a number", "interactions"],
        [5, "value is not an e-mail address", "email"],
    ]
    assert result.accepted["source_row"].tolist() == [2, 4]


def test_headers_are_compared_without_case_spacing_or_underscores(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", "E-Mail,Date \n" + "a@x.example,2026-03-02\n" * 3)
    result = UsageDailyAdapter().read(path, ExportSettings(file="u", columns={"email": "e_mail"}), template_settings)
    assert result.accepted["date"].notna().all() and result.accepted["email"].eq("a@x.example").all()


def test_a_missing_date_column_names_the_closest_header(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", "email,Dte\n" + "a@x.example,2026-03-02\n" * 3)
    with pytest.raises(InputError, match="required column 'date' is missing") as error:
        UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)
    assert "'Dte'" in error.value.hint


def test_a_missing_date_column_names_a_header_known_as_a_date(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", "email,Datum\n" + "a@x.example,2026-03-02\n" * 3)
    with pytest.raises(InputError, match="required column 'date' is missing") as error:
        UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)
    assert "'Datum' is a usual name for date" in error.value.hint


def test_broken_quoting_is_reported_by_the_text_reader(tmp_path: Path, template_settings: Settings) -> None:
    path = write(tmp_path / "usage.csv", 'email,date\na@x.example,2026-03-02\n"b@x.example,2026-03-02\n')
    with pytest.raises(InputError, match="ends inside a quoted value") as error:
        UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)
    assert error.value.file == str(path)


def test_a_zip_given_as_csv_is_refused(tmp_path: Path, template_settings: Settings) -> None:
    path = write_bytes(tmp_path / "usage.csv", b"PK\x03\x04" + b"\x00" * 40)
    with pytest.raises(InputError, match="Excel/zip file"):
        UsageDailyAdapter().read(path, ExportSettings(file="u"), template_settings)


def test_random_well_formed_files_read_alike(tmp_path: Path) -> None:
    """Seeded fuzz: well-formed but varied CSV; whenever the fast path reads one, it reads it as the text reader."""
    rng = random.Random(20261125)
    cells = [
        "a",
        "x y",
        "",
        "é",
        "日本",
        "2026-01-02",
        "-3",
        "NULL",
        "#x",
        "\xa0",
        "  ",
        '"q"',
        '"a,b"',
        '"l1\nl2"',
        '"a;b"',
        '"a\tb"',
        '""',
    ]
    read_fast = 0
    for case in range(60):
        delimiter, ending = rng.choice([",", ";", "\t", "|"]), rng.choice(["\n", "\r\n", "\r"])
        width = rng.randint(1, 4)
        lines = [delimiter.join(rng.choice(["id", "date", "n", " spaced ", "id", ""]) for _ in range(width))]
        lines += [
            delimiter.join(rng.choice(cells) for _ in range(rng.randint(1, width))) for _ in range(rng.randint(0, 8))
        ]
        path = write(tmp_path / f"f{case}.csv", ending.join(lines) + rng.choice(["", ending, ending * 2]))
        try:
            fast = read_columnar(path)
        except InputError as error:  # e.g. only blanks: the text reader refuses it the same way
            with pytest.raises(InputError, match=error.message):
                read_delimited(path)
            continue
        if fast is not None:
            same_as_text_reader(path, fast)
            read_fast += 1
    assert read_fast > 20  # a file without a final line end goes to the text reader, which checks for a cut row
