"""drafter's rendering benchmark (SPEC §8), every figure measured side by side in one run.

For each workload (a framework agreement of 100, 250 and 500 lots, a programme of 100
profiles; see ``bench/workloads.py``) the documents ``drafter generate`` would write are
listed (template, context), then, in interleaved repeats:

* ``floor``: the already rendered parts of each document written into a .docx with
  ``zipfile`` (ZIP_DEFLATED), the physical limit of tech-notes §2.2;
* ``fast``: drafter's renderer (``drafter.fastrender``, one process, templates warm);
* ``naive``: ``DocxTemplate(path).render(ctx, jinja_env=env).save(out)`` per document;
* ``bulk``: ``drafter bulk WORKLOAD -j N`` end to end in a fresh process (analysis,
  contexts, documents, manifests, summaries), with the peak RSS of that process and of
  its worker processes (``ru_maxrss``).

Ratios are computed per repeat, then the median is reported. No figure is asserted
anywhere: this is a measurement, not a test (``tests/test_bulk_bench.py`` only runs it on
3 lots). Usage::

    python bench/run.py                      # full run (about 5 minutes on 2 cores)
    python bench/run.py --lots 100 --profils 20 --repetitions 1   # quicker
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import write_framework, write_programme

from drafter.app.analyse import analyse
from drafter.documents import fastrender
from drafter.documents.plan import plan
from drafter.documents.render import ENV
from drafter.documents.templates_set import template_paths
from drafter.present.context import build_context

TODAY = dt.date(2026, 11, 25)
VARIANTS = ("floor", "fast", "naive", "bulk")


@dataclass
class Workload:
    name: str
    inputs: list[Path]
    jobs: list[tuple[Path, dict, str]] = field(default_factory=list)   # template, context, file name
    parts: list[dict[str, bytes]] = field(default_factory=list)
    times: dict[str, list[float]] = field(default_factory=lambda: {v: [] for v in VARIANTS})
    memory: list[tuple[float, float]] = field(default_factory=list)   # (bulk process MB, worst worker MB)

    @property
    def documents(self) -> int:
        return len(self.jobs)


def list_jobs(workload: Workload) -> None:
    """The documents of every market of the workload, as ``drafter generate`` plans them."""
    templates = template_paths(None)
    for path in workload.inputs:
        ctx = build_context(analyse(path, today=TODAY))
        for doc in plan(ctx):
            workload.jobs.append((templates[doc.template], ctx.for_document(**doc.extra), doc.fichier))
    workload.parts = [fastrender.get_template(t, ENV).render_parts(c) for t, c, _ in workload.jobs]


def run_floor(workload: Workload, out: Path) -> None:
    for index, parts in enumerate(workload.parts):
        with zipfile.ZipFile(out / f"{index}.docx", "w", zipfile.ZIP_DEFLATED) as archive:
            for name, data in parts.items():
                archive.writestr(name, data)


def run_fast(workload: Workload, out: Path) -> None:
    for index, (template, context, _) in enumerate(workload.jobs):
        fastrender.render_file(template, context, out / f"{index}.docx", env=ENV)


def run_naive(workload: Workload, out: Path) -> None:
    from docxtpl import DocxTemplate

    for index, (template, context, _) in enumerate(workload.jobs):
        document = DocxTemplate(str(template))
        document.render(context, jinja_env=ENV)
        document.save(str(out / f"{index}.docx"))


def run_bulk(workload: Workload, out: Path, workers: int) -> float:
    """``drafter bulk`` in a fresh process; returns the wall time, records the peak memory."""
    report = out / "memoire.json"
    command = [sys.executable, __file__, "--mesure", str(report), "--", *map(str, workload.inputs),
               "-o", str(out / "sortie"), "-j", str(workers), "--force"]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"drafter bulk a échoué ({done.returncode}) :\n{done.stderr[-2000:]}")
    memory = json.loads(report.read_text())
    workload.memory.append((memory["self_mb"], memory["children_mb"]))
    return elapsed


def measure_bulk(report: str, arguments: list[str]) -> None:
    """Run ``drafter bulk`` in this process, then write this process's and its children's peak RSS."""
    from drafter.cli.main import cli

    try:
        cli.main(["bulk", *arguments], prog_name="drafter", standalone_mode=False)
    finally:
        Path(report).write_text(json.dumps({
            "self_mb": peak_rss_self() / 1024,
            "children_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))


def peak_rss_self() -> float:
    """This process's peak RSS in KiB: VmHWM, because Linux carries ``ru_maxrss`` over ``execve``
    (this process would inherit the high-water mark of the benchmark that spawned it)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return float(line.split()[1])
    return float(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def repeat(workloads: list[Workload], repetitions: int, workers: int, naive: bool) -> None:
    for rep in range(repetitions):
        for workload in workloads:
            order = VARIANTS[rep % len(VARIANTS):] + VARIANTS[:rep % len(VARIANTS)]
            for variant in order:
                if variant == "naive" and not naive:
                    continue
                with tempfile.TemporaryDirectory(prefix="bench-") as folder:
                    out = Path(folder)
                    start = time.perf_counter()
                    if variant == "bulk":
                        elapsed = run_bulk(workload, out, workers)
                    else:
                        {"floor": run_floor, "fast": run_fast, "naive": run_naive}[variant](workload, out)
                        elapsed = time.perf_counter() - start
                    workload.times[variant].append(elapsed)
            print(f"  répétition {rep + 1} : {workload.name} fait", file=sys.stderr)


def median_ratio(a: list[float], b: list[float]) -> float:
    return statistics.median(x / y for x, y in zip(a, b, strict=True))


def table(workloads: list[Workload], workers: int) -> str:
    lines = [
        ("| charge | documents | fast ms/doc | plancher ms/doc | naïf ms/doc | fast ÷ plancher | naïf ÷ fast "
        f"| bulk -j {workers} (s) | documents/s (bulk) | mémoire max (Mo) |"),
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for w in workloads:
        per_doc = {v: statistics.median(t) * 1000 / w.documents for v, t in w.times.items() if t}
        naive = f"{per_doc['naive']:.2f}" if "naive" in per_doc else "—"
        speedup = f"{median_ratio(w.times['naive'], w.times['fast']):.1f} ×" if w.times["naive"] else "—"
        bulk = statistics.median(w.times["bulk"])
        peak = max(max(m) for m in w.memory)
        lines.append(
            f"| {w.name} | {w.documents} | {per_doc['fast']:.2f} | {per_doc['floor']:.2f} | {naive} "
            f"| {median_ratio(w.times['fast'], w.times['floor']):.2f} × | {speedup} | {bulk:.2f} "
            f"| {w.documents / bulk:.0f} | {peak:.0f} |")
    return "\n".join(lines)


def scaling(workloads: list[Workload], workers: int) -> str:
    """Cost per lot of the framework agreements: flat when the cost is linear in the number of lots."""
    lines = [f"| lots | documents | fast (s) | fast ms/lot | bulk -j {workers} (s) | bulk ms/lot |",
             "|---:|---:|---:|---:|---:|---:|"]
    for w in workloads:
        if not w.name.startswith("accord-cadre"):
            continue
        lots = int(w.name.split()[1])
        fast, whole = statistics.median(w.times["fast"]), statistics.median(w.times["bulk"])
        lines.append(f"| {lots} | {w.documents} | {fast:.2f} | {fast * 1000 / lots:.2f} | {whole:.2f} "
                     f"| {whole * 1000 / lots:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description="Banc de mesure du rendu des pièces (SPEC §8).")
    parser.add_argument("--lots", default="100,250,500", help="tailles d'accord-cadre, séparées par des virgules")
    parser.add_argument("--profils", type=int, default=100, help="nombre de profils du programme (0 : aucun)")
    parser.add_argument("--repetitions", type=int, default=3)
    parser.add_argument("-j", "--processus", type=int, default=len(os.sched_getaffinity(0)))
    parser.add_argument("--sans-naif", action="store_true", help="ne mesure pas la boucle docxtpl naïve")
    parser.add_argument("--json", type=Path, help="écrit aussi les mesures brutes dans ce fichier")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as folder:
        root = Path(folder)
        workloads = [Workload(f"accord-cadre {n} lots", [write_framework(root / f"ac-{n}", n)])
                     for n in (int(x) for x in args.lots.split(",") if x)]
        if args.profils:
            workloads.append(Workload(f"programme {args.profils} profils",
                                      write_programme(root / "programme", args.profils)))
        for workload in workloads:
            list_jobs(workload)
            print(f"{workload.name} : {workload.documents} documents", file=sys.stderr)
        gc.collect()
        gc.freeze()  # the contexts of every workload stay alive: keep them out of the measured loops' GC
        repeat(workloads, args.repetitions, args.processus, not args.sans_naif)
    result = table(workloads, args.processus)
    print(result)
    print()
    print(scaling(workloads, args.processus))
    if args.json:
        args.json.write_text(json.dumps({w.name: {"documents": w.documents, "secondes": w.times,
                                                  "memoire_mo": w.memory} for w in workloads}, indent=1))
    return result


if __name__ == "__main__":
    if len(sys.argv) > 2 and sys.argv[1] == "--mesure":
        measure_bulk(sys.argv[2], sys.argv[4:])
    else:
        main()
