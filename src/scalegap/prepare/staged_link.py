"""Linking a usage table whose accepted rows stayed in DuckDB (:class:`scalegap.ingest.staged.StagedRows`): what
:func:`scalegap.prepare.link.link_tables` does to a usage table in pandas, in one pass of SQL.

In order, as there: rows repeating the source, organisation, e-mail, login, person id and day of an earlier row
are rejected; the others are linked to the roster (each distinct reference resolved once, by
:class:`~scalegap.prepare.people.PeopleIndex`, and joined back), rows naming several people or nobody rejected;
then rows repeating the person and day of an earlier linked row.  A window function finds the repeats (the first
row, in file order, is kept).  Only the rejected rows come back to pandas; the accepted ones stay in DuckDB for
``COPY ... TO 'usage.parquet'``.
"""

from __future__ import annotations

from dataclasses import replace

import pandas as pd

from scalegap.ingest.staged import literal, quoted
from scalegap.prepare.people import AMBIGUOUS, KEYS, UNMATCHED, LinkReport, PeopleIndex
from scalegap.prepare.read import TableData

REPEAT = "repeats the person and day of an earlier row (the first is kept)"
#: why each step rejects a row, and the column it names
STEPS = {
    1: (REPEAT, "source, organisation, email, login, person_id, date"),
    2: ("the person's name matches several roster people: map an id or e-mail column instead", "person"),
    3: ("person is not in the roster (check the ID or e-mail)", "person"),
    4: (REPEAT, "person_id, date, source, organisation"),
}
FIRST_KEYS = ("source", "organisation", "email", "login", "person_id", "date")
LAST_KEYS = ("_pid", "date", "source", "organisation")
REFERENCES = ("person_id", "email", "login")
_EXAMPLES = 3


def repeats(source: str, keys: tuple[str, ...]) -> str:
    """SQL: ``_file`` and ``_order`` of the rows of ``source`` that repeat the ``keys`` of an earlier row (in file
    order) and give at least one of them (as ``DataFrame.duplicated(keys)`` with a key given; a key empty on
    every row parts no rows).  The window runs only over the few rows whose keys hash alike."""
    listed = ", ".join(quoted(key) for key in keys)
    given = " OR ".join(f"{quoted(key)} IS NOT NULL" for key in keys)
    return (
        f"SELECT _file, _order FROM (SELECT _file, _order, ({given}) AS given, row_number() OVER "
        f"(PARTITION BY {listed} ORDER BY _file, _order) AS n FROM {source} WHERE hash({listed}) IN "
        f"(SELECT hash({listed}) FROM {source} GROUP BY ALL HAVING count(*) > 1)) WHERE given AND n > 1"
    )


def link_staged_usage(data: TableData, index: PeopleIndex) -> TableData:
    """The usage table linked to the roster, its repeats and the rows that link to nobody rejected."""
    staged = data.staged
    assert staged is not None
    stage = staged.stage
    columns = dict(staged.columns)
    listed = ", ".join(f"{sql} AS {quoted(name)}" for name, sql in staged.columns)
    rows = f"(SELECT {listed}, _file, _order FROM {staged.source})"
    joins, hits, ways = [], [], []
    for reference in (name for name in REFERENCES if columns.get(name, "NULL") != "NULL"):
        distinct = stage.fetch(f"SELECT DISTINCT {quoted(reference)} FROM {rows} WHERE {quoted(reference)} IS NOT NULL")
        resolved = [(value, *index.resolve(value)) for (value,) in distinct]
        frame = pd.DataFrame(resolved, columns=["value", "pid", "how"]).astype("object")
        table = stage.table_from(frame.astype({"value": "str", "how": "str"}), "people")
        alias = f"l_{reference}"
        joins.append(f"LEFT JOIN {table} AS {alias} ON r.{quoted(reference)} = {alias}.value")
        hits.append(f"WHEN {alias}.pid IS NOT NULL THEN {alias}.how")
        ways.append(f"{alias}.how = {literal(AMBIGUOUS)}")
    pids = [f"l_{name}.pid" for name in REFERENCES if f"AS l_{name} " in " ".join(joins)]
    pid = f"coalesce({', '.join([*pids, 'NULL'])})::VARCHAR"
    ambiguous = " OR ".join(ways) or "FALSE"
    how = f"CASE {' '.join(hits)} WHEN {ambiguous} THEN {literal(AMBIGUOUS)} ELSE {literal(UNMATCHED)} END"
    shown = f"coalesce({', '.join(f'r.{quoted(name)}' for name in REFERENCES if name in columns)})"
    linked, first, last, final = (stage.name(prefix) for prefix in ("linked", "repeats", "repeats", "final"))
    stage.execute(f"CREATE TABLE {first} AS {repeats(rows, FIRST_KEYS)}")
    # views, not tables: each pass over them joins a few small tables to the rows, cheaper than copying the rows
    stage.execute(
        f"CREATE VIEW {linked} AS SELECT * EXCLUDE (_r1), CASE WHEN _r1 THEN 1 WHEN _how = {literal(AMBIGUOUS)} "
        f"THEN 2 WHEN _pid IS NULL THEN 3 END AS _step FROM (SELECT r.*, f._order IS NOT NULL AS _r1, {pid} AS _pid, "
        f"{how} AS _how, {shown} AS _shown FROM {rows} AS r LEFT JOIN {first} AS f "
        f"ON r._file = f._file AND r._order = f._order {' '.join(joins)})"
    )
    stage.execute(f"CREATE TABLE {last} AS {repeats(f'(SELECT * FROM {linked} WHERE _step IS NULL)', LAST_KEYS)}")
    stage.execute(
        f"CREATE VIEW {final} AS SELECT l.* EXCLUDE (_step), CASE WHEN r._order IS NOT NULL THEN 4 ELSE l._step END "
        f"AS _step FROM {linked} AS l LEFT JOIN {last} AS r ON l._file = r._file AND l._order = r._order"
    )
    names = staged.names
    person = "CASE _step WHEN 1 THEN person_id WHEN 4 THEN _pid END AS person_id"
    listed = ", ".join(person if name == "person_id" else quoted(name) for name in names)
    found = stage.sql(
        f"SELECT {listed}, _step, _shown FROM {final} WHERE _step IS NOT NULL ORDER BY _file, _order"
    ).to_arrow_table()
    moved = found.drop_columns(["_step", "_shown"]).to_pandas()
    steps = found.column("_step").to_numpy()
    shown = pd.Series(found.column("_shown").to_pylist(), dtype="object")
    counts = dict(stage.fetch(f"SELECT _how, count(*) FROM {linked} WHERE _step IS DISTINCT FROM 1 GROUP BY _how"))
    report = LinkReport(
        "usage",
        sum(int(count) for count in counts.values()),
        {key: int(counts.get(key, 0)) for key in KEYS},
        int(counts.get(AMBIGUOUS, 0)),
        int(counts.get(UNMATCHED, 0)),
        _examples(shown[steps == 2]),
        _examples(shown[steps == 3]),
    )
    per_file = staged.count_by("source_file")
    gone = moved["source_file"].value_counts() if len(moved) else pd.Series(dtype="int64")
    accepted = replace(
        staged,
        source=f"(SELECT * FROM {final} WHERE _step IS NULL) AS accepted",
        columns=tuple(
            (name, "_pid" if name == "person_id" else "NULL" if sql == "NULL" else quoted(name))
            for name, sql in staged.columns
        ),
        rows=staged.rows - len(moved),
        _counts={"source_file": {file: count - int(gone.get(file, 0)) for file, count in per_file.items()}},
    )
    rejected = data.rejected
    if len(moved):
        moved.insert(1, "reason", [STEPS[int(step)][0] for step in steps])
        moved.insert(2, "column", [STEPS[int(step)][1] for step in steps])
        moved = moved.astype("object")
        moved.loc[(steps == 2) | (steps == 3), "person_id"] = None  # linked to nobody (as link_people leaves it)
        for name, sql in staged.columns:
            if sql == "NULL" and name != "person_id":  # a column empty on every row: None, as pandas holds it
                moved[name] = None
        rejected = pd.concat([rejected, moved], ignore_index=True)
        rejected = rejected.sort_values(["source_file", "source_row"], kind="stable").reset_index(drop=True)
    return replace(data, rejected=rejected, staged=accepted, linking=report)


def _examples(references: pd.Series) -> tuple[str, ...]:
    """The first few distinct references (trimmed), in file order (as :func:`scalegap.prepare.people.report_of`)."""
    distinct = references.dropna().astype(str).str.strip()
    return tuple(repr(value) for value in distinct[distinct.ne("")].drop_duplicates().head(_EXAMPLES))
