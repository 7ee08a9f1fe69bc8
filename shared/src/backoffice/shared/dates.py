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

from pydantic import AwareDatetime, BeforeValidator

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
