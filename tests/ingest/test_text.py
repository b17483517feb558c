from pathlib import Path

import pytest

from scalegap.errors import InputError
from scalegap.ingest.text import read_any, read_delimited, unique_names
from tests.support import write

TABLE = 'id;name;note\n1;Ann;"semi; colon"\n2;Bo;plain\n'


@pytest.mark.parametrize("encoding,prefix", [("utf-8", ""), ("utf-8", "\ufeff"), ("utf-16", ""), ("cp1252", "")])
def test_encodings_are_detected(tmp_path: Path, encoding: str, prefix: str) -> None:
    path = write(tmp_path / "t.csv", prefix + "id,name\n1,Zoë Ærø\n", encoding)
    table = read_delimited(path)
    assert table.frame["name"].tolist() == ["Zoë Ærø"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiters_are_detected(tmp_path: Path, delimiter: str) -> None:
    path = write(tmp_path / "t.csv", TABLE.replace(";", delimiter).replace(f"semi{delimiter} colon", "semi; colon"))
    table = read_delimited(path)
    assert table.delimiter == delimiter
    assert table.frame["name"].tolist() == ["Ann", "Bo"]


def test_quoted_newlines_stay_in_their_cell_and_row_numbers_follow_records(tmp_path: Path) -> None:
    path = write(tmp_path / "t.csv", 'id,text\n1,"two\nlines"\n2,one\n')
    table = read_delimited(path)
    assert table.frame["text"].tolist() == ["two\nlines", "one"]
    assert table.first_row == 2


def test_a_row_with_too_many_values_is_marked_malformed_not_lost(tmp_path: Path) -> None:
    table = read_delimited(write(tmp_path / "t.csv", "a,b\n1,2\n3,4,5\n"))
    assert len(table.frame) == 2
    assert 1 in table.malformed and "3 values" in table.malformed[1]


def test_repeated_headers_are_made_unique() -> None:
    assert unique_names(["Labels", "Labels", "x", "Labels"]) == ["Labels", "Labels [2]", "x", "Labels [3]"]


@pytest.mark.parametrize(
    "content,message",
    [
        (b"", "empty"),
        (b"PK\x03\x04rest-of-zip", "Excel/zip"),
        (b"<!DOCTYPE html><html><body>login</body></html>", "web page"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 ole", "password-protected"),
    ],
)
def test_wrong_files_get_a_clear_error(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "export.csv"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        read_delimited(path)


def test_an_xlsx_that_is_really_html_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"<html><table><tr><td>1</td></tr></table></html>")
    with pytest.raises(InputError, match="web page"):
        read_any(path)


def test_a_real_workbook_is_read_as_text(tmp_path: Path) -> None:
    import pandas as pd

    path = tmp_path / "roster.xlsx"
    pd.DataFrame({"Employee ID": ["E1", "E2"], "Pilot": ["Y", "N"]}).to_excel(path, index=False)
    table = read_any(path)
    assert table.frame["Employee ID"].tolist() == ["E1", "E2"]


def test_rows_after_blank_rows_keep_their_spreadsheet_row_numbers(tmp_path: Path) -> None:
    from scalegap.ingest.base import RowLedger

    table = read_delimited(write(tmp_path / "t.csv", "id,name\n1,Ann\n\n2,Bo\n"))
    assert table.row_numbers == (2, 4)
    ledger = RowLedger.of(table)
    ledger.reject(table.frame["id"].eq("2"), "test")
    assert ledger.rejected()["source_row"].tolist() == [4]


def test_a_missing_workbook_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="cannot read the file"):
        read_any(tmp_path / "nowhere.xlsx")


def test_excel_unicode_text_is_utf16_and_tab_separated(tmp_path: Path) -> None:
    """What Excel's "Save as Unicode Text" writes: UTF-16 LE with a BOM, tab-separated, CRLF."""
    path = tmp_path / "roster.txt"
    path.write_bytes('Employee ID\tName\tNote\r\nE1\tZoë\t"a, b"\r\nE2\tŁukasz\t\r\n'.encode("utf-16"))
    table = read_delimited(path)
    assert (table.encoding, table.delimiter) == ("utf-16", "\t")
    assert table.frame["Name"].tolist() == ["Zoë", "Łukasz"]
    assert table.frame["Note"].tolist() == ["a, b", ""]


# -- exports that are cut, duplicated, oddly encoded or very long: never silently read ----------------------------


def test_a_file_cut_in_its_last_row_is_refused_naming_the_last_complete_row(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.csv", "id,department,pilot\nE1,Sales,yes\nE2,Sales,no\nE3,Sal")
    with pytest.raises(InputError, match="ends in the middle of row 4") as error:
        read_delimited(path)
    assert "the last complete row is row 3" in error.value.message and error.value.row == 4


def test_a_file_cut_inside_a_quoted_value_names_the_last_complete_row(tmp_path: Path) -> None:
    path = write(tmp_path / "cut.csv", 'id,comment\nE1,"fine"\nE2,"it stopped in the mid')
    with pytest.raises(InputError, match="ends inside a quoted value") as error:
        read_delimited(path)
    assert "the last complete row is row 2" in error.value.message


def test_a_last_row_with_its_line_end_is_a_row_not_a_cut(tmp_path: Path) -> None:
    table = read_delimited(write(tmp_path / "ok.csv", "id,department,pilot\nE1,Sales,yes\nE2,Sales\n"))
    assert len(table.frame) == 2


def test_free_text_of_any_length_is_read(tmp_path: Path) -> None:
    answer = "word " * 40_000  # 200 KB, beyond csv's default field limit of 131,072 characters
    table = read_delimited(write(tmp_path / "long.csv", f'id,answer\nR1,"{answer}"\n'))
    assert table.frame["answer"].iloc[0] == answer


def test_stray_bytes_in_a_utf8_file_do_not_turn_it_into_cp1252(tmp_path: Path) -> None:
    good = "id,name\n" + "".join(f"R{n},Zoë’s café\n" for n in range(50))
    path = tmp_path / "stray.csv"
    path.write_bytes(good.encode("utf-8") + b"R99,caf\xe9 \x81\n")
    table = read_delimited(path)
    assert table.encoding == "utf-8" and table.frame["name"].iloc[0] == "Zoë’s café"
    assert len(table.notes) == 1 and "line 52" in table.notes[0] and "2 byte(s)" in table.notes[0]


def test_a_cp1252_file_is_still_read_as_cp1252(tmp_path: Path) -> None:
    path = write(tmp_path / "w.csv", "id;name\nE1;Zoë Müller\nE2;café\n" + "E3;x\n" * 3000, encoding="cp1252")
    table = read_delimited(path)
    assert table.encoding == "cp1252" and table.frame["name"].iloc[0] == "Zoë Müller" and not table.notes


def test_a_row_repeated_whole_is_a_duplicate_of_its_first(tmp_path: Path) -> None:
    table = read_delimited(write(tmp_path / "d.csv", "id,n\nA,1\nB,2\nA,1\nA,1\n"))
    assert table.malformed == {2: "duplicate of row 2", 3: "duplicate of row 2"}
