"""Backoffice IT helpdesk service.

IT support tickets with SLAs, onboarding and offboarding, equipment, change requests, switchboard.
"""
