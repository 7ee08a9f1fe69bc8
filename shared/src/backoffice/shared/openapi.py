"""What a service's OpenAPI says about its errors: every one is ``application/problem+json`` (see errors.py).

FastAPI describes only the validation error, and as ``application/json`` with its own ``{"detail": [...]}``
shape, which is not what the services answer. ``describe_problems`` makes the description true: the 422
is a problem with ``errors``, and every operation has a ``default`` response, a problem, for the other
errors any route can give (401, 403, 404, 409, 429, 503, ...).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from backoffice.shared.errors import PROBLEM_JSON
from fastapi import FastAPI
from pydantic.json_schema import GenerateJsonSchema
from pydantic_core import core_schema

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "description": "urn:backoffice:problem:<slug>"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "instance": {"type": "string"},
        "request_id": {"type": "string"},
        "errors": {
            "type": "array",
            "description": "validation errors: one per field at fault",
            "items": {
                "type": "object",
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        },
    },
    "additionalProperties": True,
}
_PROBLEM_CONTENT = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}
_METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")


def problem_openapi(schema: dict[str, Any]) -> dict[str, Any]:
    """``schema`` (changed in place) with the problem responses every operation can give."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Problem"] = PROBLEM_SCHEMA
    for item in schema.get("paths", {}).values():
        for method, operation in item.items():
            if method not in _METHODS or not isinstance(operation, dict):
                continue
            responses = operation.setdefault("responses", {})
            validation = responses.get("422")
            if validation is not None and "HTTPValidationError" in str(validation.get("content", "")):
                responses["422"] = {"description": "Invalid request (each field at fault in errors)"}
                responses["422"]["content"] = _PROBLEM_CONTENT
            responses.setdefault(
                "default", {"description": "An error, as problem details", "content": _PROBLEM_CONTENT}
            )
    schemas = schema["components"]["schemas"]
    for unused in ("HTTPValidationError", "ValidationError"):  # FastAPI's shapes, which no answer has
        if unused in schemas and f'"#/components/schemas/{unused}"' not in json.dumps(schema):
            del schemas[unused]
    return schema


def decimal_pattern(
    *,
    ge: Any = None,
    gt: Any = None,
    le: Any = None,
    lt: Any = None,
    max_digits: int | None = None,
    decimal_places: int | None = None,
) -> str:
    """A pattern for the decimal text a field with these constraints takes (exponents left out). The bounds are in it
    where they can be spelled: a lower bound of zero (included or not) or minus the upper bound, an upper bound that is
    a power of ten; the digits always."""
    low, high = (ge if ge is not None else gt), (le if le is not None else lt)
    integer_digits: int | None = None
    if max_digits is not None:
        integer_digits = max_digits - (decimal_places or 0)
    exactly_high: list[str] = []
    if high is not None and high > 0 and high == 10 ** (exponent := len(str(int(high))) - 1):
        integer_digits = exponent if integer_digits is None else min(integer_digits, exponent)
        if le is not None and (max_digits is None or exponent + 1 <= integer_digits + 1):
            exactly_high = ["1" + "0" * exponent + r"(\.0*)?"]
    unsigned = low is not None and low >= 0
    small = high is not None and le is not None and low is not None and ge is not None and 0 <= low < high <= 9
    if small and low == int(low) and high == int(high):  # a rating, 1 to 5: the first digit holds the bounds
        exactly_high = [f"{int(high)}" + r"(\.0*)?"]
        integer = f"[{int(low)}-{int(high) - 1}]"
    else:
        integer = (
            r"[0-9]+" if integer_digits is None else (rf"[0-9]{{1,{integer_digits}}}" if integer_digits > 0 else "0")
        )
    nonzero = "(?=.*[1-9])" if gt is not None and gt == 0 else ""
    fraction = r"[0-9]*" if decimal_places is None else rf"[0-9]{{0,{decimal_places}}}0*"
    fraction_only = r"[0-9]+" if decimal_places is None else rf"[0-9]{{1,{decimal_places}}}0*"
    below_one = [] if small and low > 0 else [rf"\.{fraction_only}"]
    sign = r"\+?" if unsigned else "[+-]?"
    alternatives = "|".join([rf"{integer}(\.{fraction})?", *below_one, *exactly_high])
    return f"^{nonzero}{sign}0*({alternatives})$"


def _state_decimals() -> None:
    """Decimals are taken as JSON numbers or as text (``"12.50"``, exact), but pydantic describes the text as any
    string and leaves the digits out: ``"abc"``, ``"-5"``, ``"1.234"`` or ``5e-324`` (for cents) would be valid by
    the description and refused by the service. The text gets a pattern with the field's digits and, where they can
    be spelled, its bounds; the number gets the step of its decimal places and the bounds of its digits. FastAPI
    makes pydantic's own schema generator (not a subclass of ours), so its method is wrapped, once."""
    original = GenerateJsonSchema.decimal_schema
    if getattr(original, "states_digits", False):
        return

    def decimal_schema(self: GenerateJsonSchema, schema: core_schema.DecimalSchema) -> Any:
        described = original(self, schema)
        branches = described.get("anyOf") if self.mode == "validation" else None
        if not branches:
            return described
        number = next(b for b in branches if b.get("type") == "number")
        text = next(b for b in branches if b.get("type") == "string")
        places, digits = schema.get("decimal_places"), schema.get("max_digits")
        if places is not None:
            number["multipleOf"] = float(Decimal(1).scaleb(-places))
        if digits is not None:  # fewer than 10**(integer digits)
            limit = 10 ** (digits - (places or 0))
            if "maximum" not in number and "exclusiveMaximum" not in number:
                number["exclusiveMaximum"] = limit
            if "minimum" not in number and "exclusiveMinimum" not in number:
                number["exclusiveMinimum"] = -limit
        text["pattern"] = decimal_pattern(
            ge=schema.get("ge"),
            gt=schema.get("gt"),
            le=schema.get("le"),
            lt=schema.get("lt"),
            max_digits=digits,
            decimal_places=places,
        )
        return described

    decimal_schema.states_digits = True  # type: ignore[attr-defined]
    GenerateJsonSchema.decimal_schema = decimal_schema  # type: ignore[method-assign]


NO_NUL = "^[^\\x00]*$"
_DATA_KEYS = ("default", "example", "examples", "const", "enum")


_NUL_FREE_REF = {"$ref": "#/components/schemas/NulFreeValue"}
NUL_FREE_VALUE: dict[str, Any] = {
    "description": "any JSON value whose text (strings and names) holds no NUL character",
    "anyOf": [
        {"type": "string", "pattern": NO_NUL},
        {"type": ["number", "boolean", "null"]},
        {"type": "array", "items": _NUL_FREE_REF},
        {"type": "object", "propertyNames": {"pattern": NO_NUL}, "additionalProperties": _NUL_FREE_REF},
    ],
}


def refuse_nul_in_text(document: dict[str, Any]) -> dict[str, Any]:
    """``document`` (changed in place) saying that no text of a request holds a NUL character: the services refuse
    one anywhere in a body or URL (see guards.py), since PostgreSQL text cannot store it. Free strings get a pattern
    (one with a pattern, a format or a set of values is left as it is); an object that takes other properties than
    its own says their names and values are NUL-free too."""
    _refuse_nul(document)
    document.setdefault("components", {}).setdefault("schemas", {})["NulFreeValue"] = NUL_FREE_VALUE
    return document


def _refuse_nul(node: Any) -> None:
    if isinstance(node, dict):
        if node.get("type") == "string" and not any(key in node for key in ("pattern", "format", *_DATA_KEYS)):
            node["pattern"] = NO_NUL
        if node.get("type") == "object":
            if node.get("additionalProperties", True) is True:
                node["additionalProperties"] = _NUL_FREE_REF
            if node.get("additionalProperties") is not False:
                node.setdefault("propertyNames", {"pattern": NO_NUL})
        for key, value in node.items():
            if key not in _DATA_KEYS:
                _refuse_nul(value)
    elif isinstance(node, list):
        for item in node:
            _refuse_nul(item)


def describe_problems(app: FastAPI) -> None:
    """Make ``app.openapi()`` describe the problem+json errors the app answers with, and decimal text as it is taken."""
    _state_decimals()
    build = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            app.openapi_schema = refuse_nul_in_text(problem_openapi(build()))
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
