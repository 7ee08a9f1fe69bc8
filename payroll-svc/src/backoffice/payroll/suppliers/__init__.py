"""suppliers"""
