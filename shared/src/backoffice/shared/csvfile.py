"""CSV files that are safe to open in a spreadsheet: every CSV export of the suite is written here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, a tab or a carriage return)
as a formula, so a name such as ``=HYPERLINK("http://evil.example","x")`` typed into a record would run on the
reader's machine. Following the OWASP guidance on CSV injection, such a text cell is written with a leading single
quote, which the spreadsheet shows as text. Numbers stay numbers: a negative amount (``-12.50``) is not a formula.

One convention for every export: a boolean is ``true`` or ``false`` (never an empty cell), a decimal is written in
positional notation as given (``1E+1`` would be read as text or as a float; callers round money to its currency's
decimals first, so that a column reads ``0.00``, ``3000.00``), and an empty cell means "no value".
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def cell(value: object) -> object:
    """``value`` as it is safe to write into a CSV cell: text a spreadsheet would run as a formula gets a leading
    ``'``; numbers, and text that is only a number, are kept as they are. Booleans are ``true``/``false``, decimals
    are written without an exponent."""
    if isinstance(value, bool):  # before int: a bool is an int, and csv would write True / False
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f") if value.is_finite() else str(value)
    if value is None or isinstance(value, int | float):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS) and not _NUMBER.fullmatch(text):
        return "'" + text
    return value


class SafeCsvWriter:
    """``csv.writer`` whose every cell goes through :func:`cell`. Lines end with CRLF (RFC 4180), so that a cell
    holding a carriage return is quoted: unquoted, a spreadsheet would start a new row there, whose first cell
    (``Ann\\r=HYPERLINK(...)``) no leading quote protects."""

    def __init__(self, out: TextIO):
        self._writer = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Iterable[object]) -> None:
        self._writer.writerow([cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[object]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(out: TextIO) -> SafeCsvWriter:
    """A CSV writer for an export a person will open in a spreadsheet."""
    return SafeCsvWriter(out)
