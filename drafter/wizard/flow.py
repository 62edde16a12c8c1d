"""The ``drafter new`` wizard: French questions → a profile (the YAML-shaped dict of SPEC §3).

The wizard only produces answers (:class:`~drafter.wizard.draft.Draft`); the decision shown
before saving and the file written are made by the library from that draft
(:mod:`drafter.wizard.review`, :mod:`drafter.inputs.profile_yaml`). This module registers the
sections — buyer, market, facilitator (:mod:`~drafter.wizard.sections`), lots
(:mod:`~drafter.wizard.lots`), insertion (:mod:`~drafter.wizard.insertion`) — and runs them.
"""

from __future__ import annotations

from typing import Any

from drafter.wizard import sections
from drafter.wizard.draft import SECTIONS, Abandoned, Draft
from drafter.wizard.insertion import ask_insertion
from drafter.wizard.lots import ask_lots, revise_lots
from drafter.wizard.review import review


def _lots(w: Draft) -> None:
    if w.is_multi_lot and w.reviewing:
        revise_lots(w)
    else:
        ask_lots(w)


class Wizard(Draft):
    """The draft with its sections registered, run in order, then the review."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.sections = {"acheteur": sections.ask_buyer, "marche": sections.ask_market,
                         "facilitateur": sections.ask_facilitator, "lots": _lots, "insertion": ask_insertion}

    def run(self) -> tuple[str, Any]:
        """Ask every section, then review until the buyer saves; returns (YAML text, analysis)."""
        self.io.say("Assistant de création d'un profil de marché (clause sociale d'insertion).")
        self.io.say("Entrée accepte la valeur proposée entre crochets ; Ctrl-C abandonne sans rien écrire.")
        if self.editing:
            self.io.say("Les réponses du profil de départ sont proposées par défaut.")
        for key in SECTIONS:
            self.ask_section(key)
        self.reviewing = True
        return review(self)


__all__ = ["Wizard", "Abandoned", "SECTIONS"]
