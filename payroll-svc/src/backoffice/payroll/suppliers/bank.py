"""The rules for bank details a pain.001 bank file can carry: the supplier's (checked when it is added) and the
company's own (``COMPANY_NAME``, ``COMPANY_IBAN``, ``COMPANY_BIC``, checked when the service starts).

Each check returns the value as stored (the IBAN and BIC compact, upper case) or raises ``ValueError`` with a
message saying what is wrong and what to give instead.
"""

from __future__ import annotations

import re

from schwifty import BIC, IBAN
from schwifty.exceptions import SchwiftyException
from text_unidecode import unidecode  # what sepaxml writes names with

# BICIdentifier of the pain.001.001.03 schema: stricter than a BIC library, which also takes test BICs (a
# location code starting with 0) and passive participants' (starting with 1), and a location code ending in O.
SCHEMA_BIC = re.compile(r"[A-Z]{6,6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3,3}){0,1}")


def bank_file_name(name: str) -> str:
    """The name as a bank file carries it: sepaxml writes names transliterated to Latin characters."""
    return str(unidecode(name))[:70].strip()


def checked_name(name: str) -> str:
    """``name`` if a bank file can carry it (some Latin letter or digit once transliterated); else ValueError."""
    written = bank_file_name(name)
    if not any(c.isascii() and c.isalnum() for c in written):
        raise ValueError(
            f"a bank transfer gives names in Latin letters, and {name!r} has no letter or digit once written so "
            f"({written!r}): give the name as the bank knows it"
        )
    return name


def checked_iban(iban: str) -> str:
    """The IBAN without spaces, if its check digits are right; else ValueError."""
    try:
        return str(IBAN(iban).compact)
    except SchwiftyException as exc:
        raise ValueError(f"{iban!r} is not a valid IBAN ({exc})") from None


def checked_bic(bic: str) -> str:
    """The BIC as a bank file writes it, if valid; else ValueError."""
    try:
        compact = str(BIC(bic).compact)
    except SchwiftyException as exc:
        raise ValueError(f"{bic!r} is not a valid BIC ({exc})") from None
    if not SCHEMA_BIC.fullmatch(compact) and not compact[:6].isalpha():
        raise ValueError(f"{compact!r} cannot be written in a bank file: its first six characters must be letters")
    if not SCHEMA_BIC.fullmatch(compact):
        raise ValueError(
            f"{compact!r} cannot be written in a bank file: ISO 20022 pain.001 refuses its location code "
            f"{compact[6:8]!r} (characters 7 and 8: the 7th a letter or 2-9, the 8th not the letter O; 0 and 1 mark "
            "test and passive BICs); give the BIC the bank is paid through"
        )
    return compact
