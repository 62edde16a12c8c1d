"""Readable French text of a decision (``drafter explain``) and its JSON (SPEC §6)."""

from __future__ import annotations

import io
import json
from itertools import islice
from typing import Any

from drafter.domain import fmt
from drafter.domain.decision import LotDecision, MarketDecision
from drafter.domain.profile import FrameworkMethod
from drafter.engine.analysis import Analysis
from drafter.law.rules import Rules
from drafter.present.typography import french
from drafter.version import __version__


def legal_bases_fr(bases: tuple[str, ...]) -> str:
    """``("L2112-2", "L2112-2-1")`` → ``art. L2112-2 et L2112-2-1 du code de la commande publique``."""
    if not bases:
        return "—"
    items = list(bases)
    joined = items[0] if len(items) == 1 else ", ".join(items[:-1]) + " et " + items[-1]
    return f"art. {joined} du code de la commande publique"


def hours_line(lot: LotDecision) -> str | None:
    """One line on the hours owed (or the ratio) of a lot."""
    if lot.heures is None:
        return None
    months = fmt.months(lot.calcul.fte_months) if lot.calcul else ""
    if lot.ratio_heures_10000_eur is not None:
        ratio = f"{fmt.smart(lot.ratio_heures_10000_eur, 1)} h par tranche de 10 000 € HT commandés"
        if lot.calcul is not None and lot.calcul.staff_deduction is not None:
            return (
                f"{ratio}, diminuées de {fmt.number(lot.calcul.staff_deduction)} h au titre du personnel repris ; "
                f"total indicatif sur le montant estimé : {fmt.number(lot.heures)} h (≈ {months} à temps plein)"
            )
        if lot.methode_accord_cadre is FrameworkMethod.MINIMUM:
            return f"{fmt.number(lot.heures)} h sur le montant minimum, puis {ratio} au-delà (≈ {months} à temps plein)"
        if lot.methode_accord_cadre is FrameworkMethod.ESTIMATE:
            return (f"{fmt.number(lot.heures)} h sur le montant estimé, ajustées au prorata des commandes ({ratio}) "
                    f"(≈ {months} à temps plein)")
        return (
            f"{ratio} ; total indicatif sur le montant estimé : {fmt.number(lot.heures)} h (≈ {months} à temps plein)"
        )
    return f"{fmt.number(lot.heures)} h (≈ {months} de travail à temps plein)"


def obligation_verdict(obligation: bool, rules: Rules) -> str:
    """« condition sociale obligatoire (art. L2112-2-1) » or « … non obligatoire » (explain, wizard)."""
    if obligation:
        return f"condition sociale obligatoire (art. {rules.article('obligation_sociale')})"
    return "condition sociale non obligatoire"


def render_text(analysis: Analysis) -> str:
    """The decision per lot with its trail, as a buyer or a lawyer reads it."""
    p, d = analysis.profile, analysis.decision
    out: list[str] = []
    out.append(f"Marché {p.market.reference} — {p.market.subject}")
    out.append(f"Acheteur : {p.buyer.name}")
    out.append(
        f"Date de référence : {fmt.date_long(d.date_reference)} · règles : "
        + ", ".join(f"{k} {v}" for k, v in d.regles.items())
    )
    verdict = obligation_verdict(d.obligation_sociale, analysis.rules)
    out.append(
        f"Valeur estimée : {fmt.euros(d.valeur_estimee_ht)} HT · seuil européen : "
        f"{fmt.euros(d.seuil_europeen_ht)} HT → {verdict}"
    )
    out.append("Raisonnement (marché) :")
    for number, step in enumerate(d.trace, 1):
        out.append(f"  {number}. [{step.regle}] {step.texte}")
        out.append(f"     ({step.reference})")
    for lot in d.lots:
        out.append("")
        out.extend(_lot_block(lot, len(d.trace)))
    return french("\n".join(out)) + "\n"


def _lot_block(lot: LotDecision, market_steps: int) -> list[str]:
    out = [
        f"Lot {lot.numero} — {lot.intitule}",
        f"  Dispositif : {lot.dispositif.label}",
        f"  Base légale : {legal_bases_fr(lot.base_legale)}",
    ]
    line = hours_line(lot)
    if line:
        out.append(f"  Heures d'insertion : {line}")
        c = lot.calcul
        if c is None:
            pass
        elif c.pact_weight is not None:
            out.append(
                f"  Calcul (PACT Propreté) : P {fmt.smart(c.pact_weight, 4)} × {fmt.euros(c.base_amount)} ÷ "
                f"{fmt.smart(c.pact_coefficient or 0)} × {fmt.percent(c.rate)} = {fmt.smart(c.raw_hours, 2)} h "
                f"→ {fmt.number(c.hours)} h"
            )
        else:
            out.append(
                f"  Calcul : {fmt.euros(c.base_amount)} × {fmt.percent(c.labour_share)} × "
                f"{fmt.percent(c.rate)} ÷ {fmt.euros(c.hourly_cost)}"
                f" = {fmt.smart(c.raw_hours, 2)} h → {fmt.number(c.hours)} h"
            )
    if lot.penalite_par_heure is not None:
        out.append(f"  Pénalité : {fmt.euros(lot.penalite_par_heure)} HT par heure non réalisée")
    if lot.ponderation_critere is not None:
        out.append(f"  Critère « insertion » : {fmt.smart(lot.ponderation_critere)} % de la note")
    if lot.exception is not None:
        out.append(f"  Exception : {lot.exception.wording}")
    for title, items in (
        ("Avertissements", lot.avertissements),
        ("À confirmer", lot.a_confirmer),
        ("Solutions à envisager", lot.alternatives),
        ("Mentions dans l'avis", lot.mentions_avis),
    ):
        if items:
            out.append(f"  {title} :")
            out.extend(f"    - {item}" for item in items)
    out.append("  Raisonnement :")
    for number, step in enumerate(lot.trace[market_steps:] if market_steps else lot.trace, 1):
        out.append(f"    {number}. [{step.regle}] {step.texte}")
        out.append(f"       ({step.reference})")
    return out


def decision_json(decision: MarketDecision, profile=None) -> dict[str, Any]:
    """The SPEC §6 document; ``marche.reference`` comes from the profile."""
    data = decision.as_json(__version__)
    if profile is not None:
        data["marche"] = {"reference": profile.market.reference, **data["marche"]}
    return _typeset(data, {})


def _typeset(value: Any, strings: dict[str, str]) -> Any:
    """Every French sentence of the decision document with French unbreakable spaces (equal
    strings typeset once, into one object: every lot of a framework cites the same rules)."""
    if isinstance(value, str):
        done = strings.get(value)
        if done is None:
            done = strings[value] = french(value)
        return done
    if isinstance(value, dict):
        return {key: _typeset(item, strings) for key, item in value.items()}
    if isinstance(value, list):
        return [_typeset(item, strings) for item in value]
    return value


def dumps(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dumps_bytes(data: dict[str, Any]) -> bytes:
    """``dumps(data).encode("utf-8")`` without the whole text: json's indented encoder yields
    small pieces, encoded a few thousand at a time (a 5 000-lot manifest is ≈ 20 M characters)."""
    pieces = json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(data)
    out = io.BytesIO()
    while block := list(islice(pieces, 8192)):
        out.write("".join(block).encode("utf-8"))
    out.write(b"\n")
    return out.getvalue()
