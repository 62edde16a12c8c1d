"""Mutation testing of the modules whose bugs the suite must catch (one command: tools/mutation.sh).

For each target, a scratch copy of the working tree is made, ``[tool.mutmut]`` is rewritten for
that target (the modules to mutate, the fast tests that guard them), ``mutmut run`` is run there,
and the score is computed from mutmut's results: killed (timeouts count as killed) ÷ mutants.
Mutants no test reaches count as survivors. Survivors are listed with their diff.

    python3 tools/mutation.py                       # every target (≈ 20–30 min on 2 cores)
    python3 tools/mutation.py cli output            # some targets
    python3 tools/mutation.py --report mutation.md  # also write the survivors' diffs to a file

Scratch copies live in ``$DRAFTER_MUTATION_DIR`` (default: /tmp/drafter-mutation) and are
reused: mutmut only re-runs the mutants whose code or tests changed.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# the CCAP property renders documents: too slow to rerun for each engine mutant
ENGINE_TESTS = ["tests/test_boundaries.py", "tests/test_decision_cases.py", "tests/test_properties_engine.py",
                "tests/test_examples_explain.py", "tests/test_explain_golden.py", "tests/test_engine_mutants.py",
                "-k", "not ccap_table"]


@dataclass(frozen=True)
class Target:
    name: str
    modules: tuple[str, ...]
    tests: tuple[str, ...]
    goal: int  # minimum score, in %


TARGETS = {t.name: t for t in (
    Target("engine", ("drafter/engine/decide.py", "drafter/engine/facts.py", "drafter/engine/reasoner.py",
                       "drafter/engine/lot_mechanism.py", "drafter/engine/lot_checks.py",
                       "drafter/engine/lot.py"),
           tuple(ENGINE_TESTS), 90),
    Target("sizing", ("drafter/engine/sizing.py",), tuple(ENGINE_TESTS), 90),
    Target("output", ("drafter/documents/output.py",),
           ("tests/test_failure_paths.py", "tests/test_cli_generate.py", "tests/test_reliability_output.py",
            "tests/test_output_writer.py"), 80),
    Target("cli", ("drafter/cli/error_mapping.py",),
           ("tests/test_cli_error_mapping.py", "tests/test_failure_paths.py", "tests/test_cli_errors.py"), 80),
)}
KILLED = {1, 3, 36, -24, 24, 152, 255}   # mutmut exit codes: killed, pytest internal error, timeouts
SKIPPED = {34, 37}                       # skipped, caught by a type check


def config(target: Target) -> str:
    lines = ["[tool.mutmut]", 'source_paths = ["drafter/"]',
             "only_mutate = [" + ", ".join(f'"{m}"' for m in target.modules) + "]",
             'also_copy = ["profiles/", "clause_templates/", "tools/", "bench/"]',
             'pytest_add_cli_args = ["-p", "no:cacheprovider", "-x", "-q"]',
             "pytest_add_cli_args_test_selection = [" + ", ".join(f'"{t}"' for t in target.tests) + "]"]
    return "\n".join(lines) + "\n"


def scratch_copy(target: Target, base: Path) -> Path:
    """The working tree (tracked and new files, not ignored ones) copied into ``base/<target>``; the
    changed files' old copies in ``mutants/`` are removed (else mutmut tests against stale tables,
    goldens and cases, its clean run fails and no mutant is checked)."""
    folder = base / target.name
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, files):
        source, copy = ROOT / name, folder / name
        if not source.is_file():
            continue
        if copy.is_file() and copy.read_bytes() == source.read_bytes():
            continue
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, copy)
        # mutmut copies a file into mutants/ only when it is missing there: drop the stale copy
        (folder / "mutants" / name).unlink(missing_ok=True)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = re.sub(r"\[tool\.mutmut\].*?(?=\n\[|\Z)", "", pyproject, flags=re.DOTALL).rstrip() + "\n\n"
    (folder / "pyproject.toml").write_text(pyproject + config(target), encoding="utf-8")
    return folder


def results(folder: Path, target: Target) -> tuple[dict[str, int | None], dict[str, dict[str, int | None]]]:
    by_module: dict[str, dict[str, int | None]] = {}
    for module in target.modules:
        meta = folder / "mutants" / (module + ".meta")
        codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"] if meta.exists() else {}
        by_module[module] = codes
    merged = {k: v for codes in by_module.values() for k, v in codes.items()}
    return merged, by_module


def score(codes: dict[str, int | None]) -> tuple[int, int, list[str]]:
    counted = {k: v for k, v in codes.items() if v not in SKIPPED}
    killed = sum(1 for v in counted.values() if v in KILLED)
    survivors = sorted(k for k, v in counted.items() if v not in KILLED)
    return killed, len(counted), survivors


def retest_survivors(folder: Path, target: Target) -> None:
    """Forget the survivors of a previous run: mutmut keeps a verdict while the mutated code is
    unchanged, but new tests may kill them now. Which tests reach which function is measured again
    (a stale map runs no test on a function added since, and calls its mutants survivors)."""
    (folder / "mutants" / "mutmut-stats.json").unlink(missing_ok=True)
    for module in target.modules:
        meta = folder / "mutants" / (module + ".meta")
        if meta.exists():
            data = json.loads(meta.read_text(encoding="utf-8"))
            codes = data["exit_code_by_key"]
            data["exit_code_by_key"] = {k: (v if v in KILLED or v in SKIPPED else None) for k, v in codes.items()}
            meta.write_text(json.dumps(data), encoding="utf-8")


def run_target(target: Target, base: Path, children: int, examples: str) -> tuple[Path, float]:
    folder = scratch_copy(target, base)
    retest_survivors(folder, target)
    env = {**os.environ, "DRAFTER_PROPERTY_EXAMPLES": examples, "PYTHONPATH": ""}
    start = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "mutmut", "run", "--max-children", str(children)], cwd=folder,
                          env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    if done.returncode != 0:
        sys.stderr.write(done.stderr[-3000:])
    return folder, time.monotonic() - start


def diff(folder: Path, mutant: str) -> str:
    shown = subprocess.run([sys.executable, "-m", "mutmut", "show", mutant], cwd=folder, capture_output=True,
                           text=True, check=False)
    return shown.stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", metavar="{" + ",".join(TARGETS) + "}",
                        help="targets to run (default: all)")
    parser.add_argument("--children", type=int, default=os.cpu_count() or 2, help="parallel mutants")
    parser.add_argument("--examples", default="20", help="hypothesis examples per property during the run")
    parser.add_argument("--report", type=Path, help="write the survivors and their diffs to this file")
    parser.add_argument("--dir", type=Path, default=Path(os.environ.get("DRAFTER_MUTATION_DIR",
                                                                        "/tmp/drafter-mutation")))
    args = parser.parse_args()
    unknown = [t for t in args.targets if t not in TARGETS]
    if unknown:
        parser.error(f"unknown target(s): {', '.join(unknown)}")
    args.targets = args.targets or list(TARGETS)
    lines, report, failed = [], ["# Survivants de la mutation", ""], False
    for name in args.targets:
        target = TARGETS[name]
        folder, seconds = run_target(target, args.dir, args.children, args.examples)
        codes, by_module = results(folder, target)
        killed, total, survivors = score(codes)
        percent = 100 * killed / total if total else 0.0
        failed |= percent < target.goal
        lines.append(f"{name:<7} {killed:>5}/{total:<5} {percent:5.1f} %  (objectif {target.goal} %, "
                     f"{seconds / 60:.1f} min)")
        for module, module_codes in by_module.items():
            k, t, _ = score(module_codes)
            lines.append(f"    {module:<34} {k:>4}/{t:<4} {100 * k / t if t else 0:5.1f} %")
        report += [f"## {name} : {killed}/{total} ({percent:.1f} %)", ""]
        for mutant in survivors:
            report += [f"### {mutant}", "", "```diff", diff(folder, mutant), "```", ""]
        print(lines[-1 - len(by_module)], flush=True)
    print("\n".join(["", "Score de mutation (mutmut)", *lines]))
    if args.report:
        args.report.write_text("\n".join(report), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
