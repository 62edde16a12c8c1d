"""Inputs: YAML profiles with positions, local parameters, spreadsheets, the profile writer. Everything
a user types is parsed here.
"""
