"""Market-level reasoning (SPEC §4 steps 1–2): value of the market, EU threshold, obligation."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from drafter.domain import fmt
from drafter.domain.decision import Coded, Step
from drafter.domain.labels import CATEGORY_FR, NATURE_FR
from drafter.domain.profile import BuyerCategory, Lot, Mechanism, Nature, Profile, merged_insertion
from drafter.law.rules import Rules, RuleValue


@dataclass
class MarketFacts:
    """What the market-level reasoning established, shared by every lot."""

    date: dt.date
    value: Decimal
    threshold: Decimal
    obligation: bool
    env_criterion: bool
    steps: list[Step] = field(default_factory=list)
    regime: str = "classique"          # « classique », « insertion » (R2123-1 3°) or « defense »
    confirm: list[Coded] = field(default_factory=list)
    warnings: list[Coded] = field(default_factory=list)


def is_insertion_lot(profile: Profile, lot: Lot) -> bool:
    mechanism = merged_insertion(profile, lot).mechanism
    return mechanism is Mechanism.INSERTION_MARKET or (lot.insertion_object and mechanism in (None, Mechanism.AUTO))


def regime(profile: Profile) -> str:
    """The regime whose threshold applies: defence, insertion market (every lot), or the classic one."""
    if profile.market.defence_or_security:
        return "defense"
    if all(is_insertion_lot(profile, lot) for lot in profile.effective_lots()):
        return "insertion"
    return "classique"


def threshold_rule_id(nature: Nature, category: BuyerCategory, kind: str = "classique") -> str:
    """The rule id of the EU threshold for a nature, a buyer category and a regime."""
    works = nature is Nature.WORKS
    if kind == "defense":
        return "seuil_europeen.defense." + ("travaux" if works else "fournitures_services")
    if kind == "insertion":
        return "seuil_services_sociaux" + (".entite_adjudicatrice" if category is BuyerCategory.UTILITY else "")
    if works:
        return "seuil_europeen.travaux"
    return f"seuil_europeen.fournitures_services.{category.value}"


def lot_value(lot: Lot) -> Decimal:
    """Value counted for thresholds: the framework maximum when given, else the estimate."""
    return lot.maximum if lot.maximum is not None else (lot.estimate or Decimal(0))


def value_step(profile: Profile, value: Decimal, rules: Rules) -> Step:
    lots = profile.effective_lots()
    how = "maximum de l'accord-cadre" if profile.market.form.is_framework else "montants estimés"
    count = f"somme des {len(lots)} lots" if len(lots) > 1 else "lot unique"
    return Step(
        "valeur.estimation",
        f"Valeur estimée du besoin : {fmt.euros(value)} HT ({count}, {how}), sur toute la durée "
        f"du marché ({profile.market.duration_months} mois).",
        rules.cite("valeur_estimee"),
    )


def threshold_text(profile: Profile, kind: str, rule: RuleValue, rules: Rules) -> str:
    at = f"en vigueur au {fmt.date_long(rules.date)}"
    if kind == "insertion":
        return (f"Marché d'insertion et de qualification professionnelle (art. {rules.article('marche_insertion')}, "
                f"services sociaux et autres services spécifiques) : seuil européen propre à ce régime {at}, "
                f"{fmt.euros(rule.valeur)} HT (art. {rules.article('seuil_services_sociaux')}).")
    if kind == "defense":
        return (f"Marché de défense ou de sécurité : seuil européen des marchés de défense ou de sécurité de "
                f"{NATURE_FR[profile.market.nature]} {at}, {fmt.euros(rule.valeur)} HT (valeur à confirmer) ; "
                "il est sans incidence sur les dispositions sociales, qui restent facultatives.")
    return (f"Seuil européen {at} pour un marché de {NATURE_FR[profile.market.nature]} passé par un acheteur "
            f"de catégorie « {CATEGORY_FR[profile.buyer.category]} » : {fmt.euros(rule.valeur)} HT.")


def threshold_step(profile: Profile, rules: Rules, kind: str = "classique") -> tuple[Decimal, Step, RuleValue]:
    rule = rules.get(threshold_rule_id(profile.market.nature, profile.buyer.category, kind))
    return rule.valeur, Step(rule.id, threshold_text(profile, kind, rule, rules),
                             f"{rule.reference} — {rule.provenance}"), rule


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
            "Marché de défense ou de sécurité : une condition d'exécution sociale reste facultative "
            f"(art. {rules.article('defense')}) ; elle n'est pas imposée par l'article {article}.",
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
        "condition d'exécution sociale, un marché réservé ou d'insertion (point à confirmer pour ces deux "
        "dispositifs), ou une exception motivée.",
        ref)


def market_facts(profile: Profile, rules: Rules) -> MarketFacts:
    """Steps 1–2: value of the market, EU threshold of its regime, mandatory social condition."""
    value = sum((lot_value(lot) for lot in profile.effective_lots()), Decimal(0))
    kind = regime(profile)
    threshold, threshold_said, rule = threshold_step(profile, rules, kind)
    obligation, obligation_said = obligation_step(profile, value, threshold, rules)
    env = rules.date >= rules.value("critere_environnemental.date_debut")
    steps = [value_step(profile, value, rules), threshold_said, obligation_said]
    facts = MarketFacts(rules.date, value, threshold, obligation, env, steps, kind)
    if rule.to_confirm:
        facts.confirm.append(Coded(f"{rule.libelle} : {rule.provenance}.", rule.id, worded=True))
    end = rules.values.get("seuils.fin_periode_connue")
    if end is not None and rules.date > end.valeur:
        facts.warnings.append(Coded(
            f"Date de référence ({fmt.date_long(rules.date)}) postérieure à la dernière période de seuils connue "
            f"(jusqu'au {fmt.date_long(end.valeur)}) : les seuils européens ont pu être révisés ; vérifiez-les "
            "avant publication.", "seuils.perimes"))
    return facts
