"""A complete example rule set: what docs/PAYROLL.md shows, the demo loads, and tests and benchmarks use."""

from __future__ import annotations

from typing import Any

EXAMPLE_RULES: list[dict[str, Any]] = [
    {"kind": "hours", "code": "regular", "description": "Regular hours", "hours_kind": "regular"},
    {"kind": "hours", "code": "overtime", "description": "Overtime", "hours_kind": "overtime", "multiplier": "1.5"},
    {"kind": "hours", "code": "holiday", "description": "Holiday", "hours_kind": "holiday"},
    {"kind": "salary", "code": "salary", "description": "Salary"},
    {
        "kind": "hours",
        "code": "unpaid",
        "description": "Unpaid leave",
        "hours_kind": "unpaid_leave",
        "multiplier": "-1",
        "pay_types": ["salaried"],
    },
    {"kind": "item", "code": "bonus", "description": "Bonus", "item_kind": "bonus"},
    {"kind": "item", "code": "correction", "description": "Correction", "item_kind": "correction"},
    {
        "kind": "percentage",
        "code": "pension",
        "description": "Pension",
        "category": "deduction",
        "percent": "5",
        "reduces_taxable": True,
    },
    {
        "kind": "brackets",
        "code": "income_tax",
        "description": "Income tax",
        "category": "deduction",
        "base": ["taxable"],
        "brackets": [{"up_to": "1000", "percent": "0"}, {"up_to": "3000", "percent": "20"}, {"percent": "40"}],
    },
    {
        "kind": "percentage",
        "code": "social",
        "description": "Social security",
        "category": "deduction",
        "percent": "8",
        "period_cap": "300",
        "annual_cap": "3000",
    },
    {
        "kind": "percentage",
        "code": "employer_social",
        "description": "Employer social security",
        "category": "employer_contribution",
        "percent": "10",
    },
]
