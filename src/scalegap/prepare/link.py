"""Linking every table's people to the roster (:mod:`scalegap.prepare.people`), and the rows linking sets aside:
rows that link to nobody, or to several people, move to the rejects with their reason; rows a later row
supersedes (an earlier survey response, an earlier view of a licence) are set aside there too, under a reason of
their own (:data:`scalegap.prepare.read.SUPERSEDED_REASONS`), and counted apart from the rejected."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

import pandas as pd

from scalegap.ingest import IngestResult
from scalegap.prepare.people import AMBIGUOUS, LinkReport, PeopleIndex, link, link_codes, pseudonym
from scalegap.prepare.read import SUPERSEDED_RESPONSE, SUPERSEDED_SEAT, TableData
from scalegap.prepare.staged_link import link_staged_usage

#: anything with ``accepted`` and ``rejected`` frames (an IngestResult or a stacked TableData)
T = TypeVar("T", IngestResult, TableData)


def link_tables(tables: dict[str, TableData]) -> dict[str, TableData]:
    """Link every table's people to the roster (:mod:`scalegap.prepare.people`), keeping what linking achieved."""
    if "roster" not in tables or tables["roster"].accepted.empty:
        return tables  # nothing to link to: the roster's own problem blocks the run
    index = PeopleIndex.of(tables["roster"].accepted)
    linked = dict(tables)
    steps: dict[str, Callable[[TableData], tuple[TableData, LinkReport]]] = {
        "survey": lambda data: match_respondents(data, index),
        "usage": lambda data: link_people(
            reject_repeats(data, ["source", "organisation", "email", "login", "person_id", "date"], "person and day"),
            index,
            "usage",
            "person",
        ),
        "seats": lambda data: link_people(latest_seat_per_person(data), index, "seats", "assignee"),
        "outcomes": lambda data: link_people(data, index, "outcomes", "person_id"),
        "tickets": lambda data: link_tickets(data, index),
    }
    if "usage" in linked and linked["usage"].staged is not None:  # its rows stayed in DuckDB: linked there
        linked["usage"] = link_staged_usage(linked["usage"], index)
        del steps["usage"]
    for table, step in steps.items():
        if table in linked:
            data, report = step(linked[table])
            linked[table] = replace(data, linking=report)
    if "usage" in linked and linked["usage"].staged is None:
        linked["usage"] = reject_repeats(
            linked["usage"], ["person_id", "date", "source", "organisation"], "person and day"
        )
    if "org_usage" in linked:
        linked["org_usage"] = reject_repeats(
            linked["org_usage"], ["source", "organisation", "date"], "organisation and day"
        )
    return linked


def latest_seat_per_person(seats: TableData) -> TableData:
    """Stacked licence snapshots list a person once per file: keep the latest view of each seat."""
    accepted = seats.accepted
    order = accepted.sort_values(
        ["last_activity_at", "source_file", "source_row"], ascending=False, na_position="last", kind="stable"
    )
    earlier = order.duplicated(["source", "email", "login", "person_id"], keep="first")
    return move_to_rejects(seats, earlier.reindex(accepted.index), SUPERSEDED_SEAT, "assignee")


def move_to_rejects(result: T, mask: pd.Series, reason: str, column: str | None) -> T:
    """Move accepted rows selected by ``mask`` to the rejects, with ``reason``."""
    mask = pd.Series(mask.to_numpy(dtype=bool), index=result.accepted.index)
    if not mask.any():
        return result
    moved = result.accepted[mask].copy()
    moved.insert(1, "reason", reason)
    moved.insert(2, "column", column)
    rejected = pd.concat([result.rejected, moved.astype("object")], ignore_index=True)
    order = [key for key in ("source_file", "source_row") if key in rejected]
    rejected = rejected.sort_values(order, kind="stable").reset_index(drop=True)
    accepted = result.accepted[~mask].reset_index(drop=True)
    return replace(result, accepted=accepted, rejected=rejected)


def match_respondents(survey: T, index: PeopleIndex) -> tuple[T, LinkReport]:
    """Match respondents to the roster by the employee id given, else by e-mail (trimmed, any case).

    Unmatched respondents stay in the survey with an empty ``person_id`` and
    ``matched_by = "unmatched"``; of several responses from one person, the
    latest is kept and the earlier ones are rejected as superseded.
    """
    accepted = survey.accepted.copy()
    linked, report = link(accepted.assign(person_id=accepted["person_ref"]), index, "survey", ("person_id", "email"))
    accepted["person_id"] = linked["person_id"].astype("object")
    accepted["matched_by"] = linked["linked_by"].where(linked["person_id"].notna(), "unmatched")
    result = replace(survey, accepted=accepted)
    latest_first = accepted.sort_values(["recorded_at", "source_row"], ascending=False)
    superseded = latest_first["person_id"].notna() & latest_first.duplicated("person_id", keep="first")
    return move_to_rejects(result, superseded.reindex(accepted.index), SUPERSEDED_RESPONSE, "RecordedDate"), report


def link_people(result: T, index: PeopleIndex, table: str, column: str) -> tuple[T, LinkReport]:
    """Link every row to a roster person (:func:`scalegap.prepare.people.link`); reject the rows that link to nobody."""
    found = link_codes(result.accepted, index, table)
    accepted = result.accepted.assign(person_id=found.person_ids(result.accepted.index))
    ambiguous = found.how == AMBIGUOUS
    moved = move_to_rejects(
        replace(result, accepted=accepted),
        pd.Series(ambiguous),
        "the person's name matches several roster people: map an id or e-mail column instead",
        column,
    )
    still = found.person[~ambiguous] < 0
    moved = move_to_rejects(moved, pd.Series(still), "person is not in the roster (check the ID or e-mail)", column)
    if found.ids:  # the ids as one Arrow array rather than a Python string per row: a usage table has millions
        ids = pd.array(found.ids, dtype="str").take(found.person[found.person >= 0])
        moved = replace(moved, accepted=moved.accepted.assign(person_id=pd.Series(ids, index=moved.accepted.index)))
    return moved, found.report


def link_tickets(tickets: T, index: PeopleIndex) -> tuple[T, LinkReport]:
    """Link each ticket's requester to the roster; a ticket whose requester links to nobody is kept.

    ``reporter_in_roster`` says which; an unlinked requester is kept as a pseudonym, so people are still
    counted apart, but no name of someone outside the roster reaches the prepared data.
    """
    accepted = tickets.accepted
    linked, report = link(accepted, index, "tickets", ("person_id",))
    person = linked["person_id"].fillna(accepted["person_id"].map(pseudonym)).astype("object")
    return replace(
        tickets, accepted=accepted.assign(person_id=person, reporter_in_roster=linked["person_id"].notna())
    ), report


def reject_repeats(result: T, keys: list[str], what: str) -> T:
    present = [key for key in keys if key in result.accepted]
    # a column empty on every row cannot tell two rows apart: leaving it out gives the same repeats, faster
    given = [key for key in present if result.accepted[key].notna().any()]
    if not given:
        return result
    accepted = result.accepted
    repeated = accepted.duplicated(given, keep="first") & accepted[given].notna().any(axis=1)
    return move_to_rejects(
        result, repeated, f"repeats the {what} of an earlier row (the first is kept)", ", ".join(present)
    )
