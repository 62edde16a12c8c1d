"""The scripted year (see scenario.py): state figures computed by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from . import scenario
from .conftest import d, suivi

D = Decimal


@pytest.fixture(scope="module")
def year(django_db, generated, tmp_path_factory):
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    scenario.build(generated, tmp_path_factory.mktemp("year"))
    from drafter.monitoring.status_text import situation

    return {(s.reference, s.number): s for s in situation(None, d("2027-09-15"))}


def test_import_is_idempotent(year, generated):
    from drafter.monitoring.models import Lot, Market

    suivi("importer", generated["travaux"], "--profil", scenario.TRAVAUX)
    assert Market.objects.count() == 2
    assert Lot.objects.count() == 10
    lot2 = Lot.objects.get(market__reference=scenario.TRX, number=2)
    assert len(lot2.market.profile_sha256) == 64 and lot2.market.drafter_version
    assert (lot2.hours_owed, lot2.penalty_per_hour, lot2.decp_value) == (D(1792), D(30), "Clause sociale")
    assert lot2.start_date == d("2027-06-01")  # the award's start survives a re-import
    net = Lot.objects.get(market__reference=scenario.NET, number=1)
    assert (net.method, net.hours_owed, net.ratio_per_10k) == ("ratio", None, D("22.4"))
    assert net.decp_value == "Clause sociale, Critère social"


def test_works_lot_1(year):
    # 533 h owed. Done = June 140 + 10 training + July 151,67 = 301,67 h, all validated.
    # Lot runs 2027-06-01 → 2029-03-31: 670 days; at 2027-09-15, 106 days elapsed → 0,1582.
    # Expected 533 × 0,1582 = 84,32 h. Exposure (533 − 301,67) × 30 € = 6 939,90 €.
    s = year[(scenario.TRX, 1)]
    assert (s.owed, s.done, s.validated, s.pending, s.refused) == (D(533), D("301.67"), D("301.67"), 0, 0)
    assert (s.elapsed, s.expected, s.exposure) == (D("0.1582"), D("84.32"), D("6939.90"))
    assert s.late_months == [d("2027-08-01")]  # August's statement was due 10/09/2027
    assert s.next_step == "Titulaire : transmettre l'état de 08/2027 (dû le 10/09/2027)."
    assert s.last_action.date() == d("2027-08-16")  # July's validation


def test_works_lot_2_pooling_and_refusal(year):
    # 1 792 + 77 pooled from lot 6 = 1 869 h. Done: June 120 + 100, July 151,67 (P-02's 150 h refused)
    # = 371,67 h, all validated. Exposure (1 869 − 371,67) × 30 = 44 919,90 €.
    s = year[(scenario.TRX, 2)]
    assert (s.owed, s.done, s.validated, s.refused) == (D(1869), D("371.67"), D("371.67"), D(150))
    assert (s.expected, s.exposure) == (D("295.68"), D("44919.90"))
    assert "150 h refusées" in s.alerts


def test_works_lot_3_and_6(year):
    # Lot 3: 80 + 20 + 100 = 200 h validated of 805; exposure 605 × 30 = 18 150 €.
    s3, s6 = year[(scenario.TRX, 3)], year[(scenario.TRX, 6)]
    assert (s3.owed, s3.validated, s3.exposure) == (D(805), D(200), D("18150.00"))
    # Lot 6: 77 − 77 pooled = 0 h owed; no statement ever: June, July, August late.
    assert (s6.owed, s6.exposure) == (D(0), D(0))
    assert s6.late_months == [d("2027-06-01"), d("2027-07-01"), d("2027-08-01")]


def test_lot_without_contractor(year):
    s = year[(scenario.TRX, 4)]
    assert (s.contractor, s.exposure, s.late_months) == (None, D(0), [])
    assert s.next_step == "Acheteur : enregistrer le titulaire du lot (drafter suivi attribuer)."


def test_ratio_framework_owed_follows_orders(year):
    # (50 000 + 75 000) € × 22,4 ÷ 10 000 = 280 h owed; 70 h declared, none validated yet.
    s = year[(scenario.NET, 1)]
    assert (s.owed, s.done, s.validated, s.pending, s.exposure) == (D(280), D(70), D(0), D(70), D("7000.00"))
    assert s.late_months == [d("2027-08-01")]
    # untouched lots of the framework: nothing ordered, nothing owed
    assert year[(scenario.NET, 2)].owed is None or year[(scenario.NET, 2)].owed == 0


def test_etat_output_in_french(year):
    out = suivi("etat", scenario.TRX, "--date", "2027-09-15")
    assert "Situation au 15 septembre 2027" in out
    assert "    Heures : 1 869 h exigées ; 371,67 h réalisées, dont 371,67 h validées" in out
    assert "    Alerte : 3 état(s) mensuel(s) en retard : 06/2027, 07/2027, 08/2027" in out


def test_etat_unknown_market(year):
    out = suivi("etat", "NOPE", code=2)
    assert "marché « NOPE » inconnu" in out
