"""The monitoring data model (one module per area; Django finds them here)."""

from .markets import Award, Buyer, Decision, Lot, Market, Order
from .network import Department, Facilitator, Structure
from .people import Contract, MonthlyDeclaration, Outcome, Participant

__all__ = ["Award", "Buyer", "Contract", "Decision", "Department", "Facilitator", "Lot", "Market",
           "MonthlyDeclaration", "Order", "Outcome", "Participant", "Structure"]
