"""Job categories of work of equal value, scored on four criteria, and the placement of positions in them."""
