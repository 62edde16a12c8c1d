"""Mutated profiles and spreadsheets, and the oracle every mutant must satisfy (issue 11).

Shared by the fuzzing test of the suite (``tests/test_fuzz.py``, hypothesis, < 60 s) and the
long run (``bench/fuzz.py``, ≥ 10 000 mutants). A mutant is the text of an example profile (or
of a bulk CSV) changed by a few random edits: bytes flipped or inserted (control characters
included), lines deleted, duplicated or re-indented, keys renamed, values replaced by hostile
ones (huge numbers, aliases, tags, escapes, dates out of the tables, Jinja, formulas, paths).

The oracle: exit code 0 or 2 only; on 2, every line of the message names the file; under
``SECONDS`` of CPU per run (CPU time: the test machines are shared, wall time is not a measure); on 0 for ``generate``, every document of the manifest exists and nothing
else is written outside the output folder.
"""

from __future__ import annotations

import json
import random
import re
import time
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner

from drafter.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "profiles" / "examples").glob("*.yaml"))
SECONDS = 2.0

HOSTILE_VALUES = [
    "1e400",
    "1.0e+400",
    "1.0e+30",
    "9" * 4300,
    "9" * 5000,
    "-1",
    "0",
    "0.0",
    "1.0e-400",
    "{}",
    "[]",
    "~",
    "''",
    "&a [*a]",
    "&b {k: *b}",
    "!!python/object:os.system 1",
    "!!binary aGVsbG8=",
    "!foo x",
    '"\\x01"',
    '"\\uFFFE"',
    '"\\uZZZZ"',
    '"\\x0b"',
    "0001-01-01",
    "9999-12-31",
    "2027-02-30",
    ".nan",
    ".inf",
    "-.inf",
    "'{{ 7*7 }}'",
    "'{% for x in y %}'",
    "'../../etc/passwd'",
    "'/tmp/x'",
    '\'=HYPERLINK("http://x","clic")\'',
    "'=1+1'",
    "'" + "é" * 6000 + "'",
    "1.0",
    '"01"',
    '" 1"',
    "true",
    "null",
    "'&<>\"'",
    "[1, [2, [3]]]",
    "'\\u202e'",
    "480 000",
    '"480 000,50 €"',
    '"5 %"',
    "0x10",
    "1_000",
    "3:25:45",
    "0o17",
    "+12",
    "'\\t'",
    "*undefined",
]
VALID_TEXTS = [  # hostile but valid texts: they must come out literally in the documents
    "{{ 7*7 }}",
    "{% raw %}",
    "{%p if x %}",
    "../../etc/passwd",
    "/tmp/x",
    "C:\\\\Windows",
    "=1+1",
    '=HYPERLINK(\\"http://x\\",\\"clic\\")',
    "@SUM(A1)",
    "+33 5 61",
    "-2",
    "&<>'",
    "<w:p>",
    "]]>",
    "\u202e\u00e9t\u00e9",
    "\u00a0",
    "a" * 4000,
    "Lot n° 1 – « Nord »",
    "😀",
    "\u0085",
    "e\u0301",
]
CONTROL = [b"\x00", b"\x01", b"\x0b", b"\x1f", b"\x7f", b"\xc3", b"\xff", b"\t", b"\r", b"\xef\xbf\xbe"]
_SCALAR = re.compile(rb"^(\s*-?\s*[A-Za-z_]+:\s+)(.+)$")


def mutate(text: bytes, rng: random.Random, edits: int | None = None) -> bytes:
    """``text`` with 1–4 random edits."""
    for _ in range(edits or rng.randint(1, 4)):
        text = rng.choice(_EDITS)(text, rng)
    return text


def _replace_value(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if _SCALAR.match(line)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    head = _SCALAR.match(lines[index]).group(1)
    lines[index] = head + rng.choice(HOSTILE_VALUES).encode("utf-8")
    return b"\n".join(lines)


_QUOTED = re.compile(rb'^(\s*-?\s*[A-Za-z_]+:\s+)"[^"]*"\s*$')


def _replace_text(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if _QUOTED.match(line)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    value = rng.choice(VALID_TEXTS)
    lines[index] = _QUOTED.match(lines[index]).group(1) + b'"' + value.encode("utf-8") + b'"'
    return b"\n".join(lines)


def _rename_key(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    candidates = [i for i, line in enumerate(lines) if _SCALAR.match(line)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    lines[index] = re.sub(rb"([A-Za-z_]+):", lambda m: m.group(1)[::-1] + b":", lines[index], count=1)
    return b"\n".join(lines)


def _line_edit(text: bytes, rng: random.Random) -> bytes:
    lines = text.split(b"\n")
    index = rng.randrange(len(lines))
    kind = rng.randrange(4)
    if kind == 0:
        del lines[index]
    elif kind == 1:
        lines.insert(index, lines[index])
    elif kind == 2:
        lines[index] = b" " * rng.choice([1, 2, 3, 4, 8]) + lines[index]
    else:
        lines[index] = lines[index].lstrip()
    return b"\n".join(lines)


def _byte_edit(text: bytes, rng: random.Random) -> bytes:
    if not text:
        return rng.choice(CONTROL)
    at = rng.randrange(len(text))
    kind = rng.randrange(4)
    if kind == 0:
        return text[:at] + rng.choice(CONTROL) + text[at:]
    if kind == 1:
        return text[:at] + bytes([rng.randrange(256)]) + text[at + 1 :]
    if kind == 2:
        return text[:at]
    return text[:at] + text[at : at + rng.randint(1, 200)] * rng.randint(2, 50) + text[at:]


def _duplicate_lot(text: bytes, rng: random.Random) -> bytes:
    blocks = re.split(rb"(?m)^(?=  - numero:)", text)
    if len(blocks) < 2:
        return text
    return text + b"\n" + rng.choice(blocks[1:])


_EDITS = [
    _replace_value,
    _replace_value,
    _replace_value,
    _rename_key,
    _line_edit,
    _line_edit,
    _byte_edit,
    _duplicate_lot,
    _replace_text,
    _replace_text,
    _replace_text,
    _replace_text,
]


# --- the oracle -----------------------------------------------------------------------------


@dataclass
class Outcome:
    command: str
    exit_code: int
    seconds: float
    output: str
    failures: list[str] = field(default_factory=list)


def run(args: list[str]) -> tuple[int, float, str, BaseException | None]:
    runner = CliRunner()
    started = time.process_time()
    result = runner.invoke(cli, args)
    elapsed = time.process_time() - started
    exception = result.exception if not isinstance(result.exception, SystemExit) else None
    return result.exit_code, elapsed, result.output, exception


def judge(path: Path, command: str, out: Path | None = None, seconds: float = SECONDS) -> Outcome:
    """Run ``drafter check|generate PATH`` in-process and list every broken promise."""
    args = [command, str(path)] + (["-o", str(out)] if out is not None else [])
    code, elapsed, output, exception = run(args)
    outcome = Outcome(command, code, elapsed, output)
    failures = outcome.failures
    if exception is not None or code not in (0, 2):
        failures.append(f"code de sortie {code} ({type(exception).__name__ if exception else '-'}) : {output[:300]}")
    if "Traceback" in output or "Erreur interne" in output:
        failures.append(f"erreur interne : {output[:300]}")
    if code == 2:
        lines = [line for line in output.splitlines() if line.strip()]
        if not lines or not all(line.startswith(str(path)) for line in lines):
            failures.append(f"message non localisé : {output[:300]}")
    if elapsed > seconds:
        failures.append(f"trop lent : {elapsed:.2f} s")
    if command == "generate" and out is not None:
        failures += lost_files(out, code)
    return outcome


def lost_files(out: Path, code: int) -> list[str]:
    """On success: one folder, every document of its manifest present; on failure: nothing written."""
    entries = sorted(out.iterdir()) if out.exists() else []
    if code != 0:
        return [f"écrit malgré l'erreur : {[e.name for e in entries]}"] if entries else []
    if len(entries) != 1 or not entries[0].is_dir():
        return [f"sortie inattendue : {[e.name for e in entries]}"]
    folder = entries[0]
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = [d["fichier"] for d in manifest["documents"]]
    present = {p.name for p in folder.iterdir()}
    problems = []
    if len(set(listed)) != len(listed):
        problems.append(f"manifeste : fichier listé deux fois ({listed})")
    missing = [name for name in listed if name not in present]
    if missing:
        problems.append(f"fichiers perdus : {missing}")
    return problems


# --- spreadsheets ---------------------------------------------------------------------------

CSV_HEADER = (
    "Référence du marché;Objet du marché;Nature;Forme;Procédure;Date de lancement;Durée en mois;"
    "Lieu d'exécution;Acheteur;Catégorie d'acheteur;Adresse de l'acheteur;Représentant de l'acheteur;"
    "N° de lot;Intitulé du lot;Montant estimé HT;Secteur"
)
CSV_ROW = (
    "2027-FUZZ-01;Entretien des espaces verts;services;marche_ordinaire;appel_offres_ouvert;2027-01-15;48;"
    "Haute-Garonne (31);Préfecture;etat;1 place Saint-Étienne, Toulouse;Le préfet;{n};Lot {n};{amount};"
    "espaces_verts"
)


def csv_text(lots: int = 3) -> bytes:
    rows = [CSV_ROW.format(n=n, amount=100000 * n) for n in range(1, lots + 1)]
    return "\n".join([CSV_HEADER, *rows]).encode("utf-8") + b"\n"


def mutate_csv(text: bytes, rng: random.Random) -> bytes:
    """Cells replaced by hostile values, then a few byte or line edits."""
    lines = text.split(b"\n")
    for _ in range(rng.randint(1, 3)):
        index = rng.randrange(1, max(2, len(lines) - 1))
        cells = lines[index].split(b";")
        cells[rng.randrange(len(cells))] = rng.choice(HOSTILE_VALUES + ["NaN", "1;2", '"a""b', "=1+1"]).encode()
        lines[index] = b";".join(cells)
    text = b"\n".join(lines)
    if rng.random() < 0.5:
        text = mutate(text, rng, rng.randint(1, 2))
    if rng.random() < 0.1:
        text = text.decode("utf-8", errors="replace").encode("utf-16")
    return text


def judge_sheet(path: Path, out: Path, seconds: float = SECONDS) -> Outcome:
    """A bulk spreadsheet: read, then each valid market analysed and generated, as bulk does;
    every problem names the file; nothing but French errors (DrafterError) may come out."""
    import datetime as dt

    from drafter.app.analyse import analyse_loaded
    from drafter.app.generate import generate
    from drafter.errors import DrafterError
    from drafter.inputs.spreadsheet import read_markets
    from drafter.law.rules import load_rules

    book = load_rules()
    today = dt.date(2026, 11, 25)
    sectors = tuple(book.at(today).sectors())
    outcome = Outcome("bulk", 0, 0.0, "")
    started = time.process_time()
    problems = []
    try:
        for market in read_markets(path, sectors):
            problems += market.problems
            if market.loaded is None:
                continue
            try:
                generate(analyse_loaded(market.loaded, today=today, book=book), out)
            except DrafterError as exc:
                problems += exc.problems
    except DrafterError as exc:
        problems += exc.problems
    except Exception as exc:  # noqa: BLE001 - the oracle reports it
        outcome.exit_code = 1
        outcome.failures.append(f"exception {type(exc).__name__} : {exc}"[:300])
    outcome.seconds = time.process_time() - started
    outcome.exit_code = outcome.exit_code or (2 if problems else 0)
    outcome.output = "\n".join(p.render() for p in problems)
    unlocated = [
        p.render()
        for p in problems
        if not p.render().startswith(str(path))
        and not p.render().startswith("«")
        and "impossible d'écrire" not in p.render()
    ]
    if unlocated:
        outcome.failures.append(f"message non localisé : {unlocated[0][:300]}")
    if outcome.seconds > seconds:
        outcome.failures.append(f"trop lent : {outcome.seconds:.2f} s")
    return outcome
