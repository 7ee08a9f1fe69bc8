"""payruns"""
