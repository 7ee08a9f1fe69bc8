"""The public keys (JWKS) and key rotation."""

from __future__ import annotations

from typing import Annotated, Any

from backoffice.gateway.keys.service import KeyRingDep
from backoffice.gateway.limits import limit_auth_requests
from backoffice.shared.auth import Principal, require_roles
from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel

router = APIRouter(tags=["auth"])


class RotationResult(BaseModel):
    kid: str
    previous_keys_verify_for_s: int


@router.get("/.well-known/jwks.json", summary="Public keys that verify access tokens")
async def jwks(keyring: KeyRingDep, response: Response) -> dict[str, Any]:
    response.headers["Cache-Control"] = "public, max-age=60"
    return keyring.jwks()


@router.post(
    "/auth/keys/rotate",
    response_model=RotationResult,
    summary="Start signing with a new key (admin)",
    dependencies=[Depends(limit_auth_requests)],
)
async def rotate(keyring: KeyRingDep, _admin: Annotated[Principal, Depends(require_roles("admin"))]) -> RotationResult:
    kid = await keyring.rotate()
    return RotationResult(kid=kid, previous_keys_verify_for_s=int(keyring.verify_window.total_seconds()))
