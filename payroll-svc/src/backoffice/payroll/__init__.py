"""Backoffice payroll and accounting service.

Verifies hours, runs payroll, pays suppliers, keeps the ledger and reports.
"""
