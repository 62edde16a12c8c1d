"""Fuzzing in the suite (issue 11): mutated profiles and bulk spreadsheets never hang, never give
an exit code other than 0 or 2, always name the file in their French message, never lose a file;
each run under 2 s, memory bounded. The long run (≥ 10 000 mutants): ``python bench/fuzz.py``."""

from __future__ import annotations

import random
import resource
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .mutants import EXAMPLES, csv_text, judge, judge_sheet, mutate, mutate_csv

MAX_RSS_GROWTH_MB = 400
FUZZ = settings(max_examples=120, deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow])


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


START_RSS = rss_mb()


@FUZZ
@given(example=st.sampled_from(EXAMPLES), seed=st.integers(0, 2**32 - 1), generate=st.booleans())
def test_mutated_profiles(example, seed, generate):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "profil.yaml"
        path.write_bytes(mutate(example.read_bytes(), rng))
        outcome = judge(path, "generate" if generate else "check", Path(tmp) / "sortie" if generate else None)
    assert outcome.failures == [], (seed, outcome.output[:500])
    assert rss_mb() - START_RSS < MAX_RSS_GROWTH_MB


@settings(FUZZ, max_examples=60)
@given(seed=st.integers(0, 2**32 - 1), lots=st.integers(1, 4))
def test_mutated_spreadsheets(seed, lots):
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "lots.csv"
        path.write_bytes(mutate_csv(csv_text(lots), rng))
        outcome = judge_sheet(path, Path(tmp) / "sortie")
    assert outcome.failures == [], (seed, outcome.output[:500])
    assert rss_mb() - START_RSS < MAX_RSS_GROWTH_MB
