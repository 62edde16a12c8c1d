"""Answer scripts for the ``drafter new`` tests: one list of typed lines per section."""

from __future__ import annotations

import io

TME = ["Sophie Laurent", "Toulouse Métropole Emploi", "1 place Saint-Sernin, 31000 Toulouse",
       "clauses.sociales@tme.exemple.fr", "05 61 00 00 00", "Occitanie"]
MONTPELLIER = ["Nadia Benali", "Maison de l'emploi de Montpellier", "10 rue de la République, 34000 Montpellier",
               "clauses@mde-montpellier.exemple.fr", "04 67 00 00 00", "Hérault"]


def buyer(name: str = "Préfecture du Tarn") -> list[str]:
    # nom, catégorie (Entrée : État), service (passé), adresse, représentant, contact ?
    return [name, "", "", "Place de la Préfecture, 81013 Albi", "Le préfet du Tarn", "n"]


def market(subject: str, reference: str, *, nature: str, form: str = "", procedure: str = "1",
           date: str = "2027-01-15", months: str = "36", place: str = "Tarn (81)", cpv: str = "",
           defence: str = "n") -> list[str]:
    return [subject, reference, nature, form, procedure, date, months, place, cpv, defence]


def facilitator(answers: list[str] | None = TME) -> list[str]:
    return ["o", *answers] if answers else ["n"]


def single_lot(amount: str, sector: str, *, share: str = "", services: bool = True) -> list[str]:
    # alloti ? non ; montant ; secteur ; part propre ; (services) objet d'insertion ?
    return ["n", amount, sector, share, *(["n"] if services else [])]


def auto_insertion(*, structures: str = "") -> list[str]:
    # dispositif (Entrée : auto), taux, coût horaire, critère ?, pénalité, structures inclusives
    return ["", "", "", "n", "", structures]


def script(*parts: list[str]) -> str:
    return "\n".join(line for part in parts for line in part) + "\n"


class InterruptedInput(io.BytesIO):
    """Piped input after which the user presses Ctrl-C (KeyboardInterrupt at the next read)."""

    def read(self, size: int | None = -1) -> bytes:
        data = super().read(size)
        if not data and size != 0:
            raise KeyboardInterrupt
        return data

    def read1(self, size: int = -1) -> bytes:
        return self.read(size)
