"""drafter's benchmark (SPEC §8, issue 14): one command, every figure measured in one run.

Two tables:

1. **bulk** — ``drafter bulk PROGRAMME -j J`` end to end, in a fresh process, for programmes of
   N varied market profiles (``bench/workloads.py``; default 1 000, 5 000, 20 000, 58 000, a
   national year) and a framework agreement of 5 000 lots, with ``-j 1`` and ``-j 2`` side by
   side: wall time, documents per second, CPU use (user + system of the whole process tree ÷
   wall), CPU milliseconds per document (flat when the cost is linear), peak memory of the whole
   process tree, sampled every 50 ms: RSS of the parent and its workers summed (pages shared
   after ``fork`` counted in every process: an upper bound) and PSS summed (each shared page
   counted once; sampled every 500 ms, it costs the kernel a walk of every page); and the parent's own share: its CPU (user + system of the parent process
   alone, its workers excluded) as a share of the tree's, and its own peak RSS.
2. **rendu** — per document, in this process, templates warm: ``fast`` (drafter's renderer)
   against an **honest floor**: the same parts written the way the fast path writes them
   (constant parts pre-compressed once and copied, rendered parts deflated at the same level,
   same zip writer) from XML rendered beforehand. ``fast ÷ plancher`` is what rendering costs
   on top of writing. The naive docxtpl loop is measured too (``--naif``).

No figure is asserted anywhere (``tests/test_bulk_bench.py`` runs it on a few markets).
Usage::

    python bench/run.py                                   # the BENCHMARKS.md table (≈ 1 h 30 on 2 cores)
    python bench/run.py --marches 1000,5000 --accord-cadre 0 --lots 100   # quicker
    python bench/run.py --profil 5000                     # where the time goes (cProfile, -j 1)
"""

from __future__ import annotations

import argparse
import contextlib
import cProfile
import datetime as dt
import io
import json
import os
import pstats
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from workloads import write_framework, write_programme

from drafter.app.analyse import analyse
from drafter.documents import fastrender
from drafter.documents.docx_zip import ZipWriter, deflate
from drafter.documents.plan import plan
from drafter.documents.render import ENV
from drafter.documents.templates_set import template_paths
from drafter.present.context import build_context

TODAY = dt.date(2026, 11, 25)
ROOT = Path(__file__).resolve().parent.parent


# --- process tree measurement ---------------------------------------------------------


def _tree_rss(pid: int, pss: bool = True, tree: list | None = None) -> tuple[int, int]:
    """(RSS, PSS) in bytes of ``pid`` and all its descendants, summed (psutil when installed, else
    /proc with RSS only). PSS shares each page among the processes that map it: pages a worker
    inherited from the parent by ``fork`` are counted once, not once per process as in RSS.
    PSS costs ≈ 2 ms of CPU per process (the kernel walks its pages), RSS almost nothing: without
    ``pss``, PSS is returned as 0. ``tree``: the processes, as :func:`_processes` found them."""
    try:
        import psutil
    except ImportError:  # pragma: no cover - bench extra not installed
        rss = _proc_tree_rss(pid)
        return rss, rss
    total_rss = total_pss = 0
    for process in tree if tree is not None else _processes(pid):
        try:
            info = process.memory_full_info() if pss else process.memory_info()
        except psutil.Error:
            continue
        total_rss += info.rss
        total_pss += getattr(info, "pss", info.rss) if pss else 0
    return total_rss, total_pss


def _processes(pid: int) -> list:
    """``pid`` and its descendants (psutil): listing them reads every /proc entry (≈ 1.5 ms)."""
    import psutil

    try:
        parent = psutil.Process(pid)
        return [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return []


def _proc_tree_rss(pid: int) -> int:
    parents: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parents[int(stat.parent.name)] = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            continue
    tree, frontier = {pid}, [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current and child not in tree:
                tree.add(child)
                frontier.append(child)
    total = 0
    for member in tree:
        try:
            for line in Path(f"/proc/{member}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            pass
    return total


@dataclass
class Measure:
    wall: float
    cpu: float  # user + system seconds of the whole tree
    peak_mb: float  # RSS summed over the tree (upper bound)
    documents: int
    peak_pss_mb: float = 0.0  # PSS summed over the tree (shared pages counted once)
    parent_cpu: float = 0.0  # user + system seconds of the parent process alone (last sample, every 50 ms)
    parent_peak_mb: float = 0.0  # peak RSS of the parent process alone
    system: float = 0.0  # of which system time (file creation), whole tree


def measure(command: list[str]) -> Measure:
    """Run ``command``; wall time, CPU of the whole process tree, sampled peak RSS of the tree.

    Dirty pages of the previous run are written out first (``sync``, not timed), so that no run
    pays for the previous one's writeback."""
    os.sync()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    peak = peak_pss = parent_peak = 0
    parent_cpu = 0.0
    stop = threading.Event()

    def sample() -> None:
        # RSS every 50 ms; the process list and PSS every 10th sample only: sampling them every
        # time took ≈ 15 % of a core from the measured run (≈ 7 ms of CPU per sample)
        nonlocal peak, peak_pss, parent_peak, parent_cpu
        count, tree = 0, None
        while not stop.is_set():
            full = count % 10 == 0
            if full:
                with contextlib.suppress(ImportError):
                    tree = _processes(process.pid)
            rss, pss = _tree_rss(process.pid, pss=full, tree=tree)
            peak, peak_pss = max(peak, rss), max(peak_pss, pss)
            count += 1
            own = _own_usage(process.pid)
            if own is not None:
                parent_cpu, parent_peak = own[0], max(parent_peak, own[1])
            stop.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    stop.set()
    sampler.join()
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise RuntimeError(f"drafter bulk a échoué ({process.returncode}) :\n{err[-2000:]}")
    documents = int(out.rsplit(" marché(s) rédigé(s), ", 1)[1].split(" pièce(s)")[0])
    system = after.ru_stime - before.ru_stime
    cpu = (after.ru_utime - before.ru_utime) + system
    return Measure(wall, cpu, peak / 2**20, documents, peak_pss / 2**20, parent_cpu, parent_peak / 2**20, system)


def _own_usage(pid: int) -> tuple[float, int] | None:
    """(user + system seconds, RSS bytes) of process ``pid`` alone, its children excluded."""
    try:
        import psutil

        process = psutil.Process(pid)
        times = process.cpu_times()
        return times.user + times.system, process.memory_info().rss
    except ImportError:  # pragma: no cover - bench extra not installed: /proc
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        return (int(fields[11]) + int(fields[12])) / tick, int(fields[21]) * os.sysconf("SC_PAGE_SIZE")
    except psutil.Error:
        return None


def bulk_command(inputs: list[Path], out: Path, workers: int) -> list[str]:
    return [
        sys.executable,
        "-m",
        "drafter.cli.main",
        "bulk",
        *map(str, inputs),
        "-o",
        str(out),
        "-j",
        str(workers),
        "--force",
    ]


# --- table 1: bulk end to end ---------------------------------------------------------


@dataclass
class BulkRow:
    name: str
    markets: int
    runs: dict[int, Measure] = field(default_factory=dict)


def run_bulk(name: str, markets: int, inputs: list[Path], workers: list[int], scratch: Path) -> BulkRow:
    """Each run writes into a new folder, kept until the bench ends: on ext4 without a journal (this
    VM's disk), every file created in the minute after a deletion scans past the deleted inodes
    (``recently_deleted`` in fs/ext4/ialloc.c), so removing a run's 30 000 files slowed the next run
    — always the ``-j 2`` one — by up to 30 s of system time."""
    row = BulkRow(name, markets)
    for count in workers:
        out = scratch / f"sortie-{name.replace(' ', '-')}-{count}"
        row.runs[count] = measure(bulk_command(inputs, out, count))
        m = row.runs[count]
        print(
            f"  {name} -j {count} : {m.wall:.1f} s, {m.documents} pièces, CPU {m.cpu:.1f} s "
            f"(système {m.system:.1f} s), "
            f"{m.peak_mb:.0f} Mo (PSS {m.peak_pss_mb:.0f} Mo) ; parent : CPU {m.parent_cpu:.1f} s "
            f"({100 * m.parent_cpu / m.cpu:.0f} %), {m.parent_peak_mb:.0f} Mo",
            file=sys.stderr,
        )
    return row


def bulk_table(rows: list[BulkRow], workers: list[int]) -> str:
    head = ["charge", "pièces"]
    for count in workers:
        head += [
            f"-j {count} (s)",
            f"pièces/s -j {count}",
            f"CPU -j {count}",
            f"CPU ms/pièce -j {count}",
            f"dont système -j {count}",
            f"CPU du parent -j {count}",
            f"mémoire du parent -j {count} (Mo)",
            f"mémoire max -j {count} (Mo, RSS / PSS)",
        ]
    if len(workers) > 1:
        head.append(f"-j {workers[-1]} ÷ -j {workers[0]}")
    lines = ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 1)]
    for row in rows:
        documents = next(iter(row.runs.values())).documents
        cells = [row.name, str(documents)]
        for count in workers:
            m = row.runs[count]
            cells += [
                f"{m.wall:.1f}",
                f"{m.documents / m.wall:.0f}",
                f"{100 * m.cpu / m.wall:.0f} %",
                f"{1000 * m.cpu / m.documents:.2f}",
                f"{1000 * m.system / m.documents:.2f}",
                f"{100 * m.parent_cpu / m.cpu:.0f} %",
                f"{m.parent_peak_mb:.0f}",
                f"{m.peak_mb:.0f} / {m.peak_pss_mb:.0f}",
            ]
        if len(workers) > 1:
            cells.append(f"{row.runs[workers[0]].wall / row.runs[workers[-1]].wall:.2f} ×")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


# --- table 2: rendering against the honest floor ----------------------------------------


@dataclass
class RenderLoad:
    name: str
    jobs: list[tuple[fastrender.FastTemplate, dict]] = field(default_factory=list)
    parts: list[dict[str, bytes]] = field(default_factory=list)
    times: dict[str, list[float]] = field(default_factory=lambda: {"floor": [], "fast": [], "naive": []})


def render_load(name: str, inputs: list[Path]) -> RenderLoad:
    load = RenderLoad(name)
    templates = template_paths(None)
    for path in inputs:
        ctx = build_context(analyse(path, today=TODAY))
        for doc in plan(ctx):
            load.jobs.append((fastrender.get_template(templates[doc.template], ENV), ctx.for_document(**doc.extra)))
    load.parts = [template.render_parts(context) for template, context in load.jobs]
    return load


def honest_floor(load: RenderLoad) -> None:
    """The documents' parts written exactly as the fast path writes them, minus the rendering."""
    for (template, _context), parts in zip(load.jobs, load.parts, strict=True):
        out = ZipWriter()
        for entry in template._entries:
            if entry.render is None:
                out.add_deflated(entry.name, entry.crc, entry.size, entry.deflated)
            else:
                data = parts[entry.name]
                out.add_deflated(entry.name, zlib.crc32(data), len(data), deflate(data, rendered=True))
        out.getvalue()


def fast(load: RenderLoad) -> None:
    for template, context in load.jobs:
        template.render_bytes(context)


def naive(load: RenderLoad) -> None:
    from docxtpl import DocxTemplate

    for template, context in load.jobs:
        document = DocxTemplate(template.path)
        document.render(context, jinja_env=ENV, autoescape=True)
        document.save(io.BytesIO())


def render_table(loads: list[RenderLoad], repetitions: int, with_naive: bool) -> str:
    variants = {"floor": honest_floor, "fast": fast, **({"naive": naive} if with_naive else {})}
    for rep in range(repetitions):
        for load in loads:
            names = list(variants)[rep % len(variants) :] + list(variants)[: rep % len(variants)]
            for variant in names:
                start = time.perf_counter()
                variants[variant](load)
                load.times[variant].append(time.perf_counter() - start)
    lines = [
        "| charge | pièces | fast ms/pièce | plancher ms/pièce | fast ÷ plancher | naïf ms/pièce | naïf ÷ fast |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for load in loads:
        count = len(load.jobs)
        ms = {v: statistics.median(t) * 1000 / count for v, t in load.times.items() if t}
        ratio = statistics.median(f / p for f, p in zip(load.times["fast"], load.times["floor"], strict=True))
        naive_cells = (
            f"{ms['naive']:.2f} | {statistics.median(n / f for n, f in zip(load.times['naive'], load.times['fast'], strict=True)):.1f} ×"
            if "naive" in ms
            else "— | —"
        )
        lines.append(
            f"| {load.name} | {count} | {ms['fast']:.2f} | {ms['floor']:.2f} | {ratio:.2f} × | {naive_cells} |"
        )
    return "\n".join(lines)


# --- profile ----------------------------------------------------------------------------


def profile(markets: int, top: int = 30) -> str:
    """cProfile of ``drafter bulk`` -j 1 on a programme of ``markets`` (the work the workers do)."""
    from drafter.cli.main import cli

    with tempfile.TemporaryDirectory(prefix="drafter-profil-") as folder:
        inputs = write_programme(Path(folder) / "programme", markets)
        profiler = cProfile.Profile()
        with open(os.devnull, "w") as quiet, contextlib.redirect_stdout(quiet), contextlib.redirect_stderr(quiet):
            profiler.enable()
            try:
                cli.main(
                    ["bulk", str(inputs[0].parent), "-o", f"{folder}/sortie", "-j", "1"],
                    prog_name="drafter",
                    standalone_mode=False,
                )
            finally:
                profiler.disable()
    buffer = io.StringIO()
    stats = pstats.Stats(profiler, stream=buffer)
    stats.sort_stats("cumulative").print_stats(top)
    stats.sort_stats("tottime").print_stats(top)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> str:
    parser = argparse.ArgumentParser(description="Banc de mesure de drafter bulk et du rendu (SPEC §8).")
    parser.add_argument("--marches", default="1000,5000,20000,58000", help="tailles des programmes de marchés")
    parser.add_argument(
        "--accord-cadre", type=int, default=5000, help="lots de l'accord-cadre mesuré de bout en bout (0 : aucun)"
    )
    parser.add_argument("-j", "--processus", default="1,2", help="nombres de processus, côte à côte")
    parser.add_argument("--lots", default="100,500", help="accords-cadres du tableau de rendu")
    parser.add_argument("--profils", type=int, default=100, help="programme du tableau de rendu (0 : aucun)")
    parser.add_argument("--repetitions", type=int, default=3, help="répétitions du tableau de rendu")
    parser.add_argument("--naif", action="store_true", help="mesure aussi la boucle docxtpl naïve")
    parser.add_argument("--json", type=Path, help="écrit aussi les mesures brutes dans ce fichier")
    parser.add_argument("--profil", type=int, metavar="N", help="seulement : profil cProfile de N marchés (-j 1)")
    args = parser.parse_args(argv)
    if args.profil:
        result = profile(args.profil)
        print(result)
        return result
    workers = [int(x) for x in args.processus.split(",") if x]
    with tempfile.TemporaryDirectory(prefix="drafter-bench-") as folder:
        root = Path(folder)
        loads = [
            render_load(f"accord-cadre {n} lots", [write_framework(root / f"ac-{n}", n)])
            for n in (int(x) for x in args.lots.split(",") if x)
            if n
        ]
        if args.profils:
            loads.append(
                render_load(f"programme {args.profils} marchés", write_programme(root / "rendu", args.profils))
            )
        rendering = render_table(loads, args.repetitions, args.naif) if loads else ""
        if rendering:
            print(rendering, file=sys.stderr)
        rows = []
        for markets in (m for m in (int(x) for x in args.marches.split(",") if x) if m):
            programme = write_programme(root / f"programme-{markets}", markets)
            rows.append(run_bulk(f"programme {markets} marchés", markets, [programme[0].parent], workers, root))
        if args.accord_cadre:
            framework = write_framework(root / "accord-cadre", args.accord_cadre)
            rows.append(run_bulk(f"accord-cadre {args.accord_cadre} lots", 1, [framework], workers, root))
    result = "\n\n".join(filter(None, [bulk_table(rows, workers) if rows else "", rendering]))
    print(result)
    if args.json:
        args.json.write_text(json.dumps({r.name: {str(j): vars(m) for j, m in r.runs.items()} for r in rows}, indent=1))
    return result


if __name__ == "__main__":
    main()
