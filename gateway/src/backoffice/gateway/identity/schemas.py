from __future__ import annotations

from datetime import datetime
from typing import Literal

from backoffice.shared.auth import PERSON_ROLES
from backoffice.shared.paging import Page
from pydantic import BaseModel, ConfigDict, EmailStr, Field

Role = Literal[PERSON_ROLES]  # type: ignore[valid-type]


class LoginRequest(BaseModel):
    login: str = Field(min_length=1, max_length=120)
    password: str = Field(min_length=1, max_length=1024)


class RefreshRequest(BaseModel):
    refresh_token: str = Field(min_length=10, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_in: int = Field(description="seconds until the access token expires")
    refresh_token: str
    refresh_expires_in: int


class PasswordChange(BaseModel):
    current_password: str = Field(min_length=1, max_length=1024)
    new_password: str = Field(min_length=1, max_length=1024)


class Activation(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class PasswordReset(BaseModel):
    token: str = Field(min_length=10, max_length=200)
    password: str = Field(min_length=1, max_length=1024)


class PasswordResetToken(BaseModel):
    user_id: str
    token: str = Field(description="give it to the login's owner; it works once")
    expires_at: datetime


class ActivationToken(BaseModel):
    user_id: str
    token: str = Field(description="give it to the employee; it works once")
    expires_at: datetime


class UserCreate(BaseModel):
    login: str = Field(min_length=3, max_length=120, pattern=r"^[A-Za-z0-9._@+-]+$")
    email: EmailStr
    roles: list[Role] = Field(min_length=1)
    employee_id: str | None = Field(default=None, min_length=1, max_length=64)
    name: str | None = Field(
        default=None,
        min_length=1,
        max_length=200,
        description="the person's display name, shown wherever they acted (default: the login; a hired employee's "
        "comes from HR)",
    )
    password: str | None = Field(default=None, max_length=1024, description="omit to send an activation token")


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    login: str
    email: str
    name: str = Field(description="the display name: the employee's name from HR, else the one given, else the login")
    roles: list[str]
    employee_id: str | None
    active: bool
    activated: bool
    disable_at: datetime | None
    disabled_reason: str | None = Field(default=None, description="why the login was disabled, while it is")
    created_at: datetime


class UserUpdate(BaseModel):
    """An admin's change to a login: its roles, or whether it may sign in (absent fields stay as they are)."""

    roles: list[Role] | None = Field(default=None, min_length=1, description="the login's roles from now on")
    active: bool | None = Field(default=None, description="false disables the login at once, true enables it again")


class UserPage(Page[UserRead]):
    """One page of logins."""
