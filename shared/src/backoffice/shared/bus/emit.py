"""Publishing a service's events: one ``Emitter`` per service, with its source bound once.

In a service (``backoffice/hr/events.py``)::

    emit = Emitter("hr")

and in its domains, inside the transaction of the change::

    await emit(session, EmployeeHired(...), subject=employee.id)

The event is stored in the outbox with the change and published after commit (see ``outbox``).
"""

from __future__ import annotations

from collections.abc import Iterable

from backoffice.shared.bus.envelope import Envelope
from backoffice.shared.bus.outbox import record_event, record_events
from backoffice.shared.events.contract import Contract
from sqlalchemy.ext.asyncio import AsyncSession


class Emitter:
    """Records the events of one service (``source``) in the caller's transaction."""

    def __init__(self, source: str):
        self.source = source

    def envelope(self, contract: Contract, *, subject: str, caused_by: Envelope | None = None) -> Envelope:
        """The envelope of ``contract`` from this service, without storing it (for ``many``)."""
        return Envelope.of(contract, source=self.source, subject=subject, caused_by=caused_by)

    async def __call__(
        self, session: AsyncSession, contract: Contract, *, subject: str, caused_by: Envelope | None = None
    ) -> Envelope:
        """Store one event in the outbox of ``session``'s transaction; it is published after commit."""
        return await record_event(session, self.envelope(contract, subject=subject, caused_by=caused_by))

    async def many(
        self, session: AsyncSession, events: Iterable[tuple[Contract, str]], *, caused_by: Envelope | None = None
    ) -> list[Envelope]:
        """Store many events (contract, subject) in one statement, published in this order (a run's payslips)."""
        envelopes = [self.envelope(contract, subject=subject, caused_by=caused_by) for contract, subject in events]
        await record_events(session, envelopes)
        return envelopes
