from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest
import yaml

from scalegap.client import ClientFolder
from scalegap.models import integration
from scalegap.models.integration import inventory
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.privacy import WITHHELD
from scalegap.settings import load_settings
from tests.models import test_availability as degraded
from tests.support import tiny_client

# tiny_client: Finance E1–E8 (E1–E3 in the pilot), Legal E9–E12; minimum group size 5.
WORKFLOWS = [
    {
        "name": "Invoice checks",
        "mode": "manual_copy",
        "manual_steps_per_task": 2,
        "minutes_per_step": 1.5,
        "tasks_per_user_per_week": 20,
        "segment": {"department": "Finance"},
    },
    {
        "name": "Contract review",
        "mode": "screenshot",
        "manual_steps_per_task": 1,
        "minutes_per_step": 3,
        "tasks_per_user_per_week": 10,
        "segment": {"department": " legal "},
    },
    {
        "name": "Mail drafting",
        "mode": "api",
        "manual_steps_per_task": 0,
        "minutes_per_step": 0,
        "tasks_per_user_per_week": 50,
    },
    {
        "name": "Meeting notes",
        "mode": "screenshot",
        "manual_steps_per_task": 1,
        "minutes_per_step": 0.5,
        "tasks_per_user_per_week": 24,
    },
]


def package_with(root: Path, workflows: list[dict]) -> PreparedPackage:
    client = ClientFolder(tiny_client(root))
    settings = yaml.safe_load(client.assessment.read_text())
    settings["integration"] = {"workflows": workflows}
    client.assessment.write_text(yaml.safe_dump(settings))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> PreparedPackage:
    return package_with(tmp_path_factory.mktemp("integration"), WORKFLOWS)


@pytest.fixture(scope="module")
def bare(tmp_path_factory: pytest.TempPathFactory) -> PreparedPackage:
    client = ClientFolder(tiny_client(tmp_path_factory.mktemp("bare")))
    return PreparedPackage(prepare(client, load_settings(client.assessment)))


def test_manual_hours_multiplies_users_tasks_steps_and_minutes() -> None:
    assert inventory.manual_hours(10, 20, 3, 1.5) == pytest.approx(15.0)  # 10 × 20 × 3 × 1.5 ÷ 60
    assert inventory.manual_hours(10, 20, 0, 1.5) == 0.0


def test_segments_match_every_pair_ignoring_case_and_spaces(package: PreparedPackage) -> None:
    roster = package.table("roster")
    assert inventory.in_segment(roster, {"department": "Finance"}).sum() == 8
    assert inventory.in_segment(roster, {"department": " LEGAL "}).sum() == 4
    assert inventory.in_segment(roster, {}).sum() == 12
    assert inventory.in_segment(roster, {"department": "Finance", "role": "Manager"}).sum() == 0
    assert inventory.in_segment(roster, {"dept": "Finance"}).sum() == 0
    assert inventory.describe_segment({}) == "everyone"
    assert (
        inventory.describe_segment({"department": "Legal", "role": "Analyst"}) == "Department: Legal and Role: Analyst"
    )


def test_workflow_scale_at_pilot_and_production(package: PreparedPackage) -> None:
    scale = inventory.workflow_scale(package).set_index("Workflow")
    invoice = scale.loc["Invoice checks"]
    assert (invoice["Pilot users"], invoice["Production users"]) == (3, 8)
    assert invoice["Hours per week, pilot"] == pytest.approx(3.0)  # 3 × 20 × 2 × 1.5 ÷ 60
    assert invoice["Hours per week, production"] == pytest.approx(8.0)
    assert invoice["Full-time equivalents"] == pytest.approx(8.0 / 37.5)
    assert invoice[inventory.GROWTH] == pytest.approx(8 / 3)
    assert scale.loc["Contract review", "Hours per week, production"] == pytest.approx(2.0)  # 4 × 10 × 1 × 3 ÷ 60
    assert pd.isna(scale.loc["Contract review", inventory.GROWTH])  # nobody in the pilot
    assert scale.loc["Meeting notes", "Hours per week, production"] == pytest.approx(2.4)  # 12 × 24 × 0.5 ÷ 60
    assert scale.loc["Mail drafting", "Hours per week, production"] == 0.0
    # ranked by production hours: the first to break first
    assert inventory.workflow_scale(package)["Workflow"].tolist() == [
        "Invoice checks",
        "Meeting notes",
        "Contract review",
        "Mail drafting",
    ]


def test_adoption_share_scales_production_users(package: PreparedPackage) -> None:
    half = inventory.workflow_scale(package, adoption_share=0.5).set_index("Workflow")
    assert half.loc["Invoice checks", "Production users"] == 4
    assert half.loc["Invoice checks", "Hours per week, production"] == pytest.approx(4.0)
    with pytest.raises(ValueError, match="between 0 and 1"):
        inventory.workflow_scale(package, adoption_share=1.5)


def test_small_groups_are_suppressed_with_a_complement(package: PreparedPackage) -> None:
    table = integration.scale_table(package).set_index("Workflow")
    # 3 pilot members: every pilot figure is blank, the zero too (no count beside a suppressed one)
    assert table["Pilot users"].isna().tolist() == [True, True, True, True]
    # Legal has 4 people (blank); Finance, the next smallest, is blanked so the total cannot reveal Legal
    assert pd.isna(table.loc["Contract review", "Production users"])
    assert pd.isna(table.loc["Invoice checks", "Hours per week, production"])
    assert table.loc["Meeting notes", "Hours per week, production"] == pytest.approx(2.4)
    assert table["suppressed"].tolist() == [True, True, True, True]


def test_mode_summary_adds_hours_by_mode(package: PreparedPackage) -> None:
    modes = integration.mode_summary(package).set_index("Mode")
    assert modes.index.tolist() == ["Screenshot", "Manual copy", "API"]  # the worst first; none without workflows
    assert modes.loc["Screenshot", "Hours per week, production"] == pytest.approx(4.4)
    assert modes.loc["Manual copy", "Share of production manual hours"] == pytest.approx(8.0 / 12.4)
    assert modes.loc["API", "Workflows"] == 1


def test_headline_totals_and_the_first_to_break(package: PreparedPackage) -> None:
    headline = integration.integration_headline(package)
    assert headline.workflows == 4
    assert headline.pilot_manual_hours_per_week is None  # only 3 pilot members do any workflow
    assert headline.production_manual_hours_per_week == pytest.approx(12.4)
    assert headline.production_full_time_equivalents == pytest.approx(0.3)
    assert (headline.first_to_break, headline.first_to_break_mode) == ("Invoice checks", "Manual copy")
    # 8.0 hours, but blanked in the table to protect Legal's 4 people: the headline must not give it away
    assert headline.first_to_break_hours_per_week is None
    assert headline.per_task_manual_share == pytest.approx(1.0)
    assert headline.workflows_not_in_pilot == 1
    assert set(headline.as_dict()) >= {
        "pilot_manual_hours_per_week",
        "production_manual_hours_per_week",
        "first_to_break",
    }


def test_findings_name_the_first_to_break_and_the_modes(package: PreparedPackage) -> None:
    findings = integration.integration_findings(package)
    assert findings[0].startswith("Across 4 declared workflow(s)")
    assert "12.4 hours a week at full rollout" in findings[0]
    assert any("first workaround to break is Invoice checks" in f for f in findings)
    assert any(
        f.startswith("100 % of the production manual hours come from screenshot and manual copy") for f in findings
    )
    assert any("1 workflow(s) had no pilot member" in f for f in findings)


def test_without_an_inventory_the_chapter_says_how_to_add_one(bare: PreparedPackage) -> None:
    headline = integration.integration_headline(bare)
    assert headline.workflows == 0 and headline.production_manual_hours_per_week is None
    assert integration.inventory_table(bare).empty and integration.scale_table(bare).empty
    assert integration.mode_summary(bare).empty
    findings = integration.integration_findings(bare)
    assert "integration.workflows" in findings[0]
    assert "no declared free-text question" in findings[-1]


def test_segment_notes_name_unknown_columns_and_empty_segments(tmp_path: Path) -> None:
    flows = [
        dict(WORKFLOWS[0], name="Typo", segment={"dept": "Finance"}),
        dict(WORKFLOWS[0], name="Nobody", segment={"department": "Marketing"}),
    ]
    notes = inventory.segment_notes(package_with(tmp_path, flows))
    assert notes[0].startswith("Typo: the roster has no column 'dept'")
    assert "department" in notes[0] and "person_id" not in notes[0]
    assert notes[1].startswith("Nobody: nobody in the roster has Department: Marketing")


def survey_stub(
    answers: list[str | None], minimum: int = 5, people: list[str] | None = None, redact_free_text: bool = True
) -> SimpleNamespace:
    survey = pd.DataFrame({"Q7": answers, **({"person_id": people} if people else {})})
    settings = SimpleNamespace(
        survey=SimpleNamespace(free_text=["Q7", "Q8"]),
        privacy=SimpleNamespace(min_group_size=minimum, redact_free_text=redact_free_text),
    )
    return SimpleNamespace(has=lambda table: table == "survey", table=lambda table: survey, settings=settings)


def test_free_text_mentions_of_manual_work_are_counted_by_theme() -> None:
    answers = [
        "I copy the order into the chat",
        "Screenshots of the TMS, every time",
        "Re-typing invoices by hand",
        "Please connect it to SAP",
        "Pasting from Outlook, mail me at a.b@x.example",
        "Works well",
        None,
        "  ",
    ]
    comments = integration.manual_work_comments(survey_stub(answers), max_examples=3)
    assert comments.questions == ("Q7",)  # Q8 is declared but not in the export
    assert (comments.answers, comments.mentioning) == (6, 5)
    assert comments.share == pytest.approx(5 / 6)
    themes = comments.themes.set_index("Theme")["Answers"]
    assert pd.isna(themes["Copying and pasting"])
    assert themes["Exporting and uploading files"] == 0  # a zero identifies no one
    assert len(comments.examples) == 3
    assert all("@" not in text for text in integration.manual_work_comments(survey_stub(answers)).examples)


def test_quotes_need_the_minimum_group_size_of_mentions() -> None:
    comments = integration.manual_work_comments(survey_stub(["copy paste", "nothing", "fine"]))
    assert comments.mentioning == 1 and comments.examples == ()


MANUAL = [
    "I copy it by hand",
    "Screenshots, always",
    "copy paste all day",
    "manual re-typing",
    "I export a CSV",
    "Ask Siobhán O'Neill, she pastes it by hand (R_1CdLMZ0sR6yvtoQ, +44 20 7946 0958)",
]


def test_quotes_need_the_minimum_group_size_of_respondents_not_answers() -> None:
    comments = integration.manual_work_comments(survey_stub(MANUAL, people=["E1", "E1", "E1", "E2", "E2", "E2"]))
    assert comments.mentioning == 6 and comments.examples == ()  # six answers, but from two people
    assert "fewer than 5 respondents" in integration.quotation_note(comments, 5)


def test_quotes_are_redacted() -> None:
    comments = integration.manual_work_comments(survey_stub(MANUAL), max_examples=6)
    assert "Ask [name], she pastes it by hand ([id], [phone])" in comments.examples
    assert not any("O'Neill" in text or "R_1" in text for text in comments.examples)
    assert integration.quotation_note(comments, 5) is None


def test_no_quote_when_free_text_is_withheld() -> None:
    comments = integration.manual_work_comments(survey_stub(MANUAL, redact_free_text=False))
    assert comments.withheld and comments.examples == () and comments.mentioning == 6
    assert integration.quotation_note(comments, 5) == WITHHELD


def test_the_first_to_break_shows_its_hours_when_its_group_is_large_enough(tmp_path: Path) -> None:
    headline = integration.integration_headline(package_with(tmp_path, [WORKFLOWS[3]]))  # everyone: 12 people
    assert headline.first_to_break == "Meeting notes"
    assert headline.first_to_break_hours_per_week == pytest.approx(2.4)
    assert headline.production_full_time_equivalents == pytest.approx(0.1)  # 2.4 ÷ 37.5, rounded


def test_a_survey_without_rows_gives_no_free_text_evidence(tmp_path: Path) -> None:
    package = degraded.write_package(tmp_path, ("survey",))
    assert integration.manual_work_comments(package) is None
    assert integration.survey_sentences(package)[0].startswith("What staff said about manual work is not assessed")


def test_the_book_says_there_is_no_inventory_in_the_readers_words() -> None:
    text = integration.no_inventory_text()
    assert text.startswith("No workflow the assistant is used in was declared for this assessment")
    assert "see the example below" not in text


def test_the_chapter_holds_no_yaml_and_no_formula_in_code_font() -> None:
    notebook = Path(integration.__file__).parents[2] / "assets" / "notebooks" / "55_integration.ipynb"
    text = notebook.read_text(encoding="utf-8")
    assert "```yaml" not in text and "Declaring the inventory" not in text
    assert "`manual hours per week =" not in text
