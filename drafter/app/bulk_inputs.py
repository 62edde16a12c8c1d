"""Bulk inputs: profile files, folders, globs and spreadsheets → independent market items.

Every market is an :class:`Item`: either analysed (ready to generate) or failed with its
French, located problems. One bad profile or row never hides the others (SPEC §2).
"""

from __future__ import annotations

import datetime as dt
import glob
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from drafter.app.analyse import Analysis, analyse, analyse_loaded
from drafter.errors import DrafterError, Problem
from drafter.inputs.loading import LoadedProfile
from drafter.inputs.spreadsheet import SHEET_SUFFIXES, CellProblem, read_markets
from drafter.law.rules import RuleBook

PROFILE_SUFFIXES = {".yaml", ".yml"}


@dataclass
class Item:
    """One market of the bulk run."""

    label: str                       # « profils/x.yaml » or « lots.xlsx (marché « REF ») »
    source: str                      # the input file
    analysis: Analysis | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.analysis is not None and not self.problems


def expand(entries: tuple[str, ...] | list[str]) -> tuple[list[Path], list[Task]]:
    """Input files in order (folders → their *.yaml, globs expanded), and items for bad entries."""
    files: dict[Path, Path] = {}     # resolved → as given, first occurrence kept
    bad: list[Task] = []
    for entry in entries:
        found, problem = _entry_files(entry)
        for path in found:
            files.setdefault(path.resolve(), path)
        if problem:
            bad.append(Task(entry, entry, problems=[Problem(problem, entry)]))
    return list(files.values()), bad


def _entry_files(entry: str) -> tuple[list[Path], str | None]:
    """The input files one entry names, or why it names none."""
    path = Path(entry)
    if path.is_dir():
        return _profiles_in(path), None
    if path.is_file():
        if path.suffix.lower() in PROFILE_SUFFIXES | SHEET_SUFFIXES:
            return [path], None
        return [], ("type de fichier non pris en charge : donnez des profils .yaml, des dossiers ou des "
                    "tableurs .xlsx / .csv.")
    if glob.has_magic(entry):
        found: list[Path] = []
        for match in sorted(glob.glob(entry, recursive=True)):
            candidate = Path(match)
            if candidate.is_dir():
                found += _profiles_in(candidate)
            elif candidate.suffix.lower() in PROFILE_SUFFIXES | SHEET_SUFFIXES:
                found.append(candidate)
        return found, None
    return [], "fichier ou dossier introuvable. Vérifiez le chemin."


def _profiles_in(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix.lower() in PROFILE_SUFFIXES and p.is_file())


@dataclass
class Task:
    """One market to generate, not yet analysed: a profile file (read by the worker that takes
    it) or a spreadsheet market (read by the parent with its sheet, passed on as loaded).
    ``last`` marks the last market of its input file (progress is counted in files)."""

    label: str
    source: str
    loaded: LoadedProfile | None = None
    problems: list[Problem] = field(default_factory=list)
    profile: bool = False            # a profile file, loaded by the worker
    last: bool = True


def tasks(files: Iterable[Path], *, sectors: tuple[str, ...]) -> Iterator[Task]:
    """Every market of every input file, lazily: a spreadsheet is read when its turn comes."""
    for path in files:
        name = str(path)
        if path.suffix.lower() not in SHEET_SUFFIXES:
            yield Task(name, name, profile=True)
            continue
        try:
            markets = read_markets(path, sectors)
        except DrafterError as exc:
            yield Task(name, name, problems=list(exc.problems))
            continue
        for number, market in enumerate(markets, 1):
            yield Task(market.label, name, market.loaded, list(market.problems), last=number == len(markets))


def analyse_task(task: Task, *, book: RuleBook, today: dt.date, date: dt.date | None) -> Item:
    """Load (profile files), validate and decide one market."""
    item = Item(task.label, task.source, problems=list(task.problems))
    if task.profile:
        _decide(item, lambda: analyse(task.source, today=today, date=date, book=book))
    elif task.loaded is not None:
        _decide(item, lambda: analyse_loaded(task.loaded, today=today, date=date, book=book))
    return item


def collect(files: list[Path], *, book: RuleBook, today: dt.date, date: dt.date | None,
            sectors: tuple[str, ...]) -> list[Item]:
    """Load, validate and decide every market of every input file (all in memory: small runs)."""
    return [analyse_task(task, book=book, today=today, date=date) for task in tasks(files, sectors=sectors)]


def _decide(item: Item, run) -> None:
    try:
        item.analysis = run()
    except DrafterError as exc:
        item.problems.extend(exc.problems)


def render_report(failed: list[Item]) -> str:
    """The French error report (``erreurs.txt``): each failed item with all its problems."""
    lines = [f"drafter bulk — {len(failed)} élément(s) en erreur", ""]
    for item in failed:
        lines.append(f"■ {item.label}")
        lines += [f"  {problem.render()}" for problem in item.problems]
        lines.append("")
    return "\n".join(lines)


def problem_cells(problem: Problem) -> tuple[str, str, str, str]:
    """(fichier, ligne, colonne ou champ, message) for the errors sheet of the summary workbook."""
    line = "" if problem.line is None else str(problem.line)
    if isinstance(problem, CellProblem):
        where = problem.column_label or ""
    else:
        where = problem.field or ("" if problem.column is None else f"colonne {problem.column}")
    return problem.file or "", line, where, problem.message
