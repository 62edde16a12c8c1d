"""Hours of insertion (SPEC §4 step 4): pure Decimal arithmetic, half-up rounding.

``heures = montant × part_main_oeuvre × taux_insertion ÷ cout_horaire`` (facilitators'
method, legal.md §3.1), with the PACT Propreté weighting for cleaning contracts where
staff are taken over (legal.md §3.2) and the three framework-agreement methods (§3.5).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from drafter.domain import fmt
from drafter.domain.decision import Coded, Sizing, Step
from drafter.domain.profile import FrameworkMethod
from drafter.law.rules import Rules

TEN_THOUSAND = Decimal(10000)


def half_up(value: Decimal, places: int = 0) -> Decimal:
    """Round half-up (0,5 → 1) to ``places`` decimals."""
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class SizingInput:
    estimate: Decimal
    minimum: Decimal | None
    share: Decimal
    rate: Decimal
    cost: Decimal
    duration_months: int
    method: FrameworkMethod | None       # None: ordinary market
    staff_hours: Decimal | None          # PACT Propreté: monthly hours of staff taken over
    pact_coefficient: Decimal            # the cleaning branch's coefficient (for the citation)
    pact_decomposition: str              # how the branch gets it (hourly cost ÷ labour share)
    fte_hours: Decimal                   # hours of a full-time month


def pact_weight(inp: SizingInput) -> tuple[Decimal, Decimal]:
    """P = 1 − (S × C) ÷ (A ÷ N), with C = coût horaire ÷ part de main-d'œuvre."""
    coefficient = inp.cost / inp.share
    monthly = inp.estimate / inp.duration_months
    weight = 1 - (inp.staff_hours or 0) * coefficient / monthly
    return weight, coefficient


def size(inp: SizingInput, rules: Rules) -> tuple[Sizing, list[Step], list[Coded]]:
    """Compute the hours of one lot; returns the sizing, its trail and its warnings (``rules``: citations)."""
    steps: list[Step] = []
    warnings: list[Coded] = []
    method_ref = rules.cite("methode_accord_cadre")
    weight: Decimal | None = None
    coefficient: Decimal | None = None
    factor = inp.share * inp.rate / inp.cost
    if inp.staff_hours:
        weight, coefficient = pact_weight(inp)
        steps.append(Step(
            "heures.pact_proprete",
            f"Pondération PACT Propreté pour le personnel repris : P = 1 − (S × C) ÷ (A ÷ N) = 1 − "
            f"({fmt.smart(inp.staff_hours)} h × {fmt.smart(coefficient)}) ÷ ({fmt.euros(inp.estimate)} ÷ "
            f"{inp.duration_months} mois) = {fmt.smart(weight, 4)}, où C = coût horaire ÷ part de "
            f"main-d'œuvre (la branche retient C = {fmt.smart(inp.pact_coefficient)}, soit {inp.pact_decomposition}).",
            rules.cite("pact_proprete"),
        ))
        if weight <= 0:
            warnings.append(Coded(
                "Le personnel repris couvre déjà tout le volume de main-d'œuvre du lot (P ≤ 0) : "
                "aucune heure d'insertion supplémentaire ne peut être exigée (PACT Propreté).",
                "heures.pact_personnel_repris_couvre_tout"))
            weight = Decimal(0)
        factor *= weight
    method = inp.method
    ratio = half_up(TEN_THOUSAND * factor, 1) if method else None
    if method is FrameworkMethod.MINIMUM and inp.minimum is not None:
        base_label, base = "montant minimum", inp.minimum
    else:
        base_label, base = "montant estimé", inp.estimate
    raw = base * factor
    hours = int(half_up(raw))
    weight_text = f" × P {fmt.smart(weight, 4)}" if weight is not None else ""
    steps.append(Step(
        "heures.calcul",
        f"Heures d'insertion sur le {base_label} : {fmt.euros(base)} × {fmt.percent(inp.share)} × "
        f"{fmt.percent(inp.rate)} ÷ {fmt.euros(inp.cost, cents=False)}{weight_text} = "
        f"{fmt.smart(raw, 2)} h, arrondi à l'heure la plus proche (0,5 vers le haut) : {fmt.number(hours)} h.",
        rules.cite("formule"),
    ))
    indicative = None
    if method is not None:
        steps.append(Step(
            "heures.ratio",
            f"Ratio : {fmt.smart(ratio, 1)} heures d'insertion par tranche de 10 000 € HT commandés "
            f"(10 000 € × {fmt.percent(inp.share)} × {fmt.percent(inp.rate)} ÷ "
            f"{fmt.euros(inp.cost, cents=False)}{weight_text}, arrondi au dixième).",
            method_ref,
        ))
        if method is FrameworkMethod.RATIO:
            indicative = hours
            steps.append(Step(
                "heures.methode_ratio",
                f"Méthode « ratio » : l'obligation suit les commandes réelles ; le total de {fmt.number(hours)} h "
                "calculé sur le montant estimé est indicatif.",
                method_ref,
            ))
        elif method is FrameworkMethod.MINIMUM:
            indicative = int(half_up(inp.estimate * factor))
            steps.append(Step(
                "heures.methode_minimum",
                f"Méthode « minimum » : {fmt.number(hours)} h sont dues sur le montant minimum, puis "
                f"{fmt.smart(ratio, 1)} h par tranche de 10 000 € HT commandés au-delà "
                f"(total indicatif sur le montant estimé : {fmt.number(indicative)} h).",
                method_ref + " [U]",
            ))
        else:
            steps.append(Step(
                "heures.methode_estime",
                f"Méthode « estimé » : {fmt.number(hours)} h sur le montant estimé, ajustées au prorata des "
                f"commandes réelles ({fmt.smart(ratio, 1)} h par tranche de 10 000 € HT).",
                method_ref + " [U]",
            ))
    fte = half_up(Decimal(hours) / inp.fte_hours, 1)
    steps.append(Step(
        "heures.equivalent_temps_plein",
        f"Soit environ {fmt.months(fte)} de travail à temps plein ({fmt.number(hours)} h ÷ "
        f"{fmt.smart(inp.fte_hours)} h par mois).",
        rules.cite("temps_plein"),
    ))
    sizing = Sizing(
        base_label=base_label, base_amount=base, labour_share=inp.share, rate=inp.rate,
        hourly_cost=inp.cost, raw_hours=raw, hours=hours, pact_weight=weight,
        pact_coefficient=coefficient, staff_hours=inp.staff_hours, ratio=ratio,
        indicative_hours=indicative, estimate=inp.estimate, fte_months=fte,
    )
    return sizing, steps, warnings
