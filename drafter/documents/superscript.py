"""« 1er », « 1re », « 1ers », « 1res » of a template value with a superscript suffix.

A template value sits in the ``<w:t>`` of a Word run, and Word has no superscript inside a run:
the value is split. The text up to the figure stays in the template's run, the suffix goes into a
run of its own with the same properties plus ``<w:vertAlign w:val="superscript"/>``, and the
rest of the value opens a new run with the same properties again.

Nobody writes it in a template: :class:`ExposantsExtension`, part of the sandbox environment,
rewrites at compile time (once per template and process on the fast path) every ``{{ x }}`` in
the text of a run as ``{{ (x)|exposants_run('<w:rPr>…</w:rPr>') }}`` with that run's properties
copied verbatim, so a colour, a font or a style carries over to the split runs. The compiled
source is the same for both render paths (fast and plain docxtpl), so they stay identical. The
``exposants`` filter of earlier templates (``{{ x|exposants("gras") }}``) is still accepted.

Values stay escaped: only the run markup inserted is ``Markup``. A value with no ordinal of one is
returned unchanged (Jinja escapes it as usual): the filter costs two membership tests.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2 import Environment
from jinja2.exceptions import FilterArgumentError, TemplateSyntaxError
from jinja2.ext import Extension
from markupsafe import Markup, escape

from drafter.present.typography import ORDINAL

_SIZE = re.compile(r"(\d{1,2}(?:[.,]5)?)pt")


@functools.lru_cache(maxsize=32)
def run_properties(words: str) -> str:
    """The ``<w:rPr>`` children a template names (« gras », « italique », a size « 8pt »), in the
    order of the WordprocessingML schema."""
    if not isinstance(words, str):
        raise FilterArgumentError("filtre exposants : la mise en forme s'écrit entre guillemets, par exemple "
                                  "exposants(\"gras\")")
    bold = italic = False
    size = ""
    for word in words.split():
        if word == "gras":
            bold = True
        elif word == "italique":
            italic = True
        elif _SIZE.fullmatch(word):
            size = f'<w:sz w:val="{round(float(word[:-2].replace(",", ".")) * 2)}"/>'
        else:
            raise FilterArgumentError(f"filtre exposants : propriété « {word} » inconnue (admises : gras, "
                                      "italique, une taille comme 8pt)")
    return ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "") + size


def exposants(value: Any, proprietes: str = "") -> Any:
    """The explicit filter of the templates written before the extension (still accepted):
    ``value`` split as :func:`exposants_run` does, the run's properties named in words. They are
    checked even when the value has no ordinal: a misnamed one fails ``templates check`` (its trial
    render), not the one market whose values happen to hold a « 1er »."""
    props = run_properties(proprietes) if proprietes else ""
    return exposants_run(value, f"<w:rPr>{props}</w:rPr>" if props else "")

def exposants_run(value: Any, rpr: str = "") -> Any:
    """``value`` with each ordinal of one as a superscript run, in a run whose ``<w:rPr>`` is ``rpr``
    (verbatim XML, or empty): what :class:`ExposantsExtension` writes around every value tag."""
    if type(value) is not str or ("1e" not in value and "1r" not in value):  # Markup, numbers: as they are
        return value
    parts = ORDINAL.split(value)
    if len(parts) == 1:
        return value
    sup, back = _split_runs(rpr)
    out = [str(escape(parts[0]))]
    for i in range(1, len(parts), 3):
        out += [parts[i], sup, parts[i + 1], back, str(escape(parts[i + 2]))]
    return Markup("".join(out))


# WordprocessingML's order of the run properties that follow <w:vertAlign> (CT_RPr)
_AFTER_VERTALIGN = re.compile(r"<w:(?:rtl|cs|em|lang|eastAsianLayout|specVanish|oMath|rPrChange)[\s/>]")


@functools.lru_cache(maxsize=64)
def _split_runs(rpr: str) -> tuple[str, str]:
    """The markup that closes the template's run, holds the suffix, and reopens the run (``rpr``)."""
    children = re.sub(r"^<w:rPr\s*/?>|</w:rPr>$", "", rpr)
    others = re.sub(r"<w:vertAlign\b[^>]*/>", "", children)  # a subscript run: its « er » goes up
    after = _AFTER_VERTALIGN.search(others)
    at = after.start() if after else len(others)
    sup_props = others[:at] + '<w:vertAlign w:val="superscript"/>' + others[at:]
    sup = f"</w:t></w:r><w:r><w:rPr>{sup_props}</w:rPr><w:t>"
    back = "</w:t></w:r><w:r>" + (f"<w:rPr>{children}</w:rPr>" if children else "") + '<w:t xml:space="preserve">'
    return sup, back


# --- the extension: every value tag of a run's text goes through exposants_run -------------------

_RUN = re.compile(r"<w:r[\s>](?:(?!<w:r[\s>]).)*?</w:r>", re.S)       # a run without nested runs
_RPR = re.compile(r"<w:r(?:\s[^>]*)?>\s*(<w:rPr\s*/>|<w:rPr>.*?</w:rPr>)?", re.S)
_TEXT = re.compile(r"(<w:t(?:\s[^>]*)?>)(.*?)(</w:t>)", re.S)
_TAG = re.compile(r"\{\{(-?)(.*?)(-?)\}\}", re.S)
_DOCXTPL_TAG = re.compile(r"(?:r|p|tr|tc)\s")
_EXPOSANTS = re.compile(r"\|\s*exposants")
_RAW = re.compile(r"\{%[-+]?\s*raw\s")


class ExposantsExtension(Extension):
    """At compile time, ``{{ expr }}`` in the ``<w:t>`` of a run becomes
    ``{{ (expr)|exposants_run('<w:rPr>…</w:rPr>') }}`` with that run's properties, verbatim: a lawyer
    writes plain tags and « 1er » of any value is a superscript in any formatting. Left as written:
    a source without runs (core properties), tags outside a run's text (attributes, ``{%…%}``, the
    ``{{r}}``/``{{p}}``/``{{tr}}``/``{{tc}}`` tags docxtpl has moved out of their run), tags already
    filtered with ``exposants``, a tag that does not parse (its error stays Jinja's own), runs
    holding other runs (text boxes) or templated properties, and a source with a ``{% raw %}``
    block. Line numbers are kept (error locations)."""

    def __init__(self, environment: Environment):
        super().__init__(environment)
        environment.filters["exposants_run"] = exposants_run

    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if "<w:r" not in source or "{{" not in source or _RAW.search(source):
            return source
        return _RUN.sub(_run, source)


def _run(match: re.Match[str]) -> str:
    run = match.group(0)
    if "{{" not in run:
        return run
    head = _RPR.match(run)
    rpr = (head.group(1) or "") if head else ""
    if "{" in rpr or "<w:rPrChange" in rpr:
        return run
    literal = "'" + rpr.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"
    start = head.end() if head else 0
    return run[:start] + _TEXT.sub(lambda t: t.group(1) + _TAG.sub(
        lambda tag: _filtered(tag, literal), t.group(2)) + t.group(3), run[start:])


def _filtered(tag: re.Match[str], literal: str) -> str:
    expr = tag.group(2)
    if not expr.strip() or _DOCXTPL_TAG.match(expr) or _EXPOSANTS.search(expr) or not _parses(expr):
        return tag.group(0)
    return f"{{{{{tag.group(1)} ({expr})|exposants_run({literal}) {tag.group(3)}}}}}"


_SYNTAX = Environment()  # parses only, never renders


@functools.lru_cache(maxsize=4096)
def _parses(expr: str) -> bool:
    """A faulty tag is left as the lawyer wrote it: its error message and place stay Jinja's own."""
    try:
        _SYNTAX.parse(f"{{{{ ({expr}) }}}}")
    except TemplateSyntaxError:
        return False
    return True
