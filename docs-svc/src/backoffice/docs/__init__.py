"""Backoffice documents service: Files, organises, searches, copies, generates and sends documents by e-mail and fax."""
