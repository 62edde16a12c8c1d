"""No quadratic step in bulk: results are put back in input order by index, never searched for.

The national run of issue 14 spent 22 of its 35 minutes in ``items.index(…)`` inside a sort.
These tests count operations instead of timing them: a linear merge does a bounded number of
look-ups per market, a search through the list of markets does thousands.
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from drafter.app import bulk
from drafter.app.bulk_inputs import Task
from drafter.errors import Problem


class CountingDict(dict):
    operations = 0

    def __contains__(self, key):
        CountingDict.operations += 1
        return super().__contains__(key)

    def __setitem__(self, key, value):
        CountingDict.operations += 1
        super().__setitem__(key, value)

    def __getitem__(self, key):
        CountingDict.operations += 1
        return super().__getitem__(key)

    def __iter__(self):
        for key in super().__iter__():
            CountingDict.operations += 1
            yield key

    def values(self):
        return [self[key] for key in self]

    def items(self):
        return [(key, self[key]) for key in self]

    def pop(self, key, *default):
        CountingDict.operations += 1
        return super().pop(key, *default)


class Recorder:
    """Stands for the summary workbook: what the merger writes into it, in order."""

    def __init__(self) -> None:
        self.markets: list[list[dict]] = []
        self.errors: list[list] = []

    def add_market(self, rows: list[dict]) -> None:
        self.markets.append(rows)

    def add_error(self, values: list) -> None:
        self.errors.append(values)


def test_outcomes_arriving_in_any_order_are_merged_in_input_order_in_linear_steps(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    count = 3000
    monkeypatch.setattr(bulk.output, "check_target", lambda target, force: None)
    monkeypatch.setattr(bulk.output, "move_into_place", lambda work, target, **kw: None)
    compared = []
    monkeypatch.setattr(Task, "__eq__", lambda self, other: compared.append(1) or self is other)
    run = bulk.Run(tmp_path, tmp_path / "stage", {}, None, dt.date(2026, 11, 25), None)
    summary = Recorder()
    merger = bulk.Merger(run, summary, bulk.output.FolderLock(tmp_path), on_market=None, progress=None)
    merger.waiting = CountingDict()
    CountingDict.operations = 0
    outcomes = [bulk.Outcome(i, Task(f"p{i}.yaml", f"p{i}.yaml"), folder=str(tmp_path / f"M-{i}"), rows=[{"n": i}],
                             documents=2) if i % 10 else
                bulk.Outcome(i, Task(f"p{i}.yaml", f"p{i}.yaml"), problems=[Problem("en erreur")])
                for i in range(count)]
    random.Random(14).shuffle(outcomes)
    for outcome in outcomes:
        merger.add(outcome)
    assert summary.markets == [[{"n": i}] for i in range(count) if i % 10]
    assert summary.errors == [[f"p{i}.yaml", f"p{i}.yaml", None, None, "en erreur"] for i in range(0, count, 10)]
    assert [item.label for item in merger.failed] == [f"p{i}.yaml" for i in range(0, count, 10)]
    assert (merger.markets, merger.documents) == (count - count // 10, 2 * (count - count // 10))
    assert compared == []
    # one insertion, one look-up that finds it, one pop, plus one failed look-up per arrival
    assert CountingDict.operations <= 4 * count


def test_a_whole_run_never_compares_markets(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``items.index(task)`` or ``task in list`` would call ``Task.__eq__`` (a dataclass): never."""
    from drafter.app.settings import Settings

    from .conftest import EXAMPLES

    compared = []
    monkeypatch.setattr(Task, "__eq__", lambda self, other: compared.append(1) or self is other)
    monkeypatch.setattr(bulk.Outcome, "__eq__", lambda self, other: compared.append(1) or self is other)
    text = (EXAMPLES / "mapa-petits-travaux.yaml").read_text(encoding="utf-8")
    tasks = []
    for number in range(40):
        path = tmp_path / f"p{number:02d}.yaml"
        path.write_text(text.replace('"2027-DDETS46-PEINT"', f'"2027-P-{number:02d}"'), encoding="utf-8")
        tasks.append(Task(str(path), str(path), profile=True))
    settings = Settings()
    result = bulk.run(tasks, tmp_path / "sortie", book=settings.book(), today=dt.date(2026, 11, 25), workers=1)
    assert (result.markets, result.documents, result.failed) == (40, 40, [])
    assert compared == []


class Row(dict):
    """A summary row that can be watched with a weak reference."""


def test_the_parent_keeps_nothing_of_a_committed_market(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once a market is committed, its outcome and its summary rows are gone from the parent: they
    are in the consolidated workbook, streamed to disk (issue 14: ≈ 100 MB of rows at 58 000
    markets were held until the end). Read back, the workbook has every row, in input order."""
    import gc
    import weakref

    import openpyxl

    from drafter.documents.workbook import Summary, lot_rows

    from .document_helpers import analysis_of

    count = 400
    monkeypatch.setattr(bulk.output, "check_target", lambda target, force: None)
    monkeypatch.setattr(bulk.output, "move_into_place", lambda work, target, **kw: None)
    run = bulk.Run(tmp_path, tmp_path / "stage", {}, None, dt.date(2026, 11, 25), None)
    stage = tmp_path / "stage"
    stage.mkdir()
    summary = Summary(tmp_path / "synthese.xlsx", errors=True, stream=True, tmpdir=stage)
    merger = bulk.Merger(run, summary, bulk.output.FolderLock(tmp_path), on_market=None, progress=None)
    template = lot_rows(analysis_of("travaux-cite-administrative.yaml"))
    outcomes = [bulk.Outcome(i, Task(f"p{i}.yaml", f"p{i}.yaml"), folder=str(tmp_path / f"M-{i}"),
                             rows=[Row(row, **{"Marché": f"M-{i}"}) for row in template], documents=2)
                for i in range(count)]
    random.Random(10).shuffle(outcomes)
    watched = [weakref.ref(o) for o in outcomes] + [weakref.ref(row) for o in outcomes for row in o.rows]
    for outcome in outcomes:
        merger.add(outcome)
    del outcome, outcomes
    gc.collect()
    assert [ref for ref in watched if ref() is not None] == []
    assert (merger.next, merger.waiting, merger.failed, merger.markets) == (count, {}, [], count)
    summary.close()
    book = openpyxl.load_workbook(tmp_path / "synthese.xlsx", read_only=True)
    markets = [row[0] for row in book["Synthèse"].iter_rows(min_row=2, values_only=True)]
    assert markets == [f"M-{i}" for i in range(count) for _ in template]
    totals = list(book["Totaux"].iter_rows(min_row=2, values_only=True))
    assert len(totals) == count + 1 and totals[-1][:5] == ("Ensemble", None, 6 * count, 6 * count, 4577 * count)
    assert not list(stage.iterdir())   # the sheets' temporary files are gone
