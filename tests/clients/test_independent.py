"""The independent client generator: deterministic, its files as described, its truth what a plain re-read gives."""

from __future__ import annotations

import csv
import io
import json
from collections import Counter
from pathlib import Path

import pytest
import yaml

from scalegap.ingest.github_copilot import GitHubCopilotUsersAdapter
from scalegap.ingest.qualtrics import QualtricsAdapter
from scalegap.settings import ExportSettings, Settings, load_settings
from tests.clients.independent import Truth, write_independent_client


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Truth]:
    root = tmp_path_factory.mktemp("independent")
    return root / "exports", write_independent_client(root)


def rows_of(path: Path, encoding: str, delimiter: str = ",") -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_text(encoding=encoding), newline=""), delimiter=delimiter))


def roster_of(exports: Path) -> list[dict[str, str]]:
    return rows_of(exports / "Mitarbeiterliste.csv", "cp1252", ";")


def survey_of(exports: Path) -> list[list[str]]:
    text = (exports / "Umfrage_KI_Bereitschaft.csv").read_text(encoding="utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline="")))


def settings_for(tmp_path: Path, truth: Truth) -> Settings:
    constructs = {
        name: {"items": list(items), "reverse": [i for i in items if i in truth.reverse_items]}
        for name, items in truth.constructs.items()
    }
    survey = {
        "scale_points": truth.scale_points,
        "scale_labels": list(truth.scale_labels),
        "constructs": constructs,
        "free_text": list(truth.free_text),
    }
    path = tmp_path / "assessment.yml"
    path.write_text(
        yaml.safe_dump({"client": {"name": "Nordwerk Gruppe"}, "survey": survey}, allow_unicode=True), encoding="utf-8"
    )
    return load_settings(path)


def test_the_same_seed_writes_byte_identical_files_and_another_seed_others(tmp_path: Path) -> None:
    first, second, other = (
        write_independent_client(tmp_path / name, seed=seed, people=200)
        for name, seed in (("a", 3), ("b", 3), ("c", 4))
    )
    assert first == second and first != other
    for name in first.files.values():
        assert (tmp_path / "a/exports" / name).read_bytes() == (tmp_path / "b/exports" / name).read_bytes()
        assert (tmp_path / "a/exports" / name).read_bytes() != (tmp_path / "c/exports" / name).read_bytes()
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["exports"]  # no assessment.yml


def test_the_roster_is_cp1252_with_semicolons_and_no_team_column(client: tuple[Path, Truth]) -> None:
    exports, truth = client
    raw = (exports / "Mitarbeiterliste.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    header = raw.decode("cp1252").splitlines()[0]
    assert header == (
        "Personalnummer;Nachname;Vorname;Dienstliche E-Mail;Abteilung;Funktion;Standort;"
        "Eintrittsdatum;GitHub-Konto;Pilotgruppe;Freiwillig"
    )
    assert not any("team" in name.lower() for name in header.split(";"))
    rows = roster_of(exports)
    names = " ".join(row["Nachname"] + row["Vorname"] for row in rows)
    assert any(letter in names for letter in "äöüß") and "é" in names
    assert any(int(row["Eintrittsdatum"][:2]) > 12 for row in rows)
    assert any(row["Dienstliche E-Mail"] != row["Dienstliche E-Mail"].lower() for row in rows)
    assert all(row["Personalnummer"].startswith("P-") and len(row["Personalnummer"]) == 8 for row in rows)


def test_the_roster_counts_are_the_truth(client: tuple[Path, Truth]) -> None:
    exports, truth = client
    rows = roster_of(exports)
    pilot = [row for row in rows if row["Pilotgruppe"] == "Ja"]
    assert truth.people == len(rows) == 400
    assert truth.pilot_members == len(pilot) and 0.10 <= len(pilot) / len(rows) <= 0.14
    assert truth.volunteers == sum(row["Freiwillig"] == "Ja" for row in pilot) > truth.assigned
    assert truth.assigned == sum(row["Freiwillig"] == "Nein" for row in pilot) >= 10
    assert all(row["Freiwillig"] == "" for row in rows if row["Pilotgruppe"] == "Nein")
    assert set(truth.pilot_ids) == {row["Personalnummer"] for row in pilot}
    assert truth.departments == Counter(row["Abteilung"] for row in rows) and min(truth.departments.values()) >= 20
    shared = [name for name, count in Counter(f"{r['Vorname']} {r['Nachname']}" for r in rows).items() if count > 1]
    assert sorted(shared) == list(truth.ambiguous_names) and len(shared) == 2
    assert len({row["Dienstliche E-Mail"].lower() for row in rows}) == len(rows)


def test_the_survey_counts_are_the_truth(client: tuple[Path, Truth]) -> None:
    exports, truth = client
    ids, texts, imports, *answers = survey_of(exports)
    assert ids[-11:] == [*(i for items in truth.constructs.values() for i in items), "QID20_TEXT"]
    assert " - " in texts[-2] and all(json.loads(cell).keys() == {"ImportId"} for cell in imports)
    roster = roster_of(exports)
    pids = {row["Personalnummer"] for row in roster}
    emails = {row["Dienstliche E-Mail"].lower() for row in roster}
    rows = [dict(zip(ids, row)) for row in answers]
    linked = [r for r in rows if r["ExternalReference"] in pids or r["RecipientEmail"].strip().lower() in emails]
    assert truth.survey_responses == len(rows) and truth.survey_linked == len(linked) == len(rows) - 5
    assert truth.survey_by_reference == sum(r["ExternalReference"] in pids for r in rows)
    assert 0.5 <= truth.survey_linked / truth.people <= 0.7
    assert 0.6 <= truth.survey_by_reference / truth.survey_linked <= 0.8
    assert any(r["RecipientEmail"] != r["RecipientEmail"].strip().lower() for r in linked)
    assert truth.survey_unfinished == sum(r["Finished"] == "False" for r in rows)
    labels = {cell for row in rows for cell in row.values()}
    assert set(truth.scale_labels) <= labels


def test_usage_outcome_and_ticket_counts_are_the_truth(client: tuple[Path, Truth]) -> None:
    exports, truth = client
    roster = roster_of(exports)
    logins = {row["GitHub-Konto"].lower() for row in roster if row["GitHub-Konto"]}
    days = json.loads((exports / "copilot_user_metrics.json").read_text(encoding="utf-8"))["day_totals"]
    assert truth.usage_rows == len(days) and len({d["day"] for d in days}) <= truth.usage_days == 28
    assert truth.usage_linked_rows == sum(d["user_login"].lower() in logins for d in days)
    assert truth.usage_logins_unknown == len({d["user_login"] for d in days if d["user_login"].lower() not in logins})
    outcomes = rows_of(exports / "Bearbeitungszeiten.csv", "utf-8")
    tiers = Counter(truth.values["outcomes"]["data_tier"][row["Aktenqualität"]] for row in outcomes)
    assert (truth.outcome_rows, truth.outcome_rows_clean, truth.outcome_rows_messy) == (
        len(outcomes),
        tiers["clean"],
        tiers["messy"],
    )
    assert {row["KI-Unterstützung"] for row in outcomes} == {"ja", "nein"}
    pilot = set(truth.pilot_ids)
    per_member = Counter(row["Personalnummer"] for row in outcomes if row["Personalnummer"] in pilot)
    assert len(per_member) == len(pilot) and 20 <= min(per_member.values()) <= max(per_member.values()) <= 40
    tickets = rows_of(exports / "incident.csv", "utf-8-sig")
    names = Counter(f"{row['Vorname']} {row['Nachname']}" for row in roster)
    matches = Counter(min(names[row["caller_id"]], 2) for row in tickets)
    assert (truth.tickets, truth.tickets_linked_unique, truth.tickets_ambiguous, truth.tickets_unmatched) == (
        len(tickets),
        matches[1],
        matches[2],
        matches[0],
    )
    assert {row["assignment_group"] for row in tickets} == set(truth.values["tickets"]["channel"])
    assert len({row["caller_id"] for row in tickets if names[row["caller_id"]] == 0}) == 4


def test_scalegaps_qualtrics_adapter_reads_the_survey(client: tuple[Path, Truth], tmp_path: Path) -> None:
    exports, truth = client
    result = QualtricsAdapter().read(
        exports / truth.files["survey"], ExportSettings(file=truth.files["survey"]), settings_for(tmp_path, truth)
    )
    assert result.rows_read == truth.survey_responses and len(result.rejected) == 0
    scores = result.accepted[[item for items in truth.constructs.values() for item in items]]
    answered = scores.stack().dropna()
    assert answered.between(1, 7).all() and answered.nunique() == 7 and len(answered) > 9 * truth.survey_responses
    assert result.accepted["person_ref"].notna().sum() == truth.survey_by_reference + 2  # 2 unknown references
    # the reverse-worded item runs against its construct's other items
    assert scores["QID11_3"].corr(scores["QID11_1"]) < 0 < scores["QID11_2"].corr(scores["QID11_1"])


def test_scalegaps_copilot_adapter_reads_the_usage_report(client: tuple[Path, Truth], tmp_path: Path) -> None:
    exports, truth = client
    result = GitHubCopilotUsersAdapter().read(
        exports / truth.files["usage"], ExportSettings(file=truth.files["usage"]), settings_for(tmp_path, truth)
    )
    assert result.rows_read == len(result.accepted) == truth.usage_rows and len(result.rejected) == 0
    roster_logins = {row["GitHub-Konto"].lower() for row in roster_of(exports) if row["GitHub-Konto"]}
    assert result.accepted["login"].isin(roster_logins).sum() == truth.usage_linked_rows
    assert set(result.accepted["organisation"]) == {"48151623"}
