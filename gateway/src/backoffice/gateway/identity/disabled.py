"""Logins that are disabled (terminated, or switched off by an admin) are refused at the gateway at once.

An access token is self-contained and lives a few minutes (``access_token_ttl_s``); without this, a person whose
login was disabled could go on using the API until their last token expired. The gateway keeps the ids of the
logins that may not be used, read from its database every ``disabled_logins_refresh_s`` seconds (so every
replica learns of a change within that time) and at once after it disables logins itself; a request carrying a
token of one of them gets 401 ``login-disabled``, which sends the console back to its sign-in page.
"""

from __future__ import annotations

from backoffice.gateway.identity.models import User
from backoffice.shared.db import Database, utcnow
from backoffice.shared.errors import Problem
from sqlalchemy import or_, select


class DisabledLogins:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids: frozenset[str] = frozenset()

    async def refresh(self) -> None:
        now = utcnow()
        async with self.db.session(write=False) as session:
            rows = await session.scalars(
                select(User.id).where(
                    or_(User.active.is_(False), (User.disable_at.is_not(None)) & (User.disable_at <= now))
                )
            )
            self.ids = frozenset(rows.all())

    def check(self, user_id: str) -> None:
        if user_id in self.ids:
            raise Problem(401, "this login is disabled: its sessions have ended", slug="login-disabled")
