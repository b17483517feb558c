from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from scalegap.client import ClientFolder
from scalegap.models import governance
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.privacy import WITHHELD
from scalegap.settings import load_settings
from tests.models import test_availability as degraded
from tests.support import TEMPLATE, tiny_client, write

# (id, area, function, category, status, owner): hand-scored below
ITEMS = [
    ("G1", "Ownership", "Govern", "GOVERN 2.1", "in_place", "Ann Lee"),
    ("G2", "Ownership", "Govern", "GOVERN 2.3", "absent", ""),
    ("G3", "Training", "Map", "MAP 3.4", "absent", "Bo Wu"),
    ("G4", "Monitoring", "Measure", "MEASURE 2.4", "partial", None),
    ("G5", "Incidents", "Manage", "MANAGE 4.3", "absent", "Cy Ray"),
    ("G6", "Incidents", "Manage", "MANAGE 2.4", "partial", "   "),
    ("G7", "Training", "Map", "MAP 2.2", "absent", None),
]


def checklist_frame(rows: list[tuple] = ITEMS) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "id": i,
                "area": a,
                "question": f"Question {i}?",
                "nist_function": f,
                "nist_category": c,
                "status": s,
                "owner": o,
                "evidence": f"see {i}, ask x@y.example",
            }
            for i, a, f, c, s, o in rows
        ]
    )


@pytest.fixture
def items() -> pd.DataFrame:
    return governance.scored_items(checklist_frame())


def test_items_are_scored_and_gaps_flagged(items: pd.DataFrame) -> None:
    assert items["score"].tolist() == [1.0, 0.0, 0.0, 0.5, 0.0, 0.5, 0.0]
    assert items["has_owner"].tolist() == [True, False, True, False, True, False, False]  # blank = no owner
    assert items["gap"].tolist() == [False, True, True, True, True, True, True]
    assert items["before_rollout"].tolist() == [False, True, False, True, True, True, True]
    assert items["action"].tolist() == [
        "—",
        "Put it in place and name an owner",
        "Put it in place",
        "Name an owner",
        "Put it in place",
        "Name an owner",
        "Name an owner (putting it in place can follow during the rollout)",
    ]


def test_the_rollout_rule_takes_its_functions_as_a_parameter() -> None:
    items = governance.scored_items(checklist_frame(), before_rollout_functions=("Govern", "Map", "Manage"))
    assert items.set_index("id").loc["G3", "before_rollout"]  # absent Map item with an owner now blocks


def test_function_scores_average_the_items(items: pd.DataFrame) -> None:
    scores = governance.function_scores(items).set_index("Function")
    assert scores["Score"].tolist() == pytest.approx([0.5, 0.0, 0.5, 0.25])  # Govern, Map, Measure, Manage
    assert scores.loc["Manage", ["Items", "In place", "Partial", "Absent"]].tolist() == [2, 0, 1, 1]
    assert scores.loc["Map", ["Without an owner", "Gaps", "Before rollout"]].tolist() == [1, 2, 1]


def test_a_function_without_items_has_no_score() -> None:
    items = governance.scored_items(checklist_frame([row for row in ITEMS if row[2] != "Measure"]))
    scores = governance.function_scores(items).set_index("Function")
    assert scores.loc["Measure", "Items"] == 0 and pd.isna(scores.loc["Measure", "Score"])
    assert governance.function_scores(items.iloc[0:0]).empty


def test_area_scores_keep_the_checklist_order(items: pd.DataFrame) -> None:
    areas = governance.area_scores(items)
    assert areas["Area"].tolist() == ["Ownership", "Training", "Monitoring", "Incidents"]
    assert areas.set_index("Area").loc["Incidents", ["Items", "In place", "Gaps"]].tolist() == [2, 0, 2]
    assert areas.set_index("Area").loc["Incidents", "Score"] == pytest.approx(0.25)


def test_before_rollout_and_later_gaps_split_the_gaps(items: pd.DataFrame) -> None:
    due = governance.before_rollout_table(items)
    assert due["Item"].tolist() == ["G2", "G7", "G4", "G5", "G6"]  # Govern, Map, Measure, Manage
    assert "Owner" not in due.columns and "Ann Lee" not in due.to_string()
    later = governance.later_gap_table(items)
    assert later["Item"].tolist() == ["G3"]


def test_displayed_items_hide_owner_names_and_redact_evidence(items: pd.DataFrame) -> None:
    rows = governance.item_rows(items)
    assert rows["Owner named"].tolist()[:2] == [True, False]
    assert rows.loc[0, "Evidence"] == "see G1, ask [e-mail]"
    assert not rows.isin(["Ann Lee", "Bo Wu", "Cy Ray"]).any().any()


def checklist_package(redact_free_text: bool = True) -> SimpleNamespace:
    """A stand-in package: a roster of E10001..E10039 (Hamza Evans not in it) and one signed-off item."""
    roster = pd.DataFrame({"person_id": [f"E10{n:03d}" for n in range(1, 40)]})
    checklist = checklist_frame(ITEMS[:1]).assign(
        evidence="Signed off by Hamza Evans (CFO, E10136)", question="Has Hamza Evans (E10136) approved the policy?"
    )
    tables = {"roster": roster, "governance": checklist}
    privacy = SimpleNamespace(min_group_size=5, redact_free_text=redact_free_text)
    return SimpleNamespace(
        has=lambda table: table in tables, table=lambda table: tables[table], settings=SimpleNamespace(privacy=privacy)
    )


def test_evidence_loses_the_signers_name_and_id() -> None:
    items = governance.checklist(checklist_package())
    assert items.loc[0, "evidence"] == "Signed off by [name] (CFO, [id])"
    assert items.loc[0, "question"] == "Has [name] ([id]) approved the policy?"
    assert items["owner"].isna().all() and items.loc[0, "has_owner"]  # scored, then the owner's name dropped
    shown = governance.item_rows(items).to_string()
    assert not any(word in shown for word in ("Hamza", "Evans", "E10136", "Ann Lee"))
    assert governance.evidence_note(checklist_package()) is None


def test_evidence_is_withheld_when_free_text_is_not_to_be_redacted() -> None:
    package = checklist_package(redact_free_text=False)
    items = governance.checklist(package)
    assert items["evidence"].isna().all()
    assert "Evidence" not in governance.item_rows(items, evidence=False)
    assert governance.evidence_note(package) == WITHHELD
    assert "Hamza" not in governance.item_rows(items).to_string()  # the question is still redacted


def test_categories_are_checked_against_the_nist_core() -> None:
    rows = [
        ("A", "x", "Govern", "GOVERN 7.1", "absent", ""),
        ("B", "x", "Measure", "MEASURE 2.13", "absent", ""),
        ("C", "x", "Measure", "MEASURE 2.14", "absent", ""),
        ("D", "x", "Govern", "MAP 1.1", "absent", ""),
        ("E", "x", "Manage", None, "absent", ""),
        ("F", "x", "Govern", "govern 2", "absent", ""),
    ]
    problems = governance.category_problems(governance.scored_items(checklist_frame(rows)))
    assert problems == [
        "A: 'GOVERN 7.1' is not a category of the NIST AI RMF 1.0 core.",
        "C: 'MEASURE 2.14' is not a category of the NIST AI RMF 1.0 core.",
        "D: category MAP 1.1 belongs to Map, but the item is scored under Govern.",
        "E: no NIST category is given.",
    ]


def test_the_template_checklist_maps_every_item_to_a_nist_subcategory_of_its_function() -> None:
    template = yaml.safe_load((TEMPLATE / "exports" / "governance_checklist.yml").read_text())["items"]
    frame = governance.scored_items(pd.DataFrame(template))
    assert governance.category_problems(frame) == []
    mapped = frame.set_index("id")["nist_category"]
    # corrected against NIST AI 100-1, Tables 1-4
    assert mapped[["GOV-05", "GOV-15", "GOV-20", "GOV-21"]].tolist() == [
        "MEASURE 2.5",
        "GOVERN 1.1",
        "MAP 2.2",
        "MANAGE 2.2",
    ]
    assert (
        sum(governance.NIST_SUBCATEGORIES["MEASURE"]) == 22
        and sum(sum(c) for c in governance.NIST_SUBCATEGORIES.values()) == 72
    )


def client_with_checklist(root: Path) -> PreparedPackage:
    client = ClientFolder(tiny_client(root))
    items = [
        {
            "id": i,
            "area": a,
            "question": f"Question {i}?",
            "nist_function": f,
            "nist_category": c,
            "status": s,
            "owner": o or "",
            "evidence": "",
        }
        for i, a, f, c, s, o in ITEMS
    ]
    write(client.exports / "governance.yml", yaml.safe_dump({"items": items}))
    settings = yaml.safe_load(client.assessment.read_text())
    settings["exports"]["governance"] = {"file": "governance.yml", "format": "governance_yaml"}
    client.assessment.write_text(yaml.safe_dump(settings))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_headline_from_a_prepared_checklist(tmp_path: Path) -> None:
    headline = governance.governance_headline(client_with_checklist(tmp_path))
    assert (headline.items, headline.items_in_place, headline.items_partial, headline.items_absent) == (7, 1, 2, 4)
    assert (headline.govern_score, headline.map_score, headline.measure_score, headline.manage_score) == (
        0.5,
        0.0,
        0.5,
        0.25,
    )
    assert headline.overall_score == pytest.approx(2 / 7, abs=1e-6)
    assert (headline.gaps, headline.before_rollout, headline.items_without_owner) == (6, 5, 4)
    assert headline.weakest_function == "Map"
    assert headline.as_dict()["manage_score"] == 0.25
    assert ("Gaps to close before rollout", "5") in governance.headline_rows(headline)


def test_findings_state_scores_and_the_rollout_list(tmp_path: Path) -> None:
    findings = governance.governance_findings(client_with_checklist(tmp_path))
    assert findings[0] == (
        "1 of 7 checklist items are in place, 2 partial and 4 absent; by NIST AI RMF function "
        "the scores are Govern 50 %, Map 0 %, Measure 50 %, Manage 25 % (overall 29 %)."
    )
    assert findings[1].startswith("The weakest function is Map")
    assert any(f.startswith("5 of the 6 gaps must close before the next cohort") for f in findings)


def test_without_a_checklist_nothing_is_scored(tmp_path: Path) -> None:
    client = ClientFolder(tiny_client(tmp_path))
    package = PreparedPackage(prepare(client, load_settings(client.assessment)))
    headline = governance.governance_headline(package)
    assert headline.items is None and headline.govern_score is None
    assert governance.checklist(package).empty
    assert governance.function_scores(governance.checklist(package)).empty
    assert governance.area_scores(governance.checklist(package)).empty
    assert "not assessed: no governance checklist was supplied" in governance.governance_findings(package)[0]


def test_a_checklist_without_items_is_not_assessed(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("governance",))
    reason = governance.unavailable_reason(package)
    assert reason.startswith("Governance readiness is not assessed: the governance checklist export")
    assert "To assess it, export it again" in reason
    assert governance.governance_headline(package).items is None and governance.governance_findings(package) == [reason]
