"""The decision engine (SPEC §4): pure, dated, explained.

``decide(profile, rules)`` reads no clock and no file. Every step of the reasoning is a
:class:`Step` (rule id, French sentence, reference read from the rule tables); problems that
block generation are :class:`Issue` items located in the profile.
"""

from __future__ import annotations

from drafter.domain.decision import Issue, LotDecision, MarketDecision
from drafter.domain.profile import Profile
from drafter.engine.facts import market_facts
from drafter.engine.lot import decide_lot
from drafter.law.rules import Rules


def decide(profile: Profile, rules: Rules) -> MarketDecision:
    """The decision for every lot of ``profile`` with ``rules`` in force at their date."""
    facts = market_facts(profile, rules)
    lots: list[LotDecision] = []
    issues: list[Issue] = []
    for index, lot in enumerate(profile.effective_lots()):
        decision, found = decide_lot(profile, lot, index, rules, facts)
        lots.append(decision)
        issues.extend(found)
    return MarketDecision(
        date_reference=facts.date,
        regles=rules.versions,
        valeur_estimee_ht=facts.value,
        seuil_europeen_ht=facts.threshold,
        obligation_sociale=facts.obligation,
        critere_environnemental_obligatoire=facts.env_criterion,
        lots=tuple(lots),
        trace=tuple(facts.steps),
        erreurs=tuple(issues),
    )


__all__ = ["decide"]
