"""E-mail addresses as the API takes them: pydantic's ``EmailStr`` (email-validator), which refuses the special-use
domains (``.test``, ``.invalid``, ``.localhost``, ``.local``, ``.onion``, ``.arpa``; RFC 6761) and a domain without
a period. ``format: email`` does not say so; ``Email`` states it in the description with a pattern."""

from __future__ import annotations

from typing import Annotated

from pydantic import EmailStr, Field


def _any_case(word: str) -> str:
    return "".join(f"[{c.lower()}{c.upper()}]" for c in word)


SPECIAL_USE_DOMAINS = ("arpa", "invalid", "local", "localhost", "onion", "test")
# Also as email-validator reads the domain: it has a period, and its last label ends with a letter.
EMAIL_PATTERN = (
    r"^(?!.*[@.](?:" + "|".join(_any_case(d) for d in SPECIAL_USE_DOMAINS) + r")\.?$)[^@]+@[^@]+\.[^@.]*[A-Za-z]$"
)

Email = Annotated[
    EmailStr,
    Field(json_schema_extra={"pattern": EMAIL_PATTERN}, description="an e-mail address outside special-use domains"),
]
"""An e-mail address; one in a special-use domain (``a@b.test``) is refused, and the description says so."""
