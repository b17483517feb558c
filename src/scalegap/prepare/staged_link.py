"""Linking a usage table whose accepted rows stayed in DuckDB (:class:`scalegap.ingest.staged.StagedRows`): what
:func:`scalegap.prepare.link.link_tables` does to a usage table in pandas, in one pass of SQL.

In order, as there: rows repeating the source, organisation, e-mail, login, person id and day of an earlier row
are rejected; the others are linked to the roster (each distinct reference resolved once, by
:class:`~scalegap.prepare.people.PeopleIndex`, and joined back), rows naming several people or nobody rejected;
then rows repeating the person and day of an earlier linked row.  A window function finds the repeats (the first
row, in file order, is kept), over only the rows a step could reject (:func:`suspects`: those sharing their person
and day with another row, or linking to nobody), so the rows are passed over three times, not once per step.  Only
the rejected rows come back to pandas; the accepted ones stay in DuckDB for ``COPY ... TO 'usage.parquet'``.
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


def suspects(people: str) -> str:
    """SQL: the rows of ``people`` (rows with their ``_pid``) that link to nobody, or whose source, organisation,
    day and person (``_pid``) hash like another row's.  Rows that repeat an earlier row's source, organisation,
    e-mail, login, person id and day name the same people, so have the same ``_pid``; rows that repeat an earlier
    linked row's person and day too: every row either search could find is among these."""
    key = f"hash({', '.join(quoted(name) for name in ('source', 'organisation', 'date', '_pid'))})"
    return (
        f"SELECT * FROM {people} WHERE _pid IS NULL OR {key} IN "
        f"(SELECT {key} FROM {people} WHERE _pid IS NOT NULL GROUP BY ALL HAVING count(*) > 1)"
    )


def link_staged_usage(data: TableData, index: PeopleIndex) -> TableData:
    """The usage table linked to the roster, its repeats and the rows that link to nobody rejected.

    Three passes over the rows, then one to write them: the distinct references (with their rows) are counted;
    each row's person and day are hashed, and the rows that share a hash with another, or link to nobody, are
    kept aside (:func:`suspects`, usually a few thousand); the steps above run over only those, exactly as over
    every row (every row a step could reject is among them).  The accepted rows are the others, joined to their
    person when ``usage.parquet`` is written."""
    staged = data.staged
    assert staged is not None
    stage = staged.stage
    columns = dict(staged.columns)
    listed = ", ".join(f"{sql} AS {quoted(name)}" for name, sql in staged.columns)
    rows = f"(SELECT {listed}, _file, _order FROM {staged.source})"
    present = [name for name in REFERENCES if columns.get(name, "NULL") != "NULL"]
    references = stage.name("references")
    grouped = ", ".join([*(quoted(name) for name in present), "count(*) AS _rows"])
    stage.execute(f"CREATE TABLE {references} AS SELECT {grouped} FROM {rows} GROUP BY ALL")
    joins, hits, ways = [], [], []
    for reference in present:
        distinct = stage.fetch(
            f"SELECT {quoted(reference)} FROM {references} WHERE {quoted(reference)} IS NOT NULL GROUP BY ALL"
        )
        resolved = [(value, *index.resolve(value)) for (value,) in distinct]
        frame = pd.DataFrame(resolved, columns=["value", "pid", "how"]).astype("object")
        table = stage.table_from(frame.astype({"value": "str", "how": "str"}), "people")
        alias = f"l_{reference}"
        joins.append(f"LEFT JOIN {table} AS {alias} ON r.{quoted(reference)} = {alias}.value")
        hits.append(f"WHEN {alias}.pid IS NOT NULL THEN {alias}.how")
        ways.append(f"{alias}.how = {literal(AMBIGUOUS)}")
    pid = f"coalesce({', '.join([*(f'l_{name}.pid' for name in present), 'NULL'])})::VARCHAR"
    ambiguous = " OR ".join(ways) or "FALSE"
    how = f"CASE {' '.join(hits)} WHEN {ambiguous} THEN {literal(AMBIGUOUS)} ELSE {literal(UNMATCHED)} END"
    shown = f"coalesce({', '.join(f'r.{quoted(name)}' for name in REFERENCES if name in columns)})"
    people = f"(SELECT r.*, {pid} AS _pid, {how} AS _how, {shown} AS _shown FROM {rows} AS r {' '.join(joins)})"
    suspect, first, linked, last, final, dropped = (
        stage.name(prefix) for prefix in ("suspects", "repeats", "linked", "repeats", "final", "dropped")
    )
    stage.execute(f"CREATE TABLE {suspect} AS {suspects(people)}")
    stage.execute(f"CREATE TABLE {first} AS {repeats(suspect, FIRST_KEYS)}")
    stage.execute(
        f"CREATE TABLE {linked} AS SELECT * EXCLUDE (_r1), CASE WHEN _r1 THEN 1 WHEN _how = {literal(AMBIGUOUS)} "
        f"THEN 2 WHEN _pid IS NULL THEN 3 END AS _step FROM (SELECT s.*, f._order IS NOT NULL AS _r1 FROM {suspect} "
        f"AS s LEFT JOIN {first} AS f ON s._file = f._file AND s._order = f._order)"
    )
    stage.execute(f"CREATE TABLE {last} AS {repeats(f'(SELECT * FROM {linked} WHERE _step IS NULL)', LAST_KEYS)}")
    stage.execute(
        f"CREATE TABLE {final} AS SELECT l.* EXCLUDE (_step), CASE WHEN r._order IS NOT NULL THEN 4 ELSE l._step END "
        f"AS _step FROM {linked} AS l LEFT JOIN {last} AS r ON l._file = r._file AND l._order = r._order"
    )
    stage.execute(f"CREATE TABLE {dropped} AS SELECT _file, _order FROM {final} WHERE _step IS NOT NULL")
    names = staged.names
    person = "CASE _step WHEN 1 THEN person_id WHEN 4 THEN _pid END AS person_id"
    listed = ", ".join(person if name == "person_id" else quoted(name) for name in names)
    found = stage.sql(
        f"SELECT {listed}, _step, _shown FROM {final} WHERE _step IS NOT NULL ORDER BY _file, _order"
    ).to_arrow_table()
    moved = found.drop_columns(["_step", "_shown"]).to_pandas()
    steps = found.column("_step").to_numpy()
    shown = pd.Series(found.column("_shown").to_pylist(), dtype="object")
    # rows per way of linking, the repeats of the first step apart: every row's, less the repeats'
    everyone = f"(SELECT {how} AS _how, r._rows FROM {references} AS r {' '.join(joins)})"
    counts = {str(way): int(n) for way, n in stage.fetch(f"SELECT _how, sum(_rows) FROM {everyone} GROUP BY ALL")}
    for way, n in stage.fetch(f"SELECT _how, count(*) FROM {linked} WHERE _step = 1 GROUP BY ALL"):
        counts[str(way)] -= int(n)
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
        source=f"(SELECT r.*, {pid} AS _pid FROM {rows} AS r {' '.join(joins)} ANTI JOIN {dropped} AS g "
        "ON r._file = g._file AND r._order = g._order) AS accepted",
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
