"""Configuration portability: how much of the assistant's effect belongs to the team, and what a new team can expect.

Method (the methodology appendix says the same in prose):

* **Who.** Everyone in the roster with a clean-data effect (:func:`scalegap.models.effect.person_effects`: the
  within-person difference between task-adjusted assisted and unassisted clean records), pilot members and
  everyone else alike.  A person's team is the roster's; a person without one is a team of their own.  A
  **pilot team** is a team with at least one pilot member.
* **Configuration.** The prompt or workflow variant a person's assisted records were done with (the most
  frequent one when they used several).  When the outcome records name no configuration, the comparison is
  between pilot teams (whose configuration was tuned in the pilot) and the other teams instead.  The
  **tuned configuration** is the one most pilot members used; the **standard configuration** the one most
  people outside the pilot teams used.
* **Mixed model.** statsmodels ``MixedLM`` (REML; its gradient optimisers, else Powell's method when they do
  not converge): effect = department (fixed) + configuration (fixed, against the standard one) + a random
  intercept per team + the person's own variation.  The
  **between-team share** (intra-class correlation) = team variance ÷ (team variance + residual variance): the
  share of the person-to-person spread in effect that lies between teams once department and configuration
  are accounted for.  The **team variation** is the team standard deviation as a share of the mean effect.
* **Configuration advantage.** The tuned configuration's fixed effect over the standard one, with a Wald
  interval from the model.
* **A new team.** A team outside the pilot works with the standard configuration; its expected effect is the
  model's fixed part for it, in the pilot teams' department mix (so that the comparison with the pilot teams
  is like for like), with a prediction interval that adds the team variance to the fixed part's own
  uncertainty (normal approximation).  The **portability ratio** = that expectation ÷ the pilot teams' mean
  effect (people in pilot teams, each counted once).
* **Uncertainty.** Intervals of the between-team share, the team variation, the mean effects by
  configuration and the pilot teams' mean come from a cluster bootstrap seeded with ``statistics.seed``: teams
  redrawn with replacement within pilot teams and the rest, each drawn team with all its measured people,
  the model refitted (``statistics.replicates`` replicates, width ``statistics.interval``).
* **Recommendation** (:func:`recommendation`), in this order: *tune before rollout* when the tuned
  configuration's advantage is measurable (its interval lies above zero); *governed team-specific
  configurations* when teams differ materially (the between-team share's interval lies at or above
  ``MATERIAL_TEAM_SHARE``); otherwise *one shared configuration*, with team results watched in the first wave
  when the data cannot rule out material team differences.

Assumptions: a person's effect is measured without bias on their clean records; teams are exchangeable given
department and configuration (a new team resembles the measured ones); the configuration was given to teams,
not chosen by the people most likely to gain from it — pilot members' enthusiasm would otherwise show up as a
configuration advantage; team effects are normally distributed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from scalegap import number_format as nf
from scalegap.models.portability.reporting import MATERIAL_TEAM_SHARE, SHARED, TEAM_SPECIFIC, TUNE, prediction
from scalegap.models.portability.study import PortabilityStudy, absence_note, portability_study
from scalegap.models.portability.tables import (
    configuration_table,
    interval_text,
    model_table,
    new_team_by_department,
    team_note,
    team_section_text,
    team_table,
)

#: what the portability chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "MATERIAL_TEAM_SHARE",
    "RECOMMENDATIONS",
    "absence_note",
    "configuration_sentence",
    "configuration_table",
    "model_table",
    "new_team_by_department",
    "new_team_comparison",
    "new_team_sentence",
    "portability_findings",
    "portability_study",
    "recommendation_sentence",
    "rule_text",
    "team_note",
    "team_section_text",
    "team_sentence",
    "team_table",
]


# --- findings ---------------------------------------------------------------------------------------------------------


def rule_text() -> list[str]:
    """The recommendation rule, as the chapter states it."""
    return [
        "Tune before rollout when the configuration tuned in the pilot is measurably better than the standard "
        "one (the interval of its advantage lies above zero).",
        "Otherwise, governed team-specific configurations when teams differ materially: the interval of the "
        f"between-team share lies at or above {nf.share(MATERIAL_TEAM_SHARE)}.",
        f"Otherwise, one shared configuration; when the interval straddles {nf.share(MATERIAL_TEAM_SHARE)}, with the "
        "effect measured by team in the first wave.",
    ]


def team_sentence(study: PortabilityStudy) -> str:
    d, unit = study.decomposition, study.data.unit
    verdict = {
        True: f"a material difference (the whole interval is at or above {nf.share(MATERIAL_TEAM_SHARE)})",
        False: f"a small difference (the whole interval is below {nf.share(MATERIAL_TEAM_SHARE)})",
        None: f"not settled by the data (the interval straddles {nf.share(MATERIAL_TEAM_SHARE)})",
    }
    share = interval_text(d.share_interval, "{:.0%}")
    return (
        f"Teams account for {nf.share(d.share)} of the spread in effect between people once department and "
        f"configuration are allowed for ({nf.interval_label(study.interval)} {share}): a team's average typically "
        f"lies {nf.share(d.variation)} above or below the mean ({np.sqrt(d.team_variance):.1f} {unit}). "
        f"That is {verdict[study.recommendation.teams_differ]}."
    )


def configuration_sentence(study: PortabilityStudy) -> str:
    a, unit = study.advantage, study.data.unit
    prefix = (
        ""
        if study.data.named_configurations
        else (
            "The outcome records name no configuration, so teams with a pilot member (whose configuration was tuned in "
            "the pilot) are compared with the others. "
        )
    )
    if a.difference is None:
        return f"{prefix}The tuned configuration's advantage is not estimated: {a.reason}."
    verdict = "a measurable advantage" if a.measurable else "not a measurable difference"
    direction = "higher" if a.difference >= 0 else "lower"
    return (
        f"{prefix}Against comparable people on {a.standard}, people on {a.tuned} (the configuration most pilot "
        f"members used) had an effect {direction} by {abs(a.difference):.2f} {unit} "
        f"({nf.interval_label(study.interval)} {interval_text(a.interval, '{:+.2f}')}): {verdict}."
    )


def new_team_sentence(study: PortabilityStudy) -> str:
    n, unit = study.new_team, study.data.unit
    if n.pilot_teams_people < study.min_group_size:
        return "Fewer people than the minimum group size were measured in the pilot teams: no comparison is shown."
    sentence = (
        f"A team outside the pilot, working with {n.configuration or 'the configuration in use'}, "
        f"can expect {n.expected:.1f} {unit} "
        f"(for one such team, {nf.share(study.interval, 0)} prediction interval "
        f"{interval_text(n.interval, '{:.1f}')}), "
        f"against {n.pilot_teams_mean:.1f} in "
        f"the pilot teams: {nf.share(n.ratio)} of the pilot's effect (the portability ratio)."
    )
    if n.extrapolated:
        sentence += (
            " No team outside the pilot was measured, so this assumes the pilot's configuration works as "
            "well elsewhere: an upper bound."
        )
    return sentence


RECOMMENDATIONS = {
    TUNE: "Recommendation: tune before rollout. The configuration tuned in the pilot is measurably better than the "
    "standard one: give each wave the tuned configuration (or tune its own) before it goes live, with every "
    "version under change control.",
    TEAM_SPECIFIC: "Recommendation: governed team-specific configurations. Teams differ materially and the pilot's "
    "configuration shows no measurable advantage, so one configuration for all would leave value "
    "behind: let teams adapt a governed base configuration, with versions under change control and "
    "the effect measured per team.",
    SHARED: "Recommendation: one shared configuration. Neither team differences nor the tuned configuration justify "
    "more than one: roll out a single configuration under change control.",
}


def recommendation_sentence(study: PortabilityStudy) -> str:
    choice = study.recommendation
    sentence = RECOMMENDATIONS[choice.choice]
    if choice.choice == TUNE and choice.teams_differ:
        sentence += " Teams also differ materially: tune per team, under the same governance."
    if choice.choice == SHARED and choice.teams_differ is None:
        sentence += (
            " The data cannot yet rule out material team differences: measure the effect by team in the "
            "first wave before settling on it."
        )
    return sentence


def portability_findings(study: PortabilityStudy) -> list[str]:
    """The chapter's answer in plain sentences."""
    data = study.data
    pilot_members = int(data.people["pilot_member"].sum())
    coverage = (
        f"{len(data.people)} people in {data.teams} teams have a measured effect on clean records "
        f"({pilot_members} pilot members, {len(data.people) - pilot_members} others); {data.shared_teams} "
        "teams have two or more, which is what tells team differences from personal ones."
    )
    return [
        coverage,
        team_sentence(study),
        configuration_sentence(study),
        new_team_sentence(study),
        recommendation_sentence(study),
    ]


def new_team_comparison(study: PortabilityStudy) -> pd.DataFrame:
    """The pilot teams' measured mean against the expected effect of a new team (pilot teams' department mix), with
    the standard configuration and, where it differs, the tuned one; intervals as in the chapter."""
    n, unit = study.new_team, study.data.unit
    if n.pilot_teams_people < study.min_group_size:
        return pd.DataFrame(columns=["Team", "Basis", unit, "from", "to"])
    rows = [
        ("Pilot teams", "measured mean (bootstrap interval)", n.pilot_teams_mean, *n.pilot_teams_interval),
        (f"A new team on {n.configuration}", "expected (prediction interval)", n.expected, *n.interval),
    ]
    tuned = study.advantage.tuned
    if study.advantage.difference is not None and tuned != n.configuration:
        pilot = study.data.people[study.data.people["pilot_team"]]
        weights = pilot["department"].value_counts().reindex(list(study.model.departments)).dropna()
        value, (low, high) = prediction(study.model, weights, tuned, study.interval)
        rows.append((f"A new team on {tuned}", "expected (prediction interval)", value, low, high))
    return pd.DataFrame(rows, columns=["Team", "Basis", unit, "from", "to"])
