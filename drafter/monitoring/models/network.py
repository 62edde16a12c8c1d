"""The facilitators' network: host structures, facilitators, départements covered."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from ..choices import StructureKind


class Department(models.Model):
    code = models.CharField("code", max_length=3, unique=True)
    name = models.CharField("nom", max_length=80, blank=True)

    class Meta:
        verbose_name = "département"
        verbose_name_plural = "départements"
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class Structure(models.Model):
    name = models.CharField("nom", max_length=200, unique=True)
    kind = models.CharField("type de structure", max_length=20, choices=StructureKind.choices,
                            default=StructureKind.ASSOCIATION.value)
    departments = models.ManyToManyField(Department, verbose_name="départements couverts", blank=True,
                                         related_name="structures")

    class Meta:
        verbose_name = "structure porteuse"
        verbose_name_plural = "structures porteuses"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Facilitator(models.Model):
    """A facilitator (professional contact data only); ``user`` is the admin login, if any."""

    structure = models.ForeignKey(Structure, models.PROTECT, verbose_name="structure", related_name="facilitators")
    name = models.CharField("nom", max_length=200)
    email = models.CharField("courriel", max_length=200, blank=True)
    phone = models.CharField("téléphone", max_length=40, blank=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, models.SET_NULL, null=True, blank=True,
                                verbose_name="compte de connexion", related_name="facilitator")

    class Meta:
        verbose_name = "facilitateur"
        verbose_name_plural = "facilitateurs"
        ordering = ["structure__name", "name"]
        constraints = [models.UniqueConstraint(fields=["structure", "name"], name="facilitator_unique_per_structure")]

    def __str__(self) -> str:
        return f"{self.name} ({self.structure})"
