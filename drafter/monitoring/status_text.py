"""Alerts, next steps and the terminal rendering of ``drafter suivi etat`` (French)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from . import parameters
from .drafted import fmt
from .status import ZERO, LotStatus, status_of


def _month(m: dt.date) -> str:
    return m.strftime("%m/%Y")


def _h(value: Decimal) -> str:
    return fmt.smart(value, 2) + " h"


def situation(reference: str | None, as_of: dt.date) -> list[LotStatus]:
    """Every lot's status (of one market, or all) with its alerts and next step."""
    statuses = status_of(reference, as_of)
    for s in statuses:
        advise(s, as_of)
    return statuses


def advise(s: LotStatus, as_of: dt.date) -> None:
    """Fill ``alerts`` and ``next_step`` (who acts next, and on what)."""
    threshold = parameters.value("seuil_alerte_rythme", as_of)
    if s.contractor is None:
        s.alerts.append("aucun titulaire enregistré")
    if s.late_months:
        s.alerts.append(f"{len(s.late_months)} état(s) mensuel(s) en retard : "
                        + ", ".join(_month(m) for m in s.late_months))
    if s.pending > 0:
        s.alerts.append(f"{_h(s.pending)} déclarées en attente de validation")
    if s.refused > 0:
        s.alerts.append(f"{_h(s.refused)} refusées")
    behind = s.contractor is not None and s.owed is not None and s.expected > 0 and s.done < s.expected * threshold
    if behind:
        s.alerts.append(f"rythme insuffisant : {_h(s.done)} réalisées pour {_h(s.expected)} attendues à ce stade")
    ended = as_of > s.end
    if ended and s.missing > 0:
        s.alerts.append(f"exécution terminée avec {_h(s.missing)} non validées")
    s.next_step = _next_step(s, as_of, ended, behind)


def _next_step(s: LotStatus, as_of: dt.date, ended: bool, behind: bool) -> str:
    if s.contractor is None:
        return "Acheteur : enregistrer le titulaire du lot (drafter suivi attribuer)."
    if s.late_months:
        first = s.late_months[0]
        return (f"Titulaire : transmettre l'état de {_month(first)} "
                f"(dû le {fmt.date_short(parameters.statement_due(first))}).")
    if s.pending > 0:
        return "Facilitateur : valider ou refuser les déclarations en attente (drafter suivi valider)."
    if ended and s.missing > 0:
        return ("Acheteur : engager la procédure contradictoire (observations du titulaire) "
                "avant toute pénalité.")
    if behind:
        return "Facilitateur : proposer des candidats au titulaire et l'alerter du retard."
    if ended:
        return "Facilitateur : établir le bilan de fin de marché (drafter suivi bilan)."
    due = parameters.statement_due(as_of.replace(day=1))
    return f"Titulaire : prochain état mensuel dû le {fmt.date_short(due)}."


def render(statuses: list[LotStatus], as_of: dt.date) -> str:
    lines = [f"Situation au {fmt.date_long(as_of)}"]
    current = None
    for s in statuses:
        if s.reference != current:
            current = s.reference
            lines.append(f"\nMarché {s.reference}")
        lines += _lot_lines(s)
    if not statuses:
        lines.append("Aucun lot suivi.")
    return "\n".join(lines) + "\n"


def _lot_lines(s: LotStatus) -> list[str]:
    owed = "sans heures exigées" if s.owed is None else _h(s.owed) + " exigées"
    if s.method == "ratio":
        owed += f" (sur {fmt.euros(s.ordered)} HT commandés)"
    out = [f"  Lot {s.number} — {s.title} — {s.contractor or 'titulaire non enregistré'}",
           f"    Heures : {owed} ; {_h(s.done)} réalisées, dont {_h(s.validated)} validées"]
    if s.owed:
        pace = fmt.percent(s.done / s.expected) if s.expected > 0 else "—"
        out.append(f"    Rythme : {fmt.percent(s.elapsed)} du délai écoulé ; {_h(s.expected)} attendues à ce stade "
                   f"(réalisé : {pace} de l'attendu)")
    if s.exposure > ZERO:
        out.append(f"    Pénalité encourue si rien de plus n'était validé : {fmt.euros(s.exposure)} HT "
                   f"({_h(s.missing)} non validées × {fmt.euros(s.penalty_per_hour or ZERO)})")
    out += [f"    Alerte : {a}" for a in s.alerts]
    out.append(f"    À faire : {s.next_step}")
    if s.last_action:
        out.append(f"    Dernière action : {fmt.date_short(timezone.localtime(s.last_action).date())}")
    return out
