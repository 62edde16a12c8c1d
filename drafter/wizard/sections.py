"""The wizard's first sections: buyer, market, facilitator (lots and insertion have their modules)."""

from __future__ import annotations

import datetime as dt
from functools import partial

from drafter.domain import fmt
from drafter.domain.labels import CATEGORY_FR, capitalised
from drafter.domain.parsing import STOP_WORDS, normalise
from drafter.domain.places import departements
from drafter.domain.profile import Buyer, BuyerCategory, Contact, Form, Market, Nature
from drafter.engine.facts import threshold_rule_id
from drafter.errors import DrafterError
from drafter.inputs.directory import for_departements
from drafter.wizard.draft import FORM_LABELS, NATURE_LABELS, PROCEDURE_LABELS, Draft, enum_options, put
from drafter.wizard.prompter import Option, date_parser, field_parser, list_parser, question_of


def ask_buyer(w: Draft) -> None:
    buyer = w.part("acheteur")
    w.text_field(buyer, Buyer, "nom")
    options = [Option(c, f"{capitalised(CATEGORY_FR)[c]} ({c.value})")
               for c in BuyerCategory]
    buyer["categorie"] = w.io.choose("Catégorie d'acheteur", options,
                                        current=buyer.get("categorie", BuyerCategory.ETAT))
    w.text_field(buyer, Buyer, "service")
    w.text_field(buyer, Buyer, "adresse")
    w.text_field(buyer, Buyer, "representant")
    if w.io.confirm("Indiquer une personne à contacter chez l'acheteur ?", "contact" in buyer):
        contact = buyer.setdefault("contact", {})
        w.text_field(contact, Contact, "nom")
        w.text_field(contact, Contact, "courriel")
        w.text_field(contact, Contact, "telephone")
    else:
        buyer.pop("contact", None)


def ask_market(w: Draft) -> None:
    market, io = w.market, w.io
    before = w.form
    w.text_field(market, Market, "objet")
    w.text_field(market, Market, "reference", proposal=proposed_reference(w))
    market["nature"] = io.choose("Nature du marché", enum_options(NATURE_LABELS), market.get("nature"))
    market["forme"] = io.choose("Forme du marché", enum_options(FORM_LABELS),
                                market.get("forme", Form.ORDINARY))
    market["procedure"] = io.choose("Procédure de passation", enum_options(PROCEDURE_LABELS),
                                    market.get("procedure"))
    market["date_lancement"] = io.ask(
        "Date de lancement de la consultation (JJ/MM/AAAA)", date_parser(Market, "date_lancement"),
        current=market.get("date_lancement") or w.today, show=fmt.date_short, check=partial(rules_at, w))
    market["duree_mois"] = io.ask(question_of(Market, "duree_mois"), field_parser(Market, "duree_mois"),
                                  current=market.get("duree_mois"))
    w.text_field(market, Market, "lieu_execution")
    put(market, "cpv", io.ask("Codes CPV au format NNNNNNNN-N, séparés par des virgules",
                              list_parser(Market, "cpv"), current=market.get("cpv"),
                              show=", ".join, required=False) or None)
    market["defense_ou_securite"] = io.confirm("Marché de défense ou de sécurité ?",
                                               bool(market.get("defense_ou_securite", False)))
    if before.is_framework and not w.form.is_framework:
        drop_framework_fields(w)
    elif w.form.is_framework and not before.is_framework and w.editing:
        io.say("  Accord-cadre : indiquez les montants minimum et maximum dans la rubrique des lots.")


def rules_at(w: Draft, date: dt.date) -> str | None:
    """The date must have rules in force (same message as ``drafter check``)."""
    rules = w.book.at(date)
    category = BuyerCategory(w.part("acheteur").get("categorie", BuyerCategory.ETAT))
    needed = ("taux_insertion", "cout_horaire", "heures_minimum", "obligation_sociale.date_debut",
              threshold_rule_id(Nature(w.market["nature"]), category))
    try:
        for rule_id in needed:
            rules.get(rule_id)
    except DrafterError as exc:
        return exc.render()
    return None


def drop_framework_fields(w: Draft) -> None:
    removed = False
    for fields in [w.market, *w.data.get("lots", [])]:
        for key in ("montant_minimum_ht", "montant_maximum_ht"):
            removed |= fields.pop(key, None) is not None
    for settings in [w.data.get("insertion") or {}, *((lot.get("insertion") or {})
                                                        for lot in w.data.get("lots", []))]:
        removed |= settings.pop("methode_accord_cadre", None) is not None
    if removed:
        w.io.say("  Marché ordinaire : les montants minimum et maximum et la méthode d'accord-cadre "
                    "sont retirés.")


def ask_facilitator(w: Draft) -> None:
    has = "facilitateur" in w.data
    if not w.io.confirm("Un facilitateur des clauses sociales accompagne-t-il le marché (conseillé) ?",
                           has or not w.editing):
        w.data.pop("facilitateur", None)
        return
    if w.directory:
        pick_from_directory(w)
    w.ask_facilitator_fields(w.part("facilitateur"))


def pick_from_directory(w: Draft) -> None:
    """Offer the directory's facilitators (those covering the market's département first); the chosen
    one's details become the proposed answers."""
    found = for_departements(w.directory, departements(w.market.get("lieu_execution")))
    options = [Option(entry, f"{entry.name} ({entry.structure})") for entry in found]
    current = next((e for e in found if e.name == w.part("facilitateur").get("nom")), None)
    chosen = w.io.choose("Facilitateur de l'annuaire", options, current,
                         extra=Option(None, "Autre facilitateur : je saisis ses coordonnées"))
    if chosen is not None:
        w.part("facilitateur").update(chosen.as_profile())


def proposed_reference(w: Draft) -> str:
    """« 2027-PT-ESPACES » : the year of launch, the buyer's initials, the first word of the object."""
    year = (w.market.get("date_lancement") or w.today).year
    buyer = normalise(w.part("acheteur").get("nom", ""))
    initials = "".join(word[0] for word in buyer.split() if len(word) > 2 and word not in STOP_WORDS)[:6]
    subject = [word for word in normalise(w.market.get("objet", "")).split() if len(word) > 3]
    parts = (str(year), initials.upper(), subject[0][:12].upper() if subject else "")
    return "-".join(part for part in parts if part)
