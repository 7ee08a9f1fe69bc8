"""unpaid hours"""
