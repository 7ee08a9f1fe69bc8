"""Backoffice HR service: Employees, timesheets, hiring, training, complaints and progressive discipline."""
