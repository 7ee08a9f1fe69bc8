"""Events produced by hr-svc (stream ``HR``, subjects ``hr.>``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from backoffice.shared.auth import ROLES
from backoffice.shared.events.contract import Contract, Part
from pydantic import EmailStr, Field


class PayTerms(Part):
    pay_type: Literal["hourly", "salaried"]
    rate: Decimal = Field(ge=0, description="per hour (hourly) or per pay period (salaried)")
    currency: str = Field(min_length=3, max_length=3)
    frequency: Literal["weekly", "biweekly", "semimonthly", "monthly"]
    weekly_hours: Decimal | None = Field(
        default=None, gt=0, le=168, description="contracted hours a week; empty: the pay group's standard hours"
    )
    agreement_group: str | None = Field(
        default=None, max_length=40, description="the collective agreement group the minimum pay may depend on"
    )


class EmployeeHired(Contract):
    """A new employee."""

    TYPE = "hr.employee_hired"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`POST /employees`)"

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


class EmployeeTerminated(Contract):
    """Employment ends on ``effective_date``."""

    TYPE = "hr.employee_terminated"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`POST /employees/{id}/termination`)"

    employee_id: str = Field(min_length=1, max_length=64)
    effective_date: date
    kind: Literal["voluntary", "dismissal", "end_of_contract", "retirement", "other"] = "other"
    reason: str | None = Field(default=None, max_length=2000)
    decided_by: str | None = Field(default=None, max_length=64)


class EmployeeUpdated(Contract):
    """The record as it is from ``effective_date``; ``changes`` names what changed."""

    TYPE = "hr.employee_updated"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`PATCH /employees/{id}`, `POST /employees/{id}/pay-terms`)"

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


DeclaredSex = Literal["female", "male", "another", "not_declared"]


class SexDeclared(Contract):
    """An employee's self-declared sex, for the pay gap report and the pay register alone. Only payroll consumes
    it; no other event carries the sex, and no service logs it."""

    TYPE = "hr.sex_declared"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`PUT /employees/{id}/sex`)"

    employee_id: str = Field(min_length=1, max_length=64)
    sex: DeclaredSex


class CriterionScores(Part):
    """How a job category scores on each objective, gender-neutral criterion (0 to 100 each)."""

    skills: int = Field(ge=0, le=100)
    effort: int = Field(ge=0, le=100)
    responsibility: int = Field(ge=0, le=100)
    working_conditions: int = Field(ge=0, le=100)


class JobCategorySaved(Contract):
    """A category of work of equal value, created or given a new version of its description and scores."""

    TYPE = "hr.job_category_saved"
    SUBJECT = "the category id"
    PRODUCED_BY = "hr (`POST /job-categories`, `PUT /job-categories/{id}`)"

    category_id: str = Field(min_length=1, max_length=64)
    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    scores: CriterionScores
    version: int = Field(ge=1)


class PositionPlaced(Contract):
    """A position belongs to a job category from ``effective_from`` to ``effective_to`` (open when empty). The
    same ``placement_id`` sent again (an end date set) replaces the earlier message."""

    TYPE = "hr.position_placed"
    SUBJECT = "the placement id"
    PRODUCED_BY = "hr (`POST /job-categories/{id}/placements`, `POST /position-placements/{id}/end`)"

    placement_id: str = Field(min_length=1, max_length=64)
    position: str = Field(min_length=1, max_length=200)
    category_id: str = Field(min_length=1, max_length=64)
    effective_from: date
    effective_to: date | None = None


EntryKind = Literal["regular", "overtime", "holiday", "sick", "unpaid_leave"]


class TimeEntry(Part):
    day: date
    hours: Decimal = Field(ge=0, le=24)
    kind: EntryKind
    note: str | None = None


class HoursSubmitted(Contract):
    """A week of hours to verify."""

    TYPE = "hr.hours_submitted"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`POST /timesheets/{id}/submit`)"

    timesheet_id: str
    employee_id: str
    week_start: date
    version: int = Field(ge=1)
    entries: list[TimeEntry]
    total_hours: Decimal


class ComplaintFiled(Contract):
    """A grievance was filed. No confidential text, no names."""

    TYPE = "hr.complaint_filed"
    SUBJECT = "the complaint id"
    PRODUCED_BY = "hr (`POST /complaints`)"

    complaint_id: str
    against_kind: Literal["person", "team", "practice"]
    filed_on: date


class WarningIssued(Contract):
    """A warning for unethical or other misconduct."""

    TYPE = "hr.warning_issued"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`POST /warnings`; other services may publish it too)"

    warning_id: str = Field(min_length=1, max_length=64)
    employee_id: str = Field(min_length=1, max_length=64)
    category: Literal["conduct", "ethics", "attendance", "performance", "policy"]
    severity: Literal["minor", "serious", "gross_misconduct"]
    facts: str = Field(min_length=1, max_length=20000)
    occurred_on: date
    issued_by: str | None = Field(default=None, max_length=64, description="user id of the issuer")


class WarningAcknowledged(Contract):
    """The employee acknowledged a warning, with or without a written response."""

    TYPE = "hr.warning_acknowledged"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`POST /warnings/{id}/acknowledgement`)"

    warning_id: str
    employee_id: str
    with_response: bool


class DisciplinaryEscalated(Contract):
    """The employee's case moved to ``step``."""

    TYPE = "hr.disciplinary_escalated"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (the workflow and its deadline check)"

    case_id: str
    employee_id: str
    step: str
    reason: Literal["warning", "ignored", "gross_misconduct"]
    warning_id: str | None = None


class DisciplinaryDecided(Contract):
    """HR's decision at dismissal review (a dismissal also emits
    ``hr.employee_terminated``)."""

    TYPE = "hr.disciplinary_decided"
    SUBJECT = "the employee id"
    PRODUCED_BY = "hr (`POST /cases/{employee_id}/decision`)"

    case_id: str
    employee_id: str
    decision: Literal["dismiss", "keep"]
    decided_by: str
