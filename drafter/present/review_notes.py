"""Texts of the ``--revue`` Word comments (pure): for each choice, its legal basis, the
formula with its numbers and sources, and what is still « à confirmer ».

The comments are written for the TME lawyer who reviews the documents: short, French,
one fact per line, every figure with where it comes from.
"""

from __future__ import annotations

from drafter.domain import fmt
from drafter.domain.decision import LotDecision, MarketDecision, Step
from drafter.domain.profile import Mechanism, Nature
from drafter.law.rules import Rules, RuleValue
from drafter.present.legal_fr import article, cite, legal_basis

# Rules whose « à confirmer » flags belong on the paragraph of the hours calculation.
HOURS_RULES = ("part_main_oeuvre.", "heures.", "cout_horaire", "taux_insertion", "pact_proprete.")

TOPICS: dict[str, tuple[str, ...]] = {
    "dispositif": ("dispositif.", "marche_reserve.", "marche_insertion.", "exception.", "formation."),
    "heures": (
        "part_main_oeuvre.",
        "profil.part_main_oeuvre",
        "taux_insertion",
        "profil.taux_insertion",
        "cout_horaire",
        "profil.cout_horaire",
        "heures.",
    ),
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


def note_dispositif(lot: LotDecision, rules: Rules) -> str:
    """Why this mechanism: the choice and the lot's own reasons (the market-level obligation has its own
    comment), the points to confirm that are not about the hours (those go on the hours)."""
    lines = [f"Dispositif retenu : {lot.dispositif.label}."]
    lines += _reasons(steps_about(lot.trace, "dispositif"))
    if lot.exception is not None:
        lines.append(f"Exception : {lot.exception.wording} — justification : « {lot.exception.justification} ».")
    if lot.dispositif is Mechanism.INSERTION_MARKET:
        lines.append(
            "Le rattachement de la prestation à la liste des services sociaux et autres services spécifiques "
            f"({rules.cite('services_sociaux_liste')}) n'a pas été vérifié — à confirmer."
        )
    lines += _lines("À confirmer :", [cite(c) for c in lot.a_confirmer if not c.regle.startswith(HOURS_RULES)])
    return "\n".join(lines)


def note_heures(lot: LotDecision, rules: Rules) -> str:
    """The hours: formula with its numbers, the source of each parameter, unverified values."""
    lines = [
        "Calcul des heures d'insertion (montant × part de main-d'œuvre × taux ÷ coût horaire, "
        "arrondi à l'heure la plus proche)."
    ]
    own = [s for s in steps_about(lot.trace, "heures") if "(choix du marché dans le profil)" not in s.texte]
    lines += _reasons(own)
    flagged = [cite(c) for c in lot.a_confirmer if c.regle.startswith(HOURS_RULES)]
    lines += _lines("À confirmer :", flagged)
    return "\n".join(lines)


def note_penalite(lot: LotDecision, rules: Rules) -> str:
    lines = [
        "Pénalité par heure d'insertion non réalisée : montant fixé par le CCAP (aucun montant par "
        "défaut du CCAG n'a été identifié)."
    ]
    lines += _reasons(steps_about(lot.trace, "penalite"))
    flagged = [cite(c) for c in lot.a_confirmer if c.regle == "penalite_par_heure"]
    lines += _lines("À confirmer :", flagged)
    return "\n".join(lines)


def note_critere(lot: LotDecision, rules: Rules) -> str:
    lines = [
        f"Critère d'attribution « insertion » : fondement {legal_basis(rules.bases('critere_attribution'))} ; "
        f"pondération publiée (article {article(rules.article('ponderation_publiee'))})."
    ]
    lines += _reasons(steps_about(lot.trace, "critere"))
    lines += _lines("Avertissements :", [cite(w) for w in lot.avertissements if w.code.startswith("critere.")])
    return "\n".join(lines)


def note_reserve(lot: LotDecision, rules: Rules) -> str:
    share = fmt.percent(rules.value("marche_reserve.part_minimum"))
    lines = [
        f"Réservation : {legal_basis(lot.base_legale)}. La proportion minimale de {share} de travailleurs "
        f"handicapés ou défavorisés est celle de l'article {article(rules.article('marche_reserve'))} [vérifié]."
    ]
    lines += _reasons(steps_about(lot.trace, "reserve"))
    lines += _lines("À confirmer :", [cite(c) for c in lot.a_confirmer])
    lines.append(
        "Liste des justificatifs de statut (convention SIAE, CPOM d'entreprise adaptée, autorisation "
        "d'ESAT) : pratique courante, liste non vérifiée dans un texte — à confirmer."
    )
    return "\n".join(lines)


def note_obligation(decision: MarketDecision, rules: Rules) -> str:
    lines = [
        f"Obligation d'une condition d'exécution sociale ({legal_basis(rules.bases('obligation'))}) : "
        "valeur estimée comparée au seuil européen du régime du marché à la date de référence."
    ]
    lines += _reasons(list(decision.trace))
    return "\n".join(lines)


def note_rule(value: RuleValue, what: str) -> str:
    text = f"{what} : valeur de la table de règles « {value.table} » ({value.libelle}). Source : {value.provenance}."
    if value.to_confirm:
        text += "\nÀ confirmer avant publication."
    return cite(text)


def note_ccag(nature: Nature, rules: Rules) -> str:
    if nature is Nature.WORKS:
        return (
            "CCAG-Travaux 2021 : le numéro de l'article relatif à la clause d'insertion n'a pas été vérifié ; "
            f"aucun numéro n'est donc cité. Vérifier l'{rules.cite('ccag_2021')} sur Légifrance avant d'en citer un."
        )
    return (
        "CCAG-FCS / CCAG-TIC 2021 : la clause d'insertion sociale figure à l'article 16.1 [source secondaire, "
        "pratique — à vérifier sur Légifrance avant de citer ce numéro]. Le modèle ne cite pas de numéro."
    )


def note_insertion_rc() -> str:
    return (
        "Critères de jugement du marché d'insertion : pondérations proposées par drafter (pratique, aucune "
        "source officielle), construites sur les éléments que le code de la commande publique demande de "
        "prendre en compte pour ces services (qualité, continuité, accessibilité, besoins des publics "
        "vulnérables, participation des usagers) — à valider par l'acheteur avant publication."
    )


def note_discretion() -> str:
    return (
        "Obligation de discrétion : une convention ne peut pas créer un « secret professionnel », qui ne résulte "
        "que de la loi ; la clause s'en tient à une obligation contractuelle de discrétion."
    )


def note_donnees() -> str:
    return (
        "Données personnelles : fondement proposé, la mission d'intérêt public (RGPD, art. 6, 1, e) ; le "
        "fondement de chaque partie et, pour la qualité de travailleur handicapé (donnée de santé, art. 9), "
        "l'exception applicable (droit du travail et de la protection sociale, ou consentement explicite) sont à "
        "confirmer avec les délégués à la protection des données ; analyse d'impact à examiner (art. 35)."
    )


def note_financement(funded: bool) -> str:
    if funded:
        return (
            "Mission rémunérée : si la structure rend un service à l'acheteur contre un prix, la convention est un "
            "marché public (publicité et mise en concurrence, ou exception à justifier) ; si l'acheteur soutient "
            "un projet d'intérêt général dont la structure a l'initiative, c'est une subvention. À qualifier avant "
            "signature."
        )
    return (
        "Gratuité : conforme à la pratique des facilitateurs, financés par leurs partenaires ; les conditions "
        "propres à TME sont à confirmer."
    )


def note_publication() -> str:
    return (
        "Copie de relecture : ces commentaires sont destinés au juriste. Publiez la version sans commentaires "
        "(dossier principal), jamais cette copie."
    )


def note_rgpd() -> str:
    return (
        "Rôles au sens du RGPD : chaque partie est responsable de son propre traitement (pas de sous-traitance "
        "au sens de l'article 28) ; répartition proposée par drafter, à valider avec les délégués à la "
        "protection des données, comme la durée de conservation de cinq ans."
    )


def note_cdi() -> str:
    return (
        "Heures des CDI décomptées jusqu'à la fin du marché : pratique d'un modèle de CCAP de l'État (accord-cadre "
        "des services du Premier ministre, jusqu'à quatre ans) [pratique, non normative] — choix à valider."
    )


def note_decompte(subsequent: bool) -> str:
    what = "au montant de chaque marché subséquent" if subsequent else "au montant cumulé des bons de commande"
    return (
        f"Règle de décompte : le ratio s'applique {what} ; aucune autre règle d'ajustement au montant ne "
        "s'applique (pas de double ajustement). Méthodes « minimum » et « estimé » : pratique sans source "
        "officielle — à confirmer avec TME."
    )


def note_echelle() -> str:
    return (
        "Échelle de notation du mémoire social (0, 3, 6, 10) et répartition des sous-critères : proposition de "
        "drafter fondée sur la pratique (cadre de mémoire social de Toulouse Métropole) ; les sous-critères "
        "restent liés à l'exécution du marché (pas de politique sociale générale de l'entreprise) — à valider."
    )
