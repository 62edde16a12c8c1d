"""Fast docxtpl rendering: the same parts as ``DocxTemplate(path).render(ctx).save(out)``, cheaper.

tech-notes §2.5: a naive docxtpl render reloads the template with python-docx, runs
``patch_xml`` (about 20 regex passes), compiles the whole document XML with Jinja, then
python-docx re-serialises and re-deflates every part (styles included) on save. For a
given template all of that is constant except the Jinja render of the templated parts.

:class:`FastTemplate` does the constant work once per template and process:

* loads the template with python-docx and lets python-docx save it once, which gives the
  exact bytes python-docx would write for every part that rendering does not change;
  those parts are deflated once and their compressed bytes are reused for every document;
* runs docxtpl's own ``patch_xml`` once per templated part (body, headers, footers) and
  compiles the result with the caller's Jinja environment once;
* per document: Jinja render, docxtpl's own post-processing (``resolve_listing``,
  ``fix_tables``, docPr ids), python-docx's serialisation of the document element, and
  a small zip writer that deflates only the rendered parts; for the bundled templates, whose
  tables cannot change, the body is rendered and deflated in a stream without an lxml tree
  (:mod:`drafter.documents.docx_stream`), to the same bytes.

The result is part-for-part identical to plain docxtpl 0.20.2 (pinned in pyproject;
``tests/test_fastrender.py`` compares both). Zip entries carry a fixed date, so the same
context gives the same bytes (tech-notes §2.7). Templates using features that need a
live ``DocxTemplate`` (templated footnotes) are refused with :class:`Unsupported`; call
:func:`plain_render` for those.
"""

from __future__ import annotations

import copy
import io
import os
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.coreprops import CoreProperties
from docx.opc.oxml import parse_xml, serialize_part_xml
from docxtpl import DocxTemplate
from jinja2 import Environment
from jinja2.exceptions import TemplateError
from lxml import etree

from drafter.documents import docx_stream
from drafter.documents.docx_parts import XmlPart, clear_compiled, patch_xml
from drafter.documents.docx_tables import RECOVER, fix_tables, tables_may_change
from drafter.documents.docx_tables import W as _W
from drafter.documents.docx_zip import ZipWriter, deflate, deflate_pieces, reproducible
from drafter.documents.sandbox import LimitReached, deadline

# docxtpl's helpers are pure functions of their argument; one instance lends them.
_DOCXTPL = DocxTemplate(None)
_MARKERS = ("{{", "{%", "{#")
_PROPERTIES = ("author", "comments", "identifier", "language", "subject", "title")
_BUNDLED = Path(__file__).resolve().parent / "templates"
_DECLARATION = serialize_part_xml(parse_xml("<a/>"))[:-len(b"<a/>")]  # python-docx's, before a part


class Unsupported(Exception):
    """The template uses a docxtpl feature the fast path does not reproduce."""


def _has_markers(xml: str) -> bool:
    return any(m in xml for m in _MARKERS)


@dataclass
class _Entry:
    """One zip entry of the output: static (pre-deflated) or rendered per document."""

    name: str
    crc: int = 0
    size: int = 0
    deflated: bytes = b""
    render: Any = None  # callable(context) -> bytes for dynamic entries


class FastTemplate:
    """A docx template ready to render many documents with one Jinja environment."""

    def __init__(self, path: str | os.PathLike[str], env: Environment, *, stream: bool | None = None):
        """``stream``: render the body without an lxml tree (:mod:`docx_stream`) when it can be;
        by default for the bundled templates only (the parity tests cover them)."""
        self.path = str(path)
        self.env = env
        document = docx.Document(self.path)
        self._check_supported(document)
        main = document.part
        self._root = main._element
        self._body = self._root.body
        body_xml = etree.tostring(self._body, encoding="unicode")
        self._body_part = XmlPart(body_xml, env, "corps")
        self._fix_tables = tables_may_change(self._body)
        self._splice = self._document_frame(body_xml[:body_xml.index(">") + 1])
        if stream is None:
            stream = Path(self.path).parent == _BUNDLED
        self._stream: docx_stream.Streamed | None = None
        if stream and self._splice is not None and not self._fix_tables:
            self._stream = self._body_part.stream_template(env, self._splice[0])
            standalone_tag, prefix, document_tag, suffix = self._splice
            self._stream_frame = (standalone_tag.decode("utf-8"), prefix + document_tag, suffix)
        dynamic: dict[str, Any] = {str(main.partname).lstrip("/"): self._render_main}
        for rel_key, part in self._headers_footers(document):
            xml = etree.tostring(parse_xml(part.blob), encoding="unicode")
            encoding = _DOCXTPL.get_headers_footers_encoding(xml)
            compiled = XmlPart(xml, env, str(part.partname))
            if _has_markers(compiled.source):
                streamed = None
                if stream and encoding.lower().replace("-", "") == "utf8":
                    streamed = compiled.stream_template(env, b"")
                dynamic[str(part.partname).lstrip("/")] = self._header_renderer(compiled, encoding, streamed)
            else:  # constant: apply docxtpl's transformation once, python-docx saves it below
                _DOCXTPL.docx = document
                _DOCXTPL.map_headers_footers_xml(rel_key, compiled.render({}).encode(encoding))
                _DOCXTPL.docx = None
        core = document.core_properties  # creates the part when missing, as docxtpl does
        initial = {name: getattr(core, name) for name in _PROPERTIES}
        if any("{" in value for value in initial.values()):
            self._core_element = copy.deepcopy(core._element)
            self._core_templates = {name: env.from_string(value) for name, value in initial.items()}
            dynamic["docProps/core.xml"] = self._render_core
        else:
            for name, value in initial.items():
                setattr(core, name, env.from_string(value).render({}))
        self._render_static_footnotes(document)
        self._entries = self._entries_from(document, dynamic)

    # --- loading --------------------------------------------------------------------

    @staticmethod
    def _headers_footers(document) -> list[tuple[str, Any]]:
        found = []
        for uri in (DocxTemplate.HEADER_URI, DocxTemplate.FOOTER_URI):
            for rel_key, rel in document.part.rels.items():
                if rel.reltype == uri and rel.target_part.blob:
                    found.append((rel_key, rel.target_part))
        return found

    @staticmethod
    def _footnote_parts(document) -> list[Any]:
        return [p for p in document.part.package.parts if p.content_type == CT.WML_FOOTNOTES]

    def _check_supported(self, document) -> None:
        for part in self._footnote_parts(document):
            if _has_markers(patch_xml(part.blob.decode("utf-8"))):
                raise Unsupported(f"{self.path} : notes de bas de page avec balises Jinja")

    def _render_static_footnotes(self, document) -> None:
        """docxtpl renders footnotes once per section; without tags the result is constant."""
        for _section in document.sections:
            for part in self._footnote_parts(document):
                xml = XmlPart(part.blob.decode("utf-8"), self.env, "notes")
                part._blob = xml.render({}).encode("utf-8")

    def _entries_from(self, document, dynamic: dict[str, Any]) -> list[_Entry]:
        buffer = io.BytesIO()
        document.save(buffer)
        entries = []
        with zipfile.ZipFile(buffer) as archive:
            for info in archive.infolist():
                if info.filename in dynamic:
                    entries.append(_Entry(info.filename, render=dynamic[info.filename]))
                else:
                    data = archive.read(info)
                    entries.append(_Entry(info.filename, zlib.crc32(data), len(data), deflate(data)))
        missing = set(dynamic) - {e.name for e in entries}
        if missing:  # a dynamic part python-docx did not write: refuse rather than drop it
            raise Unsupported(f"{self.path} : parties non écrites {sorted(missing)}")
        return entries

    # --- per document ---------------------------------------------------------------

    def _render_main(self, context: dict[str, Any]) -> tuple[int, int, bytes]:
        """(crc, size, deflated) of the main document part."""
        if self._stream is not None:
            try:
                return docx_stream.render(self._stream, context, *self._stream_frame)
            except LimitReached:
                raise
            except (docx_stream.Unstreamable, TemplateError):
                pass  # the lxml path: the exact bytes, or the error with the text around the faulty tag
        return deflate_pieces(self._main_xml(context))

    def _main_xml(self, context: dict[str, Any]) -> bytes | tuple[bytes | memoryview, ...]:
        """The main document part as docxtpl writes it: the rendered body parsed and re-serialised."""
        xml = self._body_part.render(context)
        tree = fix_tables(xml) if self._fix_tables else etree.fromstring(xml, parser=RECOVER)
        if tree is not None and not self._fix_tables and tree.nsmap.get("w") != _W:
            tree = _DOCXTPL.fix_tables(xml)
        if tree is None:  # recover=True gave up entirely: same failure as docxtpl
            raise TemplateError(f"{self.path} : le rendu du document n'est pas du XML lisible")
        images = "docPr" in xml
        del xml  # no whole-document copy outlives its use: the 5 000-lot note is ≈ 70 MB of XML
        if images:
            _DOCXTPL.docx_ids_index = 1000
            _DOCXTPL.fix_docpr_ids(tree)
        if self._splice is not None:
            standalone_tag, prefix, document_tag, suffix = self._splice
            body = etree.tostring(tree, encoding="UTF-8", xml_declaration=False)
            if body.startswith(standalone_tag):
                del tree
                return (prefix, document_tag, memoryview(body)[len(standalone_tag):], suffix)
        self._root.replace(self._body, tree)  # what docxtpl does (map_tree); the splice above is equal
        self._body = tree
        return serialize_part_xml(self._root)

    def _document_frame(self, body_tag: str) -> tuple[bytes, bytes, bytes, bytes] | None:
        """How python-docx serialises a body moved into this document, to splice bytes instead.

        docxtpl parses the rendered body on its own, moves it into the document element (lxml
        drops the namespace declarations the document already has) and serialises the whole.
        Moving a large tree across documents is slow in lxml, so the document is assembled from
        bytes: serialised prefix + body start tag as it reads once moved + the rendered body's
        own serialisation after its standalone start tag + suffix. Only the start tag differs,
        and it does not depend on the body's content, so it is worked out here once.
        """
        sample = etree.fromstring(body_tag + "<w:p/></w:body>", parser=etree.XMLParser(recover=True))
        if sample is None:
            return None
        alone = etree.tostring(sample, encoding="UTF-8", xml_declaration=False)
        root = copy.deepcopy(self._root)
        root.replace(root.body, sample)
        whole = serialize_part_xml(root)
        start = whole.find(b"<w:body")
        end = whole.find(b"</w:body>")
        child = whole.find(b"<w:p/></w:body>")
        if min(start, end, child) < 0 or not alone.endswith(b"<w:p/></w:body>"):
            return None
        standalone_tag = alone[:-len(b"<w:p/></w:body>")]
        return standalone_tag, whole[:start], whole[start:child], whole[end + len(b"</w:body>"):]

    @staticmethod
    def _header_renderer(compiled: XmlPart, encoding: str, streamed: docx_stream.Streamed | None):
        done: dict[str, tuple[int, int, bytes]] = {}  # a market's documents share their footer

        def render(context: dict[str, Any]) -> tuple[int, int, bytes]:
            if streamed is not None:
                try:
                    return docx_stream.render_part(streamed, context, _DECLARATION)
                except LimitReached:
                    raise
                except (docx_stream.Unstreamable, TemplateError):
                    pass  # the lxml path: the exact bytes, or the error with the text around the faulty tag
            xml = compiled.render(context)
            part = done.get(xml)
            if part is None:
                part = deflate_pieces(serialize_part_xml(parse_xml(xml.encode(encoding))))  # type: ignore[arg-type]
                if len(done) >= 64:
                    done.clear()
                done[xml] = part
            return part

        return render

    def _render_core(self, context: dict[str, Any]) -> tuple[int, int, bytes]:
        element = copy.deepcopy(self._core_element)
        properties = CoreProperties(element)
        for name, template in self._core_templates.items():
            setattr(properties, name, template.render(context))
        return deflate_pieces(serialize_part_xml(element))

    def render_bytes(self, context: dict[str, Any]) -> bytes:
        """The rendered .docx as bytes (its parts bounded in time together: one timer per document)."""
        out = ZipWriter()
        with deadline():
            for entry in self._entries:
                if entry.render is None:
                    out.add_deflated(entry.name, entry.crc, entry.size, entry.deflated)
                else:
                    out.add_deflated(entry.name, *entry.render(context))
        return out.getvalue()

    def render_to(self, context: dict[str, Any], target: str | os.PathLike[str]) -> None:
        """Render and write the .docx to ``target``."""
        data = self.render_bytes(context)
        with open(target, "wb") as handle:
            handle.write(data)

    def render_parts(self, context: dict[str, Any]) -> dict[str, bytes]:
        """Every part of the rendered document, uncompressed (tests, benchmarks)."""
        with zipfile.ZipFile(io.BytesIO(self.render_bytes(context))) as archive:
            return {name: archive.read(name) for name in archive.namelist()}


# --- per-process cache -------------------------------------------------------------

_CACHE: dict[tuple[str, int, int, int], FastTemplate] = {}


def get_template(path: str | os.PathLike[str], env: Environment) -> FastTemplate:
    """The FastTemplate of ``path`` for ``env``, loaded once per process (reloaded if edited:
    one ``stat`` per document, the path is resolved only when the file is new or changed)."""
    name = os.fspath(path)
    stat = os.stat(name)
    key = (name, stat.st_mtime_ns, stat.st_size, id(env))
    template = _CACHE.get(key)
    if template is None or template.env is not env:
        template = FastTemplate(Path(name).resolve(), env)
        _CACHE[key] = template
    return template


def clear_cache() -> None:
    """Forget the loaded templates (e.g. in a freshly forked worker)."""
    _CACHE.clear()
    _UNSUPPORTED.clear()
    clear_compiled()


_UNSUPPORTED: set[tuple[str, int]] = set()


def render_file(template: str | os.PathLike[str], context: dict[str, Any], target: str | os.PathLike[str],
                *, env: Environment, annotate: Callable[[Any], None] | None = None) -> None:
    """Render ``template`` to the file ``target`` (see :func:`render`)."""
    data = render(template, context, env=env, annotate=annotate)
    with open(target, "wb") as handle:
        handle.write(data)


def render(template: str | os.PathLike[str], context: dict[str, Any], *, env: Environment,
           annotate: Callable[[Any], None] | None = None) -> bytes:
    """Render ``template`` on the fast path (plain docxtpl for unsupported templates); the .docx bytes.

    ``annotate`` receives the rendered python-docx Document before it is saved (``--revue``
    comments); the fast path then re-reads its own output instead of recompiling Jinja.
    """
    key = (os.fspath(template), id(env))
    if key not in _UNSUPPORTED:
        try:
            fast = get_template(template, env)
        except Unsupported:
            _UNSUPPORTED.add(key)
        else:
            if annotate is None:
                return fast.render_bytes(context)
            document = docx.Document(io.BytesIO(fast.render_bytes(context)))
            annotate(document)
            return _saved(document)
    plain = DocxTemplate(str(template))
    plain.render(context, jinja_env=env, autoescape=True)
    if annotate is not None:
        annotate(plain.docx)
    return _saved(plain)


def _saved(document: Any) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return reproducible(buffer.getvalue())  # python-docx dates entries now: 1980-01-01 as the fast path


def plain_render(path: str | os.PathLike[str], context: dict[str, Any], env: Environment,
                 target: str | os.PathLike[str] | io.BytesIO) -> None:
    """The reference: plain docxtpl, a new object per document (the naive loop of SPEC §8)."""
    template = DocxTemplate(str(path))
    template.render(context, jinja_env=env, autoescape=True)
    template.save(target)
