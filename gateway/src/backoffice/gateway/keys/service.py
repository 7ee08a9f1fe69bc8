"""Signing keys: the newest key signs, retired keys keep verifying until their last token expires.

Keys live in the gateway's database (private halves encrypted with ``signing_key_secret``) so every
gateway replica signs and verifies with the same keys.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import logging
import time
from dataclasses import dataclass
from datetime import timedelta
from typing import Annotated, Any

from backoffice.gateway.keys.models import SigningKey
from backoffice.shared.db import Database, utcnow
from backoffice.shared.deps import app_state
from backoffice.shared.ids import new_id
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from fastapi import Depends
from jwt.algorithms import OKPAlgorithm
from sqlalchemy import or_, select, update

log = logging.getLogger("backoffice.gateway.keys")

VERIFY_GRACE = timedelta(seconds=60)


def _fernet(secret: str) -> Fernet:
    return Fernet(base64.urlsafe_b64encode(hashlib.sha256(secret.encode()).digest()))


@dataclass(frozen=True)
class LoadedKey:
    kid: str
    private: Ed25519PrivateKey | None
    public: Ed25519PublicKey
    jwk: dict[str, Any]
    retired: bool


class KeyRing:
    """The keys this gateway signs and verifies with, cached from the database."""

    def __init__(self, db: Database, *, secret: str, access_token_ttl_s: int, max_age_days: int):
        self.db = db
        self.fernet = _fernet(secret)
        self.verify_window = timedelta(seconds=access_token_ttl_s) + VERIFY_GRACE
        self.max_age = timedelta(days=max_age_days)
        self._keys: dict[str, LoadedKey] = {}
        self._current: str | None = None
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    async def load(self) -> None:
        """Read the signing key and every retired key that may still have live tokens."""
        cutoff = utcnow() - self.verify_window
        async with self.db.session(write=False) as session:
            rows = (
                await session.scalars(
                    select(SigningKey)
                    .where(or_(SigningKey.retired_at.is_(None), SigningKey.retired_at > cutoff))
                    .order_by(SigningKey.created_at)
                )
            ).all()
        keys: dict[str, LoadedKey] = {}
        current = None
        for row in rows:
            jwk = json.loads(row.public_jwk)
            public = OKPAlgorithm.from_jwk(jwk)
            assert isinstance(public, Ed25519PublicKey)
            private = None
            if row.retired_at is None:
                try:
                    raw = self.fernet.decrypt(row.private_key_encrypted.encode())
                except InvalidToken:
                    raise RuntimeError(
                        "the signing keys were encrypted with another BACKOFFICE_GATEWAY_SIGNING_KEY_SECRET"
                    ) from None
                loaded = serialization.load_pem_private_key(raw, password=None)
                assert isinstance(loaded, Ed25519PrivateKey)
                private = loaded
                current = row.kid
            keys[row.kid] = LoadedKey(row.kid, private, public, jwk, row.retired_at is not None)
        self._keys, self._current, self._loaded_at = keys, current, time.monotonic()

    async def ensure_current(self) -> None:
        """Make sure a signing key exists and is younger than the maximum age."""
        await self.load()
        async with self.db.session(write=False) as session:
            newest = await session.scalar(
                select(SigningKey.created_at)
                .where(SigningKey.retired_at.is_(None))
                .order_by(SigningKey.created_at.desc())
            )
        if newest is None or utcnow() - newest > self.max_age:
            await self.rotate()

    async def rotate(self) -> str:
        """Create a new signing key and retire the previous one (it still verifies for a while)."""
        private = Ed25519PrivateKey.generate()
        kid = new_id()
        pem = private.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        jwk = json.loads(OKPAlgorithm.to_jwk(private.public_key()))
        jwk.update({"kid": kid, "alg": "EdDSA", "use": "sig"})
        now = utcnow()
        async with self.db.session(write=True) as session:
            await session.execute(update(SigningKey).where(SigningKey.retired_at.is_(None)).values(retired_at=now))
            session.add(
                SigningKey(
                    kid=kid,
                    private_key_encrypted=self.fernet.encrypt(pem).decode(),
                    public_jwk=json.dumps(jwk),
                    created_at=now,
                )
            )
        await self.load()
        return kid

    def signing_key(self) -> tuple[str, Ed25519PrivateKey]:
        if self._current is None:
            raise RuntimeError("no signing key loaded")
        key = self._keys[self._current]
        assert key.private is not None
        return key.kid, key.private

    async def public_key_for(self, kid: str) -> Ed25519PublicKey | None:
        """The public key for ``kid``; reloads once (at most every second) for a key another replica made."""
        key = self._keys.get(kid)
        if key is None and time.monotonic() - self._loaded_at > 1.0:
            async with self._lock:
                if kid not in self._keys and time.monotonic() - self._loaded_at > 1.0:
                    await self.load()
            key = self._keys.get(kid)
        return key.public if key else None

    def jwks(self) -> dict[str, Any]:
        return {"keys": [k.jwk for k in self._keys.values()]}

    async def refresh_periodically(self, interval_s: float = 60.0) -> None:
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.ensure_current()
            except Exception as exc:  # keep serving with the keys we have; the next round retries
                log.warning("could not refresh signing keys: %s", exc)


KeyRingDep = Annotated[KeyRing, Depends(app_state("keyring"))]
