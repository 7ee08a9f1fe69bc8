"""Fair pay: the pay gap report, the pay register, justifications and joint pay assessments, and employees'
right to information on the pay of their category."""
