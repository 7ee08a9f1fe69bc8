"""An employee's self-declared sex, kept apart from the employee record for the equal-pay reports alone."""
