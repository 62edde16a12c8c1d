"""The ``drafter new`` wizard: French questions → a profile (the YAML-shaped dict of SPEC §3).

The wizard only produces answers. It keeps a draft in the shape of a profile file (French
keys, typed values); the decision shown before saving and the file written are made by the
library from that draft (:mod:`drafter.wizard_review`, :mod:`drafter.profile_yaml`).
Sections: acheteur, marché, facilitateur (here), lots (:mod:`drafter.wizard_lots`),
insertion (:mod:`drafter.wizard_insertion`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import ValidationError

from drafter.domain import fmt
from drafter.domain.labels import CATEGORY_FR, FORM_FR, NATURE_FR, PROCEDURE_FR, capitalised
from drafter.domain.profile import Buyer, BuyerCategory, Contact, Facilitator, Form, Market, Nature, Profile
from drafter.engine.facts import MarketFacts, market_facts, threshold_rule_id
from drafter.errors import DrafterError
from drafter.inputs.loading import LoadedProfile, validate_profile
from drafter.inputs.profile_yaml import profile_to_yaml
from drafter.inputs.source import parse_yaml
from drafter.law.rules import RuleBook, Rules
from drafter.wizard.prompter import (
    Option,
    Prompter,
    date_parser,
    field_parser,
    is_required,
    list_parser,
    question_of,
)

DRAFT_NAME = "profil en cours"
SECTIONS = {
    "acheteur": "Acheteur",
    "marche": "Marché",
    "facilitateur": "Facilitateur",
    "lots": "Lots, montants et secteurs",
    "insertion": "Choix d'insertion",
}
NATURE_LABELS = capitalised(NATURE_FR)
FORM_LABELS = capitalised(FORM_FR)
PROCEDURE_LABELS = capitalised(PROCEDURE_FR)


class Abandoned(Exception):
    """The buyer chose to leave without saving."""


def put(target: dict, key: str, value: Any) -> None:
    """Set ``key``, or remove it when the answer is empty."""
    if value is None:
        target.pop(key, None)
    else:
        target[key] = value


def enum_options(labels: dict) -> list[Option]:
    return [Option(value, f"{label} ({value.value})") for value, label in labels.items()]


class Wizard:
    """Holds the draft and asks the questions of each section."""

    def __init__(self, io: Prompter, book: RuleBook, today: dt.date, start: Profile | None = None):
        self.io, self.book, self.today = io, book, today
        self.editing = start is not None
        self.reviewing = False
        self.data: dict[str, Any] = start.model_dump(by_alias=True, exclude_unset=True) if start else {}
        self.data["version"] = 1

    # --- the draft ----------------------------------------------------------------------
    def part(self, key: str) -> dict:
        return self.data.setdefault(key, {})

    @property
    def market(self) -> dict:
        return self.part("marche")

    @property
    def form(self) -> Form:
        return Form(self.market.get("forme", Form.ORDINARY))

    @property
    def is_multi_lot(self) -> bool:
        return "lots" in self.data

    def launch_date(self) -> dt.date:
        return self.market.get("date_lancement") or self.today

    def rules(self) -> Rules:
        return self.book.at(self.launch_date())

    def facts(self) -> MarketFacts | None:
        """Value, threshold and obligation of the market as drafted (None if not computable yet)."""
        try:
            return market_facts(Profile.model_validate(self.data), self.rules())
        except (ValidationError, DrafterError):
            return None

    def sector_labels(self) -> dict[str, str]:
        labels = {}
        for key, rv in self.rules().sectors().items():
            flag = " (indicatif, à confirmer)" if rv.to_confirm else ""
            labels[key] = f"{rv.libelle}, main-d'œuvre {fmt.percent(rv.valeur)}{flag}"
        return labels

    def yaml_text(self) -> str:
        """The profile file as it will be written (commented YAML)."""
        try:
            labels = self.sector_labels()
        except DrafterError:
            labels = {}
        return profile_to_yaml(self.data, sector_labels=labels)

    def load(self, text: str) -> LoadedProfile:
        """Validate the text exactly as ``drafter check`` validates a file (ProfileError)."""
        return validate_profile(parse_yaml(text.encode("utf-8"), DRAFT_NAME))

    # --- generic field questions --------------------------------------------------------
    def text_field(self, target: dict, model: type, alias: str, question: str | None = None) -> None:
        value = self.io.ask(question or question_of(model, alias), field_parser(model, alias),
                            current=target.get(alias), required=is_required(model, alias))
        put(target, alias, value)

    # --- sections -----------------------------------------------------------------------
    def ask_buyer(self) -> None:
        buyer = self.part("acheteur")
        self.text_field(buyer, Buyer, "nom")
        options = [Option(c, f"{capitalised(CATEGORY_FR)[c]} ({c.value})")
                   for c in BuyerCategory]
        buyer["categorie"] = self.io.choose("Catégorie d'acheteur", options,
                                            current=buyer.get("categorie", BuyerCategory.ETAT))
        self.text_field(buyer, Buyer, "service")
        self.text_field(buyer, Buyer, "adresse")
        self.text_field(buyer, Buyer, "representant")
        if self.io.confirm("Indiquer une personne à contacter chez l'acheteur ?", "contact" in buyer):
            contact = buyer.setdefault("contact", {})
            self.text_field(contact, Contact, "nom")
            self.text_field(contact, Contact, "courriel")
            self.text_field(contact, Contact, "telephone")
        else:
            buyer.pop("contact", None)

    def ask_market(self) -> None:
        market, io = self.market, self.io
        before = self.form
        self.text_field(market, Market, "objet")
        self.text_field(market, Market, "reference")
        market["nature"] = io.choose("Nature du marché", enum_options(NATURE_LABELS), market.get("nature"))
        market["forme"] = io.choose("Forme du marché", enum_options(FORM_LABELS),
                                    market.get("forme", Form.ORDINARY))
        market["procedure"] = io.choose("Procédure de passation", enum_options(PROCEDURE_LABELS),
                                        market.get("procedure"))
        market["date_lancement"] = io.ask(
            "Date de lancement de la consultation (AAAA-MM-JJ)", date_parser(Market, "date_lancement"),
            current=market.get("date_lancement") or self.today, show=dt.date.isoformat, check=self._rules_at)
        market["duree_mois"] = io.ask(question_of(Market, "duree_mois"), field_parser(Market, "duree_mois"),
                                      current=market.get("duree_mois"))
        self.text_field(market, Market, "lieu_execution")
        put(market, "cpv", io.ask("Codes CPV au format NNNNNNNN-N, séparés par des virgules",
                                  list_parser(Market, "cpv"), current=market.get("cpv"),
                                  show=", ".join, required=False) or None)
        market["defense_ou_securite"] = io.confirm("Marché de défense ou de sécurité ?",
                                                   bool(market.get("defense_ou_securite", False)))
        if before.is_framework and not self.form.is_framework:
            self._drop_framework_fields()
        elif self.form.is_framework and not before.is_framework and self.editing:
            io.say("  Accord-cadre : indiquez les montants minimum et maximum dans la rubrique des lots.")

    def _rules_at(self, date: dt.date) -> str | None:
        """The date must have rules in force (same message as ``drafter check``)."""
        rules = self.book.at(date)
        category = BuyerCategory(self.part("acheteur").get("categorie", BuyerCategory.ETAT))
        probe = Profile.model_construct(buyer=Buyer.model_construct(category=category),
                                        market=Market.model_construct(nature=Nature(self.market["nature"])))
        needed = ("taux_insertion", "cout_horaire", "heures_minimum", "obligation_sociale.date_debut",
                  threshold_rule_id(probe))
        try:
            for rule_id in needed:
                rules.get(rule_id)
        except DrafterError as exc:
            return exc.render()
        return None

    def _drop_framework_fields(self) -> None:
        removed = False
        for fields in [self.market, *self.data.get("lots", [])]:
            for key in ("montant_minimum_ht", "montant_maximum_ht"):
                removed |= fields.pop(key, None) is not None
        for settings in [self.data.get("insertion") or {}, *((lot.get("insertion") or {})
                                                            for lot in self.data.get("lots", []))]:
            removed |= settings.pop("methode_accord_cadre", None) is not None
        if removed:
            self.io.say("  Marché ordinaire : les montants minimum et maximum et la méthode d'accord-cadre "
                        "sont retirés.")

    def ask_facilitator(self) -> None:
        has = "facilitateur" in self.data
        if not self.io.confirm("Un facilitateur des clauses sociales accompagne-t-il le marché (conseillé) ?",
                               has or not self.editing):
            self.data.pop("facilitateur", None)
            return
        self.ask_facilitator_fields(self.part("facilitateur"))

    def ask_facilitator_fields(self, target: dict) -> None:
        for alias in ("nom", "structure", "adresse", "courriel", "telephone", "territoire"):
            self.text_field(target, Facilitator, alias)

    # --- the whole flow -----------------------------------------------------------------
    def ask_section(self, key: str) -> None:
        from drafter.wizard.insertion import ask_insertion
        from drafter.wizard.lots import ask_lots, revise_lots

        number = list(SECTIONS).index(key) + 1
        self.io.title(f"{number}/{len(SECTIONS)} · {SECTIONS[key]}")
        if key == "lots" and self.is_multi_lot and self.reviewing:
            revise_lots(self)
            return
        {"acheteur": self.ask_buyer, "marche": self.ask_market, "facilitateur": self.ask_facilitator,
         "lots": lambda: ask_lots(self), "insertion": lambda: ask_insertion(self)}[key]()

    def run(self) -> tuple[str, Any]:
        """Ask every section, then review until the buyer saves; returns (YAML text, analysis)."""
        from drafter.wizard.review import review

        self.io.say("Assistant de création d'un profil de marché (clause sociale d'insertion).")
        self.io.say("Entrée accepte la valeur proposée entre crochets ; Ctrl-C abandonne sans rien écrire.")
        if self.editing:
            self.io.say("Les réponses du profil de départ sont proposées par défaut.")
        for key in SECTIONS:
            self.ask_section(key)
        self.reviewing = True
        return review(self)


__all__ = ["Wizard", "Abandoned", "SECTIONS", "put"]
