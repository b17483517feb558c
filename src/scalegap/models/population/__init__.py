"""The pilot-validity audit: how far the pilot's conditions were from production's.

"Production" is everyone in the roster: the whole organisation, who would all get access at full rollout.
The pilot is the roster's pilot members. Five conditions are compared; each gets a verdict.

* **Population mix.** The covariates are the roster's segments (department, role, location, tenure band;
  missing values form a level "(not recorded)"), whether a person volunteered for the pilot, whether they
  answered the survey, and, for those who answered, their readiness index. Every level of a categorical
  covariate is a 0/1 indicator with a standardised mean difference (SMD)
  ``(p_pilot − p_production) ÷ √((p_pilot(1 − p_pilot) + p_production(1 − p_production)) ÷ 2)``; the
  readiness index (respondents only) uses the pooled standard deviation
  ``(m_pilot − m_production) ÷ √((s²_pilot + s²_production) ÷ 2)``. ``|SMD|`` above
  ``population.smd_threshold`` flags the covariate level.
* **Readiness index (a minimal scoring of our own).** Reverse-scored items are turned round as
  ``scale_points + 1 − answer``; a construct's score is the mean of its answered items; the index is the mean of
  the construct scores, rescaled to 0–100. The readiness chapter (``models/readiness/``) scores readiness with
  stricter rules (at least half the items answered); this module deliberately does not import it yet.
  Non-respondents get an explicit missing indicator: the covariate "answered the survey", with their
  standardised readiness set to 0 in the propensity model.
* **Reweighting.** A logistic model of pilot membership on all covariates above (statsmodels GLM, binomial,
  logit link), fitted with a weak ridge penalty on every coefficient but the intercept, equivalent to a
  normal prior with standard deviation 2.5 on the log-odds scale (readiness standardised first): a segment
  with no pilot member then gets a finite, very low propensity instead of breaking the fit. Pilot member *i*
  gets the weight ``1 ÷ e(x_i)`` (the pilot is part of the organisation, so this is the ratio of the
  organisation's covariate distribution to the pilot's), scaled to sum to the headcount. Kish's effective
  sample size ``(Σw)² ÷ Σw²`` says how many people's worth of information the reweighted pilot holds. SMDs
  after reweighting use the reweighted pilot share or mean and the unweighted denominator, so before and
  after are on one scale. (statsmodels, not a survey-weighting library: samplics is archived and says so on
  import, Meta's balance requires numpy < 2 on Python 3.11, and samplics' successor svy is a 0.x beta.)
* **Generalizability.** Tipton's (2014) generalizability index ``B = Σ_j √(w_pilot,j × w_population,j)``
  over bins of the same propensity score: the bins are cut at quantiles of the organisation's scores, their
  number is the pilot size ÷ the minimum group size, kept between 2 and 10, and ``w`` is the share of the
  pilot or of the organisation in a bin. B runs from 0 to 1: 0.9 or above, the pilot is like a random
  sample; 0.5 to 0.9, reweighting may compensate; below 0.5, the pilot does not generalize. Because the pilot
  is part of the organisation, B cannot fall below about √(pilot ÷ headcount).
* **Data mix.** The clean-record share (clean ÷ records of known tier; unknown tier left out) of pilot
  members' outcome records against everyone's records (production: every record in the export, the pilot's
  included; everyone else's records are shown too).
* **Support model.** The share of pilot members' tickets raised through each channel; in production,
  tickets go to the service desk. Tickets are matched to the roster by ``person_id``.
* **Segmentation.** A segment value with fewer pilot members than the minimum group size was not tested:
  results for it are extrapolation (:func:`extrapolated_segments`).

Verdicts use Tipton's cut points (0.9 and 0.5) for every share-like measure, see :func:`coverage_verdict`.

Assumptions: the covariates recorded are the ones that matter for how the assistant works for someone
(reweighting cannot correct for what is not recorded); the survey was answered after the pilot, so pilot
members' readiness may partly be a result of the pilot; non-respondents are taken to resemble respondents
of their own segments once the other covariates are accounted for. Groups of fewer people than the minimum
group size are suppressed in every table and figure; with fewer pilot members than that, no pilot figure
is shown at all.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import pandas as pd

from scalegap import number_format as nf
from scalegap.models import availability
from scalegap.models.population.conditions import ALL_RECORDS, PILOT_RECORDS, build_team_share, data_mix, support_model
from scalegap.models.population.generalizability import (
    ADJUSTABLE,
    GENERALIZES,
    generalizability_reading,
    generalizability_summary,
    propensity_bins,
)
from scalegap.models.population.mix import (
    all_smds,
    balance_summary,
    for_display,
    population_mix,
    population_mix_table,
    readiness_balance,
    reweighted_mix_table,
    reweighting_summary,
)
from scalegap.models.population.propensity import (
    count_or_fewer,
    non_volunteers,
    pilot_ids,
    propensity_model,
    scope_sentences,
    unavailable_reason,
)
from scalegap.models.population.segmentation import covered_shares, extrapolated_segments, extrapolation_table
from scalegap.models.results import figure
from scalegap.models.segments import label
from scalegap.package import PreparedPackage

TESTED, PARTLY, NOT_TESTED, NO_EVIDENCE = "tested in the pilot", "partly", "not tested", "no evidence"


#: what the population chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "NOT_TESTED",
    "NO_EVIDENCE",
    "PARTLY",
    "RULES",
    "TESTED",
    "ValidityHeadline",
    "Verdict",
    "balance_summary",
    "clean_shares",
    "coverage_verdict",
    "data_mix",
    "data_mix_verdict",
    "extrapolation_sentence",
    "extrapolation_table",
    "for_display",
    "generalizability_summary",
    "pilot_build_team_share",
    "population_evidence",
    "population_mix_table",
    "population_sentences",
    "population_verdict",
    "propensity_bins",
    "readiness_balance",
    "reweighted_mix_table",
    "reweighting_summary",
    "scope_sentences",
    "segmentation_verdict",
    "support_model",
    "support_verdict",
    "validity_findings",
    "validity_headline",
    "validity_verdicts",
    "verdict_evidence",
    "verdict_table",
    "widest_gap",
]


# --- headline and verdicts ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ValidityHeadline:
    """The audit's headline figures (results.json); None where the data or the privacy rules allow none.

    ``flagged_covariates`` and ``flagged_after_reweighting`` count covariate levels (each level of a category,
    a yes/no covariate once, the readiness index once) with |SMD| above the threshold, out of
    ``covariates_checked``; the clean-record shares are of pilot members' records and of every record;
    ``build_team_ticket_share`` is the share of pilot members' tickets sent straight to the build team.
    """

    pilot_members: int
    tipton_index: float | None
    pilot_effective_sample_size: float | None
    flagged_covariates: int | None
    flagged_after_reweighting: int | None
    covariates_checked: int | None
    clean_share_pilot: float | None
    clean_share_production: float | None
    build_team_ticket_share: float | None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def clean_shares(package: PreparedPackage) -> tuple[float | None, float | None]:
    """Clean-record share of pilot members' records and of everyone's (None if absent or suppressed)."""
    table = data_mix(package)
    if table.empty:
        return None, None
    shares = table.set_index("Records of")["Clean-record share"]
    return figure(shares[PILOT_RECORDS]), figure(shares[ALL_RECORDS])


def pilot_build_team_share(package: PreparedPackage) -> float | None:
    if not availability.usable(package, "tickets"):
        return None
    return build_team_share(package.table("tickets"), pilot_ids(package), package.settings.privacy.min_group_size)


def validity_headline(package: PreparedPackage) -> ValidityHeadline:
    model = propensity_model(package)
    smds = all_smds(package, model) if model else None
    threshold = package.settings.population.smd_threshold
    pilot_clean, production_clean = clean_shares(package)
    return ValidityHeadline(
        pilot_members=len(pilot_ids(package)),
        tipton_index=figure(model.tipton_index) if model else None,
        pilot_effective_sample_size=figure(model.effective_sample_size) if model else None,
        flagged_covariates=int((smds["SMD"].abs() > threshold).sum()) if smds is not None else None,
        flagged_after_reweighting=(
            int((smds["SMD after reweighting"].abs() > threshold).sum()) if smds is not None else None
        ),
        covariates_checked=len(smds) if smds is not None else None,
        clean_share_pilot=pilot_clean,
        clean_share_production=production_clean,
        build_team_ticket_share=figure(pilot_build_team_share(package)) if model else None,
    )


def coverage_verdict(share: float | None) -> str:
    """A share of production conditions the pilot met: 0.9 or more tested, 0.5 or more partly, else not."""
    if share is None or pd.isna(share):
        return NO_EVIDENCE
    return TESTED if share >= GENERALIZES else PARTLY if share >= ADJUSTABLE else NOT_TESTED


def population_verdict(
    flagged: int | None, non_volunteers: int | None, effective_size: float | None, minimum: int
) -> str:
    """No level flagged: tested. Flagged, but at least ``minimum`` pilot members who did not volunteer (when
    volunteering is not recorded: an effective sample size of at least ``minimum``): partly. Else not tested."""
    if flagged is None:
        return NO_EVIDENCE
    if flagged == 0:
        return TESTED
    enough = non_volunteers >= minimum if non_volunteers is not None else (effective_size or 0) >= minimum
    return PARTLY if enough else NOT_TESTED


def data_mix_verdict(clean_pilot: float | None, clean_production: float | None) -> str:
    """The pilot's messy share as a share of production's, read by :func:`coverage_verdict`."""
    if clean_pilot is None or clean_production is None:
        return NO_EVIDENCE
    if clean_production >= 1:
        return TESTED
    return coverage_verdict(min(1.0, (1 - clean_pilot) / (1 - clean_production)))


def support_verdict(build_team: float | None) -> str:
    """The share of pilot tickets that took the production route (not the build team), by coverage."""
    return NO_EVIDENCE if build_team is None else coverage_verdict(1 - build_team)


def segmentation_verdict(covered: dict[str, float]) -> str:
    """Every segment value covered: tested; the worst segment column's covered headcount share 0.5 or more:
    partly; else not tested."""
    if not covered:
        return NO_EVIDENCE
    worst = min(covered.values())
    return TESTED if worst >= 1 else PARTLY if worst >= ADJUSTABLE else NOT_TESTED


@dataclass(frozen=True)
class Verdict:
    condition: str
    verdict: str
    evidence: str
    rule: str


def population_evidence(headline: ValidityHeadline, assigned: int | None, minimum: int) -> str:
    if headline.flagged_covariates is None:
        return "No comparison possible (see above)."
    text = (
        f"{headline.flagged_covariates} of {headline.covariates_checked} covariate levels differ beyond the "
        f"threshold; effective sample size after reweighting {headline.pilot_effective_sample_size:.1f}"
    )
    if assigned is None:
        return text + "; volunteering is not recorded."
    return text + f"; {count_or_fewer(assigned, minimum)} pilot members did not volunteer."


def verdict_evidence(package: PreparedPackage, headline: ValidityHeadline) -> list[str]:
    minimum = package.settings.privacy.min_group_size
    covered = covered_shares(package.table("roster"), minimum)
    build = headline.build_team_ticket_share
    return [
        population_evidence(headline, non_volunteers(package), minimum),
        (
            f"{nf.share(headline.clean_share_pilot)} of pilot members' records were clean against "
            f"{nf.share(headline.clean_share_production)} of all records."
            if headline.clean_share_pilot is not None and headline.clean_share_production is not None
            else availability.reason_for(package, "outcomes", subject="The data mix")
            or "Too few people's outcome records to compare."
        ),
        (
            f"{nf.share(build)} of pilot members' tickets went straight to the build team."
            if build is not None
            else availability.reason_for(package, "tickets", subject="The support model")
            or "No tickets from enough pilot members to compare."
        ),
        (
            "Share of the headcount in segment values with enough pilot members: "
            + "; ".join(f"{label(c).lower()} {nf.share(s)}" for c, s in covered.items())
            + "."
            if covered
            else "The roster has no segments."
        ),
        (
            f"Tipton's index {headline.tipton_index:.2f}."
            if headline.tipton_index is not None
            else "No propensity model (see above)."
        ),
    ]


RULES = (
    "Tested: no covariate level with |SMD| above the threshold. Partly: some, but at least the minimum group "
    "size of pilot members did not volunteer (if volunteering is not recorded: effective sample size at least "
    "the minimum group size). Otherwise not tested.",
    "Pilot messy-record share ÷ production's: 0.9 or more tested, 0.5 or more partly, below not tested.",
    "Share of pilot members' tickets that went through the production route (not the build team): 0.9 or more "
    "tested, 0.5 or more partly, below not tested.",
    "Every segment value had at least the minimum group size of pilot members: tested. Covered values hold at "
    "least half the headcount in every segment: partly. Otherwise not tested.",
    "Tipton's index: 0.9 or more tested (like a random sample), 0.5 or more partly (reweighting may "
    "compensate), below 0.5 not tested.",
)


def validity_verdicts(package: PreparedPackage) -> list[Verdict]:
    """One verdict per condition: population mix, data mix, support model, segmentation, generalizability."""
    minimum = package.settings.privacy.min_group_size
    headline = validity_headline(package)
    verdicts = [
        population_verdict(
            headline.flagged_covariates, non_volunteers(package), headline.pilot_effective_sample_size, minimum
        ),
        data_mix_verdict(headline.clean_share_pilot, headline.clean_share_production),
        support_verdict(headline.build_team_ticket_share),
        segmentation_verdict(covered_shares(package.table("roster"), minimum)),
        coverage_verdict(headline.tipton_index),
    ]
    conditions = ("Population mix", "Data mix", "Support model", "Segmentation", "Generalizability")
    return [Verdict(*parts) for parts in zip(conditions, verdicts, verdict_evidence(package, headline), RULES)]


def verdict_table(verdicts: list[Verdict]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"Condition": v.condition, "Verdict": v.verdict, "Evidence": v.evidence, "Rule": v.rule} for v in verdicts]
    )


# --- findings -------------------------------------------------------------------------------------------------


def widest_gap(package: PreparedPackage) -> str | None:
    """The shown covariate level with the largest |SMD|, in words."""
    mix = population_mix(package).dropna(subset=["SMD"])
    if mix.empty:
        return None
    row = mix.loc[mix["SMD"].abs().idxmax()]
    return (
        f"the widest gap is {row['Covariate'].lower()} = {row['Level']}: {nf.share(row['Pilot share'])} of the pilot "
        f"against {nf.share(row['Production share'])} of the organisation (SMD {row['SMD']:.2f})"
    )


def extrapolation_sentence(package: PreparedPackage) -> str | None:
    extrapolated = {c: v for c, v in extrapolated_segments(package).items() if v}
    if not extrapolated:
        return None
    listed = "; ".join(f"{label(c)}: {', '.join(sorted(v))}" for c, v in extrapolated.items())
    return (
        f"The pilot had fewer than {package.settings.privacy.min_group_size} members in these segments, so "
        f"results for them are extrapolation: {listed}."
    )


def population_sentences(package: PreparedPackage, headline: ValidityHeadline) -> list[str]:
    """What the population comparison and the reweighting say, in words."""
    gap = widest_gap(package)
    chance = 2 / math.sqrt(headline.pilot_members)
    model = propensity_model(package)
    # called when unavailable_reason gives none: the model is fitted and the headline has its figures
    assert model is not None and headline.tipton_index is not None
    assert headline.flagged_covariates is not None and headline.flagged_after_reweighting is not None
    smds = all_smds(package, model)
    beyond = int((smds["SMD"].abs() > chance).sum())
    return [
        f"The pilot's people differ from the organisation's on {headline.flagged_covariates} of "
        f"{headline.covariates_checked} covariate levels" + (f"; {gap}." if gap else "."),
        f"A pilot of {headline.pilot_members} chosen at random would differ by up to about ±{chance:.2f} "
        f"(2 ÷ √{headline.pilot_members}) by chance; {beyond} level(s) differ by more than that.",
        f"Reweighted to the whole organisation, the {headline.pilot_members} pilot members carry the information of "
        f"about {headline.pilot_effective_sample_size:.0f} people (effective sample size): results projected from "
        f"the pilot to production are that much less certain. After reweighting, {headline.flagged_after_reweighting}"
        f" level(s) differ beyond the threshold, against {headline.flagged_covariates} before: "
        + (
            "the few pilot members who resemble production cannot stand for all of it."
            if headline.flagged_after_reweighting >= headline.flagged_covariates
            else "reweighting narrows the gaps."
        ),
        f"Tipton's generalizability index is {headline.tipton_index:.2f}: the pilot is "
        f"{generalizability_reading(headline.tipton_index)}.",
    ]


def validity_findings(package: PreparedPackage) -> list[str]:
    """The chapter's answer in plain sentences, computed from the package."""
    reason = unavailable_reason(package)
    headline = validity_headline(package)
    verdicts = validity_verdicts(package)
    findings = [reason] if reason else population_sentences(package, headline)
    findings.extend(verdict.evidence for verdict in verdicts[1:3] if verdict.verdict != NO_EVIDENCE)
    sentence = extrapolation_sentence(package)
    if sentence:
        findings.append(sentence)
    counts = pd.Series([v.verdict for v in verdicts]).value_counts()
    findings.append(
        f"Of the five production conditions, {counts.get(TESTED, 0)} were tested in the pilot, "
        f"{counts.get(PARTLY, 0)} partly and {counts.get(NOT_TESTED, 0)} not at all"
        + (
            f"; {counts.get(NO_EVIDENCE)} cannot be judged from the data provided."
            if counts.get(NO_EVIDENCE, 0)
            else "."
        )
    )
    return findings
