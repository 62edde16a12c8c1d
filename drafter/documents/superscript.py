"""The ``exposants`` filter: « 1er », « 1re », « 1ers », « 1res » of a value with a superscript suffix.

A template value sits in the ``<w:t>`` of a Word run, and Word has no superscript inside a run:
the filter splits it. The text up to the figure stays in the template's run, the suffix goes
into a run of its own with the same properties plus ``<w:vertAlign w:val="superscript"/>``, and
the rest of the value opens a new run with the same properties again. Only the template knows
its run's properties, so it names them (the template builder writes them when it emits each
tag): ``{{ x|exposants }}`` in a plain run, ``{{ x|exposants("gras") }}``,
``{{ x|exposants("italique 8pt") }}``.

Both render paths (fast and plain docxtpl) run the same Jinja, so they stay identical. Values
stay escaped: only the run markup the filter inserts is ``Markup``. A value with no ordinal of
one is returned unchanged (Jinja escapes it as usual): the filter costs two membership tests.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from jinja2.exceptions import FilterArgumentError
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
    """``value`` with each ordinal of one as « 1 » + a superscript run (see the module docstring). The
    properties are checked even when the value has no ordinal: a misnamed one fails ``templates check``
    (its trial render), not the one market whose values happen to hold a « 1er »."""
    props = run_properties(proprietes) if proprietes else ""
    if type(value) is not str or ("1e" not in value and "1r" not in value):  # Markup, numbers: as they are
        return value
    parts = ORDINAL.split(value)  # text, figure, suffix, text, figure, suffix, text…
    if len(parts) == 1:
        return value
    sup = f'</w:t></w:r><w:r><w:rPr>{props}<w:vertAlign w:val="superscript"/></w:rPr><w:t>'
    back = "</w:t></w:r><w:r>" + (f"<w:rPr>{props}</w:rPr>" if props else "") + '<w:t xml:space="preserve">'
    out = [str(escape(parts[0]))]
    for i in range(1, len(parts), 3):
        out += [parts[i], sup, parts[i + 1], back, str(escape(parts[i + 2]))]
    return Markup("".join(out))
