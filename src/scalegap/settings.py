"""assessment.yml, parsed in one place into typed settings.

Precedence, lowest first:

1. the shipped defaults (``scalegap/defaults/assessment.yml``);
2. the client's ``assessment.yml``;
3. overrides passed by the caller (the CLI's ``--set key.path=value``).

Mappings are merged key by key; lists and scalars replace.  Unknown or
misspelled keys are errors, never warnings: a typo must not silently fall back
to a default.
"""

from __future__ import annotations

import re
from datetime import date
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from scalegap import reads
from scalegap.errors import ConfigurationError, group_of
from scalegap.settings_exports import ExportEntry
from scalegap.settings_exports import ExportSettings as ExportSettings
from scalegap.settings_exports import WarehouseExportSettings as WarehouseExportSettings
from scalegap.settings_words import Sources, explain, with_origins
from scalegap.vocabulary import TableName


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientSettings(_Strict):
    name: str = Field(min_length=1)
    assessment_date: date | None = None


class PrivacySettings(_Strict):
    min_group_size: int = Field(ge=2, le=100)
    redact_free_text: bool = True
    name_in_portfolios: bool = False


class ConstructSettings(_Strict):
    label: str | None = None
    items: list[str] = Field(min_length=1)
    reverse: list[str] = []
    #: item id -> the statement the survey asked ("Using the AI assistant saves me time"), shown beside the id
    statements: dict[str, str] = {}

    @model_validator(mode="after")
    def _reverse_items_belong(self) -> ConstructSettings:
        stray = [item for item in self.reverse if item not in self.items]
        if stray:
            raise ValueError(f"reverse-scored items {stray} are not among the construct's items {self.items}")
        worded = [item for item in self.statements if item not in self.items]
        if worded:
            raise ValueError(
                f"statements are given for {worded}, which are not among the construct's items {self.items}"
            )
        return self


class SurveySettings(_Strict):
    scale_points: int = Field(ge=3, le=11)
    scale_labels: list[str]
    constructs: dict[str, ConstructSettings] = {}
    free_text: list[str] = []

    @model_validator(mode="after")
    def _labels_match_points(self) -> SurveySettings:
        if len(self.scale_labels) != self.scale_points:
            raise ValueError(
                f"scale_labels has {len(self.scale_labels)} labels but scale_points is {self.scale_points}"
            )
        return self

    def item_ids(self) -> list[str]:
        return [item for construct in self.constructs.values() for item in construct.items]


class OutcomeSettings(_Strict):
    clean_completeness_threshold: float = Field(gt=0, le=1)


class ReadinessSettings(_Strict):
    alpha_threshold: float = Field(gt=0, lt=1)
    low_response_rate: float = Field(ge=0, le=1)


class PopulationSettings(_Strict):
    smd_threshold: float = Field(gt=0)


class SustainedUseSettings(_Strict):
    days_per_week: float = Field(ge=1, le=7)
    weeks: int = Field(ge=1, le=12)


class StatisticsSettings(_Strict):
    """Every chapter's resampling: one seed, one number of bootstrap replicates, one interval level."""

    seed: int
    replicates: int = Field(ge=50, le=10000)
    interval: float = Field(ge=0.5, le=0.99)


#: settings that moved, by their old (section, key): the new place, so an old assessment.yml gets a hint
MOVED = {
    ("adoption", "seed"): "statistics.seed",
    ("conversion", "replicates"): "statistics.replicates",
    ("conversion", "interval"): "statistics.interval",
}


def _moved(section: str, value: Any) -> Any:
    """Refuse a setting that moved, naming its new place (the old key would otherwise be an unknown setting)."""
    if isinstance(value, dict):
        for (old_section, key), new in MOVED.items():
            if old_section == section and key in value:
                raise ValueError(f"{section}.{key} is now {new}: one setting for every chapter")
    return value


class AdoptionSettings(_Strict):
    intensity_thresholds: list[float] = Field(min_length=3, max_length=3)
    sustained_use: SustainedUseSettings

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, value: Any) -> Any:
        if isinstance(value, dict) and "sustained_use_weeks" in value:
            raise ValueError(
                "sustained_use_weeks is now sustained_use: {days_per_week: 1, weeks: 3} (active "
                "days a week on average, over that many consecutive weeks)"
            )
        return _moved("adoption", value)

    @field_validator("intensity_thresholds")
    @classmethod
    def _increasing(cls, value: list[float]) -> list[float]:
        if not all(a < b for a, b in zip([0.0, *value], value)):
            raise ValueError("give three increasing active-days-per-week thresholds (light, moderate, heavy)")
        return value


class SupportSettings(_Strict):
    """The production support model the projection is held against (stated as assumptions in the book)."""

    target_response_minutes: float = Field(gt=0)
    service_level_target: float = Field(gt=0, lt=1)
    handling_minutes: float = Field(gt=0)
    agent_hours_per_week: float = Field(gt=0, le=60)
    current_agents: float = Field(ge=0)
    adoption_loss_when_late: float = Field(ge=0, le=1)


IntegrationMode = Literal["manual_copy", "screenshot", "export_import", "api"]


class WorkflowSettings(_Strict):
    """One workflow the assistant is used in, and how data gets in and out of it."""

    name: str = Field(min_length=1)
    mode: IntegrationMode
    manual_steps_per_task: float = Field(ge=0)
    minutes_per_step: float = Field(ge=0)
    tasks_per_user_per_week: float = Field(ge=0)
    segment: dict[str, str] = {}


class IntegrationSettings(_Strict):
    workflows: list[WorkflowSettings] = []


class ScorecardSettings(_Strict):
    """Red / amber / green thresholds of the operational scorecard; a value on a threshold takes the better status.

    For a metric where more is better (``HIGHER_IS_BETTER``) the amber threshold sits at or below the green one;
    where less is better, at or above it.
    """

    HIGHER_IS_BETTER: ClassVar[dict[str, bool]] = {
        "minutes_saved": True,
        "reliability_tickets_per_user": False,
        "manual_hours": False,
        "construct_score": True,
        "agents_ratio": False,
    }

    minutes_saved_green: float
    minutes_saved_amber: float
    reliability_tickets_per_user_green: float = Field(ge=0)
    reliability_tickets_per_user_amber: float = Field(ge=0)
    manual_hours_green: float = Field(ge=0)
    manual_hours_amber: float = Field(ge=0)
    construct_score_green: float = Field(ge=0, le=100)
    construct_score_amber: float = Field(ge=0, le=100)
    agents_ratio_green: float = Field(gt=0)
    agents_ratio_amber: float = Field(gt=0)
    reliability_words: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    compliance_areas: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)
    satisfaction_constructs: list[Annotated[str, Field(min_length=1)]] = Field(min_length=1)

    @model_validator(mode="after")
    def _amber_beyond_green(self) -> ScorecardSettings:
        for metric, higher in self.HIGHER_IS_BETTER.items():
            green, amber = getattr(self, f"{metric}_green"), getattr(self, f"{metric}_amber")
            if (amber > green) if higher else (amber < green):
                side = "at or below" if higher else "at or above"
                raise ValueError(
                    f"{metric}_amber ({amber:g}) must be {side} {metric}_green ({green:g}): "
                    f"{'more' if higher else 'less'} is better for this metric"
                )
        return self

    def thresholds(self, metric: str) -> tuple[float, float, bool]:
        """(green, amber, higher is better) of a metric named as in ``HIGHER_IS_BETTER``."""
        return getattr(self, f"{metric}_green"), getattr(self, f"{metric}_amber"), self.HIGHER_IS_BETTER[metric]


class RolloutSettings(_Strict):
    """How the rollout plan paces and gates its waves."""

    weeks_per_cohort: int = Field(ge=1, le=26)
    test_group_size: int = Field(ge=2, le=1000)
    weekly_active_share_gate: float = Field(gt=0, le=1)
    governance_gaps_allowed: int = Field(ge=0)


class ConversionSettings(_Strict):
    """The conversion estimate's assumptions: what a unit of value is, how much work there is, what it costs."""

    value_metric: Literal["minutes_saved", "quality_score"]
    tasks_per_week: dict[str, Annotated[float, Field(gt=0)]] = {}
    default_tasks_per_week: float | None = Field(default=None, gt=0)
    production_messy_share: float | None = Field(default=None, ge=0, le=1)
    loaded_hourly_cost: float = Field(gt=0)
    currency: str
    licence_cost_per_seat_per_month: float = Field(ge=0)
    working_weeks_per_year: int = Field(ge=1, le=52)

    @model_validator(mode="before")
    @classmethod
    def _renamed(cls, value: Any) -> Any:
        return _moved("conversion", value)

    @field_validator("currency")
    @classmethod
    def _currency_code(cls, value: str) -> str:
        if len(value) != 3 or not value.isalpha() or not value.isupper():
            raise ValueError(f"give a three-letter currency code in capitals (GBP, EUR, USD), not {value!r}")
        return value


class ValidationSettings(_Strict):
    """When the data left after reading would make the book wrong, and the run blocks."""

    #: a table losing more than this share of its rows blocks the run (superseded rows do not count)
    max_rejected_share: float = Field(ge=0, le=1)
    #: fewer than this share of usage or ticket rows linked to the roster blocks the run
    min_linked_share: float = Field(ge=0, le=1)
    #: more than this share of survey answers off the declared scale blocks the run
    max_off_scale_share: float = Field(ge=0, le=1)


class ExecutionSettings(_Strict):
    """How the chapter notebooks are run."""

    cell_timeout_minutes: float = Field(gt=0, le=1440)
    #: a chapter still running after this many minutes in all (its retries included) stops the run
    chapter_timeout_minutes: float = Field(gt=0, le=2880)
    workers: int | None = Field(ge=1, le=16)


#: seaborn's named palettes a book may use ("colorblind" is the default: safe for the common colour-vision types)
_NAMED_PALETTES = ("colorblind", "deep", "muted", "bright", "dark", "pastel")
_HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class BrandingSettings(_Strict):
    """How the book looks and whose it says it is: title, consultancy, logo, colours, footer."""

    #: the book's title; empty: "<client name>: AI rollout assessment"
    title: str | None
    consultancy: str
    #: the consultant named on the executive summary (empty: no name shown)
    consultant: str
    #: an image file in the client folder (PNG, JPEG or SVG), shown above the navigation; empty: none
    logo: str | None
    #: one of seaborn's named palettes, or a list of at least four colours as #rrggbb
    palette: str | list[str]
    #: the footer's confidentiality line
    confidentiality: str

    @field_validator("palette")
    @classmethod
    def _known_palette(cls, value: str | list[str]) -> str | list[str]:
        if isinstance(value, str):
            if value not in _NAMED_PALETTES:
                raise ValueError(
                    f"unknown palette {value!r}: use one of {', '.join(_NAMED_PALETTES)} or a list of colours"
                )
            return value
        bad = [colour for colour in value if not _HEX_COLOUR.match(colour)]
        if bad:
            raise ValueError(f"{bad[0]!r} is not a colour written as #rrggbb (e.g. #0173b2)")
        if len(value) < 4:
            raise ValueError(
                "give at least four colours (the first is the pilot's, the third gains, the fourth losses)"
            )
        return value

    @field_validator("logo")
    @classmethod
    def _logo_inside_client(cls, value: str | None) -> str | None:
        if value and (Path(value).is_absolute() or ".." in Path(value).parts):
            raise ValueError("give the logo's file name relative to the client folder")
        return value or None


class Settings(_Strict):
    client: ClientSettings
    branding: BrandingSettings
    privacy: PrivacySettings
    survey: SurveySettings
    outcomes: OutcomeSettings
    readiness: ReadinessSettings
    population: PopulationSettings
    statistics: StatisticsSettings
    adoption: AdoptionSettings
    support: SupportSettings
    integration: IntegrationSettings
    scorecard: ScorecardSettings
    rollout: RolloutSettings
    conversion: ConversionSettings
    validation: ValidationSettings
    execution: ExecutionSettings
    exports: dict[TableName, ExportEntry] = {}

    def __getattribute__(self, name: str) -> Any:
        """A section, recorded as read (:mod:`scalegap.reads`: a chapter is run again when one it reads changes)."""
        if name in SECTIONS:
            reads.record("settings", name)
        return super().__getattribute__(name)

    @model_validator(mode="after")
    def _test_group_not_below_minimum(self) -> Settings:
        if self.rollout.test_group_size < self.privacy.min_group_size:
            raise ValueError(
                f"rollout.test_group_size ({self.rollout.test_group_size}) is below "
                f"privacy.min_group_size ({self.privacy.min_group_size}): a test group must be a group "
                "the book may show"
            )
        return self

    @model_validator(mode="after")
    def _warehouse_only_for_usage(self) -> Settings:
        for table, entry in self.exports.items():
            if isinstance(entry, WarehouseExportSettings) and table != "usage":
                raise ValueError(
                    f"exports.{table} names a warehouse table, which only exports.usage may: give exports.{table}.file"
                )
        return self

    def exports_of(self, table: str) -> list[ExportSettings | WarehouseExportSettings]:
        """The export entries of a table (one, several, or none; ``usage`` may be a warehouse table)."""
        entry = self.exports.get(table)  # type: ignore[call-overload]
        if entry is None:
            return []
        return list(entry) if isinstance(entry, list) else [entry]


#: the sections of the settings, each recorded as read when a chapter reads it
SECTIONS = frozenset(Settings.model_fields)


def default_settings_text() -> str:
    return resources.files("scalegap").joinpath("defaults/assessment.yml").read_text(encoding="utf-8")


def load_settings(path: Path | None, overrides: dict[str, Any] | None = None) -> Settings:
    """Read defaults < ``path`` < ``overrides`` into :class:`Settings`."""
    return _settings_of(_sources_of(path, overrides))


def _sources_of(path: Path | None, overrides: dict[str, Any] | None = None) -> Sources:
    """The layers the settings are merged from: the defaults, ``path`` (read and parsed), ``overrides``."""
    text = _read_yaml_text(path) if path is not None else ""
    client = _parse_yaml(text, path) if path is not None else {}
    return Sources(yaml.safe_load(default_settings_text()), client, overrides or {}, path, text)


def _settings_of(sources: Sources) -> Settings:
    """The layers merged and checked; every problem at once, each blamed on the layer it came from."""
    merged = merge(merge(sources.defaults, sources.client), sources.overrides)
    try:
        return Settings.model_validate(merged)
    except ValidationError as exc:
        errors = explain(exc.errors(), sources, Settings)
        raise (errors[0] if len(errors) == 1 else group_of(errors)) from None


def merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; ``top`` wins; lists and scalars replace."""
    result = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(result.get(key), dict):
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def parse_override(assignment: str) -> dict[str, Any]:
    """``privacy.min_group_size=10`` -> ``{"privacy": {"min_group_size": 10}}``."""
    if "=" not in assignment:
        raise ConfigurationError(
            f"override {assignment!r} is not of the form key.path=value", hint="e.g. --set privacy.min_group_size=10"
        )
    dotted, raw = assignment.split("=", 1)
    try:
        value: Any = yaml.load(raw, Loader=_Loader) if raw else ""
    except yaml.YAMLError as exc:
        raise ConfigurationError(
            f"cannot read the value of --set {dotted.strip()}: {getattr(exc, 'problem', None) or 'invalid YAML'}",
            file="--set",
            hint="quote text with special characters, e.g. --set 'client.name=\"Acme: EMEA\"'",
        ) from None
    for key in reversed(dotted.strip().split(".")):
        value = {key: value}
    return value


def _read_yaml_text(path: Path) -> str:
    if not path.is_file():
        raise ConfigurationError(
            "assessment.yml not found", file=path, hint="run `scalegap init DIR` to create a client folder"
        )
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ConfigurationError("the file is not UTF-8 text", file=path, hint="save it as UTF-8") from None


class _Loader(yaml.SafeLoader):
    """YAML's safe loader, but a date that is no date (``2026-13-45``) stays text, for the settings check to name."""


def _timestamp_or_text(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    try:
        return yaml.SafeLoader.construct_yaml_timestamp(loader, node)  # type: ignore[arg-type]
    except ValueError:
        return loader.construct_scalar(node)  # type: ignore[arg-type]


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)


def _parse_yaml(text: str, path: Path) -> dict[str, Any]:
    try:
        data = yaml.load(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        row = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigurationError(
            f"cannot parse YAML: {problem}", file=path, row=row, hint="check indentation and quoting on that line"
        ) from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigurationError("the file must be a mapping of settings", file=path, row=1)
    return data


def dump_settings(settings: Settings, sources: Sources | None = None) -> str:
    """The resolved settings as YAML (``scalegap config``); with their ``sources``, each value's origin as a comment."""
    resolved = settings.model_dump(mode="json")
    if sources is None:
        return yaml.safe_dump(resolved, sort_keys=False, allow_unicode=True)
    return with_origins(resolved, sources)


def settings_with_origins(path: Path | None, overrides: dict[str, Any] | None = None) -> str:
    """``scalegap config``: the resolved settings as YAML, each value's origin (default, assessment.yml, --set) beside
    it as a comment."""
    sources = _sources_of(path, overrides)
    return dump_settings(_settings_of(sources), sources)
