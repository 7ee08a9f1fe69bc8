"""The event envelope (CloudEvents-like) carried on NATS for every integration event."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from backoffice.shared.ids import new_id
from backoffice.shared.observability import current_correlation_id
from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from backoffice.shared.events.contract import Contract


class Envelope(BaseModel):
    """One integration event. ``type`` is also the NATS subject; consumers ignore unknown fields."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    id: str = Field(min_length=1, max_length=64)
    type: str = Field(pattern=r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$", max_length=200)
    version: int = Field(default=1, ge=1)
    source: str = Field(min_length=1, max_length=64)
    occurred_at: datetime
    correlation_id: str | None = Field(default=None, max_length=200)
    causation_id: str | None = Field(default=None, max_length=200)
    subject: str | None = Field(default=None, max_length=200)
    data: dict[str, Any] = Field(default_factory=dict)

    @field_validator("occurred_at")
    @classmethod
    def _aware(cls, value: datetime) -> datetime:
        if value.tzinfo is None:
            raise ValueError("occurred_at must carry a time zone")
        return value.astimezone(UTC)

    @classmethod
    def new(
        cls,
        type: str,
        *,
        source: str,
        data: dict[str, Any] | BaseModel,
        subject: str | None = None,
        version: int = 1,
        caused_by: Envelope | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        """A new event; correlation comes from the event that caused it or the current request."""
        payload = data.model_dump(mode="json") if isinstance(data, BaseModel) else data
        correlation = correlation_id or (caused_by.correlation_id if caused_by else None) or current_correlation_id()
        return cls(
            id=new_id(),
            type=type,
            version=version,
            source=source,
            occurred_at=datetime.now(UTC),
            correlation_id=correlation,
            causation_id=caused_by.id if caused_by else None,
            subject=subject,
            data=payload,
        )

    @classmethod
    def of(
        cls,
        contract: Contract,
        *,
        source: str,
        subject: str | None = None,
        caused_by: Envelope | None = None,
        correlation_id: str | None = None,
    ) -> Envelope:
        """A new event carrying ``contract``, of its class's type and version."""
        return cls.new(
            type(contract).TYPE,
            source=source,
            data=contract,
            subject=subject,
            version=type(contract).VERSION,
            caused_by=caused_by,
            correlation_id=correlation_id,
        )

    def to_json(self) -> bytes:
        return self.model_dump_json().encode()
