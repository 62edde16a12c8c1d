"""Law as data: the dated rule tables (thresholds, dates, rates, legal references) and the rule book
that reads them at a date.
"""
