"""Events produced by payroll-svc (stream ``PAYROLL``, subjects ``payroll.>``)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

HOURS_VERIFIED = "payroll.hours_verified"
HOURS_REJECTED = "payroll.hours_rejected"


class Finding(BaseModel):
    """Something payroll noticed about a timesheet (a rule code and a sentence)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    code: str = Field(min_length=1, max_length=100)
    message: str = Field(min_length=1, max_length=2000)
    day: date | None = None


class HoursVerified(BaseModel):
    """``payroll.hours_verified`` v1: a clerk approved the timesheet's hours (subject: the employee id)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    timesheet_id: str
    employee_id: str
    findings: list[Finding] = Field(default_factory=list)


class HoursRejected(BaseModel):
    """``payroll.hours_rejected`` v1: the hours were refused, with the reason (subject: the employee id)."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    timesheet_id: str
    employee_id: str
    reason: str = Field(min_length=1, max_length=2000)
    findings: list[Finding] = Field(default_factory=list)
