"""Per-lot reasoning (SPEC §4 steps 3–7): mechanism, hours, minimum, criterion, notices."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from drafter.domain import fmt
from drafter.domain.decision import Issue, LotDecision, Sizing, Step, ToConfirm
from drafter.domain.profile import Form, FrameworkMethod, Lot, Profile, lot_path, merged_insertion
from drafter.engine.lot_mechanism import decide_mechanism, finish
from drafter.engine.sizing import SizingInput, size
from drafter.law.rules import Rules

if TYPE_CHECKING:
    from drafter.engine.decide import MarketFacts

class LotReasoner:
    """Reason about one lot; collects steps, warnings, points to confirm and issues."""

    def __init__(self, profile: Profile, lot: Lot, index: int, rules: Rules, facts: MarketFacts):
        self.profile, self.lot, self.rules, self.facts = profile, lot, rules, facts
        self.settings = merged_insertion(profile, lot)
        self.loc = lot_path(profile, index)
        self.steps: list[Step] = list(facts.steps)
        self.warnings: list[str] = []
        self.confirm: list[ToConfirm] = []
        self.alternatives: list[str] = []
        self.notices: list[str] = []
        self.issues: list[Issue] = []
        self.bases: list[str] = []
        self._share: Decimal | None | bool = False  # False: not resolved yet
        self._sizing: Sizing | None | bool = False
        self.method: FrameworkMethod | None = None
        self.weight: Decimal | None = None

    # --- where a setting sits in the YAML -------------------------------------------
    def ins_loc(self, alias: str) -> tuple:
        attr = {f.alias: n for n, f in type(self.settings).model_fields.items()}[alias]
        if self.lot.insertion is not None and attr in self.lot.insertion.model_fields_set:
            return (*self.loc, "insertion", alias)
        return ("insertion", alias)

    def issue(self, loc: tuple, message: str) -> None:
        self.issues.append(Issue(loc, message))

    def note_rule(self, rule_id: str, text: str) -> Decimal:
        """Record a default taken from the rule tables; flag it when unverified."""
        rv = self.rules.get(rule_id)
        ref = " — ".join(part for part in (rv.reference, rv.provenance) if part)  # unsourced rules have no reference
        self.steps.append(Step(rule_id, text.format(v=rv.valeur), ref))
        if rv.a_confirmer or rv.source is None:
            self.confirm.append(ToConfirm(f"{rv.libelle} : {rv.provenance}.", rule_id))
        return rv.valeur

    def param(self, attr: str, alias: str, rule_id: str, label: str, show) -> Decimal:
        value = getattr(self.settings, attr)
        if value is not None:
            where = "du lot" if self.ins_loc(alias)[0] == "lots" else "du marché"
            self.steps.append(Step(f"profil.{alias}", f"{label} : {show(value)} (choix {where} dans le profil).",
                                   "Profil du marché (choix de l'acheteur)"))
            return value
        rv = self.rules.get(rule_id)
        return self.note_rule(rule_id, f"{label} : {show(rv.valeur)} (valeur par défaut de la table de règles).")

    # --- labour share and hours -----------------------------------------------------
    def share(self) -> Decimal | None:
        if self._share is not False:
            return self._share  # type: ignore[return-value]
        lot, result = self.lot, None
        if lot.labour_share is not None:
            result = lot.labour_share
            self.steps.append(Step("profil.part_main_oeuvre",
                                   f"Part de main-d'œuvre : {fmt.percent(result)} (saisie dans le profil).",
                                   "Profil du marché (choix de l'acheteur)"))
        elif lot.sector is not None and lot.sector in self.rules.sectors():
            rv = self.rules.sectors()[lot.sector]
            result = self.note_rule(
                rv.id, f"Part de main-d'œuvre du secteur « {rv.libelle} » : {fmt.percent(rv.valeur)}"
                + (" — valeur indicative non sourcée, à confirmer avec le facilitateur." if rv.source is None
                   else " (table des parts de main-d'œuvre)."))
        else:
            self.issue((*self.loc, "secteur"),
                       "part de main-d'œuvre inconnue : indiquez « secteur » (liste : drafter regles) ou "
                       "« part_main_oeuvre » (ex. 0.50) pour calculer les heures d'insertion.")
        self._share = result
        return result

    def check_sector(self) -> None:
        sectors = self.rules.sectors()
        if self.lot.sector is not None and self.lot.sector not in sectors:
            self.issue((*self.loc, "secteur"),
                       f"secteur inconnu (valeur lue : « {self.lot.sector} ») ; secteurs admis : "
                       f"{', '.join(sorted(sectors))}.")
            self._share = None if self.lot.labour_share is None else False

    def sizing(self) -> Sizing | None:
        if self._sizing is not False:
            return self._sizing  # type: ignore[return-value]
        share = self.share()
        if share is None:
            self._sizing = None
            return None
        rate = self.param("rate", "taux_insertion", "taux_insertion", "Taux d'insertion", fmt.percent)
        cost = self.param("hourly_cost", "cout_horaire", "cout_horaire", "Coût horaire chargé de calibrage",
                          lambda v: fmt.euros(v, cents=False) + " HT")
        method = self.method = self.framework_method()
        staff = self.lot.staff_taken_over_hours or None
        if staff and self.lot.sector != "nettoyage_proprete":
            self.issue((*self.loc, "heures_mensuelles_personnel_repris"),
                       "la pondération du personnel repris (PACT Propreté) ne s'applique qu'au secteur "
                       "« nettoyage_proprete » : retirez ce champ ou corrigez le secteur.")
            staff = None
        if method is FrameworkMethod.MINIMUM and self.lot.minimum is None:
            self.issue((*self.loc, "montant_estime_ht"),
                       "la méthode « minimum » exige un montant minimum : ajoutez « montant_minimum_ht » "
                       "à ce lot ou choisissez la méthode « ratio ».")
        inp = SizingInput(
            estimate=self.lot.estimate or Decimal(0), minimum=self.lot.minimum, share=share, rate=rate,
            cost=cost, duration_months=self.profile.market.duration_months, method=method,
            staff_hours=staff, pact_coefficient=self.rules.value("pact_proprete.coefficient"),
            fte_hours=self.rules.value("heures_mensuelles_temps_plein"),
        )
        sizing, steps, warnings = size(inp)
        self.steps.extend(steps)
        self.warnings.extend(warnings)
        self._sizing = sizing
        return sizing

    def computed_sizing(self) -> Sizing | None:
        """The sizing if it was computed during the reasoning (kept as indicative)."""
        return self._sizing if isinstance(self._sizing, Sizing) else None

    def framework_method(self) -> FrameworkMethod | None:
        form, chosen = self.profile.market.form, self.settings.framework_method
        if form is Form.ORDINARY:
            if chosen is not None:
                self.warnings.append(f"« methode_accord_cadre: {chosen.value} » ignorée : le marché n'est pas "
                                     "un accord-cadre.")
            return None
        if form is Form.FRAMEWORK_SUBSEQUENT:
            if chosen not in (None, FrameworkMethod.RATIO):
                self.warnings.append(f"« methode_accord_cadre: {chosen.value} » ignorée : pour un accord-cadre à "
                                     "marchés subséquents, l'obligation est fixée en ratio au niveau de "
                                     "l'accord-cadre et reprise dans chaque marché subséquent.")
            self.steps.append(Step("heures.marches_subsequents",
                                   "Accord-cadre à marchés subséquents : l'obligation est fixée au niveau de "
                                   "l'accord-cadre sous forme de ratio, appliqué au montant de chaque marché "
                                   "subséquent.", "Règle proposée, aucune source trouvée [U]"))
            self.confirm.append(ToConfirm("Méthode des marchés subséquents (ratio fixé au niveau de "
                                          "l'accord-cadre) : aucune source trouvée, à confirmer avec TME.",
                                          "heures.marches_subsequents"))
            return FrameworkMethod.RATIO
        return chosen or FrameworkMethod.RATIO

    def run(self) -> LotDecision:
        self.check_sector()
        mechanism = decide_mechanism(self)
        return finish(self, mechanism)

