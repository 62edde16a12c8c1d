"""drafter — drafting assistant for French public-procurement social clauses.

Public API: load a profile, decide, explain. Documents, wizard and bulk build on these.
"""

__version__ = "0.1.0"

from .errors import DrafterError, Problem  # noqa: E402
from .loading import load_profile  # noqa: E402
from .pipeline import Analysis, analyse  # noqa: E402
from .rules import load_parameters, load_rules  # noqa: E402

__all__ = ["__version__", "DrafterError", "Problem", "load_profile", "analyse", "Analysis",
           "load_rules", "load_parameters"]
