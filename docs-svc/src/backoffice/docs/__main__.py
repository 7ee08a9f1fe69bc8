"""`python -m backoffice.docs [serve|migrate]`."""

from backoffice.docs.app import SPEC
from backoffice.shared.service import main

if __name__ == "__main__":
    main(SPEC)
