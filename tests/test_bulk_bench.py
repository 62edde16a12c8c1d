"""Smoke test of the benchmark script on 3 lots (no timing is asserted: measurements are in BENCHMARKS.md)."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

from .conftest import ROOT


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "bench" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(ROOT / "bench"))
    return module


def test_workloads_are_valid_profiles(tmp_path: Path) -> None:
    import datetime as dt

    from drafter.app.analyse import analyse

    workloads = load("workloads")
    framework = analyse(workloads.write_framework(tmp_path, 7), today=dt.date(2026, 11, 25))
    assert [lot.numero for lot in framework.decision.lots] == list(range(1, 8))
    programme = workloads.write_programme(tmp_path / "programme", 8)
    references = {analyse(p, today=dt.date(2026, 11, 25)).profile.market.reference for p in programme}
    assert len(references) == 8


def test_bench_runs_on_three_lots(tmp_path: Path) -> None:
    run = load("run")
    report = tmp_path / "mesures.json"
    table = run.main(["--lots", "3", "--profils", "0", "--repetitions", "1", "-j", "2", "--json", str(report)])
    header, _rule, row = table.splitlines()
    assert header.startswith("| charge | documents | fast ms/doc | plancher ms/doc | naïf ms/doc |")
    cells = [c.strip() for c in row.strip("|").split("|")]
    assert cells[:2] == ["accord-cadre 3 lots", "7"]
    assert all(re.fullmatch(r"[0-9.]+( ×)?", c) for c in cells[2:])
    assert report.exists()
