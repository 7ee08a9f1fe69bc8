"""Events produced by payroll-svc (stream ``PAYROLL``, subjects ``payroll.>``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

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


PAYSLIP_ISSUED = "payroll.payslip_issued"
PAYRUN_COMPLETED = "payroll.payrun_completed"


class _Contract(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


class PayslipLine(_Contract):
    category: Literal["earning", "deduction", "employer_contribution"]
    code: str = Field(description="the rule that produced the line")
    description: str
    quantity: Decimal | None = Field(default=None, description="hours, days, or the base of a percentage")
    rate: Decimal | None = None
    amount: Decimal
    corrects_run_id: str | None = Field(default=None, description="for a correction: the pay run it corrects")


class PayslipIssued(_Contract):
    """``payroll.payslip_issued`` v1: a payslip of an approved run, whole, for docs to render (subject: employee)."""

    payslip_id: str
    run_id: str
    employee_id: str
    employee_name: str
    department: str | None = None
    pay_type: str
    currency: str
    period_start: date
    period_end: date
    pay_date: date
    final: bool = Field(description="final pay: the employment ends in this period")
    hours: dict[str, Decimal] = Field(default_factory=dict, description="hours paid by kind")
    lines: list[PayslipLine]
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_contributions: Decimal
    year_to_date: dict[str, Decimal] = Field(
        default_factory=dict, description="gross, deductions, net, employer_contributions this calendar year"
    )


class CodeTotal(_Contract):
    code: str
    category: Literal["earning", "deduction", "employer_contribution"]
    amount: Decimal


class DepartmentTotal(_Contract):
    department: str | None
    employees: int
    gross: Decimal
    employer_contributions: Decimal


class PayrunCompleted(_Contract):
    """``payroll.payrun_completed`` v1: an approved pay run's totals (subject: the run id)."""

    run_id: str
    pay_group: str
    period_start: date
    period_end: date
    pay_date: date
    currency: str
    employees: int
    gross: Decimal
    deductions: Decimal
    net: Decimal
    employer_contributions: Decimal
    by_code: list[CodeTotal]
    by_department: list[DepartmentTotal]


SUPPLIER_PAYMENT_MADE = "payroll.supplier_payment_made"


class PaidInvoice(_Contract):
    invoice_id: str
    number: str
    invoice_date: date
    amount: Decimal


class SupplierPaymentMade(_Contract):
    """``payroll.supplier_payment_made`` v1: one transfer to a supplier, for docs to send the remittance advice
    (subject: the supplier id)."""

    payment_id: str
    payment_run_id: str
    supplier_id: str
    supplier_name: str
    email: str | None = None
    fax: str | None = None
    amount: Decimal
    currency: str
    execution_date: date
    end_to_end_id: str
    invoices: list[PaidInvoice]
