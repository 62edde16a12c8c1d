"""Rebuild the example statements: ``python -m drafter.monitoring.examples``."""

from . import build

for path in build():
    print(path.name)
