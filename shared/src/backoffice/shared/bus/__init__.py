"""The event bus: envelope, JetStream connection, outbox relay, inbox consumers and dead letters."""

from backoffice.shared.bus.connection import (
    DLQ_STREAM,
    DLQ_SUBJECTS,
    EventBus,
    NatsUnreachableError,
    StreamRefusedError,
)
from backoffice.shared.bus.consumer import ConsumerRunner, EventHandler, PermanentEventError, deliver
from backoffice.shared.bus.emit import Emitter
from backoffice.shared.bus.envelope import Envelope
from backoffice.shared.bus.outbox import OutboxRelay, outbox_backlog, record_event, record_events
from backoffice.shared.bus.tables import bus_metadata, dead_letters, inbox, outbox

__all__ = [
    "DLQ_STREAM",
    "DLQ_SUBJECTS",
    "ConsumerRunner",
    "Emitter",
    "Envelope",
    "EventBus",
    "EventHandler",
    "NatsUnreachableError",
    "OutboxRelay",
    "PermanentEventError",
    "StreamRefusedError",
    "bus_metadata",
    "dead_letters",
    "deliver",
    "inbox",
    "outbox",
    "outbox_backlog",
    "record_event",
    "record_events",
]
