"""Market-level reasoning (SPEC §4 steps 1–2): value of the market, EU threshold, obligation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from drafter.domain import fmt
from drafter.domain.decision import Step
from drafter.domain.labels import CATEGORY_FR, NATURE_FR
from drafter.domain.profile import BuyerCategory, Lot, Nature, Profile
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


def threshold_rule_id(nature: Nature, category: BuyerCategory) -> str:
    if nature is Nature.WORKS:
        return "seuil_europeen.travaux"
    return f"seuil_europeen.fournitures_services.{category.value}"


def lot_value(lot: Lot) -> Decimal:
    """Value counted for thresholds: the framework maximum when given, else the estimate."""
    return lot.maximum if lot.maximum is not None else (lot.estimate or Decimal(0))


def value_step(profile: Profile, value: Decimal, rules: Rules) -> Step:
    lots = profile.effective_lots()
    how = ("maximum de l'accord-cadre lorsqu'il est fixé, sinon montant estimé"
           if profile.market.form.is_framework else "montants estimés")
    count = f"somme des {len(lots)} lots" if len(lots) > 1 else "lot unique"
    return Step(
        "valeur.estimation",
        f"Valeur estimée du besoin : {fmt.euros(value)} HT ({count}, {how}), sur toute la durée "
        f"de {profile.market.duration_months} mois, reconductions comprises.",
        rules.cite("valeur_estimee"),
    )


def threshold_step(profile: Profile, rules: Rules) -> tuple[Decimal, Step]:
    rule = rules.get(threshold_rule_id(profile.market.nature, profile.buyer.category))
    return rule.valeur, Step(
        rule.id,
        f"Seuil européen en vigueur au {fmt.date_long(rules.date)} pour un marché de "
        f"{NATURE_FR[profile.market.nature]} passé par un acheteur de catégorie "
        f"« {CATEGORY_FR[profile.buyer.category]} » : {fmt.euros(rule.valeur)} HT.",
        f"{rule.reference} — {rule.provenance}",
    )


def obligation_step(profile: Profile, value: Decimal, threshold: Decimal, rules: Rules) -> tuple[bool, Step]:
    """Step 2: is the social condition of L2112-2-1 mandatory for this market?"""
    date = rules.date
    start_rule = rules.get("obligation_sociale.date_debut")
    start: dt.date = start_rule.valeur
    ref = f"{start_rule.reference} — {start_rule.provenance}"
    article, general = rules.article("obligation_sociale"), rules.article("condition_execution")
    if profile.market.defence_or_security:
        return False, Step(
            "obligation.defense",
            "Marché de défense ou de sécurité : la condition d'exécution sociale reste facultative "
            f"(elle n'est pas imposée par l'article {article}).",
            rules.cite("defense"))
    if date < start:
        return False, Step(
            "obligation.date",
            f"Consultation lancée le {fmt.date_long(date)}, avant le {fmt.date_long(start)} : "
            f"la condition sociale obligatoire de l'article {article} ne s'applique pas ; une clause "
            f"sociale reste possible (art. {general}).", ref)
    if value < threshold:
        return False, Step(
            "obligation.seuil",
            f"{fmt.euros(value)} HT < {fmt.euros(threshold)} HT : le marché est sous le seuil européen, "
            f"la condition sociale n'est pas obligatoire ; une clause sociale reste possible (art. {general}).",
            ref)
    return True, Step(
        "obligation.l2112-2-1",
        f"{fmt.euros(value)} HT ≥ {fmt.euros(threshold)} HT et consultation lancée à partir du "
        f"{fmt.date_long(start)} : le marché doit comporter une condition d'exécution prenant en "
        "compte des considérations sociales ou relatives à l'emploi. Chaque lot prévoit donc une "
        "condition d'exécution sociale, un marché réservé ou d'insertion, ou une exception motivée.",
        ref)


def market_facts(profile: Profile, rules: Rules) -> MarketFacts:
    """Steps 1–2: value of the market, EU threshold, mandatory social condition."""
    value = sum((lot_value(lot) for lot in profile.effective_lots()), Decimal(0))
    threshold, threshold_said = threshold_step(profile, rules)
    obligation, obligation_said = obligation_step(profile, value, threshold, rules)
    env = rules.date >= rules.value("critere_environnemental.date_debut")
    steps = [value_step(profile, value, rules), threshold_said, obligation_said]
    return MarketFacts(rules.date, value, threshold, obligation, env, steps)
