"""Events produced by the gateway (stream ``GATEWAY``, subjects ``gateway.>``)."""

from __future__ import annotations

from datetime import datetime

from backoffice.shared.events.contract import Contract
from pydantic import Field


class UserProvisioned(Contract):
    """A login exists for an employee and awaits activation."""

    TYPE = "gateway.user_provisioned"
    SUBJECT = "the employee id"
    PRODUCED_BY = "gateway"

    user_id: str
    employee_id: str | None
    login: str
    email: str
    roles: list[str]
    activation_expires_at: datetime | None
    refused_roles: list[str] = Field(
        default_factory=list, description="roles the hire asked for that its author may not grant (not given)"
    )


class UserDisabled(Contract):
    """A login can no longer be used."""

    TYPE = "gateway.user_disabled"
    SUBJECT = "the employee id (the user id for a login of no employee)"
    PRODUCED_BY = "gateway"

    user_id: str
    employee_id: str | None
    reason: str
    disabled_at: datetime


class PasswordResetIssued(Contract):
    """Someone was handed a token that sets this login's password.

    The owner is told (the e-mail is in the event, the token never): a reset they did not ask for is a takeover
    attempt to report."""

    TYPE = "gateway.password_reset_issued"
    SUBJECT = "the employee id (the user id for a login of no employee)"
    PRODUCED_BY = "gateway (`POST /auth/users/{id}/password-reset`)"

    user_id: str
    employee_id: str | None
    login: str
    email: str
    issued_by: str = Field(description="user id of the HR officer or admin who issued it")
    issued_by_name: str | None = Field(default=None, description="their display name (absent from older events)")
    issued_by_employee_id: str | None = Field(default=None, description="the employee they are, if any")
    expires_at: datetime
