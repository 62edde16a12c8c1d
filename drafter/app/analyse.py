"""Library entry points: profile file → validated profile → decision (with located errors).

The CLI, the wizard and bulk mode all go through :func:`analyse`, so a profile is
judged the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from drafter.domain.decision import MarketDecision
from drafter.engine.analysis import Analysis
from drafter.engine.decide import decide
from drafter.errors import Problem, ProfileError
from drafter.inputs.loading import LoadedProfile, load_profile
from drafter.law.rules import RuleBook, load_rules


def reference_date(loaded: LoadedProfile, date: dt.date | None, today: dt.date) -> dt.date:
    """``--date`` first, then the profile's launch date, then today (read by the CLI only)."""
    return date or loaded.profile.market.launch_date or today


def decision_problems(loaded: LoadedProfile, decision: MarketDecision) -> list[Problem]:
    """Decision-level issues located in the profile file."""
    return [loaded.source.problem(issue.loc, issue.message) for issue in decision.erreurs]


def analyse_loaded(loaded: LoadedProfile, *, today: dt.date, date: dt.date | None = None,
                   book: RuleBook | None = None) -> Analysis:
    """Decide on an already loaded profile; raise ProfileError with every decision issue."""
    book = book or load_rules()
    rules = book.at(reference_date(loaded, date, today))
    decision = decide(loaded.profile, rules)
    problems = decision_problems(loaded, decision)
    if problems:
        raise ProfileError(sorted(problems, key=lambda p: (p.line or 0, p.column or 0)))
    return Analysis(loaded, rules, decision)


def analyse(path: str | Path, *, today: dt.date, date: dt.date | None = None,
            book: RuleBook | None = None) -> Analysis:
    """Load, validate and decide; raise ProfileError listing every problem of the file."""
    return analyse_loaded(load_profile(path), today=today, date=date, book=book)


__all__ = ["Analysis", "analyse", "analyse_loaded", "reference_date"]
