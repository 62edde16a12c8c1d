"""The mechanisms a lot can get (SPEC §4), each stated once: its French label and what it implies.

Legal bases are law, not code: they live in the rule table ``references`` (``base_legale.<mechanism>``).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Mechanism(StrEnum):
    AUTO = "auto"                  # drafter chooses (SPEC §4 step 3)
    CONDITION = "condition_execution"
    CONDITION_AND_CRITERION = "condition_et_critere"
    CRITERION = "critere_attribution"
    RESERVED_SIAE = "reserve_siae"
    RESERVED_DISABILITY = "reserve_handicap"
    RESERVED_BOTH = "reserve_siae_handicap"
    INSERTION_MARKET = "marche_insertion"
    NONE = "aucun"
    TRAINING = "condition_formation"   # last: the wizard's menu numbers follow this order

    @property
    def spec(self) -> MechanismSpec:
        return SPECS[self]

    @property
    def label(self) -> str:
        return SPECS[self].label

    @property
    def is_reserved(self) -> bool:
        return SPECS[self].reserved

    @property
    def has_condition(self) -> bool:
        return SPECS[self].has_condition

    @property
    def is_training(self) -> bool:
        """A social execution condition that is not a volume of insertion hours: training and
        qualification of the staff (« plan de progrès »)."""
        return SPECS[self].training

    @property
    def has_criterion(self) -> bool:
        return SPECS[self].has_criterion

    @property
    def satisfies_obligation(self) -> bool:
        """Meets the mandatory social condition of L2112-2-1 (for reserved and insertion markets: [U])."""
        return SPECS[self].satisfies_obligation

    @property
    def needs_facilitator(self) -> bool:
        """Mechanisms whose execution a facilitator follows (hours, criterion, insertion market)."""
        return SPECS[self].needs_facilitator


@dataclass(frozen=True)
class MechanismSpec:
    label: str                     # French, prose (lower case)
    has_condition: bool = False    # an execution condition with hours
    has_criterion: bool = False    # an award criterion « insertion »
    training: bool = False         # an execution condition of staff training (no insertion hours)
    reserved: bool = False         # a reserved market (L2113-12 to 14)
    satisfies_obligation: bool = False
    needs_facilitator: bool = False


M = Mechanism
SPECS: dict[Mechanism, MechanismSpec] = {
    M.CONDITION: MechanismSpec("condition d'exécution sociale (clause d'insertion)", has_condition=True,
                               satisfies_obligation=True, needs_facilitator=True),
    M.CONDITION_AND_CRITERION: MechanismSpec(
        "condition d'exécution sociale et critère d'attribution « insertion »", has_condition=True,
        has_criterion=True, satisfies_obligation=True, needs_facilitator=True),
    M.TRAINING: MechanismSpec(
        "condition d'exécution sociale : formation et qualification du personnel (plan de progrès)",
        training=True, satisfies_obligation=True),
    M.CRITERION: MechanismSpec("critère d'attribution « insertion » seul", has_criterion=True,
                               needs_facilitator=True),
    M.RESERVED_SIAE: MechanismSpec(
        "marché réservé aux structures d'insertion par l'activité économique (SIAE)", reserved=True,
        satisfies_obligation=True),
    M.RESERVED_DISABILITY: MechanismSpec("marché réservé aux entreprises adaptées et ESAT", reserved=True,
                                         satisfies_obligation=True),
    M.RESERVED_BOTH: MechanismSpec("marché réservé aux SIAE, entreprises adaptées et ESAT", reserved=True,
                                   satisfies_obligation=True),
    M.INSERTION_MARKET: MechanismSpec("marché d'insertion et de qualification professionnelle",
                                      satisfies_obligation=True, needs_facilitator=True),
    M.NONE: MechanismSpec("pas de clause sociale"),
    M.AUTO: MechanismSpec("choix automatique par drafter"),
}
