"""Training: courses, sessions, enrolments, certificates and their expiry."""
