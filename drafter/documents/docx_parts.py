"""Templated XML parts of a docx (body, headers, footers) for :mod:`fastrender`: patched by docxtpl's
``patch_xml`` and compiled once, rendered as docxtpl's ``render_xml_part`` does (or prepared to be
streamed, :mod:`docx_stream`); Jinja errors carry docxtpl's ``docx_context``."""

from __future__ import annotations

import functools
import re
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Environment, Template
from jinja2.exceptions import TemplateError

from drafter.documents import docx_stream
from drafter.documents.sandbox import fast_escape, render_bounded

# docxtpl's helpers are pure functions of their argument; one instance lends them.
_DOCXTPL = DocxTemplate(None)
# A listing character (tab, bell, newline, form feed) inside the text of a <w:t>: only then
# does docxtpl's resolve_listing change anything.
_UNPATCH = re.compile(r"\n(?=<w:p[ >])")
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*?[\t\a\n\f]")

# Compiled Jinja templates keyed on the patched XML (identical parts of several templates, such
# as a shared footer, or a template file touched without change, compile once per process).
_COMPILED: dict[tuple[int, str], tuple[Environment, Template]] = {}


@functools.lru_cache(maxsize=64)
def patch_xml(xml: str) -> str:
    """docxtpl's ``patch_xml`` (about 20 regex passes), memoised: it is a pure function of the XML."""
    return _DOCXTPL.patch_xml(xml)


class XmlPart:
    """A templated XML part (body, header, footer): patched and compiled once."""

    def __init__(self, xml: str, env: Environment, label: str):
        self.label = label
        self.patched = patch_xml(xml)
        self.source = re.sub(r"<w:p([ >])", r"\n<w:p\1", self.patched)
        cached = _COMPILED.get((id(env), self.source))
        if cached is not None and cached[0] is env:
            self.template: Template = cached[1]
            return
        try:
            self.template = env.from_string(self.source)
        except TemplateError as exc:
            raise _with_context(exc, self.source) from None
        fast_escape(self.template)
        _COMPILED[(id(env), self.source)] = (env, self.template)

    def stream_template(self, env: Environment, standalone_tag: bytes) -> docx_stream.Streamed | None:
        """This part ready to render in a stream (:mod:`docx_stream`), or None if it cannot."""
        try:
            return docx_stream.prepare(env, self.patched, standalone_tag)
        except TemplateError:
            return None

    def render(self, context: dict[str, Any]) -> str:
        """docxtpl ``render_xml_part``: Jinja, unpatch the paragraph breaks, listings."""
        try:
            xml = render_bounded(self.template, context)
        except TemplateError as exc:
            raise _with_context(exc, self.source) from None
        xml = _UNPATCH.sub("", xml)  # docxtpl: re.sub(r"\n<w:p([ >])", r"<w:p\1"), one copy
        if "{_" in xml or "_}" in xml:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in "\t\a\n\f") and _LISTING_TEXT.search(xml):
            xml = _DOCXTPL.resolve_listing(xml)
        return xml


def _with_context(exc: TemplateError, source: str) -> TemplateError:
    """Attach docxtpl's ``docx_context`` (the text around the faulty line) to a Jinja error."""
    lineno = getattr(exc, "lineno", None)
    tb = exc.__traceback__
    while lineno is None and tb is not None:  # runtime errors: the template's frame line
        if tb.tb_frame.f_code.co_filename == "<template>":
            lineno = tb.tb_lineno
        tb = tb.tb_next
    if lineno is not None:
        start = max(lineno - 4, 0)
        context = [re.sub(r"<[^>]+>", "", x) for x in source.splitlines()[start:start + 7]]
        exc.docx_context = context  # type: ignore[attr-defined]
    return exc


def clear_compiled() -> None:
    """Forget the compiled parts (e.g. in a freshly forked worker)."""
    _COMPILED.clear()
    patch_xml.cache_clear()
