"""Execution monitoring of social clauses (``drafter suivi``): a Django app.

Nothing here imports Django at module level except the Django parts themselves
(models, admin, migrations); :mod:`drafter.monitoring.db` configures Django on first use,
so ``drafter check`` never pays for it. The rest of drafter is reached only through
:mod:`drafter.monitoring.drafted`.
"""
