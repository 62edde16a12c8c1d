"""The long fuzzing run of issue 11: ≥ 10 000 mutated profiles (``check`` and ``generate``) and
mutated bulk spreadsheets, judged by the oracle of ``tests/mutants.py``.

Each mutant runs in-process (CliRunner), under a 30 s alarm (a mutant still running then counts as
a hang). Figures printed at the end (and as JSON with ``--json``): exit codes, broken promises by
kind, time per run (median, p99, max), peak memory of the process, files lost. Usage::

    python bench/fuzz.py                       # 10 000 profiles + 2 000 spreadsheets (a few minutes)
    python bench/fuzz.py --profils 500 --tableurs 100 --graine 7
"""

from __future__ import annotations

import argparse
import collections
import json
import random
import resource
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.mutants import EXAMPLES, Outcome, csv_text, judge, judge_sheet, mutate, mutate_csv

HANG_SECONDS = 30


class Hang(Exception):
    pass


def _alarm(signum, frame):
    raise Hang


def one(kind: str, seed: int) -> Outcome:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        if kind == "tableur":
            path = Path(tmp) / "lots.csv"
            path.write_bytes(mutate_csv(csv_text(rng.randint(1, 4)), rng))
            return judge_sheet(path, Path(tmp) / "sortie")
        path = Path(tmp) / "profil.yaml"
        path.write_bytes(mutate(rng.choice(EXAMPLES).read_bytes(), rng))
        if rng.random() < 0.5:
            return judge(path, "check")
        return judge(path, "generate", Path(tmp) / "sortie")


def campaign(count: int, kind: str, seed: int, stats: dict) -> None:
    for index in range(count):
        signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(HANG_SECONDS)
        try:
            outcome = one(kind, seed * 1_000_003 + index)
        except Hang:
            stats["hangs"].append(f"{kind} graine {seed * 1_000_003 + index}")
            continue
        finally:
            signal.alarm(0)
        stats["runs"][f"{kind}/{outcome.command}/{outcome.exit_code}"] += 1
        stats["codes"][str(outcome.exit_code)] += 1
        stats["seconds"].append(outcome.seconds)
        for failure in outcome.failures:
            kind_of = failure.split(" :")[0]
            stats["failures"][kind_of] += 1
            if len(stats["examples"]) < 20:
                stats["examples"].append(f"{kind} graine {seed * 1_000_003 + index} : {failure}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profils", type=int, default=10_000)
    parser.add_argument("--tableurs", type=int, default=2_000)
    parser.add_argument("--graine", type=int, default=11)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    stats = {"runs": collections.Counter(), "codes": collections.Counter(), "failures": collections.Counter(),
             "seconds": [], "hangs": [], "examples": []}
    started = time.perf_counter()
    campaign(args.profils, "profil", args.graine, stats)
    campaign(args.tableurs, "tableur", args.graine, stats)
    seconds = sorted(stats["seconds"])
    lost = stats["failures"].get("fichiers perdus", 0) + stats["failures"].get("manifeste", 0)
    report = {
        "mutants": args.profils + args.tableurs,
        "runs": dict(stats["runs"]),
        "exit_codes": dict(stats["codes"]),
        "hangs": len(stats["hangs"]),
        "broken_promises": dict(stats["failures"]),
        "lost_files": lost,
        "seconds_median": round(statistics.median(seconds), 4) if seconds else None,
        "seconds_p99": round(seconds[int(len(seconds) * 0.99) - 1], 4) if seconds else None,
        "seconds_max": round(seconds[-1], 3) if seconds else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "wall_seconds": round(time.perf_counter() - started),
        "examples": stats["examples"] + stats["hangs"][:5],
    }
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    for key, value in report.items():
        print(f"{key}: {value}")


if __name__ == "__main__":
    main()
