"""The admin's per-structure permissions (Django test client) and the retention purge."""

from __future__ import annotations

import pytest

from . import scenario
from .conftest import suivi


@pytest.fixture(scope="module")
def built(django_db, generated, tmp_path_factory):
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    scenario.build(generated, tmp_path_factory.mktemp("admin"))
    suivi("utilisateur", "jfabre", "--facilitateur", "Julien Fabre", "--mot-de-passe", "x-Secret-1")
    suivi("utilisateur", "slaurent", "--facilitateur", "Sophie Laurent", "--mot-de-passe", "x-Secret-2")
    suivi("utilisateur", "tme", "--administrateur", "--mot-de-passe", "x-Secret-3")


def client_for(username: str):
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def test_facilitator_sees_only_its_structure(built):
    page = client_for("jfabre").get("/suivi/market/").content.decode()
    assert scenario.TRX in page and scenario.NET not in page
    codes = client_for("jfabre").get("/suivi/participant/").content.decode()
    assert "P-01" in codes and "P-10" not in codes


def test_other_facilitator_and_superuser(built):
    page = client_for("slaurent").get("/suivi/market/").content.decode()
    assert scenario.NET in page and scenario.TRX not in page
    everything = client_for("tme").get("/suivi/market/").content.decode()
    assert scenario.NET in everything and scenario.TRX in everything


def test_facilitator_cannot_open_another_structures_row(built):
    from drafter.monitoring.models import Market

    net = Market.objects.get(reference=scenario.NET)
    response = client_for("jfabre").get(f"/suivi/market/{net.pk}/change/")
    assert response.status_code == 302  # redirected: « n'existe pas » for this login
    assert client_for("slaurent").get(f"/suivi/market/{net.pk}/change/").status_code == 200


def test_admin_speaks_french(built):
    page = client_for("jfabre").get("/").content.decode()
    assert "Suivi des clauses sociales" in page and "Déconnexion" in page


def test_anonymous_is_sent_to_login(built):
    from django.test import Client

    assert Client().get("/suivi/market/").status_code == 302


def test_purge_dry_run_then_anonymise(built):
    from drafter.monitoring.models import Participant

    # Every lot ends 2029-03-31 (works) or 2031-03-14 at the latest (framework): nothing before 2029.
    assert suivi("purger", "--avant", "2029-01-01", "--essai") == (
        "0 marché(s) terminé(s) avant le 01/01/2029 ; 0 participant(s) seraient anonymisés.\n")
    assert suivi("purger", "--avant", "2029-04-01", "--essai") == (
        "1 marché(s) terminé(s) avant le 01/04/2029 ; 4 participant(s) seraient anonymisés.\n")
    assert Participant.objects.filter(anonymised=True).count() == 0
    assert suivi("purger", "--avant", "2029-04-01") == (
        "1 marché(s) terminé(s) avant le 01/04/2029 ; 4 participant(s) anonymisés.\n")
    gone = Participant.objects.filter(anonymised=True)
    assert sorted(gone.values_list("sex", "age_band", "qpv", "cat_young")) == [("", "", False, False)] * 4
    assert not Participant.objects.filter(code__in=["P-01", "P-02", "P-03", "P-04"]).exists()
    assert Participant.objects.filter(code="P-10", anonymised=False).exists()
