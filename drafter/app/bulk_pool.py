"""The worker pool of ``drafter bulk``: jobs streamed to forked processes, none lost.

Jobs are whole markets (a few per job), or slices of the documents of a big market, then its
finishing step (:mod:`drafter.app.bulk`). At most ``WINDOW`` jobs per worker are in flight, so
inputs are read only as fast as they are drafted, and follow-up jobs of a big market go first.

A worker killed outright (out of memory, a crash in a C library) breaks a
``ProcessPoolExecutor``: every job in flight is lost, and ``submit`` itself raises. Both are
caught in one place; a new pool is started, and the lost jobs are run again **one market at a
time, alone**: a market that kills its worker even when alone is reported failed (« un
processus de rédaction s'est arrêté brutalement »), every other market is drafted normally.
The outcome does not depend on timing. Workers die with the parent (``PR_SET_PDEATHSIG``).
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal
import sys
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from drafter.app.bulk_inputs import Task
from drafter.errors import Problem

CHUNK = 4    # markets per job
WINDOW = 2   # jobs in flight per worker
CRASHED = ("un processus de rédaction s'est arrêté brutalement (mémoire insuffisante ?) : "
           "relancez avec moins de processus (-j 1).")
_PR_SET_PDEATHSIG = 1


def available() -> bool:
    return "fork" in multiprocessing.get_all_start_methods()


def _die_with_parent(parent: int) -> None:
    """Worker initializer: the kernel kills this worker when the parent dies (Linux)."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):  # no libc prctl: the ppid check below remains
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


@dataclass
class Job:
    kind: str                         # "markets", "slice", "finish"
    markets: list[tuple[int, Task]]
    start: int = 0
    stop: int = 0
    folder: str = ""
    alone: bool = False               # re-run after a crash, with nothing else in flight


@dataclass(frozen=True)
class Steps:
    """The work itself (:mod:`drafter.app.bulk`): whole market, slice of a big one, its finish,
    and the outcome of a market whose worker was killed."""

    market: Callable[[int, Task], Any]
    slice: Callable[[int, Task, int, int], list[Problem]]
    finish: Callable[[int, Task, str], Any]
    crashed: Callable[[int, Task, Problem], Any]
    slice_size: int


_STEPS: Steps | None = None   # set before the pool forks; workers inherit it


def work(job: Job) -> Any:
    """In a worker: run one job."""
    assert _STEPS is not None, "set by Scheduler before the pool forks"
    if job.kind == "markets":
        return [_STEPS.market(index, task) for index, task in job.markets]
    (index, task), = job.markets
    if job.kind == "slice":
        return _STEPS.slice(index, task, job.start, job.stop)
    return _STEPS.finish(index, task, job.folder)


@dataclass
class _Big:
    outcome: Any
    remaining: int
    problems: list[Problem] = field(default_factory=list)


class Scheduler:
    def __init__(self, numbered: Iterator[tuple[int, Task]], workers: int, merger: Any, steps: Steps):
        global _STEPS
        _STEPS = self.steps = steps
        self.source = iter(lambda: list(islice(numbered, CHUNK)), [])
        self.workers, self.merger = workers, merger
        self.ready: deque[Job] = deque()      # follow-up jobs of big markets: first
        self.suspects: deque[Job] = deque()   # jobs lost with a broken pool: one at a time
        self.big: dict[int, _Big] = {}

    def _next(self, busy: int) -> Job | None:
        if self.suspects:
            return self.suspects.popleft() if busy == 0 else None
        if busy >= self.workers * WINDOW:
            return None
        if self.ready:
            return self.ready.popleft()
        chunk = next(self.source, None)
        return Job("markets", chunk) if chunk else None

    def run(self) -> None:
        while True:
            inflight: dict[Future, Job] = {}
            job: Job | None = None
            pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("fork"),
                                       initializer=_die_with_parent, initargs=(os.getpid(),))
            try:
                while True:
                    while (job := self._next(len(inflight))) is not None:
                        inflight[pool.submit(work, job)] = job
                        job = None
                    if not inflight:
                        return
                    done, _ = wait(inflight, return_when=FIRST_COMPLETED)
                    for future in done:
                        self._handle(inflight[future], future.result())
                        del inflight[future]
            except BrokenProcessPool:
                self._recover(inflight, job)
            finally:
                pool.shutdown(wait=True, cancel_futures=True)

    def _recover(self, inflight: dict[Future, Job], unsent: Job | None) -> None:
        """Keep what finished before the break; run every lost job again, alone."""
        lost = [unsent] if unsent is not None else []
        for future, job in inflight.items():
            if future.done() and not future.cancelled() and future.exception() is None:
                self._handle(job, future.result())
            else:
                lost.append(job)
        for job in lost:
            if job.alone:
                self._failed(job)
            elif job.kind == "markets":
                self.suspects.extend(Job("markets", [market], alone=True) for market in job.markets)
            else:
                job.alone = True
                self.suspects.append(job)

    def _failed(self, job: Job) -> None:
        """A job that killed its worker while alone."""
        (index, task), = job.markets
        if job.kind == "slice":
            self._handle(job, [Problem(CRASHED)])
        else:
            self.merger.add(self.steps.crashed(index, task, Problem(CRASHED)))

    def _handle(self, job: Job, result: Any) -> None:
        if job.kind == "markets":
            for outcome in result:
                if outcome.big:
                    self._split(outcome)
                else:
                    self.merger.add(outcome)
            return
        index = job.markets[0][0]
        if job.kind == "finish":
            del self.big[index]
            self.merger.add(result)
            return
        big = self.big[index]
        big.problems.extend(result)
        big.remaining -= 1
        if big.remaining == 0:
            if big.problems:
                del self.big[index]
                big.outcome.problems = big.problems
                big.outcome.big = 0
                self.merger.add(big.outcome)
            else:
                self.ready.append(Job("finish", job.markets, folder=big.outcome.folder))

    def _split(self, outcome: Any) -> None:
        market = [(outcome.index, outcome.task)]
        slices = [Job("slice", market, start, min(start + self.steps.slice_size, outcome.big))
                  for start in range(0, outcome.big, self.steps.slice_size)]
        self.big[outcome.index] = _Big(outcome, len(slices))
        self.ready.extend(slices)
