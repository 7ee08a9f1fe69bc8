"""`python -m backoffice.payroll [serve|migrate]`."""

from backoffice.payroll.app import SPEC
from backoffice.shared.service import main

if __name__ == "__main__":
    main(SPEC)
