"""Buyers, markets, lots (imported from drafter's output), awards, orders and decisions."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..choices import ClauseMethod, ContractorKind, DecisionKind
from .network import Facilitator

HOURS = {"max_digits": 12, "decimal_places": 2}
MONEY = {"max_digits": 16, "decimal_places": 2}


class Buyer(models.Model):
    name = models.CharField("nom", max_length=300, unique=True)
    category = models.CharField("catégorie", max_length=40, blank=True)
    siret = models.CharField("SIRET", max_length=14, blank=True)
    department = models.CharField("département", max_length=3, blank=True)

    class Meta:
        verbose_name = "acheteur"
        verbose_name_plural = "acheteurs"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Market(models.Model):
    reference = models.CharField("référence", max_length=120, unique=True)
    buyer = models.ForeignKey(Buyer, models.PROTECT, verbose_name="acheteur", related_name="markets")
    subject = models.CharField("objet", max_length=500)
    nature = models.CharField("nature", max_length=20)
    form = models.CharField("forme", max_length=40)
    department = models.CharField("département d'exécution", max_length=3, blank=True)
    launch_date = models.DateField("date de lancement")
    duration_months = models.PositiveIntegerField("durée (mois)")
    estimated_amount = models.DecimalField("valeur estimée HT (€)", **MONEY)
    drafter_version = models.CharField("version de drafter", max_length=40)
    rules_date = models.DateField("date de référence des règles")
    rules_versions = models.JSONField("versions des tables de règles", default=dict)
    profile_sha256 = models.CharField("empreinte SHA-256 du profil", max_length=64)
    imported_at = models.DateTimeField("importé le", auto_now=True)

    class Meta:
        verbose_name = "marché"
        verbose_name_plural = "marchés"
        ordering = ["reference"]
        constraints = [models.CheckConstraint(condition=Q(estimated_amount__gte=0), name="market_amount_positive")]

    def __str__(self) -> str:
        return self.reference


class Lot(models.Model):
    market = models.ForeignKey(Market, models.CASCADE, verbose_name="marché", related_name="lots")
    number = models.PositiveIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    mechanism = models.CharField("dispositif", max_length=40)
    decp_value = models.CharField("considérations sociales (DECP)", max_length=120)
    method = models.CharField("méthode", max_length=10, choices=ClauseMethod.choices, default=ClauseMethod.VOLUME.value)
    hours_owed = models.DecimalField("heures exigées", null=True, blank=True, **HOURS)
    ratio_per_10k = models.DecimalField("heures par tranche de 10 000 € HT", null=True, blank=True, **HOURS)
    penalty_per_hour = models.DecimalField("pénalité par heure non réalisée (€ HT)", null=True, blank=True, **MONEY)
    estimated_amount = models.DecimalField("montant estimé HT (€)", **MONEY)
    start_date = models.DateField("début d'exécution")
    end_date = models.DateField("fin d'exécution")
    facilitator = models.ForeignKey(
        Facilitator, models.SET_NULL, null=True, blank=True, verbose_name="facilitateur", related_name="lots"
    )

    class Meta:
        verbose_name = "lot"
        verbose_name_plural = "lots"
        ordering = ["market__reference", "number"]
        constraints = [
            models.UniqueConstraint(fields=["market", "number"], name="lot_unique_number"),
            models.CheckConstraint(
                condition=Q(hours_owed__isnull=True) | Q(hours_owed__gte=0), name="lot_hours_positive"
            ),
            models.CheckConstraint(
                condition=Q(ratio_per_10k__isnull=True) | Q(ratio_per_10k__gte=0), name="lot_ratio_positive"
            ),
            models.CheckConstraint(condition=Q(end_date__gte=models.F("start_date")), name="lot_dates_ordered"),
        ]

    def __str__(self) -> str:
        return f"{self.market.reference} — lot {self.number}"


class Award(models.Model):
    lot = models.OneToOneField(Lot, models.CASCADE, verbose_name="lot", related_name="award")
    contractor_siret = models.CharField("SIRET du titulaire", max_length=14)
    contractor_name = models.CharField("titulaire", max_length=300)
    contractor_kind = models.CharField(
        "type de titulaire", max_length=10, choices=ContractorKind.choices, default=ContractorKind.ORDINARY.value
    )
    awarded_on = models.DateField("date de notification")

    class Meta:
        verbose_name = "attribution"
        verbose_name_plural = "attributions"

    def __str__(self) -> str:
        return f"{self.lot} : {self.contractor_name}"


class Order(models.Model):
    """Amount ordered or invoiced in a month, for ratio clauses (hours owed follow it)."""

    award = models.ForeignKey(Award, models.CASCADE, verbose_name="attribution", related_name="orders")
    month = models.DateField("mois (1er jour)")
    amount = models.DecimalField("montant HT (€)", **MONEY)

    class Meta:
        verbose_name = "commande ou facture"
        verbose_name_plural = "commandes et factures"
        constraints = [
            models.UniqueConstraint(fields=["award", "month"], name="order_unique_month"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="order_amount_positive"),
        ]


class Decision(models.Model):
    """A change to the hours owed decided by the buyer (CCAP: pooling, postponement, reduction)."""

    lot = models.ForeignKey(Lot, models.CASCADE, verbose_name="lot", related_name="decisions")
    kind = models.CharField("type", max_length=20, choices=DecisionKind.choices)
    hours_delta = models.DecimalField("variation des heures exigées", default=0, **HOURS)
    source_lot = models.ForeignKey(
        Lot,
        models.CASCADE,
        null=True,
        blank=True,
        related_name="pooled_out",
        verbose_name="lot d'origine (mutualisation)",
    )
    decided_on = models.DateField("date de la décision")
    author = models.CharField("auteur", max_length=200)
    reason = models.TextField("motif", blank=True)

    class Meta:
        verbose_name = "décision"
        verbose_name_plural = "décisions"
        ordering = ["decided_on"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="mutualisation") | Q(source_lot__isnull=False), name="decision_pooling_has_source"
            ),
            models.CheckConstraint(
                condition=~Q(kind="reduction") | Q(hours_delta__lte=0), name="decision_reduction_negative"
            ),
        ]
