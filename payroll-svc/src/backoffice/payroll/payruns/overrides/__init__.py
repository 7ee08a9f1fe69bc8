"""Overrides of payslips under the minimum pay: the routes (the logic is in ``payruns.minimum_pay``)."""
