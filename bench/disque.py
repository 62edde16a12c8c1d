"""What the disk alone costs: N markets of six 30 KB files, written by one then two processes.

No drafter code runs here: it shows how far file creation on the machine's disk lets ``-j 2``
scale, to read Table 1 of BENCHMARKS.md. Each size is run twice, alternating (1, 2, 1, 2), each in
a fresh folder; the folders are removed at the end only (with ``--supprimer``, after each run, as
before: on ext4 without a journal, the next run then scans past every inode just deleted).

Usage: ``python bench/disque.py [--marches 5000] [--dossier /tmp]``.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import tempfile
import time

DATA = os.urandom(30_000)
FILES_PER_MARKET = 6


def write_markets(job: tuple[str, int, int]) -> int:
    base, start, stop = job
    for market in range(start, stop):
        folder = f"{base}/m{market}"
        os.mkdir(folder)
        for number in range(FILES_PER_MARKET):
            with open(f"{folder}/piece-{number}.docx", "wb") as handle:
                handle.write(DATA)
    return stop - start


def measure(markets: int, processes: int, parent: str, remove: bool) -> str:
    base = tempfile.mkdtemp(prefix="drafter-disque-", dir=parent)
    os.sync()  # the previous run's writeback is not this run's
    jobs = [(base, start, min(start + 50, markets)) for start in range(0, markets, 50)]
    before, start = os.times(), time.perf_counter()
    if processes == 1:
        for job in jobs:
            write_markets(job)
    else:
        with multiprocessing.Pool(processes) as pool:
            list(pool.imap_unordered(write_markets, jobs))
    wall, after = time.perf_counter() - start, os.times()
    system = (after.system + after.children_system) - (before.system + before.children_system)
    if remove:
        shutil.rmtree(base)
    return f"{processes} processus : {wall:.1f} s écoulées, {system:.1f} s de temps système"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--marches", type=int, default=5000)
    parser.add_argument("--dossier", default=tempfile.gettempdir())
    parser.add_argument("--supprimer", action="store_true", help="supprime chaque dossier juste après sa mesure")
    args = parser.parse_args()
    print(f"{args.marches} marchés × {FILES_PER_MARKET} fichiers de 30 Ko dans {args.dossier}")
    with tempfile.TemporaryDirectory(prefix="drafter-disque-", dir=args.dossier) as folder:
        for processes in (1, 2, 1, 2):
            print(measure(args.marches, processes, folder, args.supprimer), flush=True)


if __name__ == "__main__":
    main()
