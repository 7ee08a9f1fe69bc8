"""Events produced by the gateway (stream ``GATEWAY``, subjects ``gateway.>``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict

USER_PROVISIONED = "gateway.user_provisioned"
USER_DISABLED = "gateway.user_disabled"


class UserProvisioned(BaseModel):
    """``gateway.user_provisioned`` v1: a login exists for an employee and awaits activation."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str
    employee_id: str | None
    login: str
    email: str
    roles: list[str]
    activation_expires_at: datetime | None


class UserDisabled(BaseModel):
    """``gateway.user_disabled`` v1: a login can no longer be used."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str
    employee_id: str | None
    reason: str
    disabled_at: datetime
