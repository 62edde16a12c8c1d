"""``drafter bulk`` as a library: many markets, a pool of processes, one summary (SPEC §2, §8).

A streaming pipeline: the parent holds nothing per market but its output folder's name:

1. the parent reads the inputs lazily (:func:`drafter.app.bulk_inputs.tasks`: a profile file
   is only a path, a spreadsheet is read when its turn comes) and hands markets, a few at a
   time, to worker processes;
2. a worker takes **whole markets**: read, validate, decide, template context, documents,
   summary workbook, manifest (:func:`drafter.app.generate.build`), written into the run's
   private staging folder; it sends back only the market's summary rows, or its French problems;
3. the parent takes the outcomes **in input order** (a small reorder buffer) and, for each,
   moves the staged folder into place with a rename (:func:`drafter.documents.output.move_into_place`,
   same checks and messages as ``drafter generate``; a second market with the same output folder is
   refused) and writes its summary rows (the rows of
   :func:`drafter.documents.workbook.lot_rows`), totals and points into the consolidated
   ``synthese.xlsx``, streamed to disk (:class:`drafter.documents.workbook.Summary`); a failed
   market goes to its « Erreurs » sheet. The parent keeps nothing of a committed market but its
   output folder's name (to refuse a second market with the same one) and, for a failed one,
   its problems (``erreurs.txt`` and the report on the terminal).

The run holds its whole output folder (:class:`drafter.documents.output.FolderLock`), not one lock
per market, and folders replaced with ``--force`` are removed when the run ends: a run creates
files and deletes none (on ext4 without a journal, each deletion slows every creation that follows
for a minute or more, which doubled the system time of a 5 000-market run).

A market with many documents (a framework agreement of hundreds of lots) is not left to one
worker: the worker that analysed it answers « big », and its documents are rendered by slices
on every worker (each worker re-derives the context once), then one worker adds the summary
workbook and the manifest (not with ``--revue``, whose commented copies ``generate.build`` makes:
such a market goes whole to one worker). Beyond WHOLE documents, one worker renders the market
(duplicating its context on every worker costs more memory than the split saves time). Documents
of such markets are written as they are rendered, never held together. With ``-j 1`` everything
runs in this process, in order; the files are the same, byte for byte. A failure (profile, row,
template, output folder, a worker killed outright) fails its market only (:mod:`drafter.app.bulk_pool`).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from drafter.app import bulk_pool
from drafter.app.bulk_inputs import Item, Task, analyse_task, problem_cells, render_report
from drafter.app.generate import assemble, build, checked_templates, output_folder
from drafter.app.input_warnings import InputWarning, input_warnings
from drafter.documents import output
from drafter.documents.comments import annotator
from drafter.documents.plan import plan
from drafter.documents.render import render_document
from drafter.documents.workbook import ERRORS_TITLE, Summary, lot_rows
from drafter.errors import DrafterError, Problem, os_reason
from drafter.law.rules import RuleBook
from drafter.present.context import build_context

SUMMARY, REPORT, ERRORS_SHEET = "synthese.xlsx", "erreurs.txt", ERRORS_TITLE
SPLIT = 48   # a market with more documents is rendered by slices on every worker (-j N)
SLICE = 16   # documents per slice
WHOLE = 1000  # ...unless it has more than this: every worker would rebuild its whole context (a 5 000-lot
              # framework: ≈ 130 MB each, and slower than one worker), so one worker renders it


@dataclass(frozen=True)
class Run:
    """What every worker needs, set before the pool forks (workers inherit it)."""

    out: Path
    stage: Path
    templates: dict[str, Path]
    book: RuleBook
    today: dt.date
    date: dt.date | None
    revue: bool = False
    force: bool = False
    split: bool = False


@dataclass
class Outcome:
    """What a worker sends back for one market: its summary rows, or its problems."""

    index: int
    task: Task
    problems: list[Problem] = field(default_factory=list)
    folder: str | None = None
    rows: list[dict] = field(default_factory=list)
    documents: int = 0
    big: int = 0        # > 0: documents still to render by slices
    warnings: list[InputWarning] = field(default_factory=list)   # what check would say of its input


@dataclass
class BulkResult:
    markets: int
    documents: int
    failed: list[Item]
    summary: Path | None
    report: Path | None


_RUN: Run | None = None
_OPEN: dict[int, tuple] = {}   # the split market this worker is rendering: index → (analysis, ctx, planned)


def _run() -> Run:
    """The settings of the current run (set by :func:`run` before any job)."""
    assert _RUN is not None, "bulk job outside bulk.run"
    return _RUN


def internal(what: str, exc: Exception) -> Problem:
    return Problem(f"erreur interne de drafter en rédigeant {what} ({type(exc).__name__} : {exc}) ; "
                   "signalez-la à l'équipe.")


def crashed(index: int, task: Task, problem: Problem) -> Outcome:
    return Outcome(index, task, problems=[problem])


def _render(ctx, doc, annotate) -> bytes:
    try:
        return render_document(_run().templates[doc.template], ctx.for_document(**doc.extra), annotate=annotate)
    except DrafterError:
        raise
    except Exception as exc:  # a bug must not stop the other markets
        raise DrafterError([internal(f"« {doc.fichier} »", exc)]) from exc


def _finished(outcome: Outcome, analysis, documents: int) -> Outcome:
    outcome.rows = lot_rows(analysis)
    outcome.documents = documents
    outcome.warnings = input_warnings(analysis)
    return outcome


def market_job(index: int, task: Task) -> Outcome:
    """One whole market (in a worker, or in the parent with -j 1): staged, ready to move in place."""
    run = _run()
    outcome = Outcome(index, task)
    try:
        item = analyse_task(task, book=run.book, today=run.today, date=run.date)
        if item.analysis is None or item.problems:
            outcome.problems = item.problems
            return outcome
        target = output_folder(run.out, item.analysis)
        outcome.folder = str(target)
        output.check_target(target, run.force)  # refused before anything is rendered
        ctx = build_context(item.analysis, revue=run.revue)
        planned = plan(ctx)
        if len(planned) > SPLIT and not run.revue:  # by slices, each document written as it is rendered
            _OPEN.clear()
            _OPEN[index] = (item.analysis, ctx, planned)
            if run.split and len(planned) <= WHOLE:  # on every worker
                outcome.big = len(planned)
                return outcome
            outcome.problems = slice_job(index, task, 0, len(planned))
            if outcome.problems:
                _OPEN.clear()
                return outcome
            return finish_job(index, task, outcome.folder)
        annotate = annotator(ctx.notes)
        rendered = {doc.fichier: _render(ctx, doc, annotate) for doc in planned}
        bundle = build(item.analysis, revue=run.revue, templates=run.templates, context=ctx, rendered=rendered)
        _write(run.stage / str(index), bundle.files)
        return _finished(outcome, item.analysis, len(bundle.documents))
    except DrafterError as exc:
        outcome.problems = list(exc.problems)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other markets
        outcome.problems = [internal("ce marché", exc)]
    return outcome


def _write(folder: Path, files: dict[str, bytes]) -> None:
    """Files into the market's folder in the run's private staging area (the parent moves it in
    place with one rename: already atomic, so no second staging folder as ``write_folder`` makes)."""
    folder.mkdir(exist_ok=True)
    for name, data in files.items():
        path = folder / name
        if "/" in name:  # relecture/…: the commented copies
            path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _opened(index: int, task: Task) -> tuple:
    """The analysis, context and plan of a split market (derived again by a worker that lacks it)."""
    if index not in _OPEN:
        run = _run()
        item = analyse_task(task, book=run.book, today=run.today, date=run.date)
        if item.analysis is None or item.problems:  # pragma: no cover - it was analysed once already
            raise DrafterError(item.problems)
        ctx = build_context(item.analysis, revue=run.revue)
        _OPEN.clear()
        _OPEN[index] = (item.analysis, ctx, plan(ctx))
    return _OPEN[index]


def slice_job(index: int, task: Task, start: int, stop: int) -> list[Problem]:
    """Documents ``start:stop`` of a split market, written into its staging folder."""
    problems: list[Problem] = []
    try:
        _analysis, ctx, planned = _opened(index, task)
        folder = _run().stage / str(index)
        folder.mkdir(exist_ok=True)  # several slices may be first
        annotate = annotator(ctx.notes)
        for doc in planned[start:stop]:
            try:
                (folder / doc.fichier).write_bytes(_render(ctx, doc, annotate))
            except DrafterError as exc:
                problems.extend(exc.problems)
    except DrafterError as exc:
        problems.extend(exc.problems)
    except Exception as exc:  # noqa: BLE001
        problems.append(internal("ce marché", exc))
    return problems


def finish_job(index: int, task: Task, folder: str) -> Outcome:
    """Summary workbook and manifest of a split market whose documents are all rendered."""
    outcome = Outcome(index, task, folder=folder)
    try:
        analysis, _ctx, planned = _opened(index, task)
        _OPEN.clear()  # the context is no longer needed: its memory serves the workbook and manifest
        del _ctx
        bundle = assemble(analysis, planned, {})
        _write(_run().stage / str(index), bundle.files)
        return _finished(outcome, analysis, len(bundle.documents))
    except DrafterError as exc:
        outcome.problems = list(exc.problems)
    except Exception as exc:  # noqa: BLE001
        outcome.problems = [internal("ce marché", exc)]
    return outcome


class Merger:
    """The parent's side: outcomes committed in input order, rows streamed into the summary."""

    def __init__(self, run: Run, summary: Summary, lock: output.FolderLock, *,
                 on_market: Callable[[Outcome], None] | None, progress: Callable[[int], None] | None):
        self.run, self.summary, self.on_market, self.progress = run, summary, on_market, progress
        self.lock = lock
        self.next = 0
        self.waiting: dict[int, Outcome] = {}
        self.folders: dict[str, str] = {}   # lower-cased output folder name → label of its market
        self.failed: list[Item] = []
        self.markets = self.documents = 0

    def add(self, outcome: Outcome) -> None:
        self.waiting[outcome.index] = outcome
        while self.next in self.waiting:
            self._commit(self.waiting.pop(self.next))
            self.next += 1

    def _commit(self, outcome: Outcome) -> None:
        staged = self.run.stage / str(outcome.index)
        if not outcome.problems:
            self._move_in(outcome, staged)
        if outcome.problems:
            shutil.rmtree(staged, ignore_errors=True)
            failed = Item(outcome.task.label, outcome.task.source, problems=outcome.problems)
            self.failed.append(failed)
            for values in _error_rows(failed):
                self.summary.add_error(values)
        else:
            self.summary.add_market(outcome.rows)
            self.markets += 1
            self.documents += outcome.documents
            if self.on_market:
                self.on_market(outcome)
        if self.progress and outcome.task.last:
            self.progress(1)
        self.lock.refresh()

    def _move_in(self, outcome: Outcome, staged: Path) -> None:
        assert outcome.folder is not None  # set for every market analysed without problem
        target = Path(outcome.folder)
        # every folder is one name in the output folder: the name, not the whole path, is kept;
        # a market is committed once, so a name already there is another market's
        key = target.name.lower()
        first = self.folders.get(key)
        if first is None:
            self.folders[key] = outcome.task.label
        else:
            outcome.problems.append(Problem(
                f"même dossier de sortie « {target} » que {first} (même référence de marché) : "
                "donnez des références différentes. Rien n'a été écrit pour ce marché.", outcome.task.source))
            return
        try:
            self.lock.check_target(target)
            output.check_target(target, self.run.force)
            output.move_into_place(staged, target, keep_old=True)
        except DrafterError as exc:
            outcome.problems.extend(exc.problems)
        except OSError as exc:
            outcome.problems.append(Problem(f"impossible d'écrire « {target} » : {os_reason(exc)}. "
                                            "Rien n'a été écrit pour ce marché."))


def run(tasks: Iterable[Task], out_dir: str | Path, *, book: RuleBook, today: dt.date, date: dt.date | None = None,
        workers: int = 1, revue: bool = False, force: bool = False, templates_dir: str | Path | None = None,
        progress: Callable[[int], None] | None = None, on_market: Callable[[Outcome], None] | None = None,
        ) -> BulkResult:
    """Generate every market of ``tasks``; write the consolidated summary and the error report."""
    global _RUN
    out = Path(out_dir)
    templates = checked_templates(templates_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise output.write_error(out, exc) from None
    with output.FolderLock(out) as lock:
        stage = _stage(out)
        parallel = workers > 1 and bulk_pool.available()
        # --revue adds the commented copies (relecture/) in generate.build: big markets then go whole
        _RUN = Run(out, stage, templates, book, today, date, revue, force, split=parallel and not revue)
        work = out / f".{SUMMARY}.tmp.xlsx"
        numbered = enumerate(tasks)
        try:
            # dated the run's day, so that -j 1 and -j N give the same bytes
            summary = Summary(work, title="Synthèse", created=dt.datetime.combine(today, dt.time()), errors=True,
                              stream=True, tmpdir=stage)
            merger = Merger(_RUN, summary, lock, on_market=on_market, progress=progress)
            if parallel:
                steps = bulk_pool.Steps(market_job, slice_job, finish_job, crashed, SLICE)
                bulk_pool.Scheduler(numbered, workers, merger, steps).run()
            else:
                for index, task in numbered:
                    merger.add(market_job(index, task))
            summary.close()
            os.replace(work, out / SUMMARY)
        finally:
            _RUN = None
            _OPEN.clear()
            shutil.rmtree(stage, ignore_errors=True)
            work.unlink(missing_ok=True)
            output.remove_own_old(out)   # the folders replaced with --force: deleted once, at the end
        return BulkResult(merger.markets, merger.documents, merger.failed, out / SUMMARY,
                          _report(out, merger.failed))


def _stage(out: Path) -> Path:
    """The run's private staging folder, named with its PID: the next run removes it if this one is killed."""
    output.remove_leftovers(out)
    try:
        return Path(tempfile.mkdtemp(prefix=output.work_prefix("bulk"), suffix=".tmp", dir=out))
    except OSError as exc:
        raise output.write_error(out, exc) from None


def _error_rows(item: Item):
    """The « Erreurs » sheet's rows of one failed item: one per problem."""
    for problem in item.problems:
        file, line, where, message = problem_cells(problem)
        yield [item.label, file or item.source, int(line) if line else None, where or None, message]


def _report(out: Path, failed: list[Item]) -> Path | None:
    """``erreurs.txt``, removed when nothing failed (a stale report never misleads)."""
    report = out / REPORT
    if failed:
        report.write_text(render_report(failed) + "\n", encoding="utf-8")
        return report
    report.unlink(missing_ok=True)
    return None
