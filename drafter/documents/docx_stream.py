"""The document body rendered and deflated in a stream, without an lxml tree (for :mod:`fastrender`).

docxtpl renders the body with Jinja to one string, post-processes it (paragraph breaks,
``{_{`` escapes, listings), parses it with lxml (``recover=True``) and serialises the tree.
For a template whose table grids cannot change (:func:`drafter.documents.docx_tables.tables_may_change`)
the parse only normalises what Jinja wrote. That normalisation is reproduced here, exactly:

* the template's literal XML is already lxml's serialisation (python-docx loaded it);
* values are written as lxml writes them: in text ``& < >`` escaped and quotes as they are
  (markupsafe writes ``&#34;`` ``&#39;``), characters XML cannot hold dropped (the recovering
  parser drops them; the context builder already removes them); in an attribute (a ``{{ }}``
  inside a tag, such as a list numbering id) ``& < > "`` escaped, and any value the parser
  would normalise (white space, braces docxtpl rewrites…) sends the document to the lxml path;
* the parser turns ``\\r\\n`` and ``\\r`` into ``\\n``, and lxml writes an element without content
  as ``<x/>`` (such an element can only appear where a Jinja tag wrote nothing between a start
  tag and an end tag: those junctions are watched, and only then is the batch searched);
* the template is compiled without docxtpl's ``\\n`` before each ``<w:p`` (which docxtpl removes).

The Jinja chunks are joined into batches of :data:`BATCH` characters; a batch is processed up to
a cut where none of these rewritings (nor docxtpl's listing regexes, which match whole paragraphs)
can span, encoded, checksummed and deflated; only compressed bytes are kept. A 5 000-lot note
(≈ 70 M characters) is never held whole, as text or as a tree.

Only the bundled templates take this path by default (the parity tests compare them with plain
docxtpl, hostile values included); a buyer's own templates keep the lxml path.
"""

from __future__ import annotations

import itertools
import re
import threading
import zlib
from collections.abc import Iterator
from itertools import islice
from typing import Any

from docxtpl import DocxTemplate
from jinja2 import Template
from markupsafe import Markup

from drafter.documents.docx_zip import deflate
from drafter.documents.sandbox import MAX_PART_CHARS, deadline, too_long

BATCH = 1 << 21  # characters of Jinja output processed at once (a smaller document: one batch)
ATTRIBUTE = "drafter_attribut_xml_"  # the function wrapping a value written inside a tag
_DOCXTPL = DocxTemplate(None)
_LISTING_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*?[\t\a\n\f]")
# docxtpl resolve_listing's outer regex, r"<w:p(?: [^>]*)?>.*?</w:p>" (DOTALL), without backtracking
_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>(?:[^<]++|<(?!/w:p>))*+</w:p>")
_PARAGRAPH_OPEN = re.compile(r"<w:p(?: [^>]*)?>")
_OPEN_TAG = re.compile(r"<(?!/)")
_EMPTY = re.compile(r"<([A-Za-z_][\w.:-]*)((?:\s[^<>]*)?)></\1>")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ILLEGAL_NOT_LISTING = re.compile("[\x00-\x06\x08\x0b\x0e-\x1f\ud800-\udfff\ufffe\uffff]")  # \a \f: listings
_VALUE_CHECK = re.compile("[\x00-\x1f_\ud800-\udfff\ufffe\uffff]")
_PLAIN_SEEN: set[str] = set()  # short values already known to need nothing (bounded: ≈ 15 MB at most)
_PLAIN_SEEN_MAX, _PLAIN_SEEN_CHARS = 50_000, 200
_VALUE_PLAIN = re.compile("[^\x00-\x1f_\ud800-\udfff\ufffe\uffff&<>]*")  # most values: nothing to do
# what docxtpl's post-processing or the parser rewrites (with a neighbour: a value starting or ending with _)
_REWRITTEN = re.compile(r"[\t\a\n\f\r]|\{_|_\}|_%|%_|^_|_$")
_LITERAL_REWRITTEN = re.compile(r"[\t\a\n\f\r]|\{_|_\}|_%|%_|^[{}%_]|[{}%_]$")
_STATE = threading.local()  # dirty: finish() needed; markup: search every empty element; dropped: see render_part
_BLANK = re.compile(r">[ \t\r\n]+<")
_ATTRIBUTE_SPECIAL = re.compile("[\x00-\x1f\ud800-\udfff\ufffe\uffff{}%_]")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
_CONTROL_IN_TAG = re.compile(r"\{%-?\s*(?:if|elif|else|endif|for|endfor)\b.*?-?%\}|\{#.*?#\}", re.DOTALL)
_NOT_STREAMABLE = re.compile(r"\|\s*(?:safe|xmlattr|urlize|tojson)\b|autoescape|\{%-?\s*raw\b|" + ATTRIBUTE)


class Unstreamable(Exception):
    """This document cannot be streamed exactly: render it on the lxml path instead."""


class Streamed:
    """A body template compiled to be streamed, with what its literal XML tells about the output.

    ``always_finish``: the literal XML itself may need :func:`finish`. ``empties``: the
    ``(<x …></x>, <x …/>)`` pairs an empty Jinja output can leave (a literal part ending with a
    start tag, followed by a Jinja tag); None when such a start tag has a Jinja attribute value
    (then every batch is searched).
    """

    def __init__(self, env: Any, source: str):
        self.template = env.from_string(source, globals={ATTRIBUTE: attribute_value})
        self.template.root_render_func.__globals__["escape"] = text_value
        literals = _JINJA.split(source)
        self.always_finish = any(_LITERAL_REWRITTEN.search(part) for part in literals)
        self.empties: tuple[tuple[str, str], ...] | None = ()
        pairs = set()
        for part in literals[:-1]:
            start = part.rfind("<")
            if not part.endswith(">") or part.endswith("/>") or part[start + 1:start + 2] in ("/", "!", "?"):
                continue
            if start < 0:
                self.empties = None
                return
            tag = part[start:]
            pairs.add((f"{tag}</{tag[1:-1].split(' ', 1)[0]}>", tag[:-1] + "/>"))
        self.empties = tuple(sorted(pairs))

    def collapse(self, text: str) -> str:
        """Empty elements as lxml writes them."""
        if self.empties is None or _STATE.markup:
            return _EMPTY.sub(r"<\1\2/>", text)
        for empty, short in self.empties:
            text = text.replace(empty, short)
        return text


def prepare(env: Any, patched: str, standalone_tag: bytes | None) -> Streamed | None:
    """The :class:`Streamed` template of a patched body, or None when it cannot be streamed."""
    source = stream_source(patched, standalone_tag)
    return None if source is None else Streamed(env, source)


def stream_source(patched: str, standalone_tag: bytes | None) -> str | None:
    """The Jinja source to stream a patched body with, or None when it cannot be streamed: no
    ``{% %}`` inside a tag (a ``{{ }}`` there is wrapped in :data:`ATTRIBUTE`), no filter writing
    markup, no image ids to renumber, no entity markupsafe writes already in the literal XML, and
    the body's start tag as lxml writes it."""
    if standalone_tag is None or not patched.startswith(standalone_tag.decode("utf-8")):
        return None
    if "docPr" in patched or "&#34;" in patched or "&#39;" in patched or _NOT_STREAMABLE.search(patched):
        return None
    out: list[str] = []
    in_tag, last = False, 0
    for match in _JINJA.finditer(patched):
        literal = patched[last:match.start()]
        opened, closed = literal.rfind("<"), literal.rfind(">")
        if opened != closed:
            in_tag = opened > closed
        out.append(literal)
        tag = match.group(0)
        if in_tag and not tag.startswith("{{"):
            if not _CONTROL_IN_TAG.fullmatch(tag):
                return None
        elif in_tag:
            inner = tag[2:-2]
            left = "-" if inner.startswith("-") else ""
            right = "-" if inner.endswith("-") else ""
            tag = f"{{{{{left} {ATTRIBUTE}({inner[len(left):len(inner) - len(right)]}) {right}}}}}"
        out.append(tag)
        last = match.end()
    out.append(patched[last:])
    return "".join(out)


def text_value(value: Any) -> str:
    """``{{ value }}`` in text, as lxml writes it once parsed (installed as the template's ``escape``)."""
    if type(value) is not str:
        if type(value) is _Attribute:
            return str(value)
        if hasattr(value, "__html__"):  # already escaped by markupsafe (|e, |join, a {% set %} block)
            _STATE.dirty = _STATE.markup = True
            text = str(value.__html__())
            if "&#" in text:
                text = text.replace("&#34;", '"').replace("&#39;", "'")
            if _ILLEGAL_NOT_LISTING.search(text):
                _STATE.dropped = True
                text = _ILLEGAL_NOT_LISTING.sub("", text)
            return text
        value = str(value)
    if value in _PLAIN_SEEN:  # labels, amounts and names recur from document to document
        return value
    if _VALUE_PLAIN.fullmatch(value):  # one scan instead of a search and three replaces
        if len(value) <= _PLAIN_SEEN_CHARS and len(_PLAIN_SEEN) < _PLAIN_SEEN_MAX:
            _PLAIN_SEEN.add(value)
        return value
    if _VALUE_CHECK.search(value):
        value = _unusual(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _unusual(value: str) -> str:
    """A value with a control character or ``_``: characters XML cannot hold dropped (the parser
    drops them); the render marked dirty when docxtpl or the parser would rewrite something."""
    if _ILLEGAL_NOT_LISTING.search(value):
        value = _ILLEGAL_NOT_LISTING.sub("", value)
        _STATE.dropped = True
    if _REWRITTEN.search(value):
        _STATE.dirty = True
    return value


class _Attribute(Markup):
    """An attribute value already written as lxml writes it."""


def attribute_value(value: Any) -> Markup:
    """``{{ value }}`` inside a tag, as lxml writes it once parsed; anything the parser would
    normalise is left to the lxml path."""
    if type(value) is int:
        return _Attribute(value)
    if type(value) is not str or _ATTRIBUTE_SPECIAL.search(value):
        raise Unstreamable
    return _Attribute(value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;"))


def finish(text: str) -> str:
    """One batch of Jinja output as docxtpl post-processes it, then as lxml would re-serialise it."""
    if "{_" in text or "_}" in text:
        text = text.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
    if any(c in text for c in "\t\a\n\f") and _LISTING_TEXT.search(text):
        text = _DOCXTPL.resolve_listing(text)
        _STATE.markup = True  # a listing at the end of a text leaves an empty <w:t>: search them all
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\a" in text or "\f" in text:  # outside a text: dropped by the parser
        text = _XML_ILLEGAL.sub("", text)
        _STATE.markup = _STATE.dropped = True
    return text


def cut(text: str) -> int:
    """Where a batch can end: before a paragraph docxtpl's listing regex has not started matching
    yet (after the last complete match), else before the last start tag; never inside an entity,
    an empty element or ``\\r\\n``. 0: keep accumulating."""
    if "txbxContent" not in text:  # paragraphs do not nest: every </w:p> ends a match of the regex
        last = text.rfind("</w:p>")
        end = last + len("</w:p>") if last >= 0 else 0
    else:  # a text box holds paragraphs inside a paragraph: where the regex stops, only a scan says
        end = 0
        for match in _PARAGRAPH.finditer(text):
            end = match.end()
    found = _PARAGRAPH_OPEN.search(text, end)
    if found is not None:
        return found.start()
    at = end
    for tag in _OPEN_TAG.finditer(text, end):
        at = tag.start()
    return at


class _Deflater:
    """crc, size and deflated bytes of a part written in pieces."""

    def __init__(self) -> None:
        self.crc = self.size = 0
        self.out: list[bytes] = []
        self.compressor: Any = None

    def add(self, data: bytes) -> None:
        if self.compressor is None:  # more than BATCH characters: over docx_zip.FAST_LIMIT, level 6
            self.compressor = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
        self.crc = zlib.crc32(data, self.crc)
        self.size += len(data)
        self.out.append(self.compressor.compress(data))

    def result(self) -> tuple[int, int, bytes]:
        self.out.append(self.compressor.flush())
        return self.crc, self.size, b"".join(self.out)


def render(streamed: Streamed, context: dict[str, Any], standalone: str, head: bytes,
           tail: bytes) -> tuple[int, int, bytes]:
    """(crc, size, deflated) of ``head`` + the body rendered by ``streamed`` after its
    ``standalone`` start tag + ``tail``; bounded as :func:`drafter.documents.sandbox.render_bounded`."""
    template = streamed.template
    _STATE.dirty, _STATE.markup = streamed.always_finish, False
    with deadline():
        chunks = template.root_render_func(_new_context(template, context))
        try:
            return _stream(streamed, chunks, standalone, head, tail)
        finally:
            chunks.close()


def render_part(streamed: Streamed, context: dict[str, Any], head: bytes) -> tuple[int, int, bytes]:
    """(crc, size, deflated) of a header or footer: ``head`` (the XML declaration python-docx writes)
    + the part. python-docx parses these without recovery and drops blank text between elements: a
    render that dropped a character (docxtpl fails there) or wrote blank text between tags is left
    to the lxml path (:class:`Unstreamable`)."""
    template = streamed.template
    _STATE.dirty, _STATE.markup, _STATE.dropped = streamed.always_finish, False, False
    with deadline():
        chunks = template.root_render_func(_new_context(template, context))
        try:
            text = next(_batches(chunks))
        finally:
            chunks.close()
    text = _processed(streamed, text)
    if _STATE.dropped or _BLANK.search(text):
        raise Unstreamable
    data = head + text.encode("utf-8")
    return zlib.crc32(data), len(data), deflate(data, rendered=True)


def _new_context(template: Template, context: dict[str, Any]) -> Any:
    """``template.new_context(context)``: its ``dict(globals, **vars)`` merges the keys through keyword
    arguments, twice as slow as ``{**globals, **vars}`` for the same dict (str keys)."""
    env = template.environment
    return env.context_class(env, {**template.globals, **context}, template.name, template.blocks,
                             globals=template.globals)


def _processed(streamed: Streamed, text: str) -> str:
    """A batch as lxml would write it (:func:`finish` only when a value or the literal may need it)."""
    if _STATE.dirty:
        text = finish(text)
    return streamed.collapse(text)


def _batches(chunks: Iterator[str]) -> Iterator[str]:
    """The Jinja output in batches of about BATCH characters (chunks joined in C, a few thousand at once)."""
    pending: list[str] = []
    size = total = 0
    while block := list(islice(chunks, 4096)):
        piece = "".join(block)
        pending.append(piece)
        size += len(piece)
        if size >= BATCH:
            total += size
            if total > MAX_PART_CHARS:
                raise too_long()
            yield "".join(pending)
            pending.clear()
            size = 0
    if total + size > MAX_PART_CHARS:
        raise too_long()
    yield "".join(pending)


def _stream(streamed: Streamed, chunks: Iterator[str], standalone: str, head: bytes,
            tail: bytes) -> tuple[int, int, bytes]:
    batches = _batches(chunks)
    text = next(batches)
    following = next(batches, None)
    if following is None:  # one batch (most documents): written as the floor writes a part
        data = _processed(streamed, text).encode("utf-8")
        start = len(standalone.encode("utf-8"))
        if data[:start] != standalone.encode("utf-8"):
            raise Unstreamable
        data = b"".join((head, memoryview(data)[start:], tail))
        return zlib.crc32(data), len(data), deflate(data, rendered=True)
    deflater = _Deflater()
    carry = ""
    for later in itertools.chain((following,), batches):  # cut each batch where nothing spans the cut
        text = carry + text
        at = cut(text)
        carry = text[at:]
        if at:
            data = _body(_processed(streamed, text[:at]), standalone, deflater).encode("utf-8")
            if not deflater.size:
                deflater.add(head)
            deflater.add(data)
        text = later
    text = carry + text
    data = _body(_processed(streamed, text), standalone, deflater).encode("utf-8")
    if not deflater.size:  # pragma: no cover - no cut was found before the end
        deflater.add(head)
    deflater.add(data)
    deflater.add(tail)
    return deflater.result()


def _body(text: str, standalone: str, deflater: _Deflater) -> str:
    """The body after its start tag (the document's own start tag replaces it)."""
    if deflater.size:
        return text
    if not text.startswith(standalone):
        raise Unstreamable
    return text[len(standalone):]
