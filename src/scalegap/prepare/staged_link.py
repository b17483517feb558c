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

from scalegap.ingest.staged import StagedRows, literal, quoted
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


def repeated(keys: tuple[str, ...], among: str = "TRUE") -> str:
    """SQL: the row repeats the ``keys`` of an earlier row (in file order) of those ``among`` selects, and gives at
    least one of them (as ``DataFrame.duplicated(keys)`` with a key given; a key empty everywhere parts no rows)."""
    listed = ", ".join(quoted(key) for key in keys)
    given = " OR ".join(f"{quoted(key)} IS NOT NULL" for key in keys)
    return (
        f"(({among}) AND ({given}) AND row_number() OVER (PARTITION BY ({among}), {listed} ORDER BY _file, _order) > 1)"
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
    linked = stage.name("linked")
    stage.execute(
        f"CREATE TABLE {linked} AS WITH "
        f"step1 AS (SELECT *, {repeated(FIRST_KEYS)} AS _r1 FROM {rows}), "
        f"found AS (SELECT r.*, {pid} AS _pid, {how} AS _how, {shown} AS _shown FROM step1 AS r {' '.join(joins)}), "
        f"stepped AS (SELECT *, CASE WHEN _r1 THEN 1 WHEN _how = {literal(AMBIGUOUS)} THEN 2 "
        f"WHEN _pid IS NULL THEN 3 END AS _step FROM found) "
        f"SELECT * EXCLUDE (_r1, _step), CASE WHEN {repeated(LAST_KEYS, '_step IS NULL')} THEN 4 ELSE _step END "
        f"AS _step FROM stepped ORDER BY _file, _order"
    )
    report = _report(staged, linked)
    names = staged.names
    person = "CASE _step WHEN 1 THEN person_id WHEN 4 THEN _pid END AS person_id"
    listed = ", ".join(person if name == "person_id" else quoted(name) for name in names)
    found = stage.sql(f"SELECT {listed}, _step FROM {linked} WHERE _step IS NOT NULL ORDER BY _file, _order")
    moved = found.to_arrow_table().to_pandas()
    accepted = replace(
        staged,
        source=f"(SELECT * FROM {linked} WHERE _step IS NULL) AS linked",
        columns=tuple(
            (name, "_pid" if name == "person_id" else "NULL" if sql == "NULL" else quoted(name))
            for name, sql in staged.columns
        ),
        rows=staged.rows - len(moved),
        _counts={},
    )
    rejected = data.rejected
    if len(moved):
        steps = moved.pop("_step").to_numpy()
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


def _report(staged: StagedRows, linked: str) -> LinkReport:
    """What linking achieved, over the rows it was given (those not repeating an earlier row)."""
    stage = staged.stage
    entering = "_step IS DISTINCT FROM 1"
    counts = dict(stage.fetch(f"SELECT _how, count(*) FROM {linked} WHERE {entering} GROUP BY _how"))
    return LinkReport(
        "usage",
        sum(int(count) for count in counts.values()),
        {key: int(counts.get(key, 0)) for key in KEYS},
        int(counts.get(AMBIGUOUS, 0)),
        int(counts.get(UNMATCHED, 0)),
        _examples(staged, linked, f"{entering} AND _how = {literal(AMBIGUOUS)}"),
        _examples(staged, linked, f"{entering} AND _how = {literal(UNMATCHED)}"),
    )


def _examples(staged: StagedRows, linked: str, where: str) -> tuple[str, ...]:
    """The first few distinct references (trimmed) of the rows ``where`` selects, in file order."""
    found = staged.stage.fetch(
        f"SELECT _shown FROM {linked} WHERE {where} AND _shown IS NOT NULL GROUP BY _shown "
        f"ORDER BY min(_file * 1000000000000 + _order) LIMIT 200"
    )
    examples: list[str] = []
    for (value,) in found:
        text = str(value).strip()
        if text and text not in examples:
            examples.append(text)
        if len(examples) == _EXAMPLES:
            break
    return tuple(repr(value) for value in examples)
