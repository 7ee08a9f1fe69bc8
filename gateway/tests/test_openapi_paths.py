"""The merged description states what the gateway's request guard refuses in a path: every path parameter carries
the pattern of one clean segment, and the pattern and the guard agree."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from backoffice.gateway.asgi import normalised_path
from backoffice.gateway.proxy.aggregate import PATH_SEGMENT_PATTERN, merge_openapi
from backoffice.shared.openapi import NO_NUL


def _spec(pattern: str | None = None) -> dict[str, object]:
    schema = {"type": "string"} if pattern is None else {"type": "string", "pattern": pattern}
    parameter = {"name": "item_id", "in": "path", "required": True, "schema": schema}
    operation = {"parameters": [parameter], "responses": {"200": {"description": "ok"}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "t", "version": "1"},
        "paths": {"/items/{item_id}": {"get": operation}},
    }


def test_every_path_parameter_states_the_segment_rule() -> None:
    merged = merge_openapi(_spec(), {"hr": _spec(NO_NUL), "docs": _spec(r"^[0-9]+$")})
    patterns = {path: item["get"]["parameters"][0]["schema"].get("pattern") for path, item in merged["paths"].items()}
    assert patterns == {
        "/items/{item_id}": PATH_SEGMENT_PATTERN,
        "/api/hr/items/{item_id}": PATH_SEGMENT_PATTERN,  # the services' NUL-free pattern says less
        "/api/docs/items/{item_id}": r"^[0-9]+$",  # a pattern of the service's own is kept
    }


@pytest.mark.parametrize("segment", ["abc", "a.b", "...", "é 1", "a%b", ".", "..", "a/b", "a\\b", "\\"])
def test_the_pattern_and_the_guard_agree(segment: str) -> None:
    allowed = re.search(PATH_SEGMENT_PATTERN, segment) is not None
    # A bare "." or ".." is removed as a dot segment (the request reaches another route); encoded, it is refused.
    encoded = quote(segment, safe="").replace(".", "%2E") if set(segment) == {"."} else quote(segment, safe="")
    passed = not isinstance(normalised_path(f"/api/hr/items/{encoded}".encode()), str)
    assert allowed == passed, segment
