"""Decimals as every response shows them: the one place that says how money and quantities are written.

JSON has no decimal type, so a decimal is sent as text, and ``str(Decimal)`` would write whatever the value
happens to hold: ``1E+1`` for a normalised ten, ``20050.750`` for euros stored with three places, ``2400`` where
the record, read back, says ``2400.00``. Response schemas use these types instead:

- :data:`Money`: an amount in the currency of the model it belongs to (a model with a ``currency`` field that
  derives from :class:`InCurrency`), written with exactly that currency's decimals (``3000.00``, whole yen
  ``1234``, ``1.250`` dinars).
- :data:`Price`: a unit price, with at least its currency's decimals and the further ones it was given
  (``4.20``, ``0.1234``).
- :data:`Quantity`: a count or measure, written without trailing zeros (``10``, ``1.5``).

None of them is ever written with an exponent. Rates and percentages keep their own stated scale (an hourly rate
with four places): they are plain decimals, written in positional notation as they are.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated, Any

from pydantic import BaseModel, PlainSerializer, WithJsonSchema, model_validator

# ISO 4217 minor units of the currencies the suite knows; another code is shown with two decimals, ISO's usual.
_TWO = "AUD BGN BRL CAD CHF CNY CZK DKK EUR GBP HKD HUF ILS INR MXN MYR NOK NZD PHP PLN RON SEK SGD THB TRY USD ZAR"
MINOR_UNITS: dict[str, int] = {
    **dict.fromkeys(_TWO.split(), 2),
    **dict.fromkeys(["ISK", "JPY", "KRW", "CLP", "VND"], 0),
    **dict.fromkeys(["BHD", "JOD", "KWD", "OMR", "TND"], 3),
}
DEFAULT_MINOR_UNIT = 2
HUNDREDTH = Decimal("0.01")


def minor_unit(currency: str) -> int:
    """The number of decimals of ``currency`` (ISO 4217), two for a code the table does not hold."""
    return MINOR_UNITS.get(currency.upper(), DEFAULT_MINOR_UNIT)


def in_currency(amount: Decimal, currency: str) -> Decimal:
    """``amount`` with exactly the decimals of ``currency``, rounded half-up (2.345 EUR -> 2.35)."""
    return amount.quantize(Decimal(1).scaleb(-minor_unit(currency)), rounding=ROUND_HALF_UP)


def price_in_currency(price: Decimal, currency: str) -> Decimal:
    """``price`` with at least the decimals of ``currency`` and those further ones it has that are not zero."""
    places = max(minor_unit(currency), -min(price.normalize().as_tuple().exponent, 0))  # type: ignore[operator]
    return price.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def positional(value: Decimal) -> str:
    """``value`` in positional notation, never with an exponent (``Decimal("1E+1")`` -> ``10``)."""
    return format(value, "f") if value.is_finite() else str(value)


def _quantity(value: Decimal) -> str:
    return positional(value.normalize()) if value.is_finite() else str(value)


_NUMBER_TEXT = r"^-?[0-9]+(\.[0-9]+)?$"


def _described(what: str) -> WithJsonSchema:
    return WithJsonSchema({"type": "string", "pattern": _NUMBER_TEXT, "description": what}, mode="serialization")


class _MoneyMark:
    """Marks a field as an amount in its model's currency."""


class _PriceMark:
    """Marks a field as a unit price in its model's currency."""


MONEY, PRICE = _MoneyMark(), _PriceMark()
_AS_TEXT = PlainSerializer(positional, return_type=str, when_used="json")

Money = Annotated[Decimal, MONEY, _AS_TEXT, _described("an amount with its currency's decimals (3000.00, 1234 yen)")]
"""An amount in its model's currency (see :class:`InCurrency`); text with exactly the currency's decimals."""
Price = Annotated[Decimal, PRICE, _AS_TEXT, _described("a unit price with at least its currency's decimals")]
"""A unit price in its model's currency: text with at least the currency's decimals (``4.20``, ``0.1234``)."""
Quantity = Annotated[
    Decimal,
    PlainSerializer(_quantity, return_type=str, when_used="json"),
    _described("a quantity, without trailing zeros (10, 1.5)"),
]
"""A quantity: text without an exponent and without trailing zeros (``10``, ``1.5``)."""
Hundredths = Annotated[
    Decimal,
    PlainSerializer(lambda v: positional(v.quantize(HUNDREDTH)), return_type=str, when_used="json"),
    _described("a figure to the hundredth (8.00 hours, a 3.50 rating)"),
]
"""A figure stored to the hundredth (hours, a rating, a score): text with two decimals, however it was sent."""
Plain = Annotated[Decimal, _AS_TEXT, _described("a decimal at its own stated scale")]
"""A decimal at its own stated scale (a rate with four places, a percentage to 0.1): text without an exponent."""


def _marks(annotation: Any) -> set[object]:
    """The marks an annotation carries, at any depth (``dict[str, Money]``, ``Money | None``, ``list[Line]``)."""
    found: set[object] = {m for m in getattr(annotation, "__metadata__", ()) if isinstance(m, _MoneyMark | _PriceMark)}
    for arg in getattr(annotation, "__args__", ()):
        found |= _marks(arg)
    return found


def _shown(value: Any, currency: str, mark: object | None) -> Any:
    """``value`` with its money in ``currency``: decimals by ``mark``, models (lines of an invoice) field by field."""
    if isinstance(value, Decimal) and value.is_finite() and mark is not None:
        return in_currency(value, currency) if mark is MONEY else price_in_currency(value, currency)
    if isinstance(value, list):
        return [_shown(v, currency, mark) for v in value]
    if isinstance(value, dict):
        return {k: _shown(v, currency, mark) for k, v in value.items()}
    if isinstance(value, BaseModel) and not isinstance(value, InCurrency):  # one in its own currency did itself
        _show_fields(value, currency)
    return value


def _show_fields(model: BaseModel, currency: str) -> None:
    for name, info in type(model).model_fields.items():
        marks = {m for m in info.metadata if isinstance(m, _MoneyMark | _PriceMark)} | _marks(info.annotation)
        value = getattr(model, name)
        shown = _shown(value, currency, next(iter(marks)) if marks else None)
        if shown is not value:
            object.__setattr__(model, name, shown)  # a response model is built once and not assigned to


class InCurrency(BaseModel):
    """A response in one currency: every :data:`Money` and :data:`Price` field of it, and of the models it holds
    that have no currency of their own (an invoice's lines), is shown in the decimals of its ``currency`` field.
    Done here, when the model is built, so a create answer and a later read of the same record show the same
    figures."""

    @model_validator(mode="after")
    def _in_its_currency(self) -> Any:
        _show_fields(self, str(getattr(self, "currency")))  # noqa: B009 - each subclass declares and describes it
        return self
