"""The suite for the end-to-end flows: a real SMTP server (``backoffice.testing.mail``, the one docs-svc's tests
use), docs-svc configured to send through it (and through its e-mail-to-fax gateway), short deadlines so time-based
steps happen by their own mechanism within the test, and a company: the first admin, the HR officer, and staff
hired through HR."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
import pytest
from backoffice.suite.processes import free_port
from backoffice.testing import ADMIN_PASSWORD, Stack, create_admin
from backoffice.testing.mail import PASSWORD as MAIL_PASSWORD
from backoffice.testing.mail import USER as MAIL_USER
from backoffice.testing.mail import MailServer, make_certificate
from backoffice.testing.stack import compose
from e2ekit import ACKNOWLEDGE_WITHIN_S, FAX_DOMAIN, PASSWORD, RUN, Backoffice, Company, Mailbox, ok, sign_in, wait_for


@pytest.fixture(scope="session")
def mail_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MailServer]:
    folder = tmp_path_factory.mktemp("smtp")
    cert, key = make_certificate(folder)
    server = MailServer(free_port(), cert, key)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def stack_env(mail_server: MailServer) -> dict[str, str]:
    return {
        # docs-svc sends through the real mail server: STARTTLS with its own certificate, and a login.
        "BACKOFFICE_DOCS_SMTP_HOST": "127.0.0.1",
        "BACKOFFICE_DOCS_SMTP_PORT": str(mail_server.port),
        "BACKOFFICE_DOCS_SMTP_USERNAME": MAIL_USER,
        "BACKOFFICE_DOCS_SMTP_PASSWORD": MAIL_PASSWORD,
        "BACKOFFICE_DOCS_SMTP_CA_FILE": str(mail_server.cert),
        "BACKOFFICE_DOCS_FAX_DOMAIN": FAX_DOMAIN,
        "BACKOFFICE_DOCS_AUTO_SEND_TYPES": json.dumps(
            ["payslip", "warning_letter", "termination_letter", "remittance_advice", "call_message"]
        ),
        "BACKOFFICE_DOCS_DELIVERY_INTERVAL_S": "0.2",
        "BACKOFFICE_DOCS_DELIVERY_BACKOFF_BASE_S": "0.5",
        "BACKOFFICE_DOCS_DELIVERY_BACKOFF_MAX_S": "2",
        # Progressive discipline: the acknowledgement deadline and its check, in seconds rather than days.
        "BACKOFFICE_HR_WARNING_ACKNOWLEDGEMENT_DAYS": f"{ACKNOWLEDGE_WITHIN_S / 86400:.10f}",
        "BACKOFFICE_HR_DISCIPLINE_CHECK_INTERVAL_S": "0.5",
        # Every person of the flows signs in from 127.0.0.1: the per-address limit of /auth/ is raised so that a
        # dozen hires and activations in a minute are not throttled (the per-login failure limit is unchanged).
        "BACKOFFICE_GATEWAY_RATE_LIMITS": json.dumps(
            [
                {"prefix": "/api/", "per_user": "1200/minute", "per_address": "2400/minute"},
                {"prefix": "/auth/", "per_address": "1200/minute"},
            ]
        ),
    }


def first_admin(stack: Stack) -> None:
    """The first login, made by the operator with the gateway's ``create-admin`` command (in its container)."""
    if stack.mode == "local":
        create_admin(stack.services["gateway"], "root", ADMIN_PASSWORD)
        return
    made = compose(
        "exec", "-T", "gateway", "python", "-m", "backoffice.gateway", "create-admin",
        "--login", "root", "--email", "root@example.com", "--password-stdin",
        input=ADMIN_PASSWORD + "\n",
    )  # fmt: skip
    assert made.returncode == 0, made.stderr


@pytest.fixture(scope="session")
def mail(stack: Stack, request: pytest.FixtureRequest) -> Mailbox:
    """Where docs-svc's e-mails arrive: the SMTP sink of docker-compose.test.yml, or a server in this process."""
    if stack.mail is not None:
        return stack.mail
    server: MailServer = request.getfixturevalue("mail_server")
    return server


@pytest.fixture(scope="session")
def company(stack: Stack, mail: Mailbox) -> Iterator[Company]:
    first_admin(stack)
    gateway = httpx.Client(base_url=stack.gateway_url, timeout=60)
    admin = sign_in(gateway, "root", ADMIN_PASSWORD)
    # The admin creates the HR officer's login; from then on people arrive by being hired.
    ok(
        admin.post(
            "/auth/users",
            json={"login": f"hr-{RUN}", "email": f"hr.{RUN}@example.com", "roles": ["hr"], "password": PASSWORD},
        ),
        201,
    )
    bo = Backoffice(gateway, admin, sign_in(gateway, f"hr-{RUN}"))
    head_office = bo.department("Head office")
    it = bo.department("IT")
    accounting = bo.department("Accounting")
    manager = bo.hire_and_activate("Maria", "Manager", department_id=head_office, roles=("employee", "manager"))
    agent = bo.hire_and_activate("Ivan", "Agent", department_id=it, roles=("employee", "it_agent"))
    office = bo.hire_and_activate("Olga", "Office", department_id=head_office, roles=("employee", "office"))
    clerk = bo.hire_and_activate("Paula", "Payroll", department_id=accounting, roles=("employee", "payroll"))
    second = bo.hire_and_activate("Pierre", "Payroll", department_id=accounting, roles=("employee", "payroll"))

    # The service desk takes joiners' and leavers' tickets; Ivan leads it (he must be in the directory first).
    desk = ok(
        bo.admin.post(
            "/api/helpdesk/teams",
            json={"name": f"Service desk {RUN}", "categories": ["onboarding", "offboarding"], "is_default": True},
        ),
        201,
    )
    wait_for(
        lambda: (
            bo.admin.post(
                f"/api/helpdesk/teams/{desk['id']}/members", json={"employee_id": agent.employee_id, "is_lead": True}
            ).status_code
            == 200
        ),
        "Ivan to join the service desk",
    )
    yield Company(bo, mail, manager, agent, office, clerk, second)
    gateway.close()
