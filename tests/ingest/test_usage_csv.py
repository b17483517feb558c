import codecs
import random
from pathlib import Path

import duckdb
import numpy as np
import pytest

from scalegap.ingest.staged import Stage
from scalegap.ingest.text import read_delimited
from scalegap.ingest.usage_csv import _line_breaks, _plain_lines, _quoting, fast_path, read_columnar, stage_cells
from tests.support import write


def plain_lines_before(data: bytes) -> bool:
    """The line check as it was (bytes.count and bytes.find on the whole file): the numpy pass must agree."""
    start = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    end = len(data)
    while end > start and data[end - 1] in b"\r\n":
        end -= 1
    returns, feeds = data.count(b"\r", start, end), data.count(b"\n", start, end)
    one_kind = not returns or not feeds or returns == feeds == data.count(b"\r\n", start, end)
    empty_line = data.startswith((b"\r", b"\n"), start, end) or any(
        data.find(pair, start, end) >= 0 for pair in (b"\n\n", b"\r\r", b"\n\r")
    )
    return one_kind and not empty_line


def test_the_line_check_agrees_with_the_byte_search_at_every_chunk_boundary() -> None:
    rng = random.Random(20261207)
    alphabet = [b"a", b",", b"\n", b"\r", b"\r\n", b"xy"]
    verdicts = set()
    for _ in range(400):
        data = b"".join(rng.choice(alphabet) for _ in range(rng.randint(0, 30)))
        data = rng.choice([b"", codecs.BOM_UTF8]) + data + rng.choice([b"", b"\n", b"\r\n"])
        expected = plain_lines_before(data)
        verdicts.add(expected)
        assert _plain_lines(data) == expected, data
        body = np.frombuffer(data, dtype=np.uint8)
        whole = _line_breaks(body)
        for chunk in (1, 2, 3, 7):  # a pair split between two chunks is still seen, and counted once
            assert _line_breaks(body, chunk) == whole, (data, chunk)
    assert verdicts == {True, False}


@pytest.mark.parametrize(
    ("text", "parallel"),
    [
        ("person_id,date\nE1,2026-03-02\nE2\n", True),  # no quotes, a short row
        ('person_id,note\r\nE1,"a,b"\r\nE2,"say ""hi"""\r\n', True),  # quotes, none around a line break
        ('person_id,note\nE1,"two\nlines"\nE2,x\n', False),  # a quoted line feed
        ('person_id,note\r\nE1,"two\r\nlines"\r\nE2,x\r\n', False),  # a quoted CR LF
        ('person_id,note\nE1,""\nE2,"x"\nE3,"""\n"""\n', False),  # quoted line break after escaped quotes
        ('person_id,note\nE1,""""\nE2,"a"\n', True),  # a value that is one quote, then a plain row
    ],
)
def test_the_reader_splits_the_file_between_threads_only_without_a_quoted_line_break(
    tmp_path: Path, text: str, parallel: bool
) -> None:
    path = write(tmp_path / "usage.csv", text)
    fast = fast_path(path)
    assert fast is not None
    assert fast.parallel is parallel
    fast_table, slow = read_columnar(path), read_delimited(path)
    assert fast_table is not None
    assert fast_table.frame.astype(object).values.tolist() == slow.frame.astype(object).values.tolist()
    assert fast_table.row_numbers == slow.row_numbers


@pytest.mark.parametrize(
    ("data", "answer"),
    [
        (b"a,b\n1,2\n", True),
        (b'a,b\n"1",2\n', True),
        (b'a,b\n"1\n2",3\n', False),  # plain quoting, a quoted line break: read on one thread
        (b'a,b\n"1\n2"x,3\n', None),  # a quoted line break, then text after the closing quote: not plain
        (b'a,b\nx"1",3\n', None),  # a quote inside a value
        (b'a;b\n"1;2";"x\r\ny"\n', False),  # another delimiter
    ],
)
def test_quoting_is_judged_in_one_pass_where_no_quoted_value_holds_a_line_break(
    data: bytes, answer: bool | None
) -> None:
    delimiter = ";" if b";" in data else ","
    assert _quoting(data, delimiter) is answer


def random_file(rng: random.Random, path: Path, quoted_line_breaks: bool) -> Path:
    """A file of short rows, blank-looking rows, quotes and non-ASCII text, in one of the three line endings."""
    cells = ["a", "x y", "", "  ", "2026-01-02", "-3", "日本", '"q"', '"a,b"', '""', "\xa0", '"say ""hi"""']
    ending, width = rng.choice(["\n", "\r\n"] if quoted_line_breaks else ["\n", "\r\n", "\r"]), rng.randint(1, 4)
    if quoted_line_breaks:
        cells.append(f'"l1{ending}l2"')  # the file's own line ending: mixed ones go to the text reader
    lines = [",".join(f"h{index}" for index in range(width))]
    for _ in range(rng.randint(200, 600)):
        line = ",".join(rng.choice(cells) for _ in range(rng.randint(1, width)))
        lines.append(line or "z")  # an empty line sends the file to the text reader
    return write(path, ending.join(lines) + ending)


def cells_read(path: Path, parallel: bool, buffer_size: int | None = None) -> list[tuple[str, ...]]:
    fast = fast_path(path)
    assert fast is not None
    columns = {f"c{index}": "VARCHAR" for index in range(fast.width)}
    extra = f", buffer_size = {buffer_size}" if buffer_size else ""
    query = (
        f"SELECT * FROM read_csv($path, header = false, auto_detect = false, columns = $columns, delim = ',', "
        f"quote = '\"', escape = '\"', null_padding = true, parallel = {str(parallel).lower()}, "
        f"strict_mode = true{extra})"
    )
    with duckdb.connect() as connection:
        connection.execute("SET threads = 4")
        return connection.sql(query, params={"path": str(path), "columns": columns}).fetchall()


def test_a_file_cut_into_many_pieces_reads_alike_on_every_thread(tmp_path: Path) -> None:
    """The premise of ``parallel``: where no quoted value holds a line break, DuckDB's parallel reader, made to
    cut the file into 1 KB pieces read by four threads, gives the serial reader's records in the same order."""
    rng = random.Random(14)
    for case in range(12):
        path = random_file(rng, tmp_path / f"f{case}.csv", quoted_line_breaks=False)
        fast = fast_path(path)
        assert fast is not None and fast.parallel
        assert cells_read(path, True, 1024) == cells_read(path, False)


def test_a_staged_file_read_in_parallel_gives_the_text_readers_rows(tmp_path: Path) -> None:
    rng = random.Random(7)
    for case in range(6):
        path = random_file(rng, tmp_path / f"f{case}.csv", quoted_line_breaks=case % 2 == 1)
        fast = fast_path(path)
        assert fast is not None
        assert fast.parallel is (b'"l1' not in path.read_bytes())
        slow = read_delimited(path)
        stage = Stage()
        try:
            cells = stage_cells(stage, path, fast)
            assert cells is not None
            listed = ", ".join(cells.cell_of.values())
            staged = stage.fetch(f"SELECT source_row, {listed} FROM {cells.plain} ORDER BY pos")
        finally:
            stage.close()
        assert [row[0] for row in staged] == list(slow.row_numbers)
        assert [list(row[1:]) for row in staged] == slow.frame.astype(object).values.tolist()


def test_a_row_longer_than_the_header_is_refused_by_whichever_thread_reads_it(tmp_path: Path) -> None:
    """DuckDB's strict reading holds on every piece of a file cut between threads: a row with more values than
    the header, far from the start, still sends the file to the text reader."""
    lines = ["a,b,c", *(f"x{index},y,z" for index in range(3000))]
    lines[2500] = "x,y,z,extra"
    path = write(tmp_path / "usage.csv", "\n".join(lines) + "\n")
    fast = fast_path(path)
    assert fast is not None and fast.parallel
    with pytest.raises(duckdb.Error, match="Expected Number of Columns: 3 Found: 4"):
        cells_read(path, True, 1024)
    assert read_columnar(path) is None
