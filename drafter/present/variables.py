"""The template contract: every variable the context provides, with its French description.

This is the documentation lawyers read when they edit a template
(``clause_templates/README.md`` and ``drafter templates export`` are generated from it),
what ``drafter templates check`` validates edited templates against, and what the tests
compare :func:`drafter.context.build_context` with, key for key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Var:
    """A variable: text (the default), ``yes/no``, an object with fields, or a list of items."""

    description: str
    kind: str = "texte"  # texte | booleen | objet | liste
    fields: dict[str, Var] = field(default_factory=dict)
    item: Var | None = None
    optional: bool = False  # may be empty (None): test it with {%p if … %}


def T(description: str) -> Var:
    return Var(description)


def B(description: str) -> Var:
    return Var(description, "booleen")


def O(description: str, optional: bool = False, **fields: Var) -> Var:  # noqa: E743
    return Var(description, "objet", fields, optional=optional)


def L(description: str, item: Var) -> Var:
    return Var(description, "liste", item=item)


REVUE_NOTE = "marqueur de commentaire de revue (vide sans --revue) : à placer en fin de paragraphe"
STEP = O(
    "une étape du raisonnement",
    numero=T("numéro d'ordre"),
    regle=T("identifiant de la règle"),
    texte=T("explication en français"),
    reference=T("référence juridique ou source"),
)
GROUP: dict[str, Any] = {  # Any: spread into O(**fields) next to its « optional » flag
    "lots_liste": T(
        "les lots du groupe : « lots n° 1 à 3 et 5 », « lot n° 2 » ou « marché » (lot unique) ; vide si aucun"
    ),
    "champ": T("« aux lots n° 1 et 2 », « au lot n° 3 » ou « au marché » ; vide si aucun"),
    "les_lots": T("« les lots n° 1 et 2 », « le lot n° 3 » ou « le marché » ; vide si aucun"),
}
FACILITATEUR_FIELDS: dict[str, Any] = {
    "nom": T("nom du facilitateur"),
    "structure": T("structure qui porte le facilitateur"),
    "adresse": T("adresse de la structure"),
    "courriel": T("adresse électronique"),
    "telephone": T("téléphone"),
    "territoire": T("territoire couvert (peut être vide)"),
}
FACILITATEUR_LIGNE = O("un facilitateur et les lots qu'il suit", **FACILITATEUR_FIELDS, **GROUP)

LOT = O(
    "un lot (le lot unique d'un marché non alloti porte le numéro 1)",
    numero=T("numéro du lot"),
    intitule=T("intitulé du lot"),
    designation=T("« Lot n° 2 – Hérault », ou « Lot unique »"),
    sujet=T("sujet d'une phrase : « Le lot n° 2 (Hérault) », ou « Le marché »"),
    dispositif=T("code du dispositif (condition_execution, reserve_siae…)"),
    dispositif_libelle=T("dispositif en clair, avec majuscule initiale"),
    condition=B("le lot comporte une condition d'exécution (clause d'insertion)"),
    critere=B("le lot comporte un critère d'attribution « insertion »"),
    critere_seul=B("critère d'attribution sans condition d'exécution"),
    reserve=B("lot réservé (SIAE, handicap ou les deux)"),
    reserve_siae=B("réservé aux SIAE"),
    reserve_handicap=B("réservé aux EA et ESAT"),
    reserve_siae_handicap=B("réservé aux SIAE, EA et ESAT à la fois"),
    marche_insertion=B("marché d'insertion et de qualification professionnelle"),
    sans_clause=B("pas de clause sociale"),
    besoin_facilitateur=B("le dispositif est suivi par un facilitateur (heures, critère, marché d'insertion)"),
    avec_facilitateur=B(
        "un facilitateur intervient sur le lot (suivi, ou facilitateur désigné d'un lot réservé ou de formation)"
    ),
    formation=B("condition d'exécution de formation et de qualification du personnel (plan de progrès)"),
    heures_formation=T("« 14 heures » de formation par salarié et par année d'exécution ; sinon vide"),
    travailleurs=T("lot réservé : « travailleurs handicapés », « travailleurs défavorisés » ou les deux ; sinon vide"),
    personnel_repris=T("PACT Propreté : « 400 heures par mois » de personnel repris ; sinon vide"),
    deduction_personnel_repris=T(
        "PACT Propreté en accord-cadre : heures déduites au titre du personnel repris ; sinon vide"
    ),
    activite_support=T("marché d'insertion : l'activité support décrite par l'acheteur ; sinon vide"),
    postes_insertion=T("marché d'insertion : nombre de postes en parcours ; sinon vide"),
    heures_activite_support=T("marché d'insertion : heures de travail sur l'activité support ; sinon vide"),
    base_legale=T("fondement : « articles … du code de la commande publique » (table « references »)"),
    heures=T("heures dues : « 5 376 heures » ; vide sans heures"),
    obligation=T("l'obligation telle que le CCAP la formule (heures, ou ratio et méthode) ; vide sans heures"),
    volume=T("ce que le lot exige, pour les tableaux : l'obligation, ou « Sans objet (marché réservé) »…"),
    ratio=T("« 22,4 heures par tranche de 10 000 € HT commandés » (accords-cadres) ; sinon vide"),
    methode=T("méthode de l'accord-cadre en clair ; sinon vide"),
    equivalent_temps_plein=T("« 35,4 mois » de travail à temps plein ; vide sans heures"),
    montant_estime=T("« 2 400 000 € HT »"),
    montant_minimum=T("montant minimum ou vide"),
    montant_maximum=T("montant maximum ou vide"),
    secteur=T("secteur en clair ou vide"),
    part_main_oeuvre=T("« 80 % » ou vide"),
    taux_insertion=T("« 7 % »"),
    cout_horaire=T("« 25 € HT »"),
    penalite_par_heure=T("« 25 € HT » ou vide"),
    ponderation_critere=T("« 10 % » ou vide"),
    calcul=O(
        "le calcul des heures (vide si aucun calcul)",
        optional=True,
        pact=B("calcul selon la méthode PACT Propreté (personnel repris)"),
        indicatif=B("calcul indicatif : aucune heure n'est exigée (dispositif sans condition)"),
        base_libelle=T("« montant estimé » ou « montant minimum »"),
        base_montant=T("« 2 400 000 € HT »"),
        formule=T("la formule avec ses nombres et le résultat arrondi"),
        ponderation_pact=T("la pondération PACT Propreté (personnel repris) ou vide"),
        ratio=T("le calcul du ratio par tranche de 10 000 € HT ou vide"),
        equivalent_temps_plein=T(
            "« 5 376 heures ÷ <heures d'un mois à temps plein> = 35,4 mois de travail à temps plein »"
        ),
    ),
    facilitateur=O("le facilitateur du lot (vide si aucun)", optional=True, **FACILITATEUR_FIELDS),
    convention_facilitateur=O(
        "conditions de la convention avec la structure du facilitateur",
        programme=T("programme ou année couverts (convention sur un programme) ; vide pour ce seul marché"),
        finance=B("mission de facilitation rémunérée par l'acheteur"),
        montant=T("montant HT de la rémunération, ou vide"),
    ),
    exception=O(
        "l'exception motivée à la condition sociale obligatoire (vide si aucune)",
        optional=True,
        texte=T("motif"),
        justification=T("justification conservée au dossier"),
    ),
    avertissements=L("avertissements de la décision", T("un avertissement")),
    a_confirmer=L("points à confirmer (chacun dit « à confirmer »)", T("un point à confirmer")),
    alternatives=L("solutions à envisager", T("une solution")),
    mentions_avis=L("mentions à porter dans l'avis ou les documents de la consultation", T("une mention")),
    trace=L("raisonnement propre au lot", STEP),
    revue=O(
        "marqueurs de revue du lot",
        dispositif=T(REVUE_NOTE + " (dispositif et fondement)"),
        heures=T(REVUE_NOTE + " (calcul des heures)"),
        penalite=T(REVUE_NOTE + " (pénalité)"),
        critere=T(REVUE_NOTE + " (pondération du critère)"),
        reserve=T(REVUE_NOTE + " (réservation)"),
    ),
)

COMMON: dict[str, Var] = {
    "drafter": O("l'outil", version=T("version de drafter")),
    "acheteur": O(
        "l'acheteur",
        nom=T("nom"),
        service=T("service (peut être vide)"),
        adresse=T("adresse"),
        representant=T("représentant qui signe, tel que saisi (« Le préfet de l'Aude »)"),
        partie=T("la partie qui contracte : « L'État (Préfecture de l'Aude) » pour l'État, sinon le nom"),
        etat=B("l'acheteur est un service de l'État"),
        represente_par=T("« représenté par le préfet de l'Aude » (accord et article en minuscule)"),
        contact_nom=T("contact (peut être vide)"),
        contact_courriel=T("courriel du contact (peut être vide)"),
        contact_telephone=T("téléphone du contact (peut être vide)"),
    ),
    "marche": O(
        "le marché",
        objet=T("objet"),
        reference=T("référence"),
        nature=T("travaux, services ou fournitures"),
        nature_libelle=T("nature en clair"),
        travaux=B("marché de travaux"),
        forme_libelle=T("forme en clair"),
        accord_cadre=B("accord-cadre"),
        bons_de_commande=B("accord-cadre à bons de commande"),
        marches_subsequents=B("accord-cadre à marchés subséquents"),
        procedure_libelle=T("procédure en clair"),
        procedure_formalisee=B("procédure formalisée"),
        procedure_ouverte=B("appel d'offres ouvert"),
        date_lancement=T("date en lettres (« 1er mars … ») ou vide"),
        duree=T("« 48 mois »"),
        lieu_execution=T("lieu d'exécution"),
        cpv=T("codes CPV ou vide"),
        defense_ou_securite=B("marché de défense ou de sécurité"),
        lot_unique=B("marché non alloti"),
        nombre_lots=T("nombre de lots"),
        valeur_estimee=T("« 6 880 000 € HT » (tous lots, toute la durée)"),
        seuil_europeen=T("« 140 000 € HT »"),
        seuil_precision=T("précision du seuil : « (seuil des services sociaux…) », « (… valeur à confirmer) » ou vide"),
        reseau_tme=B("marché de l'État exécuté sur le territoire du réseau animé par TME (table « reseau »)"),
        obligation_sociale=B("soumis à la condition sociale obligatoire"),
        critere_environnemental_obligatoire=B(
            "critère environnemental obligatoire (consultation lancée à partir de la date de la table « seuils »)"
        ),
        date_reference=T("date de lecture des règles"),
        penalite_rapport=T("« 100 € HT » par document non transmis"),
        revue=O(
            "marqueurs de revue du marché",
            obligation=T(REVUE_NOTE + " (obligation sociale)"),
            penalite_rapport=T(REVUE_NOTE + " (pénalité pour défaut de transmission)"),
            ccag=T(REVUE_NOTE + " (références au CCAG)"),
            publication=T(REVUE_NOTE + " (rappel : publier la version sans commentaires)"),
            rgpd=T(REVUE_NOTE + " (rôles RGPD et conservation)"),
            cdi=T(REVUE_NOTE + " (décompte des heures des CDI)"),
        ),
    ),
    "regles": O(
        "les règles appliquées",
        date=T("date de référence"),
        tables=L("tables de règles", O("une table", table=T("nom"), version=T("version"))),
        parametres_locaux=T("fichier de paramètres locaux appliqué, ou vide"),
    ),
    "trace_marche": L("raisonnement au niveau du marché (valeur, seuil, obligation)", STEP),
    "lots": L("tous les lots", LOT),
    "lots_condition": L("lots avec condition d'exécution", LOT),
    "lots_critere": L("lots avec critère « insertion »", LOT),
    "lots_formation": L("lots avec condition de formation du personnel (plan de progrès)", LOT),
    "lots_pact": L("lots avec clause d'insertion calculée selon PACT Propreté (personnel repris)", LOT),
    "lots_reserves": L("lots réservés", LOT),
    "lots_insertion": L("lots en marché d'insertion", LOT),
    "lots_sans_clause": L("lots sans clause sociale", LOT),
    "lots_avec_clause": L("lots avec un dispositif social", LOT),
    "lots_suivis": L("lots suivis par un facilitateur", LOT),
    "condition": O(
        "les lots avec condition d'exécution",
        **GROUP,
        base_legale=T("« articles … du code de la commande publique » (table « references »)"),
        en_application=T("« en application des articles … »"),
        penalite_par_heure=T("pénalité commune à ces lots, ou vide si elle diffère"),
        a_ratio=B("au moins un lot exprimé en ratio par tranche de 10 000 € HT"),
        methode_ratio=B("au moins un lot en méthode « ratio »"),
        methode_minimum=B("au moins un lot en méthode « minimum »"),
        methode_estime=B("au moins un lot en méthode « estimé »"),
        revue_penalite=T(REVUE_NOTE + " (pénalité commune)"),
        revue_decompte=T(REVUE_NOTE + " (règle de décompte des accords-cadres)"),
    ),
    "critere": O(
        "les lots avec critère « insertion »",
        **GROUP,
        ponderation=T("pondération commune, ou vide si elle diffère"),
        revue_echelle=T(REVUE_NOTE + " (échelle de notation du mémoire social)"),
    ),
    "reserve": O(
        "les lots réservés",
        **GROUP,
        part_minimum=T("part minimale de travailleurs handicapés ou défavorisés (table « calcul »)"),
        travailleurs=T(
            "« travailleurs handicapés », « travailleurs défavorisés » ou les deux, commun aux lots réservés"
        ),
        siae=B("au moins un lot réservé aux SIAE"),
        handicap=B("au moins un lot réservé aux EA et ESAT"),
    ),
    "insertion": O(
        "les lots en marché d'insertion", **GROUP, revue=T(REVUE_NOTE + " (critères de jugement du marché d'insertion)")
    ),
    "formation": O("les lots avec condition de formation du personnel", **GROUP),
    "pact": O(
        "les lots calculés selon PACT Propreté (personnel repris)",
        **GROUP,
        coefficient=T("coefficient fixé par la branche de la propreté (« 25 »)"),
    ),
    "condition_sociale": O("les lots avec une condition d'exécution sociale (heures ou formation)", **GROUP),
    "clause": O(
        "les lots avec un dispositif social",
        **GROUP,
        base_commune=T("le fondement juridique commun à tous ces lots ; vide s'ils diffèrent"),
    ),
    "pieces": O(
        "numéros des articles du CCAP et du RC de l'acheteur qui reçoivent les pièces (profil : pieces)",
        article_ccap=T("numéro de l'article du CCAP, ex. « 9 » ; vide sans numéro"),
        article_rc=T("numéro de l'article du RC, ex. « 6 » ; vide sans numéro"),
        numerotation_ccap=T("numérotation Word des titres du CCAP (usage interne des modèles)"),
        numerotation_rc=T("numérotation Word des titres du RC (usage interne des modèles)"),
    ),
    "sans_clause": O("les lots sans clause sociale", **GROUP),
    "facilitateurs": L("un facilitateur par ligne, avec ses lots", FACILITATEUR_LIGNE),
    "facilitateur_a_designer": O("lots qui ont besoin d'un facilitateur mais n'en ont pas", **GROUP),
    "points_a_confirmer": L("tous les points à confirmer, avec leurs lots", T("un point")),
    "avertissements": L("tous les avertissements, avec leurs lots", T("un avertissement")),
    "alternatives": L("toutes les solutions à envisager, avec leurs lots", T("une solution")),
    "mentions_avis": L("toutes les mentions pour l'avis, avec leurs lots", T("une mention")),
}

CONVENTION = O(
    "la convention avec une structure de facilitation",
    structure=T("nom de la structure"),
    adresse=T("adresse de la structure"),
    fichier=T("nom de fichier sûr de la structure"),
    programme=T("programme ou année couverts ; vide pour ce seul marché"),
    finance=B("mission de facilitation rémunérée par l'acheteur"),
    montant=T("montant HT de la rémunération, ou vide"),
    reseau_tme=B("la structure est Toulouse Métropole Emploi, qui anime le réseau des facilitateurs"),
    revue_discretion=T(REVUE_NOTE + " (obligation de discrétion)"),
    revue_donnees=T(REVUE_NOTE + " (fondement et données sensibles)"),
    revue_financement=T(REVUE_NOTE + " (gratuité ou financement)"),
    articles=T("« ses articles … » (visa)"),
    facilitateurs=L("les facilitateurs de la structure", FACILITATEUR_LIGNE),
    lots=L("les lots suivis par la structure", LOT),
    **GROUP,
)


@dataclass(frozen=True)
class TemplateSpec:
    """A bundled template: its purpose, when drafter renders it, its own extra variables."""

    name: str
    purpose: str
    when: str
    output: str
    extra: dict[str, Var] = field(default_factory=dict)

    @property
    def file(self) -> str:
        return f"{self.name}.docx"

    def variables(self) -> dict[str, Var]:
        return {**COMMON, **self.extra}


TEMPLATES: dict[str, TemplateSpec] = {
    t.name: t
    for t in (
        TemplateSpec(
            "note-de-calcul",
            "Note de calcul interne : identification, règles et versions, valeur et seuil, "
            "obligation, décision et raisonnement par lot, formule et équivalents temps plein, avertissements, "
            "points à confirmer, solutions, mentions de l'avis, visa « revu par / le ».",
            "toujours",
            "note-de-calcul.docx",
        ),
        TemplateSpec(
            "ccap-article-insertion",
            "Article du CCAP : objet et fondement, publics éligibles, condition "
            "d'exécution (heures, modalités, pénalités, ajustement), engagements du mémoire social, marché "
            "d'insertion, marché réservé, suivi (facilitateur, correspondant, justificatifs, données "
            "personnelles, bilan).",
            "si au moins un lot a un dispositif social",
            "ccap-article-insertion.docx",
        ),
        TemplateSpec(
            "rc-article-insertion",
            "Article du RC : dispositif et heures par lot, contact du facilitateur, "
            "pièces à fournir (engagement, mémoire social, justificatif de statut), pondération et notation.",
            "si au moins un lot a un dispositif social",
            "rc-article-insertion.docx",
        ),
        TemplateSpec(
            "engagement-insertion",
            "Engagement du candidat pour un lot : heures pré-remplies, modalités à "
            "cocher, statut (lots réservés), correspondant, signature.",
            "un par lot ayant un dispositif social",
            "engagement-insertion.docx (lot unique) ou engagement-insertion-lot-N.docx",
            {"lot": LOT},
        ),
        TemplateSpec(
            "convention-facilitateur",
            "Convention entre l'acheteur et une structure de facilitation : "
            "parties, objet, missions avant / pendant / après, engagements de l'acheteur, données "
            "personnelles, indicateurs, durée, coût, résiliation, litiges, signatures.",
            "une par structure de facilitation, pour ses lots suivis par un facilitateur",
            "convention-facilitateur-<structure>.docx",
            {"convention": CONVENTION},
        ),
    )
}
