"""Schemathesis over every operation of the merged OpenAPI, through the gateway, signed in as an admin.

Each operation gets a few generated requests (valid and invalid ones, derandomized so that a CI run repeats the
last one), and every answer must: not be a 5xx, have a status the operation declares (every operation declares a
problem+json ``default``), have the declared content type, and match the declared schema.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from backoffice.testing import Stack
from fuzzkit import EXCLUDED_PATHS, Person
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

# Bounded for CI: about 240 operations x this many examples, in a few minutes per database.
MAX_EXAMPLES = int(os.environ.get("BACKOFFICE_FUZZ_EXAMPLES", "6"))
NEGATIVE_EXAMPLES = max(1, MAX_EXAMPLES // 2)


@pytest.fixture(scope="session")
def merged_schema(stack: Stack, admin: Person) -> Any:
    schema = schemathesis.openapi.from_url(f"{stack.gateway_url}/openapi.json", timeout=60)
    schema.config.generation.update(max_examples=MAX_EXAMPLES, deterministic=True)
    return schema.exclude(path=EXCLUDED_PATHS)


SERVICES = ["gateway", "hr", "payroll", "helpdesk", "docs"]
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def _service_of(path: str) -> str:
    parts = path.split("/")
    return parts[2] if len(parts) > 2 and parts[1] == "api" else "gateway"


def _fuzz(operation: Any, mode: GenerationMode, examples: int, admin: Person) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        derandomize=True,  # the same requests on every run: a CI failure repeats
        database=None,
        phases=[Phase.explicit, Phase.generate],  # no shrinking: the first failing request is reported as is
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        case.call_and_validate(headers=admin.headers(), timeout=60, checks=CHECKS)

    run()


@pytest.mark.timeout(900)
@pytest.mark.parametrize("service", SERVICES)
def test_every_operation(service: str, merged_schema: Any, admin: Person) -> None:
    """Positive then negative requests for each of the service's operations; every failure is listed at the end."""
    failures: list[str] = []
    operations = [result.ok() for result in merged_schema.get_all_operations()]
    mine = [op for op in operations if _service_of(op.path) == service]
    assert mine, f"no operation of {service} in the merged OpenAPI"
    for operation in mine:
        for mode, examples in ((GenerationMode.POSITIVE, MAX_EXAMPLES), (GenerationMode.NEGATIVE, NEGATIVE_EXAMPLES)):
            try:
                _fuzz(operation, mode, examples, admin)
            except Unsatisfiable:
                continue  # nothing to make invalid: the operation takes no input
            except (Exception, BaseExceptionGroup) as exc:  # a failed check, or an unexpected error: both are findings
                failures.append(f"{operation.method.upper()} {operation.path} ({mode.value}):\n{exc}")
                break
    assert not failures, f"{len(failures)} of {len(mine)} operations failed:\n\n" + "\n\n".join(failures)
