"""hours"""
