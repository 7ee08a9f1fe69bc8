"""Events produced by the gateway (stream ``GATEWAY``, subjects ``gateway.>``)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

USER_PROVISIONED = "gateway.user_provisioned"
USER_DISABLED = "gateway.user_disabled"
PASSWORD_RESET_ISSUED = "gateway.password_reset_issued"


class UserProvisioned(BaseModel):
    """``gateway.user_provisioned`` v1: a login exists for an employee and awaits activation."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str
    employee_id: str | None
    login: str
    email: str
    roles: list[str]
    activation_expires_at: datetime | None
    refused_roles: list[str] = Field(
        default_factory=list, description="roles the hire asked for that its author may not grant (not given)"
    )


class UserDisabled(BaseModel):
    """``gateway.user_disabled`` v1: a login can no longer be used."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str
    employee_id: str | None
    reason: str
    disabled_at: datetime


class PasswordResetIssued(BaseModel):
    """``gateway.password_reset_issued`` v1: someone was handed a token that sets this login's password.

    The owner is told (the e-mail is in the event, the token never): a reset they did not ask for is a takeover
    attempt to report.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    user_id: str
    employee_id: str | None
    login: str
    email: str
    issued_by: str = Field(description="user id of the HR officer or admin who issued it")
    issued_by_name: str | None = Field(default=None, description="their display name (absent from older events)")
    issued_by_employee_id: str | None = Field(default=None, description="the employee they are, if any")
    expires_at: datetime
