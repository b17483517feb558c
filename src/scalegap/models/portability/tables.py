"""The chapter's display tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats

from scalegap import number_format as nf
from scalegap.models.portability.reporting import prediction
from scalegap.models.portability.study import PortabilityStudy
from scalegap.privacy import suppress_small_groups
from scalegap.vocabulary import agreeing, counted

# --- tables -----------------------------------------------------------------------------------------------------------


def interval_columns(interval: float) -> tuple[str, str]:
    return f"{nf.interval_label(interval)}, from", f"{nf.interval_label(interval)}, to"


def effect_column(unit: str) -> str:
    return f"Mean effect ({unit})"


def configuration_table(study: PortabilityStudy) -> pd.DataFrame:
    """Per configuration: measured people, teams, mean effect and its bootstrap interval (small groups suppressed)."""
    people, low, high = study.data.people, *interval_columns(study.interval)
    grouped = people.groupby("configuration").agg(
        People=("person_id", "size"), Teams=("team", "nunique"), mean=("effect", "mean")
    )
    rows = [
        {
            "Configuration": name,
            "People measured": int(row["People"]),
            "Teams": int(row["Teams"]),
            effect_column(study.data.unit): float(row["mean"]),
            low: study.replicates.of(f"mean:{name}")[0],
            high: study.replicates.of(f"mean:{name}")[1],
        }
        for name, row in grouped.iterrows()
    ]
    table = pd.DataFrame(rows).sort_values(effect_column(study.data.unit), ascending=False, ignore_index=True)
    return suppress_small_groups(table, "People measured", study.min_group_size)


def team_table(study: PortabilityStudy) -> pd.DataFrame:
    """Teams with at least the minimum group size of measured people: mean effect with a t interval, best first."""
    people, low, high = study.data.people, *interval_columns(study.interval)
    column = effect_column(study.data.unit)
    rows = []
    for team, members in people.groupby("team"):
        if len(members) < study.min_group_size:
            continue
        mean, error = float(members["effect"].mean()), float(stats.sem(members["effect"]))
        half = stats.t.ppf(0.5 + study.interval / 2, len(members) - 1) * error
        rows.append(
            {
                "Team": team,
                "Department": members["department"].iloc[0],
                "Configuration": members["configuration"].value_counts().index[0],
                "Pilot team": bool(members["pilot_team"].any()),
                "People measured": len(members),
                column: mean,
                low: mean - half,
                high: mean + half,
            }
        )
    columns = ["Team", "Department", "Configuration", "Pilot team", "People measured", column, low, high]
    return pd.DataFrame(rows, columns=columns).sort_values(column, ascending=False, ignore_index=True)


def team_note(study: PortabilityStudy) -> str:
    """How many teams are shown and how many are left out for their size; when none is shown, why, in one
    sentence."""
    shown = len(team_table(study))
    teams, minimum = study.data.teams, study.min_group_size
    if shown == 0:
        largest = int(study.data.people.groupby("team").size().max()) if teams else 0
        return (
            f"No team is shown: none of the {counted(teams, 'team')} with a measured effect has {minimum} measured "
            f"people (the minimum group size); the largest has {largest}. They still count in the team model above, "
            f"which rests on the {counted(study.data.shared_teams, 'team')} with two or more."
        )
    left_out = teams - shown
    return (
        f"{counted(shown, 'team')} of {teams} with a measured effect {agreeing(shown, 'has', 'have')} at least "
        f"{minimum} measured people (the minimum group size) and {agreeing(shown, 'is', 'are')} shown"
        + (
            f"; the other {left_out} {agreeing(left_out, 'is', 'are')} left out here but still count in the team model."
            if left_out
            else "."
        )
    )


def team_section_text(study: PortabilityStudy) -> str:
    """What the "Effect by team" section shows, or, when no team is large enough to show, why there is none."""
    if team_table(study).empty:
        return team_note(study)
    return (
        "Each team with at least the minimum group size of measured people, best first, with the interval of its "
        "mean. Smaller teams are left out of the figure and the table, but they still count in the model above. "
        "Teams spread well beyond each other's intervals are the visible sign of a high between-team share."
    )


def new_team_by_department(study: PortabilityStudy) -> pd.DataFrame:
    """Per department in the model: measured people and teams, and the expected effect of a new team working with
    the standard configuration, with its prediction interval (small departments suppressed)."""
    people, low, high = study.data.people, *interval_columns(study.interval)
    rows = []
    for department in study.model.departments:
        value, (lower, upper) = prediction(
            study.model, pd.Series({department: 1.0}), study.new_team.configuration, study.interval
        )
        members = people[people["department"] == department]
        rows.append(
            {
                "Department": department,
                "People measured": len(members),
                "Teams": int(members["team"].nunique()),
                f"Expected effect of a new team ({study.data.unit})": value,
                low: lower,
                high: upper,
            }
        )
    return suppress_small_groups(pd.DataFrame(rows), "People measured", study.min_group_size)


def model_table(study: PortabilityStudy) -> pd.DataFrame:
    """The variance decomposition and the configuration advantage as the chapter states them."""
    d, a, n = study.decomposition, study.advantage, study.new_team
    unit = study.data.unit
    rows = [
        ("Between-team share", f"{nf.share(d.share)}", interval_text(d.share_interval, "{:.0%}")),
        (
            "Team variation (team standard deviation ÷ mean effect)",
            f"{nf.share(d.variation)}",
            interval_text(d.variation_interval, "{:.0%}"),
        ),
        ("Team standard deviation", f"{np.sqrt(d.team_variance):.2f} {unit}", "—"),
        ("Within-team standard deviation (people and measurement)", f"{np.sqrt(d.residual_variance):.2f} {unit}", "—"),
    ]
    if a.difference is not None:
        rows.append(
            (
                f"Advantage of {a.tuned} over {a.standard}",
                f"{a.difference:+.2f} {unit}",
                interval_text(a.interval, "{:+.2f}"),
            )
        )
    rows += [
        ("Pilot teams' mean effect", f"{n.pilot_teams_mean:.2f} {unit}", interval_text(n.pilot_teams_interval)),
        ("Expected effect of a new team", f"{n.expected:.2f} {unit}", interval_text(n.interval)),
        ("Portability ratio (new team ÷ pilot teams)", f"{nf.share(n.ratio)}", "—"),
    ]
    return pd.DataFrame(rows, columns=["Figure", "Estimate", f"{nf.interval_label(study.interval)}"])


def interval_text(interval: tuple[float, float] | None, pattern: str = "{:.2f}") -> str:
    if interval is None or not np.all(np.isfinite(interval)):
        return "—"
    if pattern.endswith("%}"):  # a share: the number rules' shares
        return nf.interval(interval[0], interval[1], "share")
    return f"{pattern.format(interval[0])} to {pattern.format(interval[1])}"
