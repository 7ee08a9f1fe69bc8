"""Argon2id password hashes, computed off the event loop (each takes tens of milliseconds)."""

from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

_hasher = PasswordHasher()
# Verified against when the login does not exist, so a wrong login costs as much as a wrong password.
_DUMMY_HASH = _hasher.hash("backoffice-timing-equaliser")


async def hash_password(password: str) -> str:
    """The argon2id hash of ``password``, computed off the event loop."""
    return await asyncio.to_thread(_hasher.hash, password)


async def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether ``password`` matches ``password_hash``; a login without one takes as long and never matches."""

    def check() -> bool:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
        except (VerificationError, InvalidHashError):
            return False

    return await asyncio.to_thread(check)
