"""Django configured in code: SQLite file by default, PostgreSQL when ``DATABASE_URL`` is set.

:func:`setup` is called by every ``drafter suivi`` command before touching the models; it
configures Django once per process and applies the migrations quietly on first use.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

DEFAULT_DB = "suivi.sqlite3"
_ready = False


def database_settings() -> dict[str, Any]:
    """``DATABASE_URL`` (dj-database-url) if set, else the SQLite file ``$DRAFTER_SUIVI_DB`` or ./suivi.sqlite3."""
    url = os.environ.get("DATABASE_URL")
    if url:
        import dj_database_url

        return dict(dj_database_url.parse(url, conn_max_age=0))
    path = Path(os.environ.get("DRAFTER_SUIVI_DB") or DEFAULT_DB).resolve()
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path),
            "OPTIONS": {"init_command": "PRAGMA foreign_keys = ON; PRAGMA journal_mode = WAL;"}}


def django_settings(debug: bool = False) -> dict[str, Any]:
    return {
        "DEBUG": debug,
        "SECRET_KEY": os.environ.get("DRAFTER_SUIVI_SECRET_KEY", "drafter-suivi-local-only"),
        "ALLOWED_HOSTS": ["127.0.0.1", "localhost", "testserver"],
        "DATABASES": {"default": database_settings()},
        "INSTALLED_APPS": [
            "django.contrib.admin", "django.contrib.auth", "django.contrib.contenttypes",
            "django.contrib.sessions", "django.contrib.messages", "django.contrib.staticfiles",
            "drafter.monitoring.apps.MonitoringConfig",
        ],
        "MIDDLEWARE": [
            "django.middleware.security.SecurityMiddleware",
            "django.contrib.sessions.middleware.SessionMiddleware",
            "django.middleware.locale.LocaleMiddleware",
            "django.middleware.common.CommonMiddleware",
            "django.middleware.csrf.CsrfViewMiddleware",
            "django.contrib.auth.middleware.AuthenticationMiddleware",
            "django.contrib.messages.middleware.MessageMiddleware",
            "django.middleware.clickjacking.XFrameOptionsMiddleware",
        ],
        "ROOT_URLCONF": "drafter.monitoring.urls",
        "TEMPLATES": [{
            "BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True,
            "OPTIONS": {"context_processors": [
                "django.template.context_processors.request", "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages"]},
        }],
        "STATIC_URL": "static/",
        "LANGUAGE_CODE": "fr-fr",
        "LANGUAGES": [("fr", "Français")],
        "TIME_ZONE": "Europe/Paris",
        "USE_I18N": True,
        "USE_TZ": True,
        "DEFAULT_AUTO_FIELD": "django.db.models.BigAutoField",
        "PASSWORD_HASHERS": ["django.contrib.auth.hashers.PBKDF2PasswordHasher"],
    }


def setup(migrate: bool = True) -> None:
    """Configure Django once, then bring the database schema up to date (quietly)."""
    global _ready
    if _ready:
        return
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(**django_settings())
    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, interactive=False)
    _ready = True
