"""Benchmark of ``drafter suivi`` on a synthetic national year, SQLite and PostgreSQL side by side.

The national consolidation for 2021 (reference/monitoring.md §2) counts about 58 000 markets with a
clause, 75 000 employment contracts, 57 000 participants, 583 facilitators in 369 structures;
twelve monthly statements per contract give about 900 000 declarations. ``--scale`` multiplies
every count (``--scale 0.1`` for a quick run).

Each database runs in its own process (``ru_maxrss`` is then that database's peak memory):
load with ``bulk_create`` (rows per second), then time ``etat`` over every lot, the yearly
report (figures, Word and .xlsx) and the national export. Nothing is asserted: a measurement.

    python bench/suivi.py --scale 0.1
    python bench/suivi.py --scale 1 --postgres postgresql://suivi@127.0.0.1:54329/suivi --markdown
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

NATIONAL = {"markets": 58_454, "contracts": 75_194, "participants": 57_231, "structures": 369, "facilitators": 583,
            "buyers": 3_576}
MONTHS_PER_CONTRACT = 12
BATCH = 5_000


def chunks(items, size=BATCH):
    for start in range(0, len(items), size):
        yield items[start:start + size]


def load(scale: float, seed: int = 2027) -> dict[str, int]:
    """Fill the database with a synthetic year; returns row counts per table."""
    from django.utils import timezone

    from drafter.monitoring.choices import (
        ELIGIBILITY,
        AgeBand,
        ContractorKind,
        ContractType,
        OutcomeCategory,
        Route,
        Sex,
        StructureKind,
    )
    from drafter.monitoring.models import (
        Award,
        Buyer,
        Contract,
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

    rnd = random.Random(seed)
    n = {k: max(1, int(v * scale)) for k, v in NATIONAL.items()}
    counts: dict[str, int] = {}
    departments = Department.objects.bulk_create([Department(code=f"{i:02d}") for i in range(1, 96)])
    structures = Structure.objects.bulk_create([
        Structure(name=f"Structure {i}", kind=rnd.choice(list(StructureKind)).value) for i in range(n["structures"])])
    for s in structures:
        s.departments.set(rnd.sample(departments, 1 + (s.pk % 2)))
    facilitators = Facilitator.objects.bulk_create([
        Facilitator(structure=structures[i % len(structures)], name=f"Facilitateur {i}")
        for i in range(n["facilitators"])])
    buyers = Buyer.objects.bulk_create([Buyer(name=f"Acheteur {i}", department=f"{1 + i % 95:02d}")
                                        for i in range(n["buyers"])])
    markets, lots = [], []
    for i in range(n["markets"]):
        amount = Decimal(rnd.choice([40_000, 80_000, 250_000, 900_000, 3_000_000, 7_000_000]))
        launch = dt.date(2026, 1 + i % 12, 1)
        markets.append(Market(reference=f"M-{i:06d}", buyer=buyers[i % len(buyers)], subject="Marché synthétique",
                              nature="travaux", form="marche_ordinaire", department=f"{1 + i % 95:02d}",
                              launch_date=launch, duration_months=24, estimated_amount=amount,
                              drafter_version="0.1.0", rules_date=launch, profile_sha256="0" * 64))
    for batch in chunks(markets):
        Market.objects.bulk_create(batch, batch_size=BATCH)
    for i, market in enumerate(markets):
        ratio = i % 5 == 0
        lots.append(Lot(market=market, number=1, title="Lot unique", mechanism="condition_execution",
                        decp_value="Clause sociale", method="ratio" if ratio else "volume",
                        hours_owed=None if ratio else (market.estimated_amount * Decimal("0.000833")).quantize(1),
                        ratio_per_10k=Decimal("8.3") if ratio else None, penalty_per_hour=Decimal(30),
                        estimated_amount=market.estimated_amount, start_date=market.launch_date,
                        end_date=market.launch_date + dt.timedelta(days=730),
                        facilitator=facilitators[i % len(facilitators)]))
    Lot.objects.bulk_create(lots, batch_size=BATCH)
    awards = [Award(lot=lot, contractor_siret=f"{10**13 + i % 40_000:014d}", contractor_name=f"Entreprise {i}",
                    contractor_kind=rnd.choice(list(ContractorKind)).value, awarded_on=lot.start_date)
              for i, lot in enumerate(lots)]
    Award.objects.bulk_create(awards, batch_size=BATCH)
    orders = [Order(award=a, month=dt.date(2027, m, 1), amount=Decimal(rnd.randint(1_000, 40_000)))
              for a in awards if a.lot.method == "ratio" for m in range(1, 13)]
    Order.objects.bulk_create(orders, batch_size=BATCH)
    participants = [Participant(structure=structures[i % len(structures)], code=f"P{i:07d}",
                                sex=rnd.choice(list(Sex)).value, age_band=rnd.choice(list(AgeBand)).value,
                                qpv=rnd.random() < 0.3, **{f: rnd.random() < 0.2 for f in ELIGIBILITY})
                    for i in range(n["participants"])]
    Participant.objects.bulk_create(participants, batch_size=BATCH)
    outcomes = [Outcome(participant=p, checkpoint="sortie", category=rnd.choice(list(OutcomeCategory)).value,
                        observed_on=dt.date(2027, 12, 31)) for p in participants[::2]]
    Outcome.objects.bulk_create(outcomes, batch_size=BATCH)
    contracts = [Contract(participant=participants[i % len(participants)], award=awards[rnd.randrange(len(awards))],
                          route=rnd.choice(list(Route)).value, contract_type=rnd.choice(list(ContractType)).value,
                          start=dt.date(2027, 1, 1 + (i // len(participants)) % 28),
                          employer_siret=f"{2 * 10**13 + i:014d}")
                 for i in range(int(NATIONAL["contracts"] * scale))]
    Contract.objects.bulk_create(contracts, batch_size=BATCH)
    now = timezone.now()
    declarations = 0
    for batch in chunks(contracts, BATCH // MONTHS_PER_CONTRACT):
        rows = []
        for c in batch:
            for m in range(1, MONTHS_PER_CONTRACT + 1):
                draw = rnd.random()
                status = "refusee" if draw < 0.02 else "declaree" if draw < 0.2 else "validee"
                rows.append(MonthlyDeclaration(contract=c, month=dt.date(2027, m, 1), declared_at=now,
                                               hours_worked=Decimal(rnd.randint(20, 151)), training_hours=Decimal(0),
                                               status=status, refusal_reason="pièce manquante" if draw < 0.02 else ""))
        MonthlyDeclaration.objects.bulk_create(rows, batch_size=BATCH)
        declarations += len(rows)
    counts.update(markets=len(markets), lots=len(lots), awards=len(awards), orders=len(orders),
                  participants=len(participants), outcomes=len(outcomes), contracts=len(contracts),
                  declarations=declarations)
    return counts


def timed(function, *args):
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def worker(engine: str, scale: float, url: str | None) -> dict:
    """One database: set up, load, time the reports (runs in its own process)."""
    work = Path(tempfile.mkdtemp(prefix=f"suivi-bench-{engine}-"))
    os.environ.pop("DATABASE_URL", None)
    if engine == "postgresql":
        os.environ["DATABASE_URL"] = url or ""
    else:
        os.environ["DRAFTER_SUIVI_DB"] = str(work / "suivi.sqlite3")
    from drafter.monitoring import db

    db.setup()
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    from drafter.monitoring.status_text import situation
    from drafter.monitoring.yearly import Perimeter, yearly
    from drafter.monitoring.yearly_output import national_json, write_yearly

    load_s, counts = timed(load, scale)
    rows = sum(counts.values())
    etat_s, statuses = timed(situation, None, dt.date(2027, 12, 15))
    yearly_s, data = timed(yearly, Perimeter(2027))
    files_s, _ = timed(write_yearly, data, work / "bilan-annuel-2027")
    perimeter = Perimeter(2027)
    national_s, _ = timed(lambda: national_json(yearly(perimeter), perimeter))
    return {"engine": engine, "counts": counts, "rows": rows, "load_s": load_s, "rows_per_s": rows / load_s,
            "etat_s": etat_s, "lots": len(statuses), "yearly_s": yearly_s, "yearly_files_s": files_s,
            "national_s": national_s, "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "hours": str(data.key["heures"])}


def markdown(results: list[dict], scale: float) -> str:
    counts = results[0]["counts"]
    head = "| mesure | " + " | ".join("SQLite" if r["engine"] == "sqlite" else "PostgreSQL" for r in results) + " |"
    lines = [head, "|---|" + "---:|" * len(results)]

    def row(label, key, fmt):
        lines.append(f"| {label} | " + " | ".join(fmt(r[key]) for r in results) + " |")

    row("lignes chargées", "rows", lambda v: f"{v:,}".replace(",", " "))
    row("chargement (s)", "load_s", lambda v: f"{v:.1f}")
    row("lignes par seconde", "rows_per_s", lambda v: f"{v:,.0f}".replace(",", " "))
    row("`etat` sur tous les lots (s)", "etat_s", lambda v: f"{v:.1f}")
    row("`bilan-annuel` : chiffres (s)", "yearly_s", lambda v: f"{v:.1f}")
    row("`bilan-annuel` : Word + .xlsx (s)", "yearly_files_s", lambda v: f"{v:.1f}")
    row("`export-national` (s)", "national_s", lambda v: f"{v:.1f}")
    row("mémoire maximale (Mo)", "peak_mb", lambda v: f"{v:.0f}")
    detail = ", ".join(f"{k} {v:,}".replace(",", " ") for k, v in counts.items())
    return f"Échelle {scale} : {detail}.\n\n" + "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description="Benchmark de drafter suivi (SQLite et PostgreSQL)")
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--postgres", default=os.environ.get("DATABASE_URL"), help="URL PostgreSQL (vide : ignoré)")
    parser.add_argument("--worker", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS)
    parser.add_argument("--markdown", action="store_true", help="Affiche le tableau Markdown")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.scale, args.postgres)))
        return
    engines = ["sqlite"] + (["postgresql"] if args.postgres else [])
    results = []
    for engine in engines:
        out = subprocess.run([sys.executable, __file__, "--worker", engine, "--scale", str(args.scale),
                              *(["--postgres", args.postgres] if args.postgres else [])],
                             check=True, capture_output=True, text=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
        print(f"{engine}: {json.dumps(results[-1], ensure_ascii=False)}", file=sys.stderr)
    print(markdown(results, args.scale) if args.markdown else json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
