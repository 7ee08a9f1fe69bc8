"""Minimum pay: hourly minimums as versioned data, and the overrides of payslips under them."""
