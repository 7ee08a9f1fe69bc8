"""The (operation, check) pairs the deep run (``make fuzz``) does not hold against the suite, each with its reason.

Every one is a rule the server enforces that JSON Schema cannot state: one field compared with another, a record
that must exist, a checksum, a date relative to today, the content of an uploaded file. The operation's
description states the rule; schemathesis, generating only from the schema, cannot know it and sends requests
the server rightly refuses (``positive_data_acceptance``: "schema-valid request rejected"). Whatever can be said
in the schema (lengths, patterns, enums, strict types, date ranges) is said there instead, and is not listed.

The list becomes schemathesis' own per-operation configuration (``[[operations]]`` with the check disabled);
any failure outside it fails the run.
"""

from __future__ import annotations

import json
from typing import NamedTuple

ACCEPTANCE = "positive_data_acceptance"


class Known(NamedTuple):
    operation: str  # "METHOD /path", as schemathesis names it
    check: str
    reason: str


KNOWN: list[Known] = [
    # hr
    Known("POST /api/hr/employees", ACCEPTANCE, "department_id and manager_id must name existing records"),
    Known("PATCH /api/hr/employees/{employee_id}", ACCEPTANCE, "department_id and manager_id must exist"),
    Known("POST /api/hr/applications/{application_id}/offers", ACCEPTANCE, "pay_type must match employment_type"),
    Known("POST /api/hr/complaints", ACCEPTANCE, "the caller's login must be linked to an employee"),
    Known("POST /api/hr/timesheets", ACCEPTANCE, "employee_id is needed when the login has no employee"),
    Known("POST /api/hr/openings", ACCEPTANCE, "closing_date is today or later"),
    # payroll
    Known("GET /api/payroll/reports/profit-and-loss", ACCEPTANCE, "'from' before 'to', at most ten years apart"),
    Known("GET /api/payroll/reports/profit-and-loss.csv", ACCEPTANCE, "'from' before 'to', ten years at most"),
    Known("GET /api/payroll/reports/profit-and-loss.svg", ACCEPTANCE, "'from' before 'to', ten years at most"),
    Known("POST /api/payroll/journal-entries", ACCEPTANCE, "each line a debit or a credit above zero; balanced"),
    Known("POST /api/payroll/journal-entries/import", ACCEPTANCE, "the file must be a CSV with the named columns"),
    Known("POST /api/payroll/pay-items", ACCEPTANCE, "employee_id must be known to payroll"),
    Known("POST /api/payroll/payment-runs", ACCEPTANCE, "execution_date is today or later"),
    Known("POST /api/payroll/payruns", ACCEPTANCE, "period_end follows from period_start and the frequency"),
    Known("POST /api/payroll/rule-sets", ACCEPTANCE, "brackets rise, and only the last one has no up_to"),
    Known("POST /api/payroll/suppliers", ACCEPTANCE, "the IBAN's check digits must be right (ISO 13616)"),
    Known("POST /api/payroll/timesheets/decisions", ACCEPTANCE, "a rejection needs a reason"),
    Known("GET /api/hr/interviews", ACCEPTANCE, "'to' is not before 'from'"),
    # helpdesk
    Known("GET /api/helpdesk/switchboard/report", ACCEPTANCE, "date_to is not before date_from"),
    Known("POST /api/helpdesk/assets", ACCEPTANCE, "warranty_end is not before purchase_date"),
    Known("POST /api/helpdesk/changes", ACCEPTANCE, "planned_end is after planned_start"),
    Known("POST /api/helpdesk/changes/{change_id}/decision", ACCEPTANCE, "a rejection needs a note"),
    Known("POST /api/helpdesk/sla/calendars", ACCEPTANCE, "holiday_country/subdivision must be known ones"),
    Known("PUT /api/helpdesk/sla/calendars/{calendar_id}", ACCEPTANCE, "holiday_country/subdivision known"),
    Known("PUT /api/helpdesk/sla/policies", ACCEPTANCE, "resolution_minutes not below first_response_minutes"),
    Known("POST /api/helpdesk/tickets", ACCEPTANCE, "requester_employee_id is needed when the login has none"),
    Known("POST /api/helpdesk/tickets/{ticket_id}/comments", ACCEPTANCE, "give a body or a canned_response_id"),
    # docs
    Known("GET /api/docs/search", ACCEPTANCE, "q must hold at least one word the full-text index keeps"),
    Known("PATCH /api/docs/documents/{document_id}", ACCEPTANCE, "title and type may be left out, not emptied"),
    Known("PUT /api/docs/retention-policies/{doc_type}", ACCEPTANCE, "delete_after_days is not below trash_after_days"),
    Known("POST /api/docs/documents/{document_id}/deliveries", ACCEPTANCE, "a recipient's form depends on channel"),
    # gateway
    Known("POST /auth/password-reset", ACCEPTANCE, "the token must be one HR issued and still valid"),
    Known(
        "POST /auth/users",
        ACCEPTANCE,
        "a password has at least BACKOFFICE_GATEWAY_PASSWORD_MIN_LENGTH characters (10 unless set)",
    ),
]


def schemathesis_config() -> str:
    """``KNOWN`` as a schemathesis.toml: one ``[[operations]]`` table per pair, the check disabled."""
    from schemathesis.checks import CHECKS

    names = set(CHECKS.get_all_names())
    seen: set[tuple[str, str]] = set()
    lines = ["# Written by tests/fuzz/test_deep_fuzz.py from tests/fuzz/known_failures.py: do not edit.", ""]
    for known in KNOWN:
        assert known.check in names, f"{known.check} is not a schemathesis check"
        assert known.reason.strip(), f"{known.operation}: give the reason"
        assert (known.operation, known.check) not in seen, f"{known.operation} {known.check} is listed twice"
        seen.add((known.operation, known.check))
        lines += [
            f"# {known.reason}",
            "[[operations]]",
            f"include-name = {json.dumps(known.operation)}",
            f"checks.{known.check}.enabled = false",
            "",
        ]
    return "\n".join(lines)
