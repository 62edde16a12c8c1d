"""A scripted year of two real-looking markets, shared by the monitoring tests.

Works market 2027-SGCD11-TRX-01 (6 lots, 22 months, penalty 30 €/h): lot 1 → Démolition Sud,
lots 2 and 6 → BTP Aude, lot 3 → Menuiserie Solidaire (SIAE); all notified 2027-06-01, so each
lot runs from 2027-06-01 to 2029-03-31. Lots 4 and 5 have no contractor yet. Lot 6's 77 h are
pooled into lot 2 on 2027-09-01. Statements for June and July 2027; June all validated, July
validated except P-02's row (refused). Cleaning framework 2027-PFRA-NET-03, lot 1 (ratio
22,4 h per 10 000 € ordered): orders of 50 000 € (07/2027) and 75 000 € (08/2027), one July
statement left to validate.
"""

from __future__ import annotations

from drafter.monitoring import examples

from .conftest import NETTOYAGE, TRAVAUX, statement, suivi

TRX = "2027-SGCD11-TRX-01"
NET = "2027-PFRA-NET-03"
DEMOLITION, BTP, MENUISERIE, PROPRETE = "11111111100011", "22222222200022", "33333333300033", "44444444400044"
ETTI = "55555555500055"

JUNE = examples.JUNE
july = examples.july


NET_JULY = [[NET, 1, "P-10", "Femme", "26 à 49 ans", "Non", "dld", "Niveau 3 (CAP, BEP)", "France Travail",
             "Embauche directe", "CDI", "05/07/2027", None, PROPRETE, "2027-07", 70, 0]]


def build(generated, tmp_path) -> None:
    suivi("importer", generated["travaux"], "--profil", TRAVAUX)
    suivi("importer", generated["nettoyage"], "--profil", NETTOYAGE)
    for lot, siret, name, kind in [(1, DEMOLITION, "Démolition Sud", "ordinaire"), (2, BTP, "BTP Aude", "ordinaire"),
                                   (3, MENUISERIE, "Menuiserie Solidaire", "siae"), (6, BTP, "BTP Aude", "ordinaire")]:
        suivi("attribuer", TRX, "--lot", lot, "--siret", siret, "--nom", name, "--type", kind,
              "--notification", "2027-06-01")
    suivi("attribuer", NET, "--lot", 1, "--siret", PROPRETE, "--nom", "Propreté Garonne",
          "--notification", "2027-07-01")
    suivi("decision", TRX, "--lot", 2, "--type", "mutualisation", "--heures", 77, "--depuis-lot", 6,
          "--date", "2027-09-01", "--auteur", "SGCD de l'Aude", "--motif", "Même titulaire, lot 6 trop petit")
    suivi("commande", NET, "--lot", 1, "--mois", "2027-07", "--montant", "50000")
    suivi("commande", NET, "--lot", 1, "--mois", "2027-08", "--montant", "75000")
    suivi("declarer", statement(tmp_path / "juin.xlsx", JUNE), "--date", "2027-07-08")
    suivi("valider", TRX, "--mois", "2027-06", "--par", "Julien Fabre", "--date", "2027-07-12")
    suivi("declarer", statement(tmp_path / "juillet.xlsx", july()), "--date", "2027-08-09")
    suivi("valider", TRX, "--mois", "2027-07", "--par", "Julien Fabre", "--refus", "P-02=relevé d'heures non transmis",
          "--date", "2027-08-16")
    suivi("declarer", statement(tmp_path / "net-juillet.xlsx", NET_JULY), "--date", "2027-08-05")
    suivi("situation", "P-01", "--moment", "sortie", "--categorie", "emploi_durable", "--date", "2027-12-01")
    suivi("situation", "P-04", "--moment", "sortie", "--categorie", "sortie_positive", "--date", "2028-01-05")
