"""Dates and times as the API takes them: ISO 8601 text only.

Pydantic's lax mode also reads a number as a Unix time, so ``?as_of=0`` meant 1970-01-01 and ``"start_date": 0``
was a valid body; the description says ``format: date`` and a client reading it never expects a number to be
taken. ``IsoDate`` and ``IsoDateTime`` refuse anything but ISO text (or, from Python, a date), in query and path
parameters and in bodies alike, with a message saying the form to use.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AwareDatetime, BeforeValidator, Field
from pydantic.fields import FieldInfo

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")


def _iso_date(value: Any) -> Any:
    if isinstance(value, date) or (isinstance(value, str) and _ISO_DATE.fullmatch(value)):
        return value
    raise ValueError("give a date as YYYY-MM-DD (ISO 8601)")


def _iso_datetime(value: Any) -> Any:
    if isinstance(value, datetime) or (isinstance(value, str) and _ISO_DATETIME.match(value)):
        return value
    raise ValueError("give a date and time with its timezone as YYYY-MM-DDTHH:MM[:SS]+HH:MM (ISO 8601)")


IsoDate = Annotated[date, BeforeValidator(_iso_date)]
"""A calendar date given as ``YYYY-MM-DD``; a number (a Unix time) is refused."""

IsoDateTime = Annotated[AwareDatetime, BeforeValidator(_iso_datetime)]
"""A moment with its timezone, in ISO 8601 (``2026-03-01T09:30:00+01:00``); a number (a Unix time) is refused."""


def _number_pattern(low: int, high: int, width: int) -> str:
    """A regular expression matching exactly the integers ``low`` to ``high``, written with ``width`` digits."""
    if low == high:
        return f"{low:0{width}d}"
    if width == 1:
        return r"\d" if (low, high) == (0, 9) else f"[{low}-{high}]"
    unit = 10 ** (width - 1)
    if low % unit == 0 and high % unit == unit - 1:
        first = _number_pattern(low // unit, high // unit, 1)
        return first + (r"\d" if width == 2 else rf"\d{{{width - 1}}}")
    if low // unit == high // unit:
        return f"{low // unit}(?:{_number_pattern(low % unit, high % unit, width - 1)})"
    parts = [f"{low // unit}(?:{_number_pattern(low % unit, unit - 1, width - 1)})"]
    if high // unit - low // unit > 1:
        parts.append(_number_pattern((low // unit + 1) * unit, (high // unit) * unit - 1, width))
    parts.append(f"{high // unit}(?:{_number_pattern(0, high % unit, width - 1)})")
    return "|".join(parts)


def date_pattern(first: date, last: date) -> str:
    """A pattern for ISO dates from ``first`` (the first day of a year) to ``last``, both included, so that the
    description can state a range JSON Schema has no keyword for (``format: date`` takes no minimum)."""
    if (first.month, first.day) != (1, 1) or last.year <= first.year:
        raise ValueError("a date range starts on 1 January and ends in a later year")
    # Year 0 is no date at all (format: date refuses it), so a range from year 1 may as well start there.
    first_year = 0 if first.year == 1 else first.year
    parts = [rf"(?:{_number_pattern(first_year, last.year - 1, 4)})-\d{{2}}-\d{{2}}"]
    if last.month > 1:
        parts.append(rf"{last.year}-(?:{_number_pattern(1, last.month - 1, 2)})-\d{{2}}")
    parts.append(f"{last.year}-{last.month:02d}-(?:{_number_pattern(1, last.day, 2)})")
    return "^(?:" + "|".join(parts) + ")$"


def date_range(first: date, last: date) -> FieldInfo:
    """The bounds of a date field (``Annotated[IsoDate, date_range(...)]``), enforced and stated in the description
    as a pattern."""
    return Field(  # type: ignore[no-any-return]
        ge=first,
        le=last,
        json_schema_extra={"pattern": date_pattern(first, last)},
        description=f"from {first.isoformat()} to {last.isoformat()}",
    )


UNTIL_2200 = date_range(date(1, 1, 1), date(2200, 1, 1))
"""The range of a date given in a body: year 1 to 2200-01-01 (later ones are typing mistakes)."""
