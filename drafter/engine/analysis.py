"""What is known about one profile once decided: the file read, the rules used, the decision."""

from __future__ import annotations

from dataclasses import dataclass

from drafter.domain.decision import MarketDecision
from drafter.domain.profile import Profile
from drafter.inputs.loading import LoadedProfile
from drafter.law.rules import Rules


class Notice(str):
    """A notice (French sentence) with the place in the profile it is about (``loc``)."""

    loc: tuple[str | int, ...]

    def __new__(cls, text: str, loc: tuple[str | int, ...] = ()) -> Notice:
        item = super().__new__(cls, text)
        item.loc = loc
        return item


@dataclass(frozen=True)
class Analysis:
    """Everything known about one profile: the file, the rules used, the decision, and the
    notices a buyer should read (what drafter completed or translated for them)."""

    loaded: LoadedProfile
    rules: Rules
    decision: MarketDecision
    notices: tuple[str, ...] = ()

    @property
    def profile(self) -> Profile:
        return self.loaded.profile
