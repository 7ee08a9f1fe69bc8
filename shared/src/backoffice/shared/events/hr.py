"""Events produced by hr-svc (stream ``HR``, subjects ``hr.>``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from backoffice.shared.auth import ROLES
from pydantic import BaseModel, ConfigDict, EmailStr, Field

EMPLOYEE_HIRED = "hr.employee_hired"
EMPLOYEE_UPDATED = "hr.employee_updated"
EMPLOYEE_TERMINATED = "hr.employee_terminated"


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PayTerms(_Contract):
    pay_type: Literal["hourly", "salaried"]
    rate: Decimal = Field(ge=0, description="per hour (hourly) or per pay period (salaried)")
    currency: str = Field(min_length=3, max_length=3)
    frequency: Literal["weekly", "biweekly", "semimonthly", "monthly"]


class EmployeeHired(_Contract):
    """``hr.employee_hired`` v1: a new employee (subject: the employee id)."""

    employee_id: str = Field(min_length=1, max_length=64)
    given_name: str = Field(min_length=1, max_length=200)
    family_name: str = Field(min_length=1, max_length=200)
    email: EmailStr
    department: str | None = Field(default=None, max_length=200)
    position: str | None = Field(default=None, max_length=200)
    manager_id: str | None = Field(default=None, max_length=64)
    start_date: date
    pay_terms: PayTerms | None = None
    roles: list[Literal[ROLES]] = Field(default_factory=lambda: ["employee"])  # type: ignore[valid-type]
    login: str | None = Field(default=None, min_length=3, max_length=120, description="defaults to the e-mail")
    hired_by: str | None = Field(
        default=None,
        max_length=64,
        description="user id of the login that hired: the gateway gives only the roles this login may grant",
    )
    hired_by_roles: list[str] = Field(
        default_factory=list, description="that login's roles when it hired (a record; the gateway checks its own)"
    )


class EmployeeTerminated(_Contract):
    """``hr.employee_terminated`` v1: employment ends on ``effective_date`` (subject: the employee id)."""

    employee_id: str = Field(min_length=1, max_length=64)
    effective_date: date
    kind: Literal["voluntary", "dismissal", "end_of_contract", "retirement", "other"] = "other"
    reason: str | None = Field(default=None, max_length=2000)
    decided_by: str | None = Field(default=None, max_length=64)


class EmployeeUpdated(_Contract):
    """``hr.employee_updated`` v1: the record as it is from ``effective_date``; ``changes`` names what changed."""

    employee_id: str = Field(min_length=1, max_length=64)
    effective_date: date
    changes: list[str]
    given_name: str
    family_name: str
    email: EmailStr
    department: str | None = None
    position: str | None = None
    manager_id: str | None = None
    status: Literal["active", "on_leave", "terminated"]
    pay_terms: PayTerms | None = None
    roles: list[str] = Field(default_factory=list)


HOURS_SUBMITTED = "hr.hours_submitted"

EntryKind = Literal["regular", "overtime", "holiday", "sick", "unpaid_leave"]


class TimeEntry(_Contract):
    day: date
    hours: Decimal = Field(ge=0, le=24)
    kind: EntryKind
    note: str | None = None


class HoursSubmitted(_Contract):
    """``hr.hours_submitted`` v1: a week of hours to verify (subject: the employee id)."""

    timesheet_id: str
    employee_id: str
    week_start: date
    version: int = Field(ge=1)
    entries: list[TimeEntry]
    total_hours: Decimal


COMPLAINT_FILED = "hr.complaint_filed"


class ComplaintFiled(_Contract):
    """``hr.complaint_filed`` v1: a grievance was filed. No confidential text, no names (subject: complaint id)."""

    complaint_id: str
    against_kind: Literal["person", "team", "practice"]
    filed_on: date


WARNING_ISSUED = "hr.warning_issued"
WARNING_ACKNOWLEDGED = "hr.warning_acknowledged"
DISCIPLINARY_ESCALATED = "hr.disciplinary_escalated"


class WarningIssued(_Contract):
    """``hr.warning_issued`` v1: a warning for unethical or other misconduct (subject: the employee id)."""

    warning_id: str = Field(min_length=1, max_length=64)
    employee_id: str = Field(min_length=1, max_length=64)
    category: Literal["conduct", "ethics", "attendance", "performance", "policy"]
    severity: Literal["minor", "serious", "gross_misconduct"]
    facts: str = Field(min_length=1, max_length=20000)
    occurred_on: date
    issued_by: str | None = Field(default=None, max_length=64, description="user id of the issuer")


class WarningAcknowledged(_Contract):
    warning_id: str
    employee_id: str
    with_response: bool


class DisciplinaryEscalated(_Contract):
    """``hr.disciplinary_escalated`` v1: the employee's case moved to ``step``."""

    case_id: str
    employee_id: str
    step: str
    reason: Literal["warning", "ignored", "gross_misconduct"]
    warning_id: str | None = None


DISCIPLINARY_DECIDED = "hr.disciplinary_decided"


class DisciplinaryDecided(_Contract):
    """``hr.disciplinary_decided`` v1: HR's decision at dismissal review (a dismissal also emits
    ``hr.employee_terminated``)."""

    case_id: str
    employee_id: str
    decision: Literal["dismiss", "keep"]
    decided_by: str
