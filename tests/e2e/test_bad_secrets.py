"""Bad input to a container (``--stack=docker`` only): a service whose secret file is missing, or which is given
the demo company's bank account in production, exits at once with one line naming the setting, never a traceback
(Compose then starts it again by its restart policy, ``unless-stopped``, checked in tests/test_deployment.py)."""

from __future__ import annotations

import pytest
from backoffice.testing import Stack
from backoffice.testing.stack import compose


@pytest.mark.parametrize(
    ("setting", "value", "named"),
    [
        ("BACKOFFICE_ADMIN_TOKEN_FILE", "/run/secrets/nothing-here", "BACKOFFICE_ADMIN_TOKEN"),
        ("BACKOFFICE_PAYROLL_COMPANY_IBAN", "DE89370400440532013000", "BACKOFFICE_PAYROLL_COMPANY_IBAN"),
        ("BACKOFFICE_PAYROLL_COMPANY_IBAN", "not-an-iban", "BACKOFFICE_PAYROLL_COMPANY_IBAN"),
    ],
)
def test_a_service_with_a_bad_setting_exits_with_one_line(stack: Stack, setting: str, value: str, named: str) -> None:
    if stack.mode != "docker":
        pytest.skip("starts a container: --stack=docker only")
    # A one-off payroll container beside the running stack, with the setting broken.
    ran = compose("run", "--rm", "--no-deps", "-T", "-e", f"{setting}={value}", "payroll", timeout=45)
    assert ran.returncode != 0, ran.stdout[-2000:]
    said = [line for line in (ran.stdout + ran.stderr).splitlines() if line.strip() and "Container" not in line]
    assert "Traceback" not in ran.stdout + ran.stderr, said
    assert any(named in line for line in said), said
    assert len(said) <= 2, said  # the one line (and, at most, Compose's own word about the exit)
