"""French typography for every string that reaches a document (one function, unit-tested).

:func:`french` puts the right unbreakable space where French typography wants one, so that
Word and LibreOffice never break a line inside a number, between a number and its unit, after
an opening guillemet or before a high punctuation sign:

- narrow no-break space (U+202F) between groups of thousands (``5 404 000``), before
  ``; : ! ?`` and before ``%``;
- no-break space (U+00A0) between the groups of a French phone number (``05 61 00 00 00``),
  inside ``« »``, after ``n°``, after ``L.``/``R.``/``D.``/``art.``
  before an article number, between a number and its unit (``€``, ``HT``, ``h``, ``heures``,
  ``mois``, ``jours``, ``ans``, ``ETP``) and between ``€`` and ``HT``.

E-mail addresses are left exactly as typed: no invisible character that a reader copying the
address out of Word would carry into a mail (the templates give addresses a cell wide enough).

The function is idempotent and leaves a string without spaces to fix unchanged. The template
context builder applies it once to every string (:func:`drafter.present.context.build_context`),
and ``tools/build_templates.py`` applies it to the fixed wording of the templates, so any
sentence written later is covered. The ordinals of one (``1er``, ``1re``, ``1ers``, ``1res``,
:data:`ORDINAL`) get a superscript suffix: a run of its own in the fixed wording of the templates,
and the ``exposants`` filter of :mod:`drafter.documents.superscript` for the values.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

NBSP = "\u00a0"
NNBSP = "\u202f"
_SP = "[ \u00a0\u202f]"
# « 1er », « 1re », « 1ers », « 1res » as words: not inside an address, a path or an identifier
# (« jean.1er@… », « regle.1er_palier », « 11er »). Group 1: the figure, group 2: the suffix.
ORDINAL = re.compile(r"(?<![\w.@/-])(1)(ers?|res?)(?![\w@]|[.\-/]\w)")

_RULES: tuple[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]], ...] = (
    # thousands: a digit, a space, exactly three digits (5 404 000, 10 000 €)
    (re.compile(rf"(?<=\d){_SP}(?=\d{{3}}(?!\d))"), NNBSP),
    # high punctuation: « texte ; texte », « Objet : », not inside « https:// » (no space before)
    (re.compile(rf"(?<=\S){_SP}+(?=[;:!?](?:\s|$|[»)\]\ue000]))"), NNBSP),
    (re.compile(r"(?<=[\w)»])(?=[;!?](?:\s|$))"), NNBSP),
    # percent: 5 %, 5%
    (re.compile(rf"(?<=\d){_SP}?(?=%)"), NNBSP),
    # guillemets
    (re.compile(rf"«{_SP}*"), "«" + NBSP),
    (re.compile(rf"{_SP}*»"), NBSP + "»"),
    # n° 12, N° 3, art. 5, L. 2112-2
    (re.compile(rf"(?<![\w])([nN]°){_SP}*(?=\S)"), r"\1" + NBSP),
    (re.compile(rf"(?<![\w])([LRD]\.|art\.|Art\.){_SP}+(?=\d)"), r"\1" + NBSP),
    # a number and its unit
    (re.compile(rf"(?<=\d){_SP}(?=(?:€|HT|TTC|h|heures?|mois|jours?|ans?|semaines?|ETP)(?!\w))"), NBSP),
    (re.compile(rf"€{_SP}(?=(?:HT|TTC)(?!\w))"), "€" + NBSP),
    # a French phone number in one piece: 05 61 00 00 00, +33 5 61 00 00 00
    (re.compile(rf"(?<![\w+])(?:0\d|\+33{_SP}?\d)(?:{_SP}\d\d){{4}}(?!\d)"),
     lambda match: re.sub(_SP, NBSP, match.group(0))),
)


def french(text: str) -> str:
    """``text`` with French unbreakable spaces (see the module docstring)."""
    if not text or not any(c in text for c in " \u00a0\u202f%;:!?«»"):
        return text
    return _french(text)


@lru_cache(maxsize=4096)   # bulk: rule wordings, sources and references recur in every market
def _french(text: str) -> str:
    for pattern, repl in _RULES:
        text = pattern.sub(repl, text)
    return text


# Where the checks of the tests look: a breakable space French typography forbids.
FORBIDDEN = re.compile(r"\d \d{3}(?!\d)|« | »|\S [;:!?](?=\s|$)|\d %|n° |\d (?:€|heures?|mois|h)(?!\w)|€ HT|"
                       r"(?<![\w+])0\d(?: \d\d){4}(?!\d)")


def forbidden_spaces(text: str) -> list[str]:
    """The places of ``text`` where a breakable space sits where French typography forbids it."""
    return [text[max(0, m.start() - 20):m.end() + 20] for m in FORBIDDEN.finditer(text)]
