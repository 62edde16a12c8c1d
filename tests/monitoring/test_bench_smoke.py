"""The monitoring benchmark's loader and reports run (tiny scale; no timing asserted)."""

from __future__ import annotations

import datetime as dt
import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "suivi.py"


def test_bench_loads_and_reports(fresh_db):
    spec = importlib.util.spec_from_file_location("bench_suivi", BENCH)
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    counts = bench.load(0.001)
    assert counts["markets"] == 58 and counts["declarations"] == 75 * 12
    from drafter.monitoring.status_text import situation
    from drafter.monitoring.yearly import Perimeter, yearly

    assert len(situation(None, dt.date(2027, 12, 15))) == 58
    assert yearly(Perimeter(2027)).key["contrats"] == 75
    assert "Échelle 0.001" in bench.markdown([{"engine": "sqlite", "counts": counts, "rows": 1, "load_s": 1,
                                              "rows_per_s": 1, "etat_s": 1, "yearly_s": 1, "yearly_files_s": 1,
                                              "national_s": 1, "peak_mb": 1}], 0.001)
