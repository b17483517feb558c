"""The client template: what `scalegap init` copies must be usable as it is and agree with the example client."""

import yaml

from scalegap.settings import load_settings
from scalegap.simulate import governance_template_items
from tests.support import ROOT, TEMPLATE


def test_the_governance_template_is_the_example_clients_checklist_left_blank() -> None:
    items = yaml.safe_load((TEMPLATE / "exports" / "governance_checklist.yml").read_text())["items"]
    keys = ("id", "area", "question", "nist_function", "nist_category")
    assert [{k: item[k] for k in keys} for item in items] == [
        {k: item[k] for k in keys} for item in governance_template_items()
    ]
    assert {item["status"] for item in items} == {"absent"}


def test_the_template_and_demo_settings_load() -> None:
    assert load_settings(TEMPLATE / "assessment.yml").exports_of("governance")[0].file == "governance_checklist.yml"
    demo = load_settings(ROOT / "src" / "scalegap" / "defaults" / "demo_assessment.yml")
    assert len(demo.integration.workflows) == 5
    assert {workflow.mode for workflow in demo.integration.workflows} >= {"manual_copy", "screenshot", "api"}
