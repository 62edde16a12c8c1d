"""Writing .docx packages from already deflated parts (used by :mod:`drafter.fastrender`).

A template's constant parts (styles, settings, theme…) are deflated once and copied as
compressed bytes into every document; only the rendered parts are deflated per document.
Entries carry a fixed date, so the same parts always give the same file (tech-notes §2.7).
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from collections.abc import Callable

# Rendered parts are deflated per document. Measured on the 1 418 rendered parts of a programme
# of 100 markets and a 200-lot framework (BENCHMARKS.md): level 1 takes 0.18 ms a part against
# 0.52 ms at the default level 6, for 18 % more compressed bytes (+0.3 KB a part, ≈ 1 % of a
# document, whose constant parts stay at level 6). Large parts (a note for hundreds of lots) keep
# level 6: there level 1 more than doubles the size for a small part of the time.
FAST_LEVEL, FAST_LIMIT = 1, 256 * 1024


def deflate(data: bytes, *, rendered: bool = False) -> bytes:
    """Raw deflate as zipfile writes it (ZIP_DEFLATED); ``rendered`` parts under FAST_LIMIT at level 1."""
    level = FAST_LEVEL if rendered and len(data) < FAST_LIMIT else zlib.Z_DEFAULT_COMPRESSION
    compressor = zlib.compressobj(level, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def deflate_pieces(data: bytes | tuple[bytes | memoryview, ...]) -> tuple[int, int, bytes]:
    """(crc, size, deflated) of a part given whole or in pieces (pieces are never joined)."""
    if isinstance(data, bytes):
        return zlib.crc32(data), len(data), deflate(data, rendered=True)
    size = sum(len(piece) for piece in data)
    crc, out = 0, []
    compressor = zlib.compressobj(FAST_LEVEL if size < FAST_LIMIT else zlib.Z_DEFAULT_COMPRESSION,
                                  zlib.DEFLATED, -15)
    for piece in data:
        crc = zlib.crc32(piece, crc)
        out.append(compressor.compress(piece))
    out.append(compressor.flush())
    return crc, size, b"".join(out)


class ZipWriter:
    """Minimal zip writer for already deflated entries (fixed date: reproducible files)."""

    DATE, TIME = (0 << 9) | (1 << 5) | 1, 0  # 1980-01-01 00:00, the zip epoch

    def __init__(self) -> None:
        self._chunks: list[bytes] = []
        self._central: list[bytes] = []
        self._offset = 0

    def add_deflated(self, name: str, crc: int, size: int, deflated: bytes) -> None:
        encoded = name.encode("utf-8")
        flags = 0 if encoded.isascii() else 0x800
        header = struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, flags, 8, self.TIME, self.DATE,
                             crc, len(deflated), size, len(encoded), 0)
        self._central.append(struct.pack(
            "<4s6H3L5H2L", b"PK\x01\x02", 20, 20, flags, 8, self.TIME, self.DATE, crc,
            len(deflated), size, len(encoded), 0, 0, 0, 0, 0o600 << 16, self._offset) + encoded)
        self._chunks += [header, encoded, deflated]
        self._offset += len(header) + len(encoded) + len(deflated)

    def getvalue(self) -> bytes:
        central = b"".join(self._central)
        end = struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, len(self._central), len(self._central),
                          len(central), self._offset, 0)
        return b"".join(self._chunks) + central + end


def reproducible(data: bytes, change: Callable[[str, bytes], bytes] | None = None) -> bytes:
    """The zip ``data`` rewritten with every entry at the zip epoch (and ``change`` applied to each
    part): a writer that stamps entries with the current time (openpyxl) gives the same bytes twice."""
    out = ZipWriter()
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        for info in source.infolist():
            part = source.read(info)
            if change is not None:
                part = change(info.filename, part)
            out.add_deflated(info.filename, zlib.crc32(part), len(part), deflate(part))
    return out.getvalue()
