"""`python -m backoffice.hr [serve|migrate]`."""

from backoffice.hr.app import SPEC
from backoffice.shared.service import main

if __name__ == "__main__":
    main(SPEC)
