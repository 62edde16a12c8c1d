"""drafter — drafting assistant for French public-procurement social clauses.

Public API (everything else is internal, even when importable): load a profile, analyse it
(decide, with the trail of every step), generate its documents, run a bulk programme, read the
rule book. Layers, bottom to top: ``domain`` → ``law`` → ``inputs`` → ``engine`` → ``present``
→ ``documents`` → ``app`` → front ends (``cli``, ``wizard``, ``monitoring``, ``web``).
"""

from typing import Any

from drafter.app.analyse import Analysis, analyse
from drafter.errors import DrafterError, Problem
from drafter.inputs.loading import load_profile
from drafter.inputs.parameters import load_parameters
from drafter.law.rules import RuleBook, load_rules
from drafter.version import __version__

__all__ = [
    "Analysis",
    "DrafterError",
    "Problem",
    "RuleBook",
    "__version__",
    "analyse",
    "generate",
    "load_parameters",
    "load_profile",
    "load_rules",
    "run_bulk",
]


def __getattr__(name: str) -> Any:
    """``generate`` and ``run_bulk`` load docxtpl and openpyxl: imported on first use only, so that
    ``drafter check`` starts without them."""
    if name == "generate":
        from drafter.app.generate import generate

        return generate
    if name == "run_bulk":
        from drafter.app.bulk import run

        return run
    raise AttributeError(f"module 'drafter' has no attribute {name!r}")
