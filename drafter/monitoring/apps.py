"""Django application configuration of the monitoring module."""

from __future__ import annotations

from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "drafter.monitoring"
    label = "suivi"
    verbose_name = "Suivi des clauses sociales"
    default_auto_field = "django.db.models.BigAutoField"
