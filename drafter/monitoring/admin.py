"""The Django admin in French for facilitators: each login sees only its structure's data."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from .models import (
    Award,
    Buyer,
    Contract,
    Decision,
    Department,
    Facilitator,
    Lot,
    Market,
    MonthlyDeclaration,
    Order,
    Outcome,
    Participant,
    Structure,
)


def user_structure(request) -> int | None:
    """The structure of a facilitator's login (None: superuser or unlinked login)."""
    facilitator = getattr(request.user, "facilitator", None)
    return facilitator.structure_id if facilitator else None


class ScopedAdmin(admin.ModelAdmin):
    """Rows reachable through ``structure_path`` from the login's structure; superusers see all."""

    structure_path = ""

    def get_queryset(self, request) -> QuerySet:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        structure = user_structure(request)
        if structure is None:
            return queryset.none()
        return queryset.filter(**{self.structure_path: structure}).distinct()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        model = db_field.related_model
        scoped = admin.site._registry.get(model)
        if isinstance(scoped, ScopedAdmin) and not request.user.is_superuser:
            kwargs["queryset"] = scoped.get_queryset(request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Market)
class MarketAdmin(ScopedAdmin):
    structure_path = "lots__facilitator__structure"
    list_display = ("reference", "subject", "buyer", "launch_date", "duration_months")
    search_fields = ("reference", "subject")
    readonly_fields = ("drafter_version", "rules_date", "rules_versions", "profile_sha256", "imported_at")


@admin.register(Lot)
class LotAdmin(ScopedAdmin):
    structure_path = "facilitator__structure"
    list_display = ("market", "number", "title", "method", "hours_owed", "ratio_per_10k", "start_date", "end_date")
    list_filter = ("method",)


@admin.register(Award)
class AwardAdmin(ScopedAdmin):
    structure_path = "lot__facilitator__structure"
    list_display = ("lot", "contractor_name", "contractor_kind", "awarded_on")


@admin.register(Order)
class OrderAdmin(ScopedAdmin):
    structure_path = "award__lot__facilitator__structure"
    list_display = ("award", "month", "amount")


@admin.register(Decision)
class DecisionAdmin(ScopedAdmin):
    structure_path = "lot__facilitator__structure"
    list_display = ("lot", "kind", "hours_delta", "decided_on", "author")


@admin.register(Participant)
class ParticipantAdmin(ScopedAdmin):
    structure_path = "structure"
    list_display = ("code", "sex", "age_band", "qpv", "anonymised")
    search_fields = ("code",)

    def get_readonly_fields(self, request, obj=None):
        """A facilitator cannot move a participant to another structure, nor undo an anonymisation."""
        return () if request.user.is_superuser else ("structure", "anonymised")


@admin.register(Contract)
class ContractAdmin(ScopedAdmin):
    structure_path = "award__lot__facilitator__structure"
    list_display = ("participant", "award", "route", "contract_type", "start", "end")


@admin.register(MonthlyDeclaration)
class DeclarationAdmin(ScopedAdmin):
    structure_path = "contract__award__lot__facilitator__structure"
    list_display = ("contract", "month", "hours_worked", "training_hours", "status", "validated_by")
    list_filter = ("status", "month")


@admin.register(Outcome)
class OutcomeAdmin(ScopedAdmin):
    structure_path = "participant__structure"
    list_display = ("participant", "checkpoint", "category", "observed_on")


@admin.register(Facilitator)
class FacilitatorAdmin(ScopedAdmin):
    structure_path = "structure"
    list_display = ("name", "structure", "email")


admin.site.register(Structure)
admin.site.register(Department)
admin.site.register(Buyer)
