"""Ingest adapters: one per export format, looked up by name.

The registry is filled explicitly here (no import side effects elsewhere).
``assessment.yml`` names an adapter per table under ``exports.<table>.format``;
when it does not, the first adapter for that table whose ``sniff`` recognises
the file is used, then the table's generic adapter.
"""

from __future__ import annotations

from pathlib import Path

from scalegap.errors import ConfigurationError
from scalegap.ingest.base import ExportAdapter, IngestResult
from scalegap.ingest.github_copilot import (
    GitHubCopilotMetricsAdapter,
    GitHubCopilotSeatsAdapter,
    GitHubCopilotUsersAdapter,
)
from scalegap.ingest.google_forms import GoogleFormsAdapter
from scalegap.ingest.governance import GovernanceXlsxAdapter, GovernanceYamlAdapter
from scalegap.ingest.jira import JiraAdapter
from scalegap.ingest.m365_copilot import M365CopilotSeatsAdapter, M365CopilotUsageAdapter
from scalegap.ingest.microsoft_forms import MicrosoftFormsAdapter
from scalegap.ingest.outcomes import OutcomeRecordsAdapter
from scalegap.ingest.qualtrics import QualtricsAdapter, QualtricsLegacyAdapter
from scalegap.ingest.roster import RosterAdapter
from scalegap.ingest.servicenow import ServiceNowAdapter
from scalegap.ingest.survey_generic import GenericSurveyAdapter
from scalegap.ingest.surveymonkey import SurveyMonkeyAdapter
from scalegap.ingest.tickets_generic import GenericTicketsAdapter
from scalegap.ingest.usage import UsageDailyAdapter
from scalegap.ingest.zendesk import ZendeskAdapter

ADAPTERS: dict[str, ExportAdapter] = {
    adapter.name: adapter
    for adapter in (
        RosterAdapter(),
        QualtricsAdapter(),
        QualtricsLegacyAdapter(),
        SurveyMonkeyAdapter(),
        GoogleFormsAdapter(),
        MicrosoftFormsAdapter(),
        GenericSurveyAdapter(),
        UsageDailyAdapter(),
        GitHubCopilotUsersAdapter(),
        M365CopilotUsageAdapter(),
        GitHubCopilotMetricsAdapter(),
        GitHubCopilotSeatsAdapter(),
        M365CopilotSeatsAdapter(),
        OutcomeRecordsAdapter(),
        JiraAdapter(),
        ServiceNowAdapter(),
        ZendeskAdapter(),
        GenericTicketsAdapter(),
        GovernanceYamlAdapter(),
        GovernanceXlsxAdapter(),
    )
}

#: the adapter used for a table when nothing more specific recognises the file
GENERIC: dict[str, str] = {
    "roster": "roster",
    "survey": "qualtrics_csv",
    "usage": "usage_daily",
    "org_usage": "github_copilot_metrics",
    "seats": "github_copilot_seats",
    "outcomes": "outcome_records",
    "tickets": "tickets_generic",
    "governance": "governance_yaml",
}


def adapter_named(name: str, table: str) -> ExportAdapter:
    adapter = ADAPTERS.get(name)
    if adapter is None:
        known = ", ".join(a.name for a in ADAPTERS.values() if a.table == table)
        raise ConfigurationError(
            f"unknown export format {name!r} for {table}",
            column=f"exports.{table}.format",
            hint=f"formats for {table}: {known}",
        )
    if adapter.table != table:
        raise ConfigurationError(
            f"format {name!r} reads {adapter.table}, not {table}", column=f"exports.{table}.format"
        )
    return adapter


def detect_adapter(table: str, path: Path) -> ExportAdapter:
    for adapter in ADAPTERS.values():
        if adapter.table == table and adapter.sniff(path):
            return adapter
    return ADAPTERS[GENERIC[table]]


__all__ = ["ADAPTERS", "ExportAdapter", "IngestResult", "adapter_named", "detect_adapter"]
