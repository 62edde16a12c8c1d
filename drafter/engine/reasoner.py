"""The state of one lot's reasoning: what it reads (profile, rules, market facts) and what it
finds (steps, warnings, points to confirm, alternatives, notices, issues, legal bases).

The mechanism functions (:mod:`drafter.engine.lot_mechanism`) add to it through its small
methods; :mod:`drafter.engine.lot` runs them and assembles the lot's decision.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from drafter.domain import fmt
from drafter.domain.decision import Coded, Issue, Sizing, Step
from drafter.domain.labels import NATURE_FR
from drafter.domain.profile import Form, FrameworkMethod, Lot, Profile, lot_path, merged_insertion
from drafter.engine.facts import MarketFacts
from drafter.engine.sizing import SizingInput, size
from drafter.law.rules import Rules, RuleValue

Loc = tuple[str | int, ...]


@dataclass
class Findings:
    """Everything the reasoning about one lot produced, in order."""

    steps: list[Step] = field(default_factory=list)
    warnings: list[Coded] = field(default_factory=list)
    confirm: list[Coded] = field(default_factory=list)
    alternatives: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)


class _Unset:
    """Marker of a value not computed yet (``None`` is a meaningful result)."""


UNSET = _Unset()


class LotReasoner:
    """Reason about one lot: read its settings, record what is found."""

    def __init__(self, profile: Profile, lot: Lot, index: int, rules: Rules, facts: MarketFacts):
        self.profile, self.lot, self.rules, self.facts = profile, lot, rules, facts
        self.settings = merged_insertion(profile, lot)
        self.loc: Loc = lot_path(profile, index)
        self.found = Findings(steps=list(facts.steps), warnings=list(facts.warnings), confirm=list(facts.confirm))
        self._share: Decimal | None | _Unset = UNSET
        self._sizing: Sizing | None | _Unset = UNSET
        self.method: FrameworkMethod | None = None
        self.weight: Decimal | None = None

    # --- recording ------------------------------------------------------------------
    def step(self, rule: str, text: str, reference: str) -> None:
        self.found.steps.append(Step(rule, text, reference))

    def warn(self, code: str, text: str) -> None:
        self.found.warnings.append(Coded(text, code))

    def has_warning(self, code: str) -> bool:
        return any(w.code == code for w in self.found.warnings)

    def to_confirm(self, code: str, text: str, *, worded: bool = False) -> None:
        self.found.confirm.append(Coded(text, code, worded=worded))

    def suggest(self, text: str) -> None:
        self.found.alternatives.append(text)

    def notice(self, text: str) -> None:
        self.found.notices.append(text)

    def issue(self, loc: Loc, message: str) -> None:
        self.found.issues.append(Issue(loc, message))

    def base(self, *codes: str) -> None:
        self.found.bases.extend(codes)

    # --- where a setting sits in the YAML -------------------------------------------
    def ins_loc(self, alias: str) -> Loc:
        attr = {f.alias: n for n, f in type(self.settings).model_fields.items()}[alias]
        if self.lot.insertion is not None and attr in self.lot.insertion.model_fields_set:
            return (*self.loc, "insertion", alias)
        return ("insertion", alias)

    # --- values from the rule tables or the profile ---------------------------------
    def note_rule(self, rule_id: str, text: str) -> Decimal:
        """Record a default taken from the rule tables; flag it when unverified."""
        rv = self.rules.get(rule_id)
        ref = " — ".join(part for part in (rv.reference, rv.provenance) if part)  # unsourced rules have no reference
        self.step(rule_id, text.format(v=rv.valeur), ref)
        if rv.to_confirm:
            self.to_confirm(rule_id, f"{rv.libelle} : {rv.provenance}.", worded=True)
        return rv.valeur

    def param(self, attr: str, alias: str, rule_id: str, label: str, show: Callable[[Decimal], str]) -> Decimal:
        value = getattr(self.settings, attr)
        if value is not None:
            where = "du lot" if self.ins_loc(alias)[0] == "lots" else "du marché"
            self.step(f"profil.{alias}", f"{label} : {show(value)} (choix {where} dans le profil).",
                      self.rules.cite("choix_acheteur"))
            return value
        rv = self.rules.get(rule_id)
        return self.note_rule(rule_id, f"{label} : {show(rv.valeur)} (valeur par défaut de la table de règles).")

    # --- labour share and hours -----------------------------------------------------
    def share(self) -> Decimal | None:
        if isinstance(self._share, _Unset):
            self._share = self._resolve_share()
        return self._share

    def _resolve_share(self) -> Decimal | None:
        lot = self.lot
        if lot.labour_share is not None:
            self.step("profil.part_main_oeuvre", f"Part de main-d'œuvre : {fmt.percent(lot.labour_share)} "
                      "(saisie dans le profil).", self.rules.cite("choix_acheteur"))
            return lot.labour_share
        if lot.sector is not None and lot.sector in self.rules.sectors():
            rv = self.rules.sectors()[lot.sector]
            return self.note_rule(
                rv.id, f"Part de main-d'œuvre du secteur « {rv.libelle} » : {fmt.percent(rv.valeur)}"
                + (" — valeur indicative non sourcée, à confirmer avec le facilitateur." if rv.source is None
                   else " (table des parts de main-d'œuvre)."))
        self.issue((*self.loc, "secteur"),
                   "part de main-d'œuvre inconnue : indiquez « secteur » (liste : drafter regles) ou "
                   "« part_main_oeuvre » (ex. 0.50) pour calculer les heures d'insertion.")
        return None

    def check_sector(self) -> None:
        restriction = self.rules.values.get(f"reference.secteur_restriction.{self.lot.sector}")
        if restriction is not None:
            self.warn("secteur.restriction", f"{restriction.libelle} : {restriction.valeur}.")
        sectors = self.rules.sectors()
        if self.lot.sector is not None and self.lot.sector not in sectors:
            self.issue((*self.loc, "secteur"),
                       f"secteur inconnu (valeur lue : « {self.lot.sector} ») ; secteurs admis : "
                       f"{', '.join(sorted(sectors))}.")
            if self.lot.labour_share is None:
                self._share = None
        elif self.lot.sector is not None:
            self._check_sector_nature(sectors[self.lot.sector])

    def _check_sector_nature(self, sector: RuleValue) -> None:
        """A sector usually attached to another nature of market: a warning (the buyer may know better)."""
        nature = self.profile.market.nature
        if sector.fits(nature) or not sector.natures:
            return
        usual = " ou aux ".join(NATURE_FR[n] for n in sector.natures)
        self.warn("secteur.nature",
                  f"Secteur « {self.lot.sector} » ({sector.libelle}) habituellement rattaché aux {usual}, "
                  f"pour un marché de {NATURE_FR[nature]} : vérifiez le secteur ou la part de main-d'œuvre.")

    def sizing(self) -> Sizing | None:
        if isinstance(self._sizing, _Unset):
            self._sizing = self._compute_sizing()
        return self._sizing

    def computed_sizing(self) -> Sizing | None:
        """The sizing if it was computed during the reasoning (kept as indicative)."""
        return None if isinstance(self._sizing, _Unset) else self._sizing

    def _compute_sizing(self) -> Sizing | None:
        share = self.share()
        if share is None:
            return None
        rate = self.param("rate", "taux_insertion", "taux_insertion", "Taux d'insertion", fmt.percent)
        cost = self.param("hourly_cost", "cout_horaire", "cout_horaire", "Coût horaire chargé de calibrage",
                          lambda v: fmt.euros(v) + " HT")
        method = self.method = self.framework_method()
        staff = self._staff_hours()
        if staff and method not in (None, FrameworkMethod.RATIO):
            self.warn("methode.pact_affine", f"« methode_accord_cadre: {method.value} » remplacée : avec du personnel "
                      "repris (PACT Propreté), l'obligation d'un accord-cadre est un ratio par tranche de 10 000 € HT "
                      "commandés diminué de la part fixe du personnel repris.")
            method = self.method = FrameworkMethod.RATIO
        inp = SizingInput(
            estimate=self.lot.estimate or Decimal(0), minimum=self.lot.minimum, share=share, rate=rate,
            cost=cost, duration_months=self.profile.market.duration_months, method=method,
            staff_hours=staff, pact_coefficient=self.rules.value("pact_proprete.coefficient"),
            pact_decomposition=self.rules.value("pact_proprete.decomposition"),
            fte_hours=self.rules.value("heures_mensuelles_temps_plein"),
        )
        self._check_minimum_method(method)
        sizing, steps, warnings = size(inp, self.rules)
        self.found.steps.extend(steps)
        self.found.warnings.extend(warnings)
        return sizing

    def _staff_hours(self) -> Decimal | None:
        if self.lot.sector == "nettoyage_proprete" and self.lot.staff_taken_over_hours is None:
            self.warn("proprete.personnel_repris_non_renseigne",
                      "Nettoyage : aucun volume de personnel repris n'est indiqué. Dans la propreté, la reprise du "
                      f"personnel est la règle ({self.rules.cite('proprete_reprise')}) : indiquez "
                      "« heures_mensuelles_personnel_repris » (0 s'il n'y en a pas), sans quoi le volume d'heures "
                      "d'insertion peut être surévalué.")
        staff = self.lot.staff_taken_over_hours or None
        if staff and self.lot.sector != "nettoyage_proprete":
            self.issue((*self.loc, "heures_mensuelles_personnel_repris"),
                       "la pondération du personnel repris (PACT Propreté) ne s'applique qu'au secteur "
                       "« nettoyage_proprete » : retirez ce champ ou corrigez le secteur.")
            return None
        return staff

    def _check_minimum_method(self, method: FrameworkMethod | None) -> None:
        if method is FrameworkMethod.MINIMUM and self.lot.minimum is None:
            self.issue((*self.loc, "montant_estime_ht"),
                       "la méthode « minimum » exige un montant minimum : ajoutez « montant_minimum_ht » "
                       "à ce lot ou choisissez la méthode « ratio ».")

    def framework_method(self) -> FrameworkMethod | None:
        form, chosen = self.profile.market.form, self.settings.framework_method
        if form is Form.ORDINARY:
            if chosen is not None:
                self.warn("methode.ignoree_marche_ordinaire",
                          f"« methode_accord_cadre: {chosen.value} » ignorée : le marché n'est pas un accord-cadre.")
            return None
        if form is Form.FRAMEWORK_SUBSEQUENT:
            if chosen not in (None, FrameworkMethod.RATIO):
                self.warn("methode.ignoree_marches_subsequents",
                          f"« methode_accord_cadre: {chosen.value} » ignorée : pour un accord-cadre à "
                          "marchés subséquents, l'obligation est fixée en ratio au niveau de "
                          "l'accord-cadre et reprise dans chaque marché subséquent.")
            self.step("heures.marches_subsequents",
                      "Accord-cadre à marchés subséquents : l'obligation est fixée au niveau de "
                      "l'accord-cadre sous forme de ratio, appliqué au montant de chaque marché "
                      "subséquent.", self.rules.cite("marches_subsequents"))
            self.to_confirm("heures.marches_subsequents", "Méthode des marchés subséquents (ratio fixé au niveau "
                            "de l'accord-cadre) : aucune source trouvée, à confirmer avec TME.", worded=True)
            return FrameworkMethod.RATIO
        return chosen or FrameworkMethod.RATIO
