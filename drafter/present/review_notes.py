"""Texts of the ``--revue`` Word comments (pure): for each choice, its legal basis, the
formula with its numbers and sources, and what is still « à confirmer ».

The comments are written for the TME lawyer who reviews the documents: short, French,
one fact per line, every figure with where it comes from.
"""

from __future__ import annotations

from drafter.domain.decision import LotDecision, MarketDecision, Step
from drafter.domain.profile import Mechanism, Nature
from drafter.law.rules import RuleValue
from drafter.present.legal_fr import cite, legal_basis

# Rules whose « à confirmer » flags belong on the paragraph of the hours calculation.
HOURS_RULES = ("part_main_oeuvre.", "heures.", "cout_horaire", "taux_insertion", "pact_proprete.")

TOPICS: dict[str, tuple[str, ...]] = {
    "dispositif": ("dispositif.", "marche_reserve.", "marche_insertion.", "exception.", "obligation."),
    "heures": ("part_main_oeuvre.", "profil.part_main_oeuvre", "taux_insertion", "profil.taux_insertion",
               "cout_horaire", "profil.cout_horaire", "heures."),
    "penalite": ("penalite_par_heure", "profil.penalite_par_heure"),
    "critere": ("ponderation_critere", "profil.ponderation_critere", "critere.", "dispositif.critere"),
    "reserve": ("marche_reserve.",),
}


def steps_about(steps: tuple[Step, ...], topic: str) -> list[Step]:
    prefixes = TOPICS[topic]
    return [s for s in steps if s.regle.startswith(prefixes)]


def _lines(title: str, items: list[str]) -> list[str]:
    return [title, *(f"– {item}" for item in items)] if items else []


def _reasons(steps: list[Step]) -> list[str]:
    return _lines("Raisonnement :", [f"{cite(s.texte)} [{cite(s.reference)}]" for s in steps])


def note_dispositif(lot: LotDecision) -> str:
    """Why this mechanism: the choice, its legal basis, the trail, the points to confirm."""
    basis = legal_basis(lot.base_legale) or "aucun fondement (pas de clause sociale)"
    lines = [f"Dispositif retenu : {lot.dispositif.label}.", f"Fondement : {basis}."]
    lines += _reasons(steps_about(lot.trace, "dispositif"))
    if lot.exception is not None:
        lines.append(f"Exception : {lot.exception.wording} — justification : « {lot.exception.justification} ».")
    if lot.dispositif is Mechanism.INSERTION_MARKET:
        lines.append("Le rattachement de la prestation à la liste des services sociaux et autres services spécifiques "
                     "(avis du 31 mars 2019, codes CPV) n'a pas été vérifié — à confirmer.")
    lines += _lines("À confirmer :", [cite(c) for c in lot.a_confirmer])
    return "\n".join(lines)


def note_heures(lot: LotDecision) -> str:
    """The hours: formula with its numbers, the source of each parameter, unverified values."""
    lines = ["Calcul des heures d'insertion (montant × part de main-d'œuvre × taux ÷ coût horaire, "
             "arrondi à l'heure la plus proche)."]
    lines += _reasons(steps_about(lot.trace, "heures"))
    flagged = [cite(c) for c in lot.a_confirmer if c.regle.startswith(HOURS_RULES)]
    lines += _lines("À confirmer :", flagged)
    return "\n".join(lines)


def note_penalite(lot: LotDecision) -> str:
    lines = ["Pénalité par heure d'insertion non réalisée : montant fixé par le CCAP (aucun montant par "
             "défaut du CCAG n'a été identifié)."]
    lines += _reasons(steps_about(lot.trace, "penalite"))
    flagged = [cite(c) for c in lot.a_confirmer if c.regle == "penalite_par_heure"]
    lines += _lines("À confirmer :", flagged)
    return "\n".join(lines)


def note_critere(lot: LotDecision) -> str:
    lines = ["Critère d'attribution « insertion » : fondement articles L. 2152-7 et R. 2152-7 du code de la "
             "commande publique ; pondération publiée (article R. 2152-12)."]
    lines += _reasons(steps_about(lot.trace, "critere"))
    lines += _lines("Avertissements :", [cite(w) for w in lot.avertissements if "critère" in w or "Pondération" in w])
    return "\n".join(lines)


def note_reserve(lot: LotDecision) -> str:
    lines = [f"Réservation : {legal_basis(lot.base_legale)}. La proportion minimale de 50 % de travailleurs "
             "handicapés ou défavorisés est celle de l'article R. 2113-7 [vérifié]."]
    lines += _reasons(steps_about(lot.trace, "reserve"))
    lines += _lines("À confirmer :", [cite(c) for c in lot.a_confirmer])
    lines.append("Liste des justificatifs de statut (convention SIAE, CPOM d'entreprise adaptée, autorisation "
                 "d'ESAT) : pratique courante, liste non vérifiée dans un texte — à confirmer.")
    return "\n".join(lines)


def note_obligation(decision: MarketDecision) -> str:
    lines = ["Obligation d'une condition d'exécution sociale (article L. 2112-2-1 du code de la commande "
             "publique) : valeur estimée comparée au seuil européen à la date de référence."]
    lines += _reasons(list(decision.trace))
    return "\n".join(lines)


def note_rule(value: RuleValue, what: str) -> str:
    text = f"{what} : valeur de la table de règles « {value.table} » ({value.libelle}). Source : {value.provenance}."
    if value.to_confirm:
        text += "\nÀ confirmer avant publication."
    return cite(text)


def note_ccag(nature: Nature) -> str:
    if nature is Nature.WORKS:
        return ("CCAG-Travaux 2021 : le numéro de l'article relatif à la clause d'insertion n'a pas été vérifié ; "
                "aucun numéro n'est donc cité. Vérifier l'arrêté du 30 mars 2021 sur Légifrance avant d'en citer un.")
    return ("CCAG-FCS / CCAG-TIC 2021 : la clause d'insertion sociale figure à l'article 16.1 [source secondaire, "
            "pratique — à vérifier sur Légifrance avant de citer ce numéro]. Le modèle ne cite pas de numéro.")


def note_insertion_rc() -> str:
    return ("Critères de jugement du marché d'insertion : pondérations proposées par drafter (pratique, aucune "
            "source officielle), construites sur les éléments que le code de la commande publique demande de "
            "prendre en compte pour ces services (qualité, continuité, accessibilité, besoins des publics "
            "vulnérables, participation des usagers) — à valider par l'acheteur avant publication.")


def note_discretion() -> str:
    return ("Obligation de discrétion : une convention ne peut pas créer un « secret professionnel », qui ne résulte "
            "que de la loi ; la clause s'en tient à une obligation contractuelle de discrétion.")


def note_donnees() -> str:
    return ("Données personnelles : fondement proposé, la mission d'intérêt public (RGPD, art. 6, 1, e) ; le "
            "fondement de chaque partie et, pour la qualité de travailleur handicapé (donnée de santé, art. 9), "
            "l'exception applicable (droit du travail et de la protection sociale, ou consentement explicite) sont à "
            "confirmer avec les délégués à la protection des données ; analyse d'impact à examiner (art. 35).")


def note_financement(funded: bool) -> str:
    if funded:
        return ("Mission rémunérée : si la structure rend un service à l'acheteur contre un prix, la convention est un "
                "marché public (publicité et mise en concurrence, ou exception à justifier) ; si l'acheteur soutient "
                "un projet d'intérêt général dont la structure a l'initiative, c'est une subvention. À qualifier avant "
                "signature.")
    return ("Gratuité : conforme à la pratique des facilitateurs, financés par leurs partenaires ; les conditions "
            "propres à TME sont à confirmer.")
