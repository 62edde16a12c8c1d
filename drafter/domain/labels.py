"""French labels of the profile's enumerations, written once (prose form, lower case).

The decision trail, the documents and the wizard's menus (capitalised) all use these.
"""

from __future__ import annotations

from drafter.domain.profile import BuyerCategory, Form, Nature, Procedure

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


def capitalised(labels: dict) -> dict:
    """The same labels with a capital initial (menus, table cells)."""
    return {key: text[:1].upper() + text[1:] for key, text in labels.items()}
