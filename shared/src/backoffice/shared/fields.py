"""Field types the request schemas of every service share."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from pydantic import BeforeValidator, Field

T = TypeVar("T")


def _refuse_null(value: Any) -> Any:
    if value is None:
        raise ValueError("leave the field out to keep its value; it cannot be null")
    return value


def _no_default(schema: dict[str, Any]) -> None:
    # The schema says what a client may send: a value of the type, or nothing; not a null default.
    schema.pop("default", None)


if TYPE_CHECKING:
    Omittable = Annotated[T | None, ...]
else:
    Omittable = Annotated[T, BeforeValidator(_refuse_null), Field(json_schema_extra=_no_default)]
"""A field of a partial update that may be left out (then it is ``None`` and stays as it is) but never sent as
``null``, because the record cannot be without it: ``email: Omittable[EmailStr] = None``. The OpenAPI shows the
plain type, and a ``null`` is a 422 naming the field."""
