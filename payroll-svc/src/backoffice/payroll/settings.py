"""Settings of the payroll service (environment: BACKOFFICE_PAYROLL_<KEY>, then BACKOFFICE_<KEY>)."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, ClassVar

from backoffice.payroll.suppliers.bank import checked_bic, checked_iban, checked_name
from backoffice.shared.deps import app_settings
from backoffice.shared.settings import ServiceSettings
from fastapi import Depends
from pydantic import Field, field_validator

DEFAULT_LEDGER_ACCOUNTS = {
    "bank": "1000",
    "payables": "2000",
    "net_wages_payable": "2100",
    "deductions_payable": "2200",
    "employer_contributions_payable": "2300",
    "wages_expense": "5000",
    "employer_contributions_expense": "5100",
    "default_expense": "6000",
}
ENTRY_KINDS = ("regular", "overtime", "holiday", "sick", "unpaid_leave")
# The demo company of development: a production bank file must never name it.
DEMO_COMPANY = {
    "company_name": "Backoffice Demo Ltd",
    "company_iban": "DE89370400440532013000",
    "company_bic": "COBADEFFXXX",
}


class PayrollSettings(ServiceSettings):
    service_name: ClassVar[str] = "payroll"
    stream_name: ClassVar[str] = "PAYROLL"
    default_port: ClassVar[int] = 8102
    demo_values: ClassVar[dict[str, str]] = DEMO_COMPANY

    overtime_daily_hours: Decimal = Field(
        default=Decimal(8), gt=0, le=24, description="worked hours in a day beyond this are overtime"
    )
    overtime_weekly_hours: Decimal = Field(
        default=Decimal(40), gt=0, le=168, description="worked hours in a week beyond this are overtime"
    )
    allowed_entry_kinds: dict[str, list[str]] = Field(
        default_factory=lambda: {
            "hourly": ["regular", "overtime", "holiday", "unpaid_leave"],
            "salaried": list(ENTRY_KINDS),
        },
        description="timesheet entry kinds each pay type may record (JSON); others are findings",
    )

    company_country: str = Field(
        default="ES", pattern=r"^[A-Z]{2}$", description="where the company is (ISO 3166-1): whose minimum pay applies"
    )
    company_region: str | None = Field(
        default=None, max_length=40, description="its region, when a region has its own minimum pay (as recorded)"
    )
    company_name: str = Field(
        default=DEMO_COMPANY["company_name"], max_length=70, description="debtor name on bank files"
    )
    company_iban: str = Field(default=DEMO_COMPANY["company_iban"], description="the account suppliers are paid from")
    company_bic: str = Field(default=DEMO_COMPANY["company_bic"], description="its bank's BIC")
    admin_approves_own_payment_runs: bool = Field(
        default=False,
        description="an admin may approve a payment run they proposed themselves (a company with one accountant);"
        " everyone else always needs a second person",
    )
    reporting_currency: str = Field(
        default="EUR", min_length=3, max_length=3, description="the currency reports and the trial balance show"
    )
    pay_gap_threshold: int = Field(
        default=5,
        ge=1,
        le=1000,
        description="pay gap report, pay register and information requests: a group (one sex overall or in a "
        "category) of fewer workers shows no figures",
    )
    pay_gap_flag_percent: Decimal = Field(
        default=Decimal(5), gt=0, le=100, description="a category whose gap reaches this percent is flagged"
    )
    ledger_accounts: dict[str, str] = Field(
        default_factory=lambda: dict(DEFAULT_LEDGER_ACCOUNTS),
        description="which account each automatic posting uses (JSON); the accounts must exist",
    )

    # The debtor of every bank file, checked by the rules of a supplier's bank details when the service starts.
    _company_name = field_validator("company_name")(checked_name)
    _company_iban = field_validator("company_iban")(checked_iban)
    _company_bic = field_validator("company_bic")(checked_bic)

    @field_validator("ledger_accounts")
    @classmethod
    def _accounts(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = set(value) - set(DEFAULT_LEDGER_ACCOUNTS)
        if unknown:
            raise ValueError(f"unknown posting roles {sorted(unknown)}: use {', '.join(DEFAULT_LEDGER_ACCOUNTS)}")
        return {**DEFAULT_LEDGER_ACCOUNTS, **value}  # the roles not given keep their default account

    @field_validator("allowed_entry_kinds")
    @classmethod
    def _kinds(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for pay_type, kinds in value.items():
            unknown = set(kinds) - set(ENTRY_KINDS)
            if pay_type not in ("hourly", "salaried") or unknown:
                raise ValueError(f"give pay types hourly/salaried with kinds among {', '.join(ENTRY_KINDS)}")
        return value


PayrollSettingsDep = Annotated[PayrollSettings, Depends(app_settings)]
