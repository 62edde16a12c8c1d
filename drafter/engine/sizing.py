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


def pact_weight(inp: SizingInput) -> Decimal:
    """P = 1 − (S × C) ÷ (A ÷ N), with the branch's fixed coefficient C (25)."""
    monthly = inp.estimate / inp.duration_months
    return 1 - (inp.staff_hours or 0) * inp.pact_coefficient / monthly


def size(inp: SizingInput, rules: Rules) -> tuple[Sizing, list[Step], list[Coded]]:
    """Compute the hours of one lot; returns the sizing, its trail and its warnings (``rules``: citations)."""
    if inp.staff_hours:
        return size_pact(inp, rules)
    steps: list[Step] = []
    warnings: list[Coded] = []
    factor = inp.share * inp.rate / inp.cost
    method = inp.method
    ratio = half_up(TEN_THOUSAND * factor, 1) if method else None
    if method is FrameworkMethod.MINIMUM and inp.minimum is not None:
        base_label, base = "montant minimum", inp.minimum
    else:
        base_label, base = "montant estimé", inp.estimate
    raw = base * factor
    hours = int(half_up(raw))
    steps.append(Step(
        "heures.calcul",
        f"Heures d'insertion sur le {base_label} : {fmt.euros(base)} × {fmt.percent(inp.share)} × "
        f"{fmt.percent(inp.rate)} ÷ {fmt.euros(inp.cost)} = "
        f"{fmt.smart(raw, 2)} h, arrondi à l'heure la plus proche (0,5 vers le haut) : {fmt.number(hours)} h.",
        rules.cite("formule"),
    ))
    indicative = framework_steps(inp, hours, factor, rules, steps) if method is not None else None
    fte = fte_step(hours, inp, rules, steps)
    sizing = Sizing(
        base_label=base_label, base_amount=base, labour_share=inp.share, rate=inp.rate,
        hourly_cost=inp.cost, raw_hours=raw, hours=hours, ratio=ratio,
        indicative_hours=indicative, estimate=inp.estimate, fte_months=fte,
    )
    return sizing, steps, warnings


def framework_steps(inp: SizingInput, hours: int, factor: Decimal, rules: Rules, steps: list[Step]) -> int | None:
    """The ratio of a framework agreement and how its method counts the hours; the indicative total."""
    method_ref = rules.cite("methode_accord_cadre")
    ratio = half_up(TEN_THOUSAND * factor, 1)
    indicative: int | None = None
    steps.append(Step(
        "heures.ratio",
        f"Ratio : {fmt.smart(ratio, 1)} heures d'insertion par tranche de 10 000 € HT commandés "
        f"(10 000 € × {fmt.percent(inp.share)} × {fmt.percent(inp.rate)} ÷ "
        f"{fmt.euros(inp.cost)}, arrondi au dixième).",
        method_ref,
    ))
    if inp.method is FrameworkMethod.RATIO:
        indicative = hours
        steps.append(Step(
            "heures.methode_ratio",
            f"Méthode « ratio » : l'obligation suit les commandes réelles ; le total de {fmt.number(hours)} h "
            "calculé sur le montant estimé est indicatif.",
            method_ref,
        ))
    elif inp.method is FrameworkMethod.MINIMUM:
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
    return indicative


def fte_step(hours: int, inp: SizingInput, rules: Rules, steps: list[Step]) -> Decimal:
    fte = half_up(Decimal(max(hours, 0)) / inp.fte_hours, 1)
    steps.append(Step(
        "heures.equivalent_temps_plein",
        f"Soit environ {fmt.months(fte)} de travail à temps plein ({fmt.number(max(hours, 0))} h ÷ "
        f"{fmt.smart(inp.fte_hours)} h par mois).",
        rules.cite("temps_plein"),
    ))
    return fte


def size_pact(inp: SizingInput, rules: Rules) -> tuple[Sizing, list[Step], list[Coded]]:
    """PACT Propreté (legal.md §3.2), as the branch does it: I = P × A ÷ C × T with C fixed (25),
    i.e. I = A ÷ C × T − S × N × T. Under a framework the obligation is affine in the orders: a ratio
    per 10 000 € HT ordered, minus the fixed share of the staff taken over (S × N × T)."""
    steps: list[Step] = []
    warnings: list[Coded] = []
    c, s, n, t = inp.pact_coefficient, inp.staff_hours or Decimal(0), inp.duration_months, inp.rate
    weight = pact_weight(inp)
    deduction = s * n * t
    steps.append(Step(
        "heures.pact_proprete",
        f"Pondération PACT Propreté pour le personnel repris : P = 1 − (S × C) ÷ (A ÷ N) = 1 − "
        f"({fmt.smart(s)} h × {fmt.smart(c)}) ÷ ({fmt.euros(inp.estimate)} ÷ {n} mois) = {fmt.smart(weight, 4)}, "
        f"où C = {fmt.smart(c)} est le coefficient fixé par la branche ({inp.pact_decomposition}) : la part de "
        "main-d'œuvre et le coût horaire du profil ne servent pas à ce calcul.",
        rules.cite("pact_proprete"),
    ))
    raw = weight * inp.estimate / c * t
    hours = int(half_up(raw))
    steps.append(Step(
        "heures.calcul",
        f"Heures d'insertion (PACT Propreté) : P × A ÷ C × T = {fmt.smart(weight, 4)} × {fmt.euros(inp.estimate)} ÷ "
        f"{fmt.smart(c)} × {fmt.percent(t)} = {fmt.smart(raw, 2)} h, soit aussi A ÷ C × T − S × N × T = "
        f"{fmt.smart(inp.estimate / c * t, 2)} h − {fmt.smart(deduction, 2)} h ; arrondi à l'heure la plus proche "
        f"(0,5 vers le haut) : {fmt.number(max(hours, 0))} h.",
        rules.cite("pact_proprete"),
    ))
    if hours <= 0:
        warnings.append(Coded(
            "Le personnel repris couvre déjà tout le potentiel d'insertion du lot (P ≤ 0 ou volume arrondi à 0 h) : "
            "aucune heure d'insertion ne peut être exigée (PACT Propreté).",
            "heures.pact_personnel_repris_couvre_tout"))
        hours = 0
    ratio = None
    indicative = None
    if inp.method is not None:
        ratio = half_up(TEN_THOUSAND / c * t, 1)
        indicative = hours
        steps.append(Step(
            "heures.pact_accord_cadre",
            f"Accord-cadre : le personnel repris est une quantité mensuelle fixe, l'obligation est donc affine "
            f"en fonction des commandes : {fmt.smart(ratio, 1)} h par tranche de 10 000 € HT commandés "
            f"(10 000 € ÷ {fmt.smart(c)} × {fmt.percent(t)}), diminuées de {fmt.number(int(half_up(deduction)))} h "
            f"au titre du personnel repris ({fmt.smart(s)} h par mois × {n} mois × {fmt.percent(t)}) ; "
            f"total indicatif sur le montant estimé : {fmt.number(hours)} h.",
            rules.cite("pact_proprete"),
        ))
    fte = fte_step(hours, inp, rules, steps)
    sizing = Sizing(
        base_label="montant estimé", base_amount=inp.estimate, labour_share=inp.share, rate=t,
        hourly_cost=inp.cost, raw_hours=raw, hours=hours, pact_weight=weight, pact_coefficient=c,
        staff_hours=s, ratio=ratio, indicative_hours=indicative, estimate=inp.estimate, fte_months=fte,
        staff_deduction=int(half_up(deduction)),
    )
    return sizing, steps, warnings
