"""Domain: the input models (the only statement of the profile schema), enumerations, decision types,
French formatting and labels. Imports nothing else of drafter.
"""
