"""French labels of the profile's enumerations, written once (prose form, lower case).

The decision trail, the documents and the wizard's menus (capitalised) all use these; mechanism
labels are in :mod:`drafter.domain.mechanisms` (``Mechanism.label``).
"""

from __future__ import annotations

from drafter.domain.profile import BuyerCategory, Form, FrameworkMethod, Nature, Procedure

CATEGORY_FR = {
    BuyerCategory.ETAT: "État (autorité publique centrale)",
    BuyerCategory.OTHER_AUTHORITY: "autre pouvoir adjudicateur",
    BuyerCategory.UTILITY: "entité adjudicatrice",
}
NATURE_FR = {Nature.WORKS: "travaux", Nature.SERVICES: "services", Nature.SUPPLIES: "fournitures"}
FORM_FR = {
    Form.ORDINARY: "marché ordinaire",
    Form.FRAMEWORK_ORDERS: "accord-cadre exécuté par bons de commande",
    Form.FRAMEWORK_SUBSEQUENT: "accord-cadre donnant lieu à la conclusion de marchés subséquents",
}
PROCEDURE_FR = {
    Procedure.OPEN: "appel d'offres ouvert",
    Procedure.RESTRICTED: "appel d'offres restreint",
    Procedure.ADAPTED: "procédure adaptée",
    Procedure.NEGOTIATED: "procédure avec négociation",
    Procedure.DIALOGUE: "dialogue compétitif",
}


METHOD_FR = {
    FrameworkMethod.RATIO: "ratio d'heures par tranche de 10 000 € HT commandés",
    FrameworkMethod.MINIMUM: "heures sur le montant minimum, puis ratio au-delà",
    FrameworkMethod.ESTIMATE: "heures sur le montant estimé, ajustées aux commandes",
}


def capital(text: str) -> str:
    """« condition d'exécution » → « Condition d'exécution » (table cells, menus)."""
    return text[:1].upper() + text[1:]


def capitalised(labels: dict) -> dict:
    """The same labels with a capital initial (menus, table cells)."""
    return {key: capital(text) for key, text in labels.items()}
