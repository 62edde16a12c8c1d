"""Smoke test of the benchmark script on 3 lots (no timing is asserted: measurements are in BENCHMARKS.md)."""

from __future__ import annotations

import importlib.util
import json
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


def test_bench_runs_on_a_few_markets(tmp_path: Path) -> None:
    """The benchmark's one command, at smoke size: both tables, -j 1 and -j 2 side by side."""
    run = load("run")
    report = tmp_path / "mesures.json"
    result = run.main(["--marches", "3", "--accord-cadre", "3", "--lots", "3", "--profils", "2",
                       "--repetitions", "1", "-j", "1,2", "--json", str(report)])
    bulk, rendering = result.split("\n\n")
    header, _rule, *rows = bulk.splitlines()
    assert header.startswith("| charge | pièces | -j 1 (s) | pièces/s -j 1 | CPU -j 1 | CPU ms/pièce -j 1 |")
    assert header.endswith("| mémoire max -j 2 (Mo, RSS / PSS) | -j 2 ÷ -j 1 |")
    cells = [[c.strip() for c in row.strip("|").split("|")] for row in rows]
    assert [row[0] for row in cells] == ["programme 3 marchés", "accord-cadre 3 lots"]
    assert cells[1][1] == "8"  # 3 commitment forms, CCAP, RC, note, convention, synthèse
    for row in cells:
        assert all(re.fullmatch(r"[0-9.]+( %| ×| / [0-9]+)?", c) for c in row[1:]), row
    header, _rule, *rows = rendering.splitlines()
    assert header.startswith("| charge | pièces | fast ms/pièce | plancher ms/pièce | fast ÷ plancher |")
    assert [row.split("|")[1].strip() for row in rows] == ["accord-cadre 3 lots", "programme 2 marchés"]
    measures = json.loads(report.read_text())
    assert measures["programme 3 marchés"]["1"]["documents"] == measures["programme 3 marchés"]["2"]["documents"]
