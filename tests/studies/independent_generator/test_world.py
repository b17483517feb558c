"""The second generator: deterministic, its truth is the product of its factors, its structures vary, and
scalegap reads what it writes as a consultant's mapping says."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from scalegap.client import ClientFolder
from scalegap.package import PreparedPackage
from scalegap.prepare import prepare
from scalegap.settings import load_settings
from scalegap.studies.independent_generator import write_deployment
from scalegap.studies.independent_generator.world import make_world, truth_of

SEEDS = range(40)


def test_the_same_seed_writes_the_same_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    assert write_deployment(first, 11) == write_deployment(second, 11)
    for path in sorted((first / "exports").iterdir()):
        assert path.read_bytes() == (second / "exports" / path.name).read_bytes(), path.name
    assert (first / "assessment.yml").read_bytes() == (second / "assessment.yml").read_bytes()


def test_the_conversion_rate_is_the_product_of_the_four_factors() -> None:
    for seed in range(5):
        truth = truth_of(make_world(seed))
        product = truth.adoption_factor * truth.effect_factor * truth.data_mix_factor * truth.sustainment_factor
        assert truth.conversion_rate == pytest.approx(product, rel=1e-12)
        assert 0 < truth.production_adoption < 1 and 0.9 < truth.sustainment_factor <= 1


def test_the_structures_the_calibration_reports_apart_all_occur() -> None:
    structures = [make_world(seed).structure for seed in SEEDS]
    assert {s.team_column for s in structures} == {True, False}
    assert {s.rollout for s in structures} == {True, False}
    assert {s.rollout_across for s in structures if s.rollout} == {True, False}
    assert not any(s.rollout_across for s in structures if not s.rollout)
    assert {s.predictive for s in structures} == {"one", "all"}
    assigned = [s.assigned for s in structures]
    assert min(assigned) == 0 and any(0 < a < 10 for a in assigned) and max(assigned) >= 10
    assert any(s.pilot_clean_share == 1.0 for s in structures) and min(s.pilot_clean_share for s in structures) < 0.7
    assert max(s.messy_per_member for s in structures) > 5


@pytest.mark.parametrize("seed", [0, 2])  # a team column and no assigned members; no team column, 31 assigned
def test_scalegap_reads_the_exports_with_the_written_assessment(tmp_path: Path, seed: int) -> None:
    structure, _ = write_deployment(tmp_path, seed)
    world = make_world(seed)
    package = PreparedPackage(prepare(ClientFolder(tmp_path), load_settings(tmp_path / "assessment.yml")))
    roster = package.table("roster")
    assert len(roster) == len(world.people)
    assert int(roster["in_pilot"].sum()) == structure.volunteers + structure.assigned
    assert int(roster["volunteered"].fillna(False).sum()) == structure.volunteers
    assert ("team" in roster and roster["team"].notna().any()) == structure.team_column
    records = package.table("outcomes")
    messy = (records["data_tier"] == "messy").mean()
    assert 0 < messy < 1 and not math.isnan(messy)
    assert package.table("usage")["person_id"].notna().all()
    assert package.table("tickets")["person_id"].notna().all()


def test_a_rollout_is_one_or_two_departments_or_drawn_across_them() -> None:
    worlds = [make_world(seed) for seed in SEEDS]
    spans = {w.structure.rollout_across: [] for w in worlds if w.structure.rollout}
    for world in (w for w in worlds if w.structure.rollout):
        people = world.people
        rollout = people[people["in_rollout"]]
        assert 0 < len(rollout) <= 300 and not rollout["in_pilot"].any()
        spans[world.structure.rollout_across].append(rollout["department"].nunique() / people["department"].nunique())
    assert max(spans[False]) <= 2 / 4 and min(spans[True]) == 1.0  # departments: 1-2 of 4-7; across: all of them
