"""`python -m backoffice.gateway [serve|migrate|create-admin|seed-demo|openapi]`."""

import sys

from backoffice.gateway.app import SPEC
from backoffice.shared.service import main

if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] in ("create-admin", "seed-demo"):
        from backoffice.gateway.accounts_cli import run

        sys.exit(run(sys.argv[1:], SPEC.migrations_dir))
    if len(sys.argv) > 1 and sys.argv[1] == "openapi":
        from backoffice.gateway import openapi_cli

        sys.exit(openapi_cli.run(sys.argv[2:]))
    main(SPEC)
