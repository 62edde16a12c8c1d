"""``drafter bulk`` as a library: many markets, one pool of processes, one summary (SPEC §2, §8).

The unit of parallel work is a *document*, not a market, so that a 500-lot framework
agreement is spread over every process as well as a programme of 100 small markets:

1. the parent analyses every market (:mod:`drafter.bulk_inputs`), builds its template
   context and its list of documents (:func:`drafter.documents.plan`);
2. worker processes (fork: they inherit the contexts, nothing large is pickled) render
   the documents into a staging folder, through the same ``render_document`` as
   ``drafter generate`` (fast path of :mod:`drafter.fastrender`);
3. as soon as all the documents of a market are rendered, the parent calls
   :func:`drafter.generate.generate` for it with the rendered files, the context and the
   checked templates; it moves them in, writes the manifest and the summary, and moves the
   folder into place exactly as ``drafter generate`` does.

A failure (profile, row, template, output folder) fails its market only.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.styles import Font

from drafter.app.bulk_inputs import Item, problem_cells, render_report
from drafter.app.generate import GenerationResult, checked_templates, generate, output_folder
from drafter.documents.comments import annotator
from drafter.documents.plan import Planned, plan
from drafter.documents.render import render_document
from drafter.documents.workbook import lot_rows, synthese_workbook
from drafter.errors import DrafterError, OutputError, Problem
from drafter.present.context import Context, build_context

SUMMARY, REPORT = "synthese.xlsx", "erreurs.txt"


@dataclass
class Market:
    """One market being generated: its documents and how many are still to render."""

    item: Item
    ctx: Context | None = None
    planned: list[Planned] = field(default_factory=list)
    stage: Path | None = None
    annotate: Callable[[Any], None] | None = None
    remaining: int = 0
    result: GenerationResult | None = None


@dataclass
class BulkResult:
    items: list[Item]
    generated: list[tuple[Item, GenerationResult]]
    summary: Path | None
    report: Path | None

    @property
    def failed(self) -> list[Item]:
        return [i for i in self.items if not i.ok]

    @property
    def documents(self) -> int:
        return sum(len(r.documents) for _, r in self.generated)


# Set in the parent before the pool forks; workers only read it.
_MARKETS: list[Market] = []
_TEMPLATES: dict[str, Path] = {}


def _render(job: tuple[int, int]) -> tuple[int, int, list[Problem] | None]:
    """Render one planned document of one market into its staging folder (in a worker)."""
    index, number = job
    market = _MARKETS[index]
    doc = market.planned[number]
    try:
        data = render_document(_TEMPLATES[doc.template], market.ctx.for_document(**doc.extra),
                               annotate=market.annotate)
        (market.stage / doc.fichier).write_bytes(data)
    except DrafterError as exc:
        return index, number, list(exc.problems)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other documents
        return index, number, [Problem(f"erreur interne de drafter en rédigeant « {doc.fichier} » "
                                       f"({type(exc).__name__} : {exc}) ; signalez-la à l'équipe.")]
    return index, number, None


def run(items: list[Item], out_dir: str | Path, *, workers: int = 1, revue: bool = False,
        force: bool = False, templates_dir: str | Path | None = None,
        progress: Callable[[int], None] | None = None, on_total: Callable[[int], None] | None = None,
        ) -> BulkResult:
    """Generate every analysed item; write the consolidated summary and the error report."""
    global _TEMPLATES
    out = Path(out_dir)
    _TEMPLATES = checked_templates(templates_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage_root = Path(tempfile.mkdtemp(prefix=".bulk.", suffix=".tmp", dir=out))
    except OSError as exc:
        raise OutputError(f"impossible d'écrire dans « {out} » : {exc.strerror or exc}. Rien n'a été écrit.") from None
    markets = _prepare(items, out, stage_root, revue=revue, force=force)
    jobs = [(i, n) for i, m in enumerate(markets) for n in range(m.remaining)]
    if on_total:
        on_total(len(jobs))
    generated: list[tuple[Item, GenerationResult]] = []

    def finish(index: int) -> None:
        market = markets[index]
        if not market.item.problems:
            staged = ({d.fichier: (market.stage / d.fichier).read_bytes() for d in market.planned
                       if (market.stage / d.fichier).is_file()} if market.stage else {})
            try:
                market.result = generate(market.item.analysis, out, revue=revue, force=force,
                                         templates=_TEMPLATES, context=market.ctx, rendered=staged)
                generated.append((market.item, market.result))
            except DrafterError as exc:
                market.item.problems.extend(exc.problems)
        if market.stage is not None:
            shutil.rmtree(market.stage, ignore_errors=True)

    def done(result: tuple[int, int, list[Problem] | None]) -> None:
        index, _number, problems = result
        market = markets[index]
        if problems:
            market.item.problems.extend(problems)
        market.remaining -= 1
        if progress:
            progress(1)
        if market.remaining == 0:
            finish(index)

    _MARKETS[:] = markets
    try:
        for index, market in enumerate(markets):
            if market.remaining == 0:
                finish(index)
        if workers <= 1 or len(jobs) <= 1 or "fork" not in multiprocessing.get_all_start_methods():
            for job in jobs:
                done(_render(job))
        else:
            _parallel(jobs, workers, done)
    finally:
        _MARKETS.clear()
        shutil.rmtree(stage_root, ignore_errors=True)
    generated.sort(key=lambda pair: items.index(pair[0]))
    return BulkResult(items, generated, *_write_outputs(items, generated, out))


def _render_chunk(jobs: list[tuple[int, int]]) -> list[tuple[int, int, list[Problem] | None]]:
    return [_render(job) for job in jobs]


def _parallel(jobs: list[tuple[int, int]], workers: int, done: Callable[[Any], None]) -> None:
    """Render ``jobs`` on ``workers`` forked processes, reporting each result to ``done`` (in the parent).

    The contexts were built before the fork and are frozen out of the garbage collector, so
    the workers neither copy nor scan them. A worker killed outright (out of memory…) fails
    the documents it had, not the run.
    """
    size = max(1, min(8, len(jobs) // (workers * 8)))
    chunks = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    gc.collect()
    gc.freeze()
    try:
        with ProcessPoolExecutor(min(workers, len(chunks)), mp_context=multiprocessing.get_context("fork")) as pool:
            pending = {pool.submit(_render_chunk, chunk): chunk for chunk in chunks}
            for future in as_completed(pending):
                try:
                    results = future.result()
                except BrokenProcessPool:
                    message = ("un processus de rédaction s'est arrêté brutalement (mémoire insuffisante ?) : "
                               "relancez avec moins de processus (-j 1).")
                    results = [(index, number, [Problem(message)]) for index, number in pending[future]]
                for result in results:
                    done(result)
    finally:
        gc.unfreeze()


def _prepare(items: list[Item], out: Path, stage_root: Path, *, revue: bool, force: bool) -> list[Market]:
    """Context and documents of every analysed item; duplicate output folders are refused."""
    markets: list[Market] = []
    folders: dict[str, Item] = {}
    for item in items:
        if not item.ok:
            continue
        market = Market(item)
        target = output_folder(out, item.analysis)
        first = folders.setdefault(str(target).lower(), item)
        if first is not item:
            item.problems.append(Problem(
                f"même dossier de sortie « {target} » que {first.label} (même référence de marché) : "
                "donnez des références différentes. Rien n'a été écrit pour ce marché.", item.source))
            continue
        markets.append(market)
        if target.exists() and not force:
            continue  # generate() refuses it with its own message, without rendering anything
        market.ctx = build_context(item.analysis, revue=revue)
        market.planned = plan(market.ctx)
        market.annotate = annotator(market.ctx.notes)
        market.stage = stage_root / str(len(markets))
        market.stage.mkdir()
        market.remaining = len(market.planned)
    return markets


def _write_outputs(items: list[Item], generated: list[tuple[Item, GenerationResult]],
                   out: Path) -> tuple[Path | None, Path | None]:
    """``synthese.xlsx`` (one row per lot of every generated market, plus an « Erreurs » sheet)
    and ``erreurs.txt`` (removed when nothing failed, so a stale report never misleads)."""
    failed = [i for i in items if not i.ok]
    summary = out / SUMMARY
    rows = [row for item, _ in generated for row in lot_rows(item.analysis)]
    work = out / f".{SUMMARY}.tmp.xlsx"
    book = synthese_workbook(rows, title="Synthèse")
    sheet = book.create_sheet("Erreurs")
    sheet.append(["Élément", "Fichier", "Ligne", "Colonne ou champ", "Message"])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for item in failed:
        for problem in item.problems:
            file, line, where, message = problem_cells(problem)
            sheet.append([item.label, file or item.source, int(line) if line else None, where or None, message])
    for letter, width in zip("ABCDE", (40, 30, 8, 28, 100), strict=True):
        sheet.column_dimensions[letter].width = width
    book.save(work)
    os.replace(work, summary)
    report = out / REPORT
    if failed:
        report.write_text(render_report(failed) + "\n", encoding="utf-8")
        return summary, report
    report.unlink(missing_ok=True)
    return summary, None
