"""Insertion section of the wizard: mechanism, exception, sizing parameters, criterion.

Market choices first (``insertion``), then, for a multi-lot market, the lots whose choices
differ (``lots[i].insertion``: a reserved lot, another rate…). Defaults come from the rule
tables in force at the launch date and are shown with their source; an answer left empty
keeps the table's value (the key stays out of the file). The exception to the mandatory
social condition is asked only when the chosen mechanism needs one, and its justification
is checked by the decision engine itself.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pydantic import ValidationError

from drafter.domain import fmt
from drafter.domain.labels import capital
from drafter.domain.profile import Form, FrameworkMethod, InsertionSettings, Mechanism, Profile
from drafter.engine.decide import decide
from drafter.errors import DrafterError
from drafter.present.explain import obligation_verdict
from drafter.wizard.draft import Draft
from drafter.wizard.prompter import Option, field_parser, question_of, text

M = Mechanism
HOURS = {M.AUTO, M.CONDITION, M.CONDITION_AND_CRITERION}
NEEDS_EXCEPTION = {M.NONE, M.CRITERION}
BACK = "__retour__"
MECHANISM_OPTIONS = [
    Option(M.AUTO, "Automatique : drafter choisit selon le volume d'heures (auto, conseillé)"),
    *(Option(m, f"{capital(m.label)} ({m.value})") for m in M if m is not M.AUTO),
]
METHOD_OPTIONS = [
    Option(FrameworkMethod.RATIO, "Ratio : heures par tranche de 10 000 € HT commandés (ratio, conseillé)"),
    Option(FrameworkMethod.MINIMUM, "Heures sur le montant minimum, puis ratio au-delà (minimum)"),
    Option(FrameworkMethod.ESTIMATE, "Heures sur le montant estimé, ajustées aux commandes (estime)"),
]


def resolve(data: dict, path: tuple) -> dict:
    """The insertion settings at ``path`` (``("insertion",)`` or ``("lots", i, "insertion")``)."""
    node: Any = data
    for part in path[:-1]:
        node = node[part]
    return node.setdefault(path[-1], {})


def ask_insertion(w: Draft) -> None:
    io = w.io
    facts = w.facts()
    if facts is not None:
        verdict = obligation_verdict(facts.obligation, w.rules())
        io.say(f"Valeur estimée : {fmt.euros(facts.value)} HT · seuil européen : "
               f"{fmt.euros(facts.threshold)} HT → {verdict}.")
    rules = w.rules()
    io.say(f"Valeurs par défaut des tables de règles au {fmt.date_long(rules.date)} : taux "
           f"{fmt.percent(rules.value('taux_insertion'))}, coût horaire "
           f"{fmt.euros(rules.value('cout_horaire'))} HT, pondération du critère "
           f"{fmt.smart(rules.value('ponderation_critere'))} %, volume minimum "
           f"{fmt.smart(rules.value('heures_minimum'))} h.")
    ask_settings(w, ("insertion",), None)
    if w.is_multi_lot:
        ask_lot_overrides(w)


def ask_lot_overrides(w: Draft) -> None:
    io, lots = w.io, w.data["lots"]
    while True:
        own = [lot for lot in lots if lot.get("insertion")]
        if own:
            io.say("Choix propres à certains lots : " + " · ".join(
                f"lot {lot.get('numero')} ({_settings_text(lot['insertion'])})" for lot in own))
        question = ("Modifier les choix d'insertion propres d'un lot ?" if own else
                    "Un lot a-t-il des choix d'insertion différents (ex. lot réservé, autre taux) ?")
        if not io.confirm(question, False):
            return
        options = [Option(i, f"Lot {lot.get('numero')} — {lot.get('intitule', '')}")
                   for i, lot in enumerate(lots)]
        index = io.choose("Lot concerné", options)
        lot = lots[index]
        if lot.get("insertion") and io.confirm("Revenir aux choix du marché pour ce lot ?", False):
            lot.pop("insertion")
            continue
        ask_settings(w, ("lots", index, "insertion"), w.data.get("insertion") or {})
        if not lot.get("insertion"):
            lot.pop("insertion", None)


def _settings_text(settings: dict) -> str:
    return ", ".join(f"{key}: {value}" if key != "exception" else "exception" for key, value in settings.items())


def ask_settings(w: Draft, path: tuple, base: dict | None) -> None:
    """Ask the insertion choices at ``path``; ``base`` holds the market's (for a lot) or None."""
    q = SettingsQuestions(w, path, base)
    mech = q.mechanism()
    if mech in HOURS:
        q.number("taux_insertion", "taux_insertion", fmt.percent)
        q.number("cout_horaire", "cout_horaire", _euros)
    if mech in {M.AUTO, M.CONDITION}:
        q.criterion()
    criterion = q.target.get("critere", q.inherited.get("critere", False))
    if mech in {M.CONDITION_AND_CRITERION, M.CRITERION} or (mech in {M.AUTO, M.CONDITION} and criterion):
        q.number("ponderation_critere", "ponderation_critere", lambda v: f"{fmt.smart(v)} %")
    if mech is M.TRAINING:
        q.training_hours()
    if mech in HOURS:
        q.number("penalite_par_heure", "penalite_par_heure", _euros)
        if w.form is Form.FRAMEWORK_ORDERS:
            q.method()
    if not q.lot_level:
        q.suppliers()


def _euros(value: Any) -> str:
    return fmt.euros(value) + " HT"


class SettingsQuestions:
    """The insertion questions of the market (``base`` None) or of one lot (``base``: the market's)."""

    def __init__(self, w: Draft, path: tuple, base: dict | None):
        self.w, self.io, self.path = w, w.io, path
        self.target = resolve(w.data, path)
        self.inherited = dict(base or {})
        self.lot_level = base is not None

    def keep(self, alias: str, value: Any, default: Any) -> None:
        """Store an answer; a lot stores only what differs from the market (unless already set)."""
        if value is None:
            self.target.pop(alias, None)
        elif alias in self.target or value != default:
            self.target[alias] = value

    def inherited_value(self, alias: str) -> Any:
        return self.inherited.get(alias) if self.lot_level else None

    def mechanism(self) -> Mechanism:
        while True:
            inherited = self.inherited.get("dispositif", M.AUTO) if self.lot_level else None
            mech = self.io.choose("Dispositif juridique", MECHANISM_OPTIONS,
                                  self.target.get("dispositif", inherited or M.AUTO))
            self.keep("dispositif", mech, inherited)
            if ask_exception(self.w, self.path, self.target, self.inherited, mech):
                return mech

    def number(self, alias: str, rule_id: str, show: Callable[[Any], str]) -> None:
        if self.lot_level and alias in self.inherited:
            default = f"{show(self.inherited[alias])}, choix du marché"
        else:
            rv = self.w.rules().get(rule_id)
            shown = show(rv.valeur) if rv.valeur is not None else "égale au coût horaire retenu"
            default = f"{shown}, table de règles" + (", à confirmer" if rv.to_confirm else "")
        value = self.io.ask(question_of(InsertionSettings, alias), field_parser(InsertionSettings, alias),
                            current=self.target.get(alias), show=show, required=False, hint=f"Entrée : {default}")
        self.keep(alias, value, self.inherited_value(alias))

    def criterion(self) -> None:
        inherited = bool(self.inherited.get("critere", False))
        value = self.io.confirm("Ajouter un critère d'attribution « insertion » (pondéré dans la note) ?",
                                bool(self.target.get("critere", inherited)))
        self.keep("critere", value, inherited)

    def method(self) -> None:
        current = self.target.get("methode_accord_cadre",
                                  self.inherited.get("methode_accord_cadre", FrameworkMethod.RATIO))
        method = self.io.choose("Méthode de calcul des heures de l'accord-cadre à bons de commande",
                                METHOD_OPTIONS, current)
        self.keep("methode_accord_cadre", method, self.inherited_value("methode_accord_cadre"))

    def training_hours(self) -> None:
        """Training condition (plan de progrès): hours of training per employee and year, required."""
        alias = "heures_formation_par_salarie"
        value = self.io.ask(question_of(InsertionSettings, alias), field_parser(InsertionSettings, alias),
                            current=self.target.get(alias, self.inherited.get(alias)), show=fmt.smart)
        self.keep(alias, value, self.inherited_value(alias))

    def suppliers(self) -> None:
        alias = "structures_inclusives_disponibles"
        count = self.io.ask(question_of(InsertionSettings, alias), field_parser(InsertionSettings, alias),
                            current=self.target.get(alias), required=False,
                            hint="facultatif, ex. d'après le marché de l'inclusion ; Entrée pour passer")
        self.keep(alias, count, None)


def ask_exception(w: Draft, path: tuple, target: dict, inherited: dict, mech: Mechanism) -> bool:
    """Motive and justification when the mechanism needs them; False to choose the mechanism again."""
    io = w.io
    facts = w.facts()
    obliged = facts is None or facts.obligation
    existing = target.get("exception") or inherited.get("exception")
    if not (obliged and (mech in NEEDS_EXCEPTION or (mech is M.AUTO and existing))):
        if target.pop("exception", None) is not None:
            io.say("  L'exception déclarée est sans objet avec ce dispositif : elle est retirée.")
        return True
    if mech is M.AUTO:
        io.say(f"  Une exception à la condition sociale obligatoire (art. {w.rules().article('obligation_sociale')}) "
               "est déclarée : "
               "vérifiez son motif et sa justification.")
    else:
        what = "« aucun »" if mech is M.NONE else "« critère d'attribution » seul"
        article = w.rules().article("obligation_sociale")
        io.say(f"  Le marché est soumis à la condition sociale obligatoire (art. {article}) : le dispositif "
               f"{what} n'est possible qu'avec une exception motivée.")
    exception = dict(existing or {})
    motives = w.rules().exception_motives()
    options = [Option(key, rv.libelle + (" [libellé à confirmer]" if rv.to_confirm
                                         else "")) for key, rv in motives.items()]
    motive = io.choose("Motif de l'exception (art. L2112-2-1 II)", options, exception.get("motif"),
                       extra=Option(BACK, "Pas d'exception : revenir au choix du dispositif"))
    if motive == BACK:
        target.pop("exception", None)
        return False
    exception["motif"] = motive
    justification = io.ask(
        "Justification écrite de l'exception, conservée au dossier du marché", text,
        current=exception.get("justification"), required=False, hint="obligatoire",
        check=lambda value: justification_problem(w, path, {**exception, "justification": value}))
    exception["justification"] = justification
    if "exception" in target or exception != inherited.get("exception"):
        target["exception"] = exception
    return True


def justification_problem(w: Draft, path: tuple, exception: dict) -> str | None:
    """The decision engine's message on this exception, if it finds one (e.g. no justification)."""
    trial = copy.deepcopy(w.data)
    resolve(trial, path)["exception"] = {k: v for k, v in exception.items() if v is not None}
    try:
        decision = decide(Profile.model_validate(trial), w.rules())
    except (ValidationError, DrafterError):
        return None
    where = (*path, "exception")
    for issue in decision.erreurs:
        if issue.loc[:len(where)] == where:
            return issue.message
    return None
