"""`python -m backoffice.gateway [serve|migrate]`."""

from backoffice.gateway.app import SPEC
from backoffice.shared.service import main

if __name__ == "__main__":
    main(SPEC)
