"""CSV exports a spreadsheet opens without running anything (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from backoffice.shared import csvfile


def written(*row: object) -> list[str]:
    out = io.StringIO()
    csvfile.writer(out).writerow(row)
    assert out.getvalue().endswith("\r\n")
    return next(csv.reader(io.StringIO(out.getvalue(), newline="")))


def test_text_a_spreadsheet_would_run_is_written_as_text() -> None:
    evil = '=HYPERLINK("http://evil.example","x")'
    assert written(evil, "+1+2", "-2+3", "@SUM(A1)", "\t=1", "\r=1") == [
        f"'{evil}",
        "'+1+2",
        "'-2+3",
        "'@SUM(A1)",
        "'\t=1",
        "'\r=1",
    ]


def test_numbers_and_ordinary_text_are_written_as_they_are() -> None:
    assert written(Decimal("-12.50"), -3, 1.5, "-12.50", "+4", "-1e3", "Ann", "", None, "a=b", "2026-10-01") == [
        "-12.50",
        "-3",
        "1.5",
        "-12.50",
        "+4",
        "-1e3",
        "Ann",
        "",
        "",
        "a=b",
        "2026-10-01",
    ]


def test_a_carriage_return_inside_a_cell_does_not_start_a_row_of_its_own() -> None:
    evil = 'Ann\r=HYPERLINK("http://evil.example","x")'
    out = io.StringIO()
    csvfile.writer(out).writerows([[evil, Decimal("1.00")], ["Bob", Decimal("2.00")]])
    assert out.getvalue().startswith('"Ann\r=HYPERLINK(""http://evil.example"",""x"")",1.00\r\n')
    assert list(csv.reader(io.StringIO(out.getvalue(), newline=""))) == [[evil, "1.00"], ["Bob", "2.00"]]


def test_booleans_are_true_or_false_and_decimals_never_have_an_exponent() -> None:
    # An empty cell for false reads as "unknown"; 1E+1 is text to some spreadsheets and a float to others.
    assert written(True, False, Decimal("1E+1"), Decimal("0.00"), Decimal("-0.50"), Decimal("12E-3")) == [
        "true",
        "false",
        "10",
        "0.00",
        "-0.50",
        "0.012",
    ]
