"""Pseudonymised participants, their contracts, monthly hours and outcomes.

No name, NIR, address or birth date: a code whose key stays with the facilitator, an age
band, and eligibility categories as yes/no flags (GDPR art. 5-1-c and 9).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ..choices import (
    AgeBand,
    Checkpoint,
    ContractType,
    DeclarationStatus,
    OutcomeCategory,
    Prescriber,
    Qualification,
    Route,
    Sex,
)
from .markets import HOURS, Award
from .network import Structure


class Participant(models.Model):
    structure = models.ForeignKey(
        Structure, models.PROTECT, verbose_name="structure détentrice de la clé", related_name="participants"
    )
    code = models.CharField("code pseudonyme", max_length=40)
    sex = models.CharField("sexe", max_length=1, choices=Sex.choices, blank=True)
    age_band = models.CharField("tranche d'âge à l'entrée", max_length=10, choices=AgeBand.choices, blank=True)
    qpv = models.BooleanField("résident QPV", default=False)
    qualification = models.CharField(
        "niveau de qualification", max_length=10, choices=Qualification.choices, blank=True
    )
    prescriber = models.CharField("prescripteur", max_length=20, choices=Prescriber.choices, blank=True)
    anonymised = models.BooleanField("anonymisé", default=False)
    cat_long_term_unemployed = models.BooleanField("Demandeur d'emploi de longue durée", default=False)
    cat_minimum_income = models.BooleanField(
        "Bénéficiaire d'un minimum social (RSA, ASS, AAH) ou d'une pension d'invalidité", default=False
    )
    cat_disability = models.BooleanField("Travailleur handicapé (RQTH, OETH)", default=False)
    cat_young = models.BooleanField("Jeune de moins de 26 ans sans qualification", default=False)
    cat_senior = models.BooleanField("Demandeur d'emploi de 50 ans et plus", default=False)
    cat_iae = models.BooleanField("PASS IAE ou salarié d'une SIAE", default=False)
    cat_ea_esat = models.BooleanField("Salarié d'une EA ou travailleur d'un ESAT", default=False)
    cat_geiq_epide = models.BooleanField(
        "Accompagné par un GEIQ, un EPIDE, une E2C ou une régie de quartier", default=False
    )
    cat_qpv = models.BooleanField("Habitant d'un QPV en difficulté d'accès à l'emploi", default=False)
    cat_other = models.BooleanField("Autre difficulté, sur avis motivé du facilitateur", default=False)

    class Meta:
        verbose_name = "participant (pseudonymisé)"
        verbose_name_plural = "participants (pseudonymisés)"
        constraints = [models.UniqueConstraint(fields=["structure", "code"], name="participant_unique_code")]

    def __str__(self) -> str:
        return self.code


class Contract(models.Model):
    participant = models.ForeignKey(Participant, models.CASCADE, verbose_name="participant", related_name="contracts")
    award = models.ForeignKey(Award, models.CASCADE, verbose_name="attribution", related_name="contracts")
    route = models.CharField("modalité", max_length=20, choices=Route.choices)
    contract_type = models.CharField("type de contrat", max_length=20, choices=ContractType.choices)
    start = models.DateField("début")
    end = models.DateField("fin", null=True, blank=True)
    employer_siret = models.CharField("SIRET de l'employeur", max_length=14)

    class Meta:
        verbose_name = "contrat"
        verbose_name_plural = "contrats"
        constraints = [
            models.UniqueConstraint(fields=["participant", "award", "start"], name="contract_unique_start"),
            models.CheckConstraint(
                condition=Q(end__isnull=True) | Q(end__gte=models.F("start")), name="contract_dates_ordered"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_contract_type_display()} du {self.start:%d/%m/%Y}"


class MonthlyDeclaration(models.Model):
    contract = models.ForeignKey(Contract, models.CASCADE, verbose_name="contrat", related_name="declarations")
    month = models.DateField("mois (1er jour)")
    hours_worked = models.DecimalField("heures travaillées", **HOURS)
    training_hours = models.DecimalField("heures de formation", default=0, **HOURS)
    status = models.CharField(
        "statut", max_length=10, choices=DeclarationStatus.choices, default=DeclarationStatus.DECLARED.value
    )
    refusal_reason = models.CharField("motif du refus", max_length=300, blank=True)
    validated_by = models.CharField("validée ou refusée par", max_length=200, blank=True)
    validated_at = models.DateTimeField("validée ou refusée le", null=True, blank=True)
    declared_at = models.DateTimeField("déclarée le")
    source_file = models.CharField("fichier d'origine", max_length=300, blank=True)

    class Meta:
        verbose_name = "déclaration mensuelle"
        verbose_name_plural = "déclarations mensuelles"
        constraints = [
            models.UniqueConstraint(fields=["contract", "month"], name="declaration_unique_month"),
            models.CheckConstraint(
                condition=Q(hours_worked__gte=0)
                & Q(hours_worked__lte=744)
                & Q(training_hours__gte=0)
                & Q(training_hours__lte=744),
                name="declaration_hours_in_month",
            ),
            models.CheckConstraint(
                condition=~Q(status="refusee") | ~Q(refusal_reason=""), name="declaration_refusal_has_reason"
            ),
        ]
        indexes = [models.Index(fields=["month", "status"], name="declaration_month_status")]


class Outcome(models.Model):
    participant = models.ForeignKey(Participant, models.CASCADE, verbose_name="participant", related_name="outcomes")
    checkpoint = models.CharField("moment", max_length=10, choices=Checkpoint.choices)
    category = models.CharField("situation", max_length=20, choices=OutcomeCategory.choices)
    observed_on = models.DateField("constatée le")

    class Meta:
        verbose_name = "situation à l'issue"
        verbose_name_plural = "situations à l'issue"
        constraints = [models.UniqueConstraint(fields=["participant", "checkpoint"], name="outcome_unique_checkpoint")]
