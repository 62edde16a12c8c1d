"""Lots section of the wizard: the single-lot shorthand under ``marche``, or a loop of lots.

Each lot: number and title, amounts (minimum and maximum for framework agreements only),
sector picked from the labour-share table of the launch date (indicative values flagged),
labour share, insertion as the object, staff taken over (cleaning), and its facilitator.
"""

from __future__ import annotations

from drafter.domain import fmt
from drafter.domain.labels import NATURE_FR
from drafter.domain.profile import Lot, LotFields, Nature
from drafter.inputs.loading import amount_order_problems
from drafter.inputs.profile_yaml import LOT_KEYS
from drafter.inputs.source import Source
from drafter.law.rules import UNSOURCED
from drafter.wizard.draft import Draft, put
from drafter.wizard.prompter import Option, field_parser, question_of

OTHER = "__autre__"
MARKET = "__marche__"
OWN = "__propre__"
_ANSWER = Source("<réponse>", None)


def ask_lots(w: Draft) -> None:
    """First pass (or revision of a single-lot market): shorthand or a loop of lots."""
    if w.io.confirm("Le marché est-il divisé en plusieurs lots ?", w.is_multi_lot) or not to_single(w):
        to_lots(w)
        lots = w.data["lots"]
        for index in range(len(lots)):
            ask_lot(w, index)
        if not lots:
            add_lot(w)
        while w.io.confirm("Ajouter un autre lot ?", False):
            add_lot(w)
        return
    w.io.say("Marché à lot unique : montant et secteur sont indiqués pour le marché entier.")
    ask_lot_fields(w, w.market)


def revise_lots(w: Draft) -> None:
    """Revision of a multi-lot market: review, add or remove lots, or go back to a single lot."""
    io = w.io
    while True:
        lots = w.data["lots"]
        io.say("Lots actuels : " + " · ".join(f"{lot.get('numero')}. {lot.get('intitule', '')}"
                                               for lot in lots))
        action = io.choose("Que voulez-vous faire", [
            Option("tous", "Revoir tous les lots"), Option("un", "Revoir un lot"),
            Option("ajouter", "Ajouter un lot"), Option("supprimer", "Supprimer un lot"),
            Option("unique", "Passer à un marché à lot unique"), Option("retour", "Retour au résumé"),
        ], "retour")
        if action == "retour":
            return
        if action == "tous":
            for index in range(len(lots)):
                ask_lot(w, index)
        elif action == "un":
            ask_lot(w, pick_lot(w, "Lot à revoir"))
        elif action == "ajouter":
            add_lot(w)
        elif action == "supprimer":
            if len(lots) == 1:
                io.say("  Il reste un seul lot : passez plutôt à un marché à lot unique.")
                continue
            index = pick_lot(w, "Lot à supprimer")
            if io.confirm(f"Supprimer le lot {lots[index].get('numero')} ?", False):
                del lots[index]
        elif action == "unique" and to_single(w):
            ask_lot_fields(w, w.market)
            return


def pick_lot(w: Draft, question: str) -> int:
    options = [Option(i, f"Lot {lot.get('numero')} — {lot.get('intitule', '')}")
               for i, lot in enumerate(w.data["lots"])]
    return w.io.choose(question, options)


def to_lots(w: Draft) -> None:
    """Turn the shorthand into a first lot (its values become the defaults)."""
    if "lots" in w.data:
        return
    first = {key: w.market.pop(key) for key in LOT_KEYS if key in w.market}
    w.data["lots"] = [{"numero": 1, "intitule": w.market.get("objet"), **first}] if first else []


def to_single(w: Draft) -> bool:
    """Turn the lots into the shorthand (the first lot's values); False if the buyer declines."""
    lots = w.data.get("lots")
    if lots is None:
        return True
    if len(lots) > 1 and not w.io.confirm(
            f"Les {len(lots)} lots seront remplacés par un lot unique, qui reprend les valeurs du lot "
            f"{lots[0].get('numero')}. Continuer ?", False):
        return False
    first = w.data.pop("lots")[0]
    w.market.update({key: first[key] for key in LOT_KEYS if key in first})
    if "facilitateur" in first and "facilitateur" not in w.data:
        w.data["facilitateur"] = first["facilitateur"]
    if first.get("insertion"):
        w.part("insertion").update(first["insertion"])
    return True


def add_lot(w: Draft) -> None:
    lots = w.data["lots"]
    numbers = [lot["numero"] for lot in lots if isinstance(lot.get("numero"), int)]
    lots.append({"numero": max(numbers, default=0) + 1})
    ask_lot(w, len(lots) - 1)


def ask_lot(w: Draft, index: int) -> None:
    io, lot = w.io, w.data["lots"][index]
    io.say()
    io.say(f"Lot en position {index + 1}" + (f" — {lot['intitule']}" if lot.get("intitule") else ""))
    others = {other.get("numero"): pos for pos, other in enumerate(w.data["lots"]) if pos != index}

    def unique(number: int) -> str | None:
        if number in others:
            return (f"numéro de lot en double (déjà utilisé par le lot en position {others[number] + 1}) "
                    f"(valeur lue : « {number} »)")
        return None

    lot["numero"] = io.ask(question_of(Lot, "numero"), field_parser(Lot, "numero"), current=lot.get("numero"),
                           check=unique)
    w.text_field(lot, Lot, "intitule")
    ask_lot_fields(w, lot)
    ask_lot_facilitator(w, lot)


def amount_problems(fields: dict, form: str) -> list[str]:
    """The amount-order checks of ``drafter check`` (minimum ≤ estimate ≤ maximum)."""
    return [p.message for p in amount_order_problems(fields, (), _ANSWER, form)]


def ask_lot_fields(w: Draft, fields: dict) -> None:
    """Amounts, sector, labour share, insertion object, staff taken over."""
    io = w.io
    while True:
        if w.form.is_framework:
            for alias in ("montant_minimum_ht", "montant_maximum_ht"):
                put(fields, alias, io.ask(question_of(LotFields, alias), field_parser(LotFields, alias),
                                          current=fields.get(alias), required=False, show=fmt.number))
        fields["montant_estime_ht"] = io.ask(question_of(LotFields, "montant_estime_ht"),
                                             field_parser(LotFields, "montant_estime_ht"),
                                             current=fields.get("montant_estime_ht"), show=fmt.number)
        problems = amount_problems(fields, w.form.value)
        if not problems:
            break
        for problem in problems:
            io.error(problem)
    ask_sector(w, fields)
    if w.market.get("nature") == Nature.SERVICES or fields.get("objet_insertion"):
        had = "objet_insertion" in fields
        value = io.confirm("L'insertion professionnelle est-elle l'objet même du marché (marché d'insertion, "
                           "art. R2123-1 3°) ?", bool(fields.get("objet_insertion", False)))
        put(fields, "objet_insertion", value if (had or value) else None)
    if fields.get("objet_insertion"):
        ask_support_activity(w, fields)
    if fields.get("secteur") == "nettoyage_proprete" or "heures_mensuelles_personnel_repris" in fields:
        alias = "heures_mensuelles_personnel_repris"
        put(fields, alias, io.ask(question_of(LotFields, alias), field_parser(LotFields, alias),
                                  current=fields.get(alias), show=fmt.smart, required=False))


def ask_sector(w: Draft, fields: dict) -> None:
    io = w.io
    sectors = w.rules().sectors()
    current = fields.get("secteur") or (OTHER if "part_main_oeuvre" in fields else None)
    nature = w.market.get("nature")
    offered = {key: rv for key, rv in sectors.items() if rv.fits(nature) or key == current}
    options = []
    for key, rv in offered.items():
        flag = " [à confirmer]" if rv.to_confirm else ""
        if not rv.fits(nature) and rv.natures:
            flag += f" [habituellement : {', '.join(NATURE_FR[n] for n in rv.natures)}]"
        options.append(Option(key, f"{rv.libelle} — {fmt.percent(rv.valeur)}{flag}"))
    of_nature = f" d'un marché de {NATURE_FR[Nature(nature)]}" if nature else ""
    choice = io.choose(f"Secteur d'activité{of_nature} (part de main-d'œuvre de la table)", options, current,
                       extra=Option(OTHER, "Autre activité : je saisis la part de main-d'œuvre"),
                       note=f"[à confirmer] : {UNSOURCED}.")
    share_question = question_of(LotFields, "part_main_oeuvre")
    parse = field_parser(LotFields, "part_main_oeuvre")
    if choice == OTHER:
        fields.pop("secteur", None)
        fields["part_main_oeuvre"] = io.ask(share_question, parse, current=fields.get("part_main_oeuvre"),
                                            show=fmt.percent)
        return
    fields["secteur"] = choice
    table = fmt.percent(sectors[choice].valeur)
    put(fields, "part_main_oeuvre", io.ask(
        "Part de main-d'œuvre propre à ce marché, si elle diffère de la table", parse,
        current=fields.get("part_main_oeuvre"), show=fmt.percent, required=False,
        hint=f"facultatif ; Entrée : {table}, valeur de la table"))


def ask_lot_facilitator(w: Draft, lot: dict) -> None:
    market = w.data.get("facilitateur")
    first = (f"Le facilitateur du marché ({market.get('nom')}, {market.get('structure')})" if market
             else "Aucun facilitateur pour ce lot")
    options = [Option(MARKET, first)]
    copies: dict[str, dict] = {}
    for other in w.data["lots"]:
        fac = other.get("facilitateur")
        if other is not lot and fac and fac != market and fac not in copies.values():
            key = f"lot-{other.get('numero')}"
            copies[key] = fac
            options.append(Option(key, f"Le même que le lot {other.get('numero')} "
                                       f"({fac.get('nom')}, {fac.get('structure')})"))
    options.append(Option(OWN, "Un autre facilitateur, propre à ce lot"))
    current = OWN if "facilitateur" in lot else MARKET
    choice = w.io.choose(f"Facilitateur du lot {lot['numero']}", options, current)
    if choice == MARKET:
        lot.pop("facilitateur", None)
    elif choice == OWN:
        w.ask_facilitator_fields(lot.setdefault("facilitateur", {}))
    else:
        lot["facilitateur"] = dict(copies[choice])


def ask_support_activity(w: Draft, fields: dict) -> None:
    """Insertion market (R2123-1 3°): the support activity, described for itself, and its volume."""
    w.text_field(fields, LotFields, "activite_support")
    for alias in ("postes_insertion", "heures_activite_support"):
        put(fields, alias, w.io.ask(question_of(LotFields, alias), field_parser(LotFields, alias),
                                    current=fields.get(alias), show=fmt.smart, required=False))
