from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.helpdesk.equipment.models import AssetStatus
from backoffice.shared.actors import Actor, actor_field
from backoffice.shared.dates import IsoDate
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, Field, model_validator


class AssetCreate(BaseModel):
    tag: str = Field(min_length=1, max_length=40, description="the label on the device")
    type: str = Field(min_length=1, max_length=40, description="laptop, phone, monitor, …")
    serial: str = Field(min_length=1, max_length=100)
    model: str = Field(min_length=1, max_length=200)
    purchase_date: IsoDate | None = None
    warranty_end: IsoDate | None = None
    notes: str | None = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _dates(self) -> AssetCreate:
        if self.purchase_date and self.warranty_end and self.warranty_end < self.purchase_date:
            raise ValueError("warranty_end cannot be before purchase_date")
        return self


class AssetRead(AssetCreate):
    id: str
    status: AssetStatus
    assigned_employee_id: str | None
    assigned_name: str | None
    warranty_expired: bool | None
    created_at: datetime
    updated_at: datetime


class AssetPage(Page[AssetRead]):
    pass


class AssignmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    employee_id: str
    assigned_at: datetime
    assigned_by: str
    assigned_by_actor: Actor | None = actor_field("assigned_by")
    returned_at: datetime | None
    returned_by: str | None
    returned_by_actor: Actor | None = actor_field("returned_by")
    return_condition: str | None


class AssetDetail(AssetRead):
    history: list[AssignmentRead]


class AssetAssignmentCreate(BaseModel):
    employee_id: str = Field(min_length=1, max_length=64)


class AssetReturnCreate(BaseModel):
    condition: str | None = Field(default=None, max_length=200, description="as received back")
    status: Literal["in_stock", "in_repair", "retired"] = "in_stock"


class AssetStatusUpdate(BaseModel):
    status: Literal["in_stock", "in_repair", "retired", "lost"]
    note: str | None = Field(default=None, max_length=2000)
