"""TEST ONLY: an SMTP sink (aiosmtpd) writing each accepted message to /mail as JSON: its recipients and its raw
bytes (base64). It refuses nobody@example.com with 550, as the tests' in-process server does."""

import asyncio
import base64
import json
import os
import uuid
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

MAIL_DIR = Path(os.environ.get("SINK_DIR", "/mail"))


class Sink:
    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address == "nobody@example.com":
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = uuid.uuid4().hex
        body = {"recipients": list(envelope.rcpt_tos), "raw": base64.b64encode(envelope.original_content).decode()}
        (MAIL_DIR / f"{name}.tmp").write_text(json.dumps(body))
        (MAIL_DIR / f"{name}.tmp").rename(MAIL_DIR / f"{name}.json")  # readers never see half a message
        return "250 Message accepted for delivery"


async def main() -> None:
    MAIL_DIR.mkdir(parents=True, exist_ok=True)
    controller = Controller(Sink(), hostname="0.0.0.0", port=25)
    controller.start()
    print("smtp sink on port 25, writing to", MAIL_DIR, flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main())
