"""``python -m backoffice.gateway create-admin|seed-demo``: the first logins of a new suite."""

from __future__ import annotations

import argparse
import asyncio
import getpass
import os
import secrets
import sys

from backoffice.gateway.identity import service
from backoffice.gateway.identity.models import User
from backoffice.gateway.settings import GatewaySettings
from backoffice.shared.errors import Problem
from backoffice.shared.migrations import upgrade
from backoffice.shared.service import make_database
from backoffice.shared.settings import load_settings
from sqlalchemy import func, select

DEMO_FILE = "demo-logins.txt"


async def _create(settings: GatewaySettings, login: str, email: str, password: str, migrations_dir: object) -> str:
    db = make_database(settings)
    try:
        await db.wait_until_reachable(settings.db_connect_timeout_s)
        await upgrade(db, migrations_dir)  # type: ignore[arg-type]
        async with db.session() as session:
            user = await service.create_user(
                session, settings, login=login, email=email, roles=["admin"], password=password, actor="cli"
            )
            return user.id
    finally:
        await db.dispose()


async def _user_count(settings: GatewaySettings, migrations_dir: object) -> int:
    db = make_database(settings)
    try:
        await db.wait_until_reachable(settings.db_connect_timeout_s)
        await upgrade(db, migrations_dir)  # type: ignore[arg-type]
        async with db.session(write=False) as session:
            return int(await session.scalar(select(func.count()).select_from(User)) or 0)
    finally:
        await db.dispose()


def run(argv: list[str], migrations_dir: object) -> int:
    """The ``create-admin`` command: parse ``argv``, make the login, return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m backoffice.gateway")
    sub = parser.add_subparsers(dest="command", required=True)
    create = sub.add_parser("create-admin", help="create a login with the admin role")
    create.add_argument("--login", required=True)
    create.add_argument("--email", required=True)
    create.add_argument(
        "--password-stdin",
        action="store_true",
        help="read the password from standard input (else BACKOFFICE_ADMIN_PASSWORD, else a prompt)",
    )
    sub.add_parser("seed-demo", help="development only: create a demo admin when there is no login yet")
    args = parser.parse_args(argv)
    settings: GatewaySettings = load_settings(GatewaySettings)

    if args.command == "create-admin":
        if args.password_stdin:
            password = sys.stdin.readline().rstrip("\n")
        else:
            password = os.environ.get("BACKOFFICE_ADMIN_PASSWORD") or (
                getpass.getpass("password for the new admin: ") if sys.stdin.isatty() else ""
            )
        if not password:
            print(
                "create-admin: give a password (--password-stdin, BACKOFFICE_ADMIN_PASSWORD or the prompt)",
                file=sys.stderr,
            )
            return 2
        try:
            user_id = asyncio.run(_create(settings, args.login, args.email, password, migrations_dir))
        except Problem as exc:
            print(f"create-admin: {exc.detail}", file=sys.stderr)
            return 1
        print(f"admin {args.login} created (user id {user_id})")
        return 0

    if settings.env == "production":
        print("seed-demo: refused in production", file=sys.stderr)
        return 2
    if asyncio.run(_user_count(settings, migrations_dir)) > 0:
        print("seed-demo: logins exist already; nothing to do")
        return 0
    password = secrets.token_urlsafe(12)
    asyncio.run(_create(settings, "admin", "admin@backoffice.invalid", password, migrations_dir))
    path = settings.var_dir / DEMO_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"admin {password}\n")
    path.chmod(0o600)
    print(f"demo login: admin / {password} (kept in {path})")
    return 0
