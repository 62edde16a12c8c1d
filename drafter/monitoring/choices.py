"""Closed lists of the monitoring data (codes in the database, French labels for people).

The labels are what spreadsheets, the admin and the reports show; the codes never change
once data exists (a relabelling is free, a recoding needs a migration).
"""

from __future__ import annotations

from enum import Enum, EnumMeta
from typing import Self


class _ChoicesMeta(EnumMeta):
    @property
    def choices(cls) -> list[tuple[str, str]]:
        """``(code, label)`` pairs, for a Django field's ``choices``."""
        return [(m.value, m.label) for m in cls]  # type: ignore[var-annotated]

    @property
    def labels(cls) -> list[str]:
        return [m.label for m in cls]  # type: ignore[var-annotated]


class Choices(str, Enum, metaclass=_ChoicesMeta):  # noqa: UP042 - labelled choices whose metaclass is not StrEnum's
    """A code with a French label; importable without Django (``drafter --help`` stays light)."""

    label: str

    def __new__(cls, value: str, label: str) -> Self:
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = label
        return member

    def __str__(self) -> str:
        return self.value


class StructureKind(Choices):
    EMPLOYMENT_HOUSE = "mde", "Maison de l'emploi"
    PLIE = "plie", "PLIE"
    EPCI = "epci", "EPCI"
    DEPARTMENT = "departement", "Conseil départemental"
    ASSOCIATION = "association", "Association"
    SIAE = "siae", "Structure d'insertion par l'activité économique (SIAE)"
    EMPLOYER_GROUP = "groupement", "Groupement d'employeurs"


class ClauseMethod(Choices):
    VOLUME = "volume", "Volume d'heures fixé"
    RATIO = "ratio", "Ratio par tranche de 10 000 € HT commandés"
    MINIMUM = "minimum", "Volume calculé sur le montant minimum"
    ESTIMATE = "estime", "Volume calculé sur le montant estimé"


class ContractorKind(Choices):
    ORDINARY = "ordinaire", "Entreprise ordinaire"
    SIAE = "siae", "SIAE"
    EA = "ea", "Entreprise adaptée (EA)"
    ESAT = "esat", "ESAT"
    GEIQ = "geiq", "GEIQ"


class Sex(Choices):
    WOMAN = "F", "Femme"
    MAN = "M", "Homme"


class AgeBand(Choices):
    UNDER_26 = "moins_26", "Moins de 26 ans"
    FROM_26_TO_49 = "26_49", "26 à 49 ans"
    FROM_50 = "50_plus", "50 ans et plus"


class Qualification(Choices):
    NONE = "infra_3", "Sans diplôme (infra niveau 3)"
    LEVEL_3 = "3", "Niveau 3 (CAP, BEP)"
    LEVEL_4 = "4", "Niveau 4 (baccalauréat)"
    LEVEL_5_PLUS = "5_plus", "Niveau 5 et plus (bac + 2 et au-delà)"


class Prescriber(Choices):
    FRANCE_TRAVAIL = "france_travail", "France Travail"
    MISSION_LOCALE = "mission_locale", "Mission locale"
    CAP_EMPLOI = "cap_emploi", "Cap emploi"
    PLIE = "plie", "PLIE"
    SIAE = "siae", "Structure d'insertion (SIAE)"
    DEPARTMENT = "departement", "Services du département"
    OTHER = "autre", "Autre"


class Route(Choices):
    DIRECT_HIRE = "embauche_directe", "Embauche directe"
    PLACEMENT = "mise_a_disposition", "Mise à disposition (ETTI, AI, GEIQ, EATT)"
    SUBCONTRACTING = "sous_traitance", "Sous-traitance ou cotraitance (SIAE, EA, ESAT)"
    TRAINING = "formation", "Formation"


class ContractType(Choices):
    CDI = "cdi", "CDI"
    CDD = "cdd", "CDD"
    CDDI = "cddi", "CDDI"
    TEMPORARY = "interim", "Travail temporaire"
    APPRENTICESHIP = "apprentissage", "Contrat d'apprentissage"
    PROFESSIONALISATION = "professionnalisation", "Contrat de professionnalisation"


class DeclarationStatus(Choices):
    DECLARED = "declaree", "Déclarée"
    VALIDATED = "validee", "Validée"
    REFUSED = "refusee", "Refusée"


class DecisionKind(Choices):
    POOLING = "mutualisation", "Mutualisation entre lots"
    POSTPONEMENT = "report", "Report du calendrier"
    REDUCTION = "reduction", "Réduction du volume"
    ADJUSTMENT = "ajustement", "Ajustement du volume"


class Checkpoint(Choices):
    EXIT = "sortie", "À la sortie"
    SIX_MONTHS = "six_mois", "Six mois après la sortie"


class OutcomeCategory(Choices):
    DURABLE_JOB = "emploi_durable", "Emploi durable"
    TRANSITION_JOB = "emploi_transition", "Emploi de transition"
    POSITIVE_EXIT = "sortie_positive", "Sortie positive"
    OTHER = "autre", "Autre situation"


# Eligibility categories of the CCAP drafter writes (« Publics éligibles »), kept as flags only:
# benefit and disability status are never stored beyond this yes/no (GDPR art. 9 minimisation).
ELIGIBILITY = {
    "cat_long_term_unemployed": ("dld", "Demandeur d'emploi de longue durée"),
    "cat_minimum_income": ("minima", "Bénéficiaire d'un minimum social (RSA, ASS, AAH) ou d'une pension d'invalidité"),
    "cat_disability": ("th", "Travailleur handicapé (RQTH, OETH)"),
    "cat_young": ("jeune", "Jeune de moins de 26 ans sans qualification"),
    "cat_senior": ("senior", "Demandeur d'emploi de 50 ans et plus"),
    "cat_iae": ("iae", "PASS IAE ou salarié d'une SIAE"),
    "cat_ea_esat": ("ea_esat", "Salarié d'une EA ou travailleur d'un ESAT"),
    "cat_geiq_epide": ("geiq", "Accompagné par un GEIQ, un EPIDE, une E2C ou une régie de quartier"),
    "cat_qpv": ("qpv", "Habitant d'un QPV en difficulté d'accès à l'emploi"),
    "cat_other": ("autre", "Autre difficulté, sur avis motivé du facilitateur"),
}
ELIGIBILITY_BY_CODE = {code: (field, label) for field, (code, label) in ELIGIBILITY.items()}

DECP_VALUES = ("Clause sociale", "Critère social", "Marché réservé", "Pas de considération sociale")
