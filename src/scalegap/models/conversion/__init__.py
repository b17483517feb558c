"""The conversion rate: what the pilot's value per person is worth at production scale.

Definition.  Value per person = adoption × effect per active user, where the effect per active user is the
gain per task (:mod:`scalegap.models.effect`) × tasks per week (``conversion.tasks_per_week``) × the
data-mix multiplier of the records the work runs on.  **Conversion rate = production value per person ÷
pilot value per person**, which is exactly the product of four factors:

* **adoption factor** = production adoption before the support loss ÷ the pilot's adoption;
* **effect factor** = clean-data value per active user in production ÷ the same in the pilot (who the
  active users are, what they do, how well the assistant works for them and their team's configuration);
* **data-mix factor** = ``M(production messy share) ÷ M(pilot messy share)``, ``M(s) = (1 − s) + s × m``
  with ``m`` the messy-data multiplier;
* **sustainment factor** = the share of adoption kept under the production support model
  (:func:`scalegap.models.support.sustainment_factor`).

The estimator transports the pilot to the production population through what both share: the roster's
department and team, and readiness from the organisation-wide survey.

* **Pilot** (observed): the share of pilot members who reached sustained use, the mean clean-data effect
  × tasks per week of the pilot's adopters (each person's own within-person effect), and the pilot's record
  mix.
* **Production adoption**: the adoption chapter's forecast per department (:mod:`scalegap.models.adoption`:
  adoption within the confirmed horizon on department, readiness, non-response and a pilot indicator, at pilot
  indicator 0), turned into production adoption by the one rule of :mod:`scalegap.models.production_scaling`
  (the share of eventual adopters already seen and, without a rollout cohort, the pilot-conditions discount
  and the sustainment factor, each drawn from its stated range in every replicate), weighted by headcount.
  The same draws give the adoption chapter's figure, so the book shows one production adoption.  A rollout
  cohort had the service desk, so its adoption already includes the support loss; the sustainment factor is
  then divided out of it for the decomposition and never applied twice.
* **Production effect**: an outcome model of the people's clean-data effects (everyone with access and an
  effect): a Gaussian GLM with log link on department (ridge prior, standard deviation
  ``DEPARTMENT_PRIOR_SD`` on the log scale), readiness (standardised survey index, non-respondents at their
  department's mean; the adoption model's weighted score, regression-calibrated with its reliability) and
  whether the person's configuration was tuned in the pilot (:func:`tuned_in_the_pilot`: the pilot members,
  and their teams where the roster names teams).  It predicts each person in the roster; a department's
  effect is the mean over its people.  A department with no one measured gets no effect of its own in the
  point estimate and one drawn from the prior in each replicate.  The team indicator can only be measured when
  people outside the pilot were measured; otherwise each replicate draws it from ``TEAM_TUNING_PRIOR`` and it
  enters the fit as an offset (the pilot's measured effects include it; untuned teams are predicted without it).
* **Data mix**: the messy shares of the pilot members' records and of production (``production_messy_share``
  or the records outside the pilot); the multiplier from :func:`scalegap.models.effect.messy_multiplier`, or,
  when the data cannot measure it, drawn from ``UNMEASURED_MULTIPLIER_RANGE`` (the point takes its middle).

Uncertainty: a cluster bootstrap, seeded with ``statistics.seed``: teams redrawn with replacement (within
pilot teams, rollout teams and the rest), every person of a drawn team with them, every model refitted.  Teams
are the unit only where the roster has them and the pilot spans at least ``MIN_PILOT_TEAMS``; otherwise people
are redrawn (one team, or none, would make every replicate the same roster: an interval of width zero);
adoption replicates come from the adoption chapter's bootstrap (people redrawn within cohort) and the
sustainment factor is drawn across its interval.  Intervals are percentile intervals of width
``statistics.interval``.
"""

from __future__ import annotations

from scalegap.models.conversion.evidence import FACTOR_LABELS, FACTORS, tasks_per_week, unavailable_reason
from scalegap.models.conversion.non_response import non_response_table
from scalegap.models.conversion.point_estimate import TEAM_TUNING_PRIOR, Estimate, measured_people
from scalegap.models.conversion.resampling import MIN_EFFECT_PEOPLE, MIN_PILOT_TEAMS, ConversionStudy, conversion_study

#: what the conversion chapter offers its notebook and the other chapters (the rest is in its modules)
__all__ = [
    "ConversionStudy",
    "Estimate",
    "FACTORS",
    "FACTOR_LABELS",
    "MIN_EFFECT_PEOPLE",
    "MIN_PILOT_TEAMS",
    "TEAM_TUNING_PRIOR",
    "conversion_study",
    "measured_people",
    "non_response_table",
    "tasks_per_week",
    "unavailable_reason",
]
