"""`python -m backoffice.helpdesk [serve|migrate]`."""

from backoffice.helpdesk.app import SPEC
from backoffice.shared.service import main

if __name__ == "__main__":
    main(SPEC)
