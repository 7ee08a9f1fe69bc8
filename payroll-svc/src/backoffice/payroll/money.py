"""Money: Decimal amounts rounded half-up to the currency's minor unit, one line at a time."""

from __future__ import annotations

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from typing import Annotated

from backoffice.shared.decimals import MINOR_UNITS
from pydantic import AfterValidator, WithJsonSchema

ZERO = Decimal("0")
# What a payment run can pay: its bank file writes amounts in cents, so not the three-decimal currencies.
PAYABLE_CURRENCIES = tuple(sorted(code for code, unit in MINOR_UNITS.items() if unit <= 2))


def is_known_currency(code: str) -> bool:
    """A currency the company may pay or book in: one whose minor unit the shared table holds."""
    return code in MINOR_UNITS


def _known_currency(code: str) -> str:
    if code.upper() not in MINOR_UNITS:
        raise ValueError(f"unknown currency {code!r}: give an ISO 4217 code such as EUR")
    return code.upper()


def _payable_currency(code: str) -> str:
    if code.upper() not in PAYABLE_CURRENCIES:
        raise ValueError(f"currency {code!r}: payment runs pay invoices in {', '.join(PAYABLE_CURRENCIES)}")
    return code.upper()


def _codes(codes: list[str]) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "enum": codes, "description": "ISO 4217 (capitals or not)"})


Currency = Annotated[str, AfterValidator(_known_currency), _codes(sorted(MINOR_UNITS))]
"""A currency the company may pay or book in, in capitals."""
PayableCurrency = Annotated[str, AfterValidator(_payable_currency), _codes(list(PAYABLE_CURRENCIES))]
"""A currency a payment run can pay in (its bank file writes amounts in cents), in capitals."""


def quantum(currency: str) -> Decimal:
    """The currency's minor unit (0.01 EUR, 1 JPY, 0.001 KWD)."""
    return Decimal(1).scaleb(-MINOR_UNITS[currency])


def round_money(amount: Decimal, currency: str) -> Decimal:
    """Half-up to the minor unit (2.345 EUR -> 2.35, -2.345 EUR -> -2.35)."""
    return amount.quantize(quantum(currency), rounding=ROUND_HALF_UP)


def cap_money(limit: Decimal, currency: str) -> Decimal:
    """A ceiling in the minor unit, never above the limit itself (0.50 JPY allows 0, not 1)."""
    return limit.quantize(quantum(currency), rounding=ROUND_DOWN)
