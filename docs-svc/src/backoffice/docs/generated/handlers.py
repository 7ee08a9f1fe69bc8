"""The events docs-svc consumes: HR's people (names and e-mails for letters), and each event that becomes a
document (a hire's folder and contract letter, payslips, the payroll register, the fair-pay register, warning and
termination letters, remittance advices, call messages), and the gateway's password resets, told to the login's
owner."""

from __future__ import annotations

from datetime import datetime, tzinfo
from typing import Any

from backoffice.docs.context import Context
from backoffice.docs.deliveries.models import Channel
from backoffice.docs.documents.schemas import MAX_TAG
from backoffice.docs.folders.service import ensure_folder
from backoffice.docs.generated.service import SYSTEM, Letter, generate
from backoffice.docs.people.models import Person
from backoffice.docs.people.service import person, remember
from backoffice.docs.settings import DocsSettings
from backoffice.docs.storage import storage_for
from backoffice.shared.bus import Envelope, EventHandler
from backoffice.shared.events import gateway, helpdesk, hr, payroll
from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

EMPLOYEES_FOLDER = "Employees"
PAY_REGISTER_FOLDER = "Pay register"
# Fair pay: the register's figures by sex are for the people who answer for equal pay, not for all of payroll's staff.
PAY_REGISTER_ROLES = ["hr", "payroll", "pay_auditor"]
# The notice names the issuer as the gateway's event does; an event from before names were carried names the office.
RESET_ISSUER = "an administrator or HR officer"


def addressed(who: Person | None) -> list[tuple[Channel, str, str | None]]:
    """Where an employee's letters go: their e-mail, when HR's events told us one."""
    return [("email", who.email, who.name)] if who and who.email else []


def call_message_text(data: helpdesk.CallMessageTaken, zone: tzinfo) -> str:
    """The e-mail of a call message says it all, so it is read on a phone without opening the PDF."""
    caller = data.caller_name + (f" ({data.caller_number})" if data.caller_number else "")
    taken = data.taken_at.astimezone(zone)
    lines = [f"Message for {data.for_name} from {caller}, taken at {taken:%Y-%m-%d %H:%M %Z}:", "", data.body]
    if data.callback_requested:
        lines += ["", "Please call back."]
    return "\n".join(lines)


def reset_notice_text(login: str, issuer: str, issued_at: str, expires_at: str) -> str:
    """The e-mail says it all (it is read on a phone); the token is never in it."""
    return "\n".join(
        [
            f"A password reset was issued for your login {login} by {issuer} at {issued_at}.",
            f"It is valid until {expires_at}.",
            "",
            "If you did not ask for it, tell HR or IT at once: someone may be trying to take over your account.",
        ]
    )


class _Letters:
    """The handlers of the events that become letters, sharing the settings and the storage."""

    def __init__(self, settings: DocsSettings) -> None:
        self.settings = settings
        self.ctx = Context(settings=settings, storage=storage_for(settings))

    def base(self, data: BaseModel) -> dict[str, Any]:
        """What every letter's template reads: the event's data, the company's name and today's date."""
        return {
            **data.model_dump(mode="json"),
            "company": self.settings.company_name,
            "today": datetime.now(self.settings.timezone).date().isoformat(),
        }

    async def on_hired(self, session: AsyncSession, envelope: Envelope, data: hr.EmployeeHired) -> None:
        who = await remember(session, data)
        # Each employee has a folder; the contract letter is the first thing in it.
        folder = await ensure_folder(session, [EMPLOYEES_FOLDER, f"{who.name} ({data.employee_id})"], by=SYSTEM)
        letter = Letter(
            kind="contract_letter",
            title=f"Employment contract, {who.name}, from {data.start_date.isoformat()}",
            doc_type="contract",
            context=self.base(data),
            employee_id=data.employee_id,
            folder_id=folder.id,
            roles=["hr"],
            recipients=addressed(who),
        )
        await generate(session, self.ctx, envelope, letter)

    async def on_updated(self, session: AsyncSession, envelope: Envelope, data: hr.EmployeeUpdated) -> None:
        await remember(session, data)

    async def on_payslip(self, session: AsyncSession, envelope: Envelope, data: payroll.PayslipIssued) -> None:
        who = await person(session, data.employee_id)
        letter = Letter(
            kind="payslip",
            title=f"Payslip {data.period_start.isoformat()} to {data.period_end.isoformat()}, {data.employee_name}",
            doc_type="payslip",
            context=self.base(data),
            employee_id=data.employee_id,
            roles=["payroll"],
            # The console finds a payslip's PDF by this tag (`?type=payslip&tag=payslip:<id>`).
            tags=[tag] if len(tag := f"payslip:{data.payslip_id}") <= MAX_TAG else [],
            recipients=addressed(who),
        )
        await generate(session, self.ctx, envelope, letter)

    async def on_payrun(self, session: AsyncSession, envelope: Envelope, data: payroll.PayrunCompleted) -> None:
        letter = Letter(
            kind="payroll_register",
            title=f"Payroll register {data.pay_group}, {data.period_start} to {data.period_end}",
            doc_type="payroll_register",
            context=self.base(data),
            roles=["payroll"],
        )
        await generate(session, self.ctx, envelope, letter)

    async def on_pay_register(self, session: AsyncSession, envelope: Envelope, data: payroll.PayRegisterFiled) -> None:
        folder = await ensure_folder(session, [PAY_REGISTER_FOLDER], by=SYSTEM)
        tags = ["pay-register", f"register:{data.register_id}"]
        letter = Letter(
            kind="pay_register",
            title=f"Pay register {data.period_start.isoformat()} to {data.period_end.isoformat()}",
            doc_type="pay_register",
            context=self.base(data),
            folder_id=folder.id,
            roles=PAY_REGISTER_ROLES,
            # The console finds the register's PDF by its tag (`?type=pay_register&tag=register:<id>`).
            tags=[tag for tag in tags if len(tag) <= MAX_TAG],
        )
        await generate(session, self.ctx, envelope, letter)

    async def hr_letter(
        self,
        session: AsyncSession,
        envelope: Envelope,
        data: hr.WarningIssued | hr.EmployeeTerminated,
        kind: str,
        title: str,
    ) -> None:
        """A letter from HR to an employee; ``title`` may name them as ``{name}``."""
        who = await person(session, data.employee_id)
        name = who.name if who else data.employee_id
        letter = Letter(
            kind=kind,
            title=title.format(name=name),
            doc_type=kind,
            context={**self.base(data), "employee_name": name},
            employee_id=data.employee_id,
            roles=["hr"],
            recipients=addressed(who),
        )
        await generate(session, self.ctx, envelope, letter)

    async def on_warning(self, session: AsyncSession, envelope: Envelope, data: hr.WarningIssued) -> None:
        title = f"Warning letter ({data.category}, {data.occurred_on.isoformat()}), {{name}}"
        await self.hr_letter(session, envelope, data, "warning_letter", title)

    async def on_terminated(self, session: AsyncSession, envelope: Envelope, data: hr.EmployeeTerminated) -> None:
        title = f"Termination letter, {{name}}, effective {data.effective_date.isoformat()}"
        await self.hr_letter(session, envelope, data, "termination_letter", title)

    async def on_supplier_paid(
        self, session: AsyncSession, envelope: Envelope, data: payroll.SupplierPaymentMade
    ) -> None:
        recipients: list[tuple[Channel, str, str | None]] = []
        if data.email:
            recipients.append(("email", data.email, data.supplier_name))
        if data.fax:
            recipients.append(("fax", data.fax, data.supplier_name))
        letter = Letter(
            kind="remittance_advice",
            title=f"Remittance advice {data.end_to_end_id}, {data.supplier_name}",
            doc_type="remittance_advice",
            context=self.base(data),
            supplier_id=data.supplier_id,
            roles=["payroll"],
            recipients=recipients,
        )
        await generate(session, self.ctx, envelope, letter)

    async def on_call_message(self, session: AsyncSession, envelope: Envelope, data: helpdesk.CallMessageTaken) -> None:
        letter = Letter(
            kind="call_message",
            title=f"Message from {data.caller_name} for {data.for_name}",
            doc_type="call_message",
            context=self.base(data),
            employee_id=data.for_employee_id,
            roles=["office"],
            recipients=[("email", data.for_email, data.for_name)] if data.for_email else [],
            message=call_message_text(data, self.settings.timezone),
        )
        await generate(session, self.ctx, envelope, letter)

    async def on_password_reset(
        self, session: AsyncSession, envelope: Envelope, data: gateway.PasswordResetIssued
    ) -> None:
        who = await person(session, data.employee_id)
        name = who.name if who else data.login
        issued_at = f"{envelope.occurred_at.astimezone(self.settings.timezone):%Y-%m-%d %H:%M %Z}"
        expires_at = f"{data.expires_at.astimezone(self.settings.timezone):%Y-%m-%d %H:%M %Z}"
        issuer = data.issued_by_name or RESET_ISSUER
        letter = Letter(
            kind="password_reset_notice",
            title=f"Password reset issued for your login {data.login}",
            doc_type="password_reset_notice",
            context={
                **self.base(data),
                "employee_name": name,
                "issued_by_name": issuer,
                "issued_at": issued_at,
                "expires_at": expires_at,
            },
            employee_id=data.employee_id,
            roles=[],  # the owner (as the linked employee) and admins only
            recipients=[("email", data.email, name)],
            message=reset_notice_text(data.login, issuer, issued_at, expires_at),
            always_send=True,  # a security notice, whatever AUTO_SEND_TYPES says
        )
        await generate(session, self.ctx, envelope, letter)


def handlers(settings: DocsSettings) -> list[EventHandler]:
    letters = _Letters(settings)
    return [
        EventHandler.on(hr.EmployeeHired, letters.on_hired, does="the name and e-mail letters use"),
        EventHandler.on(hr.EmployeeUpdated, letters.on_updated, does="name and e-mail"),
        EventHandler.on(
            payroll.PayslipIssued,
            letters.on_payslip,
            does="renders the PDF, files it for the employee, e-mails it when configured",
        ),
        EventHandler.on(payroll.PayrunCompleted, letters.on_payrun, does="files the payroll register"),
        EventHandler.on(
            payroll.PayRegisterFiled,
            letters.on_pay_register,
            does="files the pay register's PDF in the folder `Pay register` (hr, payroll, pay_auditor)",
        ),
        EventHandler.on(hr.WarningIssued, letters.on_warning, does="files the warning letter"),
        EventHandler.on(hr.EmployeeTerminated, letters.on_terminated, does="files the termination letter"),
        EventHandler.on(
            payroll.SupplierPaymentMade,
            letters.on_supplier_paid,
            does="files the remittance advice and sends it by e-mail and fax when configured",
        ),
        EventHandler.on(
            helpdesk.CallMessageTaken,
            letters.on_call_message,
            does="files the message for its recipient and e-mails it when configured",
        ),
        EventHandler.on(
            gateway.PasswordResetIssued,
            letters.on_password_reset,
            does="files a `password_reset_notice` for the login's employee (readable by them and admins only) and "
            "e-mails it to the login's e-mail at once, whatever `AUTO_SEND_TYPES` says",
        ),
    ]
