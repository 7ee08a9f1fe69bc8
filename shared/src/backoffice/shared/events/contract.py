"""The base of every event contract: a pydantic model of an event's ``data`` that knows its type.

A contract names its event type, version and subject once, as class variables, and the envelope, the emitter,
the consumers and the catalogue in docs/EVENTS.md read them from there::

    class EmployeeHired(Contract):
        TYPE = "hr.employee_hired"
        SUBJECT = "the employee id"
        PRODUCED_BY = "hr (`POST /employees`)"

        employee_id: str

Consumers ignore fields they do not know (``extra="ignore"``) and a contract is immutable. A breaking change is
a new contract class with ``VERSION = 2`` published beside the old one.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class Part(BaseModel):
    """A structure inside an event's data (a payslip line, a time entry): same rules as a contract, no type."""

    model_config = ConfigDict(extra="ignore", frozen=True)


class Contract(Part):
    """The data of one event type, with its identity as class variables."""

    TYPE: ClassVar[str]
    """The event type, which is also the NATS subject: ``<producer>.<what_happened>``."""
    VERSION: ClassVar[int] = 1
    SUBJECT: ClassVar[str] = ""
    """What the envelope's ``subject`` holds (e.g. "the employee id")."""
    PRODUCED_BY: ClassVar[str] = ""
    """Which service publishes it and on which action (for the catalogue)."""

    @classmethod
    def stream(cls) -> str:
        """The JetStream stream holding this type: its producer's name in capitals (``HR`` for ``hr.*``)."""
        return cls.TYPE.split(".", 1)[0].upper()

    @classmethod
    def all(cls) -> list[type[Contract]]:
        """Every contract class defined (imported) so far, ordered by type."""
        found: list[type[Contract]] = []
        pending: list[type[Contract]] = list(cls.__subclasses__())
        while pending:
            klass = pending.pop()
            pending.extend(klass.__subclasses__())
            if "TYPE" in vars(klass):
                found.append(klass)
        return sorted(found, key=lambda c: (c.TYPE, c.VERSION))
