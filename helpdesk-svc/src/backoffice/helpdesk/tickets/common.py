"""What every part of the tickets domain shares: the operations' context, the clock in whole seconds, and how a
ticket is named to people."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from backoffice.helpdesk.settings import HelpdeskSettings
from backoffice.shared.db import is_sqlite, utcnow

REFERENCE_PREFIX = "HD-"


def now_s() -> datetime:
    """The current instant in whole seconds: SLA arithmetic is done in seconds, so every figure shown adds up."""
    return utcnow().replace(microsecond=0)


def reference(number: int) -> str:
    """The ticket's name people say on the phone (``HD-42``)."""
    return f"{REFERENCE_PREFIX}{number}"


def iso(instant: datetime | None) -> str | None:
    """The instant in UTC as ISO 8601 text (for history details), or None."""
    return instant.astimezone(UTC).isoformat() if instant is not None else None


@dataclass
class Context:
    """What ticket operations need besides the session: settings and whether row locks exist."""

    settings: HelpdeskSettings
    is_sqlite: bool

    @classmethod
    def of(cls, settings: HelpdeskSettings) -> Context:
        """The context of the service running with ``settings``."""
        return cls(settings=settings, is_sqlite=is_sqlite(settings.effective_database_url))

    def today(self) -> date:
        """The company's date now."""
        return datetime.now(self.settings.timezone).date()

    def local_date(self, instant: datetime) -> date:
        """The company's date (its time zone's) at ``instant``."""
        return instant.astimezone(self.settings.timezone).date()
