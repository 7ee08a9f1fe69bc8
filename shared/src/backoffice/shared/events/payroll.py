"""Events produced by payroll-svc (stream ``PAYROLL``, subjects ``payroll.>``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from backoffice.shared.events.contract import Contract, Part
from pydantic import Field


class Finding(Part):
    """Something payroll noticed about a timesheet (a rule code and a sentence)."""

    code: str = Field(min_length=1, max_length=100)
    message: str = Field(min_length=1, max_length=2000)
    day: date | None = None


class HoursVerified(Contract):
    """A clerk approved the timesheet's hours."""

    TYPE = "payroll.hours_verified"
    SUBJECT = "the employee id"
    PRODUCED_BY = "payroll (a clerk's `POST /timesheets/{id}/approve` or `/timesheets/decisions`)"

    timesheet_id: str
    employee_id: str
    findings: list[Finding] = Field(default_factory=list)


class HoursRejected(Contract):
    """The hours were refused, with the reason."""

    TYPE = "payroll.hours_rejected"
    SUBJECT = "the employee id"
    PRODUCED_BY = "payroll (at once when verification finds an error; or a clerk's rejection with a reason)"

    timesheet_id: str
    employee_id: str
    reason: str = Field(min_length=1, max_length=2000)
    findings: list[Finding] = Field(default_factory=list)


class PayslipLine(Part):
    category: Literal["earning", "deduction", "employer_contribution"]
    code: str = Field(description="the rule that produced the line")
    description: str
    quantity: Decimal | None = Field(default=None, description="hours, days, or the base of a percentage")
    rate: Decimal | None = None
    amount: Decimal
    corrects_run_id: str | None = Field(default=None, description="for a correction: the pay run it corrects")


class PayslipIssued(Contract):
    """A payslip of an approved run, whole, for docs to render."""

    TYPE = "payroll.payslip_issued"
    SUBJECT = "the employee id"
    PRODUCED_BY = "payroll (`POST /payruns/{id}/approve`, one per payslip, in one transaction)"

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


class CodeTotal(Part):
    code: str
    category: Literal["earning", "deduction", "employer_contribution"]
    amount: Decimal


class DepartmentTotal(Part):
    department: str | None
    employees: int
    gross: Decimal
    employer_contributions: Decimal


class PayrunCompleted(Contract):
    """An approved pay run's totals."""

    TYPE = "payroll.payrun_completed"
    SUBJECT = "the run id"
    PRODUCED_BY = "payroll (`POST /payruns/{id}/approve`, after the payslips)"

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


class PaidInvoice(Part):
    invoice_id: str
    number: str
    invoice_date: date
    amount: Decimal


class SupplierPaymentMade(Contract):
    """One transfer to a supplier, for docs to send the remittance advice."""

    TYPE = "payroll.supplier_payment_made"
    SUBJECT = "the supplier id"
    PRODUCED_BY = "payroll (`POST /payment-runs/{id}/execute`, one per supplier)"

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


class RegisterCell(Part):
    """One sex's figures for a pay concept in a category; no figures when the group is too small to show."""

    sex: Literal["female", "male", "another", "not_declared"]
    workers: int = Field(ge=0)
    average: Decimal | None = None
    median: Decimal | None = None
    suppressed: bool = False


class RegisterRow(Part):
    category_id: str | None = Field(default=None, description="empty: people whose position has no category")
    category_name: str
    concept: str = Field(description="the pay concept: a pay rule's code, or 'total' for the sum")
    description: str
    component: Literal["basic", "complementary", "total"]
    cells: list[RegisterCell]


class PayRegisterFiled(Contract):
    """The pay register of a period (average and median by sex, per category and pay concept), to be filed as a
    PDF by docs. Figures only: no names, no per-person data, groups under the threshold suppressed."""

    TYPE = "payroll.pay_register_filed"
    SUBJECT = "the register id"
    PRODUCED_BY = "payroll (`POST /pay-register/file`)"

    register_id: str = Field(min_length=1, max_length=64)
    period_start: date
    period_end: date
    currency: str = Field(min_length=3, max_length=3)
    threshold: int = Field(ge=1, description="groups with fewer workers than this are suppressed")
    rows: list[RegisterRow]
    filed_by: str | None = Field(default=None, max_length=64)


class MinimumPayOverridden(Contract):
    """A payroll officer let a payslip under the minimum pay in force stand, with a written reason."""

    TYPE = "payroll.minimum_pay_overridden"
    SUBJECT = "the pay run id"
    PRODUCED_BY = "payroll (`POST /payruns/{id}/overrides`)"

    run_id: str = Field(min_length=1, max_length=64)
    payslip_id: str = Field(min_length=1, max_length=64)
    employee_id: str = Field(min_length=1, max_length=64)
    hourly_pay: Decimal
    minimum: Decimal
    reason: str = Field(min_length=1, max_length=4000)
    overridden_by: str | None = Field(default=None, max_length=64)
