"""What the deliveries API reads and writes."""

from __future__ import annotations

import re
from datetime import datetime

from backoffice.docs.deliveries.models import Channel, DeliveryStatus
from backoffice.docs.numbers import INT32_MAX
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, EmailStr, Field, TypeAdapter, ValidationError, model_validator

FAX = re.compile(r"^\+?[0-9]{6,15}$")
EMAIL = TypeAdapter(EmailStr)


def fax_digits(number: str) -> str:
    """'+33 (0)1 23-45.67.89' style numbers as the digits a fax gateway expects; ValueError when it is none."""
    cleaned = re.sub(r"[\s().\-/]", "", number.replace("(0)", ""))
    if not FAX.match(cleaned):
        raise ValueError(f"{number!r} is not a fax number: give 6 to 15 digits, with the country code")
    return cleaned.lstrip("+")


class RecipientCreate(BaseModel):
    channel: Channel
    address: str = Field(min_length=1, max_length=320, description="an e-mail address, or a fax number")
    name: str | None = Field(default=None, max_length=200)

    @model_validator(mode="after")
    def _address(self) -> RecipientCreate:
        if self.channel == "email":
            try:
                self.address = str(EMAIL.validate_python(self.address.strip()))
            except ValidationError:
                raise ValueError(f"{self.address!r} is not a valid e-mail address") from None
        else:
            self.address = fax_digits(self.address)
        return self


class DeliveryCreate(BaseModel):
    recipients: list[RecipientCreate] = Field(min_length=1, max_length=50)
    subject: str | None = Field(default=None, max_length=300)
    message: str = Field(default="", max_length=20000)
    version: int | None = Field(default=None, ge=1, le=INT32_MAX, description="the current version if empty")


class DeliveryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    document_id: str
    version: int
    channel: Channel
    recipient: str
    recipient_name: str | None
    subject: str
    requested_by: str = Field(description="the user who asked for it (system: generated and sent automatically)")
    requested_by_actor: Actor | None = actor_field("requested_by")
    status: DeliveryStatus
    attempts: int
    next_attempt_at: datetime
    last_error: str | None
    created_at: datetime
    finished_at: datetime | None


class DeliveryPage(Page[DeliveryRead]):
    """Deliveries, newest first."""
