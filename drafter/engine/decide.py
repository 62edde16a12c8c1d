"""The decision engine (SPEC §4): pure, dated, explained.

``decide(profile, rules)`` reads no clock and no file. Every step of the reasoning is a
:class:`Step` (rule id, French sentence, reference); problems that block generation
are :class:`Issue` items located in the profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from drafter.domain import fmt
from drafter.domain.decision import ExceptionUsed, Issue, LotDecision, MarketDecision, Step
from drafter.domain.labels import CATEGORY_FR, NATURE_FR
from drafter.domain.profile import Lot, Nature, Profile
from drafter.engine.lot_rules import LotReasoner
from drafter.law.rules import Rules


@dataclass
class MarketFacts:
    """What the market-level reasoning established, shared by every lot."""

    date: dt.date
    value: Decimal
    threshold: Decimal
    obligation: bool
    env_criterion: bool
    steps: list[Step] = field(default_factory=list)


def threshold_rule_id(profile: Profile) -> str:
    if profile.market.nature is Nature.WORKS:
        return "seuil_europeen.travaux"
    return f"seuil_europeen.fournitures_services.{profile.buyer.category.value}"


def lot_value(lot: Lot) -> Decimal:
    """Value counted for thresholds: the framework maximum when given, else the estimate."""
    return lot.maximum if lot.maximum is not None else (lot.estimate or Decimal(0))


def market_facts(profile: Profile, rules: Rules) -> MarketFacts:
    """Steps 1–2: value of the market, EU threshold, mandatory social condition."""
    date = rules.date
    lots = profile.effective_lots()
    value = sum((lot_value(lot) for lot in lots), Decimal(0))
    steps: list[Step] = []
    framework = profile.market.form.is_framework
    how = ("maximum de l'accord-cadre lorsqu'il est fixé, sinon montant estimé"
           if framework else "montants estimés")
    count = f"somme des {len(lots)} lots" if len(lots) > 1 else "lot unique"
    steps.append(Step(
        "valeur.estimation",
        f"Valeur estimée du besoin : {fmt.euros(value)} HT ({count}, {how}), sur toute la durée "
        f"de {profile.market.duration_months} mois, reconductions comprises.",
        "CCP, art. R2121-1 et suivants (calcul de la valeur estimée du besoin)",
    ))
    rule = rules.get(threshold_rule_id(profile))
    threshold = rule.valeur
    steps.append(Step(
        rule.id,
        f"Seuil européen en vigueur au {fmt.date_long(date)} pour un marché de "
        f"{NATURE_FR[profile.market.nature]} passé par un acheteur de catégorie "
        f"« {CATEGORY_FR[profile.buyer.category]} » : {fmt.euros(threshold)} HT.",
        f"{rule.reference} — {rule.provenance}",
    ))
    above = value >= threshold
    start_rule = rules.get("obligation_sociale.date_debut")
    start: dt.date = start_rule.valeur
    ref = f"{start_rule.reference} — {start_rule.provenance}"
    if profile.market.defence_or_security:
        obligation = False
        steps.append(Step(
            "obligation.defense",
            "Marché de défense ou de sécurité : la condition d'exécution sociale reste facultative "
            "(elle n'est pas imposée par l'article L2112-2-1).",
            "CCP, art. L2312-1-1 ; fiche DAJ sur l'article 35 de la loi Climat et résilience",
        ))
    elif date < start:
        obligation = False
        steps.append(Step(
            "obligation.date",
            f"Consultation lancée le {fmt.date_long(date)}, avant le {fmt.date_long(start)} : "
            "la condition sociale obligatoire de l'article L2112-2-1 ne s'applique pas ; une clause "
            "sociale reste possible (art. L2112-2).",
            ref,
        ))
    elif not above:
        obligation = False
        steps.append(Step(
            "obligation.seuil",
            f"{fmt.euros(value)} HT < {fmt.euros(threshold)} HT : le marché est sous le seuil européen, "
            "la condition sociale n'est pas obligatoire ; une clause sociale reste possible "
            "(art. L2112-2).",
            ref,
        ))
    else:
        obligation = True
        steps.append(Step(
            "obligation.l2112-2-1",
            f"{fmt.euros(value)} HT ≥ {fmt.euros(threshold)} HT et consultation lancée à partir du "
            f"{fmt.date_long(start)} : le marché doit comporter une condition d'exécution prenant en "
            "compte des considérations sociales ou relatives à l'emploi. Chaque lot prévoit donc une "
            "condition d'exécution sociale, un marché réservé ou d'insertion, ou une exception motivée.",
            ref,
        ))
    env = date >= rules.value("critere_environnemental.date_debut")
    return MarketFacts(date, value, threshold, obligation, env, steps)


def decide(profile: Profile, rules: Rules) -> MarketDecision:
    """The decision for every lot of ``profile`` with ``rules`` in force at their date."""
    facts = market_facts(profile, rules)
    lots: list[LotDecision] = []
    issues: list[Issue] = []
    for index, lot in enumerate(profile.effective_lots()):
        reasoner = LotReasoner(profile, lot, index, rules, facts)
        decision = reasoner.run()
        lots.append(decision)
        issues.extend(reasoner.issues)
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


__all__ = ["decide", "market_facts", "MarketFacts", "ExceptionUsed"]
